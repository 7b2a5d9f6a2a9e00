"""``datastore_search``: the rows of a published table, searched like CKAN's DataStore.

Each checked table is kept as a Parquet copy beside the uploaded file
(``ResourceVersion.table_file``); this module answers CKAN's ``datastore_search``
(``ckanext/datastore/logic/action.py``) from it with polars instead of a PostgreSQL
table per resource. Loaded tables are kept in memory per version (versions never change
once published), in a small least-recently-used cache bounded by count and size, so
repeated queries on a table of a million rows read the file once.

Behaviour follows CKAN 2.11: ``limit`` defaults to 100 and is capped at 32000, records
carry a 1-based ``_id``, unknown columns are a Validation Error, a resource without a
table is "Resource "<id>" was not found.", and ``_links`` give the next page.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

import numpy as np
import polars as pl
from django.conf import settings

from machi.opendata import selectors
from machi.opendata.ckan.errors import NotFound, ValidationError
from machi.opendata.ckan.params import INVALID, Params, json_from_parameter
from machi.opendata.ckan.serializers import Context
from machi.opendata.models import ResourceVersion

LIMIT_DEFAULT = 100
LIMIT_MAX = 32000  # ckan.datastore.search.rows_max
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
ROW_ID = "_id"
MAX_CODED_VALUES = 100_000
ACCEPTED = ("plain", "language", "total_estimation_threshold", "distinct", "full_text")


class Table:
    """A loaded table and, built on first use, integer codes of its text columns.

    Equality ``filters`` (the common query: 地区 = 関) compare the codes with numpy
    instead of comparing strings row by row; columns with more than
    :data:`MAX_CODED_VALUES` distinct values are filtered by polars instead.
    """

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.size = int(frame.estimated_size())
        self._codes: dict[str, tuple[dict[str | None, int], np.ndarray] | None] = {}
        self._lock = threading.Lock()

    def codes(self, column: str) -> tuple[dict[str | None, int], np.ndarray] | None:
        """``(value → code, code of each row)``; ``None`` when not worth keeping."""
        if column in self._codes:
            return self._codes[column]
        with self._lock:
            if column not in self._codes:
                self._codes[column] = self._build_codes(column)
            return self._codes[column]

    def _build_codes(self, column: str) -> tuple[dict[str | None, int], np.ndarray] | None:
        series = self.frame[column]
        if series.dtype != pl.String:
            return None
        values = series.drop_nulls().unique(maintain_order=True)
        if len(values) > MAX_CODED_VALUES:
            return None
        numbers = pl.int_range(1, len(values) + 1, eager=True, dtype=pl.Int32)
        codes = series.replace_strict(values, numbers, default=0, return_dtype=pl.Int32)
        lookup: dict[str | None, int] = {v: i for i, v in enumerate(values.to_list(), start=1)}
        lookup[None] = 0
        array = codes.to_numpy()
        self.size += array.nbytes
        return lookup, array


class TableCache:
    """Tables by version id, least recently used first out, within ``max_bytes``."""

    def __init__(self, *, max_tables: int = 8, max_bytes: int = 1024 * 1024 * 1024) -> None:
        self.max_tables = max_tables
        self.max_bytes = max_bytes
        self._tables: OrderedDict[str, Table] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: ResourceVersion) -> Table:
        key = str(version.pk)
        with self._lock:
            found = self._tables.get(key)
            if found is not None:
                self._tables.move_to_end(key)
                return found
        table = Table(load_table(version))
        with self._lock:
            self._tables[key] = table
            self._tables.move_to_end(key)
            while len(self._tables) > 1 and (
                len(self._tables) > self.max_tables
                or sum(t.size for t in self._tables.values()) > self.max_bytes
            ):
                self._tables.popitem(last=False)
        return table

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()


def load_table(version: ResourceVersion) -> pl.DataFrame:
    """The version's Parquet table with the 1-based ``_id`` column first."""
    with version.table_file.open("rb") as handle:
        table = pl.read_parquet(io.BytesIO(handle.read()))
    if ROW_ID in table.columns:
        table = table.rename({ROW_ID: f"{ROW_ID}_original"})
    return table.with_row_index(ROW_ID, offset=1).with_columns(pl.col(ROW_ID).cast(pl.Int64))


tables = TableCache(
    max_tables=settings.MACHI_DATASTORE_CACHE_TABLES,
    max_bytes=settings.MACHI_DATASTORE_CACHE_MB * 1024 * 1024,
)


