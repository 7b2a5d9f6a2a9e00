"""On the 亀山市 demo data, in Debian chromium: one 粗大ごみ and one 児童手当 application go
from submission through a correction request, 起案 and approval with a 差戻し on the way,
to an issued PDF that /verify/ finds valid — and an edited copy that it finds altered."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader, PdfWriter

from machi.casework.models import Case, IssuedDocument
from machi.core.models import Municipality, User
from machi.core.services.accounts import resident_create, resident_verified_claims_update
from machi.procedures.models import SubmissionStatus
from machi.testing.applications import png_bytes
from machi.testing.browser import DESKTOP, assert_no_axe_violations, sign_in
from machi.testing.fixtures import PASSWORD, enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "machi-demo-2026"


def _post(client: Client, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.content.decode()[:3000])
    return str(response["Location"])


def _apply_for_large_waste(client: Client) -> None:
    step = _post(client, "/procedures/sodai-gomi/start/", {})
    base = step.split("/steps/")[0]
    version = "1"
    _post(
        client,
        step,
        {
            "form_version": version,
            "f-items-0-_item": "1",
            "f-items-0-item": "sofa-2",
            "f-items-0-count": "1",
        },
    )
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    _post(
        client,
        f"{base}/steps/collection/",
        {"form_version": version, "f-address": "三重県亀山市本丸町577", "f-preferred_date": later},
    )
    _post(
        client,
        f"{base}/steps/applicant/",
        {
            "form_version": version,
            "f-name": "亀山 太郎",
            "f-name_kana": "カメヤマ タロウ",
            "f-phone": "0595-82-1111",
            "f-email": "taro@example.jp",
        },
    )
    _post(client, f"{base}/check/", {"form_version": version})


def _apply_for_child_allowance(client: Client) -> None:
    step = _post(client, "/procedures/jido-teate/start/", {})
    base = step.split("/steps/")[0]
    version = "1"
    _post(
        client,
        step,
        {
            "form_version": version,
            "f-name_kana": "カメヤマ ハナコ",
            "f-phone": "090-1234-5678",
            "f-email": "hanako@example.jp",
            "f-pension": "kosei",
            "f-spouse": "no",
        },
    )
    _post(
        client,
        f"{base}/steps/children/",
        {
            "form_version": version,
            "f-children-0-_item": "1",
            "f-children-0-child_name": "亀山 さくら",
            "f-children-0-child_kana": "カメヤマ サクラ",
            "f-children-0-child_birthdate": "令和6年5月1日",
            "f-children-0-child_relation": "child",
            "f-children-0-child_living": "together",
            "f-has_apart": "no",
        },
    )
    _post(
        client,
        f"{base}/steps/account/",
        {
            "form_version": version,
            "f-bank_name": "百五銀行",
            "f-branch_name": "亀山支店",
            "f-account_type": "ordinary",
            "f-account_number": "1234567",
            "f-account_holder": "カメヤマ ハナコ",
            "f-bank_doc": SimpleUploadedFile("passbook.png", png_bytes(), "image/png"),
        },
    )
    _post(client, f"{base}/check/", {"form_version": version})


def _staff(email: str) -> tuple[str, str]:
    user = User.objects.get(email=email)
    return email, enrol_totp(user)


def _carry(
    live_server: Any,
    new_page: Any,
    resident: Client,
    case: Case,
    *,
    clerk: str,
    chief: str,
    manager: str,
    consult: str = "",
    correct: str,
    corrected: dict[str, str],
) -> None:
    url = f"{live_server.url}/staff/cases/{case.pk}/"
    accounts = {
        name: _staff(email)
        for name, email in {
            "clerk": clerk,
            "chief": chief,
            "manager": manager,
            **({"consult": consult} if consult else {}),
        }.items()
    }
    pages: dict[str, Any] = {}

    def as_(who: str) -> Any:
        if who not in pages:
            pages[who] = new_page(DESKTOP)
            email, key = accounts[who]
            sign_in(pages[who], live_server.url, email, DEMO_PASSWORD, key)
        pages[who].goto(url)
        return pages[who]

    page = as_("clerk")
    page.click("#start-review")
    page.wait_for_load_state()
    page.click("details.case-details summary")
    page.check(f"#correct-{correct}")
    page.fill("#correction-message", "内容を確認のうえ、正しく入力し直してください。")
    page.click("form[action$='/correction/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "補正依頼中"
    _post(resident, f"/applications/{case.submission_id}/correction/", corrected)

    page = as_("clerk")
    unticked = page.locator(".case-checklist button[aria-pressed=false]")
    while unticked.count():  # the review checklist, item by item, before the decision
        unticked.first.click()
        page.wait_for_load_state()
    page.click("#decide-form >> xpath=ancestor::details/summary")
    page.check("#decide-approve")
    page.fill("#decide-reason", "申請のとおり決定しました。")
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#approval-status").inner_text() == "回議中"

    page = as_("chief")
    page.click("#approve-step")
    page.wait_for_load_state()
    page = as_("manager")
    page.click("#send-back-panel summary")
    page.select_option("#send-back-to", "1")
    page.fill("#send-back-reason", "理由の書き方を確認してください。")
    page.click("#send-back")
    page.wait_for_load_state()
    page = as_("chief")
    page.click("#approve-step")
    page.wait_for_load_state()
    if consult:
        page = as_("consult")
        page.click("#approve-step")
        page.wait_for_load_state()
    page = as_("manager")
    assert_no_axe_violations(page)
    page.click("#approve-step")
    page.wait_for_load_state()
    assert page.locator("#case-status").inner_text() == "完了"
    case.submission.refresh_from_db()
    assert case.submission.status == SubmissionStatus.COMPLETED


def _verify_in_browser(
    live_server: Any, new_page: Any, resident: Client, case: Case, tmp_path: Any
) -> None:
    document = IssuedDocument.objects.get(case=case)
    download = resident.get(f"/applications/{case.submission_id}/documents/{document.pk}/")
    pdf = b"".join(download.streaming_content)
    original = tmp_path / f"{document.code}.pdf"
    original.write_bytes(pdf)
    edited = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    edited.add_metadata({"/Subject": "金額を書き換えた"})
    copy = tmp_path / f"{document.code}-edited.pdf"
    with copy.open("wb") as out:
        edited.write(out)
    page = new_page(DESKTOP)
    for path, verdict in ((original, "valid"), (copy, "altered")):
        page.goto(f"{live_server.url}/verify/{document.code}/")
        page.set_input_files("#verify-pdf", str(path))
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(f"#verdict.verdict--{verdict}").is_visible()
        assert_no_axe_violations(page)


def test_large_waste_and_child_allowance_to_a_verified_notice(
    live_server: Any, demo: Municipality, new_page: Any, tmp_path: Any
) -> None:
    anonymous = Client()
    _apply_for_large_waste(anonymous)
    waste = Case.objects.filter(
        procedure__code="sodai-gomi", submission__applicant__isnull=True
    ).get()
    _carry(
        live_server,
        new_page,
        anonymous,
        waste,
        clerk="clerk.kankyo@kameyama.demo",
        chief="kakaricho.kankyo@kameyama.demo",
        manager="kacho.kankyo@kameyama.demo",
        correct="place_note",
        corrected={"f-place_note": "玄関前に出します。"},
    )
    _verify_in_browser(live_server, new_page, anonymous, waste, tmp_path)

    parent = resident_create(
        municipality=demo, email="hanako.kameyama@example.jp", password=PASSWORD
    )
    resident_verified_claims_update(
        user=parent,
        claims={
            "name": "亀山 花子",
            "address": "三重県亀山市本丸町577",
            "birthdate": "1992-06-01",
            "gender": "female",
        },
    )
    verified = Client()
    verified.force_login(parent)
    _apply_for_child_allowance(verified)
    allowance = Case.objects.get(procedure__code="jido-teate")
    _carry(
        live_server,
        new_page,
        verified,
        allowance,
        clerk="clerk.kodomo@kameyama.demo",
        chief="kakaricho.kodomo@kameyama.demo",
        manager="kacho.kodomo@kameyama.demo",
        consult="kacho.zaimu@kameyama.demo",
        correct="branch_name",
        corrected={"f-branch_name": "亀山駅前支店"},
    )
    _verify_in_browser(live_server, new_page, verified, allowance, tmp_path)
