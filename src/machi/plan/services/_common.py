from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.normalize import normalize_number
from machi.plan.charts import format_number
from machi.plan.figures import FigureInvalid, figure_from_text
from machi.plan.models import Plan


def required_text(value: str, field: str, label: str, *, max_length: int = 4000) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(
            {field: _("Enter the %(field)s. It is required.") % {"field": label}}, code="required"
        )
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("The %(field)s is longer than %(max)d characters.")
                % {"field": label, "max": max_length}
            },
            code="max_length",
        )
    return text


def required_texts(
    fields: Iterable[tuple[str, str, str, int]], errors: dict[str, str]
) -> dict[str, str]:
    """Check several (field, label, value, max_length) at once; problems go into ``errors``."""
    texts: dict[str, str] = {}
    for field, label, value, max_length in fields:
        try:
            texts[field] = required_text(value, field, label, max_length=max_length)
        except ValidationError as exc:
            errors.update({key: messages[0] for key, messages in exc.message_dict.items()})
    return texts


def parse_figure(value: str | Decimal | int, field: str) -> Decimal:
    """A KPI figure as typed: 全角 digits and thousands separators are fine."""
    try:
        text = str(value) if isinstance(value, Decimal | int) else normalize_number(str(value))
        return figure_from_text(text)
    except (JapaneseInputError, FigureInvalid) as exc:
        if isinstance(exc, FigureInvalid) and exc.reason == "out_of_bounds":
            message = _("Enter a number below 100,000,000,000 with at most 3 decimal places.")
        else:
            message = _("Enter a number using digits, for example 1200 or 61.5.")
        raise ValidationError({field: message}, code="invalid") from None


def check_in_range(number: Decimal, minimum: Decimal, maximum: Decimal | None, field: str) -> None:
    if number < minimum or (maximum is not None and number > maximum):
        upper = format_number(maximum) if maximum is not None else _("no upper limit")
        raise ValidationError(
            {
                field: _("%(value)s is outside the allowed range (%(min)s to %(max)s).")
                % {"value": format_number(number), "min": format_number(minimum), "max": upper}
            },
            code="out_of_range",
        )


def check_fiscal_year(plan: Plan, fiscal_year: int, field: str) -> None:
    if not plan.covers(fiscal_year):
        raise ValidationError(
            {
                field: _("Fiscal year %(year)d is outside the plan period (%(first)d–%(last)d).")
                % {
                    "year": fiscal_year,
                    "first": plan.first_fiscal_year,
                    "last": plan.last_fiscal_year,
                }
            },
            code="out_of_period",
        )
