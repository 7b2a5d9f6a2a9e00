"""効果検証: the figures per notice and channel and over weeks, the CSV downloads, who may
see them, and the DX plan's measure 1-(6) KPI recorded from them once per change."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from machi.core.models import Municipality, Role, User
from machi.notices import selectors
from machi.notices.models import Channel, Message, MessageStatus, Notice, Subscription
from machi.notices.services.measure import plan_kpis_record
from machi.notices.tests.conftest import Town
from machi.plan.models import KPI, BasicPolicy, KPIValue, KPIValueKind, Measure, Plan
from machi.testing.factories import DepartmentFactory
from machi.testing.fixtures import make_staff
from machi.testing.marks import unmarked_japanese

pytestmark = pytest.mark.django_db
# A Wednesday noon, Tokyo time: the week began on Monday 2026-11-30.
NOW = timezone.make_aware(dt.datetime(2026, 12, 2, 12, 0))


def signed_in(user: User) -> Client:
    client = Client()
    client.cookies["django_language"] = "ja"
    client.force_login(user)
    return client


def _message(
    city: Municipality,
    notice: Notice | None,
    channel: str,
    status: str,
    *,
    at: dt.datetime = NOW,
    clicks: int = 0,
    attempts: int | None = None,
) -> Message:
    message = Message.objects.create(
        municipality=city,
        channel=channel,
        kind="notice",
        key=f"test:{uuid.uuid4()}",
        recipient="someone@example.jp",
        notice=notice,
        body="本文",
        status=status,
        attempts=(0 if status == MessageStatus.CREATED else 1) if attempts is None else attempts,
        sent_at=at if status == MessageStatus.DELIVERED else None,
        finished_at=at if status != MessageStatus.CREATED else None,
        clicks=clicks,
        first_clicked_at=at if clicks else None,
    )
    Message.objects.filter(pk=message.pk).update(created_at=at)
    return message


def _send(town: Town, other_city: Municipality, now: dt.datetime) -> dict[str, Notice]:
    """Two notices: the first on e-mail and LINE at ``now``, the second on e-mail a week
    earlier; and another municipality's messages, which no figure may count."""
    first = town.notice(title="断水のお知らせ")
    second = town.notice(title="健康教室を開きます")
    city = town.city
    for status, clicks in [
        (MessageStatus.DELIVERED, 2),
        (MessageStatus.DELIVERED, 1),
        (MessageStatus.DELIVERED, 0),
        (MessageStatus.PERMANENT_FAILURE, 0),
        (MessageStatus.CREATED, 0),
    ]:
        _message(city, first, Channel.EMAIL, status, at=now, clicks=clicks)
    for status, clicks in [
        (MessageStatus.DELIVERED, 1),
        (MessageStatus.DELIVERED, 0),
        (MessageStatus.TECHNICAL_FAILURE, 0),
        (MessageStatus.SENDING, 0),
    ]:
        _message(city, first, Channel.LINE, status, at=now, clicks=clicks)
    last_week = now - dt.timedelta(days=7)
    _message(city, second, Channel.EMAIL, MessageStatus.DELIVERED, at=last_week, clicks=1)
    _message(city, second, Channel.EMAIL, MessageStatus.DELIVERED, at=last_week)
    # Not a notice's message (an application receipt): not counted either.
    _message(city, None, Channel.EMAIL, MessageStatus.DELIVERED, at=now)
    # Another city's notice and messages.
    theirs = Notice.objects.create(
        municipality=other_city,
        department=DepartmentFactory.create(municipality=other_city, code="400"),
        category=first.category,
        title="鈴鹿市のお知らせ",
        body="本文",
    )
    for _i in range(3):
        _message(other_city, theirs, Channel.EMAIL, MessageStatus.DELIVERED, at=now, clicks=5)
    return {"first": first, "second": second}


@pytest.fixture
def sent(town: Town, other_city: Municipality) -> dict[str, Notice]:
    """The messages around a fixed day, for the selectors (which take ``now``)."""
    return _send(town, other_city, NOW)


