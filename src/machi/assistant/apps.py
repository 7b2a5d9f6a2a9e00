from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "machi.assistant"
    label = "assistant"
    verbose_name = _("Inquiry assistant")

    def ready(self) -> None:
        from machi.assistant import checks  # noqa: F401  registers the system check
