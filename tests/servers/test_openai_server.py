"""The openai backend against a real llama.cpp server (OpenAI-compatible) on loopback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.errors import BackendUnavailable
from assistant.llm import create_llm
from assistant.llm.openai_compat import OpenAICompatibleLLM
from tests.servers.conftest import MODEL_ALIAS, Server

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROMPT = "Reply with one short English sentence about the sun."


@pytest.fixture
def llm(settings: Any, llama_server: Server) -> OpenAICompatibleLLM:
    settings.llm.openai.base_url = llama_server.base_url
    settings.llm.openai.model = MODEL_ALIAS
    settings.llm.openai.timeout = 60
    backend = create_llm(settings, "openai")
    assert isinstance(backend, OpenAICompatibleLLM)
    return backend


def test_generate(llm: OpenAICompatibleLLM, no_network: Any) -> None:
    text = llm.generate(PROMPT, max_tokens=12, temperature=0)
    assert text.strip()


def test_stream_yields_pieces_that_join_to_text(llm: OpenAICompatibleLLM, no_network: Any) -> None:
    pieces = list(llm.stream(PROMPT, max_tokens=12, temperature=0))
    assert len(pieces) >= 2
    assert all(isinstance(p, str) and p for p in pieces)
    assert "".join(pieces).strip()


def test_max_tokens_and_stop_reach_the_server(llm: OpenAICompatibleLLM, no_network: Any) -> None:
    counting = "Count from 1 to 20, one number per line."
    short = llm.generate(counting, max_tokens=4, temperature=0)
    assert 0 < llm.count_tokens(short) <= 12  # 4 model tokens, re-counted with o200k
    first_line = llm.generate(counting, max_tokens=32, temperature=0, stop=["\n"])
    assert first_line.strip() and "\n" not in first_line


def test_server_error_is_backend_unavailable(llm: OpenAICompatibleLLM, no_network: Any) -> None:
    too_long = "word " * 3000  # more than the server's n_ctx of 2048
    with pytest.raises(BackendUnavailable, match="context"):
        llm.generate(too_long)


def test_stream_failing_on_the_server_is_not_an_empty_answer(llm: OpenAICompatibleLLM, no_network: Any) -> None:
    """Regression: llama.cpp answers 200 then closes an empty stream; we returned "" as if that were the answer."""
    with pytest.raises(BackendUnavailable, match="trước khi xong") as err:
        list(llm.stream("word " * 3000))
    assert err.value.hint


def test_list_models_names_the_alias(llm: OpenAICompatibleLLM, no_network: Any) -> None:
    assert MODEL_ALIAS in llm.list_models()


def _doctor(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any,
            server: Server, model: str) -> tuple[int, dict[str, Any]]:
    from assistant.cli.main import main

    for key, value in {"CHIBO_DATA_DIR": str(tmp_path / "data"), "CHIBO_LLM__BACKEND": "openai",
                       "CHIBO_LLM__OPENAI__BASE_URL": server.base_url, "CHIBO_LLM__OPENAI__MODEL": model,
                       "CHIBO_EMBEDDING__BACKEND": "fake"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    code = main(["--json", "doctor", "--quick"])
    return code, json.loads(capsys.readouterr().out)


def _server_check(report: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["name"].startswith("Máy chủ LLM"))


def test_doctor_reports_server_green(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                     tmp_path: Any, llama_server: Server, no_network: Any) -> None:
    code, report = _doctor(monkeypatch, capsys, tmp_path, llama_server, MODEL_ALIAS)
    check = _server_check(report)
    assert check["ok"], check
    assert check["required"] is True
    assert MODEL_ALIAS in check["detail"] and llama_server.base_url in check["detail"]
    assert report["ok"] is True and code == 0, [c for c in report["checks"] if not c["ok"]]


def test_doctor_wrong_model_fails_with_hint(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Any, llama_server: Server, no_network: Any) -> None:
    # llama.cpp's server answers any model name with its one model, so only the
    # model list can tell the user the configured name is wrong.
    code, report = _doctor(monkeypatch, capsys, tmp_path, llama_server, "qwen2.5:7b")
    check = _server_check(report)
    assert not check["ok"]
    assert "qwen2.5:7b" in check["detail"] and MODEL_ALIAS in check["detail"]
    assert "llm.openai.model" in check["hint"]
    assert report["ok"] is False and code == 1
