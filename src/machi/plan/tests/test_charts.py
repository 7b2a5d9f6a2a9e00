"""Tests for machi.plan.charts (KPI line charts as inline SVG)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from machi.plan.charts import (
    ChartLabels,
    ChartPoint,
    KPIChart,
    format_number,
    kpi_chart_svg,
    nice_axis,
)

NS = "{http://www.w3.org/2000/svg}"


def reiwa(year: int) -> str:
    return f"令和{year - 2018}年度"


LABELS = ChartLabels(
    baseline="基準値",
    actual="実績",
    target="目標",
    fiscal_year=reiwa,
    summary="令和3年度の基準値40%から令和5年度は61.2%。目標は令和8年度に100%。",
)


def make_chart(
    *,
    title: str = "マイナンバーカード交付率",
    unit: str = "%",
    first: int = 2022,
    last: int = 2026,
    baseline: ChartPoint | None = None,
    actuals: tuple[ChartPoint, ...] = (),
    targets: tuple[ChartPoint, ...] = (),
    labels: ChartLabels = LABELS,
) -> KPIChart:
    return KPIChart(
        title=title,
        unit=unit,
        first_fiscal_year=first,
        last_fiscal_year=last,
        baseline=baseline,
        actuals=actuals,
        targets=targets,
        labels=labels,
    )


def pt(year: int, value: str) -> ChartPoint:
    return ChartPoint(fiscal_year=year, value=Decimal(value))


TYPICAL = make_chart(
    baseline=pt(2021, "40.0"),
    actuals=(pt(2022, "52.5"), pt(2023, "61.20")),
    targets=(pt(2022, "50"), pt(2024, "75"), pt(2026, "100.0")),
)


def parse(svg: str) -> ET.Element:
    # The input is this module's own output, not untrusted XML.
    return ET.fromstring(svg)  # noqa: S314


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(n) for n in root.attrib["viewBox"].split())
    return x, y, w, h


def group(root: ET.Element, name: str) -> ET.Element:
    found = root.find(f"{NS}g[@class='kpi-chart__{name}']")
    assert found is not None, name
    return found


def points_of(root: ET.Element, kind: str) -> list[ET.Element]:
    return [el for el in root.iter() if el.get("class") == f"kpi-chart__{kind}-point"]


def tick_values(root: ET.Element, unit: str) -> list[Decimal]:
    texts = [el.text or "" for el in group(root, "y-axis").iter(f"{NS}text")]
    return [Decimal(t.removesuffix(unit).replace(",", "")) for t in texts]


def x_labels(root: ET.Element) -> list[str]:
    return [el.text or "" for el in group(root, "x-axis").iter(f"{NS}text")]


def is_nice_step(step: Decimal) -> bool:
    mantissa = step.scaleb(-step.adjusted()).normalize()
    return mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}


# --- the document --------------------------------------------------------------------------


def test_output_is_well_formed_svg_with_an_accessible_name() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="kpi-42"))

    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("class") == "kpi-chart"
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    assert root.get("aria-labelledby") == "kpi-42-title kpi-42-desc"
    assert "width" not in root.attrib
    assert "height" not in root.attrib
    assert view_box(root)[2] == 640

    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None
    assert desc is not None
    assert title.get("id") == "kpi-42-title"
    assert title.text == "マイナンバーカード交付率"
    assert desc.get("id") == "kpi-42-desc"
    assert desc.text == LABELS.summary
    # The title and desc come first so that they name the image.
    assert list(root)[:2] == [title, desc]


def test_no_scripts_styles_or_style_attributes() -> None:
    svg = kpi_chart_svg(TYPICAL, chart_id="c")
    root = parse(svg)
    tags = {el.tag.removeprefix(NS) for el in root.iter()}
    assert not tags & {"script", "style", "foreignObject", "image", "a"}
    assert all("style" not in el.attrib for el in root.iter())
    assert all(not name.startswith("on") for el in root.iter() for name in el.attrib)
    assert "@import" not in svg


def test_decorations_are_hidden_from_assistive_technology() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    for name in ("grid", "y-axis", "x-axis"):
        assert group(root, name).get("aria-hidden") == "true"


def test_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script>&"\'</svg>'
    labels = ChartLabels(
        baseline="<b>基準</b>",
        actual="実績&",
        target='目標"',
        fiscal_year=lambda year: f"<{year}>",
        summary="<desc>&amp;",
    )
    chart = make_chart(
        title=nasty,
        unit="<u>",
        labels=labels,
        baseline=pt(2021, "1"),
        actuals=(pt(2022, "2"),),
        targets=(pt(2023, "3"),),
    )
    svg = kpi_chart_svg(chart, chart_id="c")

    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None
    assert desc is not None
    assert title.text == nasty
    assert desc.text == "<desc>&amp;"
    assert "<2022>" in x_labels(root)
    tooltips = [t.text for el in points_of(root, "actual") for t in el.iter(f"{NS}title")]
    assert tooltips == ["<2022> 実績&: 2<u>"]
    assert not [el for el in root.iter() if el.tag in {f"{NS}script", f"{NS}b", f"{NS}u"}]


def test_characters_xml_cannot_carry_are_dropped() -> None:
    chart = make_chart(title="A\x00B\x0bC\ud800D", actuals=(pt(2022, "1"),))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    title = root.find(f"{NS}title")
    assert title is not None
    assert title.text == "ABCD"


@pytest.mark.parametrize(
    "bad",
    ["", "1chart", "-x", "a b", 'a"b', "a<b", "kpi\n", "ä", "a.b", "a:b"],
)
def test_invalid_chart_id_raises(bad: str) -> None:
    with pytest.raises(ValueError, match="chart_id"):
        kpi_chart_svg(TYPICAL, chart_id=bad)


@pytest.mark.parametrize("good", ["a", "Z9", "kpi-chart_3", "k--"])
def test_valid_chart_ids(good: str) -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id=good))
    assert root.get("aria-labelledby") == f"{good}-title {good}-desc"


def test_period_that_ends_before_it_starts_raises() -> None:
    with pytest.raises(ValueError, match="last_fiscal_year"):
        kpi_chart_svg(make_chart(first=2026, last=2022), chart_id="c")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_values_raise(value: str) -> None:
    chart = make_chart(actuals=(ChartPoint(2022, Decimal(value)),))
    with pytest.raises(ValueError, match="finite"):
        kpi_chart_svg(chart, chart_id="c")


def test_output_is_deterministic() -> None:
    assert kpi_chart_svg(TYPICAL, chart_id="c") == kpi_chart_svg(TYPICAL, chart_id="c")
    shuffled = make_chart(
        baseline=TYPICAL.baseline,
        actuals=tuple(reversed(TYPICAL.actuals)),
        targets=tuple(reversed(TYPICAL.targets)),
    )
    assert kpi_chart_svg(shuffled, chart_id="c") == kpi_chart_svg(TYPICAL, chart_id="c")


def test_coordinates_have_at_most_one_decimal() -> None:
    svg = kpi_chart_svg(TYPICAL, chart_id="c")
    assert not re.search(r"\d\.\d{2,}", svg.replace(LABELS.summary, ""))


# --- series --------------------------------------------------------------------------------


def test_one_marker_per_point_with_exact_figures() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))

    actuals = points_of(root, "actual")
    targets = points_of(root, "target")
    baselines = points_of(root, "baseline")
    assert len(actuals) == len(TYPICAL.actuals)
    assert len(targets) == len(TYPICAL.targets)
    assert len(baselines) == 1

    def tooltip(el: ET.Element) -> str:
        title = el.find(f"{NS}title")
        assert title is not None
        return title.text or ""

    assert [tooltip(el) for el in actuals] == ["令和4年度 実績: 52.5%", "令和5年度 実績: 61.2%"]
    assert [tooltip(el) for el in targets] == [
        "令和4年度 目標: 50%",
        "令和6年度 目標: 75%",
        "令和8年度 目標: 100%",
    ]
    assert tooltip(baselines[0]) == "令和3年度 基準値: 40%"


def test_an_english_chart_marks_japanese_content_and_glosses_the_unit() -> None:
    """On an English page the caller marks the KPI's Japanese name and unit (content staff
    wrote) and glosses the unit in the tooltips; the chart's own text stays unmarked."""
    labels = ChartLabels(
        baseline="Baseline",
        actual="Actual",
        target="Target",
        fiscal_year=lambda year: f"FY{year}",
        summary="Target 600,000 (枚) in FY2026.",
        figure=lambda value: f"{format_number(value)} (枚)",
        lang_of=lambda text: "ja" if re.search("[\u3041-\u9fff]", text) else "",
    )
    chart = make_chart(title="紙の使用量", unit="枚", targets=(pt(2026, "600000"),), labels=labels)
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    title = root.find(f"{NS}title")
    assert title is not None and title.get("lang") == "ja"
    ticks = list(group(root, "y-axis").iter(f"{NS}text"))
    assert ticks and all(t.get("lang") == "ja" and (t.text or "").endswith("枚") for t in ticks)
    assert [el.get("lang") for el in group(root, "x-axis").iter(f"{NS}text")] == [None] * 5
    tooltip = points_of(root, "target")[0].find(f"{NS}title")
    assert tooltip is not None and tooltip.text == "FY2026 Target: 600,000 (枚)"
    assert tooltip.get("lang") is None
    # Without the hooks (a Japanese page) nothing is marked.
    plain = parse(kpi_chart_svg(make_chart(unit="枚", targets=(pt(2026, "5"),)), chart_id="c"))
    assert all(el.get("lang") is None for el in plain.iter())


