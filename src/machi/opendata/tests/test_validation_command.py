"""``manage.py validate_opendata``: output, JSON and exit statuses, in-process and as a
real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).parent / "data" / "validation"
ROOT = Path(__file__).resolve().parents[4]
VALID = DATA / "public-toilets-current.csv"


@pytest.fixture
def invalid_file(tmp_path: Path) -> Path:
    text = VALID.read_bytes().decode("utf-8-sig")
    text = text.replace("06:00", "6時").replace("34.853290", "4.8")
    path = tmp_path / "toilets.csv"
    path.write_bytes(text.encode("cp932"))
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "validate_opendata", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_valid_file_prints_a_bilingual_summary() -> None:
    out = StringIO()
    call_command("validate_opendata", str(VALID), stdout=out)
    text = out.getvalue()
    assert "スキーマ / Schema: public-toilets（公衆トイレ一覧）" in text
    assert "文字コード / Encoding: UTF-8（BOM あり / with BOM）" in text
    assert "結果 / Result: 問題なし / valid" in text


def test_errors_are_grouped_with_row_value_and_fix(invalid_file: Path) -> None:
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "validate_opendata", str(invalid_file), "--schema", "public-toilets", stdout=out
        )
    assert exc.value.returncode == 1
    assert "エラーが 2 件あります" in str(exc.value) and "2 errors" in str(exc.value)
    text = out.getvalue()
    assert "[エラー / error] type.time — 1 件 / 1" in text
    assert "2行目 / row 2・「利用開始時間」・値 / value「6時」" in text
    assert "→ 「06:00」と入力してください。 / Enter '06:00'." in text
    assert "[エラー / error] latitude.range" in text
    assert "[情報 / info] encoding.cp932" in text


def test_json_output_is_the_report(invalid_file: Path) -> None:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("validate_opendata", str(invalid_file), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["encoding"] == "cp932" and data["schema"] == "public-toilets"
    assert data["by_code"]["type.time"] == 1
    assert {(p["row"], p["code"]) for p in data["problems"]} >= {
        (2, "type.time"),
        (2, "latitude.range"),
    }


def test_unknown_schema_lists_the_schemas() -> None:
    with pytest.raises(CommandError) as exc:
        call_command("validate_opendata", str(VALID), "--schema", "toilets")
    assert exc.value.returncode == 2
    assert "スキーマ「toilets」はありません" in str(exc.value)
    assert "public-toilets" in str(exc.value) and "Unknown schema" in str(exc.value)


def test_missing_file_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("validate_opendata", str(tmp_path / "none.csv"))
    assert exc.value.returncode == 2 and "Cannot open" in str(exc.value)
    png = tmp_path / "map.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("validate_opendata", str(png), stdout=out)
    assert exc.value.returncode == 2
    assert "CSV ファイルではありません（PNG 画像）" in out.getvalue()


def test_subprocess_exit_statuses(invalid_file: Path, tmp_path: Path) -> None:
    ok = _run(str(VALID))
    assert ok.returncode == 0, ok.stderr
    assert "問題なし / valid" in ok.stdout

    bad = _run(str(invalid_file), "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["counts"]["error"] == 2
    assert "エラーが 2 件あります" in bad.stderr

    unknown = _run(str(VALID), "--schema", "nope")
    assert unknown.returncode == 2
    assert "public-toilets" in unknown.stderr

    zipped = tmp_path / "book.csv"
    zipped.write_bytes(b"PK\x03\x04xl/workbook.xml" + b"\x00" * 30)
    unreadable = _run(str(zipped))
    assert unreadable.returncode == 2
    assert "Excel ブック（.xlsx）" in unreadable.stdout
