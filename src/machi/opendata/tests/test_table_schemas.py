"""The shipped Table Schemas and the registry: loading, layouts, old → new mapping."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import polars as pl
import pytest

from machi.opendata.table_schemas import (
    CURRENT_FIRST_HEADERS,
    LEVELS,
    SCHEMA_DIR,
    UnknownSchemaError,
    convert_legacy,
    convert_legacy_rows,
    detect_layout,
    legacy_mapping,
    list_schemas,
    load_schema,
    match_headers,
    normalise_header,
    schema_names,
    unique_column_names,
)
from machi.opendata.validation import validate_bytes

EXPECTED = {
    "public-facilities": ("01", "公共施設一覧"),
    "evacuation-sites": ("03", "指定緊急避難場所一覧"),
    "childcare-facilities": ("05", "子育て施設一覧"),
    "open-data-list": ("06", "オープンデータ一覧"),
    "aed": ("08", "AED設置箇所一覧"),
    "events": ("12", "イベント一覧"),
    "public-toilets": ("13", "公衆トイレ一覧"),
}


def test_every_standard_dataset_has_a_schema_file_named_after_it() -> None:
    assert sorted(schema_names()) == sorted(EXPECTED)
    assert sorted(p.stem for p in SCHEMA_DIR.glob("*.json")) == sorted(EXPECTED)
    # in the numbering order of the 定義書
    assert schema_names() == list(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_schema_is_a_valid_frictionless_table_schema(name: str) -> None:
    descriptor = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    report = frictionless.Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["type", "note"])
    schema = frictionless.Schema.from_descriptor(descriptor)
    assert schema.primary_key == ["ID"]
    assert descriptor["name"] == name


def test_the_descriptor_check_would_catch_a_broken_schema() -> None:
    broken = {"fields": [{"name": "緯度", "type": "decimal-degrees"}]}
    assert not frictionless.Schema.validate_descriptor(broken).valid


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_schema_metadata_levels_and_shared_columns_first(name: str) -> None:
    schema = load_schema(name)
    number, title = EXPECTED[name]
    assert (schema.standard_number, schema.title) == (number, title)
    assert schema.title_en
    assert "machi" in schema.description
    assert tuple(schema.field_names[:3]) == CURRENT_FIRST_HEADERS
    assert schema.primary_key == ("ID",)
    for field in schema.fields:
        assert field.level in LEVELS
        assert field.english_name, field.name
        assert field.required == (field.level == "required") or field.enum == ("1",)
    assert schema.fields_at("required"), "every dataset has 必須 columns"
    assert schema.legacy is not None
    assert set(schema.legacy.required) <= set(schema.legacy.fields)
    for old, new in schema.legacy.renames.items():
        assert new in schema.field_names, (old, new)


def test_public_toilets_follows_the_published_39_columns() -> None:
    schema = load_schema("public-toilets")
    assert len(schema.fields) == 39
    assert schema.field_names[13:17] == ["建物名等(方書)", "設置位置", "緯度", "経度"]
    toilets = schema.field("バリアフリートイレ数")
    assert toilets is not None and toilets.type == "integer" and toilets.minimum == 0
    flag = schema.field("オストメイト設置トイレ有無")
    assert flag is not None and flag.enum == ("有", "無") and flag.level == "recommended"
    opens = schema.field("利用開始時間")
    assert opens is not None and (opens.type, opens.format) == ("time", "%H:%M")
    assert schema.legacy is not None
    assert schema.legacy.renames["多機能トイレ数"] == "バリアフリートイレ数"


def test_evacuation_sites_levels_follow_the_definition() -> None:
    schema = load_schema("evacuation-sites")
    required = {f.name for f in schema.fields_at("required")}
    assert {"名称", "所在地_連結表記", "電話番号", "市区町村コード"} <= required
    assert "指定避難所との重複" in required
    assert {f"災害種別_{kind}" for kind in ("洪水", "地震", "津波", "火山現象")} <= required
    flood = schema.field("災害種別_洪水")
    assert flood is not None
    assert flood.enum == ("1",) and not flood.required  # "1" or empty, the column must exist
    assert schema.field("名称_英字") is not None and schema.field("名称_英語") is None
    assert {f.name for f in schema.fields_at("optional")} >= {"郵便番号", "地方公共団体名"}
    postal = schema.field("郵便番号")
    assert postal is not None and postal.check == "postal-code"


def test_semantic_checks_are_declared_on_the_fields() -> None:
    schema = load_schema("public-facilities")
    checks = {f.name: f.check for f in schema.fields if f.check}
    assert checks["全国地方公共団体コード"] == "localgov-code"
    assert checks["緯度"] == "latitude" and checks["経度"] == "longitude"
    assert checks["電話番号"] == "phone" and checks["名称_カナ"] == "kana"
    assert checks["法人番号"] == "corporate-number"
    latitude = schema.field("緯度")
    assert latitude is not None and (latitude.minimum, latitude.maximum) == (20, 46)


def test_the_package_ships_the_json_and_does_not_read_the_shared_folder() -> None:
    package = Path(__file__).resolve().parents[1]
    assert package / "schemas" == SCHEMA_DIR
    sources = [package / "table_schemas.py", *(package / "validation").glob("*.py")]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "../shared" not in text and "recommended-datasets" not in text, source


def test_load_schema_is_cached_and_refuses_unknown_names() -> None:
    assert load_schema("aed") is load_schema("aed")
    assert [s.name for s in list_schemas()] == schema_names()
    with pytest.raises(UnknownSchemaError) as exc:
        load_schema("toilets")
    assert "public-toilets" in str(exc.value)
    assert "スキーマ「toilets」はありません" in str(exc.value)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("全国地方公共団体ｺｰﾄﾞ", "全国地方公共団体コード"),
        ("1.名称", "名称"),
        ("01_名称_カナ", "名称_カナ"),
        ("(3) 緯度", "緯度"),
        ("男性トイレ数（小便器）", "男性トイレ数(小便器)"),
        (" URL ", "url"),
        ("\ufeffID", "id"),
        ("24時間利用", "24時間利用"),
    ],
)
def test_headers_are_matched_after_nfkc_and_numbering(header: str, key: str) -> None:
    assert normalise_header(header) == key


def test_match_headers_says_how_each_header_was_recognised() -> None:
    schema = load_schema("public-toilets")
    headers = ["全国地方公共団体ｺｰﾄﾞ", "ID", "1.名称", "所在地_連結標記"]
    headers += ["多機能トイレ数", "名称", "独自"]
    kinds = [(m.header, m.field, m.kind) for m in match_headers(schema, headers)]
    assert kinds == [
        ("全国地方公共団体ｺｰﾄﾞ", "全国地方公共団体コード", "normalised"),
        ("ID", "ID", "exact"),
        ("1.名称", "名称", "normalised"),
        ("所在地_連結標記", "所在地_連結表記", "misspelt"),
        ("多機能トイレ数", "バリアフリートイレ数", "legacy"),
        ("名称", None, "duplicate"),
        ("独自", None, "unknown"),
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detect_layout_finds_each_schema_in_both_layouts(name: str) -> None:
    schema = load_schema(name)
    assert detect_layout(schema.field_names) == (name, "current")
    assert schema.legacy is not None
    assert detect_layout(list(schema.legacy.fields)) == (name, "legacy")


def test_a_standard_dataset_without_a_machi_schema_is_not_taken_for_another() -> None:
    # 観光施設一覧 shares most columns with 公共施設一覧 but adds its own: no schema is named,
    # so its own columns are not reported as mistakes. A few extra columns are fine.
    facilities = load_schema("public-facilities").field_names
    tourism = [*facilities, "料金(基本)", "料金(詳細)", "説明_英語", "アクセス方法", "駐車場情報"]
    assert detect_layout(tourism) == (None, "current")
    assert detect_layout([*facilities, "独自の列"]) == ("public-facilities", "current")


def test_detect_layout_on_real_world_headers() -> None:
    toilets = ["全国地方公共団体ｺｰﾄﾞ", "ID", "地方公共団体名", "1.名称", "名称_カナ"]
    toilets.append("所在地_連結標記")
    assert detect_layout([*toilets, "設置位置", "男性トイレ総数"]) == ("public-toilets", "current")
    # only the shared columns: the layout is clear, the dataset is not
    assert detect_layout([*CURRENT_FIRST_HEADERS, "名称", "所在地_連結表記"]) == (None, "current")
    # the old 指定緊急避難場所一覧 had NO but none of the other common columns
    assert detect_layout(["NO", "名称", "住所", "市区町村コード", "災害種別_洪水"]) == (
        "evacuation-sites",
        "legacy",
    )
    assert detect_layout(["氏名", "金額"]) == (None, None)
    assert detect_layout([]) == (None, None)


def test_legacy_mapping_lists_old_and_new_headers() -> None:
    schema = load_schema("public-toilets")
    assert schema.legacy is not None
    mapping = legacy_mapping("public-toilets", [*schema.legacy.fields, "location", "独自の列"])
    as_dict = {old: (new, note) for old, new, note in mapping}
    assert as_dict["NO"][0] == "ID"
    assert as_dict["都道府県コード又は市区町村コード"][0] == "全国地方公共団体コード"
    assert as_dict["住所"][0] == "所在地_連結表記"
    assert as_dict["方書"][0] == "建物名等(方書)"
    assert as_dict["多機能トイレ数"] == ("バリアフリートイレ数", "改名 / renamed")
    assert as_dict["都道府県名"][0] == as_dict["市区町村名"][0] == "地方公共団体名"
    assert as_dict["名称"] == ("名称", "同じ名前 / unchanged")
    assert as_dict["location"][0] is None and "NGSI" in as_dict["location"][1]
    assert as_dict["独自の列"][0] is None


def test_convert_legacy_rearranges_a_polars_table_into_the_current_layout() -> None:
    old = pl.DataFrame(
        {
            "都道府県コード又は市区町村コード": ["242101", "242101"],
            "NO": ["1", "2"],
            "都道府県名": ["三重県", "三重県"],
            "市区町村名": ["亀山市", None],
            "名称": ["亀山駅", "関駅"],
            "住所": ["三重県亀山市御幸町", "三重県亀山市関町"],
            "方書": ["駅舎内", None],
            "多機能トイレ数": ["1", "0"],
            "独自の列": ["x", "y"],
        }
    )
    new = convert_legacy(old, "public-toilets")
    schema = load_schema("public-toilets")
    assert new.columns == [*schema.field_names, "独自の列"]
    first = new.row(0, named=True)
    assert first["ID"] == "1"
    assert first["全国地方公共団体コード"] == "242101"
    assert first["地方公共団体名"] == "三重県亀山市"
    assert first["所在地_連結表記"] == "三重県亀山市御幸町"
    assert first["建物名等(方書)"] == "駅舎内"
    assert first["バリアフリートイレ数"] == "1"
    assert first["設置位置"] is None
    assert new.row(1, named=True)["地方公共団体名"] == "三重県"


def test_convert_legacy_rows_for_plain_lists() -> None:
    header, rows = convert_legacy_rows(
        ["NO", "名称", "住所", "市区町村コード", "都道府県名", "市区町村名", "災害種別_洪水"],
        [["1", "亀山市役所", "三重県亀山市本丸町577", "242101", "三重県", "亀山市"]],
        "evacuation-sites",
    )
    record = dict(zip(header, rows[0], strict=True))
    assert record["ID"] == "1"
    assert record["所在地_連結表記"] == "三重県亀山市本丸町577"
    assert record["地方公共団体名"] == "三重県亀山市"
    assert record["市区町村コード"] == "242101"
    assert record["災害種別_洪水"] == ""  # the short row is padded


def test_unique_column_names_for_blank_and_repeated_headers() -> None:
    assert unique_column_names(["名称", "", "名称", "名称"]) == [
        "名称",
        "column_2",
        "名称_2",
        "名称_3",
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_examples_in_each_schema_pass_its_own_checks(name: str) -> None:
    schema = load_schema(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(schema.field_names)
    writer.writerow([f.example or "" for f in schema.fields])
    report = validate_bytes(buffer.getvalue().encode(), name)
    assert report.problems == [], [(p.code, p.column, p.value) for p in report.problems]