def test_series_are_told_apart_without_colour() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    shapes = {kind: {el.tag for el in points_of(root, kind)} for kind in ("actual", "target")}
    shapes["baseline"] = {el.tag for el in points_of(root, "baseline")}
    assert len({tag for tags in shapes.values() for tag in tags}) == 3  # three marker shapes
    # Targets are hollow, actuals filled.
    assert all(el.get("fill") == "#FFFFFF" for el in points_of(root, "target"))
    assert all(el.get("fill") != "#FFFFFF" for el in points_of(root, "actual"))

    lines = group(root, "series").findall(f"{NS}polyline")
    assert len(lines) == 2
    target_line, actual_line = lines
    assert target_line.get("stroke-dasharray")
    assert actual_line.get("stroke-dasharray") is None


def test_baseline_is_the_first_point_of_the_actual_line() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    actual_line = group(root, "series").findall(f"{NS}polyline")[1]
    coords = actual_line.get("points", "").split()
    assert len(coords) == 1 + len(TYPICAL.actuals)
    base = points_of(root, "baseline")[0]
    bx = float(base.get("x", "0")) + float(base.get("width", "0")) / 2
    by = float(base.get("y", "0")) + float(base.get("height", "0")) / 2
    first_x, first_y = (float(n) for n in coords[0].split(","))
    assert (first_x, first_y) == pytest.approx((bx, by), abs=0.11)


