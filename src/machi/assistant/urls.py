from django.urls import path

from machi.assistant import api
from machi.assistant.views import chat, line, staff

app_name = "assistant"

urlpatterns = [
    path("assistant/", chat.chat, name="chat"),
    path("assistant/turns/<uuid:turn_id>/feedback/", chat.feedback, name="feedback"),
    path("assistant/handoff/", chat.handoff, name="handoff"),
    path("assistant/menus/", chat.menus, name="menus"),
    path("assistant/menus/<slug:code>/", chat.menu_node, name="menu"),
    path("assistant/menus/<slug:code>/<slug:node>/", chat.menu_node, name="menu_node"),
    path("line/webhook/", line.webhook, name="line_webhook"),
    path("staff/assistant/", staff.dashboard, name="dashboard"),
    path("staff/assistant/faq/", staff.faq_list, name="faq_list"),
    path("staff/assistant/synonyms/", staff.synonyms, name="synonyms"),
    path("staff/assistant/faq/new/", staff.faq_edit, name="faq_new"),
    path("staff/assistant/faq/<uuid:entry_id>/", staff.faq_edit, name="faq_edit"),
    path("api/v1/assistant/questions/", api.QuestionAPI.as_view(), name="api_question"),
    path(
        "api/v1/assistant/questions/<uuid:turn_id>/feedback/",
        api.FeedbackAPI.as_view(),
        name="api_feedback",
    ),
]
