"""LLM backends behind one protocol, chosen by name."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from assistant.errors import ConfigError
from assistant.llm.base import LLM, ChatMessage, Prompt
from assistant.settings import Settings

# name -> "module:Class"; modules are imported only when the backend is chosen.
BACKENDS: dict[str, str] = {
    "embedded": "assistant.llm.embedded:EmbeddedLLM",
    "ollama": "assistant.llm.ollama:OllamaLLM",
    "openai": "assistant.llm.openai_compat:OpenAICompatibleLLM",
    "fake": "assistant.llm.fake:FakeLLM",
}


def create_llm(settings: Settings, name: str | None = None) -> LLM:
    """Build the backend called ``name`` (default: ``settings.llm.backend``)."""
    name = name or settings.llm.backend
    if name not in BACKENDS:
        raise ConfigError(f"Không có backend LLM '{name}'; chọn một trong: {', '.join(sorted(BACKENDS))}")
    module_name, _, class_name = BACKENDS[name].partition(":")
    cls: Callable[..., LLM] = getattr(import_module(module_name), class_name)
    if name == "fake":
        return cls()
    return cls(settings)


__all__ = ["BACKENDS", "LLM", "ChatMessage", "Prompt", "create_llm"]
