"""Rank cited units (articles, numbered items), not loose chunks, from cheap features.

Keyword search scores chunks; a member wants the article. Chunks of one unit are
pooled, and each unit gets a handful of cheap features: its best and second-best
BM25 score for the question stem, how well each multiple-choice option alone finds
it, how much of the question its title and text cover (rare words weighing more),
whether the question names its document or the words of its document's title. A
linear model combines them; its weights are a small JSON file in this package,
chosen by cross-validation (``benchmarks/bench_retrieval.py --train``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.records import Chunk, ChunkPart, DocumentMeta
from assistant.retrieval.query import STOPWORDS_ACCENTED, asks_figure
from assistant.text.overlap import STOPWORDS, content_bigrams, content_terms
from assistant.text.vietnamese import has_diacritics, search_key, strip_accents

WEIGHTS_FILE = Path(__file__).with_name("rank_weights.json")
FEATURES: tuple[str, ...] = (
    "bm25",  # best chunk of the unit for the stem (+ options), / the best chunk overall
    "bm25_second",  # its second-best chunk, likewise: several matching clauses
    "option_best",  # multiple choice: the best option-alone score of the unit, / that option's top
    "option_mean",  # mean over options of the same: a unit that holds every option
    "title",  # idf-weighted share of the unit title's terms the question uses
    "coverage",  # idf-weighted share of the question's terms in the unit's text
    "phrases",  # share of the question's word pairs in the unit's text
    "doc_title",  # idf-weighted share of the document title's terms the question uses
    "doc_mass",  # share of the keyword ranking's score that falls in the unit's document
    "named",  # the question names the unit's document (by title or number)
    "numbered",  # … by its number ("Quy định 339-QĐ/TW"): a deliberate pick, unlike a law title in passing
    "first_rank",  # 1 / rank of the unit's best chunk in the keyword ranking
    "preamble",  # the text before the first article or section: header, "Căn cứ …" lines
)
UnitKey = tuple[str, str, str]  # doc_id, section, article
_TITLE_NOISE = {"luat", "bo", "hien", "phap", "nghi", "quyet", "quy", "dinh", "huong", "dan", "chi", "thi",
                "ke", "hoach", "bao", "cao", "thong", "vv", "ve", "viec"}
_HEADING = re.compile(r"^\s*(?:Điều|Dieu)\s+\d+[a-zđ]?\s*[.:]\s*(.*)$", re.I)
_LABEL = re.compile(r"^\s*(?:Điều|Chương|Mục|Phần|Khoản|Dieu|Chuong|Muc|Phan|Khoan)\s+[\dIVXLC]+[a-zđ]?\s*[.:]?\s*",
                    re.I)


@dataclass
class RankModel:
    """A linear scorer over :data:`FEATURES`; unknown features weigh 0."""

    weights: dict[str, float]
    note: str = ""

    def score(self, features: dict[str, float]) -> float:
        """The weighted sum of ``features``."""
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def to_dict(self) -> dict[str, object]:
        """The model as stored in :data:`WEIGHTS_FILE`."""
        return {"features": list(FEATURES), "weights": {f: round(self.weights.get(f, 0.0), 6) for f in FEATURES},
                "note": self.note}


DEFAULT_MODEL = RankModel({"bm25": 1.0, "first_rank": 0.01})


def load_model(path: Path | None = None) -> RankModel:
    """The stored weights (``rank_weights.json``), or plain BM25 when the file is absent."""
    path = path or WEIGHTS_FILE
    if not path.is_file():
        return DEFAULT_MODEL
    data = json.loads(path.read_text(encoding="utf-8"))
    return RankModel({k: float(v) for k, v in data.get("weights", {}).items()}, str(data.get("note", "")))


@lru_cache(maxsize=65536)
def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


@lru_cache(maxsize=65536)
def _pairs(text: str) -> frozenset[tuple[str, str]]:
    return frozenset(content_bigrams(text))


def unit_key(chunk: Chunk) -> UnitKey:
    """The cited unit a chunk belongs to: its article, or its numbered item in documents without articles."""
    return chunk.doc_id, chunk.section, chunk.article


def group_units(chunk_map: dict[str, Chunk]) -> dict[UnitKey, list[Chunk]]:
    """Every unit's chunks (build once per index generation: it walks every chunk)."""
    units: dict[UnitKey, list[Chunk]] = {}
    for chunk in chunk_map.values():
        units.setdefault(unit_key(chunk), []).append(chunk)
    return units


def unit_title(chunks: Sequence[Chunk]) -> str:
    """The unit's heading words: "Điều 5. Trách nhiệm …" from the heading path or the first line."""
    first = min(chunks, key=lambda c: c.ordinal)
    heads = [_LABEL.sub("", h) for h in first.heading_path if h]
    line = first.text.split("\n", 1)[0]
    match = _HEADING.match(line)
    if match:
        heads.append(match.group(1))
    elif not first.article and len(line) <= 160:
        heads.append(line)  # a numbered item's own first line ("1.1. Sổ ghi chép …")
    return " ".join(heads)


