"""``manage.py faq_eval``: the interface outsiders rely on, exactly as documented."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from machi.assistant.engine import Hit
from machi.assistant.evaluation import load_qrels, metrics, reply_figures

DATA = Path(__file__).parent / "data"
COLUMNS = ("fused", "lexical", "semantic", "bm25")
KEYS = {
    "queries",
    "hit@1",
    "hit@3",
    "hit@10",
    "mrr",
    "ndcg@10",
    "p50_ms",
    "p95_ms",
    "index_build_s",
}


def _eval(*extra: str) -> dict[str, Any]:
    """``faq_eval --json`` on the small test set; the fast encoder only unless ``extra``
    says otherwise (the last ``--encoders`` wins)."""
    out = StringIO()
    call_command(
        "faq_eval",
        "--faqs", str(DATA / "faqs.csv"),
        "--queries", str(DATA / "queries.csv"),
        "--qrels", str(DATA / "qrels.csv"),
        "--json",
        "--encoders", "use",
        *extra,
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def test_prints_one_json_object_comparing_fused_lexical_semantic_and_bm25() -> None:
    # No django_db mark: any database access would fail this test (throw-away indexes).
    result = _eval()
    assert set(result) >= {*COLUMNS, "replies", "encoders", "encode_s", "models_rss_mib", "rss_mib"}
    for column in COLUMNS:
        assert set(result[column]) >= KEYS, column
        assert result[column]["queries"] == 6
    assert result["encoders"] == ["use"]
    fused, lexical, semantic, bm25 = (result[c] for c in COLUMNS)
    # Every resident's question with a right entry gets it first from the fused engine.
    assert fused["hit@1"] == 1.0
    assert fused["ndcg@10"] >= lexical["ndcg@10"]
    assert lexical["ndcg@10"] > bm25["ndcg@10"]
    # The multilingual model alone knows the topics, though not as sharply.
    assert semantic["hit@3"] == 1.0 and semantic["ndcg@10"] > bm25["ndcg@10"]
    assert result["encode_s"] >= 0 and result["rss_mib"] > 0
    replies = result["replies"]
    assert replies["answer"] + replies["candidates"] + replies["not_understood"] == 6
    assert replies["answer_with_correct"] == replies["answer"]  # never sure and wrong


def test_lexical_only_leaves_out_the_semantic_column_and_unknown_encoders_are_refused() -> None:
    result = _eval("--encoders", "none")
    assert result["encoders"] == []
    assert "semantic" not in result
    assert result["fused"]["ndcg@10"] == result["lexical"]["ndcg@10"]
    with pytest.raises(CommandError, match="bert"):
        _eval("--encoders", "use,bert")


def test_reply_figures_count_what_the_chat_would_show() -> None:
    hits = {
        "a": [Hit("x", 9.0, 0.9), Hit("y", 5.0, 0.4)],  # answered, correctly
        "b": [Hit("q", 4.0, 0.3), Hit("z", 3.0, 0.05)],  # candidates, the second correct
        "c": [Hit("w", 1.0, 0.01)],  # nothing worth offering, though w was right
        "d": [],
    }
    qrels = {"a": {"x": 2}, "b": {"z": 2}, "c": {"w": 2}, "d": {}}
    assert reply_figures(hits, qrels) == {
        "answer": 1,
        "answer_with_correct": 1,
        "candidates": 1,
        "candidates_with_correct": 1,
        "not_understood": 2,
        "not_understood_with_correct": 1,
    }


def test_run_file_lets_anyone_recompute_the_metrics(tmp_path: Path) -> None:
    run = tmp_path / "run.tsv"
    result = _eval("--run", str(run))
    rankings: dict[str, list[str]] = {}
    for line in run.read_text(encoding="utf-8").splitlines():
        query, faq, rank, score = line.split("\t")
        assert int(rank) == len(rankings.setdefault(query, [])) + 1
        float(score)
        rankings[query].append(faq)
    assert all(len(r) <= 10 for r in rankings.values())
    for query in ("q1", "q2", "q3", "q4", "q5", "q6"):
        rankings.setdefault(query, [])  # a query with no hit has no line
    recomputed = metrics(rankings, load_qrels(DATA / "qrels.csv"))
    assert {k: recomputed[k] for k in ("hit@1", "hit@3", "mrr", "ndcg@10")} == {
        k: result["fused"][k] for k in ("hit@1", "hit@3", "mrr", "ndcg@10")
    }


def test_metrics_match_a_hand_computed_example() -> None:
    qrels = {"a": {"x": 2, "y": 1}, "b": {"z": 2}, "c": {"w": 1}, "d": {}}
    rankings = {"a": ["y", "x"], "b": ["q", "q2", "q3", "z"], "c": ["w"], "d": ["x"]}
    figures = metrics(rankings, qrels)
    assert figures["queries"] == 4
    assert figures["hit@1"] == 0.0 and figures["hit@3"] == 0.5 and figures["hit@10"] == 1.0
    assert figures["mrr"] == round((1 / 2 + 1 / 4) / 2, 4)
    ideal_a = 3 + 1 / 1.5849625007211563
    ndcg_a = (1 + 3 / 1.5849625007211563) / ideal_a
    ndcg_b = (3 / 2.321928094887362) / 3
    assert figures["ndcg@10"] == round((ndcg_a + ndcg_b + 1.0) / 3, 4)


def test_bad_files_are_refused_with_the_file_and_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "faqs.csv"
    broken.write_text("id,title\n1,住民票\n", encoding="utf-8")
    with pytest.raises(CommandError, match="question"):
        call_command(
            "faq_eval", "--faqs", str(broken), "--queries", str(DATA / "queries.csv"),
            "--qrels", str(DATA / "qrels.csv"), "--json",
        )  # fmt: skip
    grades = tmp_path / "qrels.csv"
    grades.write_text("query_id,faq_id,grade\nq1,f1,high\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command(
            "faq_eval", "--faqs", str(DATA / "faqs.csv"), "--queries", str(DATA / "queries.csv"),
            "--qrels", str(grades), "--json",
        )  # fmt: skip
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command(
            "faq_eval", "--faqs", str(tmp_path / "missing.csv"),
            "--queries", str(DATA / "queries.csv"), "--qrels", str(DATA / "qrels.csv"),
        )  # fmt: skip
