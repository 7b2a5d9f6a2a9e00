"""Server-rendered, accessible inline SVG line charts for one KPI's series.

The output is a self-contained ``<svg>`` string: no scripts, no ``<style>`` element and no
``style="..."`` attributes (the site's CSP only allows same-origin stylesheets), only
presentation attributes. Every caller-supplied string is escaped, so the result may be passed
through ``mark_safe`` in a template.

The chart is a picture for sighted readers; the page is expected to show the same figures in a
data table (``format_number`` is exported for that). Screen readers get the chart's name from
``<title>`` and the caller's one-sentence summary from ``<desc>``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

__all__ = [
    "ChartLabels",
    "ChartPoint",
    "KPIChart",
    "format_number",
    "kpi_chart_svg",
    "nice_axis",
]


@dataclass(frozen=True)
class ChartPoint:
    """One figure of a KPI series."""

    fiscal_year: int  # 西暦 year in which the fiscal year starts, e.g. 2023 for 令和5年度
    value: Decimal


@dataclass(frozen=True)
class ChartLabels:
    """Translated strings supplied by the caller; this module contains no wording of its own."""

    baseline: str  # "基準値"
    actual: str  # "実績"
    target: str  # "目標"
    fiscal_year: Callable[[int], str]  # 2023 -> "令和5年度"
    summary: str  # one sentence describing the chart, used as <desc>
    # A figure with its unit inside the markers' tooltips; by default the number and the unit
    # as on the axis ("61.2%"). An English page glosses a Japanese unit: "12 (件)".
    figure: Callable[[Decimal], str] | None = None
    # The language of the chart's title or an axis label when it differs from the page's
    # (a Japanese KPI name on an English page: "ja"), else "". It becomes a lang attribute.
    lang_of: Callable[[str], str] | None = None


@dataclass(frozen=True)
class KPIChart:
    """Everything needed to draw one KPI."""

    title: str
    unit: str
    first_fiscal_year: int
    last_fiscal_year: int
    baseline: ChartPoint | None
    actuals: tuple[ChartPoint, ...]
    targets: tuple[ChartPoint, ...]
    labels: ChartLabels


# --- numbers -------------------------------------------------------------------------------


def format_number(value: Decimal) -> str:
    """Print a figure without trailing zeros and with thousands separators.

    ``Decimal("61.20")`` -> ``"61.2"``, ``Decimal("100.0")`` -> ``"100"``,
    ``Decimal("12345")`` -> ``"12,345"``. Raises ``ValueError`` for NaN and infinities.
    """
    if not value.is_finite():
        raise ValueError(f"cannot format a non-finite number: {value}")
    if value == 0:
        return "0"  # also turns -0 and 0E+3 into "0"
    return format(value.normalize(), ",f")


_NICE_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
_MAX_INTERVALS = 5


def nice_axis(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Return ``(axis_min, axis_max, step)`` for values between ``low`` and ``high``.

    The axis always includes 0, its ends are multiples of ``step``, ``step`` is 1, 2, 2.5 or
    5 times a power of ten, and it is cut into at most five intervals (three to five in
    practice). All-zero data gets the axis 0-5.
    """
    if not (low.is_finite() and high.is_finite()):
        raise ValueError("axis bounds must be finite")
    lo = min(low, high, Decimal(0))
    hi = max(low, high, Decimal(0))
    if hi == lo:
        hi = Decimal(5)
    raw = (hi - lo) / _MAX_INTERVALS
    magnitude = Decimal(1).scaleb(raw.adjusted())  # largest power of ten <= raw
    for _ in range(3):
        for mantissa in _NICE_MANTISSAS:
            step = mantissa * magnitude
            axis_min = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
            axis_max = (hi / step).to_integral_value(rounding=ROUND_CEILING) * step
            if (axis_max - axis_min) / step <= _MAX_INTERVALS:
                return axis_min, axis_max, step
        magnitude *= 10
    # Unreachable: ten times a step >= raw always fits. Kept so the function is total.
    step = magnitude
    return (
        (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step,
        (hi / step).to_integral_value(rounding=ROUND_CEILING) * step,
        step,
    )


# --- text ----------------------------------------------------------------------------------

# Characters XML 1.0 does not allow even when escaped (C0 controls other than tab/LF/CR,
# lone surrogates, U+FFFE/U+FFFF). Dropped so the document stays well-formed.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _esc(text: str) -> str:
    return html.escape(_NOT_XML_CHAR.sub("", text), quote=True)


def _lang(labels: ChartLabels, text: str) -> str:
    """`` lang="…"`` for a text in another language than the page, else nothing."""
    lang = labels.lang_of(text) if labels.lang_of else ""
    return f' lang="{_esc(lang)}"' if lang else ""


def _text_width(text: str, font_size: float) -> float:
    """Rough rendered width: Latin characters ~0.62 em, CJK and other wide ones 1 em."""
    return sum(0.62 if ord(ch) < 0x2E80 else 1.0 for ch in text) * font_size


def _c(number: float) -> str:
    """A coordinate rounded to one decimal, without a useless ``.0``."""
    out = f"{number:.1f}"
    if out.endswith(".0"):
        out = out[:-2]
    return "0" if out == "-0" else out


# --- layout constants (viewBox units) ------------------------------------------------------

WIDTH = 640
_PLOT_HEIGHT = 220
_RIGHT_MARGIN = 20
_BOTTOM_MARGIN = 36  # room for the fiscal-year labels
_TOP_PADDING = 10
_LEGEND_ROW = 22
_TICK_FONT = 12
_LEGEND_FONT = 13
_MAX_SLOTS = 100

_TEXT_COLOUR = "#333333"
_GRID_COLOUR = "#D0D0D0"
_AXIS_COLOUR = "#6B6B6B"
_ACTUAL_COLOUR = "#0017C1"  # 9.9:1 on white
_TARGET_COLOUR = "#333333"  # 12.6:1 on white
_BASELINE_COLOUR = "#6B6B6B"  # 5.3:1 on white
_TARGET_DASH = "7 5"


# --- markers -------------------------------------------------------------------------------


def _actual_marker(x: float, y: float, tooltip: str) -> str:
    return (
        f'<circle class="kpi-chart__actual-point" cx="{_c(x)}" cy="{_c(y)}" r="4.5" '
        f'fill="{_ACTUAL_COLOUR}" stroke="{_ACTUAL_COLOUR}" stroke-width="1">'
        f"<title>{_esc(tooltip)}</title></circle>"
    )


def _diamond(x: float, y: float, r: float = 6.5) -> str:
    return f"{_c(x)},{_c(y - r)} {_c(x + r)},{_c(y)} {_c(x)},{_c(y + r)} {_c(x - r)},{_c(y)}"


def _target_marker(x: float, y: float, tooltip: str) -> str:
    # Hollow diamond, larger than the actual dot so both show when they coincide.
    return (
        f'<polygon class="kpi-chart__target-point" points="{_diamond(x, y)}" fill="#FFFFFF" '
        f'stroke="{_TARGET_COLOUR}" stroke-width="2"><title>{_esc(tooltip)}</title></polygon>'
    )


def _baseline_marker(x: float, y: float, tooltip: str) -> str:
    half = 5.0
    return (
        f'<rect class="kpi-chart__baseline-point" x="{_c(x - half)}" y="{_c(y - half)}" '
        f'width="{_c(2 * half)}" height="{_c(2 * half)}" fill="{_BASELINE_COLOUR}" '
        f'stroke="{_BASELINE_COLOUR}" stroke-width="1"><title>{_esc(tooltip)}</title></rect>'
    )


def _polyline(points: Sequence[tuple[float, float]], colour: str, dash: str | None) -> str:
    coords = " ".join(f"{_c(x)},{_c(y)}" for x, y in points)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5" '
        f'stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>'
    )


