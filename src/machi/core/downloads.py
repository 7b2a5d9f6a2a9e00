"""File responses the back office hands out."""

from __future__ import annotations

from django.http import HttpResponse


def csv_attachment(content: bytes, encoding: str, filename: str) -> HttpResponse:
    """A CSV download; ``encoding`` is the codec it was written in (``cp932`` or UTF-8)."""
    charset = "shift_jis" if encoding == "cp932" else "utf-8"
    response = HttpResponse(content, content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
