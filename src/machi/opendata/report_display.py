"""The validator's report as staff read it: problems grouped by kind, with a title per
kind, the message and fix in the page's language, errors first.

The English wording quotes the file's headers and values ('名称'), which are Japanese
content: on English pages they are marked ``lang="ja"`` (WCAG 3.1.2). ``encoding_label`` names a
file's encoding here and on the resource pages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from machi.core.templatetags.content import needs_mark


def encoding_label(encoding: str, has_bom: bool) -> str:
    """How people name a file's character encoding (UTF-8 (BOM付き), Shift_JIS (CP932))."""
    key = (encoding or "").lower().replace("_", "-")
    if not key:
        return ""
    if key in ("cp932", "shift-jis", "sjis", "ms932", "windows-31j"):
        return "Shift_JIS (CP932)"
    if key.startswith("utf-8") or key == "utf8":
        return _("UTF-8 with BOM") if has_bom or key == "utf-8-sig" else "UTF-8"
    return encoding.upper()


SEVERITIES = ("error", "warning", "info")
PROBLEMS_SHOWN_PER_KIND = 200


#: A title for each kind of problem the validator reports (its stable codes).
KIND_TITLES = {
    "file.empty": gettext_lazy("Empty file"),
    "file.not-csv": gettext_lazy("Not a CSV file"),
    "file.no-rows": gettext_lazy("No rows of data"),
    "encoding.unknown": gettext_lazy("Unknown character encoding"),
    "encoding.utf16": gettext_lazy("Saved as UTF-16"),
    "encoding.cp932": gettext_lazy("Shift_JIS (CP932) encoding"),
    "ragged-row": gettext_lazy("Rows with the wrong number of cells"),
    "blank-row": gettext_lazy("Empty rows"),
    "header.blank": gettext_lazy("Columns without a header"),
    "header.duplicate": gettext_lazy("Repeated headers"),
    "header.missing": gettext_lazy("Missing columns"),
    "header.unknown": gettext_lazy("Columns the standard does not have"),
    "header.normalised": gettext_lazy("Headers written differently"),
    "header.misspelt": gettext_lazy("Misspelt headers"),
    "header.legacy-name": gettext_lazy("Headers with an older name"),
    "header.order": gettext_lazy("Columns out of the standard order"),
    "layout.legacy": gettext_lazy("Older layout (推奨データセット)"),
    "layout.unknown": gettext_lazy("Not a standard layout"),
    "required.missing": gettext_lazy("Required values left empty"),
    "type.integer": gettext_lazy("Not a whole number"),
    "type.number": gettext_lazy("Not a number"),
    "type.date": gettext_lazy("Not a date"),
    "type.time": gettext_lazy("Not a time"),
    "wareki-date": gettext_lazy("Japanese-era dates (和暦)"),
    "excel-serial-date": gettext_lazy("Excel date serial numbers"),
    "fullwidth-digits": gettext_lazy("Full-width digits"),
    "constraint.enum": gettext_lazy("Values not in the list"),
    "constraint.pattern": gettext_lazy("Values in the wrong form"),
    "constraint.minimum": gettext_lazy("Values below the minimum"),
    "constraint.maximum": gettext_lazy("Values above the maximum"),
    "latitude.range": gettext_lazy("Latitude outside Japan"),
    "longitude.range": gettext_lazy("Longitude outside Japan"),
    "localgov-code.format": gettext_lazy("Local government codes in the wrong form"),
    "localgov-code.leading-zero": gettext_lazy("Local government codes missing a leading zero"),
    "localgov-code.check-digit": gettext_lazy("Local government codes with a wrong check digit"),
    "corporate-number.format": gettext_lazy("Corporate numbers in the wrong form"),
    "corporate-number.check-digit": gettext_lazy("Corporate numbers with a wrong check digit"),
    "phone.format": gettext_lazy("Telephone numbers in the wrong form"),
    "postal-code.format": gettext_lazy("Postal codes in the wrong form"),
    "kana.halfwidth": gettext_lazy("Half-width katakana"),
    "kana.invalid": gettext_lazy("Not katakana"),
    "format.uri": gettext_lazy("Addresses (URLs) in the wrong form"),
    "format.email": gettext_lazy("E-mail addresses in the wrong form"),
    "duplicate-id": gettext_lazy("Repeated IDs"),
    "platform-char": gettext_lazy("Platform-dependent characters"),
    "whitespace": gettext_lazy("Spaces around values"),
    "formula-cell": gettext_lazy("Cells a spreadsheet would run as formulas"),
}


