"""Does any retrieved passage answer the question? Decides between an answer and a refusal.

Refusing is done without a model. A named article or clause that does not exist is
reported as such. Otherwise a small logistic model over cheap features of the search
(how much of the question the best unit covers, rare words found nowhere, a named
document that is not indexed, the ranking score and its margin; and from ``slots.py``
how much of it the sentence holding the asked figure carries, and whether the question
is about a kind of document the passages are not) gives the probability that the top
passages answer; below a threshold the assistant refuses. Weights and threshold are a small JSON file in this package
(``refusal_model.json``), chosen by cross-validation on answerable and near-miss
questions (``benchmarks/bench_refusal.py``, results in ``benchmarks/results/refusal.md``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.records import Hit
from assistant.retrieval.index import Index
from assistant.retrieval.query import asks_figure
from assistant.retrieval.search import QueryPlan
from assistant.settings import RetrievalSettings
from assistant.study.slots import answer_slot, kind_absent
from assistant.text.overlap import content_bigrams, content_terms, coverage, phrase_coverage, sentences

MODEL_FILE = Path(__file__).with_name("refusal_model.json")
PASSAGES = 3  # top hits the question is checked against
FEATURES: tuple[str, ...] = (
    "rank_score",  # the ranking model's score of the best unit
    "rank_margin",  # its lead over the second unit
    "unit_coverage",  # idf-weighted share of the question's terms in the best unit
    "unit_phrases",  # share of the question's word pairs in the best unit
    "unit_title",  # how much of the best unit's title the question uses
    "coverage",  # plain share of content terms, best of the top passages (with document and headings)
    "idf_coverage",  # idf-weighted share, best of the top passages
    "phrase_coverage",  # share of word pairs, best of the top passages
    "sentence_coverage",  # idf-weighted share of the question's terms in one sentence (or two adjacent ones)
    "sentence_phrases",  # share of the question's word pairs in that sentence
    "number_gap",  # the question asks for a figure ("bao nhiêu", "bao lâu") and that sentence has none
    "missing_rare",  # the rarest question term absent from every top passage, idf / idf of an unseen term
    "unseen",  # idf-weighted share of the question's terms the index has never seen
    "named_unknown",  # the question names a document that is not indexed ("Luật Đất đai")
    "slot_coverage",  # idf-weighted share of the question in the sentence holding the asked figure (slots.py;
    #                   for a question asking no figure, its best sentence), with headings and list lead-in
    "slot_missing_rare",  # the rarest question term that unit lacks, idf / idf of an unseen term
    "slot_elsewhere",  # share of the question in the passages but outside that unit (topic right, detail wrong)
    "slot_phrases",  # share of the question's word pairs in that unit
    "slot_contrast",  # a figure question repeating the slot sentence but for a word or two (another case)
    "kind_absent",  # the question is about a kind of document none of the top passages is ("Nghị định …")
)
# The direction each feature may push: +1 more means answered, -1 more means refused, 0 either. The fit keeps
# weights on these signs, so correlated features cannot flip (a higher coverage never argues for refusing).
SIGNS: dict[str, int] = {"rank_score": 1, "rank_margin": 1, "unit_coverage": 1, "unit_phrases": 1, "unit_title": 1,
                         "coverage": 1, "idf_coverage": 1, "phrase_coverage": 1, "sentence_coverage": 1,
                         "sentence_phrases": 1, "number_gap": -1, "missing_rare": -1, "unseen": -1,
                         "named_unknown": -1,
                         "slot_coverage": 1, "slot_missing_rare": -1, "slot_elsewhere": -1, "slot_phrases": 1,
                         "slot_contrast": -1, "kind_absent": -1}
# Not features, on purpose: the question's kind (true/false, multiple choice) and whether it names an indexed
# document. Both separate our calibration sets (the ALQAC questions are mostly true/false and multiple choice, the
# near misses mostly name their document) without saying anything about whether a passage answers.


@dataclass
class RefusalModel:
    """Logistic regression over :data:`FEATURES` (standardised), and the probability below which to refuse."""

    weights: dict[str, float]
    bias: float = 0.0
    mean: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.5
    note: str = ""

    def probability(self, features: dict[str, float]) -> float:
        """P(the top passages answer the question)."""
        z = self.bias
        for name, weight in self.weights.items():
            value = features.get(name, 0.0)
            z += weight * (value - self.mean.get(name, 0.0)) / (self.scale.get(name, 1.0) or 1.0)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def to_dict(self) -> dict[str, object]:
        """The model as stored in :data:`MODEL_FILE`."""
        def rounded(values: dict[str, float]) -> dict[str, float]:
            return {f: round(values.get(f, 0.0), 6) for f in FEATURES if f in values}

        return {"features": list(FEATURES), "weights": rounded(self.weights), "bias": round(self.bias, 6),
                "mean": rounded(self.mean), "scale": rounded(self.scale), "threshold": round(self.threshold, 6),
                "note": self.note}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> RefusalModel:
        """Rebuild from :meth:`to_dict` output."""
        def floats(key: str) -> dict[str, float]:
            raw = data.get(key) or {}
            return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

        bias, threshold = data.get("bias", 0.0), data.get("threshold", 0.5)
        return cls(floats("weights"), float(bias) if isinstance(bias, (int, float)) else 0.0, floats("mean"),
                   floats("scale"), float(threshold) if isinstance(threshold, (int, float)) else 0.5,
                   str(data.get("note", "")))


# Without a stored model: the old two-floor rule, as a model (coverage and phrases must both be high).
FALLBACK_MODEL = RefusalModel({"coverage": 12.0, "phrase_coverage": 8.0}, bias=-7.8, threshold=0.5)
_cache: dict[Path, RefusalModel] = {}


def load_refusal_model(path: Path | None = None) -> RefusalModel:
    """The calibrated model (``refusal_model.json``), read once; the old coverage rule when absent."""
    path = path or MODEL_FILE
    if path not in _cache:
        _cache[path] = (RefusalModel.from_dict(json.loads(path.read_text(encoding="utf-8"))) if path.is_file()
                        else FALLBACK_MODEL)
    return _cache[path]


def missing_article(index: Index, plan: QueryPlan) -> str:
    """ "Điều 20 Quy định 339-QĐ/TW" when that document has no Điều 20 (or no such khoản): say so, don't substitute."""
    metas = index.metas()
    chunks = index.chunk_map().values()
    for ref in plan.articles:
        if len(ref.doc_ids) != 1:
            continue
        doc_id = ref.doc_ids[0]
        label = metas[doc_id].display_name if doc_id in metas else doc_id
        in_article = [c for c in chunks if c.doc_id == doc_id and c.article == ref.article]
        if not in_article:
            return f"{label} (bản đã nạp) không có Điều {ref.article}."
        clauses = {c.clause for c in in_article} | {p.clause for c in in_article for p in c.parts}
        if ref.clause and ref.clause not in clauses:
            return f"Điều {ref.article} {label} (bản đã nạp) không có khoản {ref.clause}."
    return ""


