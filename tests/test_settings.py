from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings, describe_fields, load_settings


def test_defaults_put_all_state_under_data_dir(tmp_path: Path) -> None:
    s = load_settings(overrides={"data_dir": str(tmp_path)}, environ={})
    assert s.data_dir == tmp_path.resolve()
    for path in (s.index_dir, s.cache_dir, s.log_dir, s.output_dir, s.database_path):
        assert path.is_relative_to(s.data_dir)
    assert s.llm.backend == "embedded" and s.llm.embedded.capable is False


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
