from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings, describe_fields, load_settings


def test_defaults_put_all_state_under_data_dir(tmp_path: Path) -> None:
    s = load_settings(overrides={"data_dir": str(tmp_path)}, environ={})
    assert s.data_dir == tmp_path.resolve()
    for path in (s.index_dir, s.cache_dir, s.log_dir, s.output_dir, s.database_path):
        assert path.is_relative_to(s.data_dir)
    assert s.llm.backend == "embedded" and s.llm.embedded.writes_vietnamese is None and s.llm.embedded.prefer_writer


def test_yaml_then_env_then_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("llm:\n  backend: ollama\n  ollama:\n    model: qwen2.5:7b\nretrieval:\n  k: 7\n", encoding="utf-8")
    env = {"CHIBO_LLM__OLLAMA__MODEL": "gemma3:4b", "CHIBO_RETRIEVAL__K": "9", "CHIBO_DATA_DIR": str(tmp_path / "d")}
    s = load_settings(cfg, overrides={"retrieval": {"k": 11}}, environ=env)
    assert s.llm.backend == "ollama"
    assert s.llm.ollama.model == "gemma3:4b"
    assert s.retrieval.k == 11
    assert s.data_dir == (tmp_path / "d").resolve()


def test_settings_yaml_in_data_dir_is_found(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("cell:\n  name: CHI BỘ ẤP 3\n", encoding="utf-8")
    s = load_settings(environ={"CHIBO_DATA_DIR": str(tmp_path)})
    assert s.cell.name == "CHI BỘ ẤP 3"


@pytest.mark.parametrize("text, fragment", [
    ("llm: [1, 2", "YAML"),
    ("- a\n- b\n", "bảng"),
    ("retrieval:\n  k: nhiều\n", "retrieval.k"),
    ("unknown_field: 1\n", "unknown_field"),
])
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, fragment: str) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, environ={})
    assert fragment in str(err.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_every_field_is_described() -> None:
    rows = describe_fields(Settings)
    assert len(rows) > 30
    assert all(desc for _, desc in rows), [name for name, desc in rows if not desc]


def test_environment_values_read_like_the_yaml_file(tmp_path: Path) -> None:
    env = {"CHIBO_DATA_DIR": str(tmp_path), "CHIBO_LLM": "{backend: ollama, ollama: {model: a}}",
           "CHIBO_LLM__OLLAMA__HOST": "http://h:1", "CHIBO_LLM__EMBEDDED": '{"n_ctx": 4096}',
           "CHIBO_CORPUS_DIR": "", "CHIBO_OCR__ENABLED": "false", "CHIBO_CONFIG": ""}
    s = load_settings(environ=env)
    assert (s.llm.backend, s.llm.ollama.model, s.llm.ollama.host) == ("ollama", "a", "http://h:1")
    assert s.llm.embedded.n_ctx == 4096 and s.corpus_dir is None and s.ocr.enabled is False


@pytest.mark.parametrize("name, fragment", [
    ("CHIBO_RETRIEVL__K", "retrievl"),  # a misspelt section fails as it does in the YAML file
    ("CHIBO_LLM__BACKNED", "llm.backned"),
    ("CHIBO_RETRIEVAL__K", "retrieval.k"),
])
def test_bad_environment_variable_is_a_clear_error(tmp_path: Path, name: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match="Cấu hình không hợp lệ") as err:
        load_settings(overrides={"data_dir": str(tmp_path)}, environ={name: "nhiều"})
    assert fragment in str(err.value)


def test_config_file_named_by_the_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("ui:\n  port: 9999\n", encoding="utf-8")
    s = load_settings(overrides={"data_dir": str(tmp_path)}, environ={"CHIBO_CONFIG": str(cfg)})
    assert s.ui.port == 9999
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        load_settings(environ={"CHIBO_CONFIG": str(tmp_path / "nope.yaml")})


def test_settings_built_directly_ignore_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHIBO_LLM__BACKEND", "ollama")
    assert Settings(data_dir=tmp_path).llm.backend == "embedded"
    assert load_settings(overrides={"data_dir": str(tmp_path)}).llm.backend == "ollama"


def test_backend_sections_live_beside_their_backends() -> None:
    from assistant.llm.embedded import EmbeddedLLMSettings
    from assistant.llm.ollama import OllamaSettings
    from assistant.llm.openai_compat import OpenAISettings

    fields = Settings.model_fields["llm"].annotation.model_fields  # type: ignore[union-attr]
    assert (fields["embedded"].annotation, fields["ollama"].annotation, fields["openai"].annotation) == (
        EmbeddedLLMSettings, OllamaSettings, OpenAISettings)
