"""Table Schemas of the 自治体標準オープンデータセット shipped with machi (テーブルスキーマ).

Each schema is a Frictionless Table Schema in ``schemas/<name>.json`` (written by the machi
team from the published データ項目定義書). machi adds a few properties of its own:

* on fields: ``x-level`` (``required`` 必須 / ``recommended`` 推奨 / ``optional`` 任意),
  ``x-english-name`` and ``x-check`` (a semantic check such as ``localgov-code`` or ``kana``);
* on the schema: ``x-title-en``, ``x-standard-number`` and ``x-legacy``, the column layout of
  the older 推奨データセット (2017) with its renamed and merged columns.

Headers are matched after normalisation (NFKC, no spaces, numbering such as ``1.`` removed,
case folded), because real files arrive with ``全国地方公共団体ｺｰﾄﾞ`` or ``1.名称``.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, cast

import polars as pl

__all__ = [
    "LEVELS",
    "LEVEL_LABELS",
    "HeaderMatch",
    "LegacyLayout",
    "LegacyMerge",
    "SchemaField",
    "TableSchema",
    "UnknownSchemaError",
    "convert_legacy",
    "convert_legacy_rows",
    "detect_layout",
    "legacy_mapping",
    "list_schemas",
    "load_schema",
    "looks_legacy",
    "match_headers",
    "normalise_header",
    "schema_from_descriptor",
    "schema_names",
    "shared_schema",
    "unique_column_names",
]

Level = Literal["required", "recommended", "optional"]
Layout = Literal["current", "legacy"]
MatchKind = Literal[
    "exact", "normalised", "misspelt", "legacy", "legacy-merge", "duplicate", "unknown"
]

LEVELS: Final[tuple[Level, ...]] = ("required", "recommended", "optional")
#: Japanese and English labels of each level (掲載区分).
LEVEL_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    "required": ("必須", "required"),
    "recommended": ("推奨", "recommended"),
    "optional": ("任意", "optional"),
}

SCHEMA_DIR: Final = Path(__file__).resolve().parent / "schemas"

#: The layout test of the current standard: the first three headers.
CURRENT_FIRST_HEADERS: Final = ("全国地方公共団体コード", "ID", "地方公共団体名")
#: The four columns every older 推奨データセット table (except 指定緊急避難場所) began with.
LEGACY_COMMON4: Final = ("都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名")

# "1.名称", "01_名称", "(1)名称", "1 名称": a row number typed in front of the header.
_NUMBERING_RE: Final = re.compile(r"^(?:\(?[0-9]{1,3}[).:_\-、\s]+(?=\S))+")
_SPACES_RE: Final = re.compile(r"\s+")
_FUZZY_CUTOFF: Final = 0.85
# A current-layout file shares ten or more columns with every schema, so a schema is only
# named when it knows nearly all of the file's headers; otherwise 観光施設一覧 would be
# checked as 公共施設一覧. Older files vary more, so they get the looser bar.
_MIN_CURRENT_SCORE: Final = 0.9
_MIN_LEGACY_SCORE: Final = 0.5
_MIN_GUESS_SCORE: Final = 0.6


class UnknownSchemaError(LookupError):
    """No shipped schema has this name (スキーマが見つかりません)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.known = schema_names()
        super().__init__(
            f"スキーマ「{name}」はありません。使えるスキーマ: {', '.join(self.known)} / "
            f"Unknown schema '{name}'. Available schemas: {', '.join(self.known)}"
        )


def normalise_header(text: str) -> str:
    """The key a header is matched by: NFKC, no numbering or spaces, case folded.

    "全国地方公共団体ｺｰﾄﾞ" → "全国地方公共団体コード", "1.名称" → "名称",
    "男性トイレ数（小便器）" → "男性トイレ数(小便器)", "url" and "URL" → "url".
    """
    value = unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip().strip('"')
    value = _NUMBERING_RE.sub("", value)
    # NFKC again: it can split a character into a space and a combining mark (¯ → " ̄").
    return unicodedata.normalize("NFKC", _SPACES_RE.sub("", value).casefold())