@pytest.fixture
def sent_now(town: Town, other_city: Municipality) -> dict[str, Notice]:
    """The same messages around the real now, for the pages (the last weeks from today)."""
    return _send(town, other_city, timezone.now())


def test_figures_per_notice_and_channel(town: Town, sent: dict[str, Notice]) -> None:
    since = selectors.measure_since(selectors.MeasurePeriod.WEEKS_8, NOW)
    rows = selectors.measure_by_notice(municipality=town.city, since=since)
    got = {
        (r.title, r.channel): (r.targeted, r.sent, r.delivered, r.failed, r.clicked, r.clicks)
        for r in rows
    }
    assert got == {
        ("断水のお知らせ", "email"): (5, 4, 3, 1, 2, 3),
        ("断水のお知らせ", "line"): (4, 4, 2, 1, 1, 1),  # sending: tried once
        ("健康教室を開きます", "email"): (2, 2, 2, 0, 1, 1),
    }
    email = next(r for r in rows if r.title == "断水のお知らせ" and r.channel == "email")
    assert email.click_rate == Decimal("66.7")  # 2 of 3 delivered


def test_figures_per_week_and_channel_in_a_constant_number_of_queries(
    town: Town, sent: dict[str, Notice]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.measure_over_time(
            municipality=town.city, period=selectors.MeasurePeriod.WEEKS_8, now=NOW
        )
    assert len(queries) == 1
    assert len(rows) == 8 * len(Channel.values)  # every week and channel, zeros too
    starts = sorted({r.start for r in rows})
    assert starts[0] == dt.date(2026, 10, 12) and starts[-1] == dt.date(2026, 11, 30)
    by = {(r.start, r.channel): r for r in rows}
    this_week = by[(dt.date(2026, 11, 30), "email")]
    assert (this_week.targeted, this_week.delivered, this_week.clicked) == (5, 3, 2)
    assert by[(dt.date(2026, 11, 23), "email")].delivered == 2
    assert by[(dt.date(2026, 11, 30), "line")].delivered == 2
    assert by[(dt.date(2026, 11, 30), "webpush")].targeted == 0
    assert by[(dt.date(2026, 11, 30), "webpush")].click_rate is None
    totals = {t.channel: t for t in selectors.measure_totals(rows)}
    assert totals["email"].delivered == 5 and totals["email"].clicked == 3

    monthly = selectors.measure_over_time(
        municipality=town.city, period=selectors.MeasurePeriod.MONTHS_6, now=NOW
    )
    months = {(r.start, r.channel): r for r in monthly}
    assert months[(dt.date(2026, 11, 1), "email")].targeted == 2  # the week before
    assert months[(dt.date(2026, 12, 1), "email")].targeted == 5  # this week is in December
    assert months[(dt.date(2026, 7, 1), "email")].targeted == 0


def _writer_page(town: Town, path: str = "/staff/notices/measure/") -> Any:
    return signed_in(town.writer).get(path)


def test_the_dashboard_shows_the_figures_charts_and_tables(
    town: Town, sent_now: dict[str, Notice]
) -> None:
    response = _writer_page(town)
    assert response.status_code == 200
    html = response.content.decode()
    assert "効果検証" in html
    assert "断水のお知らせ" in html and "鈴鹿市のお知らせ" not in html
    assert html.count('role="img"') == 2  # two charts, each with a caption and the table
    assert "<figcaption" in html and 'id="over-time-table"' in html
    assert "66.7%" in html
    # Linked from the staff list and the delivery page.
    assert (
        'href="/staff/notices/measure/"'
        in signed_in(town.writer).get("/staff/notices/").content.decode()
    )
    delivery = signed_in(town.writer).get("/staff/notices/delivery/").content.decode()
    assert 'href="/staff/notices/measure/"' in delivery
    # Another period is chosen; a made-up one falls back to the default.
    assert _writer_page(town, "/staff/notices/measure/?period=12m").status_code == 200
    assert _writer_page(town, "/staff/notices/measure/?period=x").status_code == 200


def test_the_dashboard_reads_in_a_constant_number_of_queries(
    town: Town, sent_now: dict[str, Notice]
) -> None:
    client = signed_in(town.writer)
    client.get("/staff/notices/measure/")
    with CaptureQueriesContext(connection) as before:
        client.get("/staff/notices/measure/")
    for _i in range(5):
        _message(
            town.city, town.notice(title="もう一件"), Channel.WEB_PUSH, MessageStatus.DELIVERED
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/staff/notices/measure/")
    assert len(after) == len(before)


def test_csv_downloads_are_utf8_with_bom_and_japanese_headings(
    town: Town, sent_now: dict[str, Notice]
) -> None:
    client = signed_in(town.writer)
    response = client.get("/staff/notices/measure/by-notice.csv?period=8w")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert "242101_notices_by_notice_8w_" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        "お知らせ,公開日時,チャネル,配信対象（通）,送信（通）,配信済み（通）,不達（通）,"
        "クリックされた通数,クリック数（延べ）,クリック率（%）"
    )
    assert any(
        line.startswith("断水のお知らせ,") and ",LINE,4,4,2,1,1,1,50.0" in line for line in lines
    )
    assert not any("鈴鹿市" in line for line in lines)

    weekly = client.get("/staff/notices/measure/by-channel.csv?period=8w")
    rows = weekly.content.decode("utf-8-sig").split("\r\n")
    assert rows[0].startswith("期間の初日,チャネル,配信対象（通）")
    monday = selectors.measure_since(selectors.MeasurePeriod.WEEKS_8) + dt.timedelta(weeks=7)
    assert f"{monday.date().isoformat()},メール,5,4,3,1,2,3,66.7" in rows


def test_visitors_residents_and_staff_who_write_no_notices_are_kept_out(
    town: Town, resident: User
) -> None:
    urls = [
        "/staff/notices/measure/",
        "/staff/notices/measure/by-notice.csv",
        "/staff/notices/measure/by-channel.csv",
    ]
    for url in urls:
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        assert signed_in(resident).get(url).status_code == 403, url
    planner = make_staff(town.city, "dx@example.jp", role=Role.DX_LEADER, department=town.bousai)
    for url in urls:
        assert signed_in(planner).get(url).status_code == 403, url
    assert signed_in(planner).post("/staff/notices/measure/kpi/").status_code == 403
    assert signed_in(town.approver).get(urls[0]).status_code == 200


def _plan_with_line_kpi(city: Municipality) -> KPI:
    plan = Plan.objects.create(
        municipality=city,
        code="dx",
        name="DX推進計画",
        first_fiscal_year=2022,
        last_fiscal_year=2030,
    )
    policy = BasicPolicy.objects.create(plan=plan, number=1, title="行政サービスのDX")
    measure = Measure.objects.create(
        plan=plan, policy=policy, number=6, title="情報発信の多様化の検討"
    )
    other = Measure.objects.create(plan=plan, policy=policy, number=5, title="キャッシュレス")
    KPI.objects.create(
        plan=plan, measure=other, code="KPI-07", name="LINE登録者数（別施策）", unit="人", minimum=0
    )
    return KPI.objects.create(
        plan=plan,
        measure=measure,
        code="KPI-08",
        name="市公式LINEの友だち登録者数",
        unit="人",
        minimum=0,
    )


def _subscribe(city: Municipality, channel: str, n: int, *, ended: int = 0, first: int = 0) -> None:
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            municipality=city,
            channel=channel,
            address=f"{channel}-{first + i}",
            portal_url="https://example.jp/",
            confirmed_at=now - dt.timedelta(days=3),
            unsubscribed_at=now - dt.timedelta(days=1) if i < ended else None,
        )
        for i in range(n)
    )