# --- legend --------------------------------------------------------------------------------

_LEGEND_SYMBOL = 30.0
_LEGEND_GAP = 6.0
_LEGEND_SPACING = 20.0


def _legend_symbol(kind: str, x: float, y: float) -> str:
    mid = x + _LEGEND_SYMBOL / 2
    if kind == "baseline":
        return (
            f'<rect x="{_c(mid - 5)}" y="{_c(y - 5)}" width="10" height="10" '
            f'fill="{_BASELINE_COLOUR}"/>'
        )
    if kind == "actual":
        line = _polyline([(x, y), (x + _LEGEND_SYMBOL, y)], _ACTUAL_COLOUR, None)
        return f'{line}<circle cx="{_c(mid)}" cy="{_c(y)}" r="4.5" fill="{_ACTUAL_COLOUR}"/>'
    line = _polyline([(x, y), (x + _LEGEND_SYMBOL, y)], _TARGET_COLOUR, _TARGET_DASH)
    return (
        f'{line}<polygon points="{_diamond(mid, y)}" fill="#FFFFFF" stroke="{_TARGET_COLOUR}" '
        f'stroke-width="2"/>'
    )


def _legend(items: Sequence[tuple[str, str]], left: float, right: float) -> tuple[str, int]:
    """Lay the legend out left to right, wrapping into rows; return (markup, row count)."""
    parts: list[str] = []
    row = 0
    x = left
    for kind, label in items:
        width = _LEGEND_SYMBOL + _LEGEND_GAP + _text_width(label, _LEGEND_FONT)
        if x > left and x + width > right:
            row += 1
            x = left
        y = _TOP_PADDING + _LEGEND_ROW * row + _LEGEND_ROW / 2
        parts.append(
            f'<g class="kpi-chart__legend-{kind}">{_legend_symbol(kind, x, y)}'
            f'<text x="{_c(x + _LEGEND_SYMBOL + _LEGEND_GAP)}" y="{_c(y + _LEGEND_FONT * 0.35)}">'
            f"{_esc(label)}</text></g>"
        )
        x += width + _LEGEND_SPACING
    return "".join(parts), row + 1


