"""The fusion weights and confidence calibration machi ships, one per set of channels,
fitted by ``faq_fit`` on the tuning set (``assistant/tuning/``, 190 queries by two
writers) against the 亀山市 demo FAQ. A municipality that re-fits on its own questions
stores its own (``SearchTuning``); these apply otherwise."""

from __future__ import annotations

from typing import Final

from .engine import LEXICAL, Tuning

_FITTED_ON: Final = "tuning/queries.csv, 190 questions, kameyama-faq.csv"

DEFAULT_TUNINGS: Final[dict[tuple[str, ...], Tuning]] = {
    (LEXICAL,): Tuning({LEXICAL: 1.0}, (-0.044, 0.506, 5.088, -4.099), _FITTED_ON),
    (LEXICAL, "use"): Tuning({LEXICAL: 1.0, "use": 2.0}, (0.132, 1.069, 2.906, -3.322), _FITTED_ON),
    (LEXICAL, "e5"): Tuning({LEXICAL: 1.0, "e5": 2.0}, (0.255, 1.157, 2.306, -3.54), _FITTED_ON),
    (LEXICAL, "use", "e5"): Tuning(
        {LEXICAL: 1.0, "use": 2.0, "e5": 2.0}, (0.317, 1.262, 2.252, -3.562), _FITTED_ON
    ),
}


def default_tuning(channels: tuple[str, ...]) -> Tuning:
    """The shipped tuning for these channels (lexical first, then encoders in order)."""
    return DEFAULT_TUNINGS[channels]
