"""Checks of the cells, column by column, with polars expressions.

Two phases keep it fast on large files:

1. one ``select`` over the whole table computes, per column, a cheap *candidate* mask: the
   cells that are not obviously fine (for a date column, those that are not
   ``YYYY-MM-DD``; for free text, those with full-width digits, platform-dependent
   characters, edge spaces or an era name). Most files have few candidates.
2. the candidates alone are *classified* into problem codes, with polars expressions or,
   for rules that live in ``machi.core.japanese`` (check digits, telephone numbers,
   postal codes), with Python once per distinct value.

Counts are exact; only the first problems of each code (by row) are turned into
:class:`Problem` objects, with a suggested fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import polars as pl

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.localgov_code import check_digit
from machi.core.japanese.phone import normalize_phone
from machi.core.japanese.postal import normalize_postal_code

from ..table_schemas import SchemaField, TableSchema
from . import patterns as p
from .codes import CODES, Severity
from .problems import ProblemLog, make_problem
from .reading import ParsedTable
from .suggestions import platform_chars_in, suggest

__all__ = ["ColumnCheck", "check_cells", "plan_checks"]

PyClassifier = Callable[[str], str | None]
Classifier = pl.Expr | PyClassifier

_V: Final = pl.col("v")
_NULL: Final = pl.lit(None, dtype=pl.String)
_TYPED: Final = frozenset({"integer", "number", "date", "time"})
_CODE_CHECKS: Final = frozenset({"localgov-code", "postal-code", "corporate-number"})
_CORPORATE_WEIGHTS: Final = (1, 2)
_FULLWIDTH_RE: Final = re.compile(p.FULLWIDTH_DIGIT)
_RELATED_ROWS: Final = 20  # rows named in a duplicate-id problem
_DISTINCT_MIN_ROWS: Final = 10_000
_DISTINCT_SAMPLE: Final = 2_000
_DISTINCT_SHARE: Final = 0.6


@dataclass(frozen=True)
class ColumnCheck:
    """What to check in one column: the candidate mask and the classifiers."""

    index: int
    column: str
    field: SchemaField | None
    candidates: pl.Expr
    classifiers: tuple[Classifier, ...]


def _code(name: str) -> pl.Expr:
    return pl.lit(name, dtype=pl.String)


def _stripped() -> pl.Expr:
    return _V.str.strip_chars()


# --- classifiers: each maps the value column "v" to a problem code or null -------------


def _required() -> pl.Expr:
    return pl.when(_stripped() == "").then(_code("required.missing")).otherwise(_NULL)


def _edge_space() -> pl.Expr:
    return pl.when(_V.str.contains(p.EDGE_SPACE)).then(_code("whitespace")).otherwise(_NULL)


def _platform() -> pl.Expr:
    return pl.when(_V.str.contains(p.PLATFORM_CLASS)).then(_code("platform-char")).otherwise(_NULL)


def _formula() -> pl.Expr:
    return pl.when(_V.str.contains(p.FORMULA)).then(_code("formula-cell")).otherwise(_NULL)


def _free_text() -> pl.Expr:
    """Free text: only whole-cell 和暦 dates and full-width numbers are problems."""
    return (
        pl.when(_V.str.contains(p.WAREKI))
        .then(_code("wareki-date"))
        .when(_V.str.contains(p.FULLWIDTH_NUMBER) & _V.str.contains(p.FULLWIDTH_DIGIT))
        .then(_code("fullwidth-digits"))
        .otherwise(_NULL)
    )


def _bounds(value: pl.Expr, field: SchemaField) -> pl.Expr:
    """Codes for a typed value outside the field's minimum / maximum."""
    low, high = "constraint.minimum", "constraint.maximum"
    if field.check in ("latitude", "longitude"):
        low = high = f"{field.check}.range"
    expr: pl.Expr = _NULL
    if field.maximum is not None:
        expr = pl.when(value > field.maximum).then(_code(high)).otherwise(expr)
    if field.minimum is not None:
        expr = pl.when(value < field.minimum).then(_code(low)).otherwise(expr)
    return expr