# A quoted header or value in the English wording, a term glossed in brackets
# ("Japanese-era dates (和暦)", left as the rest of the interface shows it), and a run of
# Japanese elsewhere.
_QUOTED = re.compile(r"'([^'\n]*)'")
_GLOSS = re.compile(r"[（(「『][^）)」』]*[）)」』]")
_JAPANESE_RUN = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+")


def _mark_runs(text: str) -> str:
    if not needs_mark(_GLOSS.sub("", text)):
        return conditional_escape(text)
    shown: list[str] = []
    end = 0
    for run in _JAPANESE_RUN.finditer(text):
        shown.append(conditional_escape(text[end : run.start()]))
        shown.append(format_html('<span lang="ja">{}</span>', run.group()))
        end = run.end()
    shown.append(conditional_escape(text[end:]))
    return "".join(shown)


def marked(text: str) -> SafeString:
    """``text`` escaped, with the Japanese it quotes marked ``lang="ja"`` on pages in
    another language (on Japanese pages it is only escaped)."""
    shown: list[str] = []
    end = 0
    for quoted in _QUOTED.finditer(text):
        shown.append(_mark_runs(text[end : quoted.start()]))
        inner = quoted.group(1)
        if needs_mark(inner):
            shown.append(format_html('{}<span lang="ja">{}</span>{}', "'", inner, "'"))
        else:
            shown.append(conditional_escape(quoted.group()))
        end = quoted.end()
    shown.append(_mark_runs(text[end:]))
    return mark_safe("".join(shown))  # noqa: S308 - every piece is escaped above


def _in_language(problem: dict[str, Any], name: str, language: str) -> str:
    first, second = (
        (f"{name}_en", f"{name}_ja") if language == "en" else (f"{name}_ja", f"{name}_en")
    )
    return str(problem.get(first) or problem.get(second) or problem.get(name) or "")


def _problem(problem: dict[str, Any], language: str) -> dict[str, Any]:
    suggestion = problem.get("suggestion")
    return {
        "row": problem.get("row"),
        "column": problem.get("column"),
        "value": problem.get("value"),
        "message": _in_language(problem, "message", language),
        "fix": _in_language(problem, "fix", language),
        "suggestion": None if suggestion in (None, "") else str(suggestion),
        "severity": problem.get("severity") or "error",
    }


def _severity_label(severity: str) -> str:
    return {"error": _("Error"), "warning": _("Warning"), "info": _("Info")}.get(severity, severity)


def _severity_title(severity: str) -> str:
    return {
        "error": _("Errors (must be corrected before publishing)"),
        "warning": _("Warnings (should be corrected)"),
        "info": _("Notes"),
    }.get(severity, severity)


def _bilingual_note(note: str, language: str) -> str:
    """table_schemas writes its notes as "日本語 / English"."""
    japanese, _sep, english = note.partition(" / ")
    return (english or japanese) if language == "en" else japanese


def _schema_title(summary: dict[str, Any], language: str) -> str:
    """The title of the schema the file was checked against, in the page's language (the
    stored report holds the Japanese one)."""
    title = str(summary.get("schema_title") or "")
    name = str(summary.get("schema") or "")
    if language != "en" or not title or not name:
        return title
    from machi.opendata.table_schemas import UnknownSchemaError, load_schema, shared_schema

    try:
        schema = shared_schema() if name == "shared" else load_schema(name)
    except UnknownSchemaError:
        return title
    return schema.title_en or title


