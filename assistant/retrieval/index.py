"""One searchable collection: catalog + keyword index + dense passage vectors.

The index owns its writes, in two steps:

1. :meth:`Index.write_document` commits a document to the catalog in one
   transaction: its chunks with their keyword tokens (BM25 and structure
   search see it at once) and its dense passages, windows of the text sized to
   the embedding model, each named by a content hash and flagged once embedded.
2. :meth:`Index.complete_vectors` embeds every passage still missing a vector,
   longest first in batches, stores the vectors and flags them; it also
   deletes the vectors of passages that replaced or removed documents dropped.

Search uses what is ready: keywords at once, vectors as they arrive. A run
killed at any point leaves a consistent catalog; the next run embeds what is
missing (vectors already stored are found and not embedded twice) and deletes
what was dropped.

Two file locks per collection (the kernel releases them when a process dies):

* the *run* lock (``vectors.lock``): one process fills a collection's vectors
  at a time, others wait for it;
* the *write* lock (``vectors-write.lock``): held for each change of the vector
  store, never while the model embeds. A run takes it per batch, to store the
  batch's vectors (only those of passages the catalog still has) and to delete
  dropped ones; :meth:`Index.remove` takes it to delete a document's vectors,
  so it waits for one batch to be stored, not for the whole run. Every vector
  stored is then either of a passage the catalog has or listed as dropped,
  whatever the order of a removal and a batch.
"""

from __future__ import annotations

import bisect
import fcntl
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from assistant.embeddings.base import Embedder
from assistant.embeddings.windows import is_anchor, pack_windows, token_offsets
from assistant.errors import ConfigError
from assistant.records import RESTRICTED, SHARED, Chunk, DocumentMeta, SourceEntry
from assistant.retrieval.catalog import Catalog, Passage
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.vectors import VECTOR_LAYOUT, VectorStore, vector_metadata
from assistant.settings import Settings
from assistant.text.vietnamese import ascii_tokens, index_tokens

__all__ = ["CELL_PREFIX", "RESTRICTED", "SHARED", "TOKENIZER_VERSION", "Index", "cell_collection", "chunk_tokens",
           "dense_passages", "passage"]

# Bump when keyword tokenisation changes: stored tokens are then recomputed.
TOKENIZER_VERSION = "2"
# Passages embedded per step: each step stores its vectors and flags them, so a kill loses at most one step.
EMBED_GROUP = 128
# [CLS] and [SEP], plus a little room for a window whose text tokenises slightly longer on its own.
SPECIAL_TOKENS = 4
CELL_PREFIX = "cell-"

Progress = Callable[[int, int], None]


def cell_collection(cell_id: str) -> str:
    """The collection name of one cell's own documents."""
    return f"{CELL_PREFIX}{cell_id}"


def passage(chunk: Chunk) -> str:
    """What is keyword-indexed for a chunk: heading context, then the text."""
    return f"{chunk.context}\n{chunk.text}"


def chunk_tokens(chunk: Chunk) -> tuple[str, str]:
    """(keyword tokens, accent-free tokens) for a chunk, space-joined."""
    text = passage(chunk)
    return " ".join(index_tokens(text)), " ".join(ascii_tokens(text))


