"""Platform administrators keep their municipality's FAQ, synonyms and LINE channel here
until the back-office FAQ pages arrive."""

from django.contrib import admin

from machi.assistant.models import FaqEntry, LineChannel, Scenario, Synonym
from machi.core.admin import TenantScopedAdmin


@admin.register(FaqEntry)
class FaqEntryAdmin(TenantScopedAdmin):
    list_display = ["code", "category", "question", "is_published", "updated_at"]
    list_filter = ["is_published", "category"]
    search_fields = ["code", "question", "answer", "keywords"]


@admin.register(Synonym)
class SynonymAdmin(TenantScopedAdmin):
    list_display = ["canonical", "variants", "is_active"]
    search_fields = ["canonical", "variants"]


@admin.register(LineChannel)
class LineChannelAdmin(TenantScopedAdmin):
    list_display = ["municipality", "is_active"]


@admin.register(Scenario)
class ScenarioAdmin(TenantScopedAdmin):
    """The definition is checked on save (``Scenario.clean``): every problem by place."""

    list_display = ["title", "code", "is_published", "order"]
