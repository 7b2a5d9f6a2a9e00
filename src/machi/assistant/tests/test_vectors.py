"""Stored embeddings of FAQ entries, with the real encoders: an import encodes each entry
once per encoder (the task queued on commit), an edit re-encodes that entry only, a
restart reads the vectors instead of encoding the FAQ again, and a task lost with the
broker is made up by the sweep. Tests run the fast encoder (``use``) unless they check e5.
"""

from __future__ import annotations

import csv
import io
import logging
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from machi.assistant import index
from machi.assistant.encoders import E5Encoder, encoder
from machi.assistant.engine import LEXICAL
from machi.assistant.index import engine_for
from machi.assistant.models import FaqEntry, FaqVector
from machi.assistant.selectors import vector_progress
from machi.assistant.services.faq import faq_entry_save, faq_import_csv
from machi.assistant.services.vectors import RefreshReport, faq_vectors_refresh
from machi.assistant.tasks import faq_vectors_sweep_task
from machi.core.models import Department, Municipality, User
from machi.core.stamped_cache import StampedCache
from machi.testing.fixtures import make_staff
from machi.testing.network import free_port

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ENTRIES = 7  # in data/faqs.csv


def _faq_csv() -> bytes:
    """The test FAQ (``data/faqs.csv``) as staff upload it."""
    with (DATA / "faqs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "category", "question", "answer", "keywords", "procedure"])
    for row in rows:
        writer.writerow([row["id"], "くらし", row["question"], row["answer"], "", ""])
    return out.getvalue().encode()


@pytest.fixture
def faq(city: Municipality, django_capture_on_commit_callbacks: Any) -> Municipality:
    """The test FAQ imported, and the encoding task it queued run as in the embedded
    default (in-process, after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        faq_import_csv(actor=None, municipality=city, content=_faq_csv())
    return city


@pytest.fixture
def faq_clerk(city: Municipality, department: Department) -> User:
    return make_staff(city, "faq@kameyama.example.jp", department=department, with_totp=False)


def _entry(code: str) -> FaqEntry:
    return FaqEntry.objects.get(code=code)


def _values(entry: FaqEntry, **changes: str) -> dict[str, str]:
    """The staff form's fields for ``entry``, with ``changes``."""
    return {
        "category": entry.category,
        "question": entry.question,
        "answer": entry.answer,
        "keywords": entry.keywords,
        "procedure": "",
        "is_published": "1",
        **changes,
    }


def _stored(city: Municipality) -> dict[str, tuple[str, bytes]]:
    rows = FaqVector.objects.filter(entry__municipality=city).values_list(
        "entry__code", "digest", "both"
    )
    return {code: (digest, bytes(both)) for code, digest, both in rows}


def test_an_import_stores_each_entrys_vectors_and_english_finds_the_japanese_entry(
    faq: Municipality,
) -> None:
    vectors = FaqVector.objects.filter(entry__municipality=faq)
    assert vectors.count() == ENTRIES
    assert set(vectors.values_list("encoder", flat=True)) == {"use"}
    assert vectors.values("entry").distinct().count() == ENTRIES
    for row in vectors:
        for part in (row.question, row.answer, row.both):
            vector = np.frombuffer(bytes(part), dtype="<f4")
            assert vector.shape == (encoder("use").dim,)
            assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert vector_progress(municipality=faq, encoders=("use",)) == (ENTRIES, ENTRIES)
    engine = engine_for(faq)
    assert engine.channels == (LEXICAL, "use")
    # No English word is in the FAQ: only the multilingual model can find 住民票の写し.
    hits = engine.search("how do I get a copy of my residence certificate", limit=3)
    assert str(_entry("f4").pk) in [h.key for h in hits]
    # Japanese questions are answered as before.
    [first, *_] = engine.search("粗大ごみを出したい")
    assert first.key == str(_entry("f5").pk)


def test_only_new_and_changed_entries_are_encoded_again(faq: Municipality, faq_clerk: User) -> None:
    assert faq_vectors_refresh(municipality=faq) == RefreshReport(encoded=0, current=ENTRIES)
    before = _stored(faq)
    library = _entry("f7")
    answer = "図書館は月曜日から日曜日の9時から21時まで開館しています。"
    faq_entry_save(
        actor=faq_clerk, municipality=faq, entry=library, values=_values(library, answer=answer)
    )
    report = faq_vectors_refresh(municipality=faq)
    assert report == RefreshReport(encoded=1, current=ENTRIES - 1)
    after = _stored(faq)
    assert after["f7"] != before["f7"]
    assert {c: v for c, v in after.items() if c != "f7"} == {
        c: v for c, v in before.items() if c != "f7"
    }
    # A change to what is not encoded (the category) encodes nothing.
    library.refresh_from_db()
    faq_entry_save(
        actor=faq_clerk, municipality=faq, entry=library, values=_values(library, category="施設")
    )
    assert faq_vectors_refresh(municipality=faq).encoded == 0
    assert _stored(faq) == after


def _counting_passages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the ``use`` encoder is given from now on (it still encodes them)."""
    model = encoder("use")
    real = model.passages
    given: list[str] = []

    def passages(texts: Sequence[str]) -> np.ndarray:
        given.extend(texts)
        return real(texts)

    monkeypatch.setattr(model, "passages", passages)
    return given


@pytest.mark.django_db(transaction=True)
def test_a_saved_edit_is_encoded_after_commit_and_alone(
    faq: Municipality, faq_clerk: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _stored(faq)
    given = _counting_passages(monkeypatch)
    library = _entry("f7")
    answer = "図書館は月曜日から日曜日の9時から21時まで開館しています。"
    faq_entry_save(  # commits: the queued task runs in-process (the embedded default)
        actor=faq_clerk, municipality=faq, entry=library, values=_values(library, answer=answer)
    )
    assert len(given) == 3 and answer in given  # its question, answer, and both
    assert _stored(faq)["f7"] != before["f7"]
    assert vector_progress(municipality=faq, encoders=("use",)) == (ENTRIES, ENTRIES)
    hits = engine_for(faq).search("図書館は夜も開いてる？", limit=1)
    assert hits[0].key == str(library.pk)


def _passages_refused(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the ``use`` encoder refuse to encode FAQ text (passages) while still encoding
    questions; returns the questions it encoded. USE encodes both alike, so its
    ``queries`` calls ``passages``: that one call is let through."""
    model = encoder("use")
    real_queries, real_passages = model.queries, model.passages
    asked: list[str] = []
    answering = False

    def queries(texts: Sequence[str]) -> np.ndarray:
        nonlocal answering
        asked.extend(texts)
        answering = True
        try:
            return real_queries(texts)
        finally:
            answering = False

    def passages(texts: Sequence[str]) -> np.ndarray:
        if not answering:
            raise AssertionError(f"FAQ text encoded again: {list(texts)[:2]}")
        return real_passages(texts)

    monkeypatch.setattr(model, "queries", queries)
    monkeypatch.setattr(model, "passages", passages)
    return asked


def test_a_new_process_reads_the_stored_vectors_and_encodes_only_the_question(
    faq: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine_for(faq)  # built by this "process"
    monkeypatch.setattr(index, "_engines", StampedCache())  # a new worker: nothing built
    asked = _passages_refused(monkeypatch)
    engine = engine_for(faq)
    assert engine.channels == (LEXICAL, "use")
    [first, *_] = engine.search("マイナカードなくした")
    assert first.key == str(_entry("f1").pk)
    assert asked == ["マイナカードなくした"]


def test_the_sweep_encodes_what_a_lost_task_left(faq: Municipality) -> None:
    FaqVector.objects.filter(entry__municipality=faq).delete()
    assert vector_progress(municipality=faq, encoders=("use",)) == (0, ENTRIES)
    # Until then the encoder sits out and residents get lexical answers.
    engine = engine_for(faq)
    assert engine.channels == (LEXICAL,)
    assert engine.search("粗大ごみを出したい")[0].key == str(_entry("f5").pk)
    assert faq_vectors_sweep_task() == {"encoded": ENTRIES}
    assert vector_progress(municipality=faq, encoders=("use",)) == (ENTRIES, ENTRIES)
    assert engine_for(faq).channels == (LEXICAL, "use")
    assert faq_vectors_sweep_task() == {"encoded": 0}


@pytest.fixture
def broker_down(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """From the call on, tasks are sent to a broker nobody listens on, as in production
    (not run in-process); the connections made before are set aside until the test ends."""
    from machi.config.celery import app

    def down() -> None:
        url = f"redis://127.0.0.1:{free_port()}/0"
        # The app's own settings first: they fall back to Django's, changed below.
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        monkeypatch.setitem(app.conf, "broker_url", url)
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url

    return down


@pytest.mark.django_db(transaction=True)
def test_an_entry_saved_while_the_broker_is_down_is_answered_and_encoded_later(
    faq: Municipality,
    faq_clerk: User,
    broker_down: Callable[[], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    broker_down()
    with caplog.at_level(logging.ERROR):
        dog = faq_entry_save(
            actor=faq_clerk,
            municipality=faq,
            entry=None,
            values={
                "code": "f8",
                "category": "くらし",
                "question": "犬の登録はどこでしますか。",
                "answer": "犬を飼い始めたら30日以内に環境課で登録し、鑑札を受け取ってください。",
                "keywords": "ペット",
                "procedure": "",
                "is_published": "1",
            },
        )
    refused = [r.getMessage() for r in caplog.records if "Could not queue" in r.getMessage()]
    assert refused and "assistant.faq_vectors_refresh" in refused[0], "the broker was reached"
    assert FaqEntry.objects.filter(pk=dog.pk).exists()
    assert vector_progress(municipality=faq, encoders=("use",)) == (ENTRIES, ENTRIES + 1)
    # Residents are answered from it at once (lexically for this entry)...
    [first, *_] = engine_for(faq).search("犬の登録")
    assert first.key == str(dog.pk)
    # ...and the sweep encodes it.
    assert faq_vectors_sweep_task() == {"encoded": 1}
    assert vector_progress(municipality=faq, encoders=("use",)) == (ENTRIES + 1, ENTRIES + 1)


def test_e5_loads_offline_and_ranks_a_question_near_its_topic(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MACHI_ASSISTANT_ENCODERS = ["e5"]

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the encoder went to the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    E5Encoder()  # a fresh load, whatever this process loaded before
    e5 = encoder("e5")
    [query] = e5.queries(["粗大ごみを出したい"])
    assert query.shape == (384,) and e5.dim == 384
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-3
    sodai, juminhyo = e5.passages(
        [
            "粗大ごみは事前申込制です。電話かオンラインで申し込み、処理券を貼って出してください。",
            "住民票の写しは市民課の窓口とコンビニ交付で取得できます。手数料は1通300円です。",
        ]
    )
    assert float(query @ sodai) > float(query @ juminhyo)
