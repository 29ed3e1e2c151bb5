"""Any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio...)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import Field

from assistant.errors import BackendUnavailable
from assistant.llm.base import Prompt, as_messages
from assistant.llm.capabilities import NONE, SERVER_DEFAULT, Capabilities, declared_writes_field
from assistant.llm.tokens import count_tokens
from assistant.registry import SettingsSection


class OpenAISettings(SettingsSection):
    """Settings of the OpenAI-compatible backend (``llm.openai``)."""

    base_url: str = Field(
        "http://127.0.0.1:8000/v1", description="Base URL of an OpenAI-compatible server (vLLM, llama.cpp server)."
    )
    model: str = Field("local", description="Model name the server expects.")
    api_key: str = Field("not-needed", description="API key sent to the server (local servers ignore it).")
    writes_vietnamese: bool | None = declared_writes_field(SERVER_DEFAULT)
    timeout: float = Field(120.0, description="Seconds before a request is abandoned.")


class OpenAICompatibleLLM:
    """A model behind any OpenAI-compatible server; the ``openai`` client is imported on first use."""

    name = "openai"

    def __init__(self, config: OpenAISettings, *, temperature: float, max_tokens: int) -> None:
        self.base_url = config.base_url
        self.model = config.model
        self.declared_writes = config.writes_vietnamese
        self.capabilities: Capabilities = NONE  # set by create_llm from measurements
        self._api_key = config.api_key
        self._timeout = config.timeout
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._client: Any = None

    def _get_client(self) -> Any:
        if self._client is None:
            try:
                import openai
            except ImportError as exc:
                raise BackendUnavailable("Thiếu gói openai", hint="pip install openai") from exc
            self._client = openai.OpenAI(base_url=self.base_url, api_key=self._api_key,
                                         timeout=self._timeout, max_retries=0)
        return self._client

    def _create(self, prompt: Prompt, stream: bool, max_tokens: int | None, temperature: float | None,
                stop: Sequence[str] | None, schema: dict[str, Any] | None = None) -> Any:
        import openai

        # llama.cpp's server and vLLM both accept a schema with a json_object response format.
        extra = {"response_format": {"type": "json_object", "schema": schema}} if schema is not None else {}
        try:
            return self._get_client().chat.completions.create(
                **extra,
                model=self.model,
                messages=[{"role": m.role, "content": m.content} for m in as_messages(prompt)],
                max_tokens=max_tokens or self._max_tokens,
                temperature=self._temperature if temperature is None else temperature,
                stop=list(stop) if stop else None,
                stream=stream,
            )
        except openai.APIConnectionError as exc:
            raise BackendUnavailable(f"Không kết nối được máy chủ {self.base_url}",
                                     hint="kiểm tra llm.openai.base_url") from exc
        except openai.APIError as exc:
            raise BackendUnavailable(f"Máy chủ {self.base_url} trả lỗi: {exc}") from exc

    def generate(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
                 stop: Sequence[str] | None = None) -> str:
        """The whole completion of ``prompt`` as one string."""
        out = self._create(prompt, False, max_tokens, temperature, stop)
        return str(out.choices[0].message.content or "")

    def generate_json(self, prompt: Prompt, schema: dict[str, Any], *, max_tokens: int | None = None) -> str:
        """A completion constrained to JSON matching ``schema`` (a JSON Schema dict), as text."""
        out = self._create(prompt, False, max_tokens, 0.0, None, schema)
        return str(out.choices[0].message.content or "")

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        """The completion of ``prompt`` piece by piece, as the model produces it."""
        import openai

        finished = False
        try:
            for chunk in self._create(prompt, True, max_tokens, temperature, stop):
                if not chunk.choices:
                    continue
                if chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
                finished = finished or chunk.choices[0].finish_reason is not None
        except openai.APIError as exc:
            raise BackendUnavailable(f"Máy chủ {self.base_url} ngắt luồng trả lời: {exc}") from exc
        # llama.cpp's server answers 200 and then closes an empty stream when it
        # fails (e.g. prompt longer than n_ctx): without this the answer is silently "".
        if not finished:
            raise BackendUnavailable(f"Máy chủ {self.base_url} đóng luồng trả lời trước khi xong",
                                     hint="xem nhật ký máy chủ; câu hỏi có thể dài hơn cửa sổ ngữ cảnh của mô hình")

    def list_models(self) -> list[str]:
        """Model ids the server serves."""
        try:
            return [m.id for m in self._get_client().models.list()]
        except Exception as exc:
            raise BackendUnavailable(f"Không kết nối được máy chủ {self.base_url}: {exc}") from exc

    def count_tokens(self, text: str) -> int:
        """An offline o200k estimate of the server model's tokens."""
        return count_tokens(text)

    def describe(self) -> dict[str, object]:
        """Backend, model and options, for logs, ``chibo doctor`` and evaluation reports."""
        return {"backend": self.name, "model": self.model, "capabilities": self.capabilities.to_dict(), "base_url": self.base_url}
