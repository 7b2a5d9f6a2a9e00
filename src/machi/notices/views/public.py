"""Public pages of お知らせ: the list (category, district, words), a notice, the archive.
No sign-in; only approved notices of the request's municipality."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.markup import render as render_markup
from machi.notices.search import MAX_WORDS
from machi.notices.services.clicks import message_click

PER_PAGE = 20
MAX_QUERY = 100


def _listing(request: MunicipalRequest, *, archive: bool) -> HttpResponse:
    municipality = request.municipality
    categories = list(selectors.categories(municipality=municipality))
    districts = list(selectors.districts(municipality=municipality))
    by_code = {c.code: c for c in categories}
    district_by_code = {d.code: d for d in districts}
    category = by_code.get(request.GET.get("category", ""))
    district = district_by_code.get(request.GET.get("district", ""))
    query = request.GET.get("q", "").strip()
    error = ""
    if len(query) > MAX_QUERY:
        error = _("Search with at most %(n)d characters.") % {"n": MAX_QUERY}
        query = query[:MAX_QUERY]
    elif len(query.split()) > MAX_WORDS:
        error = _("Search with at most %(n)d words; only the first were used.") % {"n": MAX_WORDS}
    notices = selectors.current_notices(
        municipality=municipality,
        category=category,
        district=district,
        query=query,
        archive=archive,
    )
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    kept = {
        k: v
        for k, v in (
            ("category", category.code if category else ""),
            ("district", district.code if district else ""),
            ("q", query),
        )
        if v
    }
    return render(
        request,
        "notices/list.html",
        {
            "archive": archive,
            "page": page,
            "categories": categories,
            "districts": districts,
            "category": category,
            "district": district,
            "q": query,
            "error": error,
            "kept": urlencode(kept),
            "important": []
            if archive or page.number > 1
            else selectors.important_notices(municipality=municipality),
        },
    )


def notice_list(request: MunicipalRequest) -> HttpResponse:
    return _listing(request, archive=False)


def archive(request: MunicipalRequest) -> HttpResponse:
    return _listing(request, archive=True)


def notice_detail(request: MunicipalRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = selectors.public_notice(municipality=request.municipality, notice_id=notice_id)
    if notice is None:
        raise Http404(_("There is no such notice."))
    files = list(notice.files.all())
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "body": render_markup(notice.body),
            "body_en": render_markup(notice.body_en) if notice.body_en else "",
            "images": [f for f in files if f.kind == "image"],
            "documents": [f for f in files if f.kind == "document"],
            "ended": notice.expire_at is not None and notice.expire_at <= timezone.now(),
            "districts": list(notice.districts.all()),
        },
    )


def notice_file(
    request: MunicipalRequest, notice_id: uuid.UUID, file_id: uuid.UUID
) -> FileResponse:
    notice = selectors.public_notice(municipality=request.municipality, notice_id=notice_id)
    attached = notice and notice.files.filter(pk=file_id).first()
    if not attached:
        raise Http404(_("There is no such file."))
    response = FileResponse(
        attached.file.open("rb"),
        content_type=attached.content_type,
        as_attachment=attached.kind == "document",
        filename=attached.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def click(request: MunicipalRequest, message_id: uuid.UUID) -> HttpResponse:
    """The link in a notice's message: count it for 効果検証, then go to the notice. A
    link whose message is gone still leads somewhere useful: the list."""
    notice_id = message_click(municipality=request.municipality, message_id=message_id)
    if notice_id is None:
        return redirect("notices:list")
    return redirect("notices:detail", notice_id=notice_id)
