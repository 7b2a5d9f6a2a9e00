"""One problem found in a file, and the log that counts them exactly but stores a sample.

Row numbers are what a spreadsheet user sees: the header is row 1 and the first data
row is row 2. A value that spans lines inside quotes is still one row (one record), so
the number matches the row Excel shows, not the line of a text editor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from .codes import CODES, SEVERITIES, Severity

__all__ = ["DEFAULT_LIMIT_PER_CODE", "Problem", "ProblemLog", "make_problem"]

DEFAULT_LIMIT_PER_CODE: Final = 1000
_VALUE_CHARS: Final = 200
_MESSAGE_VALUE_CHARS: Final = 60


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem, with what it is, where, and how to fix it in both languages.

    ``row`` is ``None`` for problems of the whole file or of a missing column; ``column``
    is the header as written in the file (or the standard's name of a missing column) and
    ``column_number`` its 1-based position. ``related_rows`` lists the rows involved
    (e.g. the first 20 rows sharing a duplicated ID).
    """

    code: str
    severity: Severity
    row: int | None
    column: str | None
    value: str | None
    message_ja: str
    message_en: str
    fix_ja: str
    fix_en: str
    suggestion: str | None = None
    column_number: int | None = None
    field: str | None = None
    related_rows: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["related_rows"] = list(self.related_rows)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        values = dict(data)
        values["related_rows"] = tuple(values.get("related_rows") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in values.items() if key in known})

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        return (
            -1 if self.row is None else self.row,
            -1 if self.column_number is None else self.column_number,
            SEVERITIES.index(self.severity),
            self.code,
        )


class _Params(dict[str, Any]):
    """Template parameters; an unknown name is left visible rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def make_problem(
    code: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    suggestion: str | None = None,
    severity: Severity | None = None,
    column_number: int | None = None,
    field: str | None = None,
    related_rows: Iterable[int] = (),
    **params: Any,
) -> Problem:
    """Build a :class:`Problem`, filling the wording of ``code`` from :data:`CODES`."""
    spec = CODES[code]
    values = _Params(params)
    values.update(
        column=column or "",
        value=_shorten(value or "", _MESSAGE_VALUE_CHARS),
        row=row if row is not None else params.get("row", ""),
        column_number=column_number if column_number is not None else "",
        suggestion=suggestion or "",
        field=field or "",
    )
    fix = spec.fix_with if suggestion is not None and spec.fix_with is not None else spec.fix
    return Problem(
        code=code,
        severity=severity or spec.severity,
        row=row,
        column=column,
        value=None if value is None else _shorten(value, _VALUE_CHARS),
        message_ja=spec.message.ja.format_map(values),
        message_en=spec.message.en.format_map(values),
        fix_ja=fix.ja.format_map(values),
        fix_en=fix.en.format_map(values),
        suggestion=suggestion,
        column_number=column_number,
        field=field,
        related_rows=tuple(related_rows),
    )


@dataclass
class ProblemLog:
    """Exact counts per code and severity; at most ``limit_per_code`` problems stored."""

    limit_per_code: int = DEFAULT_LIMIT_PER_CODE
    problems: list[Problem] = field(default_factory=list)
    by_code: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_column: Counter[str] = field(default_factory=Counter)
    _stored: Counter[str] = field(default_factory=Counter)

    def add(self, problem: Problem) -> None:
        self.count(problem.code, problem.severity, problem.column, 1)
        self.store(problem)

    def count(self, code: str, severity: str, column: str | None, n: int) -> None:
        self.by_code[code] += n
        self.by_severity[severity] += n
        if column is not None:
            self.by_column[column] += n

    def store(self, problem: Problem) -> None:
        """Keep ``problem`` if its code has room; counts are kept by :meth:`count`."""
        if self._stored[problem.code] < self.limit_per_code:
            self._stored[problem.code] += 1
            self.problems.append(problem)

    def room(self, code: str) -> int:
        return max(0, self.limit_per_code - self._stored[code])

    @property
    def truncated(self) -> bool:
        return any(self.by_code[code] > self._stored[code] for code in self.by_code)

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: p.sort_key)
