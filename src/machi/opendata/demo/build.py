"""Write the demo CSV files into ``data/``: ``python -m machi.opendata.demo.build``.

Files with a machi Table Schema get exactly the schema's columns, in its order; the others
use the column names of the 自治体標準オープンデータセット. Output is deterministic, so
re-running the build changes no byte unless the rows or a schema changed (a test checks
that the files in the package are what this module makes).

Most files are UTF-8 with a BOM and CRLF line ends, as Japanese Excel users expect;
``aed.csv`` is CP932 on purpose, and ``events-with-errors.csv`` holds the mistakes the
validator demo shows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from machi.core.csv_files import plain_csv_bytes
from machi.opendata.demo import rows as demo_rows
from machi.opendata.demo.rows import Row

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class DemoFile:
    source: str
    rows: Callable[[], list[Row]]
    schema_name: str = ""
    header: Sequence[str] = ()
    encoding: str = "utf-8-sig"


def schema_header(schema_name: str) -> list[str]:
    """The column names of a machi Table Schema, in order."""
    from machi.opendata.table_schemas import load_schema

    return load_schema(schema_name).field_names


def events_with_errors() -> list[Row]:
    """An update of the イベント一覧 with the mistakes people make in spreadsheets.

    * 開始日 written in 和暦 (令和8年6月6日) instead of an ISO date;
    * 全角 digits in 定員 (１００);
    * a 緯度 outside Japan (a stray digit: 134.8526…);
    * a 全国地方公共団体コード with a wrong check digit (242102);
    * an ID used twice (the added event copies the ID of the row above);
    * a 必須 value left empty (場所名称 of the added event).
    """
    rows = [dict(row) for row in demo_rows.events_whole_year()]
    by_name = {row["イベント名"]: row for row in rows}
    by_name["亀山公園 菖蒲まつり"]["開始日"] = "令和8年6月6日"
    by_name["市民健康ウォーキング 旧東海道を歩こう"]["定員"] = "１００"
    by_name["東海道関宿まつり"]["緯度"] = "134.852620"
    by_name["かめやまフードフェスタ"]["全国地方公共団体コード"] = "242102"
    added = dict(rows[-1])
    added.update(
        {
            "イベント名": "関宿 春の町並みウォーク",
            "イベント名_カナ": "セキジュクハルノマチナミウォーク",
            "イベント名_英語": "Sekijuku Spring Walk",
            "開始日": "2027-03-20",
            "終了日": "2027-03-20",
            "開始時間": "10:00",
            "終了時間": "15:00",
            "説明": "ボランティアガイドと宿場町を歩きます。",
            "料金(基本)": "0",
            "料金(詳細)": "",
            "場所名称": "",
            "URL": "https://www.city.kameyama.demo/event/20270320.html",
        }
    )
    rows.append(added)
    return rows


FILES: tuple[DemoFile, ...] = (
    DemoFile("public-facilities.csv", demo_rows.public_facilities, "public-facilities"),
    DemoFile("evacuation-sites.csv", demo_rows.evacuation_sites, "evacuation-sites"),
    DemoFile("aed.csv", demo_rows.aed, "aed", encoding="cp932"),
    DemoFile("public-toilets.csv", demo_rows.public_toilets, "public-toilets"),
    DemoFile("childcare-facilities.csv", demo_rows.childcare_facilities, "childcare-facilities"),
    DemoFile("events-2026-04.csv", demo_rows.events_first_half, "events"),
    DemoFile("events-2026-10.csv", demo_rows.events_whole_year, "events"),
    DemoFile("events-with-errors.csv", events_with_errors, "events"),
    DemoFile(
        "population-by-town.csv",
        demo_rows.population_by_town,
        header=demo_rows.POPULATION_HEADER,
    ),
    DemoFile(
        "tourist-facilities.csv", demo_rows.tourist_facilities, header=demo_rows.TOURIST_HEADER
    ),
    DemoFile(
        "cultural-properties.csv",
        demo_rows.cultural_properties,
        header=demo_rows.CULTURAL_HEADER,
    ),
    DemoFile("garbage-sorting.csv", demo_rows.garbage_sorting, header=demo_rows.GARBAGE_HEADER),
    DemoFile(
        "medical-institutions.csv",
        demo_rows.medical_institutions,
        header=demo_rows.MEDICAL_HEADER,
    ),
    DemoFile("public-wifi.csv", demo_rows.public_wifi, header=demo_rows.WIFI_HEADER),
    DemoFile(
        "general-account-budget.csv",
        demo_rows.general_account_budget,
        header=demo_rows.BUDGET_HEADER,
    ),
)


def header_of(demo_file: DemoFile) -> list[str]:
    return schema_header(demo_file.schema_name) if demo_file.schema_name else list(demo_file.header)


def unknown_columns(demo_file: DemoFile) -> set[str]:
    """Keys of the rows that the file's columns leave out (a misspelt name, usually)."""
    header = set(header_of(demo_file))
    return {key for row in demo_file.rows() for key in row if key not in header}


def render(demo_file: DemoFile) -> bytes:
    header = header_of(demo_file)
    rows = [[row.get(column, "") for column in header] for row in demo_file.rows()]
    return plain_csv_bytes(rows, header, encoding=demo_file.encoding)


def build(directory: Path = DATA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for demo_file in FILES:
        path = directory / demo_file.source
        path.write_bytes(render(demo_file))
        written.append(path)
    return written


def main() -> None:
    for demo_file in FILES:
        left_out = unknown_columns(demo_file)
        if left_out:
            sys.stderr.write(f"{demo_file.source}: not in the header: {sorted(left_out)}\n")
    for path in build():
        sys.stdout.write(f"{path.name}\n")


if __name__ == "__main__":
    main()
