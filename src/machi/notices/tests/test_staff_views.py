"""The staff pages of お知らせ: the list, the form with its attachments, a notice's page
with send / approve / send back / withdraw, who may do what, and the back-office card."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from machi.core.models import Municipality, Role, User
from machi.notices.models import Notice, NoticeFile, NoticeStatus
from machi.notices.services.files import IMAGE_MAX_BYTES, notice_file_add
from machi.notices.services.notices import (
    notice_approve,
    notice_create,
    notice_send_back,
    notice_submit,
    notice_withdraw,
)
from machi.notices.tests.conftest import Town
from machi.testing.applications import error_summary, pdf_bytes, png_bytes
from machi.testing.factories import DepartmentFactory
from machi.testing.fixtures import make_staff
from machi.testing.marks import unmarked_japanese

JST = dt.timezone(dt.timedelta(hours=9))


def signed_in(user: User, language: str = "ja") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def _html(response: Any) -> str:
    return str(response.content.decode())


def _main(response: Any) -> str:
    html = _html(response)
    return html[html.index("<main") : html.index("</main>")]


def _form(town: Town, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "department": str(town.bousai.pk),
        "category": str(town.categories["kurashi"].pk),
        "title": "防災マップを更新しました",
        "body": "新しい**防災マップ**を配布します。\n\n- 市役所\n- 各地区コミュニティセンター",
        "title_en": "",
        "body_en": "",
        "publish_at": "",
        "expire_at": "",
        "event_start": "",
        "event_end": "",
        "event_place": "",
        "action": "save",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def _chiiki_clerk(town: Town) -> User:
    return make_staff(town.city, "chiiki@example.jp", department=town.chiiki)


def _chiiki_approver(town: Town) -> User:
    return make_staff(
        town.city, "chiiki-kacho@example.jp", role=Role.APPROVER, department=town.chiiki, rank=2
    )


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_my_departments_notices_in_every_state(town: Town) -> None:
    now = timezone.now()
    town.notice(approve=False, title="書きかけ")
    sent = town.notice(approve=False, title="確認してほしい")
    notice_submit(actor=town.writer, municipality=town.city, notice=sent)
    town.notice(title="掲載中のお知らせ")
    town.notice(title="来月から", publish_at=now + dt.timedelta(days=30))
    ended = town.notice(approve=False, title="終わった募集", expire_at=now - dt.timedelta(days=1))
    notice_submit(actor=town.writer, municipality=town.city, notice=ended)
    notice_approve(
        actor=town.approver, municipality=town.city, notice=ended, now=now - dt.timedelta(days=3)
    )
    gone = town.notice(title="取り下げたお知らせ")
    notice_withdraw(actor=town.writer, municipality=town.city, notice=gone)
    notice_create(
        actor=_chiiki_clerk(town),
        municipality=town.city,
        department=town.chiiki,
        category=town.categories["kurashi"],
        title="地域づくり課のお知らせ",
        body="本文",
    )

    page = _main(signed_in(town.writer).get("/staff/notices/"))
    table = page.split('id="n-staff-notices"')[1]
    for title, state in (
        ("書きかけ", "下書き"),
        ("確認してほしい", "承認待ち"),
        ("掲載中のお知らせ", "掲載中"),
        ("来月から", "掲載予定"),
        ("終わった募集", "掲載終了"),
        ("取り下げたお知らせ", "取り下げ"),
    ):
        row = next(r for r in table.split("<tr>") if title in r)
        assert f">{state}</span>" in row, (title, row)
    assert "地域づくり課のお知らせ" not in page
    assert 'href="/staff/notices/new/"' in page and "新しいお知らせ" in page
    # The writer cannot approve their own notice: no 承認待ち section for them.
    assert 'id="awaiting"' not in page

    waiting = _main(signed_in(town.writer).get("/staff/notices/", {"state": "submitted"}))
    assert "確認してほしい" in waiting and "書きかけ" not in waiting
    scheduled = _main(signed_in(town.writer).get("/staff/notices/", {"state": "scheduled"}))
    assert "来月から" in scheduled and "掲載中のお知らせ" not in scheduled
    unknown = signed_in(town.writer).get("/staff/notices/", {"state": "nope", "page": "x"})
    assert unknown.status_code == 200 and "書きかけ" in _html(unknown)


def test_the_approver_sees_what_waits_for_them(town: Town) -> None:
    sent = town.notice(approve=False, title="確認してほしい")
    notice_submit(actor=town.writer, municipality=town.city, notice=sent)
    page = _main(signed_in(town.approver).get("/staff/notices/"))
    section = page.split('id="awaiting"')[1].split("</section>")[0]
    assert "確認してほしい" in section and f"/staff/notices/{sent.pk}/" in section
    home = _main(signed_in(town.approver).get("/staff/"))
    assert 'href="/staff/notices/"' in home and "承認待ちのお知らせ 1件" in home


# --- writing ------------------------------------------------------------------------------


def test_a_clerk_writes_a_draft_for_their_department(town: Town) -> None:
    client = signed_in(town.writer)
    page = _html(client.get("/staff/notices/new/"))
    departments = page.split('id="id_department"')[1].split("</select>")[0]
    assert "防災安全課" in departments and "地域づくり課" not in departments
    assert 'type="datetime-local"' in page and 'id="id_districts"' in page
    assert "本文で使える書き方" in page and "英語版（任意）" in page

    response = client.post(
        "/staff/notices/new/",
        _form(
            town,
            districts=[str(town.seki.pk)],
            publish_at="2030-04-01T09:00",
            expire_at="2030-04-30T17:00",
            is_important="on",
            title_en="New hazard map",
        ),
    )
    assert response.status_code == 302
    notice = Notice.objects.get(title="防災マップを更新しました")
    assert response["Location"] == f"/staff/notices/{notice.pk}/edit/"
    assert notice.status == NoticeStatus.DRAFT and notice.department == town.bousai
    assert notice.publish_at == dt.datetime(2030, 4, 1, 9, 0, tzinfo=JST)
    assert notice.expire_at == dt.datetime(2030, 4, 30, 17, 0, tzinfo=JST)
    assert notice.is_important and notice.title_en == "New hazard map"
    assert list(notice.districts.all()) == [town.seki]
    assert notice.created_by == town.writer
    # The edit page shows the times back as typed, in Japan time.
    edit = _html(client.get(response["Location"]))
    assert 'value="2030-04-01T09:00"' in edit


def test_another_departments_choice_is_refused(town: Town) -> None:
    response = signed_in(town.writer).post(
        "/staff/notices/new/", _form(town, department=str(town.chiiki.pk))
    )
    assert response.status_code == 400
    assert any("所属" in e for e in error_summary(response))
    assert not Notice.objects.exists()


def test_bad_input_shows_each_error_on_its_field_and_keeps_what_was_typed(town: Town) -> None:
    client = signed_in(town.writer)
    response = client.post(
        "/staff/notices/new/",
        _form(town, title="", body="ここまで書いた本文", publish_at="2026-13-45T99:00"),
    )
    assert response.status_code == 400
    page = _html(response)
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_title"' in summary and "タイトルを入力してください。" in summary
    assert 'href="#id_publish_at"' in summary
    assert "ここまで書いた本文</textarea>" in page
    assert 'value="2026-13-45T99:00"' in page

    # The form is fine, the notice's own rules are not: the service's errors, on the fields.
    response = client.post(
        "/staff/notices/new/",
        _form(
            town,
            category=str(town.categories["event"].pk),
            publish_at="2030-05-01T09:00",
            expire_at="2030-04-01T09:00",
        ),
    )
    assert response.status_code == 400
    summary = _html(response).split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_expire_at"' in summary and 'href="#id_event_start"' in summary
    assert "掲載終了日時は掲載開始日時より後にしてください。" in summary
    assert "イベントの開始日時を入力してください。" in summary
    page = _html(response)
    assert 'value="防災マップを更新しました"' in page
    assert 'id="event-fields" data-conditional-hidden' not in page  # an event: shown
    assert not Notice.objects.exists()


def test_an_event_keeps_its_date_and_other_categories_drop_it(town: Town) -> None:
    client = signed_in(town.writer)
    client.post(
        "/staff/notices/new/",
        _form(
            town,
            title="市民まつり",
            category=str(town.categories["event"].pk),
            event_start="2030-08-01T10:00",
            event_end="2030-08-01T16:00",
            event_place="西野公園",
        ),
    )
    event = Notice.objects.get(title="市民まつり")
    assert event.event_start == dt.datetime(2030, 8, 1, 10, 0, tzinfo=JST)
    assert event.event_place == "西野公園"
    client.post(
        "/staff/notices/new/",
        _form(town, title="ごみの出し方", event_start="2030-08-01T10:00", event_place="どこか"),
    )
    other = Notice.objects.get(title="ごみの出し方")
    assert other.event_start is None and other.event_place == ""
    # The server decides what the form shows; the script only follows the category.
    assert 'id="event-fields" data-conditional-hidden' in _html(
        client.get(f"/staff/notices/{other.pk}/edit/")
    )
    assert 'id="event-fields" data-conditional-hidden' not in _html(
        client.get(f"/staff/notices/{event.pk}/edit/")
    )
    assert 'data-event="true"' in _html(client.get("/staff/notices/new/"))


def test_the_edit_page_previews_the_text_and_saves_changes(town: Town) -> None:
    notice = town.notice(approve=False, body="**保存した本文**")
    client = signed_in(town.writer)
    url = f"/staff/notices/{notice.pk}/edit/"
    page = _html(client.get(url))
    assert "<strong>保存した本文</strong>" in page.split('id="preview"')[1]

    typed = "## 見出し\n\n**太字** と <script>alert(1)</script>"
    preview = client.post(url, _form(town, body=typed, action="preview"))
    assert preview.status_code == 200
    shown = _html(preview).split('id="preview"')[1].split("</section>")[0]
    assert "<h3>見出し</h3>" in shown and "<strong>太字</strong>" in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    notice.refresh_from_db()
    assert notice.body == "**保存した本文**"  # a preview saves nothing

    saved = client.post(url, _form(town, title="直した件名", districts=[str(town.kabuto.pk)]))
    assert saved.status_code == 302 and saved["Location"] == f"/staff/notices/{notice.pk}/"
    notice.refresh_from_db()
    assert notice.title == "直した件名" and list(notice.districts.all()) == [town.kabuto]
    assert notice.department == town.bousai


def test_only_a_draft_is_edited(town: Town) -> None:
    published = town.notice(title="掲載中")
    client = signed_in(town.writer)
    response = client.get(f"/staff/notices/{published.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/notices/{published.pk}/"
    follow = _html(client.get(response["Location"]))
    assert "変更できるのは下書きだけです" in follow
    assert client.post(f"/staff/notices/{published.pk}/edit/", _form(town)).status_code == 302
    published.refresh_from_db()
    assert published.title == "掲載中"


# --- attachments --------------------------------------------------------------------------


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_images_with_alt_text_and_pdfs_are_attached_and_removed(town: Town) -> None:
    notice = town.notice(approve=False)
    client = signed_in(town.writer)
    url = f"/staff/notices/{notice.pk}/files/"
    response = client.post(
        url,
        {
            "kind": "image",
            "file": _upload("map.png", png_bytes(), "image/png"),
            "alt_text": "避難所の地図",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/notices/{notice.pk}/edit/#attachments"
    response = client.post(
        url, {"kind": "document", "file": _upload("案内.pdf", pdf_bytes(), "application/pdf")}
    )
    assert response.status_code == 302
    image = NoticeFile.objects.get(notice=notice, kind="image")
    document = NoticeFile.objects.get(notice=notice, kind="document")
    page = _html(client.get(f"/staff/notices/{notice.pk}/edit/"))
    assert f'src="/staff/notices/{notice.pk}/files/{image.pk}/"' in page
    assert 'alt="避難所の地図"' in page and "案内.pdf" in page
    # Staff see a draft's files; the public does not.
    shown = client.get(f"/staff/notices/{notice.pk}/files/{image.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == png_bytes()  # type: ignore[attr-defined]
    assert Client().get(f"/notices/{notice.pk}/files/{image.pk}/").status_code == 404

    removed = client.post(f"/staff/notices/{notice.pk}/files/{document.pk}/remove/")
    assert removed.status_code == 302
    assert not NoticeFile.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "image", "alt_text": ""}, "alt_text", "画像の内容を説明"),
        ({"kind": "image", "fake": True}, "file", "画像（PNG、JPEG、GIF、WebP）ではありません"),
        ({"kind": "image", "large": True}, "file", "画像は5MBまでです"),
        ({"kind": "document", "alt_text": ""}, "file", "PDF"),
        ({"kind": "video"}, "kind", ""),
        ({"kind": "image", "no_file": True}, "file", ""),
    ],
    ids=["no-alt-text", "fake-image", "too-large", "not-a-pdf", "bad-kind", "no-file"],
)
def test_a_bad_upload_shows_its_error_on_the_form_never_a_500(
    town: Town, data: dict[str, Any], field: str, message: str
) -> None:
    notice = town.notice(approve=False, title="添付のテスト")
    content = png_bytes()
    if data.get("fake"):
        content = b"this is text, not a picture"
    if data.get("large"):
        content = png_bytes() + b"\0" * IMAGE_MAX_BYTES
    post: dict[str, Any] = {"kind": data["kind"], "alt_text": data.get("alt_text", "地図")}
    if not data.get("no_file"):
        post["file"] = _upload("map.png", content, "image/png")
    response = signed_in(town.writer).post(f"/staff/notices/{notice.pk}/files/", post)
    assert response.status_code == 400
    page = _html(response)
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert f'href="#id_{field}"' in summary and message in summary
    assert 'value="添付のテスト"' in page  # the notice's form is there, as saved
    assert not NoticeFile.objects.exists()


def test_files_of_a_notice_sent_for_approval_stay_as_they_are(town: Town) -> None:
    notice = town.notice(approve=False)
    attached = notice_file_add(
        actor=town.writer,
        municipality=town.city,
        notice=notice,
        upload=_upload("map.png", png_bytes(), "image/png"),
        kind="image",
        alt_text="地図",
    )
    notice_submit(actor=town.writer, municipality=town.city, notice=notice)
    client = signed_in(town.writer)
    added = client.post(
        f"/staff/notices/{notice.pk}/files/",
        {"kind": "image", "file": _upload("b.png", png_bytes(), "image/png"), "alt_text": "b"},
    )
    assert added.status_code == 302 and added["Location"] == f"/staff/notices/{notice.pk}/"
    removed = client.post(f"/staff/notices/{notice.pk}/files/{attached.pk}/remove/")
    assert removed.status_code == 302
    assert "変更できるのは下書きだけです" in _html(client.get(removed["Location"]))
    assert NoticeFile.objects.filter(notice=notice).count() == 1


# --- send, approve, send back, withdraw ---------------------------------------------------


def test_a_notice_goes_from_draft_through_a_send_back_to_the_public_site(town: Town) -> None:
    notice = town.notice(approve=False, title="予防接種のお知らせ")
    writer, approver = signed_in(town.writer), signed_in(town.approver)
    page = _main(writer.get(f"/staff/notices/{notice.pk}/"))
    assert ">下書き</span>" in page and 'id="send-for-approval"' in page
    assert 'id="approve"' not in page

    response = writer.post(f"/staff/notices/{notice.pk}/submit/")
    assert response.status_code == 302
    page = _main(writer.get(f"/staff/notices/{notice.pk}/"))
    assert ">承認待ち</span>" in page and "承認を依頼しました" in page
    assert "お知らせを書いた人は承認できません" in page and 'id="approve"' not in page
    # The writer is never the approver, even by posting the form.
    assert writer.post(f"/staff/notices/{notice.pk}/approve/").status_code == 403

    page = _main(approver.get(f"/staff/notices/{notice.pk}/"))
    assert 'id="approve"' in page and 'id="send-back"' in page
    empty = approver.post(f"/staff/notices/{notice.pk}/send-back/", {"reason": "  "})
    assert empty.status_code == 400
    assert error_summary(empty) and 'href="#send-back-reason"' in _html(empty)
    assert 'id="send-back-panel" open' in _html(empty)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SUBMITTED

    response = approver.post(
        f"/staff/notices/{notice.pk}/send-back/", {"reason": "日付を確認してください。"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    for url in (f"/staff/notices/{notice.pk}/", f"/staff/notices/{notice.pk}/edit/"):
        page = _main(writer.get(url))
        assert "日付を確認してください。" in page and "直してほしい点" in page
    assert ">差戻し</span>" in _main(writer.get("/staff/notices/"))

    writer.post(f"/staff/notices/{notice.pk}/submit/")
    response = approver.post(f"/staff/notices/{notice.pk}/approve/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED and notice.approved_by == town.approver
    page = _main(approver.get(f"/staff/notices/{notice.pk}/"))
    assert ">掲載中</span>" in page and "承認しました" in page
    assert f'href="/notices/{notice.pk}/"' in page and "職員 テスト" in page
    assert Client().get(f"/notices/{notice.pk}/").status_code == 200


def test_steps_out_of_order_get_a_message_not_an_error(town: Town) -> None:
    notice = town.notice(title="掲載中")
    writer, approver = signed_in(town.writer), signed_in(town.approver)
    response = writer.post(f"/staff/notices/{notice.pk}/submit/")
    assert response.status_code == 302
    assert "すでに承認を依頼しています" in _html(writer.get(response["Location"]))
    response = approver.post(f"/staff/notices/{notice.pk}/approve/")
    assert "承認できるのは承認待ちのお知らせだけです" in _html(approver.get(response["Location"]))
    response = approver.post(f"/staff/notices/{notice.pk}/send-back/", {"reason": "x"})
    assert response.status_code == 302
    for url in ("submit", "approve", "send-back"):
        assert writer.get(f"/staff/notices/{notice.pk}/{url}/").status_code == 405


def test_an_approval_after_the_end_of_publication_says_what_to_change(town: Town) -> None:
    notice = town.notice(approve=False, expire_at=timezone.now() + dt.timedelta(seconds=1))
    notice_submit(actor=town.writer, municipality=town.city, notice=notice)
    Notice.objects.filter(pk=notice.pk).update(expire_at=timezone.now() - dt.timedelta(hours=1))
    approver = signed_in(town.approver)
    response = approver.post(f"/staff/notices/{notice.pk}/approve/")
    assert response.status_code == 302
    assert "掲載終了" in _html(approver.get(response["Location"]))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SUBMITTED


def test_withdrawing_asks_first_then_takes_the_notice_off_the_site(town: Town) -> None:
    notice = town.notice(title="取り下げるお知らせ")
    client = signed_in(town.approver)
    url = f"/staff/notices/{notice.pk}/withdraw/"
    assert f'href="{url}"' in _html(client.get(f"/staff/notices/{notice.pk}/"))
    confirm = _main(client.get(url))
    assert "このお知らせを取り下げますか" in confirm and 'id="withdraw"' in confirm
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED  # asking changes nothing
    response = client.post(url)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert Client().get(f"/notices/{notice.pk}/").status_code == 404
    page = _main(client.get(f"/staff/notices/{notice.pk}/"))
    assert ">取り下げ</span>" in page and f'href="{url}"' not in page
    assert client.get(url).status_code == 302  # withdrawn already: back to its page


# --- who may do what ----------------------------------------------------------------------


def test_visitors_residents_and_staff_without_a_writers_role_are_kept_out(
    town: Town, resident: User
) -> None:
    notice = town.notice(approve=False)
    anonymous = Client().get("/staff/notices/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert signed_in(resident).get("/staff/notices/").status_code == 403
    planner = make_staff(town.city, "dx@example.jp", role=Role.DX_LEADER, department=town.bousai)
    for url in ("/staff/notices/", "/staff/notices/new/", f"/staff/notices/{notice.pk}/"):
        assert signed_in(planner).get(url).status_code == 403, url
    assert 'href="/staff/notices/"' not in _html(signed_in(planner).get("/staff/"))
    assert 'href="/staff/notices/"' in _html(signed_in(town.writer).get("/staff/"))


def test_a_clerk_of_another_department_cannot_open_or_change_the_notice(town: Town) -> None:
    notice = town.notice(approve=False, title="防災安全課の下書き")
    image = notice_file_add(
        actor=town.writer,
        municipality=town.city,
        notice=notice,
        upload=_upload("map.png", png_bytes(), "image/png"),
        kind="image",
        alt_text="地図",
    )
    other = signed_in(_chiiki_clerk(town))
    assert "防災安全課の下書き" not in _html(other.get("/staff/notices/"))
    base = f"/staff/notices/{notice.pk}"
    for url in (f"{base}/", f"{base}/edit/", f"{base}/withdraw/", f"{base}/files/{image.pk}/"):
        assert other.get(url).status_code == 403, url
    for url in (f"{base}/submit/", f"{base}/approve/", f"{base}/edit/", f"{base}/files/"):
        assert other.post(url, {"reason": "x", **_form(town)}).status_code == 403, url
    assert other.post(f"{base}/files/{image.pk}/remove/").status_code == 403
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT and notice.title == "防災安全課の下書き"
    assert NoticeFile.objects.filter(pk=image.pk).exists()
    # An unknown notice or file is not found.
    assert other.get("/staff/notices/00000000-0000-0000-0000-000000000000/").status_code == 404
    writer = signed_in(town.writer)
    missing = f"{base}/files/00000000-0000-0000-0000-000000000000/"
    assert writer.get(missing).status_code == 404


def test_another_citys_notices_are_not_found(
    town: Town, other_city: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "suzuka.example.jp"]
    notice = town.notice(approve=False, title="亀山市の下書き")
    bousai = DepartmentFactory.create(municipality=other_city, code="400", name="防災危機管理課")
    suzuka_clerk = make_staff(other_city, "clerk@suzuka.example.jp", department=bousai)
    client = Client(HTTP_HOST="suzuka.example.jp")
    client.force_login(suzuka_clerk)
    assert client.get("/staff/notices/").status_code == 200
    for url in ("", "edit/", "withdraw/"):
        assert client.get(f"/staff/notices/{notice.pk}/{url}").status_code == 404, url
    for url in ("submit/", "approve/", "files/"):
        assert client.post(f"/staff/notices/{notice.pk}/{url}").status_code == 404, url
    assert "亀山市の下書き" not in _html(client.get("/staff/notices/"))
    # Suzuka's staff on Kameyama's host are not Kameyama's staff.
    kameyama = signed_in(suzuka_clerk)
    assert kameyama.get(f"/staff/notices/{notice.pk}/").status_code == 403


def test_a_district_organisation_writes_only_for_its_district(town: Town) -> None:
    town.notice(approve=False, title="防災安全課の下書き")
    editor = signed_in(town.district_editor)
    page = _html(editor.get("/staff/notices/new/"))
    assert 'id="id_department"' not in page and 'id="id_districts"' not in page
    assert "関地区のお知らせです" in page and "地域づくり課が承認します" in page
    response = editor.post(
        "/staff/notices/new/",
        _form(
            town, department=str(town.bousai.pk), districts=[str(town.kabuto.pk)], title="関の清掃"
        ),
    )
    assert response.status_code == 302
    notice = Notice.objects.get(title="関の清掃")
    assert notice.district_author == town.seki and notice.department == town.chiiki
    assert list(notice.districts.all()) == [town.seki]

    listing = _main(editor.get("/staff/notices/"))
    assert "関の清掃" in listing and "防災安全課の下書き" not in listing
    assert "関地区のお知らせです" in listing
    other = Notice.objects.get(title="防災安全課の下書き")
    assert editor.get(f"/staff/notices/{other.pk}/").status_code == 403
    assert 'href="/staff/notices/"' in _html(editor.get("/staff/"))

    editor.post(f"/staff/notices/{notice.pk}/submit/")
    # The supporting department approves it; the 防災安全課's approver cannot.
    assert signed_in(town.approver).get(f"/staff/notices/{notice.pk}/").status_code == 403
    chiiki = signed_in(_chiiki_approver(town))
    assert "関の清掃" in _main(chiiki.get("/staff/notices/")).split('id="awaiting"')[1]
    assert chiiki.post(f"/staff/notices/{notice.pk}/approve/").status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED


def test_a_sent_back_district_notice_is_changed_by_its_district(town: Town) -> None:
    notice = notice_create(
        actor=town.district_editor,
        municipality=town.city,
        category=town.categories["event"],
        title="関宿の清掃",
        body="本文",
        event_start=timezone.now() + dt.timedelta(days=10),
    )
    notice_submit(actor=town.district_editor, municipality=town.city, notice=notice)
    notice_send_back(
        actor=_chiiki_approver(town), municipality=town.city, notice=notice, reason="集合場所を"
    )
    editor = signed_in(town.district_editor)
    page = _html(editor.get(f"/staff/notices/{notice.pk}/edit/"))
    assert "集合場所を" in page
    response = editor.post(
        f"/staff/notices/{notice.pk}/edit/",
        _form(
            town,
            title="関宿の清掃",
            category=str(town.categories["event"].pk),
            event_start="2030-06-01T09:00",
            event_place="関宿 中町",
        ),
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.event_place == "関宿 中町" and list(notice.districts.all()) == [town.seki]


# --- English ------------------------------------------------------------------------------


def test_the_english_pages_mark_every_japanese_text(town: Town) -> None:
    notice = town.notice(approve=False, title="防災マップ", districts=[town.seki])
    notice_file_add(
        actor=town.writer,
        municipality=town.city,
        notice=notice,
        upload=_upload("地図.png", png_bytes(), "image/png"),
        kind="image",
        alt_text="避難所の地図",
    )
    notice_submit(actor=town.writer, municipality=town.city, notice=notice)
    client = signed_in(town.approver, language="en")
    for url in (
        "/staff/notices/",
        "/staff/notices/new/",
        f"/staff/notices/{notice.pk}/",
        f"/staff/notices/{notice.pk}/withdraw/",
        "/staff/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert unmarked_japanese(_html(response), title=False) == [], url
    draft = town.notice(approve=False, title="下書き")
    writer = signed_in(town.writer, language="en")
    page = _html(writer.get(f"/staff/notices/{draft.pk}/edit/"))
    assert unmarked_japanese(page, title=False) == []
    assert "Waiting for approval (承認待ち)" in _html(client.get("/staff/notices/"))
    assert re.search(r"<title>[^<]*Notices \(staff\)", _html(client.get("/staff/notices/")))
