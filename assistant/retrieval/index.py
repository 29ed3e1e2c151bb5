"""One searchable collection: catalog + vectors + keyword index.

The index owns its writes: ingest hands over a document's metadata, text and
chunks (:meth:`Index.write_document`) and the index embeds, stores and
replaces. Vectors are written before the catalog commits and under ids that
include the content hash, so a run killed at any point leaves the previous
version searchable and the next run completes the work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.embeddings.base import Embedder
from assistant.records import RESTRICTED, SHARED, Chunk, DocumentMeta, SourceEntry
from assistant.retrieval.catalog import Catalog
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.vectors import VectorStore, vector_metadata
from assistant.settings import Settings
from assistant.text.vietnamese import ascii_tokens, index_tokens

__all__ = ["RESTRICTED", "SHARED", "TOKENIZER_VERSION", "Index", "chunk_tokens", "passage"]

# Bump when keyword tokenisation changes: stored tokens are then recomputed.
TOKENIZER_VERSION = "2"
EMBED_BATCH = 32


def passage(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: heading context, then the text."""
    return f"{chunk.context}\n{chunk.text}"


def chunk_tokens(chunk: Chunk) -> tuple[str, str]:
    """(keyword tokens, accent-free tokens) for a chunk, space-joined."""
    text = passage(chunk)
    return " ".join(index_tokens(text)), " ".join(ascii_tokens(text))


class Index:
    """The shared collection, or the restricted one for secret-marked documents.

    Each collection has its own catalog file and Chroma collection, so a
    restricted document never shares storage with the shared index.
    Implements :class:`assistant.records.DocumentIndex` for ingest.
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

    # -- reads ---------------------------------------------------------------
    def exists(self) -> bool:
        """Whether this collection has a catalog on disk."""
        return (self.root / "catalog.sqlite3").exists()

    def metas(self) -> dict[str, DocumentMeta]:
        """Every document's metadata by id, cached until the catalog changes."""
        generation = self.catalog.generation()
        if self._meta_cache is None or self._meta_cache[0] != generation:
            self._meta_cache = (generation, {m.doc_id: m for m in self.catalog.documents()})
        return self._meta_cache[1]

    def chunk_map(self) -> dict[str, Chunk]:
        """Every chunk by id, cached until the catalog changes."""
        generation = self.catalog.generation()
        if self._chunk_cache is None or self._chunk_cache[0] != generation:
            self._chunk_cache = (generation, {c.chunk_id: c for c in self.catalog.chunks()})
        return self._chunk_cache[1]

    def document(self, doc_id: str) -> DocumentMeta | None:
        """One document's metadata, or None."""
        return self.catalog.document(doc_id)

    def documents(self) -> list[DocumentMeta]:
        """Every document's metadata in id order."""
        return self.catalog.documents()

    def source_entry(self, source_path: str) -> SourceEntry | None:
        """The document ingested from ``source_path``, its content hash and pipeline version, if any."""
        return self.catalog.source_entry(source_path)

    def find_by_hash(self, content_hash: str) -> str | None:
        """The id of a document with these file bytes, if any."""
        return self.catalog.find_by_hash(content_hash)

    def manifest(self) -> dict[str, SourceEntry]:
        """source path -> (doc_id, content hash, pipeline version) of every document."""
        return self.catalog.manifest()

    # -- writes --------------------------------------------------------------
    def write_document(self, meta: DocumentMeta, text: str, chunks: list[Chunk], *, pipeline_version: str = "",
                       progress: Callable[[int, int], None] | None = None) -> None:
        """Store a document: embed the passages not yet in the vector store, commit the catalog, drop replaced vectors.

        ``progress(done, total)`` follows the embedding; ``pipeline_version`` is stamped in the catalog.
        """
        passages = [passage(c) for c in chunks]
        ids = [c.chunk_id for c in chunks]
        # After a crash the vectors of this very version may already be stored.
        present = self.vectors.existing(ids)
        todo = [i for i, cid in enumerate(ids) if cid not in present]
        vectors: list[list[float]] = []
        for start in range(0, len(todo), EMBED_BATCH):
            part = todo[start:start + EMBED_BATCH]
            vectors.extend(self.embedder.embed_documents([passages[i] for i in part]))
            if progress is not None:
                progress(min(start + EMBED_BATCH, len(todo)), len(todo))
        self.vectors.upsert(
            [ids[i] for i in todo], vectors,
            [vector_metadata(chunks[i], meta) for i in todo],
            [chunks[i].text for i in todo],
        )
        pairs = [chunk_tokens(c) for c in chunks]
        replaced = self.catalog.replace_document(meta, text, chunks, [p[0] for p in pairs], [p[1] for p in pairs],
                                                 pipeline_version)
        if replaced:
            self.vectors.delete(replaced)

    def update_metas(self, metas: list[DocumentMeta]) -> None:
        """Rewrite document metadata only (e.g. superseded marks)."""
        self.catalog.update_metas(metas)

    def remove(self, doc_id: str) -> bool:
        """Delete a document and its vectors; False when there was none."""
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
        """Close the catalog connection of this thread."""
        self.catalog.close()
