"""Who may open a draft or an application from a resident page: the rules of
``machi.procedures.services.visitors``, applied to the request."""

from __future__ import annotations

from django.http import HttpRequest

from machi.core.models import User
from machi.core.tenant_request import MunicipalRequest
from machi.procedures.models import Draft, Submission
from machi.procedures.services.visitors import (
    DRAFTS_KEY,
    SUBMISSIONS_KEY,
    draft_for_visitor,
    session_remember,
    signed_in,
    submission_for_visitor,
)

__all__ = [
    "DRAFTS_KEY",
    "SUBMISSIONS_KEY",
    "draft_for",
    "remember",
    "submission_for",
    "user_of",
]


def user_of(request: HttpRequest) -> User | None:
    return signed_in(request.user)


def remember(request: HttpRequest, key: str, object_id: object) -> None:
    session_remember(request.session, key, object_id)


def draft_for(request: MunicipalRequest, draft_id: object) -> Draft:
    return draft_for_visitor(
        municipality=request.municipality,
        user=request.user,
        session=request.session,
        draft_id=draft_id,
    )


def submission_for(request: MunicipalRequest, submission_id: object) -> Submission:
    return submission_for_visitor(
        municipality=request.municipality,
        user=request.user,
        session=request.session,
        submission_id=submission_id,
    )
