from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "machi.core"
    label = "core"
    verbose_name = _("machi core")

    def ready(self) -> None:
        from machi.core import checks  # noqa: F401  (registers the system checks)
