"""Shared by bench_retrieval.py and bench_refusal.py: indexes, question sets, folds, and the two small fits.

Two document sets, each with its own private index: the 17 ALQAC laws (../shared/eval/alqac/docs,
read to measure only, never copied) and the sample corpus (corpus/). Questions:

- answerable: the 100 ALQAC dev questions and the answerable questions of evals/study_questions.jsonl;
- unanswerable: evals/refusal_questions.jsonl (each over its own set) and the unanswerable study questions.

Every question gets a fold (0..FOLDS-1) from a hash of its id, so a question stays in the same fold
in both benchmarks: the ranking weights used to compute a held-out question's refusal features were
never fitted on it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.embeddings.fake import FakeEmbedder  # noqa: E402
from assistant.evaluation.dataset import GoldRef, load_dataset  # noqa: E402
from assistant.evaluation.gold import GoldMatcher, make_unit, unit_of_hit  # noqa: E402
from assistant.evaluation.metrics import score_ranks  # noqa: E402
from assistant.evaluation.retrieval import known_paths  # noqa: E402
from assistant.retrieval.query import query_text  # noqa: E402
from assistant.retrieval.rank import FEATURES, RankModel  # noqa: E402
from assistant.retrieval.search import Query, Searcher  # noqa: E402

ALQAC = REPO.parent / "shared" / "eval" / "alqac"
RESULTS = REPO / "benchmarks" / "results"
STUDY = REPO / "evals" / "study_questions.jsonl"
REFUSALS = REPO / "evals" / "refusal_questions.jsonl"
# More calibration questions for refusals (session 3): paraphrased answerable questions and hard near misses.
REFUSAL_DEV2 = REPO / "evals" / "refusal_dev2.jsonl"
FOLDS = 5
SETS = ("alqac", "corpus")


class HashVectors(FakeEmbedder):
    """The packaged MiniLM's tokenizer (so chunks are cut exactly as in production), hash vectors.

    With ``retrieval.dense_weight`` 0 vectors only fill places keyword search leaves empty, which
    never happens at depth 20 on these sets; this saves the 20-minute embedding of the 17 laws.
    """

    name = "hash-vectors"

    def __init__(self) -> None:
        super().__init__()
        from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder

        self.real = SentenceTransformerEmbedder()
        self.model_id = f"hash vectors, {self.real.model_id} tokenizer"

    @property
    def max_tokens(self) -> int:
        return self.real.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """One JSON object per non-empty line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fold_of(question_id: str, folds: int = FOLDS) -> int:
    """A stable fold for a question id."""
    return int(hashlib.sha1(question_id.encode()).hexdigest(), 16) % folds


@dataclass
class Question:
    """One question of either set, with what it should get."""

    set: str  # alqac | corpus
    id: str
    text: str  # as search --batch and chat receive it: the question, then "A. …" lines
    question: str  # the question alone
    answerable: bool
    kind: str  # answerable, or the refusal set's kind of near miss
    gold: list[GoldRef] = field(default_factory=list)

    @property
    def fold(self) -> int:
        """Its cross-validation fold."""
        return fold_of(self.id)


def questions(alqac: Path = ALQAC, *, refusal_dev2: bool = False) -> list[Question]:
    """Both sets' answerable and unanswerable questions (with ``refusal_dev2``, also evals/refusal_dev2.jsonl)."""
    out: list[Question] = []
    extra = [REFUSAL_DEV2] if refusal_dev2 and REFUSAL_DEV2.is_file() else []
    gold = {item.id: item.gold for path in (alqac / "dev_questions.jsonl", STUDY, *extra)
            for item in load_dataset(path)}
    for record in load_jsonl(alqac / "dev_questions.jsonl"):
        out.append(Question("alqac", record["id"], query_text(record), record["question"], True, "answerable",
                            gold[record["id"]]))
    for record in load_jsonl(STUDY):
        answerable = bool(record.get("answerable", True))
        out.append(Question("corpus", record["id"], query_text(record), record["question"], answerable,
                            "answerable" if answerable else "study_unanswerable", gold[record["id"]]))
    for record in load_jsonl(REFUSALS) + [r for path in extra for r in load_jsonl(path)]:
        answerable = bool(record.get("answerable", False))
        out.append(Question("alqac" if record["corpus"] == "alqac" else "corpus", record["id"], query_text(record),
                            record["question"], answerable, "answerable" if answerable else record["kind"],
                            gold.get(record["id"], []) if answerable else []))
    return out


