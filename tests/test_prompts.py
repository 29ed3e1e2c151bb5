from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.prompts import default_prompt_dir, load_prompt


def test_repo_prompts_render_with_their_variables() -> None:
    prompt = load_prompt("study_answer")
    assert prompt.language == "vi"
    assert prompt.variables == {"question", "passages"}
    text = prompt.render(question="Ai phải cài ứng dụng?", passages="[1] Điều 3 ...")
    assert "Ai phải cài ứng dụng?" in text and "[1] Điều 3" in text


def test_missing_and_unknown_variables_fail() -> None:
    prompt = load_prompt("study_answer")
    with pytest.raises(ConfigError, match="thiếu biến: passages"):
        prompt.render(question="x")
    with pytest.raises(ConfigError, match="không dùng biến: extra"):
        prompt.render(question="x", passages="y", extra="z")


def test_language_falls_back_to_vietnamese(tmp_path: Path) -> None:
    (tmp_path / "only.vi.md").write_text("Xin chào {name}", encoding="utf-8")
    assert load_prompt("only", "en", tmp_path).language == "vi"
    with pytest.raises(ConfigError, match="Không có prompt 'nope'"):
        load_prompt("nope", prompt_dir=tmp_path)


def test_every_prompt_file_has_vietnamese_version() -> None:
    folder = default_prompt_dir()
    names = {p.name.split(".")[0] for p in folder.glob("*.md")}
    assert names
    for name in names:
        assert (folder / f"{name}.vi.md").is_file(), name
