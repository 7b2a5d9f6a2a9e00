"""Issuing and verifying documents (交付文書): a PDF with a QR code, its SHA-256 signed
with the platform's Ed25519 key.

Checking a PDF: its hash names a document that was issued (``valid``); or the PDF carries
a document code we issued but its bytes differ (``altered``: edited, re-saved, or forged);
or neither (``unknown``). Anyone can check at ``/verify/`` by scanning the QR code or by
uploading the PDF; the public key is at ``/verify/key``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import secrets
from typing import Final

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from machi.core.japanese.normalize import HYPHEN_CHARS, nfkc
from machi.core.reference import ALPHABET

CODE_LENGTH: Final = 12
_CODE_RE: Final = re.compile(rf"([{ALPHABET}]{{4}})-([{ALPHABET}]{{4}})-([{ALPHABET}]{{4}})")
_SEPARATORS_RE: Final = re.compile(rf"[\s{re.escape(HYPHEN_CHARS)}]+")


def parse_code(text: str) -> str | None:
    """The stored form of a document code typed from paper (全角, lower case, spaces and
    any hyphen are fine), or None when it cannot be one of ours."""
    value = _SEPARATORS_RE.sub("", nfkc(text)).upper()
    if len(value) != CODE_LENGTH or any(char not in ALPHABET for char in value):
        return None
    return value


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI, for the PDF template."""
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=3, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def codes_in(content: bytes) -> list[str]:
    """Document codes printed in a PDF (``XXXX-XXXX-XXXX``), or [] when it cannot be read."""
    try:
        text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return []
    return ["".join(match.groups()) for match in _CODE_RE.finditer(text)]