def build_services(docs: Path, data_dir: Path, vectors: str) -> tuple[Any, dict[str, Any]]:
    """Services over a private index of ``docs`` (ingested unless unchanged); ingest counts and seconds."""
    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(data_dir), "llm": {"backend": "fake"}}, environ={})
    embedder = HashVectors() if vectors == "hash" else SentenceTransformerEmbedder()
    services = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=embedder)
    started = time.perf_counter()
    report = services.ingest([docs])
    return services, {"docs": str(docs), "data_dir": str(data_dir), "counts": report.counts,
                      "seconds": round(time.perf_counter() - started, 1), "vectors": embedder.model_id,
                      "chunks": len(services.index.chunk_map())}


@dataclass
class RankRows:
    """A question's shortlisted units: feature matrix and which units are gold."""

    question: Question
    features: np.ndarray
    gold: np.ndarray


def rank_rows(services: Any, items: Sequence[Question], searcher: Searcher | None = None) -> list[RankRows]:
    """Features of every shortlisted unit of each question (they do not depend on the weights)."""
    searcher = searcher or services.searcher
    metas = services.index.metas()
    matcher = GoldMatcher(known_paths(services))
    rows = []
    for q in items:
        ranking = searcher.rank_units(Query(q.text, k=20))
        x = np.array([[u.features.get(f, 0.0) for f in FEATURES] for u in ranking.units], dtype=float)
        y = np.array([any(matcher.matches(g, make_unit(u.key[0], u.key[2], section=u.key[1],
                                                       has_articles=metas[u.key[0]].has_articles))
                          for g in q.gold) for u in ranking.units], dtype=bool)
        rows.append(RankRows(q, x.reshape(len(ranking.units), len(FEATURES)), y))
    return rows


def fit_rank(rows: Sequence[RankRows], l2: float = 0.01, steps: int = 800) -> RankModel:
    """Listwise fit: maximise the softmax probability of a question's gold units among its shortlist (Adam)."""
    data = [(r.features, r.gold) for r in rows if r.gold.any() and len(r.gold) > 1]
    w = np.zeros(len(FEATURES))
    w[FEATURES.index("bm25")] = 1.0
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = l2 * w
        for x, y in data:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += x.T @ (p - p * y / p[y].sum()) / len(data)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.025 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return RankModel({f: float(x) for f, x in zip(FEATURES, w, strict=True)})


def retrieval_scores(services: Any, items: Sequence[Question], model: RankModel,
                     text: Callable[[Question], str] = lambda q: q.text) -> tuple[dict[str, float], list[Any]]:
    """Acc@k, MRR@10, nDCG@10 of the full search (as ``chibo eval`` scores it) with ``model``; per-question ranks."""
    searcher = Searcher(services.index, services.settings.retrieval, model)
    metas = services.index.metas()
    matcher = GoldMatcher(known_paths(services))
    ranks, gold_counts, all_ranks = [], [], []
    for q in items:
        hits, _ = searcher.search(Query(text(q), k=20))
        found = matcher.rank([unit_of_hit(h, metas[h.doc_id].has_articles) for h in hits], q.gold, 10)
        ranks.append(found.first)
        gold_counts.append(found.gold_count)
        all_ranks.append(found.ranks)
    return score_ranks(ranks, gold_counts, all_ranks).as_row(), ranks


def spread(values: Sequence[float]) -> str:
    """"0.942 ± 0.071 (1.00, 0.94, …)": mean, standard deviation across folds, and each fold."""
    arr = np.array(values, dtype=float)
    return f"{arr.mean():.3f} ± {arr.std():.3f} ({', '.join(f'{v:.2f}' for v in arr)})"


def write_results(out: Path, name: str, summary: dict[str, Any], lines: list[str]) -> None:
    """``<out>/<name>.json`` (the figures) and ``<out>/<name>.md`` (the report), and the report on stdout."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