def dense_passages(embedder: Any, doc_id: str, text: str, chunks: list[Chunk]) -> list[Passage]:
    """The document cut into model-sized windows covering all its text once, each mapped to the chunks it overlaps."""
    offsets = token_offsets(embedder, text)
    ordered = sorted(chunks, key=lambda c: (c.start, c.end))
    cuts = sorted({c.start for c in ordered} | {c.end for c in ordered})
    anchors = [c.start for c in ordered if is_anchor(c.text)]
    budget = max(int(embedder.max_tokens) - SPECIAL_TOKENS, 8)
    windows = pack_windows(text, offsets, cuts, anchors, budget)
    token_starts = [s for s, _ in offsets]
    chunk_starts = [c.start for c in ordered]
    out: list[Passage] = []
    seen: dict[str, int] = {}
    for ordinal, (start, end) in enumerate(windows):
        covered = [c for c in ordered[:bisect.bisect_left(chunk_starts, end)] if c.end > start]
        covered.sort(key=lambda c: -(min(c.end, end) - max(c.start, start)))
        if not covered and ordered:
            # Only heading lines (context, not a chunk): a hit there cites the unit that follows them.
            after = bisect.bisect_left(chunk_starts, end)
            covered = [ordered[min(after, len(ordered) - 1)]]
        digest = _digest(text[start:end])
        seen[digest] = seen.get(digest, 0) + 1
        suffix = f"~{seen[digest]}" if seen[digest] > 1 else ""
        tokens = bisect.bisect_left(token_starts, end) - bisect.bisect_left(token_starts, start)
        out.append(Passage(f"{doc_id}#{digest}{suffix}", doc_id, ordinal, start, end, tokens,
                           tuple(c.chunk_id for c in covered)))
    return out


def _digest(window: str) -> str:
    return hashlib.blake2b(window.encode("utf-8"), digest_size=8).hexdigest()


def _matches(passage: Passage, window: str) -> bool:
    """Whether ``window`` is the text the passage id was made from (a document replaced meanwhile moves it)."""
    return passage.passage_id.rsplit("#", 1)[-1].split("~")[0] == _digest(window)


def _location(settings: Settings, collection: str) -> tuple[Path, str]:
    """(local folder, Chroma collection name) of a collection."""
    if collection == SHARED:
        return settings.store.shared_dir or settings.index_dir / SHARED, settings.store.collection
    if collection == RESTRICTED:
        return settings.index_dir / RESTRICTED, settings.store.restricted_collection
    if collection.startswith(CELL_PREFIX):
        cell = collection[len(CELL_PREFIX):]
        return settings.index_dir / "cells" / cell, f"{settings.store.collection}_cell_{cell}"
    raise ValueError(f"unknown collection {collection!r}")


