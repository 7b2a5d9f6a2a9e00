from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "machi.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from machi.notices import checks  # noqa: F401  registers the system check
