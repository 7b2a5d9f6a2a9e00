"""Writing, approving and withdrawing notices: two people, each in their own lane."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from machi.core.models import AuditEntry
from machi.notices import selectors
from machi.notices.models import NoticeStatus
from machi.notices.services.files import notice_file_add
from machi.notices.services.notices import (
    notice_approve,
    notice_create,
    notice_send_back,
    notice_submit,
    notice_update,
    notice_withdraw,
)
from machi.notices.tests.conftest import Town
from machi.testing.applications import png_bytes


def test_a_notice_is_public_only_after_someone_else_approves_it(town: Town) -> None:
    notice = town.notice(approve=False, title="避難所を確認してください")
    notice_submit(actor=town.writer, municipality=town.city, notice=notice)
    assert list(selectors.current_notices(municipality=town.city)) == []
    with pytest.raises(PermissionDenied, match="別の人"):
        notice_approve(actor=town.writer, municipality=town.city, notice=notice)
    notice_approve(actor=town.approver, municipality=town.city, notice=notice)
    assert [n.title for n in selectors.current_notices(municipality=town.city)] == [
        "避難所を確認してください"
    ]
    actions = AuditEntry.objects.filter(target_id=str(notice.pk)).values_list("action", flat=True)
    assert list(actions) == ["notice.created", "notice.submitted", "notice.approved"]


def test_sent_back_with_a_reason_it_is_a_draft_the_writer_can_change(town: Town) -> None:
    notice = town.notice(approve=False)
    notice_submit(actor=town.writer, municipality=town.city, notice=notice)
    with pytest.raises(ValidationError) as refused:
        notice_send_back(actor=town.approver, municipality=town.city, notice=notice, reason=" ")
    assert "reason" in refused.value.message_dict
    notice = notice_send_back(
        actor=town.approver, municipality=town.city, notice=notice, reason="日付を確認"
    )
    assert notice.status == NoticeStatus.DRAFT and notice.sent_back_reason == "日付を確認"
    notice = notice_update(actor=town.writer, municipality=town.city, notice=notice, title="直した")
    assert notice.title == "直した"


def test_scheduled_and_ended_notices_are_not_on_the_list(town: Town) -> None:
    now = timezone.now()
    town.notice(title="来週から", publish_at=now + dt.timedelta(days=7))
    ended = town.notice(title="終わった", expire_at=now + dt.timedelta(seconds=1))
    town.notice(title="いま")
    later = now + dt.timedelta(minutes=1)
    assert [n.title for n in selectors.current_notices(municipality=town.city, now=later)] == [
        "いま"
    ]
    archive = selectors.current_notices(municipality=town.city, now=later, archive=True)
    assert list(archive) == [ended]


def test_a_district_organisation_writes_for_its_own_district_only(town: Town) -> None:
    notice = notice_create(
        actor=town.district_editor,
        municipality=town.city,
        category=town.categories["event"],
        title="関地区 清掃活動",
        body="一斉清掃をします。",
        districts=[town.kabuto],  # asked for another district: ignored
        event_start=timezone.now() + dt.timedelta(days=3),
    )
    assert list(notice.districts.all()) == [town.seki]
    assert notice.department == town.chiiki  # the city department that supports 関 approves
    with pytest.raises(PermissionDenied):  # the city's writers do not change it
        notice_update(actor=town.writer, municipality=town.city, notice=notice, title="書き換え")
    notice_submit(actor=town.district_editor, municipality=town.city, notice=notice)
    with pytest.raises(PermissionDenied):  # the 防災安全課's approver is not the supporter
        notice_approve(actor=town.approver, municipality=town.city, notice=notice)


def test_district_filter_shows_the_districts_notices_and_the_whole_citys(town: Town) -> None:
    town.notice(title="市内全域")
    town.notice(title="関だけ", districts=[town.seki])
    town.notice(title="加太だけ", districts=[town.kabuto])
    seki = selectors.current_notices(municipality=town.city, district=town.seki)
    assert sorted(n.title for n in seki) == ["市内全域", "関だけ"]


def test_search_finds_part_of_a_word_in_either_kana(town: Town) -> None:
    town.notice(title="粗大ゴミの収集", body="申込はオンラインで。")
    town.notice(title="健診のお知らせ", body="特定健診")
    assert [n.title for n in selectors.current_notices(municipality=town.city, query="ごみ")] == [
        "粗大ゴミの収集"
    ]
    assert [
        n.title
        for n in selectors.current_notices(municipality=town.city, query="粗大　ＯＮＬＩＮＥ")
    ] == []
    assert len(selectors.current_notices(municipality=town.city, query="オンライン 粗大")) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "あ" * 121}, "title"),
        ({"body": ""}, "body"),
        (
            {"publish_at": timezone.now(), "expire_at": timezone.now() - dt.timedelta(days=1)},
            "expire_at",
        ),
    ],
)
def test_bad_notices_are_refused_naming_the_field(
    town: Town, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        town.notice(approve=False, **fields)
    assert field in refused.value.message_dict


def test_an_event_needs_its_start(town: Town) -> None:
    with pytest.raises(ValidationError) as refused:
        town.notice(approve=False, category=town.categories["event"])
    assert "event_start" in refused.value.message_dict


def test_images_need_alt_text_and_must_be_images(town: Town) -> None:
    notice = town.notice(approve=False)

    def add(data: bytes, name: str, alt: str = "", kind: str = "image") -> object:
        return notice_file_add(
            actor=town.writer,
            municipality=town.city,
            notice=notice,
            upload=SimpleUploadedFile(name, data),
            kind=kind,
            alt_text=alt,
        )

    with pytest.raises(ValidationError) as refused:
        add(png_bytes((20, 10)), "map.png")
    assert "alt_text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add(b"<script>alert(1)</script>", "map.png", alt="地図")
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        add(b"MZ not a pdf", "guide.pdf", kind="document")
    image = add(png_bytes((20, 10)), "map.png", alt="避難所の地図")
    assert image.content_type == "image/png"  # type: ignore[attr-defined]


def test_withdrawn_notices_leave_the_site(town: Town) -> None:
    notice = town.notice(title="取り下げる")
    notice_withdraw(actor=town.writer, municipality=town.city, notice=notice)
    assert not selectors.current_notices(municipality=town.city).exists()
    assert selectors.public_notice(municipality=town.city, notice_id=notice.pk) is None


def test_another_city_cannot_see_or_touch_the_notices(town: Town, other_city: object) -> None:
    notice = town.notice()
    assert not selectors.current_notices(municipality=other_city).exists()  # type: ignore[arg-type]
    assert selectors.public_notice(municipality=other_city, notice_id=notice.pk) is None  # type: ignore[arg-type]