def _passage(hit: Hit) -> str:
    return f"{hit.doc_label} {hit.title} {' '.join(hit.heading_path)} {hit.text}"


def _best_sentence(terms: set[str], pairs: set[tuple[str, str]], hits: Sequence[Hit],
                   weight: dict[str, float], default: float) -> tuple[float, float, str]:
    """(idf-weighted coverage, pair coverage, text) of the sentence, or two adjacent ones, that covers most."""
    total = sum(weight.get(t, default) for t in terms) or 1.0
    best: tuple[float, float, str] = (0.0, 0.0, "")
    for hit in hits:
        spans = [hit.text[a:b] for a, b in sentences(hit.text)]
        heading = f"{hit.doc_label} {hit.title} {' '.join(hit.heading_path)}"
        windows = spans + [f"{x} {y}" for x, y in zip(spans, spans[1:], strict=False)]
        for window in windows:
            found = content_terms(f"{heading} {window}")
            score = sum(weight.get(t, default) for t in terms & found) / total
            if score > best[0]:
                have = content_bigrams(window)
                best = (score, len(pairs & have) / len(pairs) if pairs else 0.0, window)
    return best


def relevance_features(question: str, hits: Sequence[Hit], plan: QueryPlan) -> dict[str, float]:
    """The cheap features the refusal model reads, from the search's hits and plan."""
    passages = [_passage(h) for h in hits[:PASSAGES]]
    terms = content_terms(plan.stem + " " + " ".join(plan.options)) if plan.stem else content_terms(question)
    terms = terms or content_terms(question)
    idf = plan.term_idf
    unseen_idf = plan.unseen_idf or max(idf.values(), default=1.0) or 1.0
    present = set().union(*(content_terms(p) for p in passages)) if passages else set()
    total_idf = sum(idf.get(t, unseen_idf) for t in terms) or 1.0
    absent = [idf.get(t, unseen_idf) for t in terms if t not in present]
    phrases = [p for p in (phrase_coverage(question, p) for p in passages) if p is not None]
    sentence, sentence_pairs, window = _best_sentence(terms, content_bigrams(question), hits[:PASSAGES], idf,
                                                       unseen_idf)
    figure = asks_figure(plan.stem or question)
    unit = plan.unit_features
    scores = plan.unit_scores
    slot = answer_slot(plan.stem or question, hits[:PASSAGES], idf, unseen_idf)
    return {
        "rank_score": scores[0] if scores else 0.0,
        "rank_margin": scores[0] - scores[1] if len(scores) > 1 else (scores[0] if scores else 0.0),
        "unit_coverage": unit.get("coverage", 0.0),
        "unit_phrases": unit.get("phrases", 0.0),
        "unit_title": unit.get("title", 0.0),
        "coverage": max((coverage(question, p) for p in passages), default=0.0),
        "idf_coverage": max((sum(idf.get(t, unseen_idf) for t in terms & content_terms(p)) / total_idf
                             for p in passages), default=0.0),
        "phrase_coverage": max(phrases, default=unit.get("phrases", 0.0)),
        "sentence_coverage": sentence,
        "sentence_phrases": sentence_pairs,
        "number_gap": 1.0 if figure and not re.search(r"\d", window) else 0.0,
        "missing_rare": max(absent, default=0.0) / unseen_idf,
        "unseen": sum(idf.get(t, unseen_idf) for t in terms if idf.get(t, unseen_idf) >= unseen_idf) / total_idf,
        "named_unknown": 1.0 if plan.unknown_docs else 0.0,
        "slot_coverage": slot.coverage,
        "slot_missing_rare": slot.missing_rare,
        "slot_elsewhere": slot.elsewhere,
        "slot_phrases": slot.phrases,
        "slot_contrast": slot.contrast,
        "kind_absent": 1.0 if kind_absent(plan.stem or question, hits[:PASSAGES]) else 0.0,
    }


