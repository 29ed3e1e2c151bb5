"""LLM backends behind one protocol, chosen by name.

Built in: ``embedded`` (llama.cpp, a local GGUF), ``fake`` (tests), ``ollama``
and ``openai`` (any OpenAI-compatible server). Other packages add backends
through the ``chibo.llm_backends`` entry point group (see ``assistant.registry``).
Each factory imports its backend module only when that backend is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.llm.base import LLM, ChatMessage, Prompt
from assistant.llm.capabilities import FILENAME, CapabilityStore, resolve
from assistant.registry import Factory, Registry

if TYPE_CHECKING:
    from assistant.settings import Settings

ENTRY_POINT_GROUP = "chibo.llm_backends"


def _generation(settings: Settings) -> dict[str, Any]:
    return {"temperature": settings.llm.temperature, "max_tokens": settings.llm.max_tokens}


def _embedded(settings: Settings) -> LLM:
    """The embedded llama.cpp backend, configured by ``llm.embedded``."""
    from assistant.llm.embedded import EmbeddedLLM

    return EmbeddedLLM(settings.llm.embedded, models_dir=settings.models_dir, **_generation(settings))


def _fake(settings: Settings) -> LLM:
    """The fake backend: an empty answer queue, for tests."""
    from assistant.llm.fake import FakeLLM

    return FakeLLM()


def _ollama(settings: Settings) -> LLM:
    """An Ollama server, configured by ``llm.ollama``."""
    from assistant.llm.ollama import OllamaLLM

    return OllamaLLM(settings.llm.ollama, **_generation(settings))


def _openai(settings: Settings) -> LLM:
    """An OpenAI-compatible server, configured by ``llm.openai``."""
    from assistant.llm.openai_compat import OpenAICompatibleLLM

    return OpenAICompatibleLLM(settings.llm.openai, **_generation(settings))


# Sorted: the order unknown-name errors list the choices in. The factories are private so the
# package attributes ``assistant.llm.embedded`` etc. stay the backend modules.
BACKENDS: dict[str, Factory[LLM]] = {"embedded": _embedded, "fake": _fake, "ollama": _ollama, "openai": _openai}
REGISTRY: Registry[LLM] = Registry("LLM", ENTRY_POINT_GROUP, BACKENDS)


def create_llm(settings: Settings, name: str | None = None) -> LLM:
    """Build the backend called ``name`` (default: ``settings.llm.backend``), its capabilities resolved."""
    llm = REGISTRY.create(name or settings.llm.backend, settings)
    if not hasattr(llm, "declared_writes"):
        return llm  # a fake or plug-in backend sets its own capabilities
    profile = getattr(llm, "packaged_profile", None)
    store = CapabilityStore(settings.data_dir / FILENAME)
    llm.capabilities = resolve(llm.describe(), declared_writes=llm.declared_writes, profile_writes=profile,
                               store=store)
    return llm


__all__ = ["BACKENDS", "LLM", "REGISTRY", "ChatMessage", "Prompt", "create_llm"]
