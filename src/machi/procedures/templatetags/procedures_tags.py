from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from machi.core.formdef.fieldtypes import format_date
from machi.core.templatetags.content import marked
from machi.procedures import selectors
from machi.procedures.models import Procedure

register = template.Library()


@register.filter
def offered_online(procedure: object) -> bool:
    """``{% if procedure|offered_online %}``: see ``selectors.offered_online``."""
    return isinstance(procedure, Procedure) and selectors.offered_online(procedure)


@register.filter(is_safe=True)
def wareki(value: object) -> SafeString:
    """A date or datetime as 令和8年11月30日（2026-11-30） (English pages put ISO first and
    mark the 和暦 ``lang="ja"``). A datetime is read in Japan's time zone, like the time
    shown next to it."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        return mark_safe("")
    return marked(format_date(value.isoformat(), get_language() or "ja"))
