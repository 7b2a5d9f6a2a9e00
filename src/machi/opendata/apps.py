from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "machi.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        # Open data by design: the datasets machi keeps current itself. Other apps
        # register theirs in their own ready() through the same registry.
        from machi.opendata.generators import registry
        from machi.opendata.generators.dataset_list import DatasetListGenerator
        from machi.opendata.generators.plan_kpis import PlanKPIGenerator

        registry.register(PlanKPIGenerator())
        registry.register(DatasetListGenerator())
