"""Validator for uploaded open data tables (CSV) against the shipped Table Schemas.

``validate_bytes(content, schema_name)`` returns a :class:`ValidationReport`;
``read_table(content)`` gives the same strict reading (encoding, BOM, all-string columns)
to the datastore and previews. CSV safe to open in Excel is written by
:mod:`machi.core.csv_files`.
"""

from __future__ import annotations

from ..table_schemas import UnknownSchemaError
from .codes import CODES, SEVERITIES, Severity
from .problems import DEFAULT_LIMIT_PER_CODE, Problem
from .reading import UnreadableFileError, read_table
from .report import ValidationReport
from .validator import validate_bytes

__all__ = [
    "CODES",
    "DEFAULT_LIMIT_PER_CODE",
    "SEVERITIES",
    "Problem",
    "Severity",
    "UnknownSchemaError",
    "UnreadableFileError",
    "ValidationReport",
    "read_table",
    "validate_bytes",
]
