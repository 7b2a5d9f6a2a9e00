"""Server-rendered SVG line charts for the 効果検証 dashboard: one line per channel over
weeks or months.

Hand-written rather than a charting library: the platform has none in package.json, the
page must work without JavaScript, and the site's CSP allows no inline styles, so the
chart uses presentation attributes only. Each channel has its own colour, dash pattern and
marker shape, so the lines are told apart without colour. The chart is a picture for
sighted readers: the page shows the same figures in a table, and screen readers get the
chart's name and a one-sentence summary from ``<title>`` and ``<desc>``. Every string is
escaped, so the result may be marked safe.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 260
LEFT = 56
RIGHT = 16
TOP = 12
BOTTOM = 40
_TEXT = "#333333"
_GRID = "#D0D0D0"

# Colour (4.5:1 or more on white), dash pattern, marker: one style per series, in order.
STYLES = (
    ("#0017C1", "", "circle"),
    ("#00754A", "8 4", "square"),
    ("#B8420C", "3 3", "triangle"),
    ("#6A1FA3", "10 3 2 3", "diamond"),
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None: no figure (a gap)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _n(x: float) -> str:
    out = f"{x:.1f}"
    return out[:-2] if out.endswith(".0") else out


def nice_top(high: float) -> tuple[float, float]:
    """The axis top and step: at most five steps of 1, 2, 2.5 or 5 times a power of ten."""
    if high <= 0:
        return 5.0, 1.0
    magnitude = 10.0 ** math.floor(math.log10(high / 5))
    for mantissa in (1, 2, 2.5, 5, 10):
        step = mantissa * magnitude
        if step * 5 >= high:
            return step * math.ceil(high / step), step
    return high, high / 5  # unreachable: ten times the magnitude is at least high / 5


def marker(shape: str, x: float, y: float, colour: str, tip: str) -> str:
    title = f"<title>{_esc(tip)}</title>"
    if shape == "square":
        return (
            f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{colour}">'
            f"{title}</rect>"
        )
    if shape == "triangle":
        points = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y + 4)} {_n(x - 5)},{_n(y + 4)}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    if shape == "diamond":
        points = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y)} {_n(x)},{_n(y + 6)} {_n(x - 6)},{_n(y)}"
        return (
            f'<polygon points="{points}" fill="#FFFFFF" stroke="{colour}" stroke-width="2">'
            f"{title}</polygon>"
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{colour}">{title}</circle>'


def legend_swatch(index: int) -> str:
    """A small picture of series ``index``'s line and marker, for an HTML legend."""
    colour, dash, shape = STYLES[index % len(STYLES)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="36" height="14" viewBox="0 0 36 14" '
        'aria-hidden="true" focusable="false">'
        f'<line x1="0" y1="7" x2="36" y2="7" stroke="{colour}" stroke-width="2.5"{dashed}/>'
        f"{marker(shape, 18, 7, colour, '')}</svg>"
    ).replace("<title></title>", "")


def line_chart_svg(
    *,
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[Series],
    tip: str = "{series} {label}: {value}",
    unit: str = "",
) -> str:
    """An inline ``<svg>`` with one line per series over ``labels`` (x axis)."""
    count = max(len(labels), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    high = max((v for s in series for v in s.values if v is not None), default=0.0)
    top, step = nice_top(float(high))

    def x_of(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / count)

    def y_of(v: float) -> float:
        return TOP + plot_h - plot_h * (v / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="measure-chart" '
        f'preserveAspectRatio="xMidYMid meet" font-family="sans-serif">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(summary)}</desc>',
    ]
    ticks = round(top / step)
    for k in range(ticks + 1):
        tick = step * k
        y = y_of(tick)
        out.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        text = _n(tick) + unit
        out.append(
            f'<text x="{LEFT - 6}" y="{_n(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="{_TEXT}">{_esc(text)}</text>'
        )
    every = max(1, -(-count // 9))  # at most nine labels under the axis
    for i, label in enumerate(labels):
        if i % every:
            continue
        out.append(
            f'<text x="{_n(x_of(i))}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12" fill="{_TEXT}">{_esc(label)}</text>'
        )
    for index, s in enumerate(series):
        colour, dash, shape = STYLES[index % len(STYLES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        points: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(s.values):
            if value is None:
                if points:
                    segments.append(points)
                points = []
                continue
            points.append(f"{_n(x_of(i))},{_n(y_of(float(value)))}")
        if points:
            segments.append(points)
        for segment in segments:
            if len(segment) > 1:
                out.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dashed}/>'
                )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            shown = _n(float(value)) + unit
            text = tip.format(series=s.name, label=labels[i], value=shown)
            out.append(marker(shape, x_of(i), y_of(float(value)), colour, text))
    out.append("</svg>")
    return "".join(out)
