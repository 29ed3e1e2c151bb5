"""The study chain on the real models: the packaged MiniLM embedder and the embedded SmolLM2 GGUF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.integrations.langchain import ChiboRetriever, study_chain
from assistant.llm.capabilities import Capabilities
from assistant.settings import load_settings
from tests.retrieval.conftest import REG_901, REG_902, RES_57

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTION = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"


@pytest.fixture(scope="module")
def real_services(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Iterator[Any]:
    from assistant.services import Services

    root = tmp_path_factory.mktemp("langchain-real")
    docs = root / "docs"
    docs.mkdir()
    for name, text in (("qd-901.txt", REG_901), ("qd-902.txt", REG_902), ("nq-957.md", RES_57)):
        (docs / name).write_text(text, encoding="utf-8")
    # One llama.cpp thread and short answers: 2 shared cores.
    settings = load_settings(overrides={"data_dir": str(root / "data"), "llm": {
        "backend": "embedded", "max_tokens": 48, "embedded": {"n_threads": 1}}}, environ={})
    services = Services(settings, embedder=real_embedder)
    assert services.ingest([docs]).counts["ingested"] == 3
    yield services
    services.index.close()


def test_chain_answers_with_citations_on_real_models(real_services: Any, no_network: Any) -> None:
    answer = study_chain(real_services).invoke(QUESTION)
    assert real_services.llm.name == "embedded" and not real_services.llm.capabilities.writes_vietnamese
    assert answer["mode"] == "extractive"
    assert answer["sources"][0]["citation"] == "khoản 1 Điều 2 Quy định 901-QĐ/TW"
    assert any("30 ngày" in q for q in answer["sources"][0]["quotes"])
    docs = ChiboRetriever(searcher=real_services.searcher, k=3).invoke(QUESTION)
    assert docs[0].metadata["citation"] == "khoản 1 Điều 2 Quy định 901-QĐ/TW"


def test_generated_answer_from_the_real_model_is_verified(real_services: Any, no_network: Any) -> None:
    """SmolLM2 forced to write: whatever it streams, LangChain gets only verified sentences or the refusal."""
    real_services.llm.capabilities = Capabilities(writes_vietnamese=True)
    try:
        chunks = list(study_chain(real_services).stream(QUESTION))
    finally:
        real_services.llm.capabilities = Capabilities()
    assert len(chunks) == 1
    answer = chunks[0]
    # What the verifier refuses is dropped and the verbatim quotes stand alone ("extractive").
    assert answer["mode"] in ("generative", "extractive")
    if answer["mode"] == "extractive":
        assert answer["lead"] == "" and all(s not in answer["answer"] for s in answer["removed_sentences"])
    else:
        markers = {s["marker"] for s in answer["sources"]}
        assert {int(m) for m in re.findall(r"\[(\d+)\]", answer["answer"])} <= markers
        for sentence in answer["removed_sentences"]:
            assert sentence not in answer["answer"]
