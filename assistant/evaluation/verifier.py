"""Measure the sentence verifier (:mod:`assistant.text.support`) on labelled sentence sets.

Each item of ``evals/verifier_sentences.jsonl`` (tuning set) or ``evals/verifier_heldout.jsonl``
(written separately, never tuned on) is a generated-style sentence, the passages it may cite and
whether they support it. The figures are: wrong sentences caught, correct paraphrases kept.
Thresholds are chosen by cross-validation over folds grouped by document.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.text.support import Passage, Strictness, check_sentence

CONTENT_GRID = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7)
CLAUSE_GRID = (0.0, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7)


@dataclass
class VerifierScore:
    """Caught / kept counts, overall and per error kind."""

    caught: int = 0
    wrong: int = 0
    kept: int = 0
    correct: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)

    @property
    def caught_rate(self) -> float:
        """Share of unsupported sentences the verifier removed."""
        return self.caught / self.wrong if self.wrong else 1.0

    @property
    def kept_rate(self) -> float:
        """Share of supported sentences the verifier kept."""
        return self.kept / self.correct if self.correct else 1.0

    def add(self, other: VerifierScore) -> None:
        """Pool another score into this one (for cross-validation folds)."""
        self.caught += other.caught
        self.wrong += other.wrong
        self.kept += other.kept
        self.correct += other.correct
        for kind, (ok, total) in other.by_kind.items():
            self.by_kind[kind][0] += ok
            self.by_kind[kind][1] += total
        self.misses.extend(other.misses)


def load_items(path: Path) -> list[dict[str, Any]]:
    """The labelled sentences of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(items: list[dict[str, Any]], strictness: Strictness = Strictness()) -> VerifierScore:
    """Run the verifier on every item and count what it caught and kept."""
    result = VerifierScore()
    for item in items:
        passages = [Passage(p["n"], p["text"], p.get("citation", "")) for p in item["passages"]]
        verdict = check_sentence(item["sentence"], passages, strictness=strictness)
        kind = item.get("error") or "supported"
        right = verdict.supported == (item["label"] == "supported")
        result.by_kind[kind][0] += int(right)
        result.by_kind[kind][1] += 1
        if item["label"] == "supported":
            result.correct += 1
            result.kept += int(right)
        else:
            result.wrong += 1
            result.caught += int(right)
        if not right:
            result.misses.append(f"{item['id']} ({kind}; {', '.join(verdict.problems) or 'kept'})")
    return result


def _objective(s: VerifierScore) -> float:
    # Catching wrong sentences matters most, but never below the kept floor of 0.85.
    return s.caught_rate + s.kept_rate - (10.0 if s.kept_rate < 0.85 else 0.0)


def cross_validate(items: list[dict[str, Any]], folds: int = 5,
                   grid: Sequence[Strictness] | None = None) -> tuple[VerifierScore, list[Strictness]]:
    """Pooled held-out-fold score, choosing the content thresholds on the other folds each time
    (among ``grid``, by default every pair of :data:`CONTENT_GRID` and :data:`CLAUSE_GRID`).

    Folds group items by the document of their first passage, so a fold never shares
    passages with the data its thresholds were chosen on.
    """
    docs = sorted({i["passages"][0]["doc_id"] for i in items})
    fold_of = [{doc: n % folds for n, doc in enumerate(docs)}[i["passages"][0]["doc_id"]] for i in items]
    grid = list(grid or [Strictness(min_content=c, min_clause_content=k) for c in CONTENT_GRID for k in CLAUSE_GRID])
    # Each item is checked once per setting (not once per setting and fold): the folds only regroup the results.
    each = {t: [score([item], t) for item in items] for t in grid}

    def pooled_over(t: Strictness, fold: int, inside: bool) -> VerifierScore:
        total = VerifierScore()
        for n, one in enumerate(each[t]):
            if (fold_of[n] == fold) == inside:
                total.add(one)
        return total

    pooled, chosen = VerifierScore(), []
    for k in range(folds):
        if k not in fold_of:
            continue
        train = {t: _objective(pooled_over(t, k, inside=False)) for t in grid}
        best = max(grid, key=train.__getitem__)
        chosen.append(best)
        pooled.add(pooled_over(best, k, inside=True))
    return pooled, chosen


def kinds_table(s: VerifierScore) -> list[tuple[str, int, int]]:
    """(kind, right, total) rows, supported first."""
    order = Counter({k: v[1] for k, v in s.by_kind.items()})
    rows = sorted(order, key=lambda k: (k != "supported", k))
    return [(k, s.by_kind[k][0], s.by_kind[k][1]) for k in rows]
