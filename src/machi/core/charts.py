"""Small bar charts as inline SVG with a title and a description; pages always show the
same figures in a table beside them (charts are never the only way to read a number)."""

from __future__ import annotations

import html


def bar_chart_svg(
    labels: list[str], values: list[int], *, titles: list[str], title: str, summary: str, ident: str
) -> str:
    """Bars with a short label under each and a tooltip title (``titles``) per bar."""
    width, height, left, bottom, top = 640, 240, 44, 28, 12
    peak = max(values, default=0) or 1
    step = (width - left - 8) / max(len(labels), 1)
    bars = []
    for index, (label, value, tip) in enumerate(zip(labels, values, titles, strict=True)):
        bar_height = (height - bottom - top) * value / peak
        x = left + index * step + step * 0.15
        y = height - bottom - bar_height
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{bar_height:.1f}" '
            f'fill="#0031d8"><title>{html.escape(tip)}: {value}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="#333">{html.escape(label)}</text>'
        )
    axis = (
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" '
        f'stroke="#666"/><text x="{left - 6}" y="{top + 10}" font-size="11" text-anchor="end" '
        f'fill="#333">{peak}</text><text x="{left - 6}" y="{height - bottom}" font-size="11" '
        f'text-anchor="end" fill="#333">0</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="stats-chart">'
        f'<title id="{ident}-title">{html.escape(title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(summary)}</desc>{axis}{"".join(bars)}</svg>'
    )
