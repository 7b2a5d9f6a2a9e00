"""System checks with stable ids: bad configuration stops start-up."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.localgov_code import validate_localgov_code


@register("machi", deploy=False)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.PRODUCTION and (
        settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY or len(settings.SECRET_KEY) < 50
    ):
        return [
            Error(
                "DJANGO_SECRET_KEY is missing or shorter than 50 characters in production.",
                hint="Set DJANGO_SECRET_KEY to a long random value (see deploy/env.example).",
                id="machi.E001",
            )
        ]
    return []


@register("machi")
def check_default_municipality_code(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    code = settings.MACHI_DEFAULT_MUNICIPALITY_CODE
    if not code:
        return []
    try:
        validate_localgov_code(code)
    except JapaneseInputError:
        return [
            Error(
                f"MACHI_DEFAULT_MUNICIPALITY_CODE={code!r} is not a valid "
                "全国地方公共団体コード (6 digits with a correct check digit).",
                hint="亀山市 is 242101. Look the code up in the official list.",
                id="machi.E002",
            )
        ]
    return []


@register("machi")
def check_document_signing_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    configured = settings.MACHI_DOCUMENT_SIGNING_KEY
    hint = (
        'Generate one with: python -c "import base64, os; '
        'print(base64.b64encode(os.urandom(32)).decode())" and keep it secret '
        "(see deploy/env.example)."
    )
    if not configured:
        if settings.PRODUCTION:
            return [
                Error(
                    "MACHI_DOCUMENT_SIGNING_KEY is not set in production: issued documents "
                    "could not be verified across web processes.",
                    hint=hint,
                    id="machi.E003",
                )
            ]
        return []
    try:
        valid = len(base64.b64decode(configured, validate=True)) == 32
    except (binascii.Error, ValueError):
        valid = False
    if not valid:
        return [
            Error(
                "MACHI_DOCUMENT_SIGNING_KEY is not 32 bytes in base64.",
                hint=hint,
                id="machi.E003",
            )
        ]
    return []


@register("machi", deploy=False)
def check_sandbox_identity_provider(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # The sandbox signs anyone in as a made-up person "verified" by no card: a production
    # site with it would accept applications from nobody in particular.
    if settings.PRODUCTION and settings.OIDC_SANDBOX:
        return [
            Error(
                "MACHI_OIDC_SANDBOX is set in production: the sandbox identity provider "
                "verifies nobody.",
                hint="Unset MACHI_OIDC_SANDBOX and point MACHI_OIDC_* at デジタル認証アプリ "
                "(see docs/operations.md).",
                id="machi.E004",
            )
        ]
    return []
