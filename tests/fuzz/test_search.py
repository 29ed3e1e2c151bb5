"""Search over a real (small) index with random questions: answers a list of hits, never crashes."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz.strategies import short_text
from tests.ui.conftest import SAMPLE_MD


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    data = tmp_path_factory.mktemp("fuzz-search")
    settings = load_settings(overrides={"data_dir": str(data / "data"), "embedding": {"backend": "fake"},
                                        "llm": {"backend": "fake"}}, environ={})
    services = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())
    source = data / "so-tay.md"
    source.write_text(SAMPLE_MD, encoding="utf-8")
    services.ingest([source])
    yield services
    services.index.close()


@given(text=short_text)
def test_search_answers_any_question_with_known_documents(searcher, text: str) -> None:
    from assistant.retrieval.search import Query

    hits, _plan = searcher.searcher.search(Query(text=text, k=3))
    assert len(hits) <= 3
    assert {h.doc_id for h in hits} <= {"so-tay"}
