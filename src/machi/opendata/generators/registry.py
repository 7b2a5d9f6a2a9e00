"""Where generators are registered (in ``AppConfig.ready()``) and found."""

from __future__ import annotations

import re

from machi.opendata.generators.base import Generator

KEY_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,59}$"

_generators: dict[str, Generator] = {}


def register(generator: Generator) -> Generator:
    """Register ``generator`` under its key. Registering the same class again is a no-op;
    a different generator with a key already taken is a programming error."""
    key = getattr(generator, "key", "")
    if not re.fullmatch(KEY_PATTERN, key):
        raise ValueError(f"Generator key must match {KEY_PATTERN}: {key!r}")
    existing = _generators.get(key)
    if existing is not None and type(existing) is not type(generator):
        raise ValueError(f"Generator key {key!r} is already used by {type(existing).__name__}")
    _generators[key] = generator
    return generator


def unregister(key: str) -> None:
    _generators.pop(key, None)


def generators() -> list[Generator]:
    """Every registered generator, in the order they should run."""
    return sorted(_generators.values(), key=lambda g: (g.order, g.key))


def get(key: str) -> Generator | None:
    return _generators.get(key)
