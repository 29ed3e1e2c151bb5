"""Retrieval suite: is a gold passage among the first distinct cited units?

Each system turns a question into ranked cited units; ranks are taken among
the first 10 distinct units of ``DEPTH`` hits, and scored with Acc@1/5/10,
MRR@10 and nDCG@10 (see ``metrics.score_ranks``). Questions without gold
(the unanswerable ones) are left out of these numbers.

Every system searches exactly what ``chibo search --batch`` searches for the
same record: the question followed by its answer choices
(:func:`assistant.retrieval.query.query_text`). The question alone, without
its choices, is scored for our system too and reported apart
(``question_only``), since a member often types only the question.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.evaluation.dataset import EvalItem
from assistant.evaluation.gold import CitedUnit, GoldMatcher, make_unit, unit_of_hit
from assistant.evaluation.metrics import latency_summary, rate, score_ranks
from assistant.evaluation.results import SuiteResult
from assistant.retrieval.query import query_text

DEPTH = 20  # hits asked per question
CUTOFF = 10  # distinct units scored
Progress = Callable[[str], None]


@dataclass
class System:
    """A named retrieval pipeline under test."""

    name: str
    search: Callable[[str], list[CitedUnit]]
    matcher: GoldMatcher
    info: dict[str, Any]


def known_paths(services: Any) -> dict[str, set[str]]:
    """doc_id → the unit paths of every passage in the index (for the gold ancestor rule)."""
    metas = services.index.metas()
    out: dict[str, set[str]] = {}
    for chunk in services.index.chunk_map().values():
        meta = metas.get(chunk.doc_id)
        if meta is None:
            continue
        unit = make_unit(chunk.doc_id, chunk.article, section=chunk.section, has_articles=meta.has_articles)
        out.setdefault(chunk.doc_id, set()).add(unit.path)
    return out


def our_system(services: Any, name: str = "ours") -> System:
    """The assistant's own hybrid search, with its configured settings."""
    from assistant.retrieval.search import Query

    metas = services.index.metas()
    searcher = services.searcher

    def search(question: str) -> list[CitedUnit]:
        hits, _ = searcher.search(Query(question, k=DEPTH))
        return [unit_of_hit(h, metas[h.doc_id].has_articles if h.doc_id in metas else None) for h in hits]

    r = services.settings.retrieval
    info = {"kind": "hybrid", "bm25_weight": r.bm25_weight, "dense_weight": r.dense_weight, "steer": r.steer,
            "candidates": r.candidates, "embedder": getattr(services.embedder, "model_id", "?")}
    return System(name, search, GoldMatcher(known_paths(services)), info)


def naive_systems(baseline: Any, services: Any) -> list[System]:
    """The naive baseline's dense and BM25 rankings, cited the way it can (by "Điều" headings)."""
    metas = services.index.metas()

    def units(chunks: Sequence[Any]) -> list[CitedUnit]:
        out = []
        for c in chunks:
            meta = metas.get(c.doc_id)
            names = (meta.number, meta.title) if meta else ()
            out.append(make_unit(c.doc_id, c.article, has_articles=True, names=names,
                                 citation=f"{c.doc_id} Điều {c.article}" if c.article else c.doc_id))
        return out

    info = {"kind": "naive", "chunks": len(baseline.chunks), "build_seconds": baseline.build_seconds,
            "reused_vectors": baseline.reused, "splitter": "RecursiveCharacterTextSplitter 1000/200"}
    return [System("naive: dense", lambda q: units(baseline.dense(q, DEPTH)), GoldMatcher(), info),
            System("naive: bm25", lambda q: units(baseline.bm25(q, DEPTH)), GoldMatcher(), info)]