# --- the chart -----------------------------------------------------------------------------


def _check_points(points: Iterable[ChartPoint]) -> None:
    for point in points:
        if not point.value.is_finite():
            raise ValueError(f"fiscal year {point.fiscal_year}: value must be finite")


def kpi_chart_svg(chart: KPIChart, *, chart_id: str) -> str:
    """Render ``chart`` as an inline ``<svg>`` string.

    ``chart_id`` must be unique on the page; it prefixes the ids of ``<title>`` and ``<desc>``
    and must match ``[A-Za-z][A-Za-z0-9_-]*``. Raises ``ValueError`` for a bad id, a plan
    period that ends before it starts, non-finite values or a span of more than 100 years.
    """
    if not isinstance(chart_id, str) or not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"invalid chart_id: {chart_id!r}")
    if chart.last_fiscal_year < chart.first_fiscal_year:
        raise ValueError("last_fiscal_year is before first_fiscal_year")
    baseline = chart.baseline
    all_points = [*([baseline] if baseline else []), *chart.actuals, *chart.targets]
    _check_points(all_points)

    labels = chart.labels
    unit = chart.unit

    # One slot per fiscal year: the plan period, widened to take in the baseline (and any
    # figure outside the period, so that nothing the caller passed is silently dropped).
    first_year = min([chart.first_fiscal_year, *(p.fiscal_year for p in all_points)])
    last_year = max([chart.last_fiscal_year, *(p.fiscal_year for p in all_points)])
    years = list(range(first_year, last_year + 1))
    if len(years) > _MAX_SLOTS:
        raise ValueError(f"a chart spans at most {_MAX_SLOTS} fiscal years")

    values = [p.value for p in all_points] or [Decimal(0)]
    axis_min, axis_max, step = nice_axis(min(values), max(values))
    intervals = int((axis_max - axis_min) / step)
    ticks = [axis_min + step * i for i in range(intervals + 1)]
    tick_labels = [f"{format_number(t)}{unit}" for t in ticks]

    left = max(40.0, max(_text_width(t, _TICK_FONT) for t in tick_labels) + 14)
    right = WIDTH - _RIGHT_MARGIN

    legend_items: list[tuple[str, str]] = []
    if baseline:
        legend_items.append(("baseline", labels.baseline))
    legend_items += [("actual", labels.actual), ("target", labels.target)]
    legend_markup, legend_rows = _legend(legend_items, left, right)

    top = _TOP_PADDING + _LEGEND_ROW * legend_rows + 14
    bottom = top + _PLOT_HEIGHT
    height = round(bottom + _BOTTOM_MARGIN)
    span = axis_max - axis_min
    slot = (right - left) / len(years)

    def x_of(year: int) -> float:
        return left + (year - first_year + 0.5) * slot

    def y_of(value: Decimal) -> float:
        return top + float((axis_max - value) / span) * _PLOT_HEIGHT

    out: list[str] = []
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="kpi-chart" '
        f'preserveAspectRatio="xMidYMid meet" font-family="sans-serif">'
    )
    out.append(
        f'<title id="{chart_id}-title"{_lang(labels, chart.title)}>{_esc(chart.title)}</title>'
    )
    out.append(f'<desc id="{chart_id}-desc">{_esc(labels.summary)}</desc>')

    # Grid and axes: decoration, the figures themselves are in the markers' titles.
    out.append('<g class="kpi-chart__grid" aria-hidden="true" stroke-width="1">')
    for tick in ticks:
        grid_y = _c(y_of(tick))
        colour = _AXIS_COLOUR if tick == 0 else _GRID_COLOUR
        out.append(
            f'<line x1="{_c(left)}" y1="{grid_y}" x2="{_c(right)}" y2="{grid_y}" '
            f'stroke="{colour}"/>'
        )
    out.append(
        f'<line x1="{_c(left)}" y1="{_c(top)}" x2="{_c(left)}" y2="{_c(bottom)}" '
        f'stroke="{_AXIS_COLOUR}"/>'
    )
    out.append("</g>")

    out.append(
        f'<g class="kpi-chart__y-axis" aria-hidden="true" fill="{_TEXT_COLOUR}" '
        f'font-size="{_TICK_FONT}" text-anchor="end">'
    )
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick) + _TICK_FONT * 0.35
        lang = _lang(labels, label)
        out.append(f'<text x="{_c(left - 8)}" y="{_c(y)}"{lang}>{_esc(label)}</text>')
    out.append("</g>")

    # Fiscal-year labels: thinned out when there are too many years for the width.
    year_labels = [labels.fiscal_year(year) for year in years]
    widest = max(_text_width(label, _TICK_FONT) for label in year_labels)
    every = max(1, math.ceil((widest + 8) / slot))
    out.append(
        f'<g class="kpi-chart__x-axis" aria-hidden="true" fill="{_TEXT_COLOUR}" '
        f'font-size="{_TICK_FONT}" text-anchor="middle">'
    )
    for index, (year, label) in enumerate(zip(years, year_labels, strict=True)):
        if index % every:
            continue
        half = _text_width(label, _TICK_FONT) / 2
        x = min(max(x_of(year), half + 2), WIDTH - half - 2)
        out.append(f'<text x="{_c(x)}" y="{_c(bottom + 22)}">{_esc(label)}</text>')
    out.append("</g>")

    out.append(
        f'<g class="kpi-chart__legend" fill="{_TEXT_COLOUR}" font-size="{_LEGEND_FONT}">'
        f"{legend_markup}</g>"
    )

    def tooltip(point: ChartPoint, series: str) -> str:
        if labels.figure is not None:
            figure = labels.figure(point.value)
        else:
            figure = f"{format_number(point.value)}{unit}"
        return f"{labels.fiscal_year(point.fiscal_year)} {series}: {figure}"

    targets = sorted(chart.targets, key=lambda p: p.fiscal_year)
    actuals = sorted(chart.actuals, key=lambda p: p.fiscal_year)
    # The baseline is where the actual line starts; a stable sort keeps it first on a tie.
    actual_line = sorted([*([baseline] if baseline else []), *actuals], key=lambda p: p.fiscal_year)

    out.append('<g class="kpi-chart__series">')
    if len(targets) > 1:
        coords = [(x_of(p.fiscal_year), y_of(p.value)) for p in targets]
        out.append(_polyline(coords, _TARGET_COLOUR, _TARGET_DASH))
    if len(actual_line) > 1:
        coords = [(x_of(p.fiscal_year), y_of(p.value)) for p in actual_line]
        out.append(_polyline(coords, _ACTUAL_COLOUR, None))
    for p in targets:
        out.append(_target_marker(x_of(p.fiscal_year), y_of(p.value), tooltip(p, labels.target)))
    if baseline:
        out.append(
            _baseline_marker(
                x_of(baseline.fiscal_year),
                y_of(baseline.value),
                tooltip(baseline, labels.baseline),
            )
        )
    for p in actuals:
        out.append(_actual_marker(x_of(p.fiscal_year), y_of(p.value), tooltip(p, labels.actual)))
    out.append("</g>")

    out.append("</svg>")
    return "".join(out)
