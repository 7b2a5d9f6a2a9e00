"""Platform administrators keep their municipality's FAQ, synonyms and LINE channel here
until the back-office FAQ pages arrive, and see how LINE webhook events were handled."""

from django.contrib import admin

from machi.assistant.models import FaqEntry, LineChannel, LineWebhookEvent, Scenario, Synonym
from machi.core.admin import ReadOnlyTenantAdmin, TenantScopedAdmin


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


@admin.register(LineWebhookEvent)
class LineWebhookEventAdmin(ReadOnlyTenantAdmin):
    """Read only: what became of each event (replied, failed and why, refused). The payload
    (LINE user id, text) is not shown; it is emptied once the event is processed."""

    list_display = [
        "received_at",
        "event_type",
        "state",
        "error_code",
        "reply_attempts",
        "is_redelivery",
    ]
    list_filter = ["state", "error_code", "event_type"]
    search_fields = ["webhook_event_id"]
    fields = readonly_fields = (
        "webhook_event_id",
        "event_type",
        "is_redelivery",
        "state",
        "error_code",
        "error_detail",
        "reply_attempts",
        "turn",
        "received_at",
        "processed_at",
    )


@admin.register(Scenario)
class ScenarioAdmin(TenantScopedAdmin):
    """The definition is checked on save (``Scenario.clean``): every problem by place."""

    list_display = ["title", "code", "is_published", "order"]
