"""Fitting the fusion weights and the confidence calibration on a set of judged questions
(``faq_fit``). The weights come from a coarse grid (lexical fixed at 1, each encoder at
0.5–2) ranked by nDCG@10; ties go to the most equal weights, since equal weights were
nearly as good on independent data and a fine grid would fit the tuning set's accidents.
The calibration is a logistic regression of "correct answer" on the features of the top
``CANDIDATES`` hits of every question (``engine.hit_features``)."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from .engine import CANDIDATES, LEXICAL, Tuning, fuse, hit_features, query_weights
from .evaluation import DEPTH, metrics

GRID: Final = (0.5, 1.0, 1.5, 2.0)
# Ridge penalty of the calibration: keeps the slope sane on a few hundred examples.
PENALTY: Final = 0.01


@dataclass(frozen=True)
class Judged:
    """One question of the set: its text and every channel's scores of every entry."""

    text: str
    scores: Mapping[str, np.ndarray]

    def fused(self, weights: Mapping[str, float]) -> np.ndarray:
        return fuse(self.scores, query_weights(weights, self.text))


def _ranking(judged: Judged, weights: Mapping[str, float], keys: Sequence[str]) -> list[str]:
    return [keys[int(i)] for i in np.argsort(-judged.fused(weights), kind="stable")[:DEPTH]]


def fit_weights(
    questions: Mapping[str, Judged],
    keys: Sequence[str],
    qrels: dict[str, dict[str, int]],
    channels: Sequence[str],
) -> tuple[dict[str, float], float]:
    """The grid point with the best nDCG@10, and that figure."""
    encoders = [c for c in channels if c != LEXICAL]
    best: tuple[float, float, dict[str, float]] | None = None
    for values in itertools.product(GRID, repeat=len(encoders)):
        weights = {LEXICAL: 1.0, **dict(zip(encoders, values, strict=True))}
        rankings = {q: _ranking(j, weights, keys) for q, j in questions.items()}
        ndcg = metrics(rankings, qrels)["ndcg@10"]
        spread = float(np.std([1.0, *values]))
        if best is None or (ndcg, -spread) > (best[0], -best[1]):
            best = (ndcg, spread, weights)
    assert best is not None
    return best[2], best[0]


def fit_calibration(
    questions: Mapping[str, Judged],
    keys: Sequence[str],
    qrels: dict[str, dict[str, int]],
    weights: Mapping[str, float],
    coverage: Callable[[str, int], float],
) -> tuple[float, float, float, float]:
    """``coverage(text, entry index)`` as the engine measures it."""
    rows: list[tuple[float, float, float]] = []
    labels: list[float] = []
    for query, judged in questions.items():
        fused = judged.fused(weights)
        order = [int(i) for i in np.argsort(-fused, kind="stable")[:CANDIDATES]]
        features = hit_features(fused, order, functools.partial(coverage, judged.text))
        for i, row in zip(order, features, strict=True):
            rows.append(row)
            labels.append(1.0 if qrels.get(query, {}).get(keys[i]) == 2 else 0.0)
    x = np.column_stack([np.asarray(rows), np.ones(len(rows))])
    y = np.asarray(labels)
    theta = np.zeros(4)
    ridge = PENALTY * np.diag([1.0, 1.0, 1.0, 0.0])
    for _ in range(50):  # Newton's method on the penalised log-likelihood
        p = 1 / (1 + np.exp(-(x @ theta)))
        gradient = x.T @ (p - y) + ridge @ theta
        hessian = (x.T * (p * (1 - p))) @ x + ridge
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    a, b, d, c = (round(float(v), 3) for v in theta)
    return a, b, d, c


def fit(
    questions: Mapping[str, Judged],
    keys: Sequence[str],
    qrels: dict[str, dict[str, int]],
    channels: Sequence[str],
    fitted_on: str,
    coverage: Callable[[str, int], float],
) -> Tuning:
    weights, ndcg = fit_weights(questions, keys, qrels, channels)
    calibration = fit_calibration(questions, keys, qrels, weights, coverage)
    return Tuning(weights, calibration, fitted_on, {"ndcg@10": ndcg, "queries": len(questions)})