def field_type(dtype: pl.DataType) -> str:
    """CKAN's (PostgreSQL's) name for a column type."""
    if dtype.is_integer():
        return "int"
    if dtype.is_float() or dtype.is_decimal():
        return "numeric"
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.Date:
        return "date"
    if dtype == pl.Datetime:
        return "timestamp"
    if dtype == pl.Time:
        return "time"
    return "text"


def _not_in_table(name: str) -> str:
    return f'field "{name}" not in table'


def _text(column: str, dtype: pl.DataType) -> pl.Expr:
    expr = pl.col(column)
    return expr if dtype == pl.String else expr.cast(pl.String)


def _filters(filters: Any, table: Table) -> tuple[np.ndarray | None, list[pl.Expr]]:
    """Equality filters as a row mask from the column codes where there are codes, and
    polars expressions for the rest."""
    schema = table.frame.schema
    if not isinstance(filters, dict):
        raise ValidationError({"filters": ["Not a json object"]})
    missing = [name for name in filters if name not in schema]
    if missing:
        raise ValidationError({"filters": [_not_in_table(name) for name in missing]})
    mask: np.ndarray | None = None
    exprs = []
    for name, value in filters.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, (dict, list)) for v in values):
            raise ValidationError({"filters": [f'invalid value for field "{name}"']})
        wanted = [v if isinstance(v, str) or v is None else json.dumps(v) for v in values]
        coded = table.codes(name) if name != ROW_ID else None
        if coded is not None:
            lookup, codes = coded
            numbers = [lookup[v] for v in wanted if v in lookup]
            match = codes == numbers[0] if len(numbers) == 1 else np.isin(codes, numbers)
            mask = match if mask is None else mask & match
            continue
        strings = [v for v in wanted if v is not None]
        column = _text(name, schema[name])
        expr = column.is_in(strings) if len(strings) != 1 else column == strings[0]
        if None in wanted:
            expr = (expr | pl.col(name).is_null()) if strings else pl.col(name).is_null()
        exprs.append(expr.fill_null(False))
    return mask, exprs


def _contains(column: str, dtype: pl.DataType, text: str) -> pl.Expr:
    return (
        _text(column, dtype).str.to_lowercase().str.contains(text.lower(), literal=True)
    ).fill_null(False)


def _query_expr(q: Any, schema: pl.Schema) -> list[pl.Expr]:
    """``q`` text: rows where any column contains it (case-insensitive); a dict: each
    named column contains its text."""
    columns = [c for c in schema if c != ROW_ID]
    if isinstance(q, dict):
        missing = [name for name in q if name not in schema]
        if missing:
            raise ValidationError({"q": [_not_in_table(name) for name in missing]})
        return [
            _contains(name, schema[name], str(text))
            for name, text in q.items()
            if str(text).strip()
        ]
    text = str(q).strip()
    if not text or not columns:
        return []
    return [pl.any_horizontal([_contains(c, schema[c], text) for c in columns])]


_SORT_PART = re.compile(
    r'^\s*(?:"(?P<quoted>[^"]+)"|(?P<bare>.+?))(?:\s+(?P<dir>asc|desc))?\s*$', re.I
)


def _sort_order(sort: list[str], schema: pl.Schema) -> tuple[list[str], list[bool]]:
    columns: list[str] = []
    descending: list[bool] = []
    errors: list[str] = []
    for item in sort:
        for part in item.split(","):
            if not part.strip():
                continue
            match = _SORT_PART.match(part)
            name = (match["quoted"] or match["bare"]).strip() if match else part.strip()
            if name not in schema:
                errors.append(_not_in_table(name))
                continue
            columns.append(name)
            descending.append(bool(match and (match["dir"] or "").lower() == "desc"))
    if errors:
        raise ValidationError({"sort": errors})
    return columns, descending


def _links(ctx: Context, data: dict[str, Any], offset: int, limit: int) -> dict[str, str]:
    base = ctx.action_url("datastore_search")
    arguments = {
        key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        for key, value in data.items()
        if key != "offset" and value is not None
    }
    links = {
        "start": f"{base}?{urlencode(arguments)}",
        "next": f"{base}?{urlencode({**arguments, 'offset': offset + limit})}",
    }
    if offset - limit > 0:
        links["prev"] = f"{base}?{urlencode({**arguments, 'offset': offset - limit})}"
    return links


