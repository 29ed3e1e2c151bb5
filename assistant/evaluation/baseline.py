"""The naive pipeline a user would build, as a yardstick for our retrieval.

LangChain's ``RecursiveCharacterTextSplitter`` (1000 characters, 200 overlap)
over the same loaded text, the same embedding model, a Chroma collection,
and BM25 (bm25s, its default tokenizer) over those chunks. A chunk is cited
by the last "Điều N." heading at or just before its start, which is the best
a character splitter can do; it has no notion of numbered items, so in
documents without articles it can only be matched at document level.

This is the single implementation: ``benchmarks/bench_retrieval.py`` and
``chibo eval --baseline naive`` both use it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARTICLE_HEADING = re.compile(r"(?m)^\s*Điều\s+(\d+[a-zđ]?)\s*[.:]")
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
BATCH = 256


@dataclass(frozen=True)
class NaiveChunk:
    """A fixed-size character chunk and the article it starts in, which is all the baseline knows."""

    doc_id: str
    article: str
    text: str


def split_documents(documents: list[tuple[str, str]]) -> list[NaiveChunk]:
    """(doc_id, text) pairs → character chunks labelled with the article they start in."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP,
                                              add_start_index=True)
    chunks = []
    for doc_id, text in documents:
        heads = [(m.start(), m.group(1)) for m in ARTICLE_HEADING.finditer(text)]
        for doc in splitter.create_documents([text], metadatas=[{"doc": doc_id}]):
            start = doc.metadata["start_index"]
            article = ""
            for pos, label in heads:
                # A heading a few characters into the chunk still names it.
                if pos <= start + 50:
                    article = label
                else:
                    break
            chunks.append(NaiveChunk(doc_id, article, doc.page_content))
    return chunks


class NaiveBaseline:
    """Dense (Chroma) and BM25 search over naive chunks; ``build`` embeds once and reuses ``work``."""

    name = "naive"

    def __init__(self, chunks: list[NaiveChunk], embedder: Any, work: Path) -> None:
        self.chunks = chunks
        self.embedder = embedder
        self.work = work
        self.build_seconds = 0.0
        self.reused = False
        self._store: Any = None
        self._bm25: Any = None

    @classmethod
    def from_services(cls, services: Any, work: Path) -> NaiveBaseline:
        """Chunks of every document in ``services``' index, from the text our loaders produced."""
        catalog = services.index.catalog
        docs = [(meta.doc_id, catalog.document_text(meta.doc_id) or "") for meta in services.documents()]
        baseline = cls(split_documents(sorted(docs)), services.embedder, work)
        baseline.build()
        return baseline

    def build(self) -> None:
        """Index the chunks in Chroma (via LangChain) and BM25; vectors already in ``work`` are reused."""
        import bm25s
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_core.embeddings import Embeddings

        embedder = self.embedder

        class SameEmbedder(Embeddings):
            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return embedder.embed_documents(texts)

            def embed_query(self, text: str) -> list[float]:
                return embedder.embed_query(text)

        started = time.perf_counter()
        folder = self.work / "naive"
        self._store = Chroma(collection_name="naive", embedding_function=SameEmbedder(),
                             persist_directory=str(folder),
                             client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True,
                                                            persist_directory=str(folder)))
        texts = [c.text for c in self.chunks]
        metas = [{"doc": c.doc_id, "article": c.article, "i": i} for i, c in enumerate(self.chunks)]
        ids = [str(i) for i in range(len(texts))]
        # Same chunks in the same folder (the work folder is keyed by content): reuse the vectors.
        self.reused = self._store._collection.count() == len(texts)
        if not self.reused:
            self._store.reset_collection()
            for i in range(0, len(texts), BATCH):
                self._store.add_texts(texts[i:i + BATCH], metadatas=metas[i:i + BATCH], ids=ids[i:i + BATCH])
        self._bm25 = bm25s.BM25()
        self._bm25.index(bm25s.tokenize(texts, stopwords=None, show_progress=False), show_progress=False)
        self.build_seconds = round(time.perf_counter() - started, 1)

    def dense(self, question: str, k: int = 20) -> list[NaiveChunk]:
        """The ``k`` chunks nearest the question by embedding similarity."""
        docs = self._store.similarity_search(question, k=k)
        return [self.chunks[int(d.metadata["i"])] if "i" in d.metadata
                else NaiveChunk(d.metadata["doc"], d.metadata["article"], d.page_content) for d in docs]

    def bm25(self, question: str, k: int = 20) -> list[NaiveChunk]:
        """The ``k`` best chunks by BM25 over whitespace tokens (no Vietnamese segmentation)."""
        import bm25s

        k = min(k, len(self.chunks))
        if not k:
            return []
        ids, _ = self._bm25.retrieve(bm25s.tokenize([question], stopwords=None, show_progress=False), k=k,
                                     show_progress=False)
        return [self.chunks[int(i)] for i in ids[0]]
