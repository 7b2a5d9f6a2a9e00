"""Every check the validator makes, with the row, column, value and fix a user sees.

Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import frictionless
import pytest

from machi.opendata.table_schemas import load_schema, schema_from_descriptor
from machi.opendata.validation import CODES, Problem, ValidationReport, validate_bytes

DATA = Path(__file__).parent / "data" / "validation"


def _fixture_row() -> dict[str, str]:
    text = (DATA / "public-toilets-current.csv").read_bytes().decode("utf-8-sig")
    return next(csv.DictReader(io.StringIO(text)))


BASE: dict[str, dict[str, str]] = {
    "public-toilets": _fixture_row(),
    "open-data-list": {
        "全国地方公共団体コード": "242101",
        "ID": "OD0001",
        "地方公共団体名": "三重県亀山市",
        "データ名称": "公衆トイレ一覧",
        "データ概要": "市内の公衆トイレ",
        "データ形式": "CSV",
        "分類": "観光",
        "更新頻度": "年1回",
        "URL": "https://www.city.kameyama.mie.jp/",
        "API対応有無": "無",
        "ライセンス": "CC BY 4.0",
        "登録日": "2024-04-01",
        "最終更新日": "2024-04-01",
        "備考": "",
    },
    "evacuation-sites": {
        "全国地方公共団体コード": "242101",
        "ID": "E0001",
        "地方公共団体名": "三重県亀山市",
        "名称": "亀山市役所",
        "名称_カナ": "カメヤマシヤクショ",
        "名称_英字": "Kameyama City Hall",
        "所在地_全国地方公共団体コード": "242101",
        "所在地_連結表記": "三重県亀山市本丸町577",
        "所在地_都道府県": "三重県",
        "所在地_市区町村": "亀山市",
        "所在地_町字": "本丸町",
        "所在地_番地以下": "577",
        "緯度": "34.855714",
        "経度": "136.451728",
        "電話番号": "0595-82-1111",
        "連絡先メールアドレス": "bousai@example.lg.jp",
        "郵便番号": "5198501",
        "市区町村コード": "242101",
        "災害種別_地震": "1",
        "災害種別_大規模な火事": "1",
        "指定避難所との重複": "1",
        "想定収容人数": "810",
        "対象となる町会・自治会": "本丸町;西丸町",
        "URL": "https://www.city.kameyama.mie.jp/",
        "画像": "https://www.city.kameyama.mie.jp/hall.jpg",
        "画像_ライセンス": "CC BY 4.0",
    },
    "public-facilities": {
        "全国地方公共団体コード": "242101",
        "ID": "PF0001",
        "地方公共団体名": "三重県亀山市",
        "名称": "亀山市役所",
        "名称_カナ": "カメヤマシヤクショ",
        "名称_英語": "Kameyama City Hall",
        "所在地_全国地方公共団体コード": "242101",
        "所在地_連結表記": "三重県亀山市本丸町577",
        "所在地_都道府県": "三重県",
        "所在地_市区町村": "亀山市",
        "所在地_町字": "本丸町",
        "所在地_番地以下": "577",
        "緯度": "34.855714",
        "経度": "136.451728",
        "電話番号": "0595-82-1111",
        "法人番号": "9000020242101",
        "開始時間": "08:30",
        "終了時間": "17:15",
        "画像": "https://www.city.kameyama.mie.jp/hall.jpg",
        "画像_ライセンス": "CC BY 4.0",
    },
}


def make_csv(
    schema_name: str,
    *rows: dict[str, str],
    drop: tuple[str, ...] = (),
    rename: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
    order: list[str] | None = None,
) -> bytes:
    """A valid first row, then ``rows`` (changes to that valid row), as UTF-8 CSV."""
    rename = rename or {}
    names = order or [n for n in load_schema(schema_name).field_names if n not in drop]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([rename.get(n, n) for n in names] + list(extra))
    base = BASE[schema_name]
    for number, change in enumerate(({}, *rows), start=1):
        record = {**base, "ID": f"{base['ID']}-{number}", **change}
        writer.writerow([record.get(n, "") for n in names] + [record.get(e, "") for e in extra])
    return buffer.getvalue().encode()


def only(report: ValidationReport, code: str) -> Problem:
    found = report.problems_with(code)
    assert len(found) == 1, (code, report.by_code)
    return found[0]


@pytest.mark.parametrize("name", sorted(BASE))
def test_the_valid_rows_have_no_problem(name: str) -> None:
    report = validate_bytes(make_csv(name, {}), name)
    assert report.valid and report.problems == [], report.by_code
    assert (report.schema, report.layout, report.rows) == (name, "current", 2)


# (schema, change to row 3, code, column, severity, suggestion)
CELL_CASES: list[tuple[str, dict[str, str], str, str, str, str | None]] = [
    ("open-data-list", {"最終更新日": "2023-02-30"}, "type.date", "最終更新日", "error", None),
    (
        "open-data-list",
        {"最終更新日": "2023/4/1"},
        "type.date",
        "最終更新日",
        "error",
        "2023-04-01",
    ),
    ("open-data-list", {"登録日": "令和5年4月1日"}, "wareki-date", "登録日", "error", "2023-04-01"),
    ("open-data-list", {"登録日": "R6.4.1"}, "wareki-date", "登録日", "error", "2024-04-01"),
    ("open-data-list", {"登録日": "H31.4.30"}, "wareki-date", "登録日", "error", "2019-04-30"),
    (
        "open-data-list",
        {"登録日": "令和元年5月1日"},
        "wareki-date",
        "登録日",
        "error",
        "2019-05-01",
    ),
    ("open-data-list", {"登録日": "44698"}, "excel-serial-date", "登録日", "error", "2022-05-17"),
    (
        "open-data-list",
        {"登録日": "２０２４－０４－０１"},
        "fullwidth-digits",
        "登録日",
        "error",
        "2024-04-01",
    ),
    ("open-data-list", {"API対応有無": "あり"}, "constraint.enum", "API対応有無", "error", "有"),
    (
        "open-data-list",
        {"URL": "www.city.kameyama.mie.jp"},
        "format.uri",
        "URL",
        "error",
        "https://www.city.kameyama.mie.jp",
    ),
    ("open-data-list", {"データ名称": ""}, "required.missing", "データ名称", "error", None),
    ("open-data-list", {"分類": "  "}, "required.missing", "分類", "error", None),
    ("public-toilets", {"利用開始時間": "9:00"}, "type.time", "利用開始時間", "error", "09:00"),
    ("public-toilets", {"利用終了時間": "17時"}, "type.time", "利用終了時間", "error", "17:00"),
    ("public-toilets", {"利用開始時間": "0.375"}, "type.time", "利用開始時間", "error", "09:00"),
    ("public-toilets", {"利用終了時間": "24:00"}, "type.time", "利用終了時間", "error", None),
    (
        "public-toilets",
        {"利用開始時間": "９:３０"},
        "fullwidth-digits",
        "利用開始時間",
        "error",
        "09:30",
    ),
    ("public-toilets", {"男性トイレ総数": "abc"}, "type.integer", "男性トイレ総数", "error", None),
    ("public-toilets", {"男性トイレ総数": "3基"}, "type.integer", "男性トイレ総数", "error", "3"),
    (
        "public-toilets",
        {"女性トイレ総数": "1,200"},
        "type.integer",
        "女性トイレ総数",
        "error",
        "1200",
    ),
    (
        "public-toilets",
        {"男女共用トイレ総数": "１２３"},
        "fullwidth-digits",
        "男女共用トイレ総数",
        "error",
        "123",
    ),
    (
        "public-toilets",
        {"バリアフリートイレ数": "-1"},
        "constraint.minimum",
        "バリアフリートイレ数",
        "error",
        None,
    ),
    ("public-toilets", {"緯度": "３４．８５６"}, "fullwidth-digits", "緯度", "error", "34.856"),
    ("public-toilets", {"高度の値": "一階"}, "type.number", "高度の値", "error", None),
    ("public-toilets", {"緯度": "4.85"}, "latitude.range", "緯度", "error", None),
    ("public-toilets", {"経度": "200"}, "longitude.range", "経度", "error", None),
    ("public-toilets", {"設置位置": ""}, "required.missing", "設置位置", "error", None),
    (
        "public-toilets",
        {"車椅子使用者用トイレ有無": "○"},
        "constraint.enum",
        "車椅子使用者用トイレ有無",
        "error",
        "有",
    ),
    (
        "public-toilets",
        {"名称_カナ": "ｶﾒﾔﾏｴｷ"},
        "kana.halfwidth",
        "名称_カナ",
        "warning",
        "カメヤマエキ",
    ),
    (
        "public-toilets",
        {"名称_カナ": "かめやまえき"},
        "kana.invalid",
        "名称_カナ",
        "warning",
        "カメヤマエキ",
    ),
    ("public-toilets", {"名称_カナ": "ＪＲ加太駅舎"}, "kana.invalid", "名称_カナ", "warning", None),
    ("public-toilets", {"ID": "No.1"}, "constraint.pattern", "ID", "error", None),
    ("public-toilets", {"ID": "ＡＢＣ"}, "constraint.pattern", "ID", "error", "ABC"),
    ("public-toilets", {"ID": "Ａ１"}, "fullwidth-digits", "ID", "error", "A1"),
    (
        "public-toilets",
        {"名称": "㈱亀山駅前トイレ"},
        "platform-char",
        "名称",
        "warning",
        "(株)亀山駅前トイレ",
    ),
    (
        "public-toilets",
        {"利用可能時間特記事項": "9:00～17:00"},
        "platform-char",
        "利用可能時間特記事項",
        "warning",
        "9:00から17:00",
    ),
    ("public-toilets", {"備考": "①正面"}, "platform-char", "備考", "warning", "(1)正面"),
    ("public-toilets", {"備考": " 正面 "}, "whitespace", "備考", "info", "正面"),
    (
        "public-toilets",
        {"備考": '=HYPERLINK("http://evil.example","詳細")'},
        "formula-cell",
        "備考",
        "warning",
        '\'=HYPERLINK("http://evil.example","詳細")',
    ),
    ("public-toilets", {"備考": "令和5年4月1日"}, "wareki-date", "備考", "warning", "2023-04-01"),
    ("public-toilets", {"備考": "１２３"}, "fullwidth-digits", "備考", "warning", "123"),
    (
        "public-toilets",
        {"全国地方公共団体コード": "242100"},
        "localgov-code.check-digit",
        "全国地方公共団体コード",
        "error",
        None,
    ),
    (
        "public-toilets",
        {"所在地_全国地方公共団体コード": "92011"},
        "localgov-code.leading-zero",
        "所在地_全国地方公共団体コード",
        "error",
        "092011",
    ),
    (
        "public-toilets",
        {"全国地方公共団体コード": "24210A"},
        "localgov-code.format",
        "全国地方公共団体コード",
        "error",
        None,
    ),
    (
        "public-toilets",
        {"全国地方公共団体コード": "２４２１０１"},
        "fullwidth-digits",
        "全国地方公共団体コード",
        "error",
        "242101",
    ),
    (
        "public-facilities",
        {"法人番号": "1000020242101"},
        "corporate-number.check-digit",
        "法人番号",
        "error",
        None,
    ),
    (
        "public-facilities",
        {"法人番号": "900002024210"},
        "corporate-number.format",
        "法人番号",
        "error",
        None,
    ),
    ("public-facilities", {"電話番号": "0595-82"}, "phone.format", "電話番号", "warning", None),
    # Well shaped, but 021 is not an allocated 市外局番.
    (
        "public-facilities",
        {"電話番号": "021-123-4567"},
        "phone.format",
        "電話番号",
        "warning",
        None,
    ),
    (
        "public-facilities",
        {"電話番号": "０５９５－８２－１１１１"},
        "fullwidth-digits",
        "電話番号",
        "warning",
        "0595-82-1111",
    ),
    (
        "evacuation-sites",
        {"郵便番号": "519-8501"},
        "postal-code.format",
        "郵便番号",
        "error",
        "5198501",
    ),
    ("evacuation-sites", {"郵便番号": "51985"}, "postal-code.format", "郵便番号", "error", None),
    ("evacuation-sites", {"災害種別_洪水": "0"}, "constraint.enum", "災害種別_洪水", "error", None),
    ("evacuation-sites", {"災害種別_津波": "○"}, "constraint.enum", "災害種別_津波", "error", "1"),
    (
        "evacuation-sites",
        {"連絡先メールアドレス": "bousai@"},
        "format.email",
        "連絡先メールアドレス",
        "error",
        None,
    ),
    ("evacuation-sites", {"電話番号": ""}, "required.missing", "電話番号", "error", None),
]


@pytest.mark.parametrize(
    ("schema_name", "change", "code", "column", "severity", "suggestion"),
    CELL_CASES,
    ids=[f"{case[2]}:{next(iter(case[1].values()))}" for case in CELL_CASES],
)
def test_cell_check(
    schema_name: str,
    change: dict[str, str],
    code: str,
    column: str,
    severity: str,
    suggestion: str | None,
) -> None:
    report = validate_bytes(make_csv(schema_name, change), schema_name)
    problem = only(report, code)
    value = next(iter(change.values()))
    assert (problem.row, problem.column, problem.value) == (3, column, value)
    assert (problem.severity, problem.suggestion) == (severity, suggestion)
    schema = load_schema(schema_name)
    assert problem.column_number == schema.field_names.index(column) + 1
    assert problem.field == column
    assert problem.message_ja and problem.message_en and problem.fix_ja and problem.fix_en
    if suggestion is not None:
        assert suggestion in problem.fix_ja and suggestion in problem.fix_en
    assert report.valid == (report.errors == 0)
    assert report.by_code[code] == 1


def test_fix_names_the_suggested_value_in_both_languages() -> None:
    report = validate_bytes(make_csv("open-data-list", {"登録日": "令和5年4月1日"}))
    problem = only(report, "wareki-date")
    assert problem.message_ja == (
        "「登録日」の値「令和5年4月1日」は和暦で書かれていて、機械では日付として読めません。"
    )
    assert problem.fix_ja == "「2023-04-01」と入力してください。"
    assert problem.fix_en == "Enter '2023-04-01'."


def test_check_digit_message_gives_the_expected_digit() -> None:
    report = validate_bytes(make_csv("public-toilets", {"全国地方公共団体コード": "242100"}))
    problem = only(report, "localgov-code.check-digit")
    assert "最初の5桁からは 1 になります" in problem.message_ja
    assert "the first five digits give 1" in problem.message_en


def test_duplicate_ids_name_every_row_that_shares_them() -> None:
    content = make_csv(
        "public-toilets", {"ID": "A"}, {"ID": "B"}, {"ID": "A"}, {"ID": "A"}, {"ID": ""}, {"ID": ""}
    )
    report = validate_bytes(content, "public-toilets")
    duplicates = report.problems_with("duplicate-id")
    assert [(p.row, p.column, p.value) for p in duplicates] == [(5, "ID", "A"), (6, "ID", "A")]
    assert duplicates[0].related_rows == (3, 5, 6)
    assert "3、5、6行目" in duplicates[0].message_ja
    assert "rows 3, 5, 6" in duplicates[0].message_en
    assert report.by_code["duplicate-id"] == 2  # empty IDs are not duplicates


def test_blank_rows_are_not_reported_as_missing_values() -> None:
    content = make_csv("public-toilets", {n: "" for n in load_schema("public-toilets").field_names})
    report = validate_bytes(content, "public-toilets")
    assert [p.row for p in report.problems_with("blank-row")] == [3]
    assert "required.missing" not in report.by_code


def test_headers_recognised_after_normalisation_or_as_misspellings() -> None:
    content = make_csv(
        "public-toilets",
        rename={
            "全国地方公共団体コード": "全国地方公共団体ｺｰﾄﾞ",
            "名称": "4.名称",
            "所在地_連結表記": "所在地_連結標記",
        },
    )
    report = validate_bytes(content)
    assert (report.schema, report.layout) == ("public-toilets", "current")
    normalised = report.problems_with("header.normalised")
    assert [(p.row, p.column, p.suggestion, p.severity) for p in normalised] == [
        (1, "全国地方公共団体ｺｰﾄﾞ", "全国地方公共団体コード", "info"),
        (1, "4.名称", "名称", "info"),
    ]
    misspelt = only(report, "header.misspelt")
    assert (misspelt.column, misspelt.suggestion, misspelt.severity) == (
        "所在地_連結標記",
        "所在地_連結表記",
        "warning",
    )
    assert report.valid  # the columns were still checked under their real names
    assert "header.missing" not in report.by_code


def test_missing_columns_by_level() -> None:
    content = make_csv("public-toilets", drop=("設置位置", "名称_英語", "備考"))
    report = validate_bytes(content, "public-toilets")
    missing = {p.column: p.severity for p in report.problems_with("header.missing")}
    assert missing == {"設置位置": "error", "名称_英語": "warning"}  # 備考 is 任意
    problem = next(p for p in report.problems if p.column == "設置位置")
    assert problem.row is None
    assert problem.message_ja == "必須の列「設置位置」がありません。"
    assert problem.message_en == "The required column '設置位置' (installationLocation) is missing."
    assert not report.valid


def test_extra_columns_legacy_names_and_order() -> None:
    names = load_schema("public-toilets").field_names
    order = [n for n in names if n not in ("緯度", "経度")] + ["経度", "緯度"]
    content = make_csv(
        "public-toilets",
        {"独自項目": "x"},
        extra=("独自項目",),
        rename={"バリアフリートイレ数": "多機能トイレ数"},
        order=order,
    )
    report = validate_bytes(content, "public-toilets")
    unknown = only(report, "header.unknown")
    assert (unknown.row, unknown.column, unknown.severity) == (1, "独自項目", "info")
    assert unknown.column_number == len(names) + 1
    legacy = only(report, "header.legacy-name")
    assert (legacy.column, legacy.suggestion, legacy.severity) == (
        "多機能トイレ数",
        "バリアフリートイレ数",
        "warning",
    )
    assert only(report, "header.order").severity == "info"
    assert report.valid


def test_legacy_layout_is_recognised_and_checked_with_the_new_rules() -> None:
    content = (DATA / "public-toilets-legacy.csv").read_bytes()
    report = validate_bytes(content)
    assert (report.schema, report.layout, report.encoding) == ("public-toilets", "legacy", "cp932")
    layout = only(report, "layout.legacy")
    assert layout.severity == "warning"
    assert "08 公衆トイレ一覧" in layout.message_ja
    assert "NO→ID" in layout.fix_ja
    headers = {h["header"]: (h["field"], h["kind"]) for h in report.headers}
    assert headers["NO"] == ("ID", "legacy")
    assert headers["多機能トイレ数"] == ("バリアフリートイレ数", "legacy")
    assert headers["都道府県名"] == (None, "legacy-merge")
    assert report.valid
    broken = content.decode("cp932").replace("34.865810", "3.4865810").replace(",1,", ",1人,")
    report = validate_bytes(broken.encode("cp932"))
    assert [(p.row, p.column) for p in report.problems_with("latitude.range")] == [(3, "緯度")]
    assert [(p.row, p.column, p.value) for p in report.problems_with("type.integer")] == [
        (2, "多機能トイレ数", "1人")
    ]


def test_legacy_file_missing_an_old_required_column() -> None:
    text = (
        "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称_カナ,住所\n"
        "242101,1,三重県,亀山市,カメヤマ,本丸町\n"
    )
    report = validate_bytes(text.encode(), "public-facilities")
    assert report.layout == "legacy"
    missing = {p.column: p.severity for p in report.problems_with("header.missing")}
    assert missing["名称"] == "error"
    assert "所在地_都道府県" not in missing  # the old layout never had it


def test_files_matching_no_schema_still_get_the_general_checks() -> None:
    text = "項目,数値,日付,メモ\n会議室,１２３,令和5年4月1日,㈱亀山\n倉庫, 12 ,2024-04-01,普通\n"
    report = validate_bytes(text.encode())
    assert (report.schema, report.layout) == (None, None)
    assert only(report, "layout.unknown").severity == "info"
    found = {(p.code, p.row, p.column, p.value, p.severity, p.suggestion) for p in report.problems}
    assert ("fullwidth-digits", 2, "数値", "１２３", "warning", "123") in found
    assert ("wareki-date", 2, "日付", "令和5年4月1日", "warning", "2023-04-01") in found
    assert ("platform-char", 2, "メモ", "㈱亀山", "warning", "(株)亀山") in found
    assert ("whitespace", 3, "数値", " 12 ", "info", "12") in found
    assert report.valid


def test_a_current_layout_file_of_unclear_dataset_gets_the_shared_checks() -> None:
    text = (
        "全国地方公共団体コード,ID,地方公共団体名,名称,所在地_連結表記\n"
        "242100,1,三重県亀山市,,本丸町\n"
    )
    report = validate_bytes(text.encode())
    assert (report.schema, report.layout) == (None, "current")
    assert only(report, "layout.ambiguous").severity == "info"
    assert only(report, "localgov-code.check-digit").row == 2
    assert only(report, "required.missing").column == "名称"
    assert "header.missing" not in report.by_code


def test_given_schema_overrides_detection() -> None:
    content = make_csv("public-facilities", {})
    assert validate_bytes(content).schema == "public-facilities"
    report = validate_bytes(content, "aed")
    assert report.schema == "aed"
    assert only(report, "header.missing").column == "設置位置"


def test_frictionless_and_machi_differ_on_full_width_digits() -> None:
    """Pinned: frictionless's integer accepts '１２３'; machi flags it (the data is not 半角)."""
    schema = frictionless.Schema.from_descriptor(
        {"fields": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"}]}
    )
    resource = frictionless.Resource(data=[["n", "x"], ["１２３", "1"], ["1", "３４．８５６"]])
    resource.schema = schema
    errors = resource.validate().flatten(["rowNumber", "fieldName", "type"])
    assert errors == [[3, "x", "type-error"]]  # the integer passes, the number does not
    ours = validate_bytes(
        make_csv("public-toilets", {"男性トイレ総数": "１２３", "緯度": "３４．８５６"})
    )
    assert {(p.column, p.code) for p in ours.problems} == {
        ("男性トイレ総数", "fullwidth-digits"),
        ("緯度", "fullwidth-digits"),
    }


def test_every_code_has_both_languages() -> None:
    for code, spec in CODES.items():
        for wording in (spec.message, spec.fix, *([spec.fix_with] if spec.fix_with else [])):
            assert wording.ja and wording.en, code
            assert any("\u3040" <= ch <= "\u9fff" for ch in wording.ja), code


def test_messages_have_no_unfilled_placeholders() -> None:
    changes: list[dict[str, Any]] = [case[1] for case in CELL_CASES if case[0] == "public-toilets"]
    merged: dict[str, str] = {}
    for change in changes:
        merged.update(change)
    report = validate_bytes(make_csv("public-toilets", *changes, merged, drop=("設置位置",)))
    assert len(report.by_code) > 15
    for problem in report.problems:
        for text in (problem.message_ja, problem.message_en, problem.fix_ja, problem.fix_en):
            assert "{" not in text, (problem.code, text)


def test_an_id_shared_by_many_rows_keeps_the_report_small() -> None:
    content = make_csv("public-toilets", *({"ID": "SAME"} for _ in range(60)))
    report = validate_bytes(content, "public-toilets")
    assert report.by_code["duplicate-id"] == 59
    first = report.problems_with("duplicate-id")[0]
    assert first.row == 4 and len(first.related_rows) == 20
    assert first.related_rows[:3] == (3, 4, 5)
    assert "ほか40行" in first.message_ja and "and 40 more" in first.message_en


def test_minimum_and_maximum_of_a_custom_schema() -> None:
    schema = schema_from_descriptor(
        {
            "name": "scores",
            "fields": [
                {"name": "点数", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
                {"name": "割合", "type": "number", "constraints": {"maximum": 1}},
            ],
        }
    )
    report = validate_bytes("点数,割合\n50,0.5\n101,1.5\n-1,NaN\n".encode(), schema=schema)
    found = {(p.row, p.column, p.code, p.value) for p in report.problems}
    assert found == {
        (3, "点数", "constraint.maximum", "101"),
        (3, "割合", "constraint.maximum", "1.5"),
        (4, "点数", "constraint.minimum", "-1"),
        (4, "割合", "type.number", "NaN"),
    }
    maximum = next(p for p in report.problems if p.value == "101")
    assert maximum.message_ja == "「点数」の値「101」が最大値 100 を超えています。"
    assert maximum.fix_en == "Enter 100 or less."


def test_old_prefecture_and_city_columns_in_a_current_file() -> None:
    content = make_csv("public-toilets", {"都道府県名": "三重県"}, extra=("都道府県名",))
    report = validate_bytes(content, "public-toilets")
    legacy = only(report, "header.legacy-name")
    assert (legacy.column, legacy.suggestion) == ("都道府県名", "地方公共団体名")


def test_large_files_with_repeated_values_are_checked_the_same_way() -> None:
    """Above 10,000 rows, columns whose values repeat are tested once per distinct value."""
    changes: list[dict[str, str]] = [{} for _ in range(12_000)]
    changes[5_000] = {"地方公共団体名": "三重県㈱亀山市"}
    changes[7_000] = {"利用開始時間": "9:00"}
    changes[9_000] = {"車椅子使用者用トイレ有無": "あり", "備考": " 正面 "}
    changes[11_000] = {"所在地_全国地方公共団体コード": "242100"}
    report = validate_bytes(make_csv("public-toilets", *changes), "public-toilets")
    found = {(p.code, p.row, p.column) for p in report.problems}
    assert found == {
        ("platform-char", 5003, "地方公共団体名"),
        ("type.time", 7003, "利用開始時間"),
        ("constraint.enum", 9003, "車椅子使用者用トイレ有無"),
        ("whitespace", 9003, "備考"),
        ("localgov-code.check-digit", 11003, "所在地_全国地方公共団体コード"),
    }
