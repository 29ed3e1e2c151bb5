import pytest

from assistant.errors import BackendUnavailable, ConfigError
from assistant.llm import BACKENDS, create_llm
from assistant.llm.base import ChatMessage, as_messages
from assistant.llm.fake import FakeLLM
from assistant.llm.ollama import OllamaLLM
from assistant.llm.openai_compat import OpenAICompatibleLLM
from assistant.settings import load_settings


def test_registry_lists_choices_for_unknown_name() -> None:
    settings = load_settings(environ={})
    with pytest.raises(ConfigError) as err:
        create_llm(settings, "gpt-cloud")
    for name in BACKENDS:
        assert name in str(err.value)


def test_registry_builds_each_backend_without_loading_models() -> None:
    settings = load_settings(environ={})
    assert create_llm(settings, "fake").name == "fake"
    assert isinstance(create_llm(settings, "ollama"), OllamaLLM)
    assert isinstance(create_llm(settings, "openai"), OpenAICompatibleLLM)
    embedded = create_llm(settings, "embedded")
    assert embedded.capabilities.writes_vietnamese is False  # the demo model never writes Vietnamese for users
    assert embedded.capabilities.judges is False


def test_fake_replays_and_records() -> None:
    llm = FakeLLM(["một", "hai ba bốn"])
    assert llm.generate("câu 1") == "một"
    assert "".join(llm.stream([ChatMessage("system", "s"), ChatMessage("user", "u")])) == "hai ba bốn"
    assert llm.prompts[0] == as_messages("câu 1")
    assert [m.role for m in llm.prompts[1]] == ["system", "user"]
    assert llm.generate("hết") == ""


def test_declared_writing_comes_from_settings_and_judging_only_from_measurement(tmp_path) -> None:
    settings = load_settings(overrides={"data_dir": str(tmp_path), "llm": {"ollama": {"capable": False}}},
                             environ={})
    assert create_llm(settings, "ollama").capabilities.writes_vietnamese is False  # old key still accepted
    openai = create_llm(settings, "openai")
    assert openai.capabilities.writes_vietnamese is True and openai.capabilities.judges is False
    from assistant.llm.capabilities import FILENAME, CapabilityStore, model_key

    store = CapabilityStore(settings.data_dir / FILENAME)
    store.record(model_key(openai.describe()), verdict_accuracy=0.9, dataset="alqac-dev", items=50)
    assert create_llm(settings, "openai").capabilities.judges is True
    store.record(model_key(openai.describe()), verdict_accuracy=0.6, dataset="alqac-dev", items=50)
    assert create_llm(settings, "openai").capabilities.judges is False


def test_unreachable_servers_fail_clearly(no_network) -> None:
    settings = load_settings(overrides={"llm": {"ollama": {"host": "http://127.0.0.1:9", "timeout": 2},
                                                "openai": {"base_url": "http://127.0.0.1:9/v1", "timeout": 2}}},
                             environ={})
    with pytest.raises(BackendUnavailable, match="Ollama"):
        create_llm(settings, "ollama").generate("xin chào")
    with pytest.raises(BackendUnavailable, match="127.0.0.1:9"):
        create_llm(settings, "openai").generate("xin chào")
