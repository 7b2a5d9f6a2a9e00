"""Validator for uploaded open data tables (CSV) against the shipped Table Schemas.

``validate_bytes(content, schema_name)`` returns a :class:`ValidationReport`;
``read_table(content)`` gives the same strict reading (encoding, BOM, all-string columns)
to the datastore and previews; ``export`` writes CSV that is safe to open in Excel.
"""

from __future__ import annotations

from ..table_schemas import UnknownSchemaError
from .codes import CODES, SEVERITIES, Severity
from .export import neutralise_cell, safe_csv_bytes
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
    "neutralise_cell",
    "read_table",
    "safe_csv_bytes",
    "validate_bytes",
]