def _string_list(params: Params, key: str) -> list[str]:
    """CKAN's ``list_of_strings_or_string``: a list, or names separated by commas."""
    value = params.data.get(key)
    params.seen.add(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        if value.strip().startswith("["):
            value = params.parsed_json(key, value)
            if value is INVALID:
                return []
        else:
            return [value] if key == "sort" else [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        params.error(key, "Not a list of strings")
        return []
    return list(value)


def datastore_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """The action (see :func:`machi.opendata.ckan.actions.datastore_search`)."""
    params = Params(data)
    resource_id = params.required("resource_id", "id")
    filters = params.json_value("filters")
    q = params.data.get("q")
    params.seen.add("q")
    if isinstance(q, str) and q.strip().startswith("{"):
        with contextlib.suppress(ValueError):
            q = json_from_parameter(q)
    full_text = params.string("full_text")
    limit = params.natural("limit", LIMIT_DEFAULT)
    offset = params.natural("offset", 0) or 0
    fields = _string_list(params, "fields")
    sort = _string_list(params, "sort")
    include_total = params.boolean("include_total", True)
    distinct = params.boolean("distinct")
    records_format = params.string("records_format", "objects") or "objects"
    if records_format not in RECORDS_FORMATS:
        params.error("records_format", f"Value must be one of {list(RECORDS_FORMATS)}")
    params.accept(*ACCEPTED)
    junk = params.unknown()
    if junk:
        params.error("__junk", f"The input field {junk} was not expected.")
    params.check()
    limit = min(LIMIT_DEFAULT if limit is None else limit, LIMIT_MAX)

    resource = selectors.resource_find(ctx.municipality, resource_id)
    version = selectors.current_version(resource) if resource is not None else None
    if version is None or not version.table_file:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    table = tables.get(version)
    frame = table.frame
    schema = frame.schema

    mask: np.ndarray | None = None
    conditions: list[pl.Expr] = []
    if filters is not None:
        mask, conditions = _filters(filters, table)
    if q is not None and not (isinstance(q, str) and not q.strip()):
        conditions += _query_expr(q if isinstance(q, dict) else str(q), schema)
    if full_text:
        conditions += _query_expr(full_text, schema)
    missing = [name for name in fields if name not in schema]
    if missing:
        raise ValidationError({"fields": [_not_in_table(name) for name in missing]})
    selected = fields or list(schema)
    order, descending = _sort_order(sort, schema)
    if distinct and any(name not in selected for name in order):
        raise ValidationError({"sort": ["With distinct, sort only by the fields returned."]})

    total: int | None
    if mask is not None and not conditions and not distinct and not order:
        rows = np.flatnonzero(mask)  # the common case: equality filters only
        total = len(rows) if include_total else None
        page = frame[rows[offset : offset + limit]].select(selected)
    else:
        if mask is not None:
            frame = frame.filter(pl.Series(mask))
        lazy = frame.lazy()
        if conditions:
            lazy = lazy.filter(pl.all_horizontal(conditions))
        if distinct:
            lazy = lazy.select(selected).unique(maintain_order=True)
        counted = lazy.select(pl.len())
        if order:
            lazy = lazy.sort(order, descending=descending, nulls_last=True, maintain_order=True)
        page_frame = lazy.slice(offset, limit).select(selected)
        if include_total:
            page, count = pl.collect_all([page_frame, counted])
            total = int(count.item())
        else:
            page, total = page_frame.collect(), None

    result: dict[str, Any] = {
        "resource_id": str(resource.pk) if resource is not None else resource_id,
        "fields": [{"id": name, "type": field_type(schema[name])} for name in selected],
        "records": _records(page, records_format),
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "filters": filters if filters is not None else {},
        "include_total": include_total,
        "_links": _links(ctx, data, offset, limit),
    }
    if q is not None:
        result["q"] = q
    if sort:
        result["sort"] = ", ".join(sort)
    if total is not None:
        result["total"] = total
        result["total_was_estimated"] = False
    return result


def _records(page: pl.DataFrame, records_format: str) -> Any:
    if records_format == "lists":
        return [list(row) for row in page.iter_rows()]
    if records_format in ("csv", "tsv"):
        return page.write_csv(
            include_header=False, separator="," if records_format == "csv" else "\t"
        )
    return page.to_dicts()
