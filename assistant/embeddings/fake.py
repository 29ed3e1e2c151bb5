"""Deterministic, hash-seeded fake embedder for unit tests."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence


class FakeEmbedder:
    """Bag-of-words hashing: texts sharing words get similar vectors."""

    name = "fake"
    model_id = "fake-hash-64"

    def __init__(self, dimension: int = 64, max_tokens: int = 256) -> None:
        self._dimension = dimension
        self._max_tokens = max_tokens

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_tokens(self) -> int:
        return self._max_tokens

    def count_tokens(self, text: str) -> int:
        """Whitespace-separated words."""
        return len(text.split())

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self._dimension
        for word in text.lower().split():
            digest = hashlib.sha1(word.encode()).digest()
            vec[digest[0] % self._dimension] += 1.0 if digest[1] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Hashed bag-of-words vectors of passages, in order."""
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """The hashed bag-of-words vector of a query."""
        return self._vector(text)
