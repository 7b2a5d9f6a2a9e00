"""Feeds of お知らせ for feed readers and calendars: Atom 1.0 (all notices, a category's,
a district's) and iCalendar (upcoming events). Only approved, current notices of the
request's municipality; the newest 50 in an Atom feed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone

from machi.core.localized import localized
from machi.core.models import Municipality
from machi.core.tenant_request import MunicipalRequest
from machi.notices import selectors
from machi.notices.markup import plain
from machi.notices.markup import render as render_markup
from machi.notices.models import District, Notice, NoticeCategory
from machi.notices.syndication import (
    DESCRIPTION_LENGTH,
    FEED_LIMIT,
    SUMMARY_LENGTH,
    author_of,
    body_of,
    title_of,
)

#: How far the calendar's VTIMEZONE describes Japan's time (no daylight saving).
_TIMEZONE_UNTIL = dt.date(2100, 1, 1)


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


class NoticeAtom(Atom1Feed):
    """Atom 1.0 with each notice's rendered text as ``<content type="html">`` beside the
    summary (Django's generator writes the summary only), and its page as ``xml:base``."""

    def root_attributes(self) -> dict[str, str]:
        # Links in the text are relative to the site ("/procedures/…"): readers resolve
        # them against xml:base (RFC 4287, 2).
        return {**super().root_attributes(), "xml:base": self.feed["link"]}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


@dataclass(frozen=True)
class Scope:
    """Which notices a feed carries: the city's, or one category's or district's."""

    municipality: Municipality
    category: NoticeCategory | None = None
    district: District | None = None

    def city(self, language: str) -> str:
        return localized(self.municipality, "name", language)


if TYPE_CHECKING:  # generic in django-stubs only
    _Feed = Feed[Notice, Scope]
else:
    _Feed = Feed


class NoticeFeed(_Feed):
    """``/notices/feed.atom``: every current notice, newest first."""

    feed_type = NoticeAtom

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(municipality=request.municipality)  # type: ignore[attr-defined]

    def title(self, scope: Scope) -> str:
        return _("Notices from %(city)s") % {"city": scope.city(_language())}

    def subtitle(self, scope: Scope) -> str:
        return _("News from the city and from the districts' community councils, newest first.")

    def link(self, scope: Scope) -> str:
        chosen = {
            k: v.code for k, v in (("category", scope.category), ("district", scope.district)) if v
        }
        base = reverse("notices:list")
        return f"{base}?{urlencode(chosen)}" if chosen else base

    def author_name(self, scope: Scope) -> str:
        return scope.city(_language())

    def items(self, scope: Scope) -> QuerySet[Notice]:
        return selectors.current_notices(
            municipality=scope.municipality, category=scope.category, district=scope.district
        ).select_related("created_by__district_editor")[:FEED_LIMIT]

    def item_title(self, notice: Notice) -> str:
        return title_of(notice, _language())

    def item_link(self, notice: Notice) -> str:
        return reverse("notices:detail", kwargs={"notice_id": notice.pk})

    def item_description(self, notice: Notice) -> str:
        # Atom's summary is written as type="html": the plain text, escaped.
        return escape(plain(body_of(notice, _language()), SUMMARY_LENGTH))

    def item_extra_kwargs(self, notice: Notice) -> dict[str, Any]:
        return {"content_html": str(render_markup(body_of(notice, _language())))}

    def item_pubdate(self, notice: Notice) -> dt.datetime | None:
        return notice.published_at

    def item_updateddate(self, notice: Notice) -> dt.datetime | None:
        return notice.published_at

    def item_author_name(self, notice: Notice) -> str:
        return author_of(notice, _language())

    def item_categories(self, notice: Notice) -> list[str]:
        return [localized(notice.category, "name", _language())]


class CategoryFeed(NoticeFeed):
    """``/notices/category/<code>/feed.atom``: one category's current notices."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        municipality = request.municipality  # type: ignore[attr-defined]
        category = (
            selectors.categories(municipality=municipality).filter(code=kwargs["code"]).first()
        )
        if category is None:
            raise Http404(_("There is no such category."))
        return Scope(municipality=municipality, category=category)

    def title(self, scope: Scope) -> str:
        language = _language()
        return _("Notices from %(city)s: %(category)s") % {
            "city": scope.city(language),
            "category": localized(scope.category, "name", language),
        }


class DistrictFeed(NoticeFeed):
    """``/notices/district/<code>/feed.atom``: the district's own notices and the whole
    city's."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        municipality = request.municipality  # type: ignore[attr-defined]
        district = (
            selectors.districts(municipality=municipality).filter(code=kwargs["code"]).first()
        )
        if district is None:
            raise Http404(_("There is no such district."))
        return Scope(municipality=municipality, district=district)

    def title(self, scope: Scope) -> str:
        language = _language()
        return _("Notices from %(city)s for %(district)s") % {
            "city": scope.city(language),
            "district": localized(scope.district, "name", language),
        }


# Read only: GET and HEAD (as the calendar below).
notices_feed = require_safe(NoticeFeed())
category_feed = require_safe(CategoryFeed())
district_feed = require_safe(DistrictFeed())


def _event(notice: Notice, request: HttpRequest, language: str, tokyo: ZoneInfo) -> Event:
    assert notice.event_start is not None
    page = request.build_absolute_uri(reverse("notices:detail", kwargs={"notice_id": notice.pk}))
    event = Event.new(
        uid=f"{notice.pk}",
        # The last change of the notice, as RFC 5545 asks of a calendar without METHOD.
        stamp=notice.updated_at.astimezone(dt.UTC),
        start=notice.event_start.astimezone(tokyo),
        end=notice.event_end.astimezone(tokyo) if notice.event_end else None,
        summary=title_of(notice, language),
        description=plain(body_of(notice, language), DESCRIPTION_LENGTH),
        url=page,
        categories=[localized(notice.category, "name", language)],
    )
    if notice.event_place:
        event.location = notice.event_place
    return event


@require_safe
def events_ics(request: MunicipalRequest) -> HttpResponse:
    """``/notices/events.ics``: upcoming events (イベント notices) as an iCalendar file,
    times in Asia/Tokyo with its VTIMEZONE."""
    municipality = request.municipality
    language = _language()
    tokyo = ZoneInfo("Asia/Tokyo")
    city = localized(municipality, "name", language)
    calendar = Calendar.new(
        prodid=f"-//machi//notices//{language.upper()}",
        name=_("Events in %(city)s") % {"city": city},
        description=_("Upcoming events from the notices of %(city)s.") % {"city": city},
        # The same calendar on every request: derived from the municipality.
        uid=uuid.uuid5(municipality.pk, "notices/events.ics"),
        url=request.build_absolute_uri(reverse("notices:list")),
        source=request.build_absolute_uri(reverse("notices:events_ics")),
    )
    # Always there, so that a calendar with no events still holds a component.
    calendar.add_component(Timezone.from_tzid("Asia/Tokyo", last_date=_TIMEZONE_UNTIL))
    for notice in selectors.upcoming_events(municipality=municipality):
        calendar.add_component(_event(notice, request, language, tokyo))
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
