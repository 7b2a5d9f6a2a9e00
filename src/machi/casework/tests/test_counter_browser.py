"""書かない窓口 on the demo data, in Debian chromium: the clerk finds the resident, enters the
move once, picks 引っ越し, completes three forms prefilled from that one entry, the resident
confirms on the tablet, and one printed summary lists the three 受付番号."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from machi.casework.models import CounterSession, CounterStatus
from machi.core.models import Municipality, User
from machi.procedures.models import Channel, Submission
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in
from machi.testing.fixtures import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _continue(page: Any) -> None:
    page.click("form.form .form__actions button[value=next]")
    page.wait_for_load_state()


def test_one_entry_fills_three_procedures_for_a_move(
    live_server: Any, demo: Municipality, new_page: Any
) -> None:
    clerk = User.objects.get(email="clerk.shimin@kameyama.demo")
    key = enrol_totp(clerk)
    resident = User.objects.get(email="resident@kameyama.demo")
    base = live_server.url
    page = new_page(DESKTOP)
    sign_in(page, base, clerk.email, "machi-demo-2026", key)

    # 1. Find the resident, check the details, enter the move once.
    page.goto(f"{base}/staff/counter/")
    assert_no_axe_violations(page)
    page.fill("#counter-q", "カメヤマ")
    page.press("#counter-q", "Enter")
    page.wait_for_load_state()
    page.click(f"#resident-results a[href='?resident={resident.pk}']")
    page.wait_for_load_state()
    assert page.input_value("#d-name") == "亀山 太郎"
    move = dt.date.today() + dt.timedelta(days=20)
    page.check("#id-doc-my_number_card")
    page.fill("#d-birthdate", "昭和60年4月1日")
    page.fill("#d-postal_code", "519-0195")
    page.fill("#d-address", "三重県亀山市本丸町577")
    page.fill("#d-phone", "０５９５－８２－１１１１")
    page.fill("#d-new_postal_code", "514-0001")
    page.fill("#d-new_address", "三重県津市江戸橋1-1")
    page.fill("#d-move_date", move.isoformat())
    page.click("#counter-start")
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # 2. 引っ越し: out of the city, with a preschool child.
    page.select_option("#counter-event", "moving")
    page.click("form.form button[type=submit] >> nth=0")
    page.wait_for_load_state()
    for question, value in (
        ("direction", "out"),
        ("children", "preschool"),
        ("kokuho", "no"),
        ("dog", "no"),
        ("kaigo", "no"),
    ):
        page.check(f"#g-{question}-{value}")
    page.click("#guide-apply")
    page.wait_for_load_state()
    chosen = page.locator("#plan-form input[name=procedures]")
    assert sorted(chosen.evaluate_all("els => els.map(e => e.value)")) == [
        "jido-teate-henko",
        "sodai-gomi",
        "tenshutsu",
    ]
    assert_no_axe_violations(page)
    page.click("#plan-submit")
    page.wait_for_load_state()

    # 3. Each form starts from the one entry; the clerk adds only what is particular to it.
    page.click("#fill-tenshutsu")
    page.wait_for_load_state()
    assert page.input_value("#f-new_address") == "三重県津市江戸橋1-1"
    assert page.input_value("#f-move_date") == move.isoformat()
    page.fill("#f-arrival_date", (move + dt.timedelta(days=1)).isoformat())
    _continue(page)
    page.check("#f-scope")
    page.fill("#f-movers-0-mover_name", "亀山 太郎")
    page.fill("#f-movers-0-mover_kana", "カメヤマ タロウ")
    page.fill("#f-movers-0-mover_birthdate", "昭和60年4月1日")
    page.select_option("#f-movers-0-mover_relation", "head")
    page.check("#f-movers-0-mover_card")
    _continue(page)
    page.check("#f-card_holders")
    _continue(page)
    assert page.input_value("#f-name_kana") == "カメヤマ\u3000タロウ"
    assert page.input_value("#f-phone") == "0595-82-1111"
    _continue(page)
    assert "/staff/counter/" in page.url

    page.click("#fill-sodai-gomi")
    page.wait_for_load_state()
    page.select_option("#f-items-0-item", "bicycle")
    page.fill("#f-items-0-count", "1")
    _continue(page)
    assert page.input_value("#f-address") == "三重県亀山市本丸町577"
    page.fill("#f-preferred_date", (move - dt.timedelta(days=3)).isoformat())
    _continue(page)
    _continue(page)

    page.click("#fill-jido-teate-henko")
    page.wait_for_load_state()
    page.check("input[name='f-change_kind'][value='move_out']")
    page.locator("input[name='f-change_kind'][value='move_out']").dispatch_event("change")
    page.wait_for_timeout(500)
    assert page.input_value("#f-out_address") == "三重県津市江戸橋1-1"
    _continue(page)
    _continue(page)
    assert page.locator("#tablet-panel").is_visible()
    assert_no_axe_violations(page)
    tablet_url = page.locator("#tablet-link").inner_text()

    # 4. The resident checks everything on the tablet and confirms with one tap.
    tablet = new_page(PHONE)
    tablet.goto(tablet_url)
    assert "三重県津市江戸橋1-1" in tablet.content()
    assert_no_axe_violations(tablet)
    tablet.click("#tablet-confirm")
    tablet.wait_for_load_state()
    assert tablet.locator("#tablet-done").is_visible()
    assert_no_axe_violations(tablet)

    filed = Submission.objects.filter(channel=Channel.COUNTER)
    assert filed.count() == 3
    assert {s.entered_by_id for s in filed} == {clerk.pk}
    assert {s.applicant_id for s in filed} == {resident.pk}
    session = CounterSession.objects.get()
    assert session.status == CounterStatus.CONFIRMED

    page.reload()
    page.click("#print-summary")
    page.wait_for_load_state()
    summary = page.locator("#summary-table").inner_text()
    for submission in filed:
        assert submission.reference_display in summary
    assert_no_axe_violations(page)


def test_a_move_into_the_city_fills_each_form_with_the_new_address_and_the_move(
    live_server: Any, demo: Municipality, new_page: Any
) -> None:
    """Someone moves from 津市 to 亀山市 with a child, a dog and no employer insurance: the
    clerk types the move once, and 児童手当, 国保 and the dog's form each start from the new
    address, the moving date, the dog's new place and 加入 / 市外から転入した — which the
    clerk can still change."""
    clerk = User.objects.get(email="clerk.shimin@kameyama.demo")
    key = enrol_totp(clerk)
    base = live_server.url
    page = new_page(DESKTOP)
    sign_in(page, base, clerk.email, "machi-demo-2026", key)
    new_address = "三重県亀山市本丸町577 メゾン本丸201"
    moved = dt.date.today() - dt.timedelta(days=3)

    # The newcomer has no account: the clerk types the details and the move once.
    page.click("main a[href='/staff/counter/']")
    page.wait_for_load_state()
    page.check("#id-doc-my_number_card")
    page.fill("#d-name", "津 花子")
    page.fill("#d-name_kana", "ツ ハナコ")
    page.fill("#d-birthdate", "平成2年6月1日")
    page.fill("#d-postal_code", "514-0001")
    page.fill("#d-address", "三重県津市江戸橋1-1")
    page.fill("#d-phone", "090-1234-5678")
    page.fill("#d-email", "hanako@example.jp")
    page.fill("#d-new_postal_code", "519-0195")
    page.fill("#d-new_address", new_address)
    page.fill("#d-move_date", moved.isoformat())
    page.click("#counter-start")
    page.wait_for_load_state()
    assert "市外から転入" in page.locator("#counter-move").inner_text()

    page.select_option("#counter-event", "moving")
    page.click("form.form button[type=submit] >> nth=0")
    page.wait_for_load_state()
    for question, value in (
        ("direction", "in"),
        ("children", "preschool"),
        ("kokuho", "yes"),
        ("dog", "yes"),
        ("kaigo", "no"),
    ):
        page.check(f"#g-{question}-{value}")
    page.click("#guide-apply")
    page.wait_for_load_state()
    chosen = page.locator("#plan-form input[name=procedures]")
    assert sorted(chosen.evaluate_all("els => els.map(e => e.value)")) == [
        "inu-henko",
        "jido-teate",
        "kokuho-kanyu",
    ]
    page.click("#plan-submit")
    page.wait_for_load_state()
    assert_no_axe_violations(page)

    # 児童手当: the claimant's address is where they live now.
    page.click("#fill-jido-teate")
    page.wait_for_load_state()
    assert page.input_value("#f-address") == new_address
    assert page.is_editable("#f-address")
    page.go_back()
    page.wait_for_load_state()

    # 国保: joining because they moved in, from the moving date; the card goes to the new
    # address.
    page.click("#fill-kokuho-kanyu")
    page.wait_for_load_state()
    assert page.is_checked("input[name='f-notice_type'][value='join']")
    assert page.input_value("#f-join_reason") == "moved_in"
    assert page.input_value("#f-change_date") == moved.isoformat()
    _continue(page)
    page.fill("#f-members-0-member_name", "津 花子")
    page.fill("#f-members-0-member_kana", "ツ ハナコ")
    page.fill("#f-members-0-member_birthdate", "平成2年6月1日")
    page.select_option("#f-members-0-member_relation", "head")
    _continue(page)
    assert page.input_value("#f-address") == new_address
    page.check("input[name='f-is_head'][value='yes']")
    page.check("input[name='f-card_delivery'][value='mail']")
    _continue(page)
    assert "/staff/counter/" in page.url

    # 犬: brought in from outside, kept at the new address from the moving date. The clerk
    # corrects the place (the dog lives in the garden flat) and the correction stays.
    page.click("#fill-inu-henko")
    page.wait_for_load_state()
    assert page.is_checked("input[name='f-change_type'][value='move_in']")
    assert page.input_value("#f-change_date") == moved.isoformat()
    assert page.input_value("#f-new_place") == new_address
    page.fill("#f-new_place", "三重県亀山市本丸町577 メゾン本丸101")
    page.fill("#f-old_town", "三重県津市")
    _continue(page)
    page.fill("#f-dog_name", "ポチ")
    page.fill("#f-breed", "柴犬")
    page.check("input[name='f-dog_sex'][value='male']")
    _continue(page)
    assert page.input_value("#f-address") == new_address
    _continue(page)
    assert "/staff/counter/" in page.url
    page.click("#fill-inu-henko")
    page.wait_for_load_state()
    assert page.input_value("#f-new_place") == "三重県亀山市本丸町577 メゾン本丸101"
