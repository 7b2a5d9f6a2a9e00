"""The validation report: a summary and the problems, as a JSON-ready dictionary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .codes import SEVERITIES
from .problems import DEFAULT_LIMIT_PER_CODE, Problem

__all__ = ["REPORT_VERSION", "ValidationReport"]

REPORT_VERSION: Final = 1


@dataclass
class ValidationReport:
    """What the validator found in one file.

    ``valid`` means no problem of severity ``error``; ``readable`` is false when the file
    could not be read at all (not a CSV, unknown encoding, empty), in which case only that
    problem is reported. ``counts``, ``by_code`` and ``by_column`` are exact; ``problems``
    holds at most ``limit_per_code`` problems of each code (``truncated`` says whether some
    were left out), sorted by row and column.
    """

    valid: bool
    readable: bool
    schema: str | None = None
    schema_title: str | None = None
    layout: str | None = None
    encoding: str | None = None
    has_bom: bool = False
    size: int = 0
    rows: int = 0
    columns: list[str] = field(default_factory=list)
    headers: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    by_column: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    limit_per_code: int = DEFAULT_LIMIT_PER_CODE
    truncated: bool = False
    elapsed_ms: float = 0.0
    version: int = REPORT_VERSION

    @property
    def errors(self) -> int:
        return self.counts.get("error", 0)

    @property
    def warnings(self) -> int:
        return self.counts.get("warning", 0)

    def problems_with(self, code: str) -> list[Problem]:
        return [p for p in self.problems if p.code == code]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only; :meth:`from_dict` reads it back."""
        return {
            "version": self.version,
            "valid": self.valid,
            "readable": self.readable,
            "schema": self.schema,
            "schema_title": self.schema_title,
            "layout": self.layout,
            "encoding": self.encoding,
            "has_bom": self.has_bom,
            "size": self.size,
            "rows": self.rows,
            "column_count": len(self.columns),
            "columns": list(self.columns),
            "headers": [dict(h) for h in self.headers],
            "counts": {severity: self.counts.get(severity, 0) for severity in SEVERITIES},
            "by_code": dict(sorted(self.by_code.items())),
            "by_column": dict(sorted(self.by_column.items())),
            "problems": [p.to_dict() for p in self.problems],
            "limit_per_code": self.limit_per_code,
            "truncated": self.truncated,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ValidationReport:
        return cls(
            valid=bool(data["valid"]),
            readable=bool(data.get("readable", True)),
            schema=data.get("schema"),
            schema_title=data.get("schema_title"),
            layout=data.get("layout"),
            encoding=data.get("encoding"),
            has_bom=bool(data.get("has_bom", False)),
            size=int(data.get("size", 0)),
            rows=int(data.get("rows", 0)),
            columns=list(data.get("columns", [])),
            headers=[dict(h) for h in data.get("headers", [])],
            counts=dict(data.get("counts", {})),
            by_code=dict(data.get("by_code", {})),
            by_column=dict(data.get("by_column", {})),
            problems=[Problem.from_dict(p) for p in data.get("problems", [])],
            limit_per_code=int(data.get("limit_per_code", DEFAULT_LIMIT_PER_CODE)),
            truncated=bool(data.get("truncated", False)),
            elapsed_ms=float(data.get("elapsed_ms", 0.0)),
            version=int(data.get("version", REPORT_VERSION)),
        )