def test_legend_names_each_series() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    texts = [el.text for el in group(root, "legend").iter(f"{NS}text")]
    assert texts == ["基準値", "実績", "目標"]

    without_baseline = make_chart(actuals=(pt(2022, "1"),))
    root = parse(kpi_chart_svg(without_baseline, chart_id="c"))
    assert [el.text for el in group(root, "legend").iter(f"{NS}text")] == ["実績", "目標"]


def test_fonts_are_readable() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    sizes = [float(el.get("font-size", "0")) for el in root.iter() if el.get("font-size")]
    assert sizes
    assert min(sizes) >= 11


# --- axes ----------------------------------------------------------------------------------


def test_one_slot_per_fiscal_year_of_the_period() -> None:
    chart = make_chart(actuals=(pt(2022, "1"),))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    assert x_labels(root) == [reiwa(year) for year in range(2022, 2027)]


def test_baseline_before_the_period_adds_a_slot() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    assert x_labels(root) == [reiwa(year) for year in range(2021, 2027)]

    inside = make_chart(baseline=pt(2022, "40"), actuals=(pt(2023, "50"),))
    root = parse(kpi_chart_svg(inside, chart_id="c"))
    assert x_labels(root) == [reiwa(year) for year in range(2022, 2027)]


def test_many_years_thin_the_labels_but_keep_every_slot() -> None:
    chart = make_chart(first=2000, last=2039, actuals=(pt(2000, "1"), pt(2039, "2")))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    labels = x_labels(root)
    assert reiwa(2000) in labels
    assert 1 < len(labels) < 40
    actuals = points_of(root, "actual")
    assert float(actuals[0].get("cx", "0")) < float(actuals[1].get("cx", "0"))


def test_y_axis_covers_the_largest_value_with_a_nice_maximum() -> None:
    root = parse(kpi_chart_svg(TYPICAL, chart_id="c"))
    ticks = tick_values(root, "%")
    assert ticks[0] == 0
    assert ticks[-1] >= Decimal(100)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    assert is_nice_step(steps.pop())
    assert 4 <= len(ticks) <= 6


def test_large_values_get_thousands_separators_on_the_axis() -> None:
    chart = make_chart(unit="件", actuals=(pt(2022, "12345"),))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    texts = [el.text or "" for el in group(root, "y-axis").iter(f"{NS}text")]
    assert texts == ["0件", "2,500件", "5,000件", "7,500件", "10,000件", "12,500件"]
    assert tick_values(root, "件")[-1] >= Decimal(12345)


def test_all_zero_series() -> None:
    chart = make_chart(
        baseline=pt(2022, "0"), actuals=(pt(2023, "0"), pt(2024, "0.00")), targets=(pt(2026, "0"),)
    )
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    ticks = tick_values(root, "%")
    assert ticks[0] == 0
    assert ticks[-1] > 0
    assert len(points_of(root, "actual")) == 2