def test_the_kpi_generator_records_line_subscribers_once_per_fiscal_year(
    town: Town, other_city: Municipality
) -> None:
    kpi = _plan_with_line_kpi(town.city)
    _subscribe(town.city, Channel.LINE, 5, ended=1)  # 4 still receive notices
    _subscribe(town.city, Channel.EMAIL, 3)
    _subscribe(other_city, Channel.LINE, 7)
    year = town.city.current_fiscal_year()

    done = plan_kpis_record(municipality=town.city)
    assert [(d.kpi_code, d.value, d.changed) for d in done] == [("KPI-08", Decimal(4), True)]
    actual = KPIValue.objects.get(kpi=kpi, kind=KPIValueKind.ACTUAL, fiscal_year=year)
    assert actual.value == 4 and "LINE" in actual.source_note
    assert actual.entered_by is None and actual.entered_by_label.startswith("machi")

    # Again with the same count: nothing changes, no new audit entry.
    assert plan_kpis_record(municipality=town.city)[0].changed is False
    assert KPIValue.objects.filter(kpi=kpi, kind=KPIValueKind.ACTUAL).count() == 1
    # A new subscriber: the fiscal year's figure is updated, still one row.
    _subscribe(town.city, Channel.LINE, 1, first=5)
    Subscription.objects.filter(address="line-0", municipality=town.city).update(
        unsubscribed_at=None
    )
    assert plan_kpis_record(municipality=town.city)[0].value == Decimal(6)
    assert KPIValue.objects.filter(kpi=kpi, kind=KPIValueKind.ACTUAL).count() == 1
    # The KPI of another measure is left alone.
    assert not KPIValue.objects.filter(kpi__code="KPI-07").exists()


