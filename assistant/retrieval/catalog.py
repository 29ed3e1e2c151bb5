"""The catalog: SQLite source of truth for documents, chunks and the manifest.

Vector and keyword indexes are derived from it. Each document is replaced in
one transaction, so a process killed at any moment leaves either the old or
the new version, never half of one. The document's dense passages (windows
embedded for vector search) are listed with it, each flagged once its vector
is stored; the vectors of passages a replacement or removal dropped are listed
in ``dropped`` in the same transaction and deleted from the vector store later,
so no vector is ever left behind by a crash.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.records import Chunk, DocumentMeta, SourceEntry

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    collection TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source_path TEXT NOT NULL,
    meta_json TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at REAL NOT NULL,
    pipeline_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    tokens TEXT NOT NULL,
    ascii_tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    passage_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    chunk_ids TEXT NOT NULL,
    embedded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE INDEX IF NOT EXISTS passages_pending ON passages(embedded);
CREATE TABLE IF NOT EXISTS dropped (passage_id TEXT PRIMARY KEY);
"""


@dataclass(frozen=True)
class Passage:
    """A dense passage: ``text[start:end]`` of a document, embedded as one vector, covering ``chunk_ids``."""

    passage_id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    tokens: int
    chunk_ids: tuple[str, ...]


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a catalog written by an older version up to the current schema."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    if "pipeline_version" not in columns:
        # Documents stamped with no version count as outdated: the next ingest re-indexes them.
        try:
            with conn:
                conn.execute("ALTER TABLE documents ADD COLUMN pipeline_version TEXT NOT NULL DEFAULT ''")
        except sqlite3.OperationalError as exc:
            if "duplicate column" not in str(exc):  # another process migrated it first
                raise


