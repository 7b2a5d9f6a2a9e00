"""An online application made over real HTTP, as a browser without JavaScript makes it,
for tests that drive gunicorn processes."""

from __future__ import annotations

import requests


def post(session: requests.Session, url: str, data: dict[str, str]) -> requests.Response:
    token = session.cookies.get("csrftoken") or ""
    response = session.post(
        url, data={"csrfmiddlewaretoken": token, **data}, allow_redirects=False, timeout=30
    )
    assert response.status_code in (200, 302), (url, response.status_code, response.text[:500])
    return response


def gomi_filled(session: requests.Session, server: str, email: str) -> str:
    """Start a 粗大ごみ application and answer every step; the address of its draft."""
    session.get(f"{server}/procedures/gomi/", timeout=30)
    step = post(session, f"{server}/procedures/gomi/start/", {}).headers["Location"]
    base = server + step.split("/steps/")[0]
    post(
        session,
        f"{base}/steps/items/",
        {
            "form_version": "1",
            "f-items-0-_item": "1",
            "f-items-0-item": "sofa",
            "f-items-0-count": "1",
        },
    )
    post(
        session,
        f"{base}/steps/where/",
        {
            "form_version": "1",
            "f-address": "三重県亀山市本丸町577",
            "f-day": "2099-01-05",
            "f-delivery": "mail",
            "f-email": email,
        },
    )
    return base
