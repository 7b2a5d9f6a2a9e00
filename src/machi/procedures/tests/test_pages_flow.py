"""A resident applies through the pages: steps, check page, submit once, status."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from machi.core.models import AuditEntry
from machi.core.reference import parse_reference
from machi.procedures.models import Draft, Submission, SubmissionStatus
from machi.testing.applications import (
    Catalog,
    error_summary,
    fill_gomi,
    post_step,
    start,
    submit,
)

pytestmark = pytest.mark.django_db


def test_anonymous_resident_applies_and_sees_fee_reference_and_status(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    check = client.get(f"{base}/check/")
    html = check.content.decode()
    assert "2,000円" in html
    assert "ソファ" in html and "自転車" in html
    done = submit(client, base)
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    reference = re.search(r'id="reference-number">([^<]+)<', page)[1]  # type: ignore[index]
    submission = Submission.objects.get()
    assert parse_reference(reference) == submission.reference
    assert submission.computed == {"fee": 2000}
    assert submission.answers["items"] == [
        {"item": "sofa", "count": 1},
        {"item": "bicycle", "count": 2},
    ]
    assert not Draft.objects.exists()
    status = client.get(f"/applications/{submission.pk}/")
    assert status.status_code == 200
    assert submission.get_status_display() in status.content.decode()


def test_pressing_submit_twice_makes_one_application(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    first = submit(client, base)
    second = submit(client, base)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.filter(action="submission.created").count() == 1


def test_missing_answer_names_the_field_and_keeps_earlier_steps(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    response = post_step(
        client, base, "where", {"f-address": "", "f-day": "R81.1.5", "f-delivery": "mail"}
    )
    assert response.status_code == 400
    problems = error_summary(response)
    assert any(p.startswith("住所") for p in problems), problems
    assert any(p.startswith("メールアドレス") for p in problems), problems
    draft = Draft.objects.get()
    assert draft.answers["address"] == "三重県亀山市本丸町577"  # nothing already saved is lost


def test_status_follows_the_back_office(catalog: Catalog) -> None:
    from machi.procedures.services.submissions import submission_status_change

    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    submit(client, base)
    submission = Submission.objects.get()
    submission_status_change(
        actor=None, submission=submission, status=SubmissionStatus.UNDER_REVIEW
    )
    page: Any = client.get(f"/applications/{submission.pk}/").content.decode()
    assert page.count("<li>") >= 2
