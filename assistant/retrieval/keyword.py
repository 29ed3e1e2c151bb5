"""BM25 keyword index over segmented, tone-normalised tokens (bm25s).

Two fields: words as pyvi segments them with canonical tone placement, and
accent-free syllables for questions typed without diacritics. The index is
rebuilt in memory from the catalog's stored tokens whenever the catalog's
generation changes, so it can never disagree with the catalog.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class _Field:
    def __init__(self, docs: list[list[str]]) -> None:
        import bm25s

        self.model: Any = bm25s.BM25(k1=1.2, b=0.75)
        # An empty document would break the sparse matrix; "" is bm25s' empty token.
        self.model.index([d or [""] for d in docs], show_progress=False)
        self.vocab = self.model.vocab_dict
        self.size = len(docs)

    def scores(self, query: Sequence[str], mask: np.ndarray | None) -> np.ndarray:
        known = [t for t in query if t in self.vocab]
        if not known or self.size == 0:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self.model.get_scores(known, weight_mask=mask), dtype="float32")


class KeywordIndex:
    """BM25 over stored word segments and accent-free syllables, rebuilt when the catalog changes."""

    def __init__(self, load: Callable[[], list[tuple[str, str, str]]], generation: Callable[[], Hashable]) -> None:
        # ``generation`` changes whenever the rows do (one catalog's counter, or a tuple of several).
        self._load = load
        self._generation = generation
        self._built_for: Hashable | None = None
        self._lock = threading.Lock()
        self.ids: list[str] = []
        self._position: dict[str, int] = {}
        self._words: _Field | None = None
        self._ascii: _Field | None = None
        self._df: dict[str, int] = {}

    def _ensure(self) -> None:
        generation = self._generation()
        with self._lock:
            if self._built_for == generation:
                return
            rows = self._load()
            self.ids = [r[0] for r in rows]
            self._position = {cid: i for i, cid in enumerate(self.ids)}
            self._df = {}
            for row in rows:
                for term in set(row[2].split()):
                    self._df[term] = self._df.get(term, 0) + 1
            if rows:
                self._words = _Field([r[1].split() for r in rows])
                self._ascii = _Field([r[2].split() for r in rows])
            else:
                self._words = self._ascii = None
            self._built_for = generation

    def idf(self, term: str) -> float:
        """Inverse document frequency of an accent-free syllable; unseen terms weigh most."""
        self._ensure()
        n = max(len(self.ids), 1)
        return math.log(1 + (n + 1) / (self._df.get(term, 0) + 0.5))

    def mask_for(self, chunk_ids: set[str] | None) -> np.ndarray | None:
        """A 0/1 weight per chunk that keeps only ``chunk_ids`` (None: keep all)."""
        if chunk_ids is None:
            return None
        self._ensure()
        mask = np.zeros(len(self.ids), dtype="float32")
        for cid in chunk_ids:
            pos = self._position.get(cid)
            if pos is not None:
                mask[pos] = 1.0
        return mask

    def search(self, words: Sequence[str], ascii_words: Sequence[str], k: int, *, use_ascii: bool,
               allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, score) best first; the accent-free field when ``use_ascii``."""
        self._ensure()
        if not self.ids:
            return []
        mask = self.mask_for(allowed)
        if self._words is None or self._ascii is None:
            return []
        scores = self._ascii.scores(ascii_words, mask) if use_ascii else self._words.scores(words, mask)
        if mask is not None:
            scores = scores * mask
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
