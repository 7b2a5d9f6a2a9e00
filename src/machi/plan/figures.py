"""The one rule for a KPI figure, whether it comes from a plan file or a staff form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# KPIValue.value and the KPI bounds hold 14 digits, 3 of them after the point.
LIMIT = Decimal("1e11")
DECIMAL_PLACES = 3


class FigureInvalid(ValueError):
    """``reason`` is "not_a_number" or "out_of_bounds" (too large or too precise)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def figure_from_text(text: str) -> Decimal:
    """Read a figure already in ASCII digits (the caller decides what it normalises)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FigureInvalid("not_a_number") from None
    if not number.is_finite():
        raise FigureInvalid("not_a_number")
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an integer exponent
    if abs(number) >= LIMIT or exponent < -DECIMAL_PLACES:
        raise FigureInvalid("out_of_bounds")
    return number
