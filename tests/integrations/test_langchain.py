"""LangChain integration: the retriever and the study chain, with the fake LLM and the fake embedder."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from assistant.cli import knowledge
from assistant.cli.base import Context
from assistant.cli.main import build_parser
from assistant.errors import ValidationFailed
from assistant.integrations.langchain import ChiboRetriever, study_chain
from assistant.llm.capabilities import Capabilities
from assistant.llm.fake import FakeLLM
from assistant.study.chat import NO_ANSWER_VI

QUESTION = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"


def _json(data: Any) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _cli_json(services: Any, question: str, capsys: pytest.CaptureFixture[str]) -> Any:
    ctx = Context(settings=services.settings, json=True, _services=services)
    assert knowledge._ask(ctx, build_parser().parse_args(["ask", question])) == 0
    return json.loads(capsys.readouterr().out)


def test_chain_returns_what_chibo_ask_json_prints(indexed, capsys) -> None:
    answer = study_chain(indexed).invoke(QUESTION)
    assert answer["mode"] == "extractive" and not answer["refused"]
    assert answer["sources"][0]["citation"] == "khoản 1 Điều 2 Quy định 901-QĐ/TW"
    assert _json(answer) == _cli_json(indexed, QUESTION, capsys)


def test_stream_yields_the_one_verified_answer_and_batch_answers_each(indexed) -> None:
    chain = study_chain(indexed)
    chunks = list(chain.stream(QUESTION))
    assert len(chunks) == 1 and chunks[0] == chain.invoke(QUESTION)
    first, second = chain.batch([QUESTION, "Giá vàng hôm nay bao nhiêu?"])
    assert first["mode"] == "extractive"
    assert second["refused"] and second["answer"].startswith(NO_ANSWER_VI)


def test_generated_answer_is_verified_before_langchain_sees_it(indexed, fake_llm: FakeLLM) -> None:
    fake_llm.capabilities = Capabilities(writes_vietnamese=True)
    fake_llm.queue('Đảng viên phải cài đặt trong "thời hạn 30 ngày kể từ ngày được cấp tài khoản" [1]. '
              "Ngoài ra đảng viên được thưởng 5 triệu đồng [7].")
    chunks = list(study_chain(indexed).stream(QUESTION))
    assert len(chunks) == 1
    answer = chunks[0]
    assert answer["mode"] == "generative" and "30 ngày" in answer["answer"]
    assert "5 triệu" not in answer["answer"]
    assert answer["removed_sentences"] == ["Ngoài ra đảng viên được thưởng 5 triệu đồng [7]."]


def test_mapping_input_narrows_the_call(indexed) -> None:
    answer = study_chain(indexed).invoke({"question": "cập nhật thông tin cá nhân khi có thay đổi",
                                          "doc_ids": ["qd-902"], "k": 2})
    assert {s["hit"]["doc_id"] for s in answer["sources"]} == {"qd-902"}
    assert len(answer["sources"]) <= 2


def test_chain_composes_with_other_runnables(indexed) -> None:
    chain = RunnableLambda(lambda q: q.strip()) | study_chain(indexed) | RunnableLambda(lambda a: a["sources"])
    sources = chain.invoke(f"  {QUESTION}  ")
    assert sources[0]["citation"] == "khoản 1 Điều 2 Quy định 901-QĐ/TW"


@pytest.mark.parametrize("bad", ["   ", {"k": 3}, 42])
def test_missing_question_is_a_clear_error(indexed, bad) -> None:
    with pytest.raises(ValidationFailed):
        study_chain(indexed).invoke(bad)


def test_retriever_returns_documents_with_citations(indexed) -> None:
    docs = ChiboRetriever(searcher=indexed.searcher, k=2, doc_ids=["qd-901"]).invoke("chia sẻ tài khoản")
    assert docs and all(isinstance(d, Document) for d in docs)
    assert {d.metadata["doc_id"] for d in docs} == {"qd-901"}
    assert docs[0].metadata["citation"] == "khoản 3 Điều 2 Quy định 901-QĐ/TW"
    assert "text" not in docs[0].metadata and "chia sẻ tài khoản" in docs[0].page_content