class Catalog:
    """The SQLite file of one collection: documents, chunks with keyword tokens, and state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(SCHEMA)
            _migrate(conn)
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on this thread's connection."""
        conn = self._conn()
        with conn:
            yield conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- generation: bumps on every change so derived indexes know to reload --
    def generation(self) -> int:
        """A counter bumped by every change, so derived indexes know to reload."""
        row = self._conn().execute("SELECT value FROM state WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO state(key, value) VALUES('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # -- writes --------------------------------------------------------------
    def replace_document(self, meta: DocumentMeta, text: str, chunks: list[Chunk],
                         tokens: list[str], ascii_tokens: list[str], pipeline_version: str = "",
                         passages: Sequence[Passage] = ()) -> int:
        """Store a document, its chunks and dense passages atomically; how many passages kept their vector.

        A passage whose id (a content hash) the previous version had keeps its
        embedded flag; the ids the new version no longer has go to ``dropped``.
        ``pipeline_version`` stamps which ingest pipeline produced the chunks.
        """
        with self.transaction() as conn:
            before = dict(conn.execute("SELECT passage_id, embedded FROM passages WHERE doc_id=?", (meta.doc_id,)))
            new_ids = {p.passage_id for p in passages}
            conn.executemany("INSERT OR IGNORE INTO dropped VALUES (?)",
                             [(pid,) for pid in before if pid not in new_ids])
            conn.executemany("DELETE FROM dropped WHERE passage_id=?", [(pid,) for pid in new_ids])
            conn.execute("DELETE FROM passages WHERE doc_id=?", (meta.doc_id,))
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (meta.doc_id,))
            conn.execute("DELETE FROM documents WHERE doc_id=?", (meta.doc_id,))
            conn.execute(
                "INSERT INTO documents (doc_id, collection, content_hash, source_path, meta_json, text, "
                "ingested_at, pipeline_version) VALUES (?,?,?,?,?,?,?,?)",
                (meta.doc_id, meta.collection, meta.content_hash, meta.source_path,
                 json.dumps(meta.to_dict(), ensure_ascii=False), text, time.time(), pipeline_version),
            )
            conn.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, meta.collection, c.ordinal, json.dumps(c.to_dict(), ensure_ascii=False),
                  tok, atok) for c, tok, atok in zip(chunks, tokens, ascii_tokens, strict=True)],
            )
            conn.executemany(
                "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?)",
                [(p.passage_id, meta.doc_id, meta.collection, p.ordinal, p.start, p.end, p.tokens,
                  json.dumps(list(p.chunk_ids), ensure_ascii=False), before.get(p.passage_id, 0))
                 for p in passages],
            )
            self._bump(conn)
        return sum(1 for p in passages if before.get(p.passage_id, 0))

    def remove_document(self, doc_id: str) -> bool:
        """Delete a document, listing its passages' vectors as dropped; whether it existed."""
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO dropped SELECT passage_id FROM passages WHERE doc_id=?", (doc_id,))
            conn.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            deleted = conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,)).rowcount
            if deleted:
                self._bump(conn)
        return bool(deleted)

    # -- dense passages: flags change without bumping the generation, so search caches stay warm --
    def pending_passages(self, limit: int = 0) -> list[Passage]:
        """Passages whose vector is not stored yet, longest first (length-sorted batches pad little)."""
        sql = ("SELECT passage_id, doc_id, ordinal, span_start, span_end, tokens, chunk_ids FROM passages "
               "WHERE embedded=0 ORDER BY tokens DESC, passage_id")
        rows = self._conn().execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [Passage(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6]))) for r in rows]

    def mark_embedded(self, passage_ids: Iterable[str], embedded: bool = True) -> None:
        """Flag passages as having (or not having) their vector stored."""
        with self.transaction() as conn:
            conn.executemany("UPDATE passages SET embedded=? WHERE passage_id=?",
                             [(int(embedded), pid) for pid in passage_ids])

    def reset_embedded(self) -> None:
        """Every passage needs its vector again (the vector store was emptied)."""
        with self.transaction() as conn:
            conn.execute("UPDATE passages SET embedded=0")
            conn.execute("DELETE FROM dropped")

    def passage_chunks(self, passage_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The chunk ids each of these passages covers (unknown ids are left out)."""
        out: dict[str, tuple[str, ...]] = {}
        conn = self._conn()
        for i in range(0, len(passage_ids), 500):
            part = list(passage_ids[i:i + 500])
            marks = ",".join("?" * len(part))
            for pid, chunk_ids in conn.execute(
                    f"SELECT passage_id, chunk_ids FROM passages WHERE passage_id IN ({marks})", part):
                out[pid] = tuple(json.loads(chunk_ids))
        return out

    def passage_ids(self, embedded: bool | None = None) -> set[str]:
        """Ids of stored passages, optionally only those with (or without) a vector."""
        sql = "SELECT passage_id FROM passages"
        args: tuple[int, ...] = ()
        if embedded is not None:
            sql += " WHERE embedded=?"
            args = (int(embedded),)
        return {r[0] for r in self._conn().execute(sql, args)}

    def passages(self, doc_id: str) -> list[Passage]:
        """A document's passages in text order."""
        rows = self._conn().execute("SELECT passage_id, doc_id, ordinal, span_start, span_end, tokens, chunk_ids FROM passages "
                                    "WHERE doc_id=? ORDER BY ordinal", (doc_id,))
        return [Passage(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6]))) for r in rows]

    def dropped_ids(self) -> list[str]:
        """Vector ids to delete from the vector store (their passage is gone)."""
        return [r[0] for r in self._conn().execute("SELECT passage_id FROM dropped ORDER BY passage_id")]

    def clear_dropped(self, passage_ids: Sequence[str]) -> None:
        """Forget dropped ids once their vectors are deleted."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM dropped WHERE passage_id=?", [(pid,) for pid in passage_ids])

    def vector_counts(self) -> tuple[int, int]:
        """(passages, passages with a stored vector)."""
        row = self._conn().execute("SELECT COUNT(*), COALESCE(SUM(embedded), 0) FROM passages").fetchone()
        return int(row[0]), int(row[1])

    def update_metas(self, metas: list[DocumentMeta]) -> None:
        """Rewrite metadata only (e.g. superseded marks after the link graph changes)."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE documents SET meta_json=? WHERE doc_id=?",
                [(json.dumps(m.to_dict(), ensure_ascii=False), m.doc_id) for m in metas],
            )
            self._bump(conn)

    def get_state(self, key: str) -> str | None:
        """A value of the state table (versions, counters)."""
        row = self._conn().execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_state(self, key: str, value: str) -> None:
        """Set a value of the state table."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO state(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=?",
                         (key, value, value))

    def retokenize(self, tokenize: Callable[[Chunk], tuple[str, str]]) -> int:
        """Recompute stored keyword tokens (after the tokenizer changed); vectors are untouched."""
        rows = self._conn().execute("SELECT chunk_id, data_json FROM chunks").fetchall()
        updates = []
        for chunk_id, data in rows:
            words, plain = tokenize(Chunk.from_dict(json.loads(data)))
            updates.append((words, plain, chunk_id))
        with self.transaction() as conn:
            conn.executemany("UPDATE chunks SET tokens=?, ascii_tokens=? WHERE chunk_id=?", updates)
            self._bump(conn)
        return len(updates)

    # -- reads ---------------------------------------------------------------
    def documents(self, collection: str | None = None) -> list[DocumentMeta]:
        """Every document's metadata in id order, optionally of one collection."""
        sql = "SELECT meta_json FROM documents"
        args: tuple[str, ...] = ()
        if collection:
            sql += " WHERE collection=?"
            args = (collection,)
        rows = self._conn().execute(sql + " ORDER BY doc_id", args)
        return [DocumentMeta.from_dict(json.loads(r[0])) for r in rows]

    def document(self, doc_id: str) -> DocumentMeta | None:
        """One document's metadata, or None."""
        row = self._conn().execute("SELECT meta_json FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return DocumentMeta.from_dict(json.loads(row[0])) if row else None

    def document_text(self, doc_id: str) -> str | None:
        """The full display text of a document, or None."""
        row = self._conn().execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return str(row[0]) if row else None

    def find_by_hash(self, content_hash: str) -> str | None:
        """The id of a document with these file bytes, if any."""
        row = self._conn().execute("SELECT doc_id FROM documents WHERE content_hash=?", (content_hash,)).fetchone()
        return str(row[0]) if row else None

    def source_entry(self, source_path: str) -> SourceEntry | None:
        """The document ingested from ``source_path``, its content hash and pipeline version, if any."""
        row = self._conn().execute("SELECT doc_id, content_hash, pipeline_version FROM documents "
                                   "WHERE source_path=?", (source_path,)).fetchone()
        return SourceEntry(str(row[0]), str(row[1]), str(row[2])) if row else None

    def manifest(self) -> dict[str, SourceEntry]:
        """source path -> (doc_id, content hash, pipeline version)."""
        rows = self._conn().execute("SELECT source_path, doc_id, content_hash, pipeline_version FROM documents")
        return {r[0]: SourceEntry(r[1], r[2], r[3]) for r in rows}

    def chunks(self, doc_id: str | None = None, collection: str | None = None) -> list[Chunk]:
        """Chunks in document order, optionally of one document or collection."""
        sql, args = "SELECT data_json FROM chunks", []
        clauses = []
        if doc_id:
            clauses.append("doc_id=?")
            args.append(doc_id)
        if collection:
            clauses.append("collection=?")
            args.append(collection)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self._conn().execute(sql + " ORDER BY doc_id, ordinal", args)
        return [Chunk.from_dict(json.loads(r[0])) for r in rows]

    def chunk_tokens(self, collection: str) -> list[tuple[str, str, str]]:
        """(chunk_id, tokens, ascii tokens) in a stable order, for the keyword index."""
        rows = self._conn().execute(
            "SELECT chunk_id, tokens, ascii_tokens FROM chunks WHERE collection=? ORDER BY doc_id, ordinal",
            (collection,))
        return [(r[0], r[1], r[2]) for r in rows]

    def chunk_ids(self) -> set[str]:
        """Ids of every stored chunk."""
        return {r[0] for r in self._conn().execute("SELECT chunk_id FROM chunks")}

    def stats(self) -> dict[str, int]:
        """Document and chunk counts and the generation."""
        conn = self._conn()
        passages, embedded = self.vector_counts()
        return {
            "documents": conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "chunks": conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0],
            "passages": passages,
            "embedded": embedded,
            "generation": self.generation(),
        }
