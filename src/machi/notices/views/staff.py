"""Staff pages of お知らせ: the department's (or the district's) notices, the form to
write one with its attachments, and its page with the steps of ADR 0017: send for
approval, approve or send back with a reason, withdraw.

Every change goes through ``machi.notices.services``, which checks who may do it (403);
the pages ask ``machi.notices.permissions`` only to decide which buttons to show.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from machi.core.access import staff_required
from machi.core.localized import localized
from machi.core.models import Department, User
from machi.core.tenant_request import MunicipalRequest
from machi.notices import permissions, selectors
from machi.notices.forms import NoticeFileForm, NoticeForm
from machi.notices.markup import render as render_markup
from machi.notices.models import Notice, NoticeFile, NoticeStatus
from machi.notices.selectors import StaffState
from machi.notices.services import files as file_services
from machi.notices.services import notices as notice_services
from machi.notices.services.notices import EDITABLE_FIELDS

PER_PAGE = 50

STATE_LABELS = {
    StaffState.DRAFT: gettext_lazy("Draft (下書き)"),
    StaffState.SENT_BACK: gettext_lazy("Sent back to the writer (差戻し)"),
    StaffState.SUBMITTED: gettext_lazy("Waiting for approval (承認待ち)"),
    StaffState.SCHEDULED: gettext_lazy("Approved, not yet shown (掲載予定)"),
    StaffState.PUBLISHED: gettext_lazy("Published (掲載中)"),
    StaffState.ENDED: gettext_lazy("Publication ended (掲載終了)"),
    StaffState.WITHDRAWN: gettext_lazy("Withdrawn (取り下げ)"),
}


def _user(request: MunicipalRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _writable_departments(request: MunicipalRequest) -> QuerySet[Department]:
    return permissions.departments_with_role(
        _user(request), request.municipality, permissions.WRITER_ROLES
    ).order_by("code")


def _require_writer(request: MunicipalRequest) -> None:
    """These pages are for staff who write notices and for district organisations."""
    user, municipality = _user(request), request.municipality
    if permissions.district_of(user, municipality) is None and not (
        _writable_departments(request).exists()
    ):
        raise PermissionDenied(
            _(
                "Only staff who write notices for a department, and district "
                "organisations, can use these pages."
            )
        )


def _notice(request: MunicipalRequest, notice_id: uuid.UUID) -> Notice:
    """A notice of the user's departments (or district): another city's is not found,
    another department's is refused."""
    notice = selectors.staff_notice(
        user=_user(request), municipality=request.municipality, notice_id=notice_id
    )
    if notice is not None:
        return notice
    if selectors.notice_exists(municipality=request.municipality, notice_id=notice_id):
        raise PermissionDenied(_("This notice belongs to another department or district."))
    raise Http404(_("There is no such notice."))


def _state(notice: Notice) -> dict[str, Any]:
    code = selectors.staff_state(notice)
    return {"code": code, "label": STATE_LABELS[code]}


# --- the list -----------------------------------------------------------------------------


@staff_required
def notice_list(request: MunicipalRequest) -> HttpResponse:
    _require_writer(request)
    user, municipality = _user(request), request.municipality
    state = request.GET.get("state", "")
    if state not in StaffState.ALL:
        state = ""
    notices = selectors.in_state(
        selectors.staff_notices(user=user, municipality=municipality), state
    ).order_by("-updated_at")
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [{"notice": n, "state": _state(n)} for n in page],
        "states": list(STATE_LABELS.items()),
        "state": state,
        "kept": urlencode({"state": state}) if state else "",
        "awaiting": selectors.awaiting_approval(user=user, municipality=municipality),
        "district": permissions.district_of(user, municipality),
        "sees_webhooks": permissions.can_manage_webhooks(user, municipality),
    }
    return render(request, "notices/staff_list.html", context)


# --- writing ------------------------------------------------------------------------------


def _notice_form(
    request: MunicipalRequest, *, notice: Notice | None, data: Any = None
) -> NoticeForm:
    municipality = request.municipality
    district = permissions.district_of(_user(request), municipality)
    initial: dict[str, Any] = {}
    departments = None if notice is not None or district else _writable_departments(request)
    if departments is not None:
        initial["department"] = departments.first()
    if notice is not None:
        initial = {name: getattr(notice, name) for name in EDITABLE_FIELDS if name != "category"}
        initial["category"] = notice.category_id
        initial["districts"] = [d.pk for d in notice.districts.all()]
    return NoticeForm(
        data,
        initial=initial,
        categories=selectors.categories(municipality=municipality),
        # A notice keeps the department it was written for; a district writes for its own.
        departments=departments,
        districts=None if district else selectors.districts(municipality=municipality),
    )


