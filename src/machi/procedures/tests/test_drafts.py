"""Drafts: who may start what, once-only prefill, saving at every step, resuming, refusing
forged input, and deletion after the retention period."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from machi.core.models import AuditEntry, Municipality
from machi.core.services.residents import resident_profile_update
from machi.notices.models import Message, MessageStatus
from machi.notices.services.messages import messages_send_due
from machi.procedures.models import Attachment, Draft
from machi.procedures.services.drafts import drafts_purge
from machi.testing.applications import (
    Catalog,
    error_summary,
    fill_gomi,
    make_resident,
    png_bytes,
    post_step,
    signed_in,
    start,
)
from machi.testing.network import free_port
from machi.testing.smtp import Mailbox

pytestmark = pytest.mark.django_db

VERIFIED = {
    "name": "亀山 花子",
    "address": "三重県亀山市本丸町577",
    "birthdate": "1990-04-01",
    "gender": "female",
}


def test_procedure_page_says_what_identity_is_needed(catalog: Catalog) -> None:
    page = Client().get("/procedures/certificate/").content.decode()
    assert "My Number card" in page or "マイナンバーカード" in page
    assert 'action="/procedures/certificate/start/"' not in page


def test_signed_in_procedure_sends_visitors_to_sign_in(catalog: Catalog) -> None:
    response = Client().post("/procedures/photo/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Draft.objects.exists()


def test_verified_procedure_cannot_be_started_or_submitted_without_verification(
    catalog: Catalog,
) -> None:
    user = make_resident(catalog.city)
    client = signed_in(user)
    response = client.post("/procedures/certificate/start/", follow=True)
    assert not Draft.objects.exists()
    assert "/procedures/certificate/" in response.redirect_chain[-1][0]


def test_verified_values_are_prefilled_and_locked(catalog: Catalog) -> None:
    user = make_resident(catalog.city, **VERIFIED)
    resident_profile_update(user=user, changes={"phone": "090-1234-5678", "postal_code": "5190195"})
    client = signed_in(user)
    base = start(client, "certificate")
    page = client.get(f"{base}/steps/applicant/").content.decode()
    assert "三重県亀山市本丸町577" in page
    assert 'name="f-address"' not in page  # verified: shown, not editable
    assert 'name="f-name"' not in page
    assert 'value="090-1234-5678"' in page  # from the profile: editable suggestion
    assert 'value="519-0195"' in page
    forged = post_step(client, base, "applicant", {"f-address": "東京都千代田区", "f-copies": "1"})
    assert forged.status_code == 400
    assert Draft.objects.get().answers["address"] == "三重県亀山市本丸町577"
    saved = post_step(client, base, "applicant", {"f-copies": "２", "f-phone": "090-1234-5678"})
    assert saved.status_code == 302
    draft = Draft.objects.get()
    assert draft.answers["address"] == "三重県亀山市本丸町577"
    assert draft.answers["birthdate"] == "1990-04-01"
    assert draft.answers["copies"] == 2
    assert set(draft.locked) == {"name", "address", "birthdate"}


def test_profile_is_updated_only_with_consent(catalog: Catalog) -> None:
    from machi.core.models import ResidentProfile

    user = make_resident(catalog.city, **VERIFIED)
    for consent in (False, True):
        client = signed_in(user)
        base = start(client, "certificate")
        post_step(
            client,
            base,
            "applicant",
            {"f-copies": "1", "f-phone": "0595-82-1111", "f-postal_code": "519-0195"},
        )
        check = client.get(f"{base}/check/").content.decode()
        assert 'name="save_to_profile"' in check
        data = {"form_version": "1", **({"save_to_profile": "yes"} if consent else {})}
        assert client.post(f"{base}/check/", data).status_code == 302
        profile = ResidentProfile.objects.filter(user=user).first()
        if not consent:
            assert profile is None or profile.phone == ""
    profile = ResidentProfile.objects.get(user=user)
    assert (profile.phone, profile.postal_code) == ("0595821111", "5190195")
    assert AuditEntry.objects.filter(action="resident.profile_updated").count() == 1


def test_signed_in_resident_resumes_from_my_applications(catalog: Catalog) -> None:
    user = make_resident(catalog.city)
    client = signed_in(user)
    base = start(client, "gomi")
    fill_gomi(client, base)
    mine = client.get("/applications/").content.decode()
    assert "粗大ごみ収集の申込" in mine
    assert f"{base}/check/" in mine
    again = signed_in(user)
    assert again.get(f"{base}/check/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_anonymous_resident_gets_a_resume_link_by_mail(
    catalog: Catalog, smtp_server: Mailbox
) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    bad = client.post(f"{base}/save/", {"email": "not-an-address"})
    assert bad.status_code == 400
    assert "name@example.jp" in bad.content.decode()
    sent = client.post(f"{base}/save/", {"email": "ｔａｒｏ@example.jp"})
    assert sent.status_code == 200
    [mail] = smtp_server.to("taro@example.jp")
    body = mail.get_content()
    draft = Draft.objects.get()
    assert (
        draft.expires_at.astimezone(dt.UTC).date().isoformat() in body
        or str(timezone.localtime(draft.expires_at).date()) in body
    )
    link = re.search(r"https?://\S+/applications/resume/\S+/", body)[0]  # type: ignore[index]
    path = link.split("testserver", 1)[-1]
    other_browser = Client()
    response = other_browser.get(path)
    assert response.status_code == 302
    assert other_browser.get(response["Location"]).status_code == 200
    tampered = Client().get(path[:-3] + "xx/")
    assert tampered.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_resume_link_task_delivered_twice_sends_one_mail(
    catalog: Catalog, smtp_server: Mailbox
) -> None:
    """Tasks are acknowledged late: a worker lost after sending runs the dispatcher again."""
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert client.post(f"{base}/save/", {"email": "taro@example.jp"}).status_code == 200
    draft = Draft.objects.get()
    messages_send_due()  # the dispatcher run again (a redelivered task), then the sweep
    messages_send_due()
    assert len(smtp_server.to("taro@example.jp")) == 1
    [message] = Message.objects.filter(kind="draft.resume")
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 1)
    assert message.key.startswith(f"draft-resume:{draft.pk}:")
    # Asking again is a new request: one more mail.
    assert client.post(f"{base}/save/", {"email": "taro@example.jp"}).status_code == 200
    assert len(smtp_server.to("taro@example.jp")) == 2


@pytest.mark.django_db(transaction=True)
def test_resume_link_is_sent_by_the_sweep_when_its_task_never_ran(
    catalog: Catalog, smtp_server: Mailbox, settings: Any
) -> None:
    """The broker was down when the resident asked: the request answered, the sweep sends."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    from machi.config.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        asked = client.post(f"{base}/save/", {"email": "taro@example.jp"})
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = "memory://"
    assert asked.status_code == 200
    assert "taro@example.jp" in asked.content.decode()
    assert smtp_server.to("taro@example.jp") == []
    [message] = Message.objects.filter(kind="draft.resume")
    assert message.status == MessageStatus.CREATED
    messages_send_due()  # what the minute sweep of the delivery engine runs
    messages_send_due()
    assert len(smtp_server.to("taro@example.jp")) == 1
    assert "/applications/resume/" in smtp_server.to("taro@example.jp")[0].get_content()