def _legacy(summary: dict[str, Any], language: str) -> dict[str, Any] | None:
    """The older 推奨データセット layout: which schema, and each column's current name."""
    if summary.get("layout") != "legacy":
        return None
    schema_name = summary.get("schema")
    headers = [str(h.get("header", "")) for h in summary.get("headers") or []] or [
        str(c) for c in summary.get("columns") or []
    ]
    legacy: dict[str, Any] = {"name": _schema_title(summary, language), "mapping": []}
    if schema_name:
        from machi.opendata.table_schemas import UnknownSchemaError, legacy_mapping

        try:
            rows = legacy_mapping(str(schema_name), headers)
        except UnknownSchemaError:
            rows = []
        legacy["mapping"] = [
            (old, new, marked(_bilingual_note(note, language))) for old, new, note in rows
        ]
    return legacy


def report_context(report: dict[str, Any] | None, language: str) -> dict[str, Any] | None:
    """The validator's report arranged for people: the summary, then the problems grouped
    by kind (most severe first), each with where it is, what to do and a suggested value."""
    if not report:
        return None
    summary: dict[str, Any] = dict(report.get("summary") or report)
    problems: Iterable[dict[str, Any]] = report.get("problems") or []
    exact = summary.get("by_code") if isinstance(summary.get("by_code"), dict) else {}
    kinds: dict[str, dict[str, Any]] = {}
    stored = dict.fromkeys(SEVERITIES, 0)
    for raw in problems:
        problem = _problem(raw, language)
        severity = problem["severity"]
        stored[severity] = stored.get(severity, 0) + 1
        code = str(raw.get("code") or problem["message"])
        kind = kinds.get(code)
        if kind is None:
            kind = kinds[code] = {
                "code": code,
                "severity": severity,
                "title": str(KIND_TITLES.get(code, problem["message"])),
                "fix": problem["fix"],
                "count": 0,
                "problems": [],
                "same_fix": True,
            }
        kind["count"] += 1
        if problem["fix"] != kind["fix"]:
            kind["same_fix"] = False
        if len(kind["problems"]) < PROBLEMS_SHOWN_PER_KIND:
            kind["problems"].append(problem)
    ordered = sorted(
        kinds.values(),
        key=lambda k: (
            SEVERITIES.index(k["severity"]) if k["severity"] in SEVERITIES else 9,
            -k["count"],
        ),
    )
    for index, kind in enumerate(ordered, start=1):
        kind["count"] = max(kind["count"], int((exact or {}).get(kind["code"], 0)))
        kind["anchor"] = f"kind-{index}"
        kind["hidden"] = kind["count"] - len(kind["problems"])
        kind["severity_label"] = _severity_label(kind["severity"])
        kind["has_rows"] = any(p["row"] is not None for p in kind["problems"])
        kind["has_suggestions"] = any(p["suggestion"] is not None for p in kind["problems"])
        kind["title"], kind["fix"] = marked(kind["title"]), marked(kind["fix"])
        for problem in kind["problems"]:
            problem["message"], problem["fix"] = marked(problem["message"]), marked(problem["fix"])
    counts = dict(stored)
    if isinstance(summary.get("counts"), dict):
        counts.update({k: int(v) for k, v in summary["counts"].items() if isinstance(v, int)})
    encoding = str(summary.get("encoding") or "")
    has_bom = bool(summary.get("has_bom", summary.get("bom")))
    columns = summary.get("column_count", summary.get("columns"))
    return {
        "valid": bool(summary.get("valid")) and not counts.get("error"),
        "readable": summary.get("readable", True) is not False,
        "encoding": encoding_label(encoding, False) if encoding else "",
        "bom": has_bom,
        "rows": summary.get("rows"),
        "columns": len(columns) if isinstance(columns, list) else columns,
        "schema": summary.get("schema") or "",
        "schema_title": _schema_title(summary, language),
        "counts": [
            {"severity": s, "title": _severity_title(s), "count": counts.get(s, 0)}
            for s in SEVERITIES
        ],
        "error_count": counts.get("error", 0),
        "kinds": ordered,
        "legacy": _legacy(summary, language),
        "truncated": bool(summary.get("truncated")),
        "tabular": summary.get("tabular", True) is not False,
    }
