from django.urls import path

from machi.assistant import api, line_views, staff_views, views

app_name = "assistant"

urlpatterns = [
    path("assistant/", views.chat, name="chat"),
    path("assistant/turns/<uuid:turn_id>/feedback/", views.feedback, name="feedback"),
    path("assistant/handoff/", views.handoff, name="handoff"),
    path("assistant/menus/", views.menus, name="menus"),
    path("assistant/menus/<slug:code>/", views.menu_node, name="menu"),
    path("assistant/menus/<slug:code>/<slug:node>/", views.menu_node, name="menu_node"),
    path("line/webhook/", line_views.webhook, name="line_webhook"),
    path("staff/assistant/", staff_views.dashboard, name="dashboard"),
    path("staff/assistant/faq/", staff_views.faq_list, name="faq_list"),
    path("staff/assistant/synonyms/", staff_views.synonyms, name="synonyms"),
    path("staff/assistant/faq/new/", staff_views.faq_edit, name="faq_new"),
    path("staff/assistant/faq/<uuid:entry_id>/", staff_views.faq_edit, name="faq_edit"),
    path("api/v1/assistant/questions/", api.QuestionAPI.as_view(), name="api_question"),
    path(
        "api/v1/assistant/questions/<uuid:turn_id>/feedback/",
        api.FeedbackAPI.as_view(),
        name="api_feedback",
    ),
]
