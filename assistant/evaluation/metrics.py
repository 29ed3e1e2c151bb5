"""Retrieval metrics over distinct cited articles, in hit order."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.text.vietnamese import strip_accents


def article_key(doc: str, article: str) -> tuple[str, str]:
    """Compare documents case- and accent-insensitively ("Luật Du Lịch" == "Luật Du lịch")."""
    return strip_accents(doc).strip(), str(article).strip().lower()


def distinct_articles(hits: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(doc, article) pairs of the hits in rank order, each once."""
    seen: list[tuple[str, str]] = []
    for doc, article in hits:
        key = article_key(doc, article)
        if key not in seen:
            seen.append(key)
    return seen


def first_gold_rank(ranked: Sequence[tuple[str, str]], gold: Iterable[tuple[str, str]]) -> int | None:
    """1-based rank of the first gold article among distinct ranked articles."""
    wanted = {article_key(d, a) for d, a in gold}
    for i, key in enumerate(ranked, 1):
        if key in wanted:
            return i
    return None


@dataclass
class RetrievalScores:
    """Accuracy at 1, 5 and 10, MRR@10 and nDCG@10 over ``n`` questions."""

    n: int
    acc_at_1: float
    acc_at_5: float
    acc_at_10: float
    mrr_at_10: float
    ndcg_at_10: float

    def as_row(self) -> dict[str, float]:
        """The scores under the column names the reports print."""
        return {"Acc@1": self.acc_at_1, "Acc@5": self.acc_at_5, "Acc@10": self.acc_at_10,
                "MRR@10": self.mrr_at_10, "nDCG@10": self.ndcg_at_10}


def score_ranks(ranks: Sequence[int | None], gold_counts: Sequence[int] | None = None,
                all_gold_ranks: Sequence[Sequence[int]] | None = None) -> RetrievalScores:
    """Scores from the rank of each question's first gold hit (None = not found); nDCG credits every gold."""
    n = len(ranks)
    if n == 0:
        return RetrievalScores(0, 0.0, 0.0, 0.0, 0.0, 0.0)

    def acc(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    mrr = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
    ndcg_total = 0.0
    for i, r in enumerate(ranks):
        golds = list(all_gold_ranks[i]) if all_gold_ranks else ([r] if r else [])
        count = gold_counts[i] if gold_counts else 1
        dcg = sum(1.0 / math.log2(g + 1) for g in golds if g <= 10)
        ideal = sum(1.0 / math.log2(j + 2) for j in range(min(count, 10)))
        ndcg_total += dcg / ideal if ideal else 0.0
    return RetrievalScores(n, round(acc(1), 4), round(acc(5), 4), round(acc(10), 4), round(mrr, 4),
                           round(ndcg_total / n, 4))


# -- answers, drafting, latency ------------------------------------------------
def rate(numerator: int, denominator: int) -> float | None:
    """A share, or None when nothing was measured ("not applicable", never 0)."""
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class Counts:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        """Add counts from one more item."""
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float | None:
        return rate(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return rate(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return round(2 * p * r / (p + r), 4)

    def as_row(self) -> dict[str, float | int | None]:
        """Precision, recall, F1 and the raw counts, as reported."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[min(index, len(ordered) - 1)]


def latency_summary(milliseconds: Sequence[float]) -> dict[str, float | None]:
    """p50, p95, mean and max in milliseconds (None when there were no calls)."""
    if not milliseconds:
        return {"p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}
    return {"p50_ms": round(percentile(milliseconds, 50), 1), "p95_ms": round(percentile(milliseconds, 95), 1),
            "mean_ms": round(sum(milliseconds) / len(milliseconds), 1), "max_ms": round(max(milliseconds), 1)}
