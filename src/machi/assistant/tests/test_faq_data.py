"""FAQ data: CSV import all or nothing (UTF-8 or CP932), export, and the per-municipality
index that follows every edit without a restart."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from machi.assistant.engine import ReplyKind, reply_kind
from machi.assistant.index import engine_for
from machi.assistant.models import FaqEntry
from machi.assistant.services.faq import faq_export_csv, faq_import_csv
from machi.core.models import Municipality
from machi.testing.factories import SynonymFactory

pytestmark = pytest.mark.django_db

HEADER = "id,category,question,answer,keywords,procedure\n"
GOOD = (
    HEADER
    + "faq-1,証明書,住民票の写しはどこで取れますか。,市民課の窓口で取れます。,,\n"
    + "faq-2,ごみ,粗大ごみの出し方は？,事前に申し込んでください。,大型ごみ,\n"
)


def test_import_creates_updates_and_repeating_changes_nothing(city: Municipality) -> None:
    report = faq_import_csv(actor=None, municipality=city, content=GOOD.encode())
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    again = faq_import_csv(actor=None, municipality=city, content=GOOD.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    edited = GOOD.replace("市民課の窓口で取れます。", "市民課と関支所で取れます。")
    assert faq_import_csv(actor=None, municipality=city, content=edited.encode()).updated == 1
    assert FaqEntry.objects.get(code="faq-1").answer == "市民課と関支所で取れます。"


def test_cp932_from_excel_is_read(city: Municipality) -> None:
    faq_import_csv(actor=None, municipality=city, content=GOOD.encode("cp932"))
    assert FaqEntry.objects.filter(municipality=city).count() == 2


def test_a_bad_row_refuses_the_whole_file_with_line_and_reason(city: Municipality) -> None:
    faq_import_csv(actor=None, municipality=city, content=GOOD.encode())
    bad = (
        HEADER
        + "faq-1,証明書,住民票の写しは？,変更後の回答,,\n"
        + "faq-3,証明書,,回答だけ,,\n"
        + "faq-4,証明書,質問,回答,,no-such-procedure\n"
        + "faq-1,証明書,重複,回答,,\n"
    )
    with pytest.raises(ValidationError) as refused:
        faq_import_csv(actor=None, municipality=city, content=bad.encode())
    messages = " | ".join(refused.value.messages)
    assert "3行目" in messages and "question" in messages
    assert "4行目" in messages and "no-such-procedure" in messages
    assert "5行目" in messages and "faq-1" in messages
    # Nothing already saved was lost or changed.
    assert FaqEntry.objects.get(code="faq-1").answer == "市民課の窓口で取れます。"
    assert not FaqEntry.objects.filter(code__in=["faq-3", "faq-4"]).exists()
    with pytest.raises(ValidationError, match="category, question, answer"):
        faq_import_csv(actor=None, municipality=city, content=b"id,title\n1,x\n")
    with pytest.raises(ValidationError, match="UTF-8"):
        faq_import_csv(actor=None, municipality=city, content=b"\xff\xfe\x00\x81\x00")


def test_export_round_trips_in_both_encodings(city: Municipality) -> None:
    faq_import_csv(actor=None, municipality=city, content=GOOD.encode())
    for encoding in ("utf-8-sig", "cp932"):
        exported = faq_export_csv(municipality=city, encoding=encoding)
        again = faq_import_csv(actor=None, municipality=city, content=exported)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert faq_export_csv(municipality=city, encoding="utf-8-sig").startswith(b"\xef\xbb\xbf")
    FaqEntry.objects.filter(code="faq-1").update(answer="窓口へどうぞ🙂")
    with pytest.raises(ValidationError, match="🙂"):
        faq_export_csv(municipality=city, encoding="cp932")


def test_the_index_follows_edits_per_municipality(
    city: Municipality, other_city: Municipality
) -> None:
    faq_import_csv(actor=None, municipality=city, content=GOOD.encode())
    assert engine_for(other_city).search("住民票") == []
    [hit, *_] = engine_for(city).search("住民票ほしい")
    assert FaqEntry.objects.get(pk=hit.key).code == "faq-1"
    # Nothing speaks of せきししょ yet: the chat would say it found nothing.
    assert reply_kind(engine_for(city).search("せきししょ")) == ReplyKind.NOT_UNDERSTOOD
    entry = FaqEntry.objects.get(code="faq-2")
    entry.question = "関支所の場所はどこですか。"
    entry.save()
    SynonymFactory(municipality=city, canonical="関支所", variants="せきししょ")
    hits = engine_for(city).search("せきししょ")
    assert hits[0].key == str(entry.pk)
    assert reply_kind(hits) == ReplyKind.ANSWER
    entry.is_published = False
    entry.save()
    assert all(h.key != str(entry.pk) for h in engine_for(city).search("関支所"))


def test_demo_faq_loads_and_answers() -> None:
    call_command("load_demo", stdout=StringIO())
    city = Municipality.objects.get(code="242101")
    assert FaqEntry.objects.filter(municipality=city).count() >= 150
    assert FaqEntry.objects.filter(municipality=city, procedure__code="sodai-gomi").exists()
    [hit, *_] = engine_for(city).search("マイナカードなくした")
    assert "マイナンバーカード" in FaqEntry.objects.get(pk=hit.key).question