@dataclass(frozen=True, slots=True)
class SchemaField:
    """One column of a standard dataset (データ項目)."""

    name: str
    title: str
    title_en: str
    description: str
    type: str
    level: Level
    english_name: str
    format: str | None = None
    check: str | None = None
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    example: str | None = None

    @property
    def key(self) -> str:
        return normalise_header(self.name)

    @property
    def level_ja(self) -> str:
        return LEVEL_LABELS[self.level][0]


@dataclass(frozen=True, slots=True)
class LegacyMerge:
    """Old columns joined into one current column (都道府県名 + 市区町村名 → 地方公共団体名)."""

    sources: tuple[str, ...]
    target: str


@dataclass(frozen=True, slots=True)
class LegacyLayout:
    """The older 推奨データセット layout of the same dataset."""

    title: str
    standard_number: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    renames: Mapping[str, str]
    merges: tuple[LegacyMerge, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(normalise_header(name) for name in self.fields)


@dataclass(frozen=True)
class TableSchema:
    """A Table Schema with machi's levels and checks, ready for the validator."""

    name: str
    title: str
    title_en: str
    standard_number: str
    description: str
    fields: tuple[SchemaField, ...]
    primary_key: tuple[str, ...] = ()
    legacy: LegacyLayout | None = None
    descriptor: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)

    def field(self, name: str) -> SchemaField | None:
        return next((f for f in self.fields if f.name == name), None)

    def fields_at(self, level: Level) -> list[SchemaField]:
        return [f for f in self.fields if f.level == level]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _field_from_descriptor(raw: Mapping[str, Any]) -> SchemaField:
    constraints = raw.get("constraints", {})
    level = raw.get("x-level") or ("required" if constraints.get("required") else "optional")
    if level not in LEVELS:
        raise ValueError(f"field {raw['name']!r}: x-level must be one of {LEVELS}")
    level = cast(Level, level)
    enum = constraints.get("enum")
    example = raw.get("example")
    return SchemaField(
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        title_en=raw.get("x-title-en", raw.get("x-english-name", raw["name"])),
        description=raw.get("description", ""),
        type=raw.get("type", "string"),
        level=level,
        english_name=raw.get("x-english-name", ""),
        format=raw.get("format"),
        check=raw.get("x-check"),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        pattern=constraints.get("pattern"),
        enum=tuple(str(v) for v in enum) if enum is not None else None,
        minimum=_float(constraints.get("minimum")),
        maximum=_float(constraints.get("maximum")),
        example=None if example is None else str(example),
    )


def _legacy_from_descriptor(raw: Mapping[str, Any] | None) -> LegacyLayout | None:
    if not raw:
        return None
    return LegacyLayout(
        title=raw.get("title", ""),
        standard_number=raw.get("x-standard-number", ""),
        fields=tuple(raw.get("fields", ())),
        required=tuple(raw.get("required", ())),
        renames={item["from"]: item["to"] for item in raw.get("renames", ())},
        merges=tuple(
            LegacyMerge(tuple(item["from"]), item["to"]) for item in raw.get("merges", ())
        ),
    )


def schema_from_descriptor(descriptor: Mapping[str, Any]) -> TableSchema:
    """Build a :class:`TableSchema` from a Table Schema descriptor (a parsed JSON object)."""
    primary_key = descriptor.get("primaryKey", ())
    if isinstance(primary_key, str):
        primary_key = (primary_key,)
    return TableSchema(
        name=descriptor.get("name", ""),
        title=descriptor.get("title", descriptor.get("name", "")),
        title_en=descriptor.get("x-title-en", descriptor.get("title", "")),
        standard_number=descriptor.get("x-standard-number", ""),
        description=descriptor.get("description", ""),
        fields=tuple(_field_from_descriptor(raw) for raw in descriptor["fields"]),
        primary_key=tuple(primary_key),
        legacy=_legacy_from_descriptor(descriptor.get("x-legacy")),
        descriptor=descriptor,
    )


