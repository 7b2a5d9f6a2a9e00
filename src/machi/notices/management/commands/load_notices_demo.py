"""The 亀山市 demo's notices (run by load_demo; safe to run twice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from machi.core.demo.data import DEMO_PASSWORD, KAMEYAMA
from machi.core.models import Department, Municipality, User
from machi.core.services.accounts import staff_create
from machi.notices.demo import data
from machi.notices.demo.history import delivery_history_load
from machi.notices.models import Notice, NoticeCategory, Subscription
from machi.notices.services.measure import plan_kpis_record
from machi.notices.services.notices import notice_approve, notice_create, notice_submit
from machi.notices.services.setup import categories_ensure, district_editor_grant, district_upsert
from machi.notices.services.subscriptions import (
    confirm_token,
    email_subscription_request,
    subscription_confirm,
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Command(BaseCommand):
    help = (
        "Load the 亀山市 demo's districts, notices, subscriptions on every channel and "
        "eight weeks of delivery history."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the demo runs.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        self.portal_url = options["url"].rstrip("/") + "/"
        city = Municipality.objects.filter(code=KAMEYAMA["code"]).first()
        if city is None:
            raise CommandError("Run load_demo first: the demo tenant does not exist.")
        categories = {c.code: c for c in categories_ensure(municipality=city)}
        supporting = Department.objects.get(municipality=city, code=data.DISTRICT_DEPARTMENT)
        districts = {
            code: district_upsert(
                municipality=city,
                code=code,
                name=name,
                name_kana=kana,
                name_en=name_en,
                sort_order=order,
                department=supporting,
            )
            for order, (code, name, kana, name_en) in enumerate(data.DISTRICTS)
        }
        email, full_name, district_code, organisation = data.DISTRICT_EDITOR
        editor = User.objects.filter(email=email).first() or staff_create(
            actor=None, municipality=city, email=email, full_name=full_name, password=DEMO_PASSWORD
        )
        district_editor_grant(
            actor=None,
            municipality=city,
            user=editor,
            district=districts[district_code],
            organisation=organisation,
        )
        for address, category_codes, district_codes in data.SUBSCRIPTIONS:
            if Subscription.objects.filter(municipality=city, address=address).exists():
                continue
            subscription = email_subscription_request(
                municipality=city,
                email=address,
                categories=[categories[c] for c in category_codes],
                districts=[districts[d] for d in district_codes],
                portal_url=self.portal_url,
            )
            subscription_confirm(token=confirm_token(subscription))
        made = sum(self._notice(city, categories, districts, editor, row) for row in data.NOTICES)
        # 効果検証: eight weeks of deliveries on every channel, then the DX plan's KPI.
        history = delivery_history_load(city=city, portal_url=self.portal_url)
        kpis = plan_kpis_record(municipality=city)
        self.stdout.write(
            f"Notices demo: {len(districts)} districts, {made} new notices "
            f"({Notice.objects.filter(municipality=city).count()} in all), "
            f"{history} messages of delivery history, KPI "
            + (", ".join(f"{k.kpi_code} FY{k.fiscal_year} = {k.value}" for k in kpis) or "none")
            + "."
        )

    def _notice(
        self,
        city: Municipality,
        categories: dict[str, NoticeCategory],
        districts: dict[str, Any],
        editor: User,
        row: tuple[Any, ...],
    ) -> bool:
        category, department, title, body, where, important, ago, lasts, event = row
        if Notice.objects.filter(municipality=city, title=title).exists():
            return False
        today = timezone.localdate()
        published = _at(today - dt.timedelta(days=ago), 9)
        fields: dict[str, Any] = {"is_important": important}
        if lasts is not None:
            fields["expire_at"] = published + dt.timedelta(days=lasts)
        if event is not None:
            ahead, hour, hours, place = event
            start = _at(today + dt.timedelta(days=ahead), hour)
            fields.update(
                event_start=start, event_end=start + dt.timedelta(hours=hours), event_place=place
            )
        author = editor if not department else None
        notice = notice_create(
            actor=author,
            municipality=city,
            category=categories[category],
            department=Department.objects.get(municipality=city, code=department)
            if department
            else None,
            districts=[districts[code] for code in where],
            title=title,
            body=body,
            **fields,
        )
        notice_submit(actor=author, municipality=city, notice=notice)
        # Approved on the day it went out (some have ended since: the archive).
        notice_approve(actor=None, municipality=city, notice=notice, now=published)
        if ago > data.SENT_WITHIN_DAYS:
            Notice.objects.filter(pk=notice.pk).update(fanned_out_at=published)
        return True