def rule_decision(question: str, hits: Sequence[Hit], plan: QueryPlan) -> bool | None:
    """Decided without the model: an existing named article → answer; no hits, no content words, no word the
    index knows, or only passages vectors found (no shared word at all) → refuse."""
    if not hits:
        return False
    if plan.articles and any(h.scores.get("exact") for h in hits):
        return True
    if not content_terms(question):
        return False
    if plan.term_idf and all(v >= plan.unseen_idf for v in plan.term_idf.values()):
        return False
    if not any(h.scores.get("bm25") or h.scores.get("rank") for h in hits):
        return False
    return None


def answer_probability(question: str, hits: Sequence[Hit], plan: QueryPlan, model: RefusalModel | None = None) -> float:
    """P(the hits answer the question) by the refusal model; 1 or 0 where :func:`rule_decision` decides."""
    rule = rule_decision(question, hits, plan)
    if rule is not None:
        return 1.0 if rule else 0.0
    return (model or load_refusal_model()).probability(relevance_features(question, hits, plan))


# Answered, but less likely than not to answer: the chat says so above the quotes and writes no model lead.
# 0.5 is the model's own midpoint, not a tuned value (on the calibration questions, 34 of the 58 answered with a
# probability below it were unanswerable, against 46 of 271 above it).
UNSURE_BELOW = 0.5


def answer_decision(question: str, hits: list[Hit], plan: QueryPlan,
                    settings: RetrievalSettings) -> tuple[bool, float]:
    """(whether the top passages likely answer the question, that probability); the threshold is
    ``retrieval.refusal_threshold``, else the calibrated one."""
    model = load_refusal_model()
    threshold = settings.refusal_threshold if settings.refusal_threshold is not None else model.threshold
    probability = answer_probability(question, hits, plan, model)
    return probability >= threshold, probability


def answers_question(question: str, hits: list[Hit], plan: QueryPlan, settings: RetrievalSettings) -> bool:
    """True when the top passages likely answer the question (see :func:`answer_decision`)."""
    return answer_decision(question, hits, plan, settings)[0]
