"""Dense passages: model-sized windows over the whole text, mapped back to the chunks they cover (fake embedder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.embeddings.fake import FakeEmbedder
from assistant.embeddings.windows import pack_windows, token_offsets
from assistant.retrieval.index import dense_passages
from tests.ingest.consistency import assert_consistent

HEAD = """[TÀI LIỆU MẪU – do nhóm phát triển soạn để thử nghiệm]
BAN CHẤP HÀNH TRUNG ƯƠNG
Số 905-QĐ/TW                              Hà Nội, ngày 05 tháng 3 năm 2026

QUY ĐỊNH
về sinh hoạt chi bộ thử nghiệm

Chương I
QUY ĐỊNH CHUNG
"""


def docs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    return folder


def long_regulation(articles: int = 30, changed: int | None = None) -> str:
    body = []
    for i in range(1, articles + 1):
        extra = " Nội dung này đã được sửa đổi, bổ sung." if i == changed else ""
        body.append(
            f"Điều {i}. Trách nhiệm thứ {i}\n"
            f"1. Đảng viên thực hiện nhiệm vụ số {i} đúng thời hạn {i + 5} ngày kể từ ngày nhận nhiệm vụ.{extra}\n"
            f"2. Chi ủy kiểm tra, đôn đốc việc thực hiện nhiệm vụ số {i} và báo cáo đảng ủy xã.\n"
            f"a) Báo cáo định kỳ hằng tháng về nhiệm vụ số {i};\n"
            f"b) Báo cáo đột xuất khi có yêu cầu.")
    return HEAD + "\n\n".join(body) + "\n"


class CountingEmbedder(FakeEmbedder):
    """Counts the passages it embeds; a window of 40 words."""

    def __init__(self, max_tokens: int = 40) -> None:
        super().__init__(max_tokens=max_tokens)
        self.embedded: list[str] = []

    def embed_documents(self, texts: Any) -> list[list[float]]:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


@pytest.fixture
def counting(settings: Any) -> Any:
    from assistant.services import Services

    embedder = CountingEmbedder()
    svc = Services(settings, embedder=embedder)
    yield svc, embedder
    svc.index.close()


def test_windows_cover_every_token_once_within_the_budget() -> None:
    text = "Một hai ba.\nBốn năm sáu bảy; tám chín mười.\n" * 20
    offsets = token_offsets(FakeEmbedder(), text)
    windows = pack_windows(text, offsets, cuts=[], anchors=[], budget=60)
    assert windows[0][0] == 0 and windows[-1][1] == len(text.rstrip())
    covered = 0
    for (_, e1), (s2, _) in zip(windows, windows[1:], strict=False):
        assert e1 <= s2 and not text[e1:s2].strip()  # no overlap, only whitespace between
    for start, end in windows:
        words = len(text[start:end].split())
        assert words <= 60
        covered += words
    assert covered == len(text.split())
    # Without chunk boundaries windows end at sentence or line ends.
    assert all(text[end - 1] in ".;" for _, end in windows[:-1])


def test_anchors_force_a_window_boundary() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    offsets = token_offsets(FakeEmbedder(), text)
    anchor = text.index("w30")
    windows = pack_windows(text, offsets, cuts=[anchor], anchors=[anchor], budget=40)
    assert any(start == anchor for start, _ in windows)


def test_dense_passages_fill_the_model_and_map_back_to_chunks(counting: Any, tmp_path: Path) -> None:
    svc, _ = counting
    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    report = svc.ingest([docs_dir(tmp_path) / "qd-905.txt"])
    result = report.results[0]
    assert result.passages < result.chunks  # short clauses share a window
    passages = svc.index.catalog.passages("qd-905")
    assert sum(p.tokens for p in passages) / len(passages) > 0.75 * (40 - 4)
    assert_consistent(svc.index, expected_docs=1)


def test_a_dense_hit_cites_its_clause(counting: Any, tmp_path: Path) -> None:
    from assistant.retrieval.search import Query, Searcher

    svc, _ = counting
    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    svc.ingest([docs_dir(tmp_path) / "qd-905.txt"])
    dense_only = svc.settings.retrieval.model_copy(update={"bm25_weight": 0.0, "dense_weight": 1.0})
    hits, _ = Searcher(svc.index, dense_only).search(
        Query("Đảng viên thực hiện nhiệm vụ số 17 đúng thời hạn 22 ngày kể từ ngày nhận nhiệm vụ.", k=6, steer=False))
    assert hits and all(h.scores.get("dense") is not None for h in hits)
    assert any(h.article == "17" and h.citation.startswith(("khoản", "Điều 17")) for h in hits), \
        [h.citation for h in hits]


def test_changed_document_reembeds_only_its_changed_passages(counting: Any, tmp_path: Path) -> None:
    svc, embedder = counting
    path = docs_dir(tmp_path) / "qd-905.txt"
    path.write_text(long_regulation(), encoding="utf-8")
    first = svc.ingest([path]).results[0]
    assert first.reused_passages == 0 and len(embedder.embedded) == first.passages
    embedder.embedded.clear()
    path.write_text(long_regulation(changed=12), encoding="utf-8")
    report = svc.ingest([path])
    again = report.results[0]
    assert again.status == "replaced"
    changed = again.passages - again.reused_passages
    assert 1 <= changed <= 3 and report.embedded == changed == len(embedder.embedded)
    assert any("sửa đổi, bổ sung" in text for text in embedder.embedded)
    assert_consistent(svc.index, expected_docs=1)


def test_keyword_search_works_before_vectors_and_dense_joins_later(counting: Any, tmp_path: Path) -> None:
    svc, embedder = counting
    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    report = svc.ingest([docs_dir(tmp_path)], vectors="later")
    assert report.pending_vectors == report.results[0].passages > 0 and embedder.embedded == []
    hits = svc.search("chi ủy kiểm tra đôn đốc nhiệm vụ số 7", k=3)
    assert hits and hits[0].article == "7" and "bm25" in hits[0].scores
    assert svc.index.dense_search(embedder.embed_query("nhiệm vụ"), 5) == []
    assert svc.vector_status()["pending"] == report.pending_vectors
    svc.complete_vectors_in_background().join(timeout=60)
    assert svc.vector_status() == {"passages": report.pending_vectors, "embedded": report.pending_vectors,
                                   "pending": 0, "working": False}
    assert svc.index.dense_search(embedder.embed_query("nhiệm vụ"), 5)
    assert_consistent(svc.index, expected_docs=1)


class NoModel(FakeEmbedder):
    """Fails if anything asks the model: an unchanged run must not need it."""

    def count_tokens(self, text: str) -> int:
        raise AssertionError("the model was asked to count tokens")

    def embed_documents(self, texts: Any) -> list[list[float]]:
        raise AssertionError("the model was asked to embed")


def test_unchanged_run_loads_no_model_and_opens_no_vector_store(settings: Any, tmp_path: Path) -> None:
    from assistant.services import Services

    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    Services(settings, embedder=FakeEmbedder()).ingest([docs_dir(tmp_path)])
    svc = Services(settings, embedder=NoModel())
    report = svc.ingest([docs_dir(tmp_path)])
    assert report.counts["unchanged"] == 1 and report.embedded == 0
    assert svc.index.vectors._collection is None  # Chroma never opened


def test_a_new_embedding_model_reembeds_everything(settings: Any, tmp_path: Path) -> None:
    from assistant.services import Services

    class Other(FakeEmbedder):
        model_id = "fake-other"

    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    first = Services(settings, embedder=FakeEmbedder())
    passages = first.ingest([docs_dir(tmp_path)]).results[0].passages
    first.index.close()
    other = Services(settings, embedder=Other())
    assert other.index.pending_vectors() == passages
    assert other.index.dense_search(other.embedder.embed_query("nhiệm vụ"), 3) == []  # never mixes models
    report = other.ingest([docs_dir(tmp_path)])
    assert report.counts["unchanged"] == 1 and report.embedded == passages
    assert_consistent(other.index, expected_docs=1)
    assert other.index.dense_search(other.embedder.embed_query("nhiệm vụ"), 3)


def test_data_dir_of_the_chunk_vector_layout_is_upgraded(settings: Any, tmp_path: Path) -> None:
    """A data dir written before dense passages (pipeline 1: one vector per chunk, no passages table) is
    re-indexed on the next ingest; the chunk-keyed vectors are deleted."""
    import sqlite3

    from assistant.services import Services

    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    svc = Services(settings, embedder=FakeEmbedder())
    svc.ingest([docs_dir(tmp_path)])
    chunk_ids = sorted(svc.index.catalog.chunk_ids())
    svc.index.vectors.reset()
    svc.index.vectors.upsert(chunk_ids, FakeEmbedder().embed_documents(chunk_ids),
                             [{"doc_id": "qd-905"} for _ in chunk_ids])
    svc.index.close()
    with sqlite3.connect(svc.index.root / "catalog.sqlite3") as conn:
        conn.execute("DROP TABLE passages")
        conn.execute("DROP TABLE dropped")
        conn.execute("DELETE FROM state WHERE key IN ('vector_layout', 'vector_model')")
        conn.execute("UPDATE documents SET pipeline_version='1'")

    again = Services(settings, embedder=FakeEmbedder())
    report = again.ingest([docs_dir(tmp_path)])
    assert [r.status for r in report.results] == ["reindexed"]
    assert_consistent(again.index, expected_docs=1)
    assert not set(chunk_ids) & again.index.vectors.all_ids()


def test_dense_passages_are_stable_ids_by_content() -> None:
    from assistant.ingest.chunking import Chunker
    from assistant.ingest.structure import parse_structure
    from assistant.records import DocumentMeta, LoadedText

    embedder = FakeEmbedder(max_tokens=40)

    def passages(text: str) -> list[str]:
        loaded = LoadedText(Path("x.txt"), "txt", text)
        meta = DocumentMeta(doc_id="x", content_hash="h" * 12)
        chunks = Chunker(embedder.count_tokens, 36)(loaded, meta, parse_structure(text))
        return [p.passage_id for p in dense_passages(embedder, "x", text, chunks)]

    assert passages(long_regulation()) == passages(long_regulation())
    before, after = passages(long_regulation()), passages(long_regulation(changed=20))
    assert len(set(after) - set(before)) <= 3


def test_first_search_after_a_fresh_ingest_does_not_retokenize(settings: Any, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Bug: a new catalog had no tokenizer stamp, so the first search re-segmented every chunk (a minute for the
    17 laws, and a write racing the ingest). A catalog created by this version is stamped at its first write."""
    from assistant.retrieval.catalog import Catalog
    from assistant.services import Services

    (docs_dir(tmp_path) / "qd-905.txt").write_text(long_regulation(), encoding="utf-8")
    Services(settings, embedder=FakeEmbedder()).ingest([docs_dir(tmp_path)])

    def refuse(*args: Any) -> int:
        raise AssertionError("retokenized")

    monkeypatch.setattr(Catalog, "retokenize", refuse)
    fresh = Services(settings, embedder=FakeEmbedder())
    assert fresh.search("chi ủy kiểm tra đôn đốc nhiệm vụ số 7", k=1)[0].article == "7"
    fresh.index.close()
