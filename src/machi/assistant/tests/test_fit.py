"""``manage.py faq_fit``: fitting the channel weights and the confidence calibration on
judged questions, printed for a FAQ file or stored for a municipality, whose chat then
uses them; bad input is refused with a message, never a traceback."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from machi.assistant.engine import LEXICAL, Tuning
from machi.assistant.index import engine_for
from machi.assistant.models import FaqEntry, SearchTuning
from machi.assistant.services.faq import faq_import_csv
from machi.assistant.tuning_defaults import default_tuning
from machi.core.models import Municipality

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[4]
FILES = ("--queries", str(DATA / "queries.csv"), "--qrels", str(DATA / "qrels.csv"))


def _fit(*args: str) -> list[str]:
    out = StringIO()
    call_command("faq_fit", *args, *FILES, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def _check_tuning(tuning: dict[str, Any], channels: list[str]) -> None:
    assert set(tuning["weights"]) == set(channels)
    assert tuning["weights"][LEXICAL] == 1.0
    assert all(0 < w <= 2 for w in tuning["weights"].values())
    assert len(tuning["calibration"]) == 4
    assert all(isinstance(x, float) for x in tuning["calibration"])
    Tuning.from_dict(tuning)  # what the engine reads back


def test_a_faq_file_gets_one_json_line_per_set_of_channels() -> None:
    # No django_db mark: fitting on a file touches no database.
    lines = _fit("--faqs", str(DATA / "faqs.csv"))
    fitted = [json.loads(line) for line in lines]
    assert [next(iter(f)) for f in fitted] == [
        "lexical",
        "lexical+use",
        "lexical+e5",
        "lexical+use+e5",
    ]
    for line in fitted:
        [(key, tuning)] = line.items()
        _check_tuning(tuning, key.split("+"))
        assert "queries.csv" in tuning["fitted_on"] and "faqs.csv" in tuning["fitted_on"]
        assert tuning["figures"]["queries"] == 6
        # The fitted engine ranks the tiny test set's answers first.
        assert tuning["figures"]["ndcg@10"] > 0.9


def _faq_from_test_data() -> bytes:
    """``data/faqs.csv`` as staff upload it (its ids become the entries' codes)."""
    with (DATA / "faqs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "category", "question", "answer", "keywords", "procedure"])
    writer.writerows([r["id"], "くらし", r["question"], r["answer"], "", ""] for r in rows)
    return out.getvalue().encode()


@pytest.mark.django_db
def test_a_municipality_stores_its_own_tuning_and_its_chat_uses_it(
    city: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # entries and their vectors
        faq_import_csv(actor=None, municipality=city, content=_faq_from_test_data())
    assert engine_for(city).tuning == default_tuning((LEXICAL, "use"))  # machi's own
    lines = _fit("--municipality", city.code, "--save")
    assert lines[-1] == f"saved the tuning of lexical+use for {city.code}"
    printed = dict(item for line in lines[:-1] for item in json.loads(line).items())
    assert list(printed) == ["lexical", "lexical+use"]  # the encoders this city uses
    stored = SearchTuning.objects.get(municipality=city)
    assert stored.channels == "lexical+use"
    _check_tuning(stored.data, [LEXICAL, "use"])
    assert stored.data == printed["lexical+use"]
    engine = engine_for(city)
    assert engine.channels == (LEXICAL, "use")
    assert engine.tuning == Tuning.from_dict(stored.data)
    assert "queries.csv" in engine.tuning.fitted_on and city.code in engine.tuning.fitted_on
    [first, *_] = engine.search("マイナカードなくした")
    assert first.key == str(FaqEntry.objects.get(municipality=city, code="f1").pk)
    # Fitting again replaces the row.
    _fit("--municipality", city.code, "--save")
    assert SearchTuning.objects.filter(municipality=city).count() == 1


@pytest.mark.django_db
def test_bad_input_is_refused_in_japanese_and_english(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(CommandError, match=r"missing\.csv.*No such file.*読み込めません"):
        _fit("--faqs", str(missing))
    with pytest.raises(CommandError, match=r"no municipality 999999 \(自治体がありません\)"):
        _fit("--municipality", "999999")
    with pytest.raises(CommandError, match=r"--faqs.*--municipality.*指定"):
        _fit()
    with pytest.raises(CommandError, match=r"--save needs --municipality.*必要です"):
        _fit("--faqs", str(DATA / "faqs.csv"), "--save")
    assert not SearchTuning.objects.exists()


def test_from_the_shell_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "faq_fit", "--faqs", str(tmp_path / "missing.csv"), *FILES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "missing.csv" in done.stderr and "読み込めません" in done.stderr
