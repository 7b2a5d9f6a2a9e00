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
from machi.notices.models import Message, MessageStatus
from machi.notices.services.messages import messages_send_due
from machi.procedures.models import (
    CorrectionRequest,
    Draft,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from machi.procedures.services import submissions
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
from machi.testing.smtp import Mailbox, smtp_settings

pytestmark = pytest.mark.django_db


def _submitted(catalog: Catalog, client: Client | None = None) -> tuple[Client, Submission]:
    client = client or Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    return client, Submission.objects.latest("submitted_at")


@pytest.mark.django_db(transaction=True)
def test_receipt_mail_reaches_the_smtp_server_once(catalog: Catalog, smtp_server: Mailbox) -> None:
    """The receipt is a message of the outbox (ADR 0019), written with the submission and
    sent when it commits; the dispatcher run again (a redelivered task) sends nothing."""
    _client, submission = _submitted(catalog)
    messages_send_due()  # the dispatcher run again (a redelivered task), then the sweep
    messages_send_due()
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
    message = Message.objects.get(key=f"submission-event:{event.pk}")
    assert (message.kind, message.municipality_id) == ("submission.receipt", catalog.city.pk)
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 1)
    assert str(message.pk) in mail["Message-ID"]  # made from the message: shown once


@pytest.mark.django_db(transaction=True)
def test_status_mail_goes_through_the_outbox_once(catalog: Catalog, smtp_server: Mailbox) -> None:
    city = catalog.city
    _client, submission = _submitted(catalog)
    clerk = make_staff(city, "clerk.kankyo@example.jp", department=catalog.kankyo)
    submissions.submission_status_change(
        actor=clerk, submission=submission, status=SubmissionStatus.UNDER_REVIEW
    )
    messages_send_due()  # the dispatcher run again: nothing more is sent
    mails = smtp_server.to("taro@example.jp")
    assert len(mails) == 2
    assert Message.objects.filter(kind="submission.status", status="delivered").count() == 1
    rolled_back = Message.objects.count()
    with pytest.raises(ValidationError):  # a change refused: no event, no message
        submissions.submission_status_change(
            actor=clerk, submission=submission, status=SubmissionStatus.WITHDRAWN
        )
    assert Message.objects.count() == rolled_back


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_keeps_the_application_and_delivers_later(
    catalog: Catalog, settings: Any
) -> None:
    smtp_settings(settings, free_port())  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    client, submission = _submitted(catalog)
    done = client.get(f"/applications/{submission.pk}/done/")
    assert done.status_code == 200
    assert submission.reference_display in done.content.decode()
    event = SubmissionEvent.objects.get(submission=submission)
    message = Message.objects.get(key=f"submission-event:{event.pk}")
    assert (message.status, message.attempts) == (MessageStatus.SENDING, 1)
    assert "refused" in message.error.lower() or "Error" in message.error
    assert message.next_attempt_at > timezone.now()
    # Staff see it waiting on the delivery page, without its subject (it names the
    # application) and with the address masked.
    staff = Client()
    staff.force_login(make_staff(catalog.city, "writer@example.jp", role=Role.CLERK))
    page = staff.get("/staff/notices/delivery/").content.decode()
    assert "申請の受付" in page and "t***@example.jp" in page
    assert "taro@example.jp" not in page and submission.reference_display not in page

    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        messages_send_due()  # not due yet: nothing is tried
        assert mailbox.messages == []
        Message.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
        messages_send_due()  # as the minute sweep would
        messages_send_due()
    finally:
        controller.stop()
    assert len(mailbox.to("taro@example.jp")) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 2)
    assert Submission.objects.count() == 1
    assert "配信済み" in staff.get("/staff/notices/delivery/").content.decode()


def test_mail_gives_up_after_the_last_rung_and_staff_can_send_it_again(
    catalog: Catalog, settings: Any
) -> None:
    smtp_settings(settings, free_port())
    _submitted(catalog)
    message = Message.objects.get(kind="submission.receipt")
    later = timezone.now()
    for _ in range(7):
        later += dt.timedelta(days=2)
        messages_send_due(now=later, budget_seconds=5)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.TEMPORARY_FAILURE, 7)
    assert message.error
    messages_send_due(now=later + dt.timedelta(days=2), budget_seconds=5)
    message.refresh_from_db()
    assert message.attempts == 7  # no more attempts
    staff = Client()
    staff.force_login(make_staff(catalog.city, "writer@example.jp", role=Role.CLERK))
    page = staff.get("/staff/notices/delivery/").content.decode()
    assert "一時的に届かず" in page and "申請の受付" in page
    assert staff.post(f"/staff/notices/delivery/{message.pk}/retry/").status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.CREATED


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
