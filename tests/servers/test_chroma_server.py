"""store.mode=http: the index keeps its vectors on a real Chroma server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import AssistantError
from assistant.llm.fake import FakeLLM
from assistant.services import Services
from tests.servers.conftest import Server

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOCUMENTS = {
    "nq-hop-tac-xa.txt": """NGHỊ QUYẾT
về phát triển kinh tế tập thể trên địa bàn xã

Điều 1. Mục tiêu
Phát triển hợp tác xã nông nghiệp gắn với chuyển đổi số, nâng cao thu nhập cho xã viên và người dân.

Điều 2. Nhiệm vụ
Chi bộ lãnh đạo đảng viên gương mẫu tham gia hợp tác xã và tổ hợp tác, vận động hộ gia đình cùng tham gia.
""",
    "qd-so-tay-dang-vien.txt": """QUY ĐỊNH
về việc sử dụng ứng dụng Sổ tay đảng viên điện tử

Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc sử dụng ứng dụng Sổ tay đảng viên điện tử trong sinh hoạt chi bộ.

Điều 2. Trách nhiệm của đảng viên
Đảng viên phải cài đặt ứng dụng và đọc tài liệu sinh hoạt trước kỳ họp ít nhất một ngày.
""",
}


def _remote(server: Server) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.HttpClient(host="127.0.0.1", port=server.port,
                               settings=ChromaSettings(anonymized_telemetry=False))


@pytest.fixture
def services(settings: Any, chroma_server: Server, real_embedder: Any) -> Iterator[Services]:
    settings.store.mode = "http"
    settings.store.host = "127.0.0.1"
    settings.store.port = chroma_server.port
    settings.store.collection = f"chibo_{uuid.uuid4().hex[:10]}"  # one collection per test on the shared server
    svc = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=real_embedder)
    yield svc
    svc.index.close()


@pytest.fixture
def sample_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = []
    for name, text in DOCUMENTS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_ingest_search_and_remove_against_the_server(services: Services, sample_files: list[Path],
                                                     chroma_server: Server, no_network: Any) -> None:
    name = services.settings.store.collection
    report = services.ingest(sample_files)
    assert report.counts["ingested"] == 2, report.to_dict()
    chunks = {r.doc_id: r.passages for r in report.results}  # one vector per dense passage
    total = sum(chunks.values())
    assert total >= 2 and sum(r.chunks for r in report.results) >= 4

    # The vectors live on the server, not in a local Chroma directory.
    assert not (services.index.root / "chroma").exists()
    remote = _remote(chroma_server)
    assert name in [c.name for c in remote.list_collections()]
    collection = remote.get_collection(name)  # no embedding function passed: see the next test
    assert collection.count() == total == services.index.vectors.count()
    stored = collection.get(include=["embeddings", "metadatas"])
    assert len(stored["embeddings"][0]) == len(services.embedder.embed_query("kiểm tra"))  # MiniLM: 384
    assert {m["doc_id"] for m in stored["metadatas"]} == set(chunks)

    from assistant.retrieval.search import Query, Searcher

    hybrid = Searcher(services.index, services.settings.retrieval.model_copy(update={"dense_weight": 0.3}))
    hits, _ = hybrid.search(Query("đảng viên cài đặt ứng dụng Sổ tay trước kỳ họp", k=3))
    assert hits and hits[0].doc_id == "qd-so-tay-dang-vien"
    assert any(h.scores.get("dense", 0) > 0 for h in hits)  # the dense half answered from the server

    assert services.remove_document("nq-hop-tac-xa")
    assert collection.count() == total - chunks["nq-hop-tac-xa"]
    assert {m["doc_id"] for m in collection.get(include=["metadatas"])["metadatas"]} == {"qd-so-tay-dang-vien"}
    assert all(h.doc_id != "nq-hop-tac-xa" for h in services.search("hợp tác xã nông nghiệp", k=3))


def test_reopening_without_our_embedding_function_downloads_nothing(services: Services, sample_files: list[Path],
                                                                    chroma_server: Server,
                                                                    no_network: Any) -> None:
    """Chroma's default embedding function downloads an ONNX model; a reopened collection must never reach it."""
    services.ingest(sample_files[:1])
    collection = _remote(chroma_server).get_collection(services.settings.store.collection)
    # Chroma embeds with the function stored in the collection's configuration,
    # rebuilt through the registry: ours, registered by VectorStore, not its default.
    function = collection.configuration.get("embedding_function")
    assert function is not None and function.name() == "chibo"
    assert collection.count() > 0
    # Rebuilt from config without a model, asked to embed it refuses rather than
    # falling back to anything that downloads.
    with pytest.raises(AssistantError, match="Bộ nhúng"):
        collection.query(query_texts=["hợp tác xã"], n_results=1)
    # A fresh Services (a new process would do the same) reopens the same server collection.
    again = Services(services.settings, llm=FakeLLM(writes_vietnamese=False), embedder=services.embedder)
    try:
        assert again.index.vectors.count() == collection.count()
    finally:
        again.index.close()


