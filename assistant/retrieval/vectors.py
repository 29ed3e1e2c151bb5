"""Chroma vector store: a local persistent directory or a Chroma server.

We compute embeddings ourselves and hand Chroma vectors, and we always pass
our own embedding function when opening a collection: Chroma's default
function would try to download a model.

Layout: one vector per dense passage (a window of a document's text sized to
the model), keyed by the passage id (document id + content hash), with only
``doc_id`` as metadata (search filters on it). Which chunks a passage covers is
kept in the catalog, so an unchanged passage keeps its vector when the text
around it moves.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.embeddings.base import Embedder
from assistant.errors import BackendUnavailable, ConfigError
from assistant.settings import StoreSettings

_registered: dict[str, Any] = {}
# Bump when the stored layout changes: the collection is then emptied and re-embedded.
VECTOR_LAYOUT = "passages-1"


def vector_metadata(doc_id: str) -> dict[str, Any]:
    """The Chroma metadata stored with a passage's vector (``query`` filters on ``doc_id``)."""
    return {"doc_id": doc_id}


def _embedding_function_class() -> Any:
    """Register (once) an embedding function Chroma can rebuild from config."""
    if "cls" in _registered:
        return _registered["cls"]
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class ChiboEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder: Embedder | None = None, model_id: str = "") -> None:
            self._embedder = embedder
            self._model_id = model_id or (embedder.model_id if embedder else "")

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's signature
            if self._embedder is None:
                raise BackendUnavailable("Bộ nhúng của Chibo chưa được gắn với bộ sưu tập Chroma")
            import numpy as np

            return [np.asarray(v, dtype="float32") for v in self._embedder.embed_documents(list(input))]

        @staticmethod
        def name() -> str:
            return "chibo"

        def get_config(self) -> dict[str, Any]:
            return {"model_id": self._model_id}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> ChiboEmbeddingFunction:
            # Rebuilt without a model: we never let Chroma embed on its own.
            return ChiboEmbeddingFunction(None, str(config.get("model_id", "")))

        def default_space(self) -> Any:
            return "cosine"

    _registered["cls"] = ChiboEmbeddingFunction
    return ChiboEmbeddingFunction


class VectorStore:
    """One Chroma collection holding dense passage vectors keyed by passage id."""

    def __init__(self, settings: StoreSettings, path: Path, collection: str, embedder: Embedder) -> None:
        self._settings = settings
        self._path = path
        self._name = collection
        self._embedder = embedder
        self._collection: Any = None
        self._lock = threading.Lock()

    def _client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self._settings.mode == "http":
            try:
                return chromadb.HttpClient(host=self._settings.host, port=self._settings.port,
                                           settings=chroma_settings)
            except Exception as exc:
                raise BackendUnavailable(
                    f"Không kết nối được máy chủ Chroma {self._settings.host}:{self._settings.port}",
                    hint="chạy 'chroma run --path DIR --host 127.0.0.1 --port 8000' hoặc đặt store.mode=persistent",
                ) from exc
        self._path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self._path), settings=chroma_settings)

    @property
    def collection(self) -> Any:
        """The Chroma collection, opened on first use; refuses one built with another embedding model."""
        with self._lock:
            if self._collection is None:
                function = _embedding_function_class()(self._embedder)
                try:
                    self._collection = self._client().get_or_create_collection(
                        self._name,
                        embedding_function=function,
                        metadata={"hnsw:space": "cosine", "model_id": self._embedder.model_id},
                    )
                except BackendUnavailable:
                    raise
                except Exception as exc:
                    raise BackendUnavailable(f"Không mở được kho vector '{self._name}': {exc}") from exc
                stored = (self._collection.metadata or {}).get("model_id")
                if stored and stored != self._embedder.model_id:
                    raise ConfigError(
                        f"Chỉ mục được tạo bằng mô hình nhúng '{stored}', nay cấu hình là '{self._embedder.model_id}'",
                        hint="chạy 'chibo ingest --rebuild' để lập lại chỉ mục",
                    )
        return self._collection

    def reset(self) -> None:
        """Delete the collection with every vector (a new model or layout); it is recreated on next use."""
        with self._lock:
            client = self._client()
            try:
                client.delete_collection(self._name)
            except Exception as exc:  # absent already: nothing to delete
                if "does not exist" not in str(exc).lower() and "not found" not in str(exc).lower():
                    raise
            self._collection = None

    def upsert(self, ids: Sequence[str], vectors: Sequence[Sequence[float]],
               metadatas: Sequence[dict[str, Any]]) -> None:
        """Store vectors with their metadata, in batches (the text stays in the catalog)."""
        if not ids:
            return
        batch = 1000
        for i in range(0, len(ids), batch):
            self.collection.upsert(ids=list(ids[i:i + batch]), embeddings=[list(v) for v in vectors[i:i + batch]],
                                   metadatas=list(metadatas[i:i + batch]))

    def delete(self, ids: Sequence[str]) -> None:
        """Delete vectors by id (unknown ids are ignored)."""
        for i in range(0, len(ids), 1000):
            self.collection.delete(ids=list(ids[i:i + 1000]))

    def all_ids(self) -> set[str]:
        """Every stored vector id."""
        ids: set[str] = set()
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=5000, offset=offset)["ids"]
            ids.update(got)
            if len(got) < 5000:
                return ids
            offset += len(got)

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these ids already have a vector."""
        found: set[str] = set()
        for i in range(0, len(ids), 1000):
            found.update(self.collection.get(ids=list(ids[i:i + 1000]), include=[])["ids"])
        return found

    def query(self, vector: Sequence[float], k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(passage id, cosine similarity) best first, optionally only of ``doc_ids``."""
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        count = self.collection.count()
        if count == 0:
            return []
        result = self.collection.query(query_embeddings=[list(vector)], n_results=min(k, count), where=where,
                                       include=["distances"])
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]

    def count(self) -> int:
        """How many vectors are stored."""
        return int(self.collection.count())
