"""Celery tasks of notices: fan a notice out, send due messages, catch up (idempotent)."""

from __future__ import annotations

from celery import shared_task

from machi.core.models import Municipality
from machi.core.task_queue import enqueue
from machi.notices.models import Notice
from machi.notices.services import fanout, measure, messages


@shared_task(name="notices.notice_fan_out")
def notice_fan_out(notice_id: str) -> int:
    notice = Notice.objects.select_related("category", "municipality").filter(pk=notice_id).first()
    return 0 if notice is None else fanout.notice_fan_out(notice=notice)


@shared_task(name="notices.messages_dispatch")
def messages_dispatch() -> dict[str, int]:
    sent = messages.messages_send_due()
    if sent.delivered + sent.retrying + sent.failed >= messages.BATCH:
        enqueue(messages.DISPATCH_TASK)  # more may be due: go on in a fresh task
    return {"delivered": sent.delivered, "retrying": sent.retrying, "failed": sent.failed}


@shared_task(name="notices.sweep")
def sweep() -> int:
    """Every minute (beat): notices whose time has come, and messages whose retry is due."""
    due = list(fanout.due_notices().values_list("pk", flat=True)[:100])
    for notice_id in due:
        notice_fan_out(str(notice_id))
    messages_dispatch()
    return len(due)


@shared_task(name="notices.plan_kpis_record")
def plan_kpis_record() -> int:
    """Nightly (beat): the DX plan's measure 1-(6) KPIs from the delivery figures, for every
    active municipality (idempotent: the same count again changes nothing)."""
    recorded = 0
    for municipality in Municipality.objects.filter(is_active=True):
        recorded += sum(r.changed for r in measure.plan_kpis_record(municipality=municipality))
    return recorded
