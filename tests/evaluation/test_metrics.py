"""Metrics against values computed by hand."""

from __future__ import annotations

import math

import pytest

from assistant.evaluation.metrics import (
    Counts,
    distinct_articles,
    first_gold_rank,
    latency_summary,
    percentile,
    rate,
    score_ranks,
)


def test_score_ranks_one_gold_each() -> None:
    s = score_ranks([1, 3, None, 12])
    assert (s.n, s.acc_at_1, s.acc_at_5, s.acc_at_10) == (4, 0.25, 0.5, 0.5)
    assert s.mrr_at_10 == pytest.approx((1 + 1 / 3) / 4, abs=1e-4)
    # nDCG: 1, 1/log2(4) = 0.5, 0, 0 (rank 12 is past the cutoff)
    assert s.ndcg_at_10 == pytest.approx(1.5 / 4, abs=1e-4)


def test_score_ranks_two_golds() -> None:
    s = score_ranks([2], gold_counts=[2], all_gold_ranks=[[2, 3]])
    dcg = 1 / math.log2(3) + 1 / math.log2(4)
    ideal = 1 + 1 / math.log2(3)
    assert s.ndcg_at_10 == pytest.approx(dcg / ideal, abs=1e-4)
    assert (s.acc_at_1, s.acc_at_5, s.mrr_at_10) == (0.0, 1.0, 0.5)


def test_score_ranks_empty() -> None:
    assert score_ranks([]).as_row() == {"Acc@1": 0.0, "Acc@5": 0.0, "Acc@10": 0.0, "MRR@10": 0.0, "nDCG@10": 0.0}


def test_distinct_articles_and_first_rank_are_accent_insensitive() -> None:
    ranked = distinct_articles([("Luật Du Lịch", "5"), ("Luật Du lịch", "5"), ("Luật Cư trú", "3")])
    assert len(ranked) == 2
    assert first_gold_rank(ranked, [("luat cu tru", "3")]) == 2
    assert first_gold_rank(ranked, [("Luật Cư trú", "4")]) is None


def test_counts_precision_recall_f1() -> None:
    c = Counts()
    c.add(tp=3, fp=1, fn=2)
    assert (c.precision, c.recall, c.f1) == (0.75, 0.6, pytest.approx(0.6667, abs=1e-4))
    assert Counts().as_row()["precision"] is None  # nothing measured is not 0


def test_rate_is_none_when_nothing_measured() -> None:
    assert rate(0, 0) is None
    assert rate(1, 3) == 0.3333


def test_latency_summary_nearest_rank() -> None:
    assert percentile([10, 20, 30, 40], 50) == 20
    assert percentile([10, 20, 30, 40], 95) == 40
    summary = latency_summary([10.0, 20.0, 30.0, 40.0])
    assert summary == {"p50_ms": 20.0, "p95_ms": 40.0, "mean_ms": 25.0, "max_ms": 40.0}
    assert latency_summary([])["p50_ms"] is None
