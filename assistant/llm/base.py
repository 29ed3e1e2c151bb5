"""The one protocol every LLM backend implements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from assistant.llm.capabilities import Capabilities

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One turn of a chat prompt."""

    role: Role
    content: str


Prompt = str | Sequence[ChatMessage]


def as_messages(prompt: Prompt) -> list[ChatMessage]:
    """A bare string is one user turn."""
    if isinstance(prompt, str):
        return [ChatMessage("user", prompt)]
    return list(prompt)


@runtime_checkable
class LLM(Protocol):
    """Generate text, stream it and count tokens.

    ``capabilities`` says what the model has shown it can do (see
    :mod:`assistant.llm.capabilities`): features let it write Vietnamese for
    users only when ``writes_vietnamese`` holds, and state verdicts only when
    ``judges`` holds; otherwise they stay extractive and deterministic.
    """

    name: str
    capabilities: Capabilities

    @property
    def model(self) -> str:
        """The model's name as the backend knows it (read-only: some backends derive it)."""

    def generate(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
                 stop: Sequence[str] | None = None) -> str:
        """The whole completion of ``prompt`` as one string."""

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        """The completion of ``prompt`` piece by piece, as the model produces it."""

    def generate_json(self, prompt: Prompt, schema: dict[str, Any], *, max_tokens: int | None = None) -> str:
        """A completion constrained to JSON matching ``schema`` (a JSON Schema dict), as text."""

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes in this model's context (its own tokenizer where it has one)."""

    def describe(self) -> dict[str, object]:
        """Backend, model and options, for logs, ``chibo doctor`` and evaluation reports."""
