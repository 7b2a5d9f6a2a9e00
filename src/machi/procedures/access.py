"""Who may open a draft or an application from a page.

A signed-in resident opens their own. A visitor without an account opens what they started
in this browser session, or what a link from their mail (resume or status link) unlocked.
Anything else is a 404, and the attempt is written to the audit log.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from machi.core.models import User
from machi.core.tenant_request import MunicipalRequest
from machi.procedures import selectors
from machi.procedures.models import Draft, Submission
from machi.procedures.services.submissions import access_refused

DRAFTS_KEY = "machi_procedure_drafts"
SUBMISSIONS_KEY = "machi_procedure_submissions"
_SESSION_LIMIT = 50


def user_of(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def remember(request: HttpRequest, key: str, object_id: object) -> None:
    ids = [i for i in request.session.get(key, []) if i != str(object_id)]
    request.session[key] = [*ids, str(object_id)][-_SESSION_LIMIT:]


def _allowed(request: HttpRequest, owner_id: object, key: str, object_id: object) -> bool:
    user = user_of(request)
    if owner_id is not None:
        return user is not None and user.pk == owner_id
    return str(object_id) in request.session.get(key, [])


def draft_for(request: MunicipalRequest, draft_id: object) -> Draft:
    draft = selectors.draft_get(municipality=request.municipality, draft_id=str(draft_id))
    if draft is None:
        raise Http404
    if not _allowed(request, draft.owner_id, DRAFTS_KEY, draft.pk):
        access_refused(
            municipality=request.municipality, actor=user_of(request), target=draft, what="draft"
        )
        raise Http404
    return draft


def submission_for(request: MunicipalRequest, submission_id: object) -> Submission:
    submission = selectors.submission_get(
        municipality=request.municipality, submission_id=str(submission_id)
    )
    if submission is None:
        raise Http404
    if not _allowed(request, submission.applicant_id, SUBMISSIONS_KEY, submission.pk):
        access_refused(
            municipality=request.municipality,
            actor=user_of(request),
            target=submission,
            what="submission",
        )
        raise Http404
    return submission
