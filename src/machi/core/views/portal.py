"""The portal shell for everyone: the home page, and a resident's own page and details."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from machi.core import selectors
from machi.core.forms import ProfileForm
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.phone import format_phone
from machi.core.japanese.postal import format_postal_code
from machi.core.models import User
from machi.core.services.residents import resident_profile_update


def _phone_shown(digits: str) -> str:
    """The stored number with hyphens; as stored if it no longer passes the checks (one
    saved before a numbering-plan update)."""
    try:
        return format_phone(digits)
    except JapaneseInputError:
        return digits


def home(request: HttpRequest) -> HttpResponse:
    """The home page, with what other apps add to it (``MACHI_HOME_PANELS``: core names
    no app)."""
    municipality = getattr(request, "municipality", None)
    panels = []
    if municipality is not None:
        for path in settings.MACHI_HOME_PANELS:
            made = import_string(path)(municipality=municipality)
            if made is not None:
                template, context = made
                panels.append(render_to_string(template, context, request=request))
    return render(request, "core/home.html", {"panels": panels})


def privacy(request: HttpRequest) -> HttpResponse:
    """プライバシー: what the platform keeps about the people who use it, and what not."""
    return render(request, "core/privacy.html")


@login_required
def mypage(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.is_municipal_staff:
        return redirect("core:staff_home")
    profile = selectors.resident_profile_of(user=user)
    # What other apps add (``MACHI_MYPAGE_SECTIONS``: core names no app).
    municipality = getattr(request, "municipality", None)
    sections = []
    if municipality is not None:
        for path in settings.MACHI_MYPAGE_SECTIONS:
            made = import_string(path)(user=user, municipality=municipality)
            if made is not None:
                template, context = made
                sections.append(render_to_string(template, context, request=request))
    return render(
        request,
        "core/mypage.html",
        {"account": user, "profile": profile, "sections": sections},
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The resident's own details, used to fill in forms for them (ワンスオンリー)."""
    user = request.user
    assert isinstance(user, User)
    if not user.is_resident:
        raise PermissionDenied
    profile = selectors.resident_profile_of(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                resident_profile_update(user=user, changes=dict(form.cleaned_data))
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Your details were saved."))
                return redirect("core:mypage")
        return render(request, "core/profile_edit.html", {"form": form}, status=400)
    initial = {
        "postal_code": format_postal_code(profile.postal_code)[1:]
        if profile and profile.postal_code
        else "",
        "address": profile.address if profile else "",
        "phone": _phone_shown(profile.phone) if profile and profile.phone else "",
        "birthdate": profile.birthdate.isoformat() if profile and profile.birthdate else "",
    }
    return render(request, "core/profile_edit.html", {"form": ProfileForm(initial=initial)})
