"""Property tests: whatever is uploaded, the validator answers with a report, never an
exception, and the report is consistent with itself."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from machi.opendata.table_schemas import CURRENT_FIRST_HEADERS, detect_layout, normalise_header
from machi.opendata.validation import ValidationReport, validate_bytes

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cells = st.text(
    alphabet=st.sampled_from(
        list('0123456789０１２３４５６７８９abcR.-/:, "\n\r\t　 亀山㈱①～〜令和年月日ｶﾒﾔﾏカメヤマ')
    ),
    max_size=12,
)


def _check(report: ValidationReport) -> None:
    data = report.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert report.valid == (report.readable and data["counts"]["error"] == 0)
    assert sum(data["counts"].values()) == sum(data["by_code"].values())
    for problem in report.problems:
        assert problem.row is None or problem.row >= 1
        assert problem.message_ja and problem.message_en


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(content: bytes) -> None:
    _check(validate_bytes(content))


@SETTINGS
@given(
    st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
    st.sampled_from([None, "public-toilets", "evacuation-sites", "open-data-list"]),
)
def test_arbitrary_csv_text_never_raises(
    rows: list[list[str]], encoding: str, schema: str | None
) -> None:
    text = "\n".join(",".join(row) for row in rows)
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    _check(validate_bytes(content, schema))


@SETTINGS
@given(st.lists(cells, min_size=2, max_size=8), st.lists(st.lists(cells, max_size=8), max_size=5))
def test_standard_headers_with_arbitrary_cells(extra: list[str], rows: list[list[str]]) -> None:
    header = [*CURRENT_FIRST_HEADERS, "名称", "設置位置", "緯度", *extra]
    lines = [",".join(f'"{h}"' for h in header)]
    lines += [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    report = validate_bytes("\r\n".join(lines).encode())
    _check(report)
    assert report.readable


@SETTINGS
@given(st.lists(st.text(max_size=15), max_size=10))
def test_header_normalisation_and_detection_never_raise(headers: list[str]) -> None:
    for header in headers:
        key = normalise_header(header)
        assert normalise_header(key) == key  # a key is its own key
    detect_layout(headers)


plain_cells = st.text(alphabet=st.sampled_from(list("ab1２亀 ㈱")), max_size=4)


@SETTINGS
@given(
    st.lists(st.lists(plain_cells, min_size=1, max_size=5), min_size=2, max_size=10),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.booleans(),
)
def test_fast_ragged_rows_agree_with_the_csv_module(
    rows: list[list[str]], newline: str, final_newline: bool, quote_some: bool
) -> None:
    header = [f"h{n}" for n in range(3)]
    lines = [",".join(header)]
    for row in rows:
        cells = [f'"{c}"' if quote_some and n % 2 else c for n, c in enumerate(row)]
        lines.append(",".join(cells))
    text = newline.join(lines) + (newline if final_newline else "")
    report = validate_bytes(text.encode())
    expected = [
        (number, str(len(record)))
        for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
        if number > 1 and record and len(record) != len(header)
    ]
    found = [(p.row, p.value) for p in report.problems if p.code == "ragged-row"]
    assert found == expected
