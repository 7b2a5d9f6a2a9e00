"""The feeds: Atom 1.0 (all, a category's, a district's) and the iCalendar of events, as a
feed reader and a calendar app read them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from machi.core.models import Municipality, Role
from machi.notices.models import Notice
from machi.notices.services.notices import notice_approve, notice_create, notice_submit
from machi.notices.services.setup import categories_ensure
from machi.notices.tests.conftest import Town
from machi.testing.factories import DepartmentFactory
from machi.testing.fixtures import make_staff

ATOM = "{http://www.w3.org/2005/Atom}"
TOKYO = ZoneInfo("Asia/Tokyo")


def _feed(client: Client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own feed)


def _entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def _titles(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}title", "") for e in _entries(feed)]


def _in_days(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=TOKYO)


def _summaries(body: bytes) -> list[str]:
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]


def _other_city_notice(city: Municipality, title: str) -> Notice:
    """A public notice of another tenant, written and approved by machi itself."""
    categories = {c.code: c for c in categories_ensure(municipality=city)}
    department = DepartmentFactory.create(municipality=city, code="400", name="防災危機管理課")
    notice = notice_create(
        actor=None,
        municipality=city,
        category=categories["event"],
        title=title,
        body="よその市のお知らせ",
        department=department,
        event_start=timezone.now() + dt.timedelta(days=5),
    )
    notice_submit(actor=None, municipality=city, notice=notice)
    return notice_approve(actor=None, municipality=city, notice=notice)


def test_the_atom_feed_has_one_entry_per_current_notice_with_link_id_and_text(
    town: Town, client: Client
) -> None:
    older = town.notice(
        title="ごみ収集日の変更", body="**燃えるごみ**は火曜日です。\n\n- 朝8時まで"
    )
    newer = town.notice(title="防災訓練", category=town.categories["bosai"])
    town.notice(title="下書き", approve=False)
    town.notice(title="来週から", publish_at=timezone.now() + dt.timedelta(days=7))

    feed = _feed(client, "/notices/feed.atom")

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "亀山市のお知らせ"
    assert feed.findtext(f"{ATOM}id")
    assert dt.datetime.fromisoformat(feed.findtext(f"{ATOM}updated", "")) == newer.published_at
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "http://testserver/notices/feed.atom"
    assert _titles(feed) == ["防災訓練", "ごみ収集日の変更"]  # newest first, nothing else

    entry = _entries(feed)[1]
    page = f"http://testserver/notices/{older.pk}/"
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and link.get("href") == page
    assert entry.findtext(f"{ATOM}id") == page
    published = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published", ""))
    assert published == older.published_at
    assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "防災安全課"
    category = entry.find(f"{ATOM}category")
    assert category is not None and category.get("term") == "くらし"
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None and summary.text == "燃えるごみは火曜日です。 朝8時まで"
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert "<strong>燃えるごみ</strong>" in (content.text or "")


def test_the_text_is_escaped_once_for_xml_and_once_for_html(town: Town, client: Client) -> None:
    town.notice(title="A & B <b>", body="1 < 2 & <script>alert(1)</script>")
    entry = _entries(_feed(client, "/notices/feed.atom"))[0]
    assert entry.findtext(f"{ATOM}title") == "A & B <b>"
    # The summary is HTML (type="html"): the plain text comes escaped.
    assert (
        entry.findtext(f"{ATOM}summary") == "1 &lt; 2 &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    )
    content = entry.findtext(f"{ATOM}content") or ""
    assert "<script>" not in content and "&lt;script&gt;" in content


def test_category_and_district_feeds_carry_only_their_notices(town: Town, client: Client) -> None:
    town.notice(title="市内全域の訓練", category=town.categories["bosai"])
    town.notice(title="関の清掃", districts=[town.seki])
    town.notice(title="加太の清掃", districts=[town.kabuto])

    bosai = _feed(client, "/notices/category/bosai/feed.atom")
    assert _titles(bosai) == ["市内全域の訓練"]
    assert bosai.findtext(f"{ATOM}title") == "亀山市のお知らせ：防災"
    alternate = bosai.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None
    assert alternate.get("href") == "http://testserver/notices/?category=bosai"

    seki = _feed(client, "/notices/district/seki/feed.atom")
    assert _titles(seki) == ["関の清掃", "市内全域の訓練"]  # the district's and the city's
    assert seki.findtext(f"{ATOM}id") != bosai.findtext(f"{ATOM}id")

    assert _titles(_feed(client, "/notices/category/boshu/feed.atom")) == []


def test_unknown_codes_are_not_found(town: Town, client: Client, other_city: Any) -> None:
    categories_ensure(municipality=other_city)
    assert client.get("/notices/category/nope/feed.atom").status_code == 404
    assert client.get("/notices/district/nope/feed.atom").status_code == 404
    assert client.get("/notices/district/Seki_1/feed.atom").status_code == 404
    assert client.post("/notices/feed.atom").status_code == 405
    assert client.head("/notices/feed.atom").status_code == 200


def test_another_citys_notices_are_not_in_the_feeds(
    town: Town, client: Client, other_city: Municipality, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "suzuka.example.jp"]
    town.notice(title="亀山の催し", category=town.categories["event"], event_start=_in_days(3))
    _other_city_notice(other_city, "鈴鹿の催し")

    assert _titles(_feed(client, "/notices/feed.atom")) == ["亀山の催し"]
    assert _titles(_feed(client, "/notices/category/event/feed.atom")) == ["亀山の催し"]
    assert _summaries(client.get("/notices/events.ics").content) == ["亀山の催し"]

    suzuka = Client(HTTP_HOST="suzuka.example.jp")
    feed = _feed(suzuka, "/notices/feed.atom")
    assert _titles(feed) == ["鈴鹿の催し"]
    assert feed.findtext(f"{ATOM}title") == "鈴鹿市のお知らせ"
    assert _summaries(suzuka.get("/notices/events.ics").content) == ["鈴鹿の催し"]


def test_a_feed_holds_the_newest_fifty(town: Town, client: Client) -> None:
    for n in range(51):
        town.notice(title=f"お知らせ{n}")
    titles = _titles(_feed(client, "/notices/feed.atom"))
    assert len(titles) == 50
    assert titles[0] == "お知らせ50" and "お知らせ0" not in titles


def test_a_district_organisations_notice_names_the_organisation(town: Town, client: Client) -> None:
    supporter = make_staff(
        town.city, "chiiki@example.jp", role=Role.APPROVER, department=town.chiiki, rank=2
    )
    notice = notice_create(
        actor=town.district_editor,
        municipality=town.city,
        category=town.categories["kurashi"],
        title="関地区 一斉清掃",
        body="協議会からのお知らせです。",
    )
    notice_submit(actor=town.district_editor, municipality=town.city, notice=notice)
    notice_approve(actor=supporter, municipality=town.city, notice=notice)
    entry = _entries(_feed(client, "/notices/district/seki/feed.atom"))[0]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "関地区まちづくり協議会"


def test_english_readers_get_english_titles_where_staff_wrote_them(
    town: Town, client: Client
) -> None:
    town.notice(title="防災訓練", title_en="Disaster drill")
    town.notice(title="ごみの日")
    client.cookies["django_language"] = "en"
    feed = _feed(client, "/notices/category/kurashi/feed.atom")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext(f"{ATOM}title") == "Notices from Kameyama City: Living"
    assert _titles(feed) == ["ごみの日", "Disaster drill"]


def test_the_feed_query_count_does_not_grow_with_the_notices(
    town: Town, client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        town.notice(title=f"お知らせ{n}", districts=[town.seki] if n % 2 else [])
    with django_assert_max_num_queries(6):
        assert len(_entries(_feed(client, "/notices/district/seki/feed.atom"))) == 20


# --- iCalendar ---------------------------------------------------------------------------


def test_the_calendar_has_one_event_per_upcoming_event_in_tokyo_time(
    town: Town, client: Client
) -> None:
    event = town.categories["event"]
    drill = town.notice(
        title="総合防災訓練",
        body="**雨天決行**です。詳しくは[市のページ](https://www.example.jp/)へ。",
        category=event,
        event_start=_in_days(20, 9),
        event_end=_in_days(20, 12),
        event_place="西野公園",
    )
    open_ended = town.notice(title="朝市", category=event, event_start=_in_days(2))
    town.notice(  # over
        title="終わった催し",
        category=event,
        event_start=timezone.now() - dt.timedelta(days=2),
        event_end=timezone.now() - dt.timedelta(days=1),
    )
    town.notice(title="下書きの催し", category=event, event_start=_in_days(3), approve=False)
    town.notice(title="日付つきのお知らせ", event_start=_in_days(4))  # not an event category

    response = client.get("/notices/events.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["朝市", "総合防災訓練"]  # by start
    first, second = events
    assert str(second["UID"]) == str(drill.pk) and str(first["UID"]) == str(open_ended.pk)
    start = second.decoded("DTSTART")
    assert start == _in_days(20, 9) and start.utcoffset() == dt.timedelta(hours=9)
    assert second["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert second.decoded("DTEND") == _in_days(20, 12)
    assert "DTEND" not in first
    assert second.decoded("DTSTAMP").tzinfo is not None
    assert str(second["LOCATION"]) == "西野公園"
    assert str(second["DESCRIPTION"]) == "雨天決行です。詳しくは市のページへ。"
    assert str(second["URL"]) == f"http://testserver/notices/{drill.pk}/"


def test_the_calendar_is_the_same_on_every_request_and_valid_when_empty(
    town: Town, client: Client
) -> None:
    empty = Calendar.from_ical(client.get("/notices/events.ics").content)
    assert empty.walk("VEVENT") == [] and empty.walk("VTIMEZONE")
    town.notice(title="朝市", category=town.categories["event"], event_start=_in_days(2))
    first = client.get("/notices/events.ics").content
    assert client.get("/notices/events.ics").content == first
    assert client.post("/notices/events.ics").status_code == 405


# --- the list page -------------------------------------------------------------------------


def test_the_list_page_links_its_feeds_in_the_head_and_the_page(town: Town, client: Client) -> None:
    page = client.get("/notices/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/notices/feed.atom"' in page
    assert (
        'type="text/calendar" title="イベントのカレンダー（iCalendar）" href="/notices/events.ics"'
        in page
    )
    assert ">すべてのお知らせのAtomフィード</a>" in page
    assert "/notices/category/" not in page

    narrowed = client.get("/notices/?category=bosai&district=seki").content.decode()
    assert narrowed.count('href="/notices/category/bosai/feed.atom"') == 2  # head and page
    assert narrowed.count('href="/notices/district/seki/feed.atom"') == 2
    assert "/notices/feed.atom" not in client.get("/notices/archive/").content.decode()
