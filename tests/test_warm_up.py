"""The web interface loads a writing model at start, in a thread, so the first question does not wait for it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from assistant.llm.fake import FakeLLM
from assistant.services import Services
from assistant.settings import load_settings


class _Loading(FakeLLM):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loaded = threading.Event()

    def warm_up(self) -> None:
        self.loaded.set()


def _services(tmp_path: Path, llm: FakeLLM) -> Services:
    return Services(load_settings(overrides={"data_dir": str(tmp_path)}, environ={}), llm=llm)


def test_a_writing_model_is_loaded_in_the_background(tmp_path: Path) -> None:
    llm = _Loading(writes_vietnamese=True)
    thread = _services(tmp_path, llm).warm_up_llm_in_background()
    assert thread is not None
    thread.join(timeout=10)
    assert llm.loaded.is_set()


def test_a_model_that_does_not_write_is_not_loaded_early(tmp_path: Path) -> None:
    llm = _Loading(writes_vietnamese=False)
    assert _services(tmp_path, llm).warm_up_llm_in_background() is None
    assert not llm.loaded.is_set()


def test_a_backend_without_warm_up_is_left_alone(tmp_path: Path) -> None:
    assert _services(tmp_path, FakeLLM(writes_vietnamese=True)).warm_up_llm_in_background() is None


def test_a_failing_load_is_logged_not_raised(tmp_path: Path, caplog: Any) -> None:
    class _Broken(FakeLLM):
        def warm_up(self) -> None:
            raise RuntimeError("hỏng")

    thread = _services(tmp_path, _Broken(writes_vietnamese=True)).warm_up_llm_in_background()
    assert thread is not None
    thread.join(timeout=10)
    assert "loading the writing model failed" in caplog.text