def _weighted_share(wanted: Iterable[str], present: frozenset[str] | set[str], idf: Callable[[str], float]) -> float:
    terms = set(wanted)
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms if t in present) / total if total else 0.0


@dataclass
class Unit:
    """One cited unit under consideration: its chunks' scores and its features."""

    key: UnitKey
    chunk_scores: dict[str, float] = field(default_factory=dict)  # chunk id -> stem score
    option_scores: list[float] = field(default_factory=list)  # per option: best normalised score
    option_chunks: dict[str, float] = field(default_factory=dict)  # chunk id -> best option score
    first_rank: int = 10**6
    dense: float = 0.0  # best vector similarity of its chunks, relative to the best overall
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


class UnitRanker:
    """Pools chunk rankings into units and orders them by :class:`RankModel`."""

    def __init__(self, chunk_map: dict[str, Chunk], metas: dict[str, DocumentMeta], idf: Callable[[str], float],
                 model: RankModel, units: dict[UnitKey, list[Chunk]] | None = None) -> None:
        self.chunk_map = chunk_map
        self.metas = metas
        self.model = model
        self._idf = idf
        self._idf_memo: dict[str, float] = {}
        self._doc_mass: dict[str, float] = {}
        self._units = units if units is not None else group_units(chunk_map)

    def idf(self, term: str) -> float:
        """The index's idf of a term, asked once per ranking."""
        value = self._idf_memo.get(term)
        if value is None:
            value = self._idf_memo[term] = self._idf(term)
        return value

    def rank(self, question: str, stem_ranking: list[tuple[str, float]],
             option_rankings: Sequence[list[tuple[str, float]]] = (), named_docs: Sequence[str] = (),
             numbered_docs: Sequence[str] = (), limit: int = 40, dense: Sequence[tuple[str, float]] = (),
             weights: tuple[float, float] = (1.0, 0.0)) -> list[Unit]:
        """Units of the ranked chunks, best first, each with its features and score.

        ``weights`` = (keyword, dense): a unit scores keyword × the model's score + dense × its best vector
        similarity relative to the best one (``dense``: chunk id, similarity). Dense is a knob for a strong
        embedding model, off by default.
        """
        keyword_weight, dense_weight = weights
        units: dict[UnitKey, Unit] = {}
        top = stem_ranking[0][1] if stem_ranking else 0.0
        for rank, (cid, score) in enumerate(stem_ranking):
            chunk = self.chunk_map.get(cid)
            if chunk is None:
                continue
            unit = units.setdefault(unit_key(chunk), Unit(unit_key(chunk)))
            unit.chunk_scores[cid] = score / top if top > 0 else 0.0
            unit.first_rank = min(unit.first_rank, rank + 1)
        for i, ranking in enumerate(option_rankings):
            best = ranking[0][1] if ranking else 0.0
            for rank, (cid, score) in enumerate(ranking):
                chunk = self.chunk_map.get(cid)
                if chunk is None or best <= 0:
                    continue
                unit = units.setdefault(unit_key(chunk), Unit(unit_key(chunk)))
                while len(unit.option_scores) <= i:
                    unit.option_scores.append(0.0)
                unit.option_scores[i] = max(unit.option_scores[i], score / best)
                unit.option_chunks[cid] = max(unit.option_chunks.get(cid, 0.0), score / best)
                unit.first_rank = min(unit.first_rank, rank + 1 + len(stem_ranking))
        dense_top = dense[0][1] if dense else 0.0
        for cid, similarity in dense:
            chunk = self.chunk_map.get(cid)
            if chunk is not None and dense_top > 0:
                unit = units.setdefault(unit_key(chunk), Unit(unit_key(chunk)))
                unit.dense = max(unit.dense, similarity / dense_top)
                unit.option_chunks[cid] = max(unit.option_chunks.get(cid, 0.0), dense_weight * similarity / dense_top)
        # Features are only worth computing for the units some ranking put near the top.
        shortlist = sorted(units.values(), key=lambda u: (
            -max([*u.chunk_scores.values(), *u.option_scores, u.dense * dense_weight, 0.0]), u.first_rank))[:limit]
        mass: dict[str, float] = {}
        for cid, score in stem_ranking:
            chunk = self.chunk_map.get(cid)
            if chunk is not None:
                mass[chunk.doc_id] = mass.get(chunk.doc_id, 0.0) + score
        total = sum(mass.values()) or 1.0
        self._doc_mass = {doc: value / total for doc, value in mass.items()}
        q_terms = _terms(question)
        q_pairs = _pairs(question)
        named = set(named_docs)
        numbered = set(numbered_docs)
        n_options = len(option_rankings)
        for unit in shortlist:
            unit.features = self._features(unit, q_terms, q_pairs, named, numbered, n_options)
            unit.score = keyword_weight * self.model.score(unit.features) + dense_weight * unit.dense
        shortlist.sort(key=lambda u: (-u.score, u.first_rank, u.key))
        return shortlist

    def _features(self, unit: Unit, q_terms: frozenset[str], q_pairs: frozenset[tuple[str, str]],
                  named: set[str], numbered: set[str], n_options: int) -> dict[str, float]:
        chunks = self._units.get(unit.key, [])
        scores = sorted(unit.chunk_scores.values(), reverse=True)
        options = unit.option_scores + [0.0] * (n_options - len(unit.option_scores))
        text = " ".join(c.text for c in sorted(chunks, key=lambda c: c.ordinal))
        body = _terms(text)
        meta = self.metas.get(unit.key[0])
        title_terms = _terms(unit_title(chunks)) if chunks else frozenset()
        doc_terms = {t for t in _terms(f"{meta.title} {meta.issuer}" if meta else "") if t not in _TITLE_NOISE}
        words = _pairs(text)
        return {
            "bm25": scores[0] if scores else 0.0,
            "bm25_second": scores[1] if len(scores) > 1 else 0.0,
            "option_best": max(options, default=0.0),
            "option_mean": sum(options) / n_options if n_options else 0.0,
            "title": _weighted_share(title_terms, q_terms, self.idf) if title_terms else 0.0,
            "coverage": _weighted_share(q_terms, body, self.idf),
            "phrases": len(q_pairs & words) / len(q_pairs) if q_pairs else 0.0,
            "doc_title": _weighted_share(doc_terms, q_terms, self.idf) if doc_terms else 0.0,
            "doc_mass": self._doc_mass.get(unit.key[0], 0.0),
            "named": 1.0 if unit.key[0] in named else 0.0,
            "numbered": 1.0 if unit.key[0] in numbered else 0.0,
            "first_rank": 1.0 / unit.first_rank if unit.first_rank < 10**6 else 0.0,
            "preamble": 0.0 if unit.key[1] or unit.key[2] else 1.0,
        }


