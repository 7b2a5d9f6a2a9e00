"""Who may open a draft or an application in a browser, and starting a draft from any page.

A signed-in resident opens their own. A browser without the owner's account (a visitor who
has none, or the counter clerk filling a form in for a resident) opens what its session
holds: what it started, or what a link from a mail (resume or status link) unlocked.
Anything else is a 404, and the attempt is written to the audit log.

``machi.procedures.access`` applies this to the resident pages' requests; other apps' pages
call these functions with ``request.user`` and ``request.session``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from machi.core.models import Municipality, User
from machi.procedures import selectors
from machi.procedures.models import Draft, Submission
from machi.procedures.services import drafts
from machi.procedures.services.submissions import access_refused

DRAFTS_KEY = "machi_procedure_drafts"
SUBMISSIONS_KEY = "machi_procedure_submissions"
_SESSION_LIMIT = 50

AnyUser = AbstractBaseUser | AnonymousUser | None


def signed_in(user: AnyUser) -> User | None:
    """The account of a signed-in user, or None for a visitor without one."""
    return user if isinstance(user, User) and user.is_authenticated else None


def session_remember(session: SessionBase, key: str, object_id: object) -> None:
    """Let this browser open the draft (``DRAFTS_KEY``) or application (``SUBMISSIONS_KEY``)."""
    ids = [i for i in session.get(key, []) if i != str(object_id)]
    session[key] = [*ids, str(object_id)][-_SESSION_LIMIT:]


def draft_hand_over(*, session: SessionBase, draft: Draft) -> None:
    """Let this browser open ``draft``'s pages (the counter clerk's, for a draft with no owner)."""
    session_remember(session, DRAFTS_KEY, draft.pk)


def _allowed(
    user: User | None, session: SessionBase, owner_id: object, key: str, object_id: object
) -> bool:
    if owner_id is not None:
        return user is not None and user.pk == owner_id
    return str(object_id) in session.get(key, [])


def draft_for_visitor(
    *, municipality: Municipality, user: AnyUser, session: SessionBase, draft_id: object
) -> Draft:
    """The draft this browser may open; 404 otherwise (and a refusal is audited)."""
    draft = selectors.draft_get(municipality=municipality, draft_id=str(draft_id))
    if draft is None:
        raise Http404
    account = signed_in(user)
    if not _allowed(account, session, draft.owner_id, DRAFTS_KEY, draft.pk):
        access_refused(municipality=municipality, actor=account, target=draft, what="draft")
        raise Http404
    return draft


def submission_for_visitor(
    *, municipality: Municipality, user: AnyUser, session: SessionBase, submission_id: object
) -> Submission:
    """The application this browser may open; 404 otherwise (and a refusal is audited)."""
    submission = selectors.submission_get(
        municipality=municipality, submission_id=str(submission_id)
    )
    if submission is None:
        raise Http404
    account = signed_in(user)
    if not _allowed(account, session, submission.applicant_id, SUBMISSIONS_KEY, submission.pk):
        access_refused(
            municipality=municipality, actor=account, target=submission, what="submission"
        )
        raise Http404
    return submission


@dataclass(frozen=True)
class DraftOpening:
    """Where a page sends the browser after asking for a new draft: ``url`` (the form's first
    step, or where to go instead), with ``warning`` or ``error`` to show when none started."""

    url: str
    draft: Draft | None = None
    warning: str = ""
    error: str = ""


def draft_open(
    *,
    municipality: Municipality,
    code: str,
    user: AnyUser,
    session: SessionBase,
    initial: dict[str, str] | None = None,
) -> DraftOpening:
    """Start a draft of procedure ``code`` (pre-filled with ``initial`` text answers, e.g. a
    chat handed to a person) and let this browser open it. 404 for an unknown procedure."""
    procedure = selectors.procedure_get(municipality=municipality, code=code)
    account = signed_in(user)
    detail = reverse("procedures:detail", kwargs={"code": code})
    try:
        draft = drafts.draft_start(
            municipality=municipality, procedure=procedure, user=account, initial=initial
        )
    except drafts.IdentityRequired:
        if account is None:
            return DraftOpening(f"{reverse('account_login')}?next={detail}")
        needed = _("This procedure needs identity verification with your My Number card.")
        return DraftOpening(detail, warning=needed)
    except PermissionDenied as exc:
        return DraftOpening(detail, error=str(exc))
    if draft.owner_id is None:
        session_remember(session, DRAFTS_KEY, draft.pk)
    first = selectors.form_spec(draft.form).steps[0]
    url = reverse("procedures:step", kwargs={"draft_id": draft.pk, "step_key": first.key})
    return DraftOpening(url, draft)
