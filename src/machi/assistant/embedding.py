"""What each entry's embeddings are made of, and encoding a batch of entries.

Three texts per entry and encoder: the question (with its keywords), the answer, and both
together. ``digest`` names those texts and the encoder's version, so a stored vector is
re-encoded only when one of them changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from .encoders import BATCH, Encoder
from .engine import EntryVectors, FaqDocument

Progress = Callable[[int, int], None]  # (entries done, entries in all)


def passage_texts(document: FaqDocument) -> tuple[str, str, str]:
    question = f"{document.question}\n{document.keywords}".strip()
    return question, document.answer, f"{document.question}\n{document.answer}"


def digest(document: FaqDocument, encoder: Encoder) -> str:
    text = "\x1f".join((encoder.version, *passage_texts(document)))
    return hashlib.sha256(text.encode()).hexdigest()


def encode_documents(
    documents: Sequence[FaqDocument], encoder: Encoder, progress: Progress | None = None
) -> EntryVectors:
    """Embeddings of ``documents``, ``BATCH`` entries at a time (progress after each)."""
    parts: list[list[np.ndarray]] = [[], [], []]
    for start in range(0, len(documents), BATCH):
        chunk = [passage_texts(d) for d in documents[start : start + BATCH]]
        for index in range(3):
            parts[index].append(encoder.passages([texts[index] for texts in chunk]))
        if progress is not None:
            progress(min(start + BATCH, len(documents)), len(documents))
    empty = np.zeros((0, encoder.dim), dtype=np.float32)
    question, answer, both = (np.vstack(p) if p else empty for p in parts)
    return EntryVectors(question, answer, both)
