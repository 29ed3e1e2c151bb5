"""Study chat over the real sample corpus with the packaged MiniLM and a real Chroma store (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.study.answer import NO_ANSWER_VI, Conversation

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_services(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Any:
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    data = tmp_path_factory.mktemp("real-corpus")
    settings = load_settings(overrides={"data_dir": str(data), "llm": {"backend": "fake"}}, environ={})
    services = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=real_embedder)
    assert services.ingest([REPO / "corpus"]).counts["failed"] == 0
    yield services
    services.index.close()


def test_readme_example_follow_up_and_refusals(real_services: Any, no_network: Any) -> None:
    chat = real_services.chat
    conversation = Conversation()
    answer = chat.ask("Đảng viên phải cập nhật thông tin trên Sổ tay đảng viên điện tử trong bao lâu?",
                      conversation=conversation)
    assert not answer.refused and answer.sources[0].hit.citation == "khoản 1 Điều 6 Quy định 339-QĐ/TW"
    assert "Trả lời: **«chậm nhất 10 ngày làm việc" in answer.text
    follow = chat.ask("còn khoản 3 thì sao?", conversation=conversation)
    assert follow.sources[0].hit.citation == "khoản 3 Điều 6 Quy định 339-QĐ/TW"
    refused = chat.ask("Theo Luật Đất đai năm 2024, hộ gia đình hiến đất để mở rộng đường giao thông nông thôn có "
                       "được Nhà nước bồi thường không?")
    assert refused.refused and refused.text.startswith(NO_ANSWER_VI)
    assert "Các đoạn gần nhất (không trả lời trực tiếp)" in refused.text  # nearest passages, labelled


def test_out_of_domain_question_is_at_least_marked_unsure(real_services: Any, no_network: Any) -> None:
    """Not refused (see the xfail below), but the member is told the quotes may not answer, and no model
    wording presents them as the answer."""
    from assistant.study.answer import UNSURE_VI

    answer = real_services.chat.ask("Giá vàng hôm nay bao nhiêu?")
    assert answer.refused or (answer.unsure and answer.text.startswith(UNSURE_VI) and not answer.lead)
    sure = real_services.chat.ask("Đảng viên phải cập nhật thông tin trên Sổ tay đảng viên điện tử trong bao lâu?")
    assert not sure.unsure and sure.confidence is not None and sure.confidence >= 0.5


@pytest.mark.xfail(strict=True, reason="known gap (benchmarks/results/refusal.md): calibrated on paraphrased "
                   "answerable questions, the refusal model no longer refuses out-of-domain questions that share "
                   "everyday words with the documents")
def test_out_of_domain_question_is_refused(real_services: Any, no_network: Any) -> None:
    refused = real_services.chat.ask("Giá vàng hôm nay bao nhiêu?")
    assert refused.refused and refused.text.startswith(NO_ANSWER_VI)


def test_study_questions_retrieval_floor(real_services: Any) -> None:
    """Held-out 5-fold figures on these questions are Acc@1 ≈ 0.80, Acc@10 ≈ 0.99 (benchmarks/results)."""
    from assistant.evaluation.dataset import load_dataset
    from assistant.evaluation.retrieval import our_system, run_retrieval

    items = load_dataset(REPO / "evals" / "study_questions.jsonl")
    suite = run_retrieval(items, [our_system(real_services)])
    ours = suite.metrics["systems"]["ours"]
    assert ours["Acc@1"] >= 0.75 and ours["Acc@10"] >= 0.95
    assert ours["latency"]["p50_ms"] < 200  # the budget is 50 ms on an idle machine
