"""Ollama backend, through the official ``ollama`` client."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import Field

from assistant.errors import BackendUnavailable
from assistant.llm.base import Prompt, as_messages
from assistant.llm.capabilities import NONE, SERVER_DEFAULT, Capabilities, declared_writes_field
from assistant.llm.tokens import count_tokens
from assistant.registry import SettingsSection


class OllamaSettings(SettingsSection):
    """Settings of the Ollama backend (``llm.ollama``)."""

    host: str = Field("http://127.0.0.1:11434", description="Ollama server URL.")
    model: str = Field("qwen2.5:7b", description="Model name as Ollama lists it.")
    writes_vietnamese: bool | None = declared_writes_field(SERVER_DEFAULT)
    timeout: float = Field(120.0, description="Seconds before a request is abandoned.")


class OllamaLLM:
    """A model served by Ollama; the ``ollama`` client is imported on first use."""

    name = "ollama"

    def __init__(self, config: OllamaSettings, *, temperature: float, max_tokens: int) -> None:
        self.host = config.host
        self.model = config.model
        self.declared_writes = config.writes_vietnamese
        self.capabilities: Capabilities = NONE  # set by create_llm from measurements
        self._timeout = config.timeout
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._client: Any = None

    def _get_client(self) -> Any:
        if self._client is None:
            try:
                import ollama
            except ImportError as exc:
                raise BackendUnavailable("Thiếu gói ollama", hint="pip install ollama") from exc
            self._client = ollama.Client(host=self.host, timeout=self._timeout)
        return self._client

    def _options(self, max_tokens: int | None, temperature: float | None, stop: Sequence[str] | None) -> dict[str, Any]:
        options: dict[str, Any] = {
            "num_predict": max_tokens or self._max_tokens,
            "temperature": self._temperature if temperature is None else temperature,
        }
        if stop:
            options["stop"] = list(stop)
        return options

    def _chat(self, prompt: Prompt, stream: bool, schema: dict[str, Any] | None = None, **kw: Any) -> Any:
        messages = [{"role": m.role, "content": m.content} for m in as_messages(prompt)]
        client = self._get_client()  # outside the try: a missing package keeps its own hint
        extra = {"format": schema} if schema is not None else {}
        try:
            return client.chat(model=self.model, messages=messages, stream=stream, options=self._options(**kw),
                               **extra)
        except Exception as exc:  # ConnectionError, ollama.ResponseError, httpx errors
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: Exception) -> BackendUnavailable:
        import httpx

        # The client turns a refused call into ConnectionError, but a stream only
        # connects when first read and then lets httpx.ConnectError through.
        if isinstance(exc, ConnectionError | OSError | httpx.ConnectError):
            return BackendUnavailable(f"Không kết nối được Ollama tại {self.host}",
                                      hint="chạy 'ollama serve' hoặc sửa llm.ollama.host")
        return BackendUnavailable(f"Ollama trả lỗi: {exc}")

    def generate(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
                 stop: Sequence[str] | None = None) -> str:
        """The whole completion of ``prompt`` as one string."""
        out = self._chat(prompt, False, max_tokens=max_tokens, temperature=temperature, stop=stop)
        return str(out["message"]["content"] or "")

    def generate_json(self, prompt: Prompt, schema: dict[str, Any], *, max_tokens: int | None = None) -> str:
        """A completion constrained to JSON matching ``schema`` (a JSON Schema dict), as text."""
        out = self._chat(prompt, False, schema, max_tokens=max_tokens, temperature=0.0, stop=None)
        return str(out["message"]["content"] or "")

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        """The completion of ``prompt`` piece by piece, as the model produces it."""
        chunks = self._chat(prompt, True, max_tokens=max_tokens, temperature=temperature, stop=stop)
        try:
            for chunk in chunks:
                piece = chunk["message"]["content"]
                if piece:
                    yield piece
        except Exception as exc:  # the request is sent on first read: its errors surface here
            raise self._unavailable(exc) from exc

    def list_models(self) -> list[str]:
        """Model names the server has."""
        try:
            listing = self._get_client().list()
        except Exception as exc:
            raise BackendUnavailable(f"Không kết nối được Ollama tại {self.host}: {exc}") from exc
        return [m.get("model") or m.get("name") for m in listing["models"]]

    def count_tokens(self, text: str) -> int:
        # Ollama exposes no tokenizer endpoint; o200k is a close, offline estimate.
        """An offline o200k estimate: Ollama exposes no tokenizer."""
        return count_tokens(text)

    def describe(self) -> dict[str, object]:
        """Backend, model and options, for logs, ``chibo doctor`` and evaluation reports."""
        return {"backend": self.name, "model": self.model, "capabilities": self.capabilities.to_dict(), "host": self.host}