def _typed(field: SchemaField) -> pl.Expr:
    s = _stripped()
    fullwidth = s.str.contains(p.FULLWIDTH_DIGIT)
    if field.type == "date":
        ok = s.str.contains(p.ISO_DATE) & s.str.to_date("%Y-%m-%d", strict=False).is_not_null()
        serial = s.str.contains(p.EXCEL_SERIAL) & s.cast(pl.Int64, strict=False).is_between(
            20000, 80000
        )
        return (
            pl.when((s == "") | ok)
            .then(_NULL)
            .when(s.str.contains(p.WAREKI))
            .then(_code("wareki-date"))
            .when(fullwidth)
            .then(_code("fullwidth-digits"))
            .when(serial)
            .then(_code("excel-serial-date"))
            .otherwise(_code("type.date"))
        )
    if field.type == "time":
        return (
            pl.when((s == "") | s.str.contains(p.TIME_HHMM))
            .then(_NULL)
            .when(fullwidth)
            .then(_code("fullwidth-digits"))
            .otherwise(_code("type.time"))
        )
    integer = field.type == "integer"
    shape = p.INTEGER if integer else p.NUMBER
    value = s.cast(pl.Int64 if integer else pl.Float64, strict=False)
    return (
        pl.when(s == "")
        .then(_NULL)
        .when(~s.str.contains(shape))
        .then(
            pl.when(fullwidth)
            .then(_code("fullwidth-digits"))
            .otherwise(_code("type.integer" if integer else "type.number"))
        )
        .otherwise(_bounds(value, field))
    )


def _typed_ok(v: pl.Expr, field: SchemaField) -> pl.Expr:
    """Cheap test for a perfect typed value (no spaces, right shape, within bounds).

    It may leave out good values (29 February, huge integers): phase 2 decides those.
    Numbers use polars' own parser, which accepts the same text as :data:`NUMBER` /
    :data:`INTEGER` apart from inf and NaN, ruled out by ``is_finite``.
    """
    if field.type == "date":
        return v.str.contains(p.ISO_DATE_SURE)
    if field.type == "time":
        return v.str.contains(p.TIME_HHMM)
    value = v.cast(pl.Int64 if field.type == "integer" else pl.Float64, strict=False)
    ok = value.is_not_null() if field.type == "integer" else value.is_finite().fill_null(False)
    if field.minimum is not None:
        ok = ok & (value >= field.minimum).fill_null(value=False)
    if field.maximum is not None:
        ok = ok & (value <= field.maximum).fill_null(value=False)
    return ok


def _shape(regex: str, code: str) -> pl.Expr:
    s = _stripped()
    return (
        pl.when((s == "") | s.str.contains(regex))
        .then(_NULL)
        .when(s.str.contains(p.FULLWIDTH_DIGIT))
        .then(_code("fullwidth-digits"))
        .otherwise(_code(code))
    )


def _enum(allowed: Sequence[str]) -> pl.Expr:
    s = _stripped()
    return (
        pl.when((s == "") | s.is_in(list(allowed))).then(_NULL).otherwise(_code("constraint.enum"))
    )


def _kana() -> pl.Expr:
    s = _stripped()
    return (
        pl.when((s == "") | s.str.contains(p.KANA))
        .then(_NULL)
        .when(s.str.contains(p.HALFWIDTH_KANA))
        .then(_code("kana.halfwidth"))
        .otherwise(_code("kana.invalid"))
    )