@cache
def _all_schemas() -> tuple[TableSchema, ...]:
    schemas = [
        schema_from_descriptor(json.loads(path.read_text(encoding="utf-8")))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return tuple(sorted(schemas, key=lambda s: (s.standard_number, s.name)))


def list_schemas() -> list[TableSchema]:
    """Every shipped schema, in the numbering order of the 定義書."""
    return list(_all_schemas())


#: The columns every facility-type dataset shares (共通項目), in the current layout.
SHARED_FIELDS: Final = (
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英語",
    "所在地_全国地方公共団体コード",
    "町字ID",
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
    "緯度",
    "経度",
    "高度の種別",
    "高度の値",
    "画像",
    "画像_ライセンス",
    "備考",
)


@cache
def shared_schema() -> TableSchema:
    """The shared columns alone, for a current-layout file whose dataset is ambiguous.

    Their definitions are those of 公衆トイレ一覧, the dataset whose 定義書 is transcribed
    in full.
    """
    source = load_schema("public-toilets")
    fields = tuple(f for f in source.fields if f.name in SHARED_FIELDS)
    return TableSchema(
        name="shared",
        title="共通項目",
        title_en="Shared columns",
        standard_number="",
        description="自治体標準オープンデータセットの施設系データに共通の項目。",
        fields=fields,
        primary_key=("ID",),
    )


def schema_names() -> list[str]:
    return [schema.name for schema in _all_schemas()]


def load_schema(name: str) -> TableSchema:
    """The shipped schema called ``name`` (e.g. ``public-toilets``).

    Raises:
        UnknownSchemaError: no such schema.
    """
    for schema in _all_schemas():
        if schema.name == name:
            return schema
    raise UnknownSchemaError(name)


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """How one header of a file was understood.

    ``field`` is the schema column it stands for. ``kind`` says how it was recognised:
    ``exact``; ``normalised`` (only after NFKC, numbering or case); ``misspelt`` (a close
    spelling); ``legacy`` (an old 推奨データセット name, renamed since); ``legacy-merge`` (an
    old column joined into ``target``); ``duplicate`` (a second column for the same field);
    ``unknown``.
    """

    index: int
    header: str
    field: str | None
    kind: MatchKind
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "header": self.header,
            "field": self.field,
            "kind": self.kind,
            "target": self.target,
        }


def match_headers(schema: TableSchema, headers: Sequence[str]) -> list[HeaderMatch]:
    """Map each header of a file to a field of ``schema`` (see :class:`HeaderMatch`).

    Old 推奨データセット names are recognised whatever the layout, but only stand in for
    a field the file does not already have under its current name.
    """
    by_key = {f.key: f for f in schema.fields}
    legacy = schema.legacy
    renames = {normalise_header(old): new for old, new in legacy.renames.items()} if legacy else {}
    merges = (
        {normalise_header(src): merge.target for merge in legacy.merges for src in merge.sources}
        if legacy
        else {}
    )
    keys = [normalise_header(h) for h in headers]
    result: list[HeaderMatch | None] = [None] * len(headers)
    taken: set[str] = set()

    def claim(index: int, name: str, kind: MatchKind) -> None:
        if name in taken:
            result[index] = HeaderMatch(index, headers[index], None, "duplicate", name)
        else:
            taken.add(name)
            result[index] = HeaderMatch(index, headers[index], name, kind)

    for index, (header, key) in enumerate(zip(headers, keys, strict=True)):
        if key and key in by_key:
            name = by_key[key].name
            claim(index, name, "exact" if header == name else "normalised")
    for index, key in enumerate(keys):
        if result[index] is not None or not key:
            continue
        if key in renames and renames[key] not in taken:
            claim(index, renames[key], "legacy")
        elif key in merges:
            result[index] = HeaderMatch(index, headers[index], None, "legacy-merge", merges[key])
    for index, key in enumerate(keys):
        if result[index] is not None or not key:
            continue
        free = [k for k, f in by_key.items() if f.name not in taken]
        close = difflib.get_close_matches(key, free, n=1, cutoff=_FUZZY_CUTOFF)
        if close:
            claim(index, by_key[close[0]].name, "misspelt")
    return [
        match or HeaderMatch(index, headers[index], None, "unknown")
        for index, match in enumerate(result)
    ]


