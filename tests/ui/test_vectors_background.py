"""Issue 15 in the interface: an upload returns once keyword search has it; vectors follow in the background.

A live server over a fake embedder whose ``embed_documents`` waits for a gate: the upload must come back (and a
member's question be answered) while the gate is shut, the documents tab's line must say "đang xử lý", then
"hoàn tất" once the gate opens, and its timer must stop. A background failure is logged and shown, never raised.
Also: a document with text addressed to the assistant is ingested with a warning, shown and audited (task 2).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.embeddings.fake import FakeEmbedder
from tests.ui.conftest import LiveUI, start_ui, stop_ui

pytestmark = pytest.mark.integration  # a real Gradio server on loopback

REPO = Path(__file__).resolve().parents[2]
INJECTED = REPO / "evals" / "injection" / "01-lich-thu-dang-phi-quy-1.txt"


class GatedEmbedder(FakeEmbedder):
    """The fake embedder, but passages wait until ``gate`` is open (queries never wait); ``waiting`` is set once
    a batch reached it."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = threading.Event()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Wait for the gate (at most a minute), then embed."""
        self.waiting.set()
        assert self.gate.wait(60), "the test never opened the gate"
        return super().embed_documents(texts)


class BrokenEmbedder(FakeEmbedder):
    """Fails to embed passages until ``fixed``: the background thread's failure."""

    fixed = False

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Raise like a model that ran out of memory, unless fixed."""
        if not self.fixed:
            raise RuntimeError("out of memory at /srv/chibo/models/minilm")
        return super().embed_documents(texts)


@pytest.fixture(scope="module")
def gated_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveUI, GatedEmbedder]]:
    embedder = GatedEmbedder()
    ui = start_ui(tmp_path_factory.mktemp("vectors") / "data", embedder=embedder)
    try:
        yield ui, embedder
    finally:
        embedder.gate.set()
        stop_ui(ui)


def _request(user: str) -> Any:
    return SimpleNamespace(username=user)


def _wait_for(predicate: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_upload_returns_before_vectors_and_the_line_goes_to_complete(gated_ui: tuple[LiveUI, GatedEmbedder]) -> None:
    from gradio_client import handle_file

    ui, embedder = gated_ui
    handlers = ui.app.handlers
    embedder.gate.clear()
    try:
        started = time.monotonic()
        result = ui.client("bithu").predict([handle_file(str(ui.sample))], api_name="/ingest")
        assert time.monotonic() - started < 50, "the upload waited for the vectors"
        summary, rows, line = result[0], result[1], result[-2]
        assert "Nạp 1" in summary and rows["data"][0][1] == "đã nạp"
        status = ui.services.vector_status()
        assert status["pending"] > 0 and status["embedded"] == 0 and status["working"]
        assert line == f"Tìm theo từ khóa: sẵn sàng. Tìm theo nghĩa: 0/{status['passages']} đoạn (đang xử lý)"
        text, timer = handlers.vector_progress(_request("bithu"))
        assert "(đang xử lý)" in text and timer.active, "the timer ticks while vectors are being made"

        # Search answers meanwhile, from keywords.
        question = "Đảng viên dự bị có phải cài đặt ứng dụng Sổ tay đảng viên điện tử không?"
        history, sources, _, payload = ui.client("dangvien").predict(question, [], [], [], api_name="/ask")
        assert "Điều 2" in sources and payload["sources"][0]["article"] == "2"
        assert ui.services.vector_status()["embedded"] == 0, "answered before any vector existed"
    finally:
        embedder.gate.set()

    _wait_for(lambda: not handlers.vector_progress(_request("bithu"))[1].active)
    text, timer = handlers.vector_progress(_request("bithu"))
    status = ui.services.vector_status()
    assert status["pending"] == 0 and status["embedded"] == status["passages"] > 0
    assert text == f"Tìm theo từ khóa: sẵn sàng. Tìm theo nghĩa: {status['passages']}/{status['passages']} đoạn " \
                   "(hoàn tất)"
    assert not timer.active, "the timer stops once nothing is pending"


def test_the_timer_never_runs_for_a_member(gated_ui: tuple[LiveUI, GatedEmbedder]) -> None:
    ui, _ = gated_ui
    text, timer = ui.app.handlers.vector_progress(_request("dangvien"))
    assert text == "" and not timer.active
    assert not any(e["action"] == "refused" and e["who"] == "dangvien" for e in ui.audit()), "no audit per tick"


def test_the_tick_refreshes_only_the_line_and_itself(gated_ui: tuple[LiveUI, GatedEmbedder]) -> None:
    ui, _ = gated_ui
    app = ui.app
    ticks = [fn for fn in app.blocks.fns.values() if fn.name == "vector_progress"]
    assert len(ticks) == 1
    assert [c._id for c in ticks[0].outputs] == [app.vector_md._id, app.vector_timer._id]
    assert not app.vector_timer.active, "the timer starts stopped; an upload or the page load starts it"


def test_a_second_upload_while_vectors_run_is_completed_too(gated_ui: tuple[LiveUI, GatedEmbedder],
                                                            tmp_path: Path) -> None:
    from gradio_client import handle_file

    ui, embedder = gated_ui
    embedder.gate.clear()
    try:
        client = ui.client("bithu")
        first = tmp_path / "ke-hoach-1.txt"
        first.write_text("KẾ HOẠCH\nĐiều 1. Chi bộ triển khai ứng dụng trong tháng 5.\n", encoding="utf-8")
        second = tmp_path / "ke-hoach-2.txt"
        second.write_text("KẾ HOẠCH\nĐiều 1. Đảng viên học nghị quyết mới trong quý 3.\n", encoding="utf-8")
        assert "(đang xử lý)" in client.predict([handle_file(str(first))], api_name="/ingest")[-2]
        assert "(đang xử lý)" in client.predict([handle_file(str(second))], api_name="/ingest")[-2]
    finally:
        embedder.gate.set()
    _wait_for(lambda: not ui.services.vector_status()["working"])
    assert ui.services.vector_status()["pending"] == 0


def test_removing_a_document_while_vectors_run_returns_at_once(gated_ui: tuple[LiveUI, GatedEmbedder],
                                                                tmp_path: Path) -> None:
    """"Gỡ tài liệu" during a background run: back within seconds, gone from search at once, its vectors gone
    once the run ends (the run was embedding its passages when it was removed)."""
    from gradio_client import handle_file

    ui, embedder = gated_ui
    client = ui.client("bithu")
    first = tmp_path / "ke-hoach-go.txt"
    first.write_text("KẾ HOẠCH\nĐiều 1. Chi bộ nạo vét kênh thủy lợi nội đồng trước mùa mưa.\n", encoding="utf-8")
    second = tmp_path / "ke-hoach-giu.txt"
    second.write_text("KẾ HOẠCH\nĐiều 1. Chi bộ trồng cây xanh dọc đường liên ấp.\n", encoding="utf-8")
    embedder.gate.clear()
    embedder.waiting.clear()
    try:
        client.predict([handle_file(str(first)), handle_file(str(second))], api_name="/ingest")
        assert embedder.waiting.wait(30), "the background run never reached the model"
        started = time.monotonic()
        out: dict[str, Any] = {}
        remover = threading.Thread(target=lambda: out.setdefault(
            "result", client.predict("ke-hoach-go", "", api_name="/remove_document")), daemon=True)
        remover.start()
        remover.join(timeout=15)
        assert not remover.is_alive(), "removal waited for the whole vector run"
        assert time.monotonic() - started < 15 and "ke-hoach-go" in out["result"][0]
        table = client.predict("", api_name="/list_documents")
        assert "ke-hoach-go" not in {row[0] for row in table["data"]} and "ke-hoach-giu" in {
            row[0] for row in table["data"]}
        assert all(hit.doc_id != "ke-hoach-go" for hit in ui.services.search("nạo vét kênh thủy lợi", k=5))
        assert ui.services.vector_status()["working"], "all of this happened during the run"
    finally:
        embedder.gate.set()
    _wait_for(lambda: not ui.services.vector_status()["working"])
    index = ui.services.index
    stored = index.vectors.all_ids()
    assert not [vid for vid in stored if vid.startswith("ke-hoach-go#")], "vectors of the removed document left"
    assert any(vid.startswith("ke-hoach-giu#") for vid in stored)
    assert stored == index.catalog.passage_ids() and ui.services.vector_status()["pending"] == 0


def test_a_document_with_instructions_is_ingested_with_a_warning_shown_and_audited(
        gated_ui: tuple[LiveUI, GatedEmbedder], tmp_path: Path) -> None:
    from gradio_client import handle_file

    from assistant.ingest.pipeline import INSTRUCTIONS_WARNING

    ui, _ = gated_ui
    clean = tmp_path / "thong-bao.txt"
    clean.write_text("THÔNG BÁO\nChi bộ họp định kỳ vào ngày 5 hằng tháng tại nhà văn hóa ấp.\n", encoding="utf-8")
    result = ui.client("bithu").predict([handle_file(str(INJECTED)), handle_file(str(clean))], api_name="/ingest")
    rows = {row[0]: row for row in result[1]["data"]}
    assert rows[INJECTED.name][1] == "đã nạp" and INSTRUCTIONS_WARNING in rows[INJECTED.name][3]
    assert rows["thong-bao.txt"][1] == "đã nạp" and "trợ lý AI" not in rows["thong-bao.txt"][3]
    entries = {e["what"]: e for e in ui.audit() if e["action"] == "ingest"}
    assert entries[INJECTED.name]["instructions"] is True
    assert INSTRUCTIONS_WARNING in entries[INJECTED.name]["warnings"]
    assert "instructions" not in entries["thong-bao.txt"]
    table = ui.client("bithu").predict("", api_name="/list_documents")
    warned = {row[0]: row[-1] for row in table["data"]}
    assert INSTRUCTIONS_WARNING in warned[INJECTED.stem] and "trợ lý AI" not in warned["thong-bao"]


def test_a_background_failure_is_logged_and_shown_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                            ) -> None:
    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore
    from assistant.ui.handlers import Guard, Handlers
    from assistant.ui.i18n import Texts
    from tests.ui.conftest import SAMPLE_MD

    settings = load_settings(overrides={"data_dir": str(tmp_path / "data"), "embedding": {"backend": "fake"}},
                             environ={})
    embedder = BrokenEmbedder()
    services = Services(settings, embedder=embedder)
    users = UserStore(settings.data_dir, rounds=4)
    users.add("bithu", "secretary", "mat-khau-thu-nghiem")
    handlers = Handlers(services, Guard(users, AuditLog(settings.log_dir), Texts("vi")))
    sample = tmp_path / "so-tay.md"
    sample.write_text(SAMPLE_MD, encoding="utf-8")
    try:
        report = services.ingest([sample], vectors="later")
        assert report.pending_vectors > 0
        with caplog.at_level(logging.ERROR):
            services.complete_vectors_in_background().join(timeout=60)
        assert any("vector completion failed" in r.getMessage() for r in caplog.records)
        status = services.vector_status()
        assert status["pending"] > 0 and not status["working"] and status["error"] == "RuntimeError"
        text, timer = handlers.vector_progress(_request("bithu"))
        assert "tạm dừng vì gặp lỗi" in text and "/srv" not in text and not timer.active
        assert services.search("Sổ tay đảng viên điện tử"), "keyword search is unaffected"

        embedder.fixed = True  # the next upload retries
        services.complete_vectors_in_background().join(timeout=60)
        status = services.vector_status()
        assert status["pending"] == 0 and "error" not in status
        assert handlers.vector_progress(_request("bithu"))[0].endswith("(hoàn tất)")
    finally:
        services.index.close()


def test_resume_vectors_starts_only_when_something_is_pending(tmp_path: Path) -> None:
    from assistant.services import Services
    from assistant.settings import load_settings
    from tests.ui.conftest import SAMPLE_MD

    settings = load_settings(overrides={"data_dir": str(tmp_path / "data"), "embedding": {"backend": "fake"}},
                             environ={})
    services = Services(settings, embedder=FakeEmbedder())
    sample = tmp_path / "so-tay.md"
    sample.write_text(SAMPLE_MD, encoding="utf-8")
    try:
        assert services.resume_vectors() is False  # no index yet
        services.ingest([sample], vectors="later")
        assert services.resume_vectors() is True
        _wait_for(lambda: not services.vector_status()["working"])
        assert services.vector_status()["pending"] == 0
        assert services.resume_vectors() is False
    finally:
        services.index.close()
