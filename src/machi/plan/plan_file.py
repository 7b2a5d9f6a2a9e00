"""Read a plan file (YAML, format ``machi-plan/1``) into checked rows.

This module checks the shape of the file: keys, types, numbering, fiscal years inside
the plan period, values inside a KPI's range. Whatever needs the database (does the
department exist, does the measure exist when the file only adds initiatives) is checked
by ``services.plan_import``. Every error carries the line it was found on.
docs/plan.md describes the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from django.utils.translation import gettext as _

from machi.plan.figures import FigureInvalid, figure_from_text
from machi.plan.models import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, Direction, InitiativeStatus

FORMAT = "machi-plan/1"
_MEASURE_KEY_RE = re.compile(r"^([1-9][0-9]?)-([1-9][0-9]?)$")
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_ADOPTED_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class PlanFileProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class PlanFileInvalid(Exception):
    """The file was refused; ``problems`` lists every reason with its line."""

    def __init__(self, problems: list[PlanFileProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class _Node(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: object) -> int:
        return self.key_lines.get(str(key), self.line)


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = _Node(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {str(key.value): key.start_mark.line + 1 for key, _value in node.value}
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


@dataclass(frozen=True)
class PlanHeader:
    code: str
    line: int
    name: str | None = None
    name_en: str = ""
    adopted: str = ""
    first_fiscal_year: int | None = None
    last_fiscal_year: int | None = None
    principle: str | None = None
    principle_description: str = ""
    source: str = ""


@dataclass(frozen=True)
class MeasureRow:
    number: int
    title: str
    description: str
    line: int


@dataclass(frozen=True)
class PolicyRow:
    number: int
    title: str
    description: str
    measures: tuple[MeasureRow, ...]
    line: int


@dataclass(frozen=True)
class InitiativeRow:
    code: str
    measure_key: str
    title: str
    department_code: str
    status: str
    description: str
    schedule: dict[int, str]
    is_demo: bool
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True)
class ActualRow:
    fiscal_year: int
    value: Decimal
    source: str
    line: int


@dataclass(frozen=True)
class KPIRow:
    code: str
    measure_key: str
    initiative_code: str | None
    name: str
    unit: str
    direction: str
    description: str
    minimum: Decimal
    maximum: Decimal | None
    baseline_fiscal_year: int | None
    baseline_value: Decimal | None
    targets: dict[int, Decimal]
    actuals: tuple[ActualRow, ...]
    is_demo: bool
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class PlanFile:
    municipality_code: str
    plan: PlanHeader
    policies: list[PolicyRow] = field(default_factory=list)
    initiatives: list[InitiativeRow] = field(default_factory=list)
    kpis: list[KPIRow] = field(default_factory=list)


class _Reader:
    """Collects problems while walking the parsed YAML, so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[PlanFileProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(PlanFileProblem(line, message))

    def mapping(self, value: Any, line: int, what: str) -> _Node | None:
        if isinstance(value, _Node):
            return value
        self.problem(line, _("%(what)s must be a mapping of keys and values.") % {"what": what})
        return None

    def text(self, node: _Node, key: str, *, required: bool = True, max_length: int = 0) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(node.line, _("“%(key)s” is required.") % {"key": key})
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(node.line_of(key), _("“%(key)s” must be text.") % {"key": key})
            return ""
        text = str(value).strip()
        if max_length and len(text) > max_length:
            self.problem(
                node.line_of(key),
                _("“%(key)s” is longer than %(max)d characters.") % {"key": key, "max": max_length},
            )
        return text

    def integer(self, value: Any, line: int, key: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(line, _("“%(key)s” must be a whole number.") % {"key": key})
            return None
        return value

    def fiscal_year(
        self, value: Any, line: int, key: str, period: tuple[int, int] | None
    ) -> int | None:
        year = self.integer(value, line, key)
        if year is None:
            return None
        if not FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
            self.problem(
                line,
                _("“%(key)s”: %(year)d is not a fiscal year (write the 西暦 year, e.g. 2023).")
                % {"key": key, "year": year},
            )
            return None
        if period is not None and not period[0] <= year <= period[1]:
            self.problem(
                line,
                _("“%(key)s”: fiscal year %(year)d is outside the plan period %(first)d–%(last)d.")
                % {"key": key, "year": year, "first": period[0], "last": period[1]},
            )
            return None
        return year

    def number(self, value: Any, line: int, key: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(line, _("“%(key)s” must be a number.") % {"key": key})
            return None
        try:
            return figure_from_text(str(value).replace(",", ""))
        except FigureInvalid as invalid:
            if invalid.reason == "not_a_number":
                self.problem(line, _("“%(key)s” must be a number.") % {"key": key})
            else:
                self.problem(
                    line,
                    _("“%(key)s” must be below 100,000,000,000 with at most 3 decimal places.")
                    % {"key": key},
                )
            return None

    def in_range(
        self,
        value: Decimal | None,
        line: int,
        key: str,
        minimum: Decimal,
        maximum: Decimal | None,
    ) -> Decimal | None:
        if value is None:
            return None
        if value < minimum or (maximum is not None and value > maximum):
            upper = str(maximum) if maximum is not None else "—"
            self.problem(
                line,
                _("“%(key)s”: %(value)s is outside the allowed range %(min)s to %(max)s.")
                % {"key": key, "value": value, "min": minimum, "max": upper},
            )
            return None
        return value


def parse_plan_file(text: str) -> PlanFile:
    """Parse and check a plan file; raise ``PlanFileInvalid`` listing every problem."""
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = exc.problem or str(exc)
        raise PlanFileInvalid(
            [PlanFileProblem(line, _("not valid YAML: %(reason)s") % {"reason": reason})]
        ) from None
    except yaml.YAMLError as exc:
        raise PlanFileInvalid(
            [PlanFileProblem(1, _("not valid YAML: %(reason)s") % {"reason": exc})]
        ) from None
    reader = _Reader()
    root = reader.mapping(document, 1, _("The file"))
    if root is None:
        raise PlanFileInvalid(reader.problems)
    result = _read_root(reader, root)
    if reader.problems or result is None:
        raise PlanFileInvalid(reader.problems)
    return result


def _read_root(reader: _Reader, root: _Node) -> PlanFile | None:
    if root.get("format") != FORMAT:
        reader.problem(
            root.line_of("format"), _("“format” must be %(format)s.") % {"format": FORMAT}
        )
        return None
    known = {"format", "municipality", "demo", "plan", "policies", "initiatives", "kpis"}
    for key in root:
        if key not in known:
            reader.problem(root.line_of(key), _("unknown key “%(key)s”.") % {"key": key})
    municipality = reader.text(root, "municipality")
    demo = root.get("demo", False)
    if not isinstance(demo, bool):
        reader.problem(root.line_of("demo"), _("“demo” must be true or false."))
        demo = False
    plan_node = reader.mapping(root.get("plan"), root.line_of("plan"), "“plan”")
    if plan_node is None:
        return None
    header = _read_header(reader, plan_node, full="policies" in root)
    period = None
    if header.first_fiscal_year and header.last_fiscal_year:
        period = (header.first_fiscal_year, header.last_fiscal_year)
    plan_file = PlanFile(municipality_code=municipality, plan=header)
    plan_file.policies = _read_policies(reader, root)
    plan_file.initiatives = _read_initiatives(reader, root, period, demo)
    plan_file.kpis = _read_kpis(reader, root, period, demo)
    return plan_file


def _read_header(reader: _Reader, node: _Node, *, full: bool) -> PlanHeader:
    code = reader.text(node, "code", max_length=64)
    if code and not _SLUG_RE.match(code):
        reader.problem(
            node.line_of("code"),
            _("“code” may use only lower-case letters, digits and hyphens, e.g. kameyama-dx."),
        )
    first_year = last_year = None
    # A file that only adds initiatives and KPIs names an existing plan by its code and
    # may leave the period out; a file with policies defines the plan and needs it.
    if full or "first_fiscal_year" in node:
        first_year = reader.fiscal_year(
            node.get("first_fiscal_year"),
            node.line_of("first_fiscal_year"),
            "first_fiscal_year",
            None,
        )
    if full or "last_fiscal_year" in node:
        last_year = reader.fiscal_year(
            node.get("last_fiscal_year"), node.line_of("last_fiscal_year"), "last_fiscal_year", None
        )
    if not full:
        return PlanHeader(
            code=code, line=node.line, first_fiscal_year=first_year, last_fiscal_year=last_year
        )
    if first_year and last_year and not 0 <= last_year - first_year <= 10:
        reader.problem(
            node.line_of("last_fiscal_year"),
            _("The plan period must run forward and last at most 11 fiscal years."),
        )
    adopted = reader.text(node, "adopted", required=False)
    if adopted and not _ADOPTED_RE.match(adopted):
        reader.problem(node.line_of("adopted"), _("“adopted” must look like 2022-06."))
    return PlanHeader(
        code=code,
        line=node.line,
        name=reader.text(node, "name", max_length=200),
        name_en=reader.text(node, "name_en", required=False, max_length=200),
        adopted=adopted,
        first_fiscal_year=first_year,
        last_fiscal_year=last_year,
        principle=reader.text(node, "principle"),
        principle_description=reader.text(node, "principle_description", required=False),
        source=reader.text(node, "source", required=False, max_length=200),
    )


def _items(reader: _Reader, root: _Node, key: str) -> list[_Node]:
    value = root.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(root.line_of(key), _("“%(key)s” must be a list.") % {"key": key})
        return []
    items = []
    for item in value:
        node = reader.mapping(item, root.line_of(key), key)
        if node is not None:
            items.append(node)
    return items


def _read_number_key(reader: _Reader, node: _Node, seen: set[int], what: str) -> int:
    number = reader.integer(node.get("number"), node.line_of("number"), "number")
    if number is None:
        return 0
    if not 1 <= number <= 99:
        reader.problem(node.line_of("number"), _("“number” must be between 1 and 99."))
    if number in seen:
        reader.problem(
            node.line_of("number"),
            _("%(what)s number %(number)d appears twice.") % {"what": what, "number": number},
        )
    seen.add(number)
    return number


def _read_policies(reader: _Reader, root: _Node) -> list[PolicyRow]:
    policies: list[PolicyRow] = []
    policy_numbers: set[int] = set()
    for node in _items(reader, root, "policies"):
        number = _read_number_key(reader, node, policy_numbers, _("Basic policy"))
        measures: list[MeasureRow] = []
        measure_numbers: set[int] = set()
        for measure in _items(reader, node, "measures"):
            measures.append(
                MeasureRow(
                    number=_read_number_key(reader, measure, measure_numbers, _("Measure")),
                    title=reader.text(measure, "title", max_length=200),
                    description=reader.text(measure, "description", required=False),
                    line=measure.line,
                )
            )
        policies.append(
            PolicyRow(
                number=number,
                title=reader.text(node, "title", max_length=200),
                description=reader.text(node, "description", required=False),
                measures=tuple(measures),
                line=node.line,
            )
        )
    return policies


def _measure_key(reader: _Reader, node: _Node) -> str:
    key = reader.text(node, "measure")
    if key and not _MEASURE_KEY_RE.match(key):
        reader.problem(
            node.line_of("measure"),
            _("“measure” must be “policy-measure”, e.g. 2-6 for 基本方針2 (6)."),
        )
    return key


def _code(reader: _Reader, node: _Node, seen: set[str]) -> str:
    code = reader.text(node, "code")
    if code and not _CODE_RE.match(code):
        reader.problem(
            node.line_of("code"),
            _("“code” may use letters, digits, “.”, “_” and “-”, at most 32 characters."),
        )
    if code in seen:
        reader.problem(node.line_of("code"), _("code “%(code)s” appears twice.") % {"code": code})
    seen.add(code)
    return code


def _demo_flag(reader: _Reader, node: _Node, default: bool) -> bool:
    value = node.get("demo", default)
    if not isinstance(value, bool):
        reader.problem(node.line_of("demo"), _("“demo” must be true or false."))
        return default
    return value


def _year_mapping(
    reader: _Reader, node: _Node, key: str, period: tuple[int, int] | None
) -> dict[int, Any]:
    value = node.get(key)
    if value is None:
        return {}
    mapping = reader.mapping(value, node.line_of(key), f"“{key}”")
    if mapping is None:
        return {}
    result: dict[int, Any] = {}
    for year_key, item in mapping.items():
        line = mapping.line_of(str(year_key))
        year = reader.fiscal_year(year_key, line, key, period)
        if year is not None:
            result[year] = item
    return result


def _read_initiatives(
    reader: _Reader, root: _Node, period: tuple[int, int] | None, demo: bool
) -> list[InitiativeRow]:
    rows: list[InitiativeRow] = []
    codes: set[str] = set()
    for node in _items(reader, root, "initiatives"):
        status = reader.text(node, "status", required=False) or InitiativeStatus.NOT_STARTED
        if status not in InitiativeStatus.values:
            reader.problem(
                node.line_of("status"),
                _("“status” must be one of %(choices)s.")
                % {"choices": ", ".join(InitiativeStatus.values)},
            )
        schedule = {
            year: str(text).strip()
            for year, text in _year_mapping(reader, node, "schedule", period).items()
        }
        rows.append(
            InitiativeRow(
                code=_code(reader, node, codes),
                measure_key=_measure_key(reader, node),
                title=reader.text(node, "title", max_length=200),
                department_code=reader.text(node, "department"),
                status=status,
                description=reader.text(node, "description", required=False),
                schedule=schedule,
                is_demo=_demo_flag(reader, node, demo),
                line=node.line,
                key_lines=node.key_lines,
            )
        )
    return rows


def _read_kpis(
    reader: _Reader, root: _Node, period: tuple[int, int] | None, demo: bool
) -> list[KPIRow]:
    rows: list[KPIRow] = []
    codes: set[str] = set()
    for node in _items(reader, root, "kpis"):
        unit = reader.text(node, "unit", max_length=20)
        direction = reader.text(node, "direction", required=False) or Direction.HIGHER
        if direction not in Direction.values:
            reader.problem(node.line_of("direction"), _("“direction” must be higher or lower."))
        minimum = Decimal(0)
        if "minimum" in node:
            minimum = reader.number(node["minimum"], node.line_of("minimum"), "minimum") or minimum
        maximum = Decimal(100) if unit == "%" else None
        if "maximum" in node:
            maximum = reader.number(node["maximum"], node.line_of("maximum"), "maximum")
        if maximum is not None and maximum <= minimum:
            reader.problem(node.line_of("maximum"), _("“maximum” must be above “minimum”."))
            maximum = None
        baseline_year = baseline_value = None
        if "baseline" in node:
            baseline = reader.mapping(node["baseline"], node.line_of("baseline"), "“baseline”")
            if baseline is not None:
                baseline_year = reader.fiscal_year(
                    baseline.get("fiscal_year"), baseline.line, "baseline.fiscal_year", None
                )
                baseline_value = reader.in_range(
                    reader.number(baseline.get("value"), baseline.line, "baseline.value"),
                    baseline.line,
                    "baseline.value",
                    minimum,
                    maximum,
                )
        targets: dict[int, Decimal] = {}
        for year, value in _year_mapping(reader, node, "targets", period).items():
            number = reader.in_range(
                reader.number(value, node.line_of("targets"), "targets"),
                node.line_of("targets"),
                f"targets.{year}",
                minimum,
                maximum,
            )
            if number is not None:
                targets[year] = number
        rows.append(
            KPIRow(
                code=_code(reader, node, codes),
                measure_key=_measure_key(reader, node),
                initiative_code=reader.text(node, "initiative", required=False) or None,
                name=reader.text(node, "name", max_length=200),
                unit=unit,
                direction=direction,
                description=reader.text(node, "description", required=False),
                minimum=minimum,
                maximum=maximum,
                baseline_fiscal_year=baseline_year,
                baseline_value=baseline_value,
                targets=targets,
                actuals=tuple(_read_actuals(reader, node, period, minimum, maximum)),
                is_demo=_demo_flag(reader, node, demo),
                line=node.line,
                key_lines=node.key_lines,
            )
        )
    return rows


def _read_actuals(
    reader: _Reader,
    node: _Node,
    period: tuple[int, int] | None,
    minimum: Decimal,
    maximum: Decimal | None,
) -> list[ActualRow]:
    rows: list[ActualRow] = []
    years: set[int] = set()
    for item in _items(reader, node, "actuals"):
        year = reader.fiscal_year(item.get("fiscal_year"), item.line, "actuals.fiscal_year", period)
        value = reader.in_range(
            reader.number(item.get("value"), item.line, "actuals.value"),
            item.line,
            "actuals.value",
            minimum,
            maximum,
        )
        if year in years:
            reader.problem(
                item.line, _("fiscal year %(year)d appears twice in actuals.") % {"year": year}
            )
        if year is not None and value is not None and year not in years:
            years.add(year)
            rows.append(
                ActualRow(
                    fiscal_year=year,
                    value=value,
                    source=reader.text(item, "source", required=False, max_length=200),
                    line=item.line,
                )
            )
    return rows
