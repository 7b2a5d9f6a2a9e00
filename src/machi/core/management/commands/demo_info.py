from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from machi.core.demo import data
from machi.core.sandbox_idp.persons import SANDBOX_PERSONS


class Command(BaseCommand):
    help = "Print the demo's addresses and logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"].rstrip("/")
        lines = [
            "",
            "machi demo — 亀山市 (三重県)",
            f"  Portal (residents)   {url}/",
            f"  Back office (staff)  {url}/staff/",
            f"  Django admin         {url}/admin/",
            f"  Health               {url}/healthz  {url}/readyz",
            "",
            f"Demo logins (password for all: {data.DEMO_PASSWORD})",
            f"  resident             {data.RESIDENT[0]}",
            f"  administrator        {data.ADMIN[0]}",
        ]
        departments = {code: name for code, name, _en, _parent in data.DEPARTMENTS}
        for email, _name, code in data.CLERKS:
            lines.append(f"  clerk {departments[code]:<12} {email}")
        ranks = {1: "係長", 2: "課長", 3: "部長"}
        for email, _name, code, rank in data.APPROVERS:
            lines.append(f"  {ranks[rank]} {departments[code]:<10} {email}")
        for email, name, _role, _code in data.PLAN_STAFF[:5]:
            lines.append(f"  {name:<18} {email}")
        lines.append("  DXリーダー per division dx<code>@kameyama.demo (e.g. dx310@kameyama.demo)")
        lines += [
            "",
            f"Online procedures          {url}/procedures/",
            f"  e.g. 粗大ごみ収集の申込   {url}/procedures/sodai-gomi/",
            f"  life event 引っ越し       {url}/procedures/life-events/moving/",
            f"My applications            {url}/applications/",
            f"Cases (staff)              {url}/staff/cases/   approvals {url}/staff/approvals/",
            f"DX plan progress (public)  {url}/plan/",
            f"DX plan office (staff)     {url}/staff/plan/",
            f"Open data portal           {url}/opendata/   e.g. {url}/opendata/?q=避難所",
            f"  CKAN API                 {url}/api/3/action/package_search?q=避難所",
            f"  DCAT catalog             {url}/opendata/catalog.ttl",
            f"Open data (staff)          {url}/staff/opendata/",
            f"Notices (お知らせ)          {url}/notices/   e.g. {url}/notices/?district=seki",
            "  district organisation    machizukuri.seki@kameyama.demo (関地区まちづくり協議会)",
            f"  get notices by e-mail    {url}/notices/subscribe/   (Web Push: same page)",
            f"  LINE webhook             {url}/line/webhook/   (follow the account: topics)",
            f"  your subscriptions       {url}/mypage/   (signed in as the resident)",
            f"  delivery (staff)         {url}/staff/notices/delivery/",
            f"  効果検証 (staff)          {url}/staff/notices/measure/",
            f"  partner webhooks         {url}/staff/notices/webhooks/   (administrator)",
            "",
            "Staff set up two-step verification (an authenticator app, TOTP) at first sign-in.",
            "Mail (such as address confirmations) is printed in this terminal.",
            "",
        ]
        lines += self._sandbox(url)
        self.stdout.write("\n".join(lines))

    @staticmethod
    def _sandbox(url: str) -> list[str]:
        if not settings.OIDC_SANDBOX:
            return []
        lines = [
            "My Number card sign-in is a sandbox (test only), not the real デジタル認証アプリ:",
            f"  {settings.OIDC_ISSUER}/  no card is read; pick one of these made-up people",
        ]
        for login, claims in SANDBOX_PERSONS.items():
            lines.append(f"  {claims['name']} ({login})  {claims['address']}")
        lines.append(f"  e.g. 住民票の写し       {url}/procedures/juminhyo/")
        return [*lines, ""]