def test_the_kpi_is_recorded_on_demand_from_the_dashboard_and_the_command(
    town: Town,
) -> None:
    from io import StringIO

    from django.core.management import call_command

    kpi = _plan_with_line_kpi(town.city)
    _subscribe(town.city, Channel.LINE, 2)
    response = signed_in(town.writer).post("/staff/notices/measure/kpi/", follow=True)
    assert response.status_code == 200
    assert "KPI-08" in response.content.decode()
    assert KPIValue.objects.get(kpi=kpi, kind=KPIValueKind.ACTUAL).value == 2
    out = StringIO()
    call_command("notices_record_kpis", municipality=town.city.code, stdout=out)
    assert "KPI-08" in out.getvalue() and "unchanged" in out.getvalue()


def test_the_privacy_page_says_how_links_are_counted(city: Municipality) -> None:
    client = Client()
    client.cookies["django_language"] = "ja"
    page = client.get("/privacy/").content.decode()
    assert "お知らせの配信メッセージ内のリンク" in page
    assert "トラッキングピクセルは使わず" in page and "Cookie" in page
    assert 'href="/privacy/"' in client.get("/").content.decode()  # in the footer
    client.cookies["django_language"] = "en"
    english = client.get("/privacy/").content.decode()
    assert "There are no tracking pixels and the link sets no cookie." in english


def test_the_english_dashboard_and_privacy_page_mark_their_japanese(
    town: Town, sent_now: dict[str, Notice]
) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(town.writer)
    page = client.get("/staff/notices/measure/").content.decode()
    assert "Messages delivered per channel" in page and "LINE" in page
    assert unmarked_japanese(page, title=False) == []
    privacy = client.get("/privacy/").content.decode()
    assert unmarked_japanese(privacy, title=False) == []


def test_the_nightly_task_is_scheduled_and_records_once(settings: Any, town: Town) -> None:
    from machi.notices.tasks import plan_kpis_record as task

    entries = settings.CELERY_BEAT_SCHEDULE.values()
    assert any(e["task"] == "notices.plan_kpis_record" for e in entries)
    _plan_with_line_kpi(town.city)
    _subscribe(town.city, Channel.LINE, 3)
    assert task.delay().get() == 1
    assert task.delay().get() == 0  # the same count: nothing to record again
