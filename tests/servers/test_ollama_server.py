"""The ollama backend against a real Ollama-protocol server on loopback.

No Ollama binary is obtainable here, so ollama-proxy (PyPI ollama-proxy-plus)
serves the Ollama REST API in front of the llama.cpp server; the official
``ollama`` client in our backend talks to it exactly as it would to Ollama.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.errors import BackendUnavailable
from assistant.llm import create_llm
from assistant.llm.ollama import OllamaLLM
from tests.servers.conftest import OLLAMA_MODEL, Server, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROMPT = "Reply with one short English sentence about the sea."


def _ollama(settings: Any, host: str, model: str = OLLAMA_MODEL) -> OllamaLLM:
    settings.llm.ollama.host = host
    settings.llm.ollama.model = model
    settings.llm.ollama.timeout = 60
    backend = create_llm(settings, "ollama")
    assert isinstance(backend, OllamaLLM)
    return backend


@pytest.fixture
def llm(settings: Any, ollama_server: Server) -> OllamaLLM:
    return _ollama(settings, ollama_server.base_url)


def test_generate(llm: OllamaLLM, no_network: Any) -> None:
    assert llm.generate(PROMPT, max_tokens=12, temperature=0).strip()


def test_stream_yields_several_pieces(llm: OllamaLLM, no_network: Any) -> None:
    pieces = list(llm.stream(PROMPT, max_tokens=12, temperature=0))
    assert len(pieces) >= 2
    assert "".join(pieces).strip()


def test_options_reach_the_model(llm: OllamaLLM, no_network: Any) -> None:
    # num_predict and stop travel Ollama options -> proxy -> llama.cpp.
    counting = "Count from 1 to 20, one number per line."
    short = llm.generate(counting, max_tokens=4, temperature=0)
    assert 0 < llm.count_tokens(short) <= 12
    first_line = llm.generate(counting, max_tokens=32, temperature=0, stop=["\n"])
    assert first_line.strip() and "\n" not in first_line


def test_list_models_names_the_model(llm: OllamaLLM, no_network: Any) -> None:
    assert OLLAMA_MODEL in llm.list_models()


def test_server_error_is_backend_unavailable(settings: Any, ollama_server: Server, no_network: Any) -> None:
    llm = _ollama(settings, ollama_server.base_url, "khongco/mo-hinh")  # the proxy knows no such provider
    with pytest.raises(BackendUnavailable, match="Ollama trả lỗi"):
        llm.generate("hello")


def test_stream_error_is_backend_unavailable(settings: Any, ollama_server: Server, no_network: Any) -> None:
    """Regression: a stream sends its request on first read, so ollama.ResponseError escaped unwrapped."""
    llm = _ollama(settings, ollama_server.base_url, "khongco/mo-hinh")
    with pytest.raises(BackendUnavailable, match="Ollama trả lỗi"):
        list(llm.stream("hello"))


@pytest.mark.parametrize("call", ["generate", "stream", "list_models"])
def test_unreachable_host_fails_clearly(settings: Any, call: str, no_network: Any) -> None:
    """Regression: streaming from a dead host raised a bare httpx.ConnectError."""
    host = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    llm = _ollama(settings, host)
    with pytest.raises(BackendUnavailable, match="Không kết nối được Ollama") as err:
        if call == "generate":
            llm.generate("hello")
        elif call == "stream":
            list(llm.stream("hello"))
        else:
            llm.list_models()
    assert host in str(err.value)


def test_doctor_reports_server_green(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                     tmp_path: Any, ollama_server: Server, no_network: Any) -> None:
    from assistant.cli.main import main

    for key, value in {"CHIBO_DATA_DIR": str(tmp_path / "data"), "CHIBO_LLM__BACKEND": "ollama",
                       "CHIBO_LLM__OLLAMA__HOST": ollama_server.base_url, "CHIBO_LLM__OLLAMA__MODEL": OLLAMA_MODEL,
                       "CHIBO_EMBEDDING__BACKEND": "fake"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    code = main(["--json", "doctor", "--quick"])
    report = json.loads(capsys.readouterr().out)
    check = next(c for c in report["checks"] if c["name"].startswith("Máy chủ LLM"))
    assert check["ok"], check
    assert OLLAMA_MODEL in check["detail"]
    assert code == 0