class Index:
    """The shared collection, a cell's own, or the restricted one for secret-marked documents.

    Each collection has its own catalog file and Chroma collection, so a
    restricted document never shares storage with the shared index, and a
    cell's documents never share one with another cell's.
    Implements :class:`assistant.records.DocumentIndex` for ingest.
    """

    def __init__(self, settings: Settings, embedder: Embedder, collection: str = SHARED) -> None:
        self.collection = collection
        self.root, chroma_name = _location(settings, collection)
        self.catalog = Catalog(self.root / "catalog.sqlite3")
        self.vectors = VectorStore(settings.store, self.root / "chroma", chroma_name, embedder)
        self.keyword = KeywordIndex(self._keyword_rows, self.catalog.generation)
        self.embedder = embedder
        self._remote = settings.store.mode == "http"
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

    def vector_status(self) -> dict[str, int]:
        """Dense passages of this collection: total, with a vector, still pending."""
        if not self.exists():
            return {"passages": 0, "embedded": 0, "pending": 0}
        total, embedded = self.catalog.vector_counts()
        return {"passages": total, "embedded": embedded, "pending": total - embedded}

    def pending_vectors(self) -> int:
        """Vector work left: passages without a vector (all of them after a model change) plus dropped vectors."""
        if not self.exists():
            return 0
        total, embedded = self.catalog.vector_counts()
        pending = total if total and not self._vectors_current() else total - embedded
        return pending + len(self.catalog.dropped_ids())

    def vector_worker_running(self) -> bool:
        """Whether a process (this one included) is filling this collection's vectors right now."""
        lock = self.root / "vectors.lock"
        if not lock.exists():
            return False
        with lock.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
        return False

    def dense_search(self, vector: Sequence[float], k: int,
                     doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the chunks under the ``k`` nearest passages, best first.

        A passage covering several chunks gives each its score, the chunk it
        overlaps most first. Empty while no vector of the current model is stored.
        """
        if not self._vectors_current() or self.catalog.vector_counts()[1] == 0:
            return []
        found = self.vectors.query(vector, k, doc_ids)
        covers = self.catalog.passage_chunks([pid for pid, _ in found])
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        for pid, score in found:
            for chunk_id in covers.get(pid, ()):
                if chunk_id not in seen:
                    seen.add(chunk_id)
                    out.append((chunk_id, score))
        return out

    # -- writes --------------------------------------------------------------
    def write_document(self, meta: DocumentMeta, text: str, chunks: list[Chunk], *,
                       pipeline_version: str = "") -> tuple[int, int]:
        """Commit a document, its chunks and dense passages; (passages, passages whose vector is kept).

        Keyword and structure search see the document as soon as this returns;
        its new passages wait for :meth:`complete_vectors`.
        """
        if self.catalog.get_state("tokenizer_version") is None and not self.catalog.stats()["chunks"]:
            # A new catalog: its tokens are of this version (else the first search would redo them all).
            self.catalog.set_state("tokenizer_version", TOKENIZER_VERSION)
        passages = dense_passages(self.embedder, meta.doc_id, text, chunks)
        pairs = [chunk_tokens(c) for c in chunks]
        reused = self.catalog.replace_document(meta, text, chunks, [p[0] for p in pairs], [p[1] for p in pairs],
                                               pipeline_version, passages)
        return len(passages), reused

    def complete_vectors(self, progress: Progress | None = None) -> int:
        """Embed and store every passage still missing a vector, delete dropped ones; how many were embedded.

        ``progress(done, total)`` follows the embedding. Waits while another
        process fills this collection's vectors; removals and ingests meanwhile
        wait at most for one batch to be stored (see the module docstring).
        """
        with self._lock("vectors.lock"):
            with self._writer_lock():
                self._prepare_vectors()
                self._delete_dropped()
            embedded = 0
            recovered = False
            while True:
                pending = self.catalog.pending_passages()
                if not recovered:
                    # After a crash some of these may be stored already: flag them instead of embedding twice.
                    self._flag_stored(pending)
                    pending = self.catalog.pending_passages()
                    recovered = True
                if not pending:
                    break
                total = embedded + len(pending)
                texts: dict[str, str] = {}
                round_start = embedded
                for start in range(0, len(pending), EMBED_GROUP):
                    group = pending[start:start + EMBED_GROUP]
                    for p in group:
                        if p.doc_id not in texts:
                            texts[p.doc_id] = self.catalog.document_text(p.doc_id) or ""
                    # Another process may have replaced a document since the list was read: embed only text that
                    # still is what its id says; the rest is read again in the next round.
                    pairs = [(p, texts[p.doc_id][p.start:p.end]) for p in group]
                    pairs = [(p, w) for p, w in pairs if _matches(p, w)]
                    if not pairs:
                        continue
                    vectors = self.embedder.embed_documents([w for _, w in pairs])  # the slow part: no lock held
                    embedded += self._store([p for p, _ in pairs], vectors)
                    if progress is not None:
                        progress(embedded, total)
                if embedded == round_start:
                    break  # nothing embeddable is left (never loop on passages that cannot be read)
            with self._writer_lock():
                self._delete_dropped()
        return embedded

    def _flag_stored(self, pending: list[Passage]) -> None:
        """Flag the pending passages whose vector a killed run stored but did not flag."""
        if not pending:
            return
        with self._writer_lock():
            present = self.vectors.existing([p.passage_id for p in pending])
            if present:
                self.catalog.mark_embedded(present)

    def _store(self, passages: list[Passage], vectors: Sequence[Sequence[float]]) -> int:
        """Store and flag one batch's vectors, only of passages the catalog still has; how many.

        Under the write lock: a document removed while the batch was embedded
        either lost its passages before the check (they are skipped) or after
        it (their ids are listed as dropped, and the remover deletes them once
        this batch releases the lock).
        """
        with self._writer_lock():
            known = self.catalog.passage_chunks([p.passage_id for p in passages])
            kept = [(p, v) for p, v in zip(passages, vectors, strict=True) if p.passage_id in known]
            if kept:
                ids = [p.passage_id for p, _ in kept]
                self.vectors.upsert(ids, [v for _, v in kept], [vector_metadata(p.doc_id) for p, _ in kept])
                self.catalog.mark_embedded(ids)
            self._delete_dropped()  # removals of documents during the run, their vectors gone as they go
        return len(kept)

    def update_metas(self, metas: list[DocumentMeta]) -> None:
        """Rewrite document metadata only (e.g. superseded marks)."""
        self.catalog.update_metas(metas)

    def remove(self, doc_id: str) -> bool:
        """Delete a document and its vectors; False when there was none.

        Search stops finding it at once (one catalog transaction). Its vectors
        are deleted under the write lock: during a vector run that waits for the
        batch being stored, never for the run.
        """
        existed = self.catalog.remove_document(doc_id)
        if existed and self._vectors_current():
            with self._writer_lock():
                self._delete_dropped()
        return existed

    def collect_garbage(self, full: bool = False) -> int:
        """Delete the vectors of dropped passages; with ``full``, also any vector the catalog does not know."""
        with self._writer_lock():
            removed = self._delete_dropped()
            if full:
                orphans = sorted(self.vectors.all_ids() - self.catalog.passage_ids())
                self.vectors.delete(orphans)
                removed += len(orphans)
        return removed

    def reset_vectors(self) -> None:
        """Drop every stored vector; the next :meth:`complete_vectors` re-embeds the whole collection."""
        with self._lock("vectors.lock"), self._writer_lock():
            self.vectors.reset()
            self.catalog.reset_embedded()
            self.catalog.set_state("vector_layout", VECTOR_LAYOUT)
            self.catalog.set_state("vector_model", self.embedder.model_id)

    def close(self) -> None:
        """Close the catalog connection of this thread."""
        self.catalog.close()

    # -- vector housekeeping -------------------------------------------------
    def _vectors_current(self) -> bool:
        """Whether stored vectors are of this layout and model (else they are rebuilt, not searched)."""
        return (self.catalog.get_state("vector_layout") == VECTOR_LAYOUT
                and self.catalog.get_state("vector_model") == self.embedder.model_id)

    def _prepare_vectors(self) -> None:
        """A new model or an older vector layout: empty the store so every passage is embedded again.

        On a shared server a worker configured with another model must not wipe everyone's vectors: it stops
        with the command that rebuilds them on purpose.
        """
        if self._vectors_current():
            return
        stored = self.catalog.get_state("vector_model")
        if self._remote and stored and stored != self.embedder.model_id:
            raise ConfigError(
                f"Vector trên máy chủ được tạo bằng mô hình nhúng '{stored}', nay cấu hình là "
                f"'{self.embedder.model_id}'",
                hint="dùng cùng embedding.backend/model/runtime cho mọi worker, hoặc 'chibo ingest --rebuild'")
        self.vectors.reset()
        self.catalog.reset_embedded()
        self.catalog.set_state("vector_layout", VECTOR_LAYOUT)
        self.catalog.set_state("vector_model", self.embedder.model_id)

    def _delete_dropped(self) -> int:
        dropped = self.catalog.dropped_ids()
        if dropped:
            self.vectors.delete(dropped)
            self.catalog.clear_dropped(dropped)
        return len(dropped)

    def _writer_lock(self) -> AbstractContextManager[None]:
        """The write lock: held while the vector store changes, never while the model embeds."""
        return self._lock("vectors-write.lock")

    @contextmanager
    def _lock(self, name: str) -> Iterator[None]:
        """An exclusive file lock of this collection (released by the kernel if the process dies).

        ``vectors.lock`` is taken before ``vectors-write.lock``, never after it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / name).open("a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