def _form_page(
    request: MunicipalRequest,
    *,
    form: NoticeForm,
    notice: Notice | None,
    file_form: NoticeFileForm | None = None,
    preview_text: str | None = None,
) -> HttpResponse:
    file_form = file_form or NoticeFileForm()
    if preview_text is None and notice is not None:
        preview_text = notice.body
    attached = list(notice.files.all()) if notice is not None else []
    context = {
        "form": form,
        "file_form": file_form,
        "notice": notice,
        "district": permissions.district_of(_user(request), request.municipality),
        "preview": render_markup(preview_text) if preview_text else "",
        "images": [f for f in attached if f.kind == NoticeFile.Kind.IMAGE],
        "documents": [f for f in attached if f.kind == NoticeFile.Kind.DOCUMENT],
        "max_files": file_services.MAX_FILES,
    }
    status = 400 if form.errors or file_form.errors else 200
    return render(request, "notices/staff_form.html", context, status=status)


def _districts(form: NoticeForm) -> list[Any] | None:
    return list(form.cleaned_data["districts"]) if "districts" in form.fields else None


@staff_required
def notice_new(request: MunicipalRequest) -> HttpResponse:
    _require_writer(request)
    if request.method != "POST":
        return _form_page(request, form=_notice_form(request, notice=None), notice=None)
    form = _notice_form(request, notice=None, data=request.POST)
    preview_text = request.POST.get("body", "")
    if form.is_valid() and request.POST.get("action") != "preview":
        try:
            created = notice_services.notice_create(
                actor=_user(request),
                municipality=request.municipality,
                department=form.cleaned_data.get("department"),
                districts=_districts(form) or (),
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _(
                    "The draft is saved. Attach images or documents below if it needs them, "
                    "then send it for approval from the notice's page."
                ),
            )
            return redirect("notices:staff_edit", notice_id=created.pk)
    return _form_page(request, form=form, notice=None, preview_text=preview_text)


def _editable(request: MunicipalRequest, notice_id: uuid.UUID) -> Notice | HttpResponse:
    notice = _notice(request, notice_id)
    permissions.require_write(_user(request), request.municipality, notice)
    if notice.status != NoticeStatus.DRAFT:
        messages.info(
            request,
            _(
                "Only a draft can be changed. To correct a published notice, withdraw it "
                "and write a new one."
            ),
        )
        return redirect("notices:staff_detail", notice_id=notice.pk)
    return notice


