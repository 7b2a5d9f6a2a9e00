"""The report as stored and shown: JSON form, exact counts with a capped sample, progress,
determinism, and the CSV export that is safe to open in Excel."""

from __future__ import annotations

import codecs
import json

import pytest

from machi.core.csv_files import safe_csv_bytes
from machi.core.csv_safety import neutralise_cell
from machi.opendata.table_schemas import schema_from_descriptor
from machi.opendata.validation import ValidationReport, read_table, validate_bytes

HEADER = "全国地方公共団体コード,ID,地方公共団体名,データ名称,データ形式,分類,最終更新日\n"


def _open_data(bad_dates: int, good: int = 5) -> bytes:
    rows = [f"242101,G{n},三重県亀山市,データ{n},CSV,観光,2024-04-01\n" for n in range(good)]
    rows += [
        f"242101,B{n},三重県亀山市,データ{n},CSV,観光,R6.4.{n % 28 + 1}\n" for n in range(bad_dates)
    ]
    return (HEADER + "".join(rows)).encode()


def test_report_summary_keys_and_json_round_trip() -> None:
    report = validate_bytes(_open_data(3), "open-data-list")
    data = report.to_dict()
    assert set(data) == {
        "version",
        "valid",
        "readable",
        "schema",
        "schema_title",
        "layout",
        "encoding",
        "has_bom",
        "size",
        "rows",
        "column_count",
        "columns",
        "headers",
        "counts",
        "by_code",
        "by_column",
        "problems",
        "limit_per_code",
        "truncated",
        "elapsed_ms",
    }
    assert data["counts"]["error"] == 3 and data["by_code"]["wareki-date"] == 3
    assert data["by_column"]["最終更新日"] == 3
    assert (data["rows"], data["column_count"], data["valid"]) == (8, 7, False)
    assert data["headers"][0] == {
        "index": 0,
        "header": "全国地方公共団体コード",
        "field": "全国地方公共団体コード",
        "kind": "exact",
        "target": None,
        "level": "recommended",
    }
    problem = data["problems"][-1]
    assert set(problem) == {
        "code",
        "severity",
        "row",
        "column",
        "value",
        "message_ja",
        "message_en",
        "fix_ja",
        "fix_en",
        "suggestion",
        "column_number",
        "field",
        "related_rows",
    }
    text = json.dumps(data, ensure_ascii=False)
    again = ValidationReport.from_dict(json.loads(text))
    assert again.to_dict() == data
    assert again.problems[0].suggestion == "2024-04-01"


def test_counts_are_exact_while_stored_problems_are_capped() -> None:
    report = validate_bytes(_open_data(30), "open-data-list", limit_per_code=10)
    assert report.by_code["wareki-date"] == 30
    assert report.counts["error"] == 30
    stored = report.problems_with("wareki-date")
    assert [p.row for p in stored] == list(range(7, 17))  # the first ten, in row order
    assert report.truncated and report.limit_per_code == 10
    full = validate_bytes(_open_data(30), "open-data-list")
    assert len(full.problems_with("wareki-date")) == 30 and not full.truncated


def test_the_same_file_gives_the_same_report() -> None:
    content = _open_data(12)
    first = validate_bytes(content).to_dict()
    second = validate_bytes(content).to_dict()
    first.pop("elapsed_ms")
    second.pop("elapsed_ms")
    assert first == second


def test_progress_is_reported_in_percent_up_to_100() -> None:
    seen: list[int] = []
    report = validate_bytes(_open_data(2), "open-data-list", progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen) and len(seen) >= 5
    assert report.elapsed_ms > 0
    failed: list[int] = []
    validate_bytes(b"\x89PNG\r\n\x1a\n", progress=failed.append)
    assert failed[0] == 0 and failed[-1] == 100


def test_a_custom_schema_can_be_passed_directly() -> None:
    schema = schema_from_descriptor(
        {
            "name": "custom",
            "fields": [
                {"name": "番号", "type": "integer", "constraints": {"required": True}},
                {"name": "日付", "type": "date"},
            ],
            "primaryKey": "番号",
        }
    )
    report = validate_bytes("番号,日付\n1,2024-04-01\n1,2024-13-01\n,\n".encode(), schema=schema)
    assert report.schema == "custom"
    assert {(p.code, p.row) for p in report.problems} == {
        ("duplicate-id", 3),
        ("type.date", 3),
        ("blank-row", 4),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+81-90-1234-5678", "'+81-90-1234-5678"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tX", "'\tX"),
        ("\r=1", "'\r=1"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("-12", "-12"),
        ("1e-5", "1e-5"),
        ("2024-04-01", "2024-04-01"),
        ("亀山市", "亀山市"),
        ("", ""),
    ],
)
def test_neutralise_cell(value: str, expected: str) -> None:
    assert neutralise_cell(value) == expected


def test_safe_csv_bytes_opens_in_excel_and_reads_back() -> None:
    content = safe_csv_bytes(
        [['=HYPERLINK("http://x")', "-1.5", "亀山, 本丸町"], [None, 3, "改行\nあり"]],
        ["名称", "値", "住所"],
    )
    assert content.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in content
    frame, encoding, has_bom = read_table(content)
    assert (encoding, has_bom) == ("utf-8", True)
    assert frame.row(0) == ('\'=HYPERLINK("http://x")', "-1.5", "亀山, 本丸町")
    assert frame.row(1) == (None, "3", "改行\nあり")
    assert not safe_csv_bytes([], ["a"], encoding="utf-8").startswith(codecs.BOM_UTF8)
