"""Hybrid search: BM25 + dense vectors, fused by weighted reciprocal rank.

Query understanding steers retrieval: a question that names a document
("Nghị quyết 57", "theo Luật Viên chức") is restricted to it, and a named
article ("Điều 5 khoản 2") is looked up exactly and put first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.records import Chunk, ChunkPart, DocumentMeta, Hit
from assistant.retrieval.index import Index
from assistant.settings import RetrievalSettings
from assistant.text.overlap import coverage
from assistant.text.references import TITLE_NAMED_TYPES
from assistant.text.vietnamese import ascii_tokens, has_diacritics, index_tokens, search_key, strip_accents


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
    articles: list[ArticleRef] = field(default_factory=list)
    accent_free: bool = False


TITLE_NAMED = {search_key(t) for t in TITLE_NAMED_TYPES}
PREAMBLE_FACTOR = 0.6


def query_text(item: dict[str, Any]) -> str:
    """Search text for a question record: the question plus its answer choices, if any.

    A multiple-choice question often says little by itself ("Hành vi nào sau
    đây bị cấm?"); its options carry the words of the article.
    """
    question = str(item.get("question", ""))
    choices = item.get("choices") or {}
    values = choices.values() if isinstance(choices, dict) else choices
    extra = " ".join(str(v) for v in values if v)
    return f"{question} {extra}".strip() if extra else question


def _number_key(number: str) -> str:
    return strip_accents(number).upper().replace(" ", "")


class Searcher:
    """Hybrid keyword + dense search over one index, steered by the documents and articles a query names."""

    def __init__(self, index: Index, settings: RetrievalSettings) -> None:
        self.index = index
        self.settings = settings

    # -- query understanding -------------------------------------------------
    def resolve_documents(self, text: str, metas: dict[str, DocumentMeta]) -> tuple[list[str], list[ArticleRef]]:
        """The documents and articles ``text`` names, matched against the indexed documents."""
        from assistant.text.references import parse_query_refs

        named: list[str] = []
        articles: list[ArticleRef] = []
        titles = sorted({m.title for m in metas.values() if m.title and search_key(m.doc_type) in TITLE_NAMED})
        for ref in parse_query_refs(text, known_titles=titles):
            doc_ids = self._match_ref(ref, metas)
            named.extend(d for d in doc_ids if d not in named)
            if ref.article:
                articles.append(ArticleRef(doc_ids, ref.article, ref.clause or "", ref.point or ""))
        return named, articles

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
    def search(self, query: Query) -> tuple[list[Hit], QueryPlan]:
        """The best hits for ``query``, best first, and what the search understood of it."""
        metas = self.index.metas()
        plan = QueryPlan(accent_free=not has_diacritics(query.text))
        allowed_docs = self._filter_docs(query, metas)
        if query.steer:
            named, plan.articles = self.resolve_documents(query.text, metas)
            plan.named_docs = named
            if named and not query.doc_ids:
                steered = [d for d in named if allowed_docs is None or d in allowed_docs]
                allowed_docs = set(steered) if steered else allowed_docs
        chunk_map = self.index.chunk_map()
        allowed_chunks = None
        if allowed_docs is not None:
            allowed_chunks = {cid for cid, c in chunk_map.items() if c.doc_id in allowed_docs}

        candidates = max(self.settings.candidates, query.k)
        fused: dict[str, float] = {}
        parts: dict[str, dict[str, float]] = {}
        keyword = self.index.keyword.search(index_tokens(query.text), ascii_tokens(query.text), candidates,
                                            use_ascii=plan.accent_free, allowed=allowed_chunks)
        self._fuse(fused, parts, keyword, self.settings.bm25_weight, "bm25")
        use_dense = self.settings.dense_weight > 0 or (self.settings.dense_fallback and len(keyword) < query.k)
        if use_dense and chunk_map:
            dense = self._dense(query.text, candidates, sorted(allowed_docs) if allowed_docs is not None else None)
            dense = [(cid, s) for cid, s in dense if cid in chunk_map]
            # Without a fusion weight, vectors only fill the places keywords left empty.
            weight = self.settings.dense_weight or 1e-3
            self._fuse(fused, parts, dense, weight, "dense")

        for cid in fused:
            chunk = chunk_map.get(cid)
            if chunk is not None and chunk.ordinal == 0 and not (chunk.article or chunk.section or chunk.clause):
                # The header block (bodies, number, date, title) matches many questions by its words
                # but rarely answers them; it still wins when nothing else matches.
                fused[cid] *= PREAMBLE_FACTOR
        exact = self._exact_articles(plan.articles, chunk_map, allowed_docs)
        top_score = max(fused.values(), default=0.0)
        for rank, cid in enumerate(exact):
            # Named articles come first, in document order.
            fused[cid] = top_score + 1.0 + (len(exact) - rank) * 1e-3
            parts.setdefault(cid, {})["exact"] = 1.0

        ranked = sorted(fused, key=lambda cid: (-fused[cid], cid))[: max(query.k, 1) * 3]
        focus = {cid: self._named_part(chunk_map[cid], plan.articles) for cid in exact}
        hits = [self._hit(chunk_map[cid], metas, fused[cid], parts.get(cid, {}), query.text, focus.get(cid))
                for cid in ranked if cid in chunk_map and chunk_map[cid].doc_id in metas]
        return hits[: query.k], plan

    def _dense(self, text: str, k: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        if doc_ids is not None and not doc_ids:
            return []
        vector = self.index.embedder.embed_query(text)
        return self.index.vectors.query(vector, k, doc_ids)

    def _fuse(self, fused: dict[str, float], parts: dict[str, dict[str, float]], ranking: list[tuple[str, float]],
              weight: float, name: str) -> None:
        for rank, (cid, score) in enumerate(ranking):
            fused[cid] = fused.get(cid, 0.0) + weight / (self.settings.rrf_k + rank + 1)
            parts.setdefault(cid, {})[name] = round(score, 4)

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

    @staticmethod
    def _best_part(chunk: Chunk, question: str) -> ChunkPart | None:
        """The clause or point of a whole-article chunk that matches the question best."""
        if not chunk.parts:
            return None
        offset = chunk.start
        scored = [(coverage(question, chunk.text[p.start - offset:p.end - offset]), p.depth, -(p.end - p.start), p)
                  for p in chunk.parts]
        best = max(scored, key=lambda s: (s[0], s[1], s[2]))
        if best[0] <= 0:
            return None
        # A part that ties with another part at the same depth is no clear answer.
        rivals = [s for s in scored if s[0] == best[0] and s[1] == best[1] and s[3] is not best[3]]
        return None if rivals else best[3]

    def _hit(self, chunk: Chunk, metas: dict[str, DocumentMeta], score: float, parts: dict[str, float],
             question: str = "", part: ChunkPart | None = None) -> Hit:
        meta = metas[chunk.doc_id]
        part = part or (self._best_part(chunk, question) if question else None)
        return Hit.from_chunk(chunk, meta, score, scores=parts, part=part)