def gold_coverage(items: Sequence[EvalItem], services: Any) -> dict[str, Any]:
    """How many gold units exist at all in the index: a ceiling that measures structure recovery."""
    metas = services.index.metas()
    matcher = GoldMatcher(known_paths(services))
    units = {make_unit(c.doc_id, c.article, section=c.section,
                       has_articles=metas[c.doc_id].has_articles,
                       names=(metas[c.doc_id].number, metas[c.doc_id].title))
             for c in services.index.chunk_map().values() if c.doc_id in metas}
    total, found, missing = 0, 0, []
    for item in items:
        for ref in item.gold:
            total += 1
            if any(matcher.matches(ref, u) for u in units):
                found += 1
            else:
                missing.append(f"{item.id}: {ref.label}")
    return {"gold_refs": total, "found_in_index": found, "share": rate(found, total), "missing": missing}


def item_query(item: EvalItem) -> str:
    """What ``search --batch`` searches for this record: the question, then its choices as "A. …" lines."""
    return query_text({"question": item.question, "choices": item.choices})


def run_retrieval(items: Sequence[EvalItem], systems: Sequence[System],
                  progress: Progress | None = None) -> SuiteResult:
    """Rank every question with gold on each system and score where the gold first appears.

    The first system is also scored on the question alone (``metrics["question_only"]``).
    """
    progress = progress or (lambda message: None)
    result = SuiteResult("retrieval")
    scored = [item for item in items if item.gold]
    skipped = len(items) - len(scored)
    if skipped:
        result.notes.append(f"{skipped} questions without gold (unanswerable) are not scored for retrieval.")
    per_system: dict[str, Any] = {}
    for system in systems:
        ranks, gold_counts, all_ranks, latencies = [], [], [], []
        for n, item in enumerate(scored, 1):
            started = time.perf_counter()
            units = system.search(item_query(item))
            ms = (time.perf_counter() - started) * 1000
            found = system.matcher.rank(units, item.gold, CUTOFF)
            ranks.append(found.first)
            gold_counts.append(found.gold_count)
            all_ranks.append(found.ranks)
            latencies.append(ms)
            top: list[dict[str, Any]] = []
            for u in units:
                if u.key not in {(t["doc_id"], t["article"]) for t in top}:
                    top.append({**u.to_dict(), "gold": system.matcher.any_match(u, item.gold)})
            result.items.setdefault(item.id, {})[system.name] = {
                "rank": found.first, "gold_ranks": found.ranks, "gold_count": found.gold_count,
                "latency_ms": round(ms, 1), "top": top[:CUTOFF]}
            if n % 25 == 0:
                progress(f"retrieval [{system.name}] {n}/{len(scored)}")
        scores = score_ranks(ranks, gold_counts, all_ranks)
        per_system[system.name] = {"n": scores.n, **scores.as_row(), "latency": latency_summary(latencies),
                                   "info": system.info}
        progress(f"retrieval [{system.name}]: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.as_row().items()))
    result.metrics = {"systems": per_system, "questions": len(scored), "depth": DEPTH, "cutoff": CUTOFF,
                      "query": "question + answer choices, as `chibo search --batch`"}
    if systems:
        result.metrics["question_only"] = _question_only(scored, systems[0], result)
        row = result.metrics["question_only"]
        result.notes.append(f"{systems[0].name}, the question alone (without its answer choices): "
                            + ", ".join(f"{k} {row[k]:.3f}" for k in ("Acc@1", "Acc@5", "Acc@10", "MRR@10")))
    return result


def _question_only(scored: Sequence[EvalItem], system: System, result: SuiteResult) -> dict[str, Any]:
    """The system's scores when each question is searched without its answer choices."""
    ranks, gold_counts, all_ranks = [], [], []
    for item in scored:
        found = system.matcher.rank(system.search(item.question), item.gold, CUTOFF)
        ranks.append(found.first)
        gold_counts.append(found.gold_count)
        all_ranks.append(found.ranks)
        result.items.setdefault(item.id, {}).setdefault(system.name, {})["rank_question_only"] = found.first
    scores = score_ranks(ranks, gold_counts, all_ranks)
    return {"system": system.name, "n": scores.n, **scores.as_row()}
