from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "machi.casework"
    label = "casework"
    verbose_name = _("Back office (casework)")
