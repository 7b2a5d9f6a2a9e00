"""validate_bytes: read a file, find its schema and layout, check it, report."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..table_schemas import (
    Layout,
    TableSchema,
    detect_layout,
    load_schema,
    looks_legacy,
    shared_schema,
)
from .cells import check_cells, plan_checks, schema_columns
from .headers import check_headers
from .problems import DEFAULT_LIMIT_PER_CODE, ProblemLog, make_problem
from .reading import ParsedTable, UnreadableFileError, decode_content, parse_table
from .report import ValidationReport

__all__ = ["validate_bytes"]

Progress = Callable[[int], None]


def _layout_for(schema: TableSchema, header: list[str]) -> Layout:
    """The layout of a file whose schema was given: legacy if it looks old."""
    return "legacy" if schema.legacy is not None and looks_legacy(header) else "current"


def _row_problems(table: ParsedTable, blank_rows: list[int], log: ProblemLog) -> None:
    width = len(table.header)
    for row in range(1, table.leading_blank_rows + 1):
        log.add(make_problem("blank-row", row=row))
    for index in blank_rows:
        log.add(make_problem("blank-row", row=table.row_number(index)))
    for index, cells in table.ragged:
        log.add(
            make_problem(
                "ragged-row",
                row=table.row_number(index),
                value=str(cells),
                cells=cells,
                header_count=width,
            )
        )


def _finish(
    report: ValidationReport, log: ProblemLog, started: float, progress: Progress | None
) -> ValidationReport:
    report.problems = log.sorted_problems()
    report.counts = {severity: log.by_severity.get(severity, 0) for severity in log.by_severity}
    report.by_code = dict(log.by_code)
    report.by_column = dict(log.by_column)
    report.truncated = log.truncated
    report.limit_per_code = log.limit_per_code
    report.valid = report.readable and log.by_severity.get("error", 0) == 0
    report.elapsed_ms = (time.perf_counter() - started) * 1000
    if progress:
        progress(100)
    return report


def validate_bytes(
    content: bytes,
    schema_name: str | None = None,
    *,
    schema: TableSchema | None = None,
    progress: Progress | None = None,
    limit_per_code: int = DEFAULT_LIMIT_PER_CODE,
) -> ValidationReport:
    """Validate an uploaded CSV against a standard dataset schema (検証).

    ``schema_name`` names a shipped schema (``public-toilets`` …); with ``None`` the schema
    and the layout (current or the older 推奨データセット) are detected from the headers,
    and a file that matches none still gets the general checks. ``schema`` passes a
    :class:`TableSchema` built elsewhere instead. ``progress`` receives percentages.
    The result is the same for the same input, except ``elapsed_ms``.

    Raises:
        UnknownSchemaError: ``schema_name`` is not a shipped schema.
    """
    started = time.perf_counter()
    if schema is None and schema_name is not None:
        schema = load_schema(schema_name)
    if progress:
        progress(0)
    log = ProblemLog(limit_per_code)
    report = ValidationReport(valid=False, readable=False, size=len(content))
    try:
        decoded = decode_content(content)
        report.encoding, report.has_bom = decoded.encoding, decoded.has_bom
        if progress:
            progress(15)
        table = parse_table(decoded)
    except UnreadableFileError as exc:
        log.add(exc.problem)
        return _finish(report, log, started, progress)
    report.readable = True
    if decoded.encoding == "cp932":
        log.add(make_problem("encoding.cp932"))
    if progress:
        progress(35)
    layout: Layout | None
    if schema is None:
        name, layout = detect_layout(table.header)
        schema = load_schema(name) if name else None
    else:
        layout = _layout_for(schema, table.header)
    whole = True
    if schema is None and layout == "current":
        schema, whole = shared_schema(), False
    if schema is None:
        layout = None
    report.schema = schema.name if schema and whole else None
    report.schema_title = schema.title if schema and whole else None
    report.layout = layout
    report.rows = table.data.height
    report.columns = list(table.header)
    matches = check_headers(table, schema, layout, log, whole=whole)
    levels = {f.name: f.level for f in schema.fields} if schema else {}
    report.headers = [{**m.to_dict(), "level": levels.get(m.field or "")} for m in matches]
    if table.data.height == 0:
        log.add(make_problem("file.no-rows"))
    if progress:
        progress(45)
    columns = schema_columns(schema, table.header, [m.field for m in matches])
    plans = plan_checks(table, columns)
    # A one-column primary key (ID in every standard dataset) must be unique; composite
    # keys are not used by the standard and are not checked.
    keys = set(schema.primary_key) if schema and len(schema.primary_key) == 1 else set()
    unique = [
        index
        for index, _header, field in columns
        if field is not None and (field.name in keys or field.unique)
    ]
    blank_rows = check_cells(table, plans, unique, log, progress)
    _row_problems(table, blank_rows, log)
    return _finish(report, log, started, progress)
