"""Shared fixtures: every piece of state under tmp_path, offline always."""

from __future__ import annotations

import ipaddress
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.offline import enforce_offline

enforce_offline()

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

# Tests run the small SmolLM2 model: the packaged 1.5B writer is looked for in an empty folder, so it is
# "not installed" for every test except those that ask for REAL_MODELS_DIR (tests/llm/test_qwen_real.py,
# benchmarks). Subprocesses inherit the variable.
REAL_MODELS_DIR = Path(sys.prefix) / "share" / "chibo" / "models"
_EMPTY_MODELS = Path(tempfile.mkdtemp(prefix="chibo-no-models-"))
os.environ["CHIBO_MODELS_DIR"] = str(_EMPTY_MODELS)


class NetworkGuard:
    """Fails any non-loopback connection or DNS lookup while armed.

    An audit hook cannot be removed once added, so one hook is installed for
    the session and tests arm it through the ``no_network`` fixture.
    """

    def __init__(self) -> None:
        self.armed = False
        self.violations: list[str] = []
        self._lock = threading.Lock()

    @staticmethod
    def _loopback(host: Any) -> bool:
        if host in (None, "", "localhost", "localhost.localdomain"):
            return True
        if isinstance(host, bytes):
            host = host.decode()
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed:
            return
        if event == "socket.connect":
            address = args[1]
            if isinstance(address, tuple) and not self._loopback(address[0]):
                self._fail(f"connect {address}")
        elif event == "socket.getaddrinfo" and not self._loopback(args[0]):
            self._fail(f"getaddrinfo {args[0]}")

    def _fail(self, what: str) -> None:
        with self._lock:
            self.violations.append(what)
        raise ConnectionRefusedError(f"network guard: outbound {what} blocked in tests")


GUARD = NetworkGuard()
sys.addaudithook(GUARD)


@pytest.fixture
def no_network() -> Iterator[NetworkGuard]:
    GUARD.violations.clear()
    GUARD.armed = True
    try:
        yield GUARD
    finally:
        GUARD.armed = False
    assert not GUARD.violations, f"outbound network attempted: {GUARD.violations}"


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    """Settings with the fake embedder and fake LLM, all state in tmp_path."""
    from assistant.settings import load_settings

    return load_settings(overrides={"data_dir": str(tmp_path / "data"), "embedding": {"backend": "fake"},
                                    "llm": {"backend": "fake"}}, environ={})


@pytest.fixture
def fake_llm() -> Any:
    from assistant.llm.fake import FakeLLM

    return FakeLLM(writes_vietnamese=False)


@pytest.fixture
def services(settings: Any, fake_llm: Any) -> Any:
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.services import Services

    svc = Services(settings, llm=fake_llm, embedder=FakeEmbedder())
    yield svc
    svc.index.close()


@pytest.fixture(scope="session")
def real_embedder() -> Any:
    """The packaged MiniLM, loaded once per session."""
    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
