from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.normalize import normalize_number
from machi.core.models import User
from machi.plan.models import Plan


def label_of(user: User | None) -> str:
    if user is None:
        return "system"
    return user.full_name or user.email


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


def parse_figure(value: str | Decimal | int, field: str) -> Decimal:
    """A KPI figure as typed: 全角 digits and thousands separators are fine."""
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    else:
        try:
            number = Decimal(normalize_number(str(value)))
        except (JapaneseInputError, InvalidOperation):
            raise ValidationError(
                {field: _("Enter a number using digits, for example 1200 or 61.5.")},
                code="invalid",
            ) from None
    if not number.is_finite() or number.as_tuple().exponent < -3:  # type: ignore[operator]
        raise ValidationError(
            {field: _("Enter a number with at most 3 decimal places.")}, code="invalid"
        )
    return number


def check_in_range(number: Decimal, minimum: Decimal, maximum: Decimal | None, field: str) -> None:
    if number < minimum or (maximum is not None and number > maximum):
        upper = _format(maximum) if maximum is not None else _("no upper limit")
        raise ValidationError(
            {
                field: _("%(value)s is outside the allowed range (%(min)s to %(max)s).")
                % {"value": _format(number), "min": _format(minimum), "max": upper}
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


def _format(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text