@staff_required
def notice_edit(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = _editable(request, notice_id)
    if isinstance(notice, HttpResponse):
        return notice
    if request.method != "POST":
        return _form_page(request, form=_notice_form(request, notice=notice), notice=notice)
    form = _notice_form(request, notice=notice, data=request.POST)
    preview_text = request.POST.get("body", "")
    if form.is_valid() and request.POST.get("action") != "preview":
        try:
            notice_services.notice_update(
                actor=_user(request),
                municipality=request.municipality,
                notice=notice,
                districts=_districts(form),
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("notices:staff_detail", notice_id=notice.pk)
    return _form_page(request, form=form, notice=notice, preview_text=preview_text)


@staff_required
@require_POST
def file_add(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = _editable(request, notice_id)
    if isinstance(notice, HttpResponse):
        return notice
    file_form = NoticeFileForm(request.POST, request.FILES)
    if file_form.is_valid():
        try:
            file_services.notice_file_add(
                actor=_user(request),
                municipality=request.municipality,
                notice=notice,
                upload=file_form.cleaned_data["file"],
                kind=file_form.cleaned_data["kind"],
                alt_text=file_form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            file_form.add_service_error(exc)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(f"{_edit_url(notice)}#attachments")
    form = _notice_form(request, notice=notice)
    return _form_page(request, form=form, notice=notice, file_form=file_form)


def _edit_url(notice: Notice) -> str:
    return reverse("notices:staff_edit", kwargs={"notice_id": notice.pk})


def _attached(notice: Notice, file_id: uuid.UUID) -> NoticeFile:
    attached = next((f for f in notice.files.all() if f.pk == file_id), None)
    if attached is None:
        raise Http404(_("There is no such file."))
    return attached


@staff_required
@require_POST
def file_remove(
    request: MunicipalRequest, notice_id: uuid.UUID, file_id: uuid.UUID
) -> HttpResponse:
    notice = _notice(request, notice_id)
    attached = _attached(notice, file_id)
    try:
        file_services.notice_file_remove(
            actor=_user(request), municipality=request.municipality, attached=attached
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("notices:staff_detail", notice_id=notice.pk)
    messages.success(request, _("The file %(name)s is removed.") % {"name": attached.name})
    return redirect(f"{_edit_url(notice)}#attachments")


@staff_required
def file_download(
    request: MunicipalRequest, notice_id: uuid.UUID, file_id: uuid.UUID
) -> FileResponse:
    """An attachment as its staff see it, before the notice is public."""
    attached = _attached(_notice(request, notice_id), file_id)
    response = FileResponse(
        attached.file.open("rb"),
        content_type=attached.content_type,
        as_attachment=attached.kind == NoticeFile.Kind.DOCUMENT,
        filename=attached.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- a notice's page and its steps --------------------------------------------------------


def _detail_page(
    request: MunicipalRequest,
    notice: Notice,
    *,
    send_back_errors: list[str] | None = None,
    reason: str = "",
) -> HttpResponse:
    user, municipality = _user(request), request.municipality
    attached = list(notice.files.all())
    state = _state(notice)
    can_write = permissions.can_write(user, municipality, notice)
    draft = notice.status == NoticeStatus.DRAFT
    submitted = notice.status == NoticeStatus.SUBMITTED
    context = {
        "notice": notice,
        "state": state,
        "body": render_markup(notice.body),
        "body_en": render_markup(notice.body_en) if notice.body_en else "",
        "images": [f for f in attached if f.kind == NoticeFile.Kind.IMAGE],
        "documents": [f for f in attached if f.kind == NoticeFile.Kind.DOCUMENT],
        "districts": list(notice.districts.all()),
        "can_edit": draft and can_write,
        "can_approve": submitted and permissions.can_approve(user, municipality, notice),
        "is_writer": notice.created_by_id == user.pk,
        "can_withdraw": notice.status != NoticeStatus.WITHDRAWN
        and permissions.can_withdraw(user, municipality, notice),
        "is_public": state["code"] in (StaffState.PUBLISHED, StaffState.ENDED),
        "send_back_errors": send_back_errors or [],
        "reason": reason,
    }
    status = 400 if send_back_errors else 200
    return render(request, "notices/staff_detail.html", context, status=status)


@staff_required
def notice_detail(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    return _detail_page(request, _notice(request, notice_id))


def _step_failed(request: MunicipalRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@staff_required
@require_POST
def notice_submit(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = _notice(request, notice_id)
    try:
        notice_services.notice_submit(
            actor=_user(request), municipality=request.municipality, notice=notice
        )
    except ValidationError as exc:
        _step_failed(request, exc)
    else:
        messages.success(
            request,
            _("The notice is sent for approval. An approver of %(department)s checks it.")
            % {"department": localized(notice.department, "name", get_language() or "ja")},
        )
    return redirect("notices:staff_detail", notice_id=notice.pk)


@staff_required
@require_POST
def notice_approve(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = _notice(request, notice_id)
    try:
        approved = notice_services.notice_approve(
            actor=_user(request), municipality=request.municipality, notice=notice
        )
    except ValidationError as exc:
        _step_failed(request, exc)
    else:
        assert approved.published_at is not None
        if approved.published_at > timezone.now():
            shown = timezone.localtime(approved.published_at).strftime("%Y-%m-%d %H:%M")
            messages.success(
                request,
                _("The notice is approved. It appears on the site at %(when)s.") % {"when": shown},
            )
        else:
            messages.success(request, _("The notice is approved and is on the site now."))
    return redirect("notices:staff_detail", notice_id=notice.pk)


@staff_required
@require_POST
def notice_send_back(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = _notice(request, notice_id)
    reason = request.POST.get("reason", "")
    try:
        notice_services.notice_send_back(
            actor=_user(request), municipality=request.municipality, notice=notice, reason=reason
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            return _detail_page(request, notice, send_back_errors=exc.messages, reason=reason)
        _step_failed(request, exc)
    else:
        messages.success(request, _("The notice is sent back to its writer with your reason."))
    return redirect("notices:staff_detail", notice_id=notice.pk)


@staff_required
def notice_withdraw(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    """A page that asks first (GET), then withdraws (POST)."""
    notice = _notice(request, notice_id)
    if not permissions.can_withdraw(_user(request), request.municipality, notice):
        raise PermissionDenied(_("You cannot withdraw this notice."))
    if notice.status == NoticeStatus.WITHDRAWN:
        return redirect("notices:staff_detail", notice_id=notice.pk)
    if request.method == "POST":
        notice_services.notice_withdraw(
            actor=_user(request), municipality=request.municipality, notice=notice
        )
        messages.success(request, _("The notice is withdrawn. The public site no longer shows it."))
        return redirect("notices:staff_detail", notice_id=notice.pk)
    context = {"notice": notice, "state": _state(notice)}
    return render(request, "notices/staff_withdraw.html", context)
