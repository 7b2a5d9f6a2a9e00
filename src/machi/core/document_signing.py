"""The platform's Ed25519 key that signs issued documents (交付文書).

Production sets ``MACHI_DOCUMENT_SIGNING_KEY`` (the 32-byte private key, base64) so every
web and worker process signs with the same key; the system check ``machi.E003`` stops
start-up without it. The embedded default (``make demo``) creates a key file under
``var/`` on first use. The public key is published at ``/verify/key`` so anyone can check
a signature without the platform.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

KEY_FILE_NAME = "document-signing.key"


def _raw_private_key() -> bytes:
    configured = settings.MACHI_DOCUMENT_SIGNING_KEY
    if configured:
        return base64.b64decode(configured)
    path = settings.VAR_DIR / KEY_FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = Ed25519PrivateKey.generate().private_bytes_raw()
        path.write_bytes(base64.b64encode(raw))
        path.chmod(0o600)
    return base64.b64decode(path.read_bytes())


@lru_cache(maxsize=1)
def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw_private_key())


def public_key_raw() -> bytes:
    return private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id() -> str:
    """A short name of the key, stored with each signature (keys can be rotated)."""
    return hashlib.sha256(public_key_raw()).hexdigest()[:16]


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode()


def verify(message: bytes, signature: str, public_raw: bytes | None = None) -> bool:
    key = Ed25519PublicKey.from_public_bytes(public_raw or public_key_raw())
    try:
        key.verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
