"""Submitting: the receipt mail (a real SMTP server on loopback), a mail server that is
down, the PDF copy, status changes from the back office, withdrawal and corrections."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from machi.core.models import AuditEntry, Municipality, Role
from machi.procedures.models import (
    CorrectionRequest,
    Draft,
    MailState,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from machi.procedures.services import submissions
from machi.procedures.services.mailing import event_mail_deliver
from machi.procedures.tasks import mail_sweep
from machi.testing.applications import (
    Catalog,
    fill_gomi,
    make_resident,
    post_step,
    signed_in,
    start,
    submit,
)
from machi.testing.fixtures import make_staff
from machi.testing.network import free_port
from machi.testing.smtp import Mailbox

pytestmark = pytest.mark.django_db


def _submitted(catalog: Catalog, client: Client | None = None) -> tuple[Client, Submission]:
    client = client or Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    return client, Submission.objects.latest("submitted_at")


@pytest.mark.django_db(transaction=True)
def test_receipt_mail_reaches_the_smtp_server(catalog: Catalog, smtp_server: Mailbox) -> None:
    _client, submission = _submitted(catalog)
    [mail] = smtp_server.to("taro@example.jp")
    body = mail.get_content()
    assert submission.reference_display in str(mail["Subject"])
    assert "亀山市" in str(mail["Subject"])
    assert "2,000円" in body
    assert "三重県亀山市本丸町577" not in body  # answers stay out of the mail
    link = re.search(r"http://testserver(/applications/access/\S+/)", body)[1]  # type: ignore[index]
    stranger = Client()
    assert stranger.get(f"/applications/{submission.pk}/").status_code == 404
    assert stranger.get(link).status_code == 302
    assert stranger.get(f"/applications/{submission.pk}/").status_code == 200
    event = SubmissionEvent.objects.get(submission=submission)
    assert (event.mail_state, event.mail_attempts) == (MailState.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_keeps_the_application_and_retries(
    catalog: Catalog, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    client, submission = _submitted(catalog)
    done = client.get(f"/applications/{submission.pk}/done/")
    assert done.status_code == 200
    assert submission.reference_display in done.content.decode()
    event = SubmissionEvent.objects.get(submission=submission)
    assert event.mail_state == MailState.PENDING
    assert event.mail_attempts == 1
    assert "Error" in event.mail_error or "refused" in event.mail_error.lower()
    assert event.mail_next_attempt_at is not None
    assert mail_sweep() == 0  # not due yet

    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        SubmissionEvent.objects.filter(pk=event.pk).update(
            mail_next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
        assert mail_sweep() == 1  # as the beat schedule would, every minute
    finally:
        controller.stop()
    assert len(mailbox.to("taro@example.jp")) == 1
    event.refresh_from_db()
    assert (event.mail_state, event.mail_attempts) == (MailState.SENT, 2)
    assert Submission.objects.count() == 1


def test_mail_gives_up_after_the_last_rung_and_says_why(catalog: Catalog, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    _client, submission = _submitted(catalog)
    event = SubmissionEvent.objects.get(submission=submission)
    states = [event_mail_deliver(event_id=str(event.pk)) for _ in range(7)]
    assert states[:-1] == [MailState.PENDING] * 6
    assert states[-1] == MailState.FAILED
    event.refresh_from_db()
    assert event.mail_attempts == 7
    assert event.mail_error
    assert event_mail_deliver(event_id=str(event.pk)) == MailState.FAILED  # no more attempts


def test_pdf_copy_has_the_answers_in_japanese(catalog: Catalog) -> None:
    client, submission = _submitted(catalog)
    response = client.get(f"/applications/{submission.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        submission.reference_display,
        "粗大ごみ収集の申込",
        "三重県亀山市本丸町577",
        "2,000円",
        "自転車",
    ):
        assert expected in text, expected
    assert Client().get(f"/applications/{submission.pk}/pdf/").status_code == 404


def test_back_office_status_changes_follow_the_rules(catalog: Catalog, city: Municipality) -> None:
    client, submission = _submitted(catalog)
    clerk = make_staff(city, "clerk.kankyo@example.jp", department=catalog.kankyo)
    outsider = make_staff(city, "clerk.shimin@example.jp", department=catalog.shimin)
    with pytest.raises(PermissionDenied):
        submissions.submission_status_change(
            actor=outsider, submission=submission, status=SubmissionStatus.UNDER_REVIEW
        )
    submissions.submission_status_change(
        actor=clerk, submission=submission, status=SubmissionStatus.UNDER_REVIEW
    )
    submissions.submission_status_change(
        actor=clerk,
        submission=submission,
        status=SubmissionStatus.COMPLETED,
        note="12月20日に収集します。",
    )
    with pytest.raises(ValidationError):
        submissions.submission_status_change(
            actor=clerk, submission=submission, status=SubmissionStatus.UNDER_REVIEW
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.COMPLETED
    assert submission.finished
    page = client.get(f"/applications/{submission.pk}/").content.decode()
    assert "12月20日に収集します。" in page
    assert "/withdraw/" not in page
    kinds = list(submission.events.values_list("status", flat=True))
    assert kinds == ["received", "under_review", "completed"]
    assert AuditEntry.objects.filter(action="submission.status_changed").count() == 2


def test_resident_withdraws_before_completion(catalog: Catalog) -> None:
    client, submission = _submitted(catalog)
    assert client.get(f"/applications/{submission.pk}/withdraw/").status_code == 200
    response = client.post(f"/applications/{submission.pk}/withdraw/", {"reason": "不要になった"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    again = client.post(f"/applications/{submission.pk}/withdraw/")
    assert again.status_code == 400
    assert Client().post(f"/applications/{submission.pk}/withdraw/").status_code == 404


def test_correction_edits_only_the_requested_fields(catalog: Catalog, city: Municipality) -> None:
    client, submission = _submitted(catalog)
    clerk = make_staff(city, "clerk.kankyo@example.jp", department=catalog.kankyo)
    with pytest.raises(ValidationError):
        submissions.correction_request_create(
            actor=clerk, submission=submission, fields=["nope"], message="x"
        )
    correction = submissions.correction_request_create(
        actor=clerk,
        submission=submission,
        fields=["address"],
        message="番地まで入力してください。",
    )
    status_page = client.get(f"/applications/{submission.pk}/").content.decode()
    assert "番地まで入力してください。" in status_page
    page = client.get(f"/applications/{submission.pk}/correction/").content.decode()
    assert 'name="f-address"' in page
    assert 'name="f-day"' not in page
    forged = client.post(
        f"/applications/{submission.pk}/correction/",
        {"f-address": "三重県亀山市本丸町577番地", "f-day": "2099-02-01"},
    )
    assert forged.status_code == 400
    empty = client.post(f"/applications/{submission.pk}/correction/", {"f-address": ""})
    assert empty.status_code == 400
    assert "住所" in empty.content.decode()
    done = client.post(
        f"/applications/{submission.pk}/correction/", {"f-address": "三重県亀山市本丸町577番地"}
    )
    assert done.status_code == 302
    submission.refresh_from_db()
    correction.refresh_from_db()
    assert submission.status == SubmissionStatus.UNDER_REVIEW
    assert submission.answers["address"] == "三重県亀山市本丸町577番地"
    assert submission.answers["day"] == "2099-01-05"
    assert correction.before == {"address": "三重県亀山市本丸町577"}
    assert correction.after == {"address": "三重県亀山市本丸町577番地"}
    assert CorrectionRequest.objects.filter(answered_at__isnull=True).count() == 0


def test_every_staff_view_of_a_submission_is_audited(catalog: Catalog, city: Municipality) -> None:
    _client, submission = _submitted(catalog)
    clerk = make_staff(city, "clerk.kankyo@example.jp", department=catalog.kankyo)
    adviser = make_staff(city, "adviser@example.jp", role=Role.DIGITAL_ADVISOR)
    for _ in range(2):
        submissions.submission_staff_view(
            staff=clerk, municipality=city, submission_id=str(submission.pk)
        )
    with pytest.raises(PermissionDenied):
        submissions.submission_staff_view(
            staff=adviser, municipality=city, submission_id=str(submission.pk)
        )
    views = AuditEntry.objects.filter(action="submission.viewed", target_id=str(submission.pk))
    assert views.count() == 2
    assert set(views.values_list("actor_id", flat=True)) == {clerk.pk}


def test_admin_view_of_a_submission_is_audited(catalog: Catalog, city: Municipality) -> None:
    _client, submission = _submitted(catalog)
    admin = make_staff(city, "admin@example.jp", role=Role.PLATFORM_ADMIN)
    client = signed_in(admin)
    response = client.get(f"/admin/procedures/submission/{submission.pk}/change/")
    assert response.status_code == 200
    assert submission.reference_display in response.content.decode()
    assert AuditEntry.objects.filter(
        action="submission.viewed", actor_id=admin.pk, target_id=str(submission.pk)
    ).exists()


def test_signed_in_resident_sees_their_applications(catalog: Catalog) -> None:
    user = make_resident(catalog.city)
    client, submission = _submitted(catalog, signed_in(user))
    assert submission.applicant == user
    page = client.get("/applications/").content.decode()
    assert submission.reference_display in page
    other = make_resident(catalog.city, email="other@example.jp")
    assert signed_in(other).get(f"/applications/{submission.pk}/").status_code == 404


def test_changed_form_never_breaks_earlier_drafts_and_applications(catalog: Catalog) -> None:
    from machi.procedures.services.catalog import form_definition_publish

    _client, submission = _submitted(catalog)
    client = Client()
    base = start(client, "gomi")
    definition = dict(catalog.gomi.current_form.definition)  # type: ignore[union-attr]
    definition["steps"] = [definition["steps"][1]]
    definition["computed"] = []
    new_version = form_definition_publish(
        actor=None, procedure=catalog.gomi, definition=definition, change_note="品目を廃止"
    )
    assert new_version.version == 2
    fill_gomi(client, base)  # the draft keeps version 1
    assert submit(client, base).status_code == 302
    assert Submission.objects.latest("submitted_at").form.version == 1
    page = Client().get("/procedures/gomi/")
    assert page.status_code == 200
    old = Submission.objects.get(pk=submission.pk)
    assert old.form.version == 1
    reader = Client()
    reader.get(f"/applications/{old.pk}/")  # no session: 404, but it must not crash
    stale = post_step(client, base, "items", {}, version=2)
    assert stale.status_code in (400, 404)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_draft_make_one_application(catalog: Catalog) -> None:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    draft_id = base.rsplit("/", 1)[-1]
    results: list[Any] = []
    barrier = threading.Barrier(4)

    def press() -> None:
        from django.db import connections

        barrier.wait()
        try:
            results.append(
                submissions.submission_create(
                    municipality=catalog.city,
                    draft_id=draft_id,
                    user=None,
                    language="ja",
                    portal_url="http://testserver",
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert len({submission.pk for submission, _created in results}) == 1
    assert sum(1 for _submission, created in results if created) == 1
    assert Submission.objects.count() == 1
    assert not Draft.objects.exists()