def _localgov(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(p.SIX_DIGITS, text):
        return None if check_digit(text[:5]) == int(text[5]) else "localgov-code.check-digit"
    if _FULLWIDTH_RE.search(text):
        return "fullwidth-digits"
    if re.fullmatch(r"[0-9]{5}", text) and check_digit("0" + text[:4]) == int(text[4]):
        return "localgov-code.leading-zero"
    return "localgov-code.format"


def corporate_check_digit(base12: str) -> int:
    """法人番号の検査用数字: 9 − (Σ digit × (1 or 2, alternating from the right) mod 9)."""
    total = sum(
        int(digit) * _CORPORATE_WEIGHTS[position % 2]
        for position, digit in enumerate(reversed(base12))
    )
    return 9 - total % 9


def _corporate(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(p.THIRTEEN_DIGITS, text):
        ok = corporate_check_digit(text[1:]) == int(text[0])
        return None if ok else "corporate-number.check-digit"
    if _FULLWIDTH_RE.search(text):
        return "fullwidth-digits"
    return "corporate-number.format"


def _phone(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if _FULLWIDTH_RE.search(text):
        return "fullwidth-digits"
    try:
        normalize_phone(text)
    except JapaneseInputError:
        return "phone.format"
    return None


def _postal(value: str) -> str | None:
    text = value.strip()
    if not text or re.fullmatch(p.SEVEN_DIGITS, text):
        return None
    if _FULLWIDTH_RE.search(text):
        return "fullwidth-digits"
    try:
        normalize_postal_code(text)
    except JapaneseInputError:
        return "postal-code.format"
    return "postal-code.format"  # readable, but the standard wants 7 digits, no hyphen


def _bad_codes(distinct: pl.Series, valid: Callable[[str], bool], shape: str) -> list[str]:
    """Distinct well-shaped codes that ``valid`` refuses (codes repeat a lot)."""
    shaped = distinct.filter(distinct.str.contains(shape))
    return [code for code in shaped.to_list() if not valid(code)]


def _localgov_valid(code: str) -> bool:
    return check_digit(code[:5]) == int(code[5])


def _corporate_valid(code: str) -> bool:
    return corporate_check_digit(code[1:]) == int(code[0])


def _phone_valid(number: str) -> bool:
    return _phone(number) is None


def _plan_field(
    index: int, column: str, field: SchemaField, distinct: Callable[[], pl.Series]
) -> ColumnCheck:
    """Candidates (over the column ``c<index>``) and classifiers for a known column."""
    v = pl.col(f"c{index}")
    filled = v != ""
    format_rule: Classifier
    if field.type in _TYPED:
        candidates = filled & ~_typed_ok(v, field)
        format_rule = _typed(field)
    elif field.check == "localgov-code":
        bad = _bad_codes(distinct(), _localgov_valid, p.SIX_DIGITS)
        candidates = filled & (~v.str.contains(p.SIX_DIGITS) | v.is_in(bad))
        format_rule = _localgov
    elif field.check == "corporate-number":
        bad = _bad_codes(distinct(), _corporate_valid, p.THIRTEEN_DIGITS)
        candidates = filled & (~v.str.contains(p.THIRTEEN_DIGITS) | v.is_in(bad))
        format_rule = _corporate
    elif field.check == "postal-code":
        candidates = filled & ~v.str.contains(p.SEVEN_DIGITS)
        format_rule = _postal
    elif field.check == "phone":
        bad = _bad_codes(distinct(), _phone_valid, p.PHONE_PLAIN)
        candidates = filled & (~v.str.contains(p.PHONE_PLAIN) | v.is_in(bad))
        format_rule = _phone
    elif field.check == "kana":
        candidates = filled & ~v.str.contains(p.KANA)
        format_rule = _kana()
    elif field.enum is not None:
        candidates = filled & ~v.is_in(list(field.enum))
        format_rule = _enum(field.enum)
    elif field.check == "url" or field.format == "uri":
        candidates = filled & ~v.str.contains(p.URL)
        format_rule = _shape(p.URL, "format.uri")
    elif field.check == "email" or field.format == "email":
        candidates = filled & ~v.str.contains(p.EMAIL)
        format_rule = _shape(p.EMAIL, "format.email")
    elif field.pattern is not None:
        regex = f"^(?:{field.pattern})$"
        candidates = filled & ~v.str.contains(regex)
        format_rule = _shape(regex, "constraint.pattern")
    else:
        candidates = v.str.contains(p.ATTENTION)
        format_rule = _free_text()
    classifiers: list[Classifier] = [format_rule, _edge_space(), _platform(), _formula()]
    if field.required:
        candidates = candidates | (v == "")
        classifiers.append(_required())
    return ColumnCheck(index, column, field, candidates, tuple(classifiers))


def _repeats(values: pl.Series) -> bool:
    """Whether a column's values repeat a lot, judged on a sample spread over it."""
    if values.len() < _DISTINCT_MIN_ROWS:
        return False
    sample = values.gather_every(max(1, values.len() // _DISTINCT_SAMPLE))
    return sample.n_unique() <= _DISTINCT_SHARE * sample.len()


def plan_checks(
    table: ParsedTable, columns: Sequence[tuple[int, str, SchemaField | None]]
) -> list[ColumnCheck]:
    """One :class:`ColumnCheck` per column; ``columns`` gives (index, header, field).

    Columns such as 地方公共団体名, times, flags or licences hold a handful of values in
    thousands of rows: their candidate mask is computed once per distinct value and the
    rows are then looked up, several times cheaper than running the regular expressions
    on every row.
    """
    data = table.data
    repeated = [index for index, _column, _field in columns if _repeats(data[f"c{index}"])]
    distinct: dict[int, pl.Series] = {}
    if repeated:
        found = data.select(pl.col(f"c{i}").unique().implode() for i in repeated)
        distinct = {i: found.get_column(f"c{i}")[0] for i in repeated}

    def distinct_of(index: int) -> Callable[[], pl.Series]:
        def compute() -> pl.Series:
            if index not in distinct:
                distinct[index] = data.get_column(f"c{index}").unique()
            return distinct[index]

        return compute

    plans: list[ColumnCheck] = []
    for index, column, field in columns:
        if field is None:
            check = ColumnCheck(
                index,
                column,
                None,
                pl.col(f"c{index}").str.contains(p.ATTENTION),
                (_free_text(), _edge_space(), _platform(), _formula()),
            )
        else:
            check = _plan_field(index, column, field, distinct_of(index))
        if index in repeated:
            name = f"c{index}"
            values = distinct[index]
            flags = pl.DataFrame({name: values}).select(check.candidates).to_series()
            check = replace(check, candidates=pl.col(name).is_in(values.filter(flags).to_list()))
        plans.append(check)
    return plans


def _severity(code: str, field: SchemaField | None) -> Severity:
    """Some codes matter more where the column is typed (a date column, a code)."""
    if code == "fullwidth-digits":
        strict = field is not None and (
            field.type in _TYPED or field.check in _CODE_CHECKS or field.pattern is not None
        )
        return "error" if strict else "warning"
    if code == "wareki-date":
        return "error" if field is not None and field.type == "date" else "warning"
    return CODES[code].severity


def _classify(check: ColumnCheck, sub: pl.DataFrame) -> pl.DataFrame:
    """(row index, value, code) for every problem among the candidate rows ``sub``."""
    columns: list[pl.Expr] = []
    distinct: list[str] | None = None
    for n, classifier in enumerate(check.classifiers):
        if isinstance(classifier, pl.Expr):
            columns.append(classifier.alias(f"k{n}"))
            continue
        if distinct is None:
            distinct = sub.get_column("v").unique().to_list()
        mapping = {value: classifier(value) for value in distinct}
        columns.append(
            _V.replace_strict(mapping, default=None, return_dtype=pl.String).alias(f"k{n}")
        )
    wide = sub.select("_i", "v", *columns)
    found = wide.unpivot(index=["_i", "v"], value_name="code").drop("variable")
    return found.drop_nulls("code").with_columns(pl.lit(check.index, dtype=pl.Int64).alias("col"))


def _extra_params(code: str, value: str, field: SchemaField | None) -> dict[str, Any]:
    if code == "constraint.enum" and field is not None and field.enum is not None:
        if field.enum == ("1",):
            return {"allowed_ja": "「1」または空欄", "allowed_en": "'1' or empty"}
        return {
            "allowed_ja": "・".join(f"「{v}」" for v in field.enum),
            "allowed_en": ", ".join(f"'{v}'" for v in field.enum),
        }
    if code == "constraint.pattern" and field is not None:
        return {"pattern": field.pattern}
    if code == "constraint.minimum" and field is not None:
        return {"minimum": f"{field.minimum:g}"}
    if code == "constraint.maximum" and field is not None:
        return {"maximum": f"{field.maximum:g}"}
    if code == "localgov-code.check-digit":
        return {"expected": check_digit(value.strip()[:5])}
    if code == "platform-char":
        return {"chars": platform_chars_in(value)}
    return {}


def _duplicates(data: pl.DataFrame, mask: pl.Series, index: int) -> pl.DataFrame:
    """Rows repeating an earlier row's value, with the first rows of that value and how
    many share it (a file where every row has the same ID must not make a huge report)."""
    rows = mask.arg_true()
    sub = pl.DataFrame({"_i": rows, "v": data.get_column(f"c{index}").gather(rows)})
    groups = sub.group_by("v").agg(
        pl.col("_i").min().alias("first"),
        pl.col("_i").sort().head(_RELATED_ROWS).alias("some"),
        pl.len().alias("n"),
    )
    later = sub.join(groups, on="v").filter(pl.col("_i") != pl.col("first"))
    return later.sort("_i").select("_i", "v", "some", "n")


def check_cells(
    table: ParsedTable,
    plans: Sequence[ColumnCheck],
    unique_columns: Sequence[int],
    log: ProblemLog,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Run the checks, add the problems to ``log`` and return the blank rows (indices)."""
    data = table.data
    # One select: polars evaluates the columns' masks in parallel.
    exprs = [check.candidates.alias(f"m{n}") for n, check in enumerate(plans)]
    exprs += [
        ((pl.col(f"c{i}") != "") & pl.col(f"c{i}").is_duplicated()).alias(f"d{i}")
        for i in unique_columns
    ]
    exprs.append(pl.all_horizontal([pl.col(c) == "" for c in data.columns]).alias("_blank"))
    masks = data.lazy().select(exprs).collect()
    if progress:
        progress(70)
    blank_mask = masks.get_column("_blank")
    not_blank = ~blank_mask
    found_parts: list[pl.DataFrame] = []
    for n, check in enumerate(plans):
        mask = masks.get_column(f"m{n}")
        if not mask.any():
            continue
        rows = (mask & not_blank).arg_true()
        if rows.len() == 0:
            continue
        sub = pl.DataFrame({"_i": rows, "v": data.get_column(f"c{check.index}").gather(rows)})
        found_parts.append(_classify(check, sub))
    fields = {check.index: check for check in plans}
    if found_parts:
        found = pl.concat(found_parts).sort(["_i", "col", "code"])
        counts = found.group_by(["code", "col"], maintain_order=True).len()
        for code, col, count in counts.iter_rows():
            check = fields[col]
            log.count(code, _severity(code, check.field), check.column, count)
        keep = found.filter(pl.int_range(pl.len()).over("code") < log.limit_per_code)
        for row_index, value, code, col in keep.iter_rows():
            check = fields[col]
            suggestion = suggest(code, value, check.field)
            log.store(
                make_problem(
                    code,
                    row=table.row_number(row_index),
                    column=check.column,
                    column_number=col + 1,
                    field=check.field.name if check.field else None,
                    value=value,
                    suggestion=suggestion,
                    severity=_severity(code, check.field),
                    **_extra_params(code, value, check.field),
                )
            )
    for index in unique_columns:
        mask = masks.get_column(f"d{index}")
        if not mask.any():
            continue
        later = _duplicates(data, mask, index)
        check = fields[index]
        log.count("duplicate-id", "error", check.column, later.height)
        for row_index, value, some, total in later.head(log.room("duplicate-id")).iter_rows():
            related = [table.row_number(i) for i in some]
            more = total - len(related)
            listed = "、".join(map(str, related))
            log.store(
                make_problem(
                    "duplicate-id",
                    row=table.row_number(row_index),
                    column=check.column,
                    column_number=index + 1,
                    field=check.field.name if check.field else None,
                    value=value,
                    related_rows=related,
                    rows_ja=f"{listed}行目" + (f"ほか{more}行" if more else ""),
                    rows_en=", ".join(map(str, related)) + (f" and {more} more" if more else ""),
                )
            )
    if progress:
        progress(90)
    return blank_mask.arg_true().to_list()


def schema_columns(
    schema: TableSchema | None, header: Sequence[str], fields: Sequence[str | None]
) -> list[tuple[int, str, SchemaField | None]]:
    """(index, header, field) for every column, ``fields`` being the matched field names."""
    by_name = {f.name: f for f in schema.fields} if schema else {}
    return [
        (index, column, by_name.get(name) if name else None)
        for index, (column, name) in enumerate(zip(header, fields, strict=True))
    ]
