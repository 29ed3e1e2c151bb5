"""Removing a document (or ingesting one) while a vector run embeds: no waiting for the run, a consistent store.

The embedder is gated: the background run stops inside its first batch until the test opens the gate. Removal
must return within seconds and the document leave search at once; once the run completes, none of its vectors
are left, nothing is duplicated and every passage has its vector. A kill -9 of the run, at any moment of a
removal made during it, still leaves a consistent store after the next run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.embeddings.fake import FakeEmbedder
from assistant.retrieval import index as index_module
from tests.ingest.consistency import assert_consistent
from tests.retrieval.test_index_passages import long_regulation


class GatedEmbedder(FakeEmbedder):
    """A 40-token window; passages wait for ``gate`` and ``waiting`` says a batch is held (queries never wait)."""

    def __init__(self) -> None:
        super().__init__(max_tokens=40)
        self.gate = threading.Event()
        self.waiting = threading.Event()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Wait for the gate (at most a minute), then embed."""
        self.waiting.set()
        assert self.gate.wait(60), "the test never opened the gate"
        return super().embed_documents(texts)


@pytest.fixture
def gated(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, GatedEmbedder]]:
    from assistant.services import Services

    monkeypatch.setattr(index_module, "EMBED_GROUP", 4)  # many batches: the run is mid-way when the test acts
    embedder = GatedEmbedder()
    services = Services(settings, embedder=embedder)
    try:
        yield services, embedder
    finally:
        embedder.gate.set()
        thread = services._vector_thread
        if thread is not None:
            thread.join(timeout=60)
        services.index.close()


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _timed(action: Any, seconds: float) -> Any:
    """Run ``action`` in a thread; its result, failing if it takes longer than ``seconds``."""
    out: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: out.setdefault("result", action()), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s: it waits for the whole vector run"
    assert "result" in out, "the action failed (see the thread's traceback)"
    return out["result"], time.monotonic() - started


def _vector_docs(index: Any) -> set[str]:
    return {vid.split("#", 1)[0] for vid in index.vectors.all_ids()}


def test_removing_a_document_mid_run_returns_at_once_and_its_vectors_go(gated: tuple[Any, GatedEmbedder],
                                                                      tmp_path: Path) -> None:
    services, embedder = gated
    docs = tmp_path / "docs"
    _write(docs, "qd-905.txt", long_regulation(12))
    _write(docs, "qd-906.txt", long_regulation(12).replace("905", "906").replace("Đảng viên", "Chi ủy viên"))
    report = services.ingest([docs], vectors="later")
    assert report.counts["ingested"] == 2 and report.pending_vectors > 8
    index = services.index
    # The document whose passages are in the batch the run holds: they must not be stored after the removal.
    first = index.catalog.pending_passages()[0].doc_id
    kept = ({"qd-905", "qd-906"} - {first}).pop()

    thread = services.complete_vectors_in_background()
    assert embedder.waiting.wait(30), "the run never reached the model"
    assert index.vector_worker_running()

    removed, seconds = _timed(lambda: services.remove_document(first), 5)
    assert removed is True and seconds < 5
    assert first not in {m.doc_id for m in services.documents()}
    assert all(hit.doc_id != first for hit in services.search("Chi ủy kiểm tra, đôn đốc nhiệm vụ số 7", k=10))
    assert any(hit.doc_id == kept for hit in services.search("Chi ủy kiểm tra, đôn đốc nhiệm vụ số 7", k=10))

    # A new upload is keyword-searchable at once too, while the run still holds its batch.
    new = _write(tmp_path / "more", "ke-hoach-7.txt", "KẾ HOẠCH\nĐiều 1. Chi bộ trồng rừng phòng hộ ven biển.\n")
    added, seconds = _timed(lambda: services.ingest([new], vectors="later"), 10)
    assert added.counts["ingested"] == 1
    assert services.search("trồng rừng phòng hộ ven biển", k=1)[0].doc_id == "ke-hoach-7"
    services.complete_vectors_in_background()  # what the upload handler does: one more round for it
    assert thread.is_alive() and not embedder.gate.is_set(), "all of this happened during the run"

    embedder.gate.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert services.vector_status()["pending"] == 0
    assert first not in _vector_docs(index), "vectors of the removed document were left"
    assert _vector_docs(index) == {kept, "ke-hoach-7"}
    assert_consistent(index, expected_docs=2)


