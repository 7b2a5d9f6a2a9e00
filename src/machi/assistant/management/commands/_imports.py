"""What the import commands share: the municipality by its code, and errors as a list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from machi.core.models import Municipality

T = TypeVar("T")


def run_import(path: Path, code: str, load: Callable[[Municipality, Path], T]) -> T:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise CommandError(f"No municipality with the code {code}.")
    try:
        return load(municipality, path)
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None
    except ValidationError as exc:
        lines = "\n".join(f"  {message}" for message in exc.messages)
        raise CommandError(f"{path}: nothing was imported:\n{lines}") from None