def _score(hits: int, headers: int, fields: int) -> tuple[float, float]:
    """(share of the file's headers the schema knows, share of the schema the file has)."""
    return (hits / headers if headers else 0.0, hits / fields if fields else 0.0)


def looks_legacy(headers: Sequence[str]) -> bool:
    """The older 推奨データセット layout: three of its four common columns, or ``NO``
    without ``ID`` (the old 指定緊急避難場所一覧 had no common columns)."""
    keys = {normalise_header(h) for h in headers}
    common4 = {normalise_header(h) for h in LEGACY_COMMON4}
    return len(keys & common4) >= 3 or ("no" in keys and "id" not in keys)


def detect_layout(headers: Sequence[str]) -> tuple[str | None, Layout | None]:
    """Guess which standard dataset a file is, and in which layout.

    * current layout: the first three headers are 全国地方公共団体コード, ID, 地方公共団体名;
    * legacy layout: at least three of 都道府県コード又は市区町村コード, NO, 都道府県名,
      市区町村名, or an ``NO`` column without ``ID`` (the old 指定緊急避難場所一覧).

    The schema is the one that knows the largest share of the file's headers (misspellings
    and old names count), then the one the file covers best. When the best two recognise
    exactly the same columns (say, only the shared 名称 and 所在地 columns) the answer is
    ambiguous and the schema is ``None``. A file in neither layout is matched only when
    most of its headers (60%, at least four) belong to one schema.
    Returns ``(schema name or None, "current" | "legacy" | None)``.
    """
    keys = [normalise_header(h) for h in headers]
    key_set = {k for k in keys if k}
    if not key_set:
        return None, None
    total = len(key_set)
    first = tuple(keys[:3]) == tuple(normalise_header(h) for h in CURRENT_FIRST_HEADERS)
    legacy_like = looks_legacy(headers)
    candidates: list[tuple[tuple[float, float], int, str, Layout, frozenset[str]]] = []
    for order, schema in enumerate(_all_schemas()):
        known = frozenset(m.field for m in match_headers(schema, headers) if m.field is not None)
        candidates.append(
            (_score(len(known), total, len(schema.fields)), -order, schema.name, "current", known)
        )
        if schema.legacy:
            old = frozenset(key_set & schema.legacy.keys)
            score = _score(len(old), total, len(schema.legacy.fields))
            candidates.append((score, -order, schema.name, "legacy", old))

    def pick(layout: Layout | None, minimum: float, at_least: int) -> str | None:
        ranked = sorted(
            (c for c in candidates if layout is None or c[3] == layout),
            key=lambda c: (c[0], c[1]),
            reverse=True,
        )
        if not ranked or ranked[0][0][0] < minimum or len(ranked[0][4]) < at_least:
            return None
        if len(ranked) > 1 and ranked[1][4] == ranked[0][4]:
            return None
        return ranked[0][2]

    if first:
        return pick("current", _MIN_CURRENT_SCORE, 3), "current"
    if legacy_like:
        return pick("legacy", _MIN_LEGACY_SCORE, 3), "legacy"
    name = pick(None, _MIN_GUESS_SCORE, 4)
    if name is None:
        return None, None
    layout = max((c for c in candidates if c[2] == name), key=lambda c: c[0])[3]
    return name, layout


_NOTES: Final[Mapping[str, str]] = {
    "exact": "同じ名前 / unchanged",
    "normalised": "表記を正規化して一致 / same name after normalisation",
    "misspelt": "誤記とみなして対応 / taken as a misspelling",
    "legacy": "改名 / renamed",
    "duplicate": "同じ列がすでにある / duplicate column",
}


