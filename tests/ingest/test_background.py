"""`chibo ingest --background`: keyword search at once, vectors completed by a detached worker."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.cli.main import main
from tests.ingest.consistency import assert_consistent
from tests.retrieval.test_index_passages import long_regulation


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The CLI and the worker it spawns (which inherits the environment) use the fake models."""
    monkeypatch.setenv("CHIBO_EMBEDDING__BACKEND", "fake")
    monkeypatch.setenv("CHIBO_LLM__BACKEND", "fake")
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    return tmp_path / "data"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(["--json", *argv]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.slow
def test_background_ingest_returns_searchable_and_a_worker_completes_vectors(
        fake_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        (docs / f"qd-{905 + n}.txt").write_text(long_regulation().replace("905", str(905 + n)), encoding="utf-8")
    data = str(fake_env)
    report = run_json(capsys, "--data-dir", data, "ingest", str(docs), "--background")
    assert report["counts"]["ingested"] == 3 and report["pending_vectors"] > 0
    assert report["vector_worker"] > 0
    hits = run_json(capsys, "--data-dir", data, "search", "chi ủy kiểm tra đôn đốc nhiệm vụ số 7", "-k", "2")
    assert hits["hits"] and hits["hits"][0]["article"] == "7"  # keyword search while vectors are pending

    deadline = time.monotonic() + 90
    while True:
        status = run_json(capsys, "--data-dir", data, "ingest", "--status")
        if status["pending"] == 0 and not status["working"]:
            break
        assert time.monotonic() < deadline, status
        time.sleep(0.3)
    assert status["embedded"] == status["passages"] == report["pending_vectors"]
    with contextlib.suppress(ChildProcessError):
        os.waitpid(report["vector_worker"], 0)  # reap our child
    log = (fake_env / "logs" / "vectors.log").read_text(encoding="utf-8")
    assert "Đã tính" in log

    from assistant.embeddings.fake import FakeEmbedder
    from assistant.services import Services
    from assistant.settings import load_settings

    services = Services(load_settings(overrides={"data_dir": data}), embedder=FakeEmbedder())
    assert_consistent(services.index, expected_docs=3)
    services.index.close()
    # Nothing left: a plain `chibo ingest` has nothing to do.
    assert run_json(capsys, "--data-dir", data, "ingest")["embedded_now"] == 0


def test_ingest_without_paths_finishes_vectors_a_run_left(fake_env: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.services import Services
    from assistant.settings import load_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    services = Services(load_settings(overrides={"data_dir": str(fake_env)}), embedder=FakeEmbedder())
    pending = services.ingest([docs], vectors="later").pending_vectors
    services.index.close()
    assert pending > 0
    result = run_json(capsys, "--data-dir", str(fake_env), "ingest")
    assert result["embedded_now"] == result["embedded"] == pending and result["pending"] == 0
    assert run_json(capsys, "--data-dir", str(fake_env), "ingest", "--status")["pending"] == 0