def _accented_terms(text: str, accented: bool) -> tuple[set[str], set[tuple[str, str]]]:
    """Meaningful syllables (tone marks kept when ``accented``, so "tử" ≠ "tự") and their adjacent pairs."""
    words = re.findall(r"[^\W_]+", search_key(text) if accented else strip_accents(text))
    stop = STOPWORDS_ACCENTED if accented else STOPWORDS
    keep = [w for w in words if w not in stop and (len(w) > 1 or w.isdigit())]
    pairs = {(a, b) for a, b in zip(words, words[1:], strict=False) if a not in stop and b not in stop}
    return set(keep), pairs


def best_part(chunk: Chunk, question: str) -> ChunkPart | None:
    """The clause or point of a whole-article chunk that matches the question best, or None when none is clearly
    best. Words count with their tone marks when the question has them; shared word pairs break ties."""
    if not chunk.parts:
        return None
    accented = has_diacritics(question)
    terms, pairs = _accented_terms(question, accented)
    figure = asks_figure(question)
    scored = []
    for part in chunk.parts:
        text = chunk.text[part.start - chunk.start:part.end - chunk.start]
        have, have_pairs = _accented_terms(text, accented)
        # A question asking "bao lâu?" is answered by the clause that gives a figure.
        bonus = 0.5 if figure and re.search(r"\d", re.sub(r"^\s*\d+(?:\.\d+)*[.)]", "", text)) else 0.0
        scored.append((len(terms & have) + 0.5 * len(pairs & have_pairs) + bonus, part.depth,
                       -(part.end - part.start), part))
    best = max(scored, key=lambda s: (s[0], s[1], s[2]))
    if best[0] <= 0:
        return None
    # A part that ties with another part at the same depth is no clear answer.
    rivals = [s for s in scored if s[0] == best[0] and s[1] == best[1] and s[3] is not best[3]]
    return None if rivals else best[3]


def ordered_chunks(units: Sequence[Unit], chunk_map: dict[str, Chunk]) -> list[tuple[str, float]]:
    """(chunk id, unit score) in unit order; inside a unit, its best-scoring chunks first."""
    out: list[tuple[str, float]] = []
    for unit in units:
        pooled = dict(unit.option_chunks)
        for cid, score in unit.chunk_scores.items():
            pooled[cid] = max(score, pooled.get(cid, 0.0))
        inside = sorted(pooled.items(), key=lambda item: (-item[1], chunk_map[item[0]].ordinal))
        out.extend((cid, unit.score) for cid, _ in inside)
    return out
