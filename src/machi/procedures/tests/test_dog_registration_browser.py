"""In Debian chromium, with the site's real Content Security Policy, on the 亀山市 demo data:
a resident registers a dog (犬の登録) as people do. On the vaccination step they choose the
certificate photo first and the 鑑札 pick-up place below it afterwards; the photo must
survive that choice (htmx re-renders the fields that depend on it), and also a page that
came back with another problem, with scripts on or off. Furigana typed in hiragana is
accepted and shown in katakana."""

from __future__ import annotations

from typing import Any

import pytest

from machi.procedures.models import Attachment
from machi.testing.applications import png_bytes
from machi.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "machi-demo-2026"
RESIDENT = "resident@kameyama.demo"
PHOTO = {"name": "注射済証.png", "mimeType": "image/png", "buffer": png_bytes((60, 40))}


def _continue(page: Any) -> None:
    page.click("form.form .form__actions button[value=next]")
    page.wait_for_load_state()


def _start_dog_registration(page: Any, base: str) -> None:
    """Sign in, find 犬の登録 by searching the catalog, start it, fill 飼い主 and 犬について."""
    sign_in(page, base, RESIDENT, DEMO_PASSWORD)
    page.goto(f"{base}/procedures/")
    page.fill("#procedure-search", "犬の登録")
    page.press("#procedure-search", "Enter")
    page.wait_for_load_state()
    page.click("a.procedure-list__title[href='/procedures/inu-toroku/']")
    page.wait_for_load_state()
    page.click("form[action='/procedures/inu-toroku/start/'] button")
    page.wait_for_load_state()
    assert "/steps/owner/" in page.url

    # Typed the way a phone's keyboard offers it: in hiragana.
    page.fill("#f-name_kana", "かめやま　たろう")
    page.fill("#f-address", "三重県亀山市本丸町577")
    page.fill("#f-phone", "0595-82-1111")
    _continue(page)
    assert "/steps/dog/" in page.url, page.locator("main").inner_text()

    page.fill("#f-dog_name", "ポチ")
    page.fill("#f-breed", "柴犬")
    page.fill("#f-color", "茶")
    page.check("input[name='f-dog_sex'][value='male']")
    page.fill("#f-dog_birthdate", "2025-01-10")
    page.fill("#f-acquired_date", "2025-03-01")
    page.check("input[name='f-place'][value='home']")
    page.check("input[name='f-chip'][value='no']")
    _continue(page)
    assert "/steps/vaccine/" in page.url, page.locator("main").inner_text()


def _check_page_lists_the_photo(page: Any) -> None:
    assert page.url.endswith("/check/"), page.locator("main").inner_text()
    main = page.locator("main").inner_text()
    assert "注射済証.png" in main
    assert "カメヤマ　タロウ" in main
    assert "かめやま" not in main
    assert Attachment.objects.get().name == "注射済証.png"


def test_photo_chosen_before_the_pick_up_place_is_sent_with_the_step(
    live_server: Any, demo: None, new_page: Any
) -> None:
    base = live_server.url
    page = new_page(PHONE)
    _start_dog_registration(page, base)

    with page.expect_response(lambda r: r.url.endswith("/refresh/")):
        page.check("input[name='f-vaccinated'][value='yes']")
    page.wait_for_selector("#f-vaccine_cert", state="visible")
    page.fill("#f-vaccine_date", "2025-04-20")
    page.fill("#f-vaccine_clinic", "亀山どうぶつ病院")
    page.set_input_files("#f-vaccine_cert", PHOTO)

    # The radio below the photo: choosing it re-renders the fields that depend on answers.
    with page.expect_response(lambda r: r.url.endswith("/refresh/")):
        page.check("input[name='f-pickup'][value='seki']")
    page.wait_for_load_state("networkidle")
    chosen = page.eval_on_selector("#f-vaccine_cert", "input => [...input.files].map(f => f.name)")
    assert chosen == ["注射済証.png"]
    assert_no_axe_violations(page)

    _continue(page)
    assert "添付してください" not in page.locator("main").inner_text()
    _check_page_lists_the_photo(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["scripts-on", "scripts-off"])
def test_photo_sent_with_a_step_that_had_another_problem_is_kept(
    live_server: Any, demo: None, new_page: Any, javascript: bool
) -> None:
    base = live_server.url
    page = new_page(DESKTOP, javascript=javascript)
    _start_dog_registration(page, base)

    page.check("input[name='f-vaccinated'][value='yes']")
    page.wait_for_selector("#f-vaccine_cert", state="visible")
    page.fill("#f-vaccine_date", "2025-04-20")
    page.fill("#f-vaccine_clinic", "亀山どうぶつ病院")
    page.set_input_files("#f-vaccine_cert", PHOTO)
    # 続ける before choosing where to collect the tag: only that is asked for.
    _continue(page)
    problems = page.locator(".error-summary__list li").all_inner_texts()
    assert problems == ["鑑札の受け取り場所: 鑑札の受け取り場所を選択してください。"], problems
    assert "注射済証.png" in page.locator(".attachment-list").inner_text()

    page.check("input[name='f-pickup'][value='main']")
    _continue(page)
    _check_page_lists_the_photo(page)