def legacy_mapping(schema_name: str, headers: Sequence[str]) -> list[tuple[str, str | None, str]]:
    """For each header of an old-layout file: (old header, current header or None, note)."""
    schema = load_schema(schema_name)
    legacy_keys = schema.legacy.keys if schema.legacy else frozenset()
    rows: list[tuple[str, str | None, str]] = []
    for match in match_headers(schema, headers):
        if match.kind == "legacy-merge":
            rows.append((match.header, match.target, "連結して一つの列に / joined into one column"))
        elif match.kind == "duplicate":
            rows.append((match.header, None, _NOTES["duplicate"]))
        elif match.field is not None:
            rows.append((match.header, match.field, _NOTES[match.kind]))
        elif normalise_header(match.header) == "location":
            rows.append(
                (match.header, None, "NGSI の追加項目で標準にない / NGSI addition, not standard")
            )
        elif normalise_header(match.header) in legacy_keys:
            rows.append((match.header, None, "現行の標準に対応する列なし / no current column"))
        else:
            rows.append((match.header, None, "標準にない列（そのまま残す） / extra column, kept"))
    return rows


def convert_legacy(table: pl.DataFrame, schema_name: str) -> pl.DataFrame:
    """Rearrange an old 推奨データセット table into the current layout of ``schema_name``.

    Columns come in the order of the current schema (missing ones empty), renamed
    (NO → ID, 住所 → 所在地_連結表記, 方書 → 建物名等(方書), 多機能トイレ数 →
    バリアフリートイレ数 …) and merged (都道府県名 + 市区町村名 → 地方公共団体名); columns
    the standard does not know are kept at the end. Values are not changed: validate the
    result to find values that need fixing.
    """
    schema = load_schema(schema_name)
    headers = table.columns
    matches = match_headers(schema, headers)
    source = {m.field: headers[m.index] for m in matches if m.field is not None}
    merged: dict[str, list[str]] = {}
    for m in matches:
        if m.kind == "legacy-merge" and m.target:
            merged.setdefault(m.target, []).append(headers[m.index])
    columns: list[pl.Expr] = []
    for f in schema.fields:
        if f.name in source:
            columns.append(pl.col(source[f.name]).cast(pl.String).alias(f.name))
        elif f.name in merged:
            parts = [pl.col(h).cast(pl.String).fill_null("") for h in merged[f.name]]
            joined = pl.concat_str(parts)
            columns.append(pl.when(joined == "").then(None).otherwise(joined).alias(f.name))
        else:
            columns.append(pl.lit(None, dtype=pl.String).alias(f.name))
    names = set(schema.field_names)
    for m in matches:
        if m.field is None and m.kind != "legacy-merge" and headers[m.index] not in names:
            columns.append(pl.col(headers[m.index]).cast(pl.String))
    return table.select(columns)


def convert_legacy_rows(
    headers: Sequence[str], rows: Iterable[Sequence[str | None]], schema_name: str
) -> tuple[list[str], list[list[str]]]:
    """:func:`convert_legacy` for plain rows; empty cells come back as ``""``."""
    width = len(headers)
    unique = unique_column_names(headers)
    padded = [[*(list(row[:width])), *([None] * (width - len(row)))] for row in rows]
    frame = pl.DataFrame(padded, schema=dict.fromkeys(unique, pl.String), orient="row")
    converted = convert_legacy(frame, schema_name)
    return converted.columns, [
        ["" if cell is None else str(cell) for cell in row] for row in converted.iter_rows()
    ]


def unique_column_names(headers: Sequence[str]) -> list[str]:
    """Column names polars accepts: blanks become ``column_N``, repeats get ``_2``, ``_3``."""
    seen: set[str] = set()
    names: list[str] = []
    for number, header in enumerate(headers, start=1):
        name = header if header.strip() else f"column_{number}"
        candidate, suffix = name, 2
        while candidate in seen:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        seen.add(candidate)
        names.append(candidate)
    return names
