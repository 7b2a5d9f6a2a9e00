"""Every role walks the demo site from its home page, following every link.

The crawler (machi.testing.crawler) fails on an error status, an empty ``<main>`` once
htmx has settled, an axe violation, Japanese text left on an English page outside
content marked ``lang="ja"``, and anything the real Content Security Policy refuses.
"""

from __future__ import annotations

from typing import Any

import pytest

from machi.testing.browser import PHONE, sign_in
from machi.testing.crawler import Crawl
from machi.testing.demo_site import DEMO_PASSWORD, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.long]

# role: demo account ("" for anonymous), the role's home page, and the part of the site
# whose pages the role's walk opens and checks. Links elsewhere are requested and their
# status checked; the walk of the role that owns that part opens them.
ROLES = {
    "anonymous": ("", "/", ("/",)),
    "resident": (
        "resident@kameyama.demo",
        "/mypage/",
        ("/mypage/", "/applications/", "/accounts/", "/procedures/"),
    ),
    "clerk": ("clerk.kankyo@kameyama.demo", "/staff/", ("/staff/", "/accounts/")),
    "approver": ("kacho.kankyo@kameyama.demo", "/staff/", ("/staff/",)),
    "plan-office": ("clerk.digital@kameyama.demo", "/staff/plan/", ("/staff/plan/",)),
    "opendata-publisher": (
        "clerk.seisaku@kameyama.demo",
        "/staff/opendata/",
        ("/staff/opendata/",),
    ),
    "admin": ("admin@kameyama.demo", "/staff/", ("/staff/", "/admin/")),
}


def _signed_in_page(new_page: Any, site: DemoSite, email: str, language: str) -> Any:
    page = new_page(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
    page.set_default_timeout(20_000)
    if email:
        staff = email != ROLES["resident"][0]
        sign_in(page, site.url, email, DEMO_PASSWORD, site.enrol_totp(email) if staff else "")
        assert "/accounts/login" not in page.url, f"{email} could not sign in"
    return page


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_link_a_role_can_follow_works(
    new_page: Any, demo_site: DemoSite, role: str, language: str
) -> None:
    email, home, area = ROLES[role]
    page = _signed_in_page(new_page, demo_site, email, language)
    crawl = Crawl(demo_site.url, english=language == "en", axe=language == "ja", area=area)
    problems = crawl.run(page, demo_site.url + home)
    report = "\n".join(str(p) for p in problems)
    assert not problems, f"{len(problems)} problems on {len(crawl.visited)} pages:\n{report}"
