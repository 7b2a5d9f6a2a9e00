from django.urls import path

from machi.assistant import api, views

app_name = "assistant"

urlpatterns = [
    path("assistant/", views.chat, name="chat"),
    path("assistant/turns/<uuid:turn_id>/feedback/", views.feedback, name="feedback"),
    path("assistant/handoff/", views.handoff, name="handoff"),
    path("api/v1/assistant/questions/", api.QuestionAPI.as_view(), name="api_question"),
    path(
        "api/v1/assistant/questions/<uuid:turn_id>/feedback/",
        api.FeedbackAPI.as_view(),
        name="api_feedback",
    ),
]
