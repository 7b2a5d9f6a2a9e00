"""Content in two languages: a ``<name>`` field in Japanese and an optional ``<name>_en``."""

from __future__ import annotations


def localized(obj: object, name: str, language: str) -> str:
    """``obj.<name>_en`` on English pages when it is filled in, else ``obj.<name>``."""
    if language == "en":
        english = getattr(obj, f"{name}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, name, ""))
