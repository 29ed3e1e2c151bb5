"""The small interface every embedding backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Embedder(Protocol):
    """Turn passages and queries into vectors.

    ``max_tokens`` and ``count_tokens`` come from the model's own tokenizer:
    chunking uses them so no passage loses its tail to truncation.
    """

    name: str

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int: ...

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's own tokenizer."""

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit vectors of passages, in order."""

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query."""
