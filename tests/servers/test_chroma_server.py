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
    chunks = {r.doc_id: r.chunks for r in report.results}
    total = sum(chunks.values())
    assert total >= 4

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
