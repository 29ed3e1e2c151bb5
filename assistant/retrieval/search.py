"""Search: keyword candidates pooled into cited units, ranked by a small learned model.

Query understanding steers retrieval: the exam frame is dropped and each answer
option is searched on its own (:mod:`assistant.retrieval.query`); a document the
question names ("Nghị quyết 57", "theo Luật Viên chức") always gets candidates and
counts in the ranking (or, with ``retrieval.steer: filter``, is the only one
searched); a named article ("Điều 5 khoản 2") is looked up exactly and put first.
Units (articles, numbered items) are ranked from cheap features by
:mod:`assistant.retrieval.rank`; vectors fill places keyword search leaves empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.records import Chunk, ChunkPart, DocumentMeta, Hit
from assistant.retrieval.index import Index
from assistant.retrieval.query import loose_units, parse_question, query_text
from assistant.retrieval.rank import (
    RankModel,
    Unit,
    UnitKey,
    UnitRanker,
    best_part,
    group_units,
    load_model,
    ordered_chunks,
)
from assistant.settings import RetrievalSettings
from assistant.text.overlap import content_terms
from assistant.text.references import TITLE_NAMED_TYPES
from assistant.text.vietnamese import ascii_tokens, has_diacritics, index_tokens, search_key, strip_accents

__all__ = ["ArticleRef", "Query", "QueryPlan", "Ranking", "Searcher", "query_text"]


@dataclass
class Query:
    """A search request: the text, how many hits, and optional filters."""

    text: str
    k: int = 5
    doc_ids: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    issuer: str = ""
    date_from: str = ""  # ISO dates, inclusive
    date_to: str = ""
    steer: bool = True  # use document / article names found in the text


@dataclass
class ArticleRef:
    """An article a query names ("khoản 2 Điều 5"), with the documents it may belong to."""

    doc_ids: list[str]
    article: str
    clause: str = ""
    point: str = ""


@dataclass
class QueryPlan:
    """What the search understood, returned for display and debugging."""

    named_docs: list[str] = field(default_factory=list)
    numbered_docs: list[str] = field(default_factory=list)  # named by number ("339-QĐ/TW"), not by title
    articles: list[ArticleRef] = field(default_factory=list)
    accent_free: bool = False
    kind: str = "open"  # open | true_false | multiple_choice
    stem: str = ""  # the question without its exam frame and options
    options: list[str] = field(default_factory=list)  # letters of the real options searched one by one
    unknown_docs: list[str] = field(default_factory=list)  # documents named but not in the index
    unit_scores: list[float] = field(default_factory=list)  # ranking-model scores of the top units
    unit_features: dict[str, float] = field(default_factory=dict)  # features of the top unit
    term_idf: dict[str, float] = field(default_factory=dict)  # the question's content terms -> idf
    unseen_idf: float = 0.0  # idf of a term the index has never seen


TITLE_NAMED = {search_key(t) for t in TITLE_NAMED_TYPES}


@dataclass
class Ranking:
    """What :meth:`Searcher.rank_units` found: the units with their features, and the keyword scores."""

    text: str  # the stem and options searched
    plan: QueryPlan
    units: list[Unit]
    keyword: dict[str, float]  # chunk id -> BM25 score for the stem
    allowed_docs: set[str] | None
    dense: dict[str, float] = field(default_factory=dict)  # chunk id -> vector similarity (dense_weight > 0)


def _merge(*rankings: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """One ranking from several over the same BM25 scores: each chunk once, at its best score."""
    best: dict[str, float] = {}
    for ranking in rankings:
        for cid, score in ranking:
            best[cid] = max(score, best.get(cid, 0.0))
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def _number_key(number: str) -> str:
    return strip_accents(number).upper().replace(" ", "")


class Searcher:
    """Hybrid keyword + dense search over one index, steered by the documents and articles a query names."""

    def __init__(self, index: Index, settings: RetrievalSettings, model: RankModel | None = None) -> None:
        self.index = index
        self.settings = settings
        self.model = model or load_model()
        self._units: tuple[dict[str, Chunk], dict[UnitKey, list[Chunk]]] | None = None

    # -- query understanding -------------------------------------------------
    def resolve_documents(self, text: str, metas: dict[str, DocumentMeta]) -> tuple[list[str], list[ArticleRef]]:
        """The documents and articles ``text`` names, matched against the indexed documents."""
        named, articles, _ = self._resolve(text, metas)
        return named, articles

    def _resolve(self, text: str, metas: dict[str, DocumentMeta],
                 unknown: list[str] | None = None) -> tuple[list[str], list[ArticleRef], list[str]]:
        """Named documents, named articles, and the documents named by their number ("339-QĐ/TW").

        Documents named but not indexed are appended to ``unknown`` when given.
        """
        from assistant.text.references import parse_query_refs

        named: list[str] = []
        numbered: list[str] = []
        articles: list[ArticleRef] = []
        titles = sorted({m.title for m in metas.values() if m.title and search_key(m.doc_type) in TITLE_NAMED})
        refs = parse_query_refs(text, known_titles=titles)
        for ref in refs:
            doc_ids = self._match_ref(ref, metas)
            if not doc_ids and unknown is not None and (ref.doc is not None or ref.doc_name):
                unknown.append(ref.doc.canonical if ref.doc is not None else ref.doc_name)
            named.extend(d for d in doc_ids if d not in named)
            if getattr(ref, "doc", None) is not None:
                numbered.extend(d for d in doc_ids if d not in numbered)
            if ref.article:
                articles.append(ArticleRef(doc_ids, ref.article, ref.clause or "", ref.point or ""))
        if len(articles) == 1 and not (articles[0].clause or articles[0].point):
            # A follow-up names its clause apart from the article it inherits: "còn khoản 3 thì sao? (Điều 6 …)".
            articles[0].clause, articles[0].point = loose_units(text, [r.span for r in refs if r.span])
        return named, articles, numbered

    @staticmethod
    def _match_ref(ref: Any, metas: dict[str, DocumentMeta]) -> list[str]:
        found: list[str] = []
        doc = getattr(ref, "doc", None)
        if doc is not None:
            for meta in metas.values():
                if not meta.number:
                    continue
                if doc.issuer and _number_key(meta.number) == _number_key(doc.canonical) or not doc.issuer and _number_key(meta.number).startswith(_number_key(f"{doc.number}-{doc.type_code}")) or not doc.issuer and not doc.type_code and meta.number.split("-")[0] == doc.number:
                    found.append(meta.doc_id)
        name = getattr(ref, "doc_name", "") or ""
        if name and not found:
            wanted = strip_accents(name)
            for meta in metas.values():
                for candidate in (meta.title, meta.doc_id):
                    if candidate and strip_accents(candidate) == wanted:
                        found.append(meta.doc_id)
                        break
            if not found:
                for meta in metas.values():
                    if meta.title and wanted in strip_accents(meta.title):
                        found.append(meta.doc_id)
        return found

    # -- search --------------------------------------------------------------
    def rank_units(self, query: Query) -> Ranking:
        """The cited units ``query`` may be about, best first, with their features (search and its training)."""
        metas = self.index.metas()
        parsed = parse_question(query.text)
        plan = QueryPlan(accent_free=not has_diacritics(query.text), kind=parsed.kind, stem=parsed.stem,
                         options=list(parsed.options))
        allowed_docs = self._filter_docs(query, metas)
        named: list[str] = []
        if query.steer:
            named, plan.articles, plan.numbered_docs = self._resolve(query.text, metas, plan.unknown_docs)
            plan.named_docs = named
            if named and not query.doc_ids and self.settings.steer == "filter":
                steered = [d for d in named if allowed_docs is None or d in allowed_docs]
                allowed_docs = set(steered) if steered else allowed_docs
        chunk_map = self.index.chunk_map()
        allowed_chunks = None
        if allowed_docs is not None:
            allowed_chunks = {cid for cid, c in chunk_map.items() if c.doc_id in allowed_docs}
        named_chunks = None
        if named and not query.doc_ids and self.settings.steer == "boost":
            # The named documents always get candidates, even when other documents share more words.
            named_chunks = {cid for cid, c in chunk_map.items() if c.doc_id in named
                            and (allowed_chunks is None or cid in allowed_chunks)}
        candidates = max(self.settings.candidates, query.k)

        def keyword(text: str) -> list[tuple[str, float]]:
            found = self._keyword(text, candidates, plan.accent_free, allowed_chunks)
            return _merge(found, self._keyword(text, candidates, plan.accent_free, named_chunks)) if named_chunks \
                else found

        use_keywords = self.settings.bm25_weight > 0
        stem_ranking = keyword(parsed.search_text) if use_keywords else []
        options = [keyword(f"{parsed.stem} {option}") for option in parsed.options.values()] if use_keywords else []
        dense: list[tuple[str, float]] = []
        if self.settings.dense_weight > 0 and chunk_map:
            dense = self._dense(parsed.search_text, candidates,
                                sorted(allowed_docs) if allowed_docs is not None else None)
        if self._units is None or self._units[0] is not chunk_map:
            self._units = (chunk_map, group_units(chunk_map))  # the index caches chunk_map per generation
        ranker = UnitRanker(chunk_map, metas, self.index.keyword.idf, self.model, self._units[1])
        units = ranker.rank(parsed.search_text, stem_ranking, options, named, plan.numbered_docs,
                            limit=max(self.settings.units, query.k), dense=dense,
                            weights=(self.settings.bm25_weight, self.settings.dense_weight))
        plan.unit_scores = [round(u.score, 4) for u in units[:3]]
        plan.unit_features = dict(units[0].features) if units else {}
        keyword_index = self.index.keyword
        plan.term_idf = {t: keyword_index.idf(t) for t in content_terms(parsed.search_text)}
        plan.unseen_idf = keyword_index.idf("\x00")  # no indexed text holds NUL: the idf of an unseen word
        return Ranking(parsed.search_text, plan, units, dict(stem_ranking), allowed_docs, dict(dense))

    def search(self, query: Query) -> tuple[list[Hit], QueryPlan]:
        """The best hits for ``query``, best first, and what the search understood of it."""
        ranking = self.rank_units(query)
        plan = ranking.plan
        metas = self.index.metas()
        chunk_map = self.index.chunk_map()
        ordered = ordered_chunks(ranking.units, chunk_map)
        scores = dict(ordered)
        parts: dict[str, dict[str, float]] = {cid: {"rank": round(score, 4)} for cid, score in ordered}
        for cid in parts:
            if cid in ranking.keyword:
                parts[cid]["bm25"] = round(ranking.keyword[cid], 4)
            if cid in ranking.dense:
                parts[cid]["dense"] = round(ranking.dense[cid], 4)
        order = [cid for cid, _ in ordered]
        if len(order) < query.k and self.settings.dense_fallback and chunk_map:
            # Vectors fill the places keywords left empty.
            allowed = ranking.allowed_docs
            dense = self._dense(ranking.text, max(self.settings.candidates, query.k),
                                sorted(allowed) if allowed is not None else None)
            floor = min(scores.values(), default=0.0)
            for rank, (cid, score) in enumerate(dense):
                if cid in chunk_map and cid not in scores:
                    scores[cid] = floor - 1e-3 * (rank + 1)
                    parts[cid] = {"dense": round(score, 4)}
                    order.append(cid)
        exact = self._exact_articles(plan.articles, chunk_map, ranking.allowed_docs)
        top_score = max(scores.values(), default=0.0)
        for rank, cid in enumerate(exact):
            # Named articles come first, in document order.
            scores[cid] = top_score + 1.0 + (len(exact) - rank) * 1e-3
            parts.setdefault(cid, {})["exact"] = 1.0
        order = exact + [cid for cid in order if cid not in exact]
        focus = {cid: self._named_part(chunk_map[cid], plan.articles) for cid in exact}
        hits: list[Hit] = []
        for cid in order:
            if len(hits) >= query.k:
                break
            if cid in chunk_map and chunk_map[cid].doc_id in metas:
                hits.append(self._hit(chunk_map[cid], metas, scores[cid], parts.get(cid, {}), ranking.text,
                                      focus.get(cid)))
        return hits, plan

    def _keyword(self, text: str, k: int, accent_free: bool, allowed: set[str] | None) -> list[tuple[str, float]]:
        return self.index.keyword.search(index_tokens(text), ascii_tokens(text), k, use_ascii=accent_free,
                                         allowed=allowed)

    def _dense(self, text: str, k: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        if doc_ids is not None and not doc_ids:
            return []
        vector = self.index.embedder.embed_query(text)
        return self.index.dense_search(vector, k, doc_ids)

    @staticmethod
    def _filter_docs(query: Query, metas: dict[str, DocumentMeta]) -> set[str] | None:
        if not (query.doc_ids or query.doc_types or query.issuer or query.date_from or query.date_to):
            return None
        allowed = set()
        wanted_types = {search_key(t) for t in query.doc_types}
        for meta in metas.values():
            if query.doc_ids and meta.doc_id not in query.doc_ids:
                continue
            if wanted_types and search_key(meta.doc_type) not in wanted_types and meta.type_code.lower() not in {
                    t.lower() for t in query.doc_types}:
                continue
            if query.issuer and strip_accents(query.issuer) not in strip_accents(meta.issuer):
                continue
            if query.date_from and (not meta.date or meta.date < query.date_from):
                continue
            if query.date_to and (not meta.date or meta.date > query.date_to):
                continue
            allowed.add(meta.doc_id)
        return allowed

    @staticmethod
    def _exact_articles(refs: list[ArticleRef], chunk_map: dict[str, Chunk],
                        allowed_docs: set[str] | None) -> list[str]:
        out: list[str] = []
        for ref in refs:
            docs = set(ref.doc_ids) or allowed_docs
            if not docs:
                continue  # an article number alone, with no document, is too ambiguous to force
            matches = [c for c in chunk_map.values() if c.doc_id in docs and c.article == ref.article]
            if ref.clause:
                narrowed = [c for c in matches if c.clause == ref.clause
                            or any(p.clause == ref.clause for p in c.parts)]
                matches = narrowed or matches
            if ref.point:
                narrowed = [c for c in matches if c.point == ref.point or any(p.point == ref.point for p in c.parts)]
                matches = narrowed or matches
            matches.sort(key=lambda c: (c.doc_id, c.ordinal))
            out.extend(c.chunk_id for c in matches if c.chunk_id not in out)
        return out

    @staticmethod
    def _named_part(chunk: Chunk, refs: list[ArticleRef]) -> ChunkPart | None:
        for ref in refs:
            if ref.article != chunk.article or not ref.clause:
                continue
            for part in sorted(chunk.parts, key=lambda p: -p.depth):
                if part.clause == ref.clause and (not ref.point or part.point == ref.point):
                    return part
        return None

    def _hit(self, chunk: Chunk, metas: dict[str, DocumentMeta], score: float, parts: dict[str, float],
             question: str = "", part: ChunkPart | None = None) -> Hit:
        meta = metas[chunk.doc_id]
        part = part or (best_part(chunk, question) if question else None)
        return Hit.from_chunk(chunk, meta, score, scores=parts, part=part)