def test_someone_elses_draft_is_refused_and_logged(catalog: Catalog) -> None:
    owner = make_resident(catalog.city)
    base = start(signed_in(owner), "gomi")
    intruder = make_resident(catalog.city, email="intruder@example.jp")
    for client in (signed_in(intruder), Client()):
        assert client.get(f"{base}/steps/items/").status_code == 404
        response = post_step(client, base, "items", {"f-items-0-item": "sofa"})
        assert response.status_code == 404
        assert client.post(f"{base}/check/", {"form_version": "1"}).status_code == 404
    refused = AuditEntry.objects.filter(action="draft.access_refused")
    assert refused.count() >= 4
    assert refused.filter(actor_id=intruder.pk).exists()
    assert Draft.objects.get().answers == {"email": owner.email}  # only the owner's prefill


def test_forged_and_stale_input_is_refused_and_nothing_is_stored(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    before = Draft.objects.get().answers
    cases: list[dict[str, Any]] = [
        {
            "f-address": "x",
            "f-day": "2099-01-05",
            "f-delivery": "mail",
            "f-email": "a@b.jp",
            "f-secret": "1",
        },
        {
            "f-address": "x",
            "f-day": "2099-01-05",
            "f-delivery": "mail",
            "f-email": "a@b.jp",
            "f-items-0-item": "sofa",
        },
    ]
    for data in cases:
        response = post_step(client, base, "where", data)
        assert response.status_code == 400
    stale = post_step(client, base, "where", {"f-address": "x", "f-day": "2099-01-05"}, version=2)
    assert stale.status_code == 400
    assert Draft.objects.get().answers == before


def test_answer_to_a_question_that_no_longer_applies_is_dropped(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    response = post_step(
        client,
        base,
        "where",
        {
            "f-address": "三重県亀山市本丸町577",
            "f-day": "2099-01-05",
            "f-delivery": "phone",
            "f-phone": "０５９５－８２－１１１１",
            "f-email": "still@example.jp",
        },
    )
    assert response.status_code == 302
    answers = Draft.objects.get().answers
    assert answers["phone"] == "0595821111"
    assert "email" not in answers


def test_steps_cannot_be_skipped(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    response = client.get(f"{base}/steps/where/")
    assert response.status_code == 302
    assert response["Location"].endswith("/steps/items/")
    assert client.get(f"{base}/check/")["Location"].endswith("/steps/items/")


def test_page_shows_progress_and_linked_error_summary(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    page = client.get(f"{base}/steps/items/").content.decode()
    assert 'aria-current="step"' in page
    response = post_step(client, base, "items", {"f-items-0-_item": "1", "f-items-0-count": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#f-items-0-item"' in html
    assert 'href="#f-items-0-count"' in html
    problems = error_summary(response)
    assert any("品目 1: 品目" in p for p in problems), problems


def test_drafts_are_deleted_after_the_retention_period(
    catalog: Catalog, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MACHI_DRAFT_RETENTION_DAYS = 30
    user = make_resident(catalog.city)
    client = signed_in(user)
    start(client, "gomi")
    fresh = start(client, "photo")
    post_step(
        client,
        fresh,
        "docs",
        {"f-note": "写真", "f-files": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
    )
    attachment = Attachment.objects.get()
    path = attachment.file.path
    old = Draft.objects.get(procedure__code="gomi")
    Draft.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with_file = Draft.objects.get(procedure__code="photo")
    Draft.objects.filter(pk=with_file.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_purge() == 2
    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="draft.purged").exists()
    assert drafts_purge() == 0


def test_new_drafts_expire_after_the_configured_period(catalog: Catalog, settings: Any) -> None:
    settings.MACHI_DRAFT_RETENTION_DAYS = 7
    client = Client()
    start(client, "gomi")
    draft = Draft.objects.get()
    assert (
        dt.timedelta(days=6, hours=23) < draft.expires_at - timezone.now() <= dt.timedelta(days=7)
    )


def test_staff_accounts_cannot_apply_as_residents(catalog: Catalog, city: Municipality) -> None:
    from machi.testing.fixtures import make_staff

    staff = make_staff(city, "clerk2@example.jp", department=catalog.kankyo)
    client = signed_in(staff)
    response = client.post("/procedures/gomi/start/")
    assert response.status_code == 302
    assert not Draft.objects.exists()