def test_a_second_process_removing_waits_only_for_one_batch(gated: tuple[Any, GatedEmbedder], settings: Any,
                                                            tmp_path: Path) -> None:
    """Another Index on the same files (as another process has): its removal and its re-ingest go through too."""
    from assistant.retrieval.index import SHARED, Index

    services, embedder = gated
    docs = tmp_path / "docs"
    for number in (907, 908, 909):
        _write(docs, f"qd-{number}.txt", long_regulation(8).replace("905", str(number)))
    services.ingest([docs], vectors="later")
    index = services.index
    thread = threading.Thread(target=index.complete_vectors, daemon=True)
    thread.start()
    assert embedder.waiting.wait(30)

    other = Index(settings, FakeEmbedder(max_tokens=40), SHARED)
    try:
        for doc_id in [p.doc_id for p in index.catalog.pending_passages()[:1]] + ["qd-909"]:
            removed, _ = _timed(lambda doc_id=doc_id: other.remove(doc_id), 5)
            assert removed is True
    finally:
        other.close()
    embedder.gate.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    survivors = {m.doc_id for m in index.documents()}
    assert len(survivors) == 1 and _vector_docs(index) == survivors
    assert_consistent(index, expected_docs=1)


RUN_SCRIPT = """
import sys, time
from assistant.embeddings.fake import FakeEmbedder
from assistant.retrieval import index
from assistant.services import Services
from assistant.settings import load_settings

index.EMBED_GROUP = 2  # many small steps, so kills land between them too

class SlowEmbedder(FakeEmbedder):
    def embed_documents(self, texts):
        time.sleep(0.1)
        return super().embed_documents(texts)

settings = load_settings(overrides={"data_dir": sys.argv[1], "embedding": {"backend": "fake"}}, environ={})
services = Services(settings, embedder=SlowEmbedder(max_tokens=40))
services.index.vectors.count()
print("READY", flush=True)
services.complete_vectors()
print("DONE", flush=True)
"""


@pytest.mark.slow
def test_kill_9_of_a_run_while_another_process_removes_then_rerun_is_consistent(settings: Any,
                                                                                tmp_path: Path) -> None:
    """A vector run in a child, killed at a random moment while this process removes and replaces documents:
    the next run leaves no vector of a removed document, no duplicate and no passage without a vector."""
    from assistant.services import Services

    rng = random.Random(16)
    docs = tmp_path / "docs"
    for round_ in range(4):
        for number in range(4):
            _write(docs, f"qd-{960 + 4 * round_ + number}.txt",
                   long_regulation(6, changed=round_ + 1).replace("905", str(960 + 4 * round_ + number)))
        here = Services(settings, embedder=FakeEmbedder(max_tokens=40))
        here.ingest([docs], sync=True, vectors="later")
        child = subprocess.Popen([sys.executable, "-c", RUN_SCRIPT, str(settings.data_dir)],
                                 stdout=subprocess.PIPE, text=True, env={**os.environ})
        assert child.stdout is not None and child.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.05, 0.6))
        started = time.monotonic()
        victims = rng.sample(sorted(m.doc_id for m in here.index.documents()), 2)
        for doc_id in victims:
            assert here.remove_document(doc_id)
            (docs / f"{doc_id}.txt").unlink()
        assert time.monotonic() - started < 5, "the removals waited for the run"
        _write(docs, f"qd-{990 + round_}.txt", long_regulation(5).replace("905", str(990 + round_)))
        here.ingest([docs], sync=True, vectors="later")
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()

        here.complete_vectors()
        assert not _vector_docs(here.index) & set(victims)
        assert_consistent(here.index, expected_docs=len(list(docs.iterdir())))
        here.index.close()
