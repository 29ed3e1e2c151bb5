"""What one cell searches: its own collection plus the shared one, never another cell's.

On a provincial installation every cell's documents live in their own
collection (catalog and Chroma collection); documents for everyone live in the
shared one. :class:`ScopedIndex` reads several collections as one index, with
the read interface search uses (``metas``, ``chunk_map``, ``keyword``,
``embedder``, ``dense_search``), so the searcher needs no notion of cells and
can never reach a collection outside its scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.records import Chunk, DocumentMeta
from assistant.retrieval.index import Index
from assistant.retrieval.keyword import KeywordIndex


class ScopedIndex:
    """Several collections searched as one; the first listed wins a document id present in two."""

    def __init__(self, indexes: list[Index]) -> None:
        if not indexes:
            raise ValueError("a scope needs at least one collection")
        self.indexes = indexes
        self.embedder = indexes[0].embedder
        self.collection = "+".join(i.collection for i in indexes)
        self.keyword = KeywordIndex(self._keyword_rows, self._generation)

    def _generation(self) -> tuple[int, ...]:
        return tuple(i.catalog.generation() if i.exists() else -1 for i in self.indexes)

    def _keyword_rows(self) -> list[tuple[str, str, str]]:
        rows: list[tuple[str, str, str]] = []
        for index in self.indexes:
            if index.exists():
                rows.extend(index._keyword_rows())
        return rows

    def exists(self) -> bool:
        """Whether any collection of the scope is on disk."""
        return any(i.exists() for i in self.indexes)

    def metas(self) -> dict[str, DocumentMeta]:
        """Every document of the scope by id."""
        out: dict[str, DocumentMeta] = {}
        for index in reversed(self.indexes):
            if index.exists():
                out.update(index.metas())
        return out

    def chunk_map(self) -> dict[str, Chunk]:
        """Every chunk of the scope by id."""
        out: dict[str, Chunk] = {}
        for index in reversed(self.indexes):
            if index.exists():
                out.update(index.chunk_map())
        return out

    def dense_search(self, vector: Sequence[float], k: int,
                     doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, similarity) from every collection of the scope, best first."""
        merged: list[tuple[str, float]] = []
        for index in self.indexes:
            if index.exists():
                merged.extend(index.dense_search(vector, k, doc_ids))
        merged.sort(key=lambda pair: -pair[1])
        best: dict[str, float] = {}
        for cid, score in merged:
            best.setdefault(cid, score)
        return list(best.items())

    def vector_status(self) -> dict[str, int]:
        """Dense passages of the whole scope: total, embedded, pending."""
        totals = {"passages": 0, "embedded": 0, "pending": 0}
        for index in self.indexes:
            for key, value in index.vector_status().items():
                totals[key] += value
        return totals

    def __getattr__(self, name: str) -> Any:
        # Anything else (catalog, vectors) is the scope's own collection: the first listed.
        return getattr(self.indexes[0], name)
