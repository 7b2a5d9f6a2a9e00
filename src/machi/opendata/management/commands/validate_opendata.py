"""Validate a CSV file against a 自治体標準オープンデータセット schema (オープンデータの検証).

Exit status: 0 the file is valid; 1 it has errors; 2 it cannot be read, or the arguments
are wrong (unknown schema, missing file). Needs no database.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from machi.opendata.table_schemas import load_schema, schema_names
from machi.opendata.validation import Problem, UnknownSchemaError, validate_bytes
from machi.opendata.validation.report import ValidationReport

SEVERITY_LABELS = {"error": "エラー / error", "warning": "警告 / warning", "info": "情報 / info"}
LAYOUT_LABELS = {
    "current": "現行の列構成 / current layout",
    "legacy": "旧「推奨データセット」の列構成 / older 推奨データセット layout",
}
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "CSV ファイルを自治体標準オープンデータセットのスキーマで検証します。"
        " / Validate a CSV file against a standard open data schema."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="検証する CSV ファイル / the CSV file to check")
        parser.add_argument(
            "--schema",
            help=(
                "スキーマ名（省略時は見出しから判定）/ schema name, detected from the headers "
                f"when omitted: {', '.join(schema_names())}"
            ),
        )
        parser.add_argument(
            "--json", action="store_true", help="報告を JSON で出力 / print the report as JSON"
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=20,
            help="種類ごとに表示する問題の数 / problems shown per kind (default 20)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schema_name = options["schema"]
        if schema_name is not None:
            try:
                load_schema(schema_name)
            except UnknownSchemaError as exc:
                raise CommandError(str(exc), returncode=EXIT_UNREADABLE) from exc
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                f"ファイルを開けません: {path}（{exc.strerror}）/ Cannot open {path}: "
                f"{exc.strerror}",
                returncode=EXIT_UNREADABLE,
            ) from exc
        interactive = sys.stderr.isatty() and options["verbosity"] > 0 and not options["json"]

        def progress(percent: int) -> None:
            if interactive:
                self.stderr.write(f"\r{percent:3d}%", ending="")

        report = validate_bytes(content, schema_name, progress=progress)
        if interactive:
            self.stderr.write("\r", ending="")
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(path, report, max(options["limit"], 0))
        if not report.readable:
            raise CommandError(
                "ファイルを表として読めません。/ The file cannot be read as a table.",
                returncode=EXIT_UNREADABLE,
            )
        if not report.valid:
            raise CommandError(
                f"エラーが {report.errors} 件あります。/ The file has "
                f"{_count(report.errors, 'error')}.",
                returncode=EXIT_INVALID,
            )

    def _print(self, path: Path, report: ValidationReport, limit: int) -> None:
        write = self.stdout.write
        write(f"ファイル / File: {path}")
        if report.schema:
            layout = LAYOUT_LABELS.get(report.layout or "", "")
            write(f"スキーマ / Schema: {report.schema}（{report.schema_title}）, {layout}")
        else:
            write("スキーマ / Schema: 該当なし / none matched")
        if report.encoding:
            bom = "BOM あり / with BOM" if report.has_bom else "BOM なし / no BOM"
            write(f"文字コード / Encoding: {report.encoding.upper()}（{bom}）")
        write(f"行数 / Rows: {report.rows}　列数 / Columns: {len(report.columns)}")
        counts = report.counts
        errors, warnings, notes = (counts.get(s, 0) for s in ("error", "warning", "info"))
        summary = (
            f"エラー {errors}・警告 {warnings}・情報 {notes} / {_count(errors, 'error')}, "
            f"{_count(warnings, 'warning')}, {_count(notes, 'note')}"
        )
        verdict = "問題なし / valid" if report.valid else "エラーあり / not valid"
        write(f"結果 / Result: {verdict} — {summary}")
        write(f"処理時間 / Time: {report.elapsed_ms:.0f} ms")
        groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
        for problem in report.problems:
            groups[(problem.severity, problem.code)].append(problem)
        order = {"error": 0, "warning": 1, "info": 2}
        for (severity, code), problems in sorted(
            groups.items(), key=lambda item: (order[item[0][0]], item[0][1])
        ):
            total = report.by_code.get(code, len(problems))
            write("")
            write(f"[{SEVERITY_LABELS[severity]}] {code} — {total} 件 / {total}")
            for problem in problems[:limit]:
                self._print_problem(problem)
            hidden = total - min(limit, len(problems))
            if hidden > 0:
                write(f"  … ほか {hidden} 件 / {hidden} more")

    def _print_problem(self, problem: Problem) -> None:
        where = []
        if problem.row is not None:
            where.append(f"{problem.row}行目 / row {problem.row}")
        if problem.column:
            where.append(f"「{problem.column}」")
        if problem.value:
            where.append(f"値 / value「{problem.value}」")
        if where:
            self.stdout.write("  " + "・".join(where))
        self.stdout.write(f"    {problem.message_ja}")
        self.stdout.write(f"    {problem.message_en}")
        self.stdout.write(f"    → {problem.fix_ja} / {problem.fix_en}")