def test_server_down_is_a_clear_error(settings: Any, real_embedder: Any, no_network: Any) -> None:
    from tests.servers.conftest import free_port

    settings.store.mode = "http"
    settings.store.port = free_port()  # nothing listens there
    svc = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=real_embedder)
    try:
        with pytest.raises(AssistantError, match="Chroma") as err:
            svc.index.vectors.count()
        assert "chroma run" in (err.value.hint or "")
    finally:
        svc.index.close()


CELL_DOCUMENTS = {
    "": ("huong-dan-chung.txt", "HƯỚNG DẪN\nvề sinh hoạt chi bộ\n\nĐiều 1. Sinh hoạt định kỳ\n"
         "Chi bộ sinh hoạt định kỳ mỗi tháng một lần, thời gian ít nhất chín mươi phút.\n"),
    "ap-1": ("nq-ap-1.txt", "NGHỊ QUYẾT\ncủa chi bộ ấp 1\n\nĐiều 1. Nuôi tôm\n"
             "Chi bộ ấp 1 lãnh đạo phát triển vùng nuôi tôm càng xanh luân canh với lúa.\n"),
    "ap-2": ("nq-ap-2.txt", "NGHỊ QUYẾT\ncủa chi bộ ấp 2\n\nĐiều 1. Trồng dừa\n"
             "Chi bộ ấp 2 lãnh đạo mở rộng diện tích trồng dừa sáp và làm đường giao thông nông thôn.\n"),
}


def test_each_cell_searches_its_own_and_the_shared_documents_never_another_cells(
        settings: Any, chroma_server: Server, tmp_path: Path, no_network: Any) -> None:
    """Per-cell collections on a provincial Chroma server: one worker per cell, each with its own data dir (users,
    logs, its cell's catalog) and ``cell.id``; the shared catalog in ``store.shared_dir`` and every vector on
    the server. ``cell.id`` decides which collection a worker writes and which ones it may search."""
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.retrieval.search import Query, Searcher

    prefix = f"chibo_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / "docs"
    folder.mkdir()

    def worker(cell: str) -> Services:
        cfg = settings.model_copy(deep=True)
        cfg.store.mode, cfg.store.host, cfg.store.port = "http", "127.0.0.1", chroma_server.port
        cfg.store.collection = prefix
        cfg.store.shared_dir = tmp_path / "shared-index"
        cfg.data_dir = tmp_path / f"data-{cell or 'tinh'}"
        cfg.cell.id = cell
        return Services(cfg, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())

    workers = {cell: worker(cell) for cell in CELL_DOCUMENTS}
    for cell, (name, text) in CELL_DOCUMENTS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        assert workers[cell].ingest([path]).counts["ingested"] == 1
    names = {c.name: c.count() for c in _remote(chroma_server).list_collections() if c.name.startswith(prefix)}
    assert set(names) == {prefix, f"{prefix}_cell_ap-1", f"{prefix}_cell_ap-2"} and all(names.values())

    questions = {"nq-ap-1": "nuôi tôm càng xanh luân canh với lúa", "nq-ap-2": "trồng dừa sáp đường giao thông",
                 "huong-dan-chung": "sinh hoạt định kỳ mỗi tháng chín mươi phút"}
    for cell, own in (("ap-1", "nq-ap-1"), ("ap-2", "nq-ap-2")):
        services = workers[cell]
        assert {m.doc_id for m in services.documents()} == {own, "huong-dan-chung"}
        dense_only = Searcher(services.search_index, services.settings.retrieval.model_copy(
            update={"bm25_weight": 0.0, "dense_weight": 1.0}))
        for doc_id, question in questions.items():
            keyword = {h.doc_id for h in services.search(question, k=5)}
            dense = {h.doc_id for h in dense_only.search(Query(question, k=5))[0]}
            visible = doc_id in (own, "huong-dan-chung")
            assert (doc_id in keyword) is visible and (doc_id in dense) is visible, (cell, doc_id, keyword, dense)
            assert keyword | dense <= {own, "huong-dan-chung"}
    # The shared worker (no cell) sees only the shared documents.
    assert {m.doc_id for m in workers[""].documents()} == {"huong-dan-chung"}
    for services in workers.values():
        services.index.close()


def test_a_worker_with_another_model_never_wipes_the_servers_vectors(settings: Any, chroma_server: Server,
                                                                      tmp_path: Path, no_network: Any) -> None:
    """Locally a new embedding model re-embeds on its own; on a shared server it stops and names the fix."""
    from assistant.embeddings.fake import FakeEmbedder

    class Other(FakeEmbedder):
        model_id = "fake-other"

    settings.store.mode, settings.store.host, settings.store.port = "http", "127.0.0.1", chroma_server.port
    settings.store.collection = f"chibo_{uuid.uuid4().hex[:10]}"
    path = tmp_path / "nq.txt"
    path.write_text(DOCUMENTS["nq-hop-tac-xa.txt"], encoding="utf-8")
    first = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())
    first.ingest([path])
    stored = first.index.vectors.count()
    assert stored > 0
    other = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=Other())
    with pytest.raises(AssistantError, match="mô hình nhúng") as err:
        other.complete_vectors()
    assert "--rebuild" in (err.value.hint or "")
    assert first.index.vectors.count() == stored
    assert other.search("hợp tác xã nông nghiệp", k=2)  # keyword search is unaffected
    for services in (first, other):
        services.index.close()
