"""Ollama backend, through the official ``ollama`` client."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from assistant.errors import BackendUnavailable
from assistant.llm.base import Prompt, as_messages
from assistant.llm.tokens import count_tokens
from assistant.settings import Settings


class OllamaLLM:
    name = "ollama"

    def __init__(self, settings: Settings) -> None:
        cfg = settings.llm.ollama
        self.host = cfg.host
        self.model = cfg.model
        self.capable = cfg.capable
        self._timeout = cfg.timeout
        self._temperature = settings.llm.temperature
        self._max_tokens = settings.llm.max_tokens
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

    def _chat(self, prompt: Prompt, stream: bool, **kw: Any) -> Any:
        messages = [{"role": m.role, "content": m.content} for m in as_messages(prompt)]
        client = self._get_client()  # outside the try: a missing package keeps its own hint
        try:
            return client.chat(model=self.model, messages=messages, stream=stream, options=self._options(**kw))
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
        out = self._chat(prompt, False, max_tokens=max_tokens, temperature=temperature, stop=stop)
        return str(out["message"]["content"] or "")

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        chunks = self._chat(prompt, True, max_tokens=max_tokens, temperature=temperature, stop=stop)
        try:
            for chunk in chunks:
                piece = chunk["message"]["content"]
                if piece:
                    yield piece
        except Exception as exc:  # the request is sent on first read: its errors surface here
            raise self._unavailable(exc) from exc

    def list_models(self) -> list[str]:
        try:
            listing = self._get_client().list()
        except Exception as exc:
            raise BackendUnavailable(f"Không kết nối được Ollama tại {self.host}: {exc}") from exc
        return [m.get("model") or m.get("name") for m in listing["models"]]

    def count_tokens(self, text: str) -> int:
        # Ollama exposes no tokenizer endpoint; o200k is a close, offline estimate.
        return count_tokens(text)

    def describe(self) -> dict[str, object]:
        return {"backend": self.name, "model": self.model, "capable": self.capable, "host": self.host}
