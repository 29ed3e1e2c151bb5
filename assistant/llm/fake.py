"""A fake LLM for tests: replays queued answers and records every prompt."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from assistant.llm.base import ChatMessage, Prompt, as_messages
from assistant.llm.capabilities import Capabilities


class FakeLLM:
    """Replays queued answers in order (then ``default``) and records every prompt, like simonw/llm's MockModel."""

    name = "fake"

    def __init__(self, answers: Iterable[str] = (), *, writes_vietnamese: bool = True, judges: bool = False,
                 model: str = "fake-model", default: str = "") -> None:
        self.model = model
        self.capabilities = Capabilities(writes_vietnamese=writes_vietnamese, judges=judges, evidence="fake")
        self.default = default
        self._answers: deque[str] = deque(answers)
        self.prompts: list[list[ChatMessage]] = []

    def queue(self, *answers: str) -> None:
        """Add answers to replay, in order."""
        self._answers.extend(answers)

    def _next(self, prompt: Prompt) -> str:
        self.prompts.append(as_messages(prompt))
        return self._answers.popleft() if self._answers else self.default

    def generate(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
                 stop: Sequence[str] | None = None) -> str:
        """The next queued answer."""
        return self._next(prompt)

    def generate_json(self, prompt: Prompt, schema: dict[str, Any], *, max_tokens: int | None = None) -> str:
        """The next queued answer (tests queue JSON text)."""
        return self._next(prompt)

    def stream(self, prompt: Prompt, *, max_tokens: int | None = None, temperature: float | None = None,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        """The next queued answer, word by word."""
        text = self._next(prompt)
        # Chunks join back to exactly the queued answer.
        yield from re.findall(r"\S+\s*|\s+", text)

    def count_tokens(self, text: str) -> int:
        """Whitespace-separated words."""
        return len(text.split())

    def describe(self) -> dict[str, object]:
        """Backend, model and options, for logs, ``chibo doctor`` and evaluation reports."""
        return {"backend": self.name, "model": self.model, "capabilities": self.capabilities.to_dict()}
