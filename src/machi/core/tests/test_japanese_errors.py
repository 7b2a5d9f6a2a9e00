"""Tests for machi.core.japanese.errors (入力エラー)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils.functional import Promise

from machi.core.japanese.errors import MESSAGES, JapaneseInputError

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "japanese"
RAISED_CODE_RE = re.compile(r'JapaneseInputError\(\s*"([^"]+)"')


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_builds_an_error(code: str) -> None:
    exc = JapaneseInputError(code)
    assert isinstance(exc, ValueError)
    assert exc.code == code
    assert str(exc) == code
    assert isinstance(exc.message, Promise)
    assert exc.message is MESSAGES[code]


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        JapaneseInputError("no.such.code")


def test_codes_are_stable_dotted_names() -> None:
    for code in MESSAGES:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", code), code


def test_every_raised_code_has_a_message() -> None:
    raised = {
        code
        for path in PACKAGE_DIR.glob("*.py")
        for code in RAISED_CODE_RE.findall(path.read_text(encoding="utf-8"))
    }
    assert raised, "expected to find raise sites"
    assert raised <= set(MESSAGES)
    assert set(MESSAGES) <= raised, "unused messages"
