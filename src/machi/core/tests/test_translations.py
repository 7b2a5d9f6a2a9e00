"""Japanese first, English complete: every interface string has its Japanese text."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.utils import translation

from machi.core.models import Municipality

APPS = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(APPS.glob("*/locale/ja/LC_MESSAGES/django.po"))


def _entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file, header excluded."""
    entries = []
    for block in po_text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = (
            "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        )
        if msgid:
            entries.append((msgid, msgstr, fuzzy))
    return entries


def test_every_message_of_every_app_has_a_japanese_translation() -> None:
    assert {path.parents[3].name for path in CATALOGUES} >= {
        "core",
        "plan",
        "procedures",
        "casework",
        "assistant",
        "opendata",
    }
    for path in CATALOGUES:
        entries = _entries(path.read_text(encoding="utf-8"))
        assert len(entries) > 50, path
        missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
        assert missing == [], path


def test_pages_speak_japanese_by_default_and_english_on_request(city: Municipality) -> None:
    japanese = Client(HTTP_ACCEPT_LANGUAGE="ja").get("/").content.decode()
    assert "本文へ移動" in japanese
    assert "このサイトでできること" in japanese
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert "Skip to main content" in english
    assert "What you can do here" in english
    assert "Kameyama City" in english


def test_validation_messages_exist_in_both_languages() -> None:
    from machi.core.japanese.errors import JapaneseInputError
    from machi.core.japanese.postal import normalize_postal_code

    try:
        normalize_postal_code("519-01")
    except JapaneseInputError as exc:
        with translation.override("ja"):
            assert "郵便番号は7桁" in str(exc.message)
        with translation.override("en"):
            assert "7 digits" in str(exc.message)
    else:
        raise AssertionError("a 5-digit postal code was accepted")
