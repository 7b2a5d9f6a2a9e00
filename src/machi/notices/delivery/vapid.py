"""The platform's VAPID key (RFC 8292): push services accept a message only when it is
signed with the key the browser subscribed with.

Production sets ``MACHI_WEBPUSH_VAPID_PRIVATE_KEY`` (a P-256 private key, base64url: the
raw 32 bytes or DER) so every web and worker process uses the same key; the system check
``machi.E006`` stops start-up without it. The embedded default (``make demo``) creates a
key file under ``var/`` on first use. Pages give browsers the public key
(``applicationServerKey``); ``manage.py webpush_key`` prints a new pair.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from py_vapid import Vapid

KEY_FILE_NAME = "webpush-vapid.key"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_private_key() -> str:
    """A new P-256 private key as its raw 32 bytes in base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


@lru_cache(maxsize=4)
def load(configured: str) -> Vapid:
    """The key of a setting's value; raises ``ValueError`` (or a py_vapid error) if bad."""
    vapid = Vapid.from_string(private_key=configured.strip())
    if not isinstance(vapid.private_key.curve, ec.SECP256R1):
        raise ValueError("not a P-256 key")
    return vapid


def _configured_or_kept() -> str:
    configured: str = settings.MACHI_WEBPUSH_VAPID_PRIVATE_KEY
    if configured:
        return configured
    path = settings.VAR_DIR / KEY_FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_private_key())
        path.chmod(0o600)
    return path.read_text()


def vapid() -> Vapid:
    return load(_configured_or_kept().strip())


def public_key(key: Vapid | None = None) -> str:
    """The public key as browsers take it (``applicationServerKey``): the uncompressed
    point, base64url."""
    point = (key or vapid()).public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return b64url(point)
