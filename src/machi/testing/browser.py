"""Playwright on Debian's chromium, and an axe-core check, for the browser tests."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the database calls of
    # the tests themselves stay synchronous, so Django's guard does not apply.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """Open pages at a viewport: ``new_page(PHONE)``, ``new_page(locale="en-US")``,
    ``new_page(javascript=False)``. The site's own Content Security Policy is in force, as
    a person's browser has it: a script or style it refuses breaks the journey under test.
    (axe-core is evaluated through the DevTools protocol, which the policy does not cover;
    give ``wait_for_function`` a function, ``"() => …"``: a bare expression is run with
    ``eval``, which the policy refuses.)
    Contexts are closed afterwards."""
    contexts: list[Any] = []

    def open_page(
        viewport: dict[str, int] = DESKTOP, locale: str = "ja-JP", *, javascript: bool = True
    ) -> Any:
        context = browser.new_context(
            viewport=viewport, locale=locale, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A/AA rules) on the page and return its violations."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']}
        })"""
    )
    return list(result["violations"])


def assert_no_axe_violations(page: Any) -> None:
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"axe violations on {page.url}:\n" + json.dumps(
        summary, ensure_ascii=False, indent=1
    )


def sign_in(page: Any, base: str, email: str, password: str, totp_secret: str = "") -> None:
    """Sign in through the real login page; staff then type their authenticator code."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    if totp_secret:
        type_totp_code(page, totp_secret)


def type_totp_code(page: Any, secret: str) -> None:
    """Type the authenticator's current code into ``#id_code`` and send it. A code computed
    just before its 30-second period ends can reach the server after it (a busy CI
    machine); then, as a person would, type the next period's code once more."""
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    for _attempt in range(2):
        counter = next(iter(yield_hotp_counters_from_time()))
        page.fill("#id_code", f"{hotp_value(secret, counter):06d}")
        with page.expect_navigation():  # the next page, or this one again with an error
            page.click("form.form button[type=submit]")
        if page.locator("#id_code").count() == 0:
            return
        time.sleep(max(0.0, 30 - time.time() % 30) + 0.5)
