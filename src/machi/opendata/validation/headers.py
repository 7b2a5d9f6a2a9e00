"""Checks of the header row: blank and repeated headers, and the columns a schema expects."""

from __future__ import annotations

import polars as pl

from ..table_schemas import (
    LEVEL_LABELS,
    HeaderMatch,
    Layout,
    TableSchema,
    match_headers,
    normalise_header,
)
from .problems import ProblemLog, make_problem
from .reading import ParsedTable

__all__ = ["check_headers"]


def _blank_and_repeated(table: ParsedTable, log: ProblemLog) -> set[int]:
    """Report blank and repeated headers; return the indices of repeated ones."""
    row = table.header_row
    seen: dict[str, int] = {}
    repeated: set[int] = set()
    for index, header in enumerate(table.header):
        if not header.strip():
            empty = bool(table.data.select((pl.col(f"c{index}") == "").all()).item())
            log.add(
                make_problem(
                    "header.blank",
                    row=row,
                    column=header,
                    column_number=index + 1,
                    severity="warning" if empty else "error",
                )
            )
            continue
        key = normalise_header(header)
        if key in seen:
            repeated.add(index)
            log.add(
                make_problem(
                    "header.duplicate",
                    row=row,
                    column=header,
                    column_number=index + 1,
                    first=seen[key] + 1,
                )
            )
        else:
            seen[key] = index
    return repeated


def _expected_in_legacy(schema: TableSchema) -> set[str]:
    """Current fields an old-layout file can have (directly, renamed or merged)."""
    legacy = schema.legacy
    if legacy is None:
        return set()
    names = set(schema.field_names)
    expected = {legacy.renames.get(old, old) for old in legacy.fields} & names
    expected |= {merge.target for merge in legacy.merges}
    return expected


def check_headers(
    table: ParsedTable,
    schema: TableSchema | None,
    layout: Layout | None,
    log: ProblemLog,
    *,
    whole: bool = True,
) -> list[HeaderMatch]:
    """Check the header row and map each column to a schema field (when there is one).

    ``whole=False`` means ``schema`` covers only some columns of the dataset (the shared
    ones): columns it lacks are neither missing nor unknown.
    """
    repeated = _blank_and_repeated(table, log)
    header = table.header
    row = table.header_row
    if schema is None:
        log.add(make_problem("layout.unknown"))
        return [HeaderMatch(i, h, None, "unknown") for i, h in enumerate(header)]
    if not whole:
        log.add(make_problem("layout.ambiguous"))
    matches = match_headers(schema, header)
    if layout == "legacy" and schema.legacy is not None:
        log.add(
            make_problem(
                "layout.legacy",
                schema_title=schema.legacy.title or schema.title,
                schema_title_en=schema.title_en,
                legacy_number=schema.legacy.standard_number,
            )
        )
    for match in matches:
        number = match.index + 1
        if match.kind == "normalised":
            log.add(
                make_problem(
                    "header.normalised",
                    row=row,
                    column=match.header,
                    column_number=number,
                    field=match.field,
                    suggestion=match.field,
                )
            )
        elif match.kind == "misspelt":
            log.add(
                make_problem(
                    "header.misspelt",
                    row=row,
                    column=match.header,
                    column_number=number,
                    field=match.field,
                    suggestion=match.field,
                )
            )
        elif match.kind in ("legacy", "legacy-merge") and layout != "legacy":
            current = match.field or match.target
            log.add(
                make_problem(
                    "header.legacy-name",
                    row=row,
                    column=match.header,
                    column_number=number,
                    field=current,
                    suggestion=current,
                )
            )
        elif match.kind == "duplicate" and match.index not in repeated:
            first = next(m.index for m in matches if m.field == match.target)
            log.add(
                make_problem(
                    "header.duplicate",
                    row=row,
                    column=match.header,
                    column_number=number,
                    field=match.target,
                    first=first + 1,
                )
            )
        elif (
            whole
            and match.kind == "unknown"
            and match.header.strip()
            and match.index not in repeated
        ):
            log.add(
                make_problem(
                    "header.unknown",
                    row=row,
                    column=match.header,
                    column_number=number,
                    schema_title=schema.title,
                    schema_title_en=schema.title_en,
                )
            )
    present = {m.field for m in matches if m.field} | {
        m.target for m in matches if m.kind == "legacy-merge" and m.target
    }
    expected = _expected_in_legacy(schema) if layout == "legacy" else set(schema.field_names)
    if not whole:
        expected = set()
    for schema_field in schema.fields:
        if schema_field.name in present or schema_field.name not in expected:
            continue
        if schema_field.level == "optional":
            continue
        level_ja, level_en = LEVEL_LABELS[schema_field.level]
        log.add(
            make_problem(
                "header.missing",
                column=schema_field.name,
                field=schema_field.name,
                severity="error" if schema_field.level == "required" else "warning",
                level_ja=level_ja,
                level_en=level_en,
                english_name=schema_field.english_name,
            )
        )
    if layout != "legacy" and whole:
        positions = [schema.field_names.index(m.field) for m in matches if m.field]
        if positions != sorted(positions):
            log.add(make_problem("header.order", row=row))
    return matches
