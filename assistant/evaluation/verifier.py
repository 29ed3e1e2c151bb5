"""Measure the sentence verifier (:mod:`assistant.text.support`) on labelled sentence sets.

Each item of ``evals/verifier_sentences.jsonl`` (tuning set) or ``evals/verifier_heldout.jsonl``
(written separately, never tuned on) is a generated-style sentence, the passages it may cite and
whether they support it. The figures are: wrong sentences caught, correct paraphrases kept.
Thresholds are chosen by cross-validation over folds grouped by document (`benchmarks/bench_verifier.py`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.text.support import Passage, Strictness, check_sentence, content_measures

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


def _tally(result: VerifierScore, item: dict[str, Any], kept: bool, why: str) -> None:
    """Count one labelled sentence the verifier kept or removed (``why``: what a miss is listed with)."""
    kind = item.get("error") or "supported"
    right = kept == (item["label"] == "supported")
    result.by_kind[kind][0] += int(right)
    result.by_kind[kind][1] += 1
    if item["label"] == "supported":
        result.correct, result.kept = result.correct + 1, result.kept + int(right)
    else:
        result.wrong, result.caught = result.wrong + 1, result.caught + int(right)
    if not right:
        result.misses.append(f"{item['id']} ({kind}; {why})")


def score(items: list[dict[str, Any]], strictness: Strictness = Strictness()) -> VerifierScore:
    """Run the verifier on every item and count what it caught and kept."""
    result = VerifierScore()
    for item in items:
        passages = [Passage(p["n"], p["text"], p.get("citation", "")) for p in item["passages"]]
        verdict = check_sentence(item["sentence"], passages, strictness=strictness)
        _tally(result, item, verdict.supported, ", ".join(verdict.problems) or "kept")
    return result


# -- cross-validation of the ``Strictness`` thresholds --------------------------------------------------------------
NEW_WORDS_GRID = (None, 4, 3, 2, 1, 0)
KEPT_FLOOR = 0.88  # the most a stricter setting may cost (issue 12 asks for 85%)
GRID = [Strictness(min_content=c, min_clause_content=k, max_new_words=n)
        for n in NEW_WORDS_GRID for c in CONTENT_GRID for k in CLAUSE_GRID]
# (item, passes every rule, content share, weakest clause's share, words of its own): what a setting decides on.
Features = tuple[dict[str, Any], bool, float, float, int]


def features(items: list[dict[str, Any]]) -> list[Features]:
    """Each sentence checked once with every threshold off, with the three measures the thresholds read: a
    setting then keeps it when nothing else was wrong and its measures pass (the decision ``check_sentence``
    makes with that setting)."""
    lenient = Strictness(min_content=0.0, min_clause_content=0.0, max_new_words=None)
    out = []
    for item in items:
        passages = [Passage(p["n"], p["text"], p.get("citation", "")) for p in item["passages"]]
        clean = check_sentence(item["sentence"], passages, strictness=lenient).supported
        out.append((item, clean, *content_measures(item["sentence"], passages)))
    return out


def _keeps(t: Strictness, clean: bool, content: float, clause: float, new: int) -> bool:
    return clean and content >= t.min_content and clause >= t.min_clause_content \
        and (t.max_new_words is None or new <= t.max_new_words)


def score_features(rows: list[Features], t: Strictness) -> VerifierScore:
    """What setting ``t`` catches and keeps of the precomputed ``rows``."""
    s = VerifierScore()
    for item, clean, content, clause, new in rows:
        kept = _keeps(t, clean, content, clause, new)
        _tally(s, item, kept, "kept" if kept else "removed")
    return s


def _objective(s: VerifierScore) -> float:
    # Catching wrong sentences and keeping correct ones count alike, never below the kept floor.
    return s.caught_rate + s.kept_rate - (10.0 if s.kept_rate < KEPT_FLOOR else 0.0)


def choose(rows: list[Features], grid: Sequence[Strictness] = GRID) -> Strictness:
    """The setting of ``grid`` with the best objective on ``rows`` (the first best: the most lenient of equals)."""
    return max(grid, key=lambda t: _objective(score_features(rows, t)))


def cross_validate(sets: list[tuple[str, list[dict[str, Any]]]], folds: int = 5,
                   grid: Sequence[Strictness] = GRID) -> tuple[dict[str, VerifierScore], list[Strictness]]:
    """Per-set scores of each item in the fold it was held out in, and the setting chosen on the other folds
    for each fold. Folds group items by the document of their first passage, so a fold never shares passages
    with the data its setting was chosen on."""
    rows = [(name, r) for name, items in sets for r in features(items)]
    docs = sorted({r[0]["passages"][0]["doc_id"] for _, r in rows})
    fold_of = {doc: n % folds for n, doc in enumerate(docs)}
    per_set = {name: VerifierScore() for name, _ in sets}
    chosen = []
    for k in range(folds):
        train = [r for _, r in rows if fold_of[r[0]["passages"][0]["doc_id"]] != k]
        best = choose(train, grid)
        chosen.append(best)
        for name, _ in sets:
            test = [r for n, r in rows if n == name and fold_of[r[0]["passages"][0]["doc_id"]] == k]
            per_set[name].add(score_features(test, best))
    return per_set, chosen


def pooled(scores: dict[str, VerifierScore]) -> VerifierScore:
    """The scores of several sets added together."""
    total = VerifierScore()
    for s in scores.values():
        total.add(s)
    return total


def kinds_table(s: VerifierScore) -> list[tuple[str, int, int]]:
    """(kind, right, total) rows, supported first."""
    order = Counter({k: v[1] for k, v in s.by_kind.items()})
    rows = sorted(order, key=lambda k: (k != "supported", k))
    return [(k, s.by_kind[k][0], s.by_kind[k][1]) for k in rows]
