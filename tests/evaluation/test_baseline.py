"""The naive LangChain baseline: character chunks labelled by the "Điều" they start in."""

from __future__ import annotations

from pathlib import Path

from assistant.embeddings.fake import FakeEmbedder
from assistant.evaluation.baseline import NaiveBaseline, split_documents

TOPICS = ["đất đai", "hôn nhân", "giáo dục", "môi trường", "du lịch"]
LAW = "\n\n".join(f"Điều {n}. Tiêu đề {n}\n" + " ".join([f"nội dung về {topic} của điều này."] * 50)
                  for n, topic in enumerate(TOPICS, 1))


def test_chunks_are_labelled_by_the_article_they_start_in() -> None:
    chunks = split_documents([("luat", LAW)])
    assert len(chunks) >= 10 and all(len(c.text) <= 1000 for c in chunks)
    assert chunks[0].article == "1"
    assert [c.article for c in chunks] == sorted((c.article for c in chunks), key=int)


def test_search_and_reuse(tmp_path: Path) -> None:
    chunks = split_documents([("luat", LAW), ("khac", "Văn bản không có điều nào, chỉ có chữ.")])
    first = NaiveBaseline(chunks, FakeEmbedder(), tmp_path)
    first.build()
    assert not first.reused
    assert first.bm25("giáo dục", 3)[0].article == "3"
    assert len(first.dense("môi trường", 4)) == 4
    again = NaiveBaseline(chunks, FakeEmbedder(), tmp_path)
    again.build()
    assert again.reused  # same chunks in the same folder: vectors are not recomputed
