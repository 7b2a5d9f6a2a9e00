"""Signed link tokens mailed to residents: the status page of a submission, and the way
back to an anonymous draft. Making a token reads nothing and writes nothing, so the mail
templates and the services both use this module without importing each other."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

from machi.procedures.models import Draft, Submission

ACCESS_SALT = "machi.procedures.submission-access"
ACCESS_MAX_AGE = dt.timedelta(days=400)
RESUME_SALT = "machi.procedures.draft-resume"


def draft_retention() -> dt.timedelta:
    """How long a draft is kept after its last change, and its resume link works."""
    return dt.timedelta(days=settings.MACHI_DRAFT_RETENTION_DAYS)


def access_token(submission: Submission) -> str:
    """A link token that opens this submission's status page without an account."""
    return signing.dumps({"s": str(submission.pk)}, salt=ACCESS_SALT)


def submission_id_of(token: str) -> str | None:
    """The submission an access token names, or None when forged or older than 400 days."""
    try:
        payload = signing.loads(token, salt=ACCESS_SALT, max_age=ACCESS_MAX_AGE)
    except signing.BadSignature:
        return None
    return str(payload.get("s") or "") or None


def resume_token(draft: Draft) -> str:
    """A link token that brings an anonymous resident back to their draft."""
    return signing.dumps({"d": str(draft.pk)}, salt=RESUME_SALT)


def draft_id_of(token: str) -> str | None:
    """The draft a resume token names, or None when forged or past the draft's retention."""
    try:
        payload = signing.loads(token, salt=RESUME_SALT, max_age=draft_retention())
    except signing.BadSignature:
        return None
    return str(payload.get("d") or "") or None