def test_no_points_at_all() -> None:
    root = parse(kpi_chart_svg(make_chart(), chart_id="c"))
    assert points_of(root, "actual") == []
    assert points_of(root, "target") == []
    assert group(root, "series").findall(f"{NS}polyline") == []
    assert tick_values(root, "%")[0] == 0


def test_single_point_series() -> None:
    chart = make_chart(first=2024, last=2024, actuals=(pt(2024, "3.14"),))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    assert x_labels(root) == [reiwa(2024)]
    assert len(points_of(root, "actual")) == 1
    assert group(root, "series").findall(f"{NS}polyline") == []
    assert tick_values(root, "%")[-1] >= Decimal("3.14")


def test_negative_values_extend_the_axis_below_zero() -> None:
    chart = make_chart(unit="人", actuals=(pt(2022, "-120"), pt(2023, "35")))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    ticks = tick_values(root, "人")
    assert ticks[0] <= Decimal(-120)
    assert ticks[-1] >= Decimal(35)
    assert Decimal(0) in ticks


def test_points_outside_the_period_are_not_dropped() -> None:
    chart = make_chart(first=2022, last=2024, actuals=(pt(2025, "5"),))
    root = parse(kpi_chart_svg(chart, chart_id="c"))
    assert x_labels(root)[-1] == reiwa(2025)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("0", "61.2", ("0", "80", "20")),
        ("0", "100", ("0", "100", "20")),
        ("0", "0", ("0", "5", "1")),
        ("0", "1", ("0", "1", "0.2")),
        ("0", "0.003", ("0", "0.003", "0.001")),
        ("0", "12345", ("0", "12500", "2500")),
        ("-3", "7", ("-5", "7.5", "2.5")),
        ("5", "9", ("0", "10", "2")),
    ],
)
def test_nice_axis(low: str, high: str, expected: tuple[str, str, str]) -> None:
    assert nice_axis(Decimal(low), Decimal(high)) == tuple(Decimal(n) for n in expected)


# --- format_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("61.20", "61.2"),
        ("100.0", "100"),
        ("100", "100"),
        ("0", "0"),
        ("0.00", "0"),
        ("-0", "0"),
        ("0E+3", "0"),
        ("1E+2", "100"),
        ("999", "999"),
        ("1000", "1,000"),
        ("12345", "12,345"),
        ("1234567.50", "1,234,567.5"),
        ("0.05", "0.05"),
        ("-1234.5", "-1,234.5"),
        ("2.5E+6", "2,500,000"),
    ],
)
def test_format_number(value: str, expected: str) -> None:
    assert format_number(Decimal(value)) == expected


def test_format_number_rejects_non_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        format_number(Decimal("NaN"))


# --- property ------------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def charts(draw: st.DrawFn) -> KPIChart:
    first = draw(st.integers(min_value=2015, max_value=2030))
    last = first + draw(st.integers(min_value=0, max_value=10))
    years = st.integers(min_value=first, max_value=last)

    def series() -> tuple[ChartPoint, ...]:
        chosen = draw(st.lists(years, unique=True, max_size=last - first + 1))
        return tuple(ChartPoint(year, draw(values)) for year in chosen)

    baseline = draw(
        st.none() | st.builds(ChartPoint, st.integers(first - 5, first), values),
    )
    return make_chart(first=first, last=last, baseline=baseline, actuals=series(), targets=series())


def plotted_ys(root: ET.Element) -> list[float]:
    ys: list[float] = []
    series = group(root, "series")
    for el in series.iter():
        tag = el.tag.removeprefix(NS)
        if tag == "circle":
            ys.append(float(el.get("cy", "nan")))
        elif tag == "rect":
            y, h = float(el.get("y", "nan")), float(el.get("height", "nan"))
            ys += [y, y + h]
        elif tag in {"polyline", "polygon"}:
            ys += [float(pair.split(",")[1]) for pair in el.get("points", "").split()]
    return ys


@settings(database=None, deadline=None, max_examples=150)
@given(charts())
def test_random_series_stay_inside_the_view_box(chart: KPIChart) -> None:
    root = parse(kpi_chart_svg(chart, chart_id="prop"))
    _, _, width, height = view_box(root)

    ys = plotted_ys(root)
    assert all(0 <= y <= height for y in ys)
    n_actual, n_target = len(chart.actuals), len(chart.targets)
    assert len(points_of(root, "actual")) == n_actual
    assert len(points_of(root, "target")) == n_target

    xs = [float(el.get("cx", "nan")) for el in points_of(root, "actual")]
    assert all(0 <= x <= width for x in xs)

    largest = max(
        [p.value for p in (*chart.actuals, *chart.targets)]
        + ([chart.baseline.value] if chart.baseline else [])
        + [Decimal(0)]
    )
    assert tick_values(root, chart.unit)[-1] >= largest
