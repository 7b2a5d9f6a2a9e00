"""Checking uploaded files by their content, and removing what they say about the sender.

Only PDF, JPEG and PNG are accepted, decided from the bytes (never from the name or the
browser's content type). Images are decoded with Pillow and written again without their
metadata (EXIF, including GPS location), turned upright so nothing looks rotated, and no
larger than ``MAX_EDGE`` pixels on the long side; pictures of more than ``MAX_PIXELS``
are refused before decoding, which bounds the memory one upload can take.
PDFs must open with pypdf and must not be encrypted (staff could not read them).
"""

from __future__ import annotations

import io
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF: Final = "application/pdf"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
EXTENSIONS: Final = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
# Decoding bombs: a small file can claim a huge picture. A 24-megapixel camera photo is
# accepted; anything larger is refused from its header, before a pixel is decoded.
MAX_PIXELS: Final = 25_000_000
# Stored pictures are shrunk to this long edge before anything else is done to them, so
# at most one full-size copy is ever in memory (an A4 scan stays readable at 350 dpi).
MAX_EDGE: Final = 4096
# One full-size picture in memory per process at a time (about 200 MB at the pixel limit),
# whatever the number of threads serving uploads.
_DECODING = threading.BoundedSemaphore(1)


class FileRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    name: str


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes, or None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def safe_name(name: str, content_type: str) -> str:
    """The file name to show: no folders, no control characters, the right extension."""
    stem = PurePath(name.replace("\\", "/")).stem
    stem = "".join(
        ch for ch in unicodedata.normalize("NFC", stem) if unicodedata.category(ch)[0] != "C"
    )
    stem = stem.strip(" .")[:80] or "file"
    return stem + EXTENSIONS[content_type]


def _open_image(content: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(content))
        too_large = image.width * image.height > MAX_PIXELS
        if not too_large:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise FileRefused(
            _("This picture cannot be opened. Send it again as JPEG or PNG.")
        ) from None
    if too_large:
        raise FileRefused(
            _(
                "This picture has more than %(pixels)s pixels. "
                "Send a smaller photo or a scan at a lower resolution."
            )
            % {"pixels": f"{MAX_PIXELS:,}"}
        )
    return image


def _clean_image(content: bytes, content_type: str) -> bytes:
    with _DECODING, _open_image(content) as image:
        if max(image.size) > MAX_EDGE:
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            image.thumbnail((MAX_EDGE, MAX_EDGE))
        # In place: each copy of a full-size picture is tens of megabytes.
        ImageOps.exif_transpose(image, in_place=True)
        # Pillow writes some metadata (a JPEG comment, PNG text) back from ``info``.
        image.info = {}
        out = io.BytesIO()
        if content_type == JPEG:
            rgb = image if image.mode == "RGB" else image.convert("RGB")
            rgb.save(out, format="JPEG", quality=90)
        else:
            image.save(out, format="PNG")
        return out.getvalue()


def _check_pdf(content: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(content))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise FileRefused(_("This PDF cannot be opened. Send it again.")) from None
    if encrypted:
        raise FileRefused(_("This PDF is protected by a password. Send it without one."))
    if pages < 1:
        raise FileRefused(_("This PDF has no pages."))


def check_upload(content: bytes, name: str, *, max_bytes: int) -> CheckedFile:
    """Accept a PDF, JPEG or PNG of at most ``max_bytes`` (images come back without metadata).

    Raises:
        FileRefused: with a message saying how to fix it.
    """
    if not content:
        raise FileRefused(_("The file is empty. Choose the file again."))
    if len(content) > max_bytes:
        raise FileRefused(
            _(
                "The file is larger than %(size)s MB. "
                "Send a smaller file or a lower-resolution scan."
            )
            % {"size": max_bytes // (1024 * 1024)}
        )
    content_type = sniff(content[:16])
    if content_type is None:
        raise FileRefused(
            _("Send a PDF, JPEG or PNG file. Other kinds of file cannot be accepted.")
        )
    if content_type == PDF:
        _check_pdf(content)
        cleaned = content
    else:
        cleaned = _clean_image(content, content_type)
    return CheckedFile(cleaned, content_type, safe_name(name, content_type))
