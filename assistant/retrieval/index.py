"""One searchable collection: catalog + vectors + keyword index."""

from __future__ import annotations

from pathlib import Path

from assistant.embeddings.base import Embedder
from assistant.ingest.model import Chunk, DocumentMeta
from assistant.retrieval.catalog import Catalog
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.vectors import VectorStore
from assistant.settings import Settings
from assistant.text.vietnamese import ascii_tokens, index_tokens


def passage(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: heading context, then the text."""
    return f"{chunk.context}\n{chunk.text}"


def chunk_tokens(chunk: Chunk) -> tuple[str, str]:
    """(keyword tokens, accent-free tokens) for a chunk, space-joined."""
    text = passage(chunk)
    return " ".join(index_tokens(text)), " ".join(ascii_tokens(text))

# Bump when keyword tokenisation changes: stored tokens are then recomputed.
TOKENIZER_VERSION = "2"
SHARED = "shared"
RESTRICTED = "restricted"


class Index:
    """The shared collection, or the restricted one for secret-marked documents.

    Each collection has its own catalog file and Chroma collection, so a
    restricted document never shares storage with the shared index.
    """

    def __init__(self, settings: Settings, embedder: Embedder, collection: str = SHARED) -> None:
        self.collection = collection
        self.root: Path = settings.index_dir / collection
        self.catalog = Catalog(self.root / "catalog.sqlite3")
        chroma_name = settings.store.collection if collection == SHARED else settings.store.restricted_collection
        self.vectors = VectorStore(settings.store, self.root / "chroma", chroma_name, embedder)
        self.keyword = KeywordIndex(self._keyword_rows, self.catalog.generation)
        self.embedder = embedder
        self._meta_cache: tuple[int, dict[str, DocumentMeta]] | None = None
        self._chunk_cache: tuple[int, dict[str, Chunk]] | None = None

    def _keyword_rows(self) -> list[tuple[str, str, str]]:
        version = self.catalog.get_state("tokenizer_version")
        if version != TOKENIZER_VERSION:
            if version is not None or self.catalog.stats()["chunks"]:
                self.catalog.retokenize(chunk_tokens)
            self.catalog.set_state("tokenizer_version", TOKENIZER_VERSION)
        return self.catalog.chunk_tokens(self.collection)

    def exists(self) -> bool:
        return (self.root / "catalog.sqlite3").exists()

    def metas(self) -> dict[str, DocumentMeta]:
        generation = self.catalog.generation()
        if self._meta_cache is None or self._meta_cache[0] != generation:
            self._meta_cache = (generation, {m.doc_id: m for m in self.catalog.documents()})
        return self._meta_cache[1]

    def chunk_map(self) -> dict[str, Chunk]:
        generation = self.catalog.generation()
        if self._chunk_cache is None or self._chunk_cache[0] != generation:
            self._chunk_cache = (generation, {c.chunk_id: c for c in self.catalog.chunks()})
        return self._chunk_cache[1]

    def remove(self, doc_id: str) -> bool:
        existed, old = self.catalog.remove_document(doc_id)
        if old:
            self.vectors.delete(old)
        return existed

    def collect_garbage(self) -> int:
        """Delete vectors whose chunk is not in the catalog (left by an interrupted run)."""
        known = self.catalog.chunk_ids()
        stored = self.vectors.all_ids()
        orphans = sorted(stored - known)
        if orphans:
            self.vectors.delete(orphans)
        return len(orphans)

    def close(self) -> None:
        self.catalog.close()
