"""``runserver`` plus the sandbox identity provider: what ``make demo`` runs.

The provider listens where ``MACHI_OIDC_ISSUER`` says and accepts the client id and secret
the site is configured with, so the demo's card sign-in works end to end on one command.
With the autoreloader it runs in the watching process, which outlives code reloads, so a
sign-in in progress survives an edit; Ctrl-C stops both.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from machi.core.identity_provider import oidc_app


class Command(RunserverCommand):
    help = "Run the development server with the demo's sandbox identity provider beside it."

    def run(self, **options: Any) -> None:
        # The reloader's child process runs this again: the provider is already up.
        if os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            self._start_sandbox()
        super().run(**options)

    def _start_sandbox(self) -> None:
        if settings.PRODUCTION or not settings.OIDC_SANDBOX:
            raise CommandError(
                "demo_serve runs the sandbox identity provider: set MACHI_OIDC_SANDBOX=true "
                "(never in production) and MACHI_OIDC_ISSUER=http://127.0.0.1:<port>, "
                "or use runserver."
            )
        issuer = urlsplit(settings.OIDC_ISSUER)
        app = oidc_app()
        if app is None or issuer.scheme != "http" or not issuer.port or issuer.path:
            raise CommandError(
                f"MACHI_OIDC_ISSUER={settings.OIDC_ISSUER!r}: the sandbox needs "
                "http://<host>:<port> with no path."
            )
        # Flask and Authlib come with the development dependencies only.
        from machi.core.sandbox_idp.provider import DEFAULT_REDIRECT_HOSTS, SandboxProvider

        provider = SandboxProvider(
            client_id=app["client_id"],
            client_secret=app["secret"],
            redirect_hosts=DEFAULT_REDIRECT_HOSTS | set(settings.ALLOWED_HOSTS) - {"*"},
        )
        try:
            provider.start(issuer.hostname or "127.0.0.1", issuer.port)
        except OSError as exc:
            raise CommandError(
                f"The sandbox identity provider cannot listen on {issuer.netloc}: {exc}. "
                "Choose another port with IDP_PORT=<port> make demo."
            ) from exc
        self.stdout.write(f"Sandbox identity provider (test only) at {provider.issuer}/")
