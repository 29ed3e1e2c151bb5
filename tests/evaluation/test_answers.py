"""Answer suite: verdict parsing, and scoring study chat with fake models."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.answers import NOT_APPLICABLE, numbers_recall, parse_choice, parse_true_false, run_answers
from assistant.evaluation.dataset import load_dataset
from assistant.evaluation.gold import GoldMatcher
from assistant.evaluation.judge import LLMJudge, parse_judgement
from assistant.evaluation.judgement import probe_judgement
from assistant.evaluation.retrieval import known_paths
from assistant.llm.capabilities import Capabilities
from assistant.llm.fake import FakeLLM


@pytest.mark.parametrize(("text", "verdict"), [
    ("Đúng. Theo khoản 1 Điều 5 [1] ...", "Đúng"),
    ("Sai, vì quy định là 05 ngày [1].", "Sai"),
    ("Nhận định này là không đúng [2].", "Sai"),
    ("Trả lời: Đúng", "Đúng"),
    ("Để xét đúng/sai, đối chiếu với điều khoản sau: [1] Điều 5.", None),  # the extractive template
    ("Câu hỏi đúng hay sai còn tùy [1].", None),
    ("Phần đầu đúng nhưng phần sau sai [1].", None),  # both verdicts: unreadable
    ("Không có thông tin.", None),
])
def test_parse_true_false(text: str, verdict: str | None) -> None:
    assert parse_true_false(text) == verdict


CHOICES = {"A": "05 ngày làm việc", "B": "10 ngày làm việc", "C": "15 ngày làm việc", "D": "30 ngày làm việc"}


@pytest.mark.parametrize(("text", "letter"), [
    ("Đáp án C: 15 ngày làm việc [1].", "C"),
    ("C. 15 ngày làm việc [1]", "C"),
    ("Chọn phương án B [2].", "B"),
    ("Thời hạn là 15 ngày làm việc [1].", "C"),  # names exactly one option
    ("A) hoặc B) đều có thể.", None),
    ("Không rõ.", None),
])
def test_parse_choice(text: str, letter: str | None) -> None:
    assert parse_choice(text, CHOICES) == letter


def test_numbers_recall() -> None:
    assert numbers_recall("Trong 30 ngày, chậm nhất 05 ngày", "30 ngày") == 0.5
    assert numbers_recall("Không có số", "30") is None


def test_parse_judgement() -> None:
    assert parse_judgement("ĐẠT\nĐúng ý chính.") is True
    assert parse_judgement("KHÔNG ĐẠT\nThiếu thời hạn.") is False
    assert parse_judgement("fail: wrong") is False
    assert parse_judgement("Tôi nghĩ là...") is None


class ScriptedLLM(FakeLLM):
    """Answers by the first keyword of the question found in the prompt."""

    def __init__(self, script: dict[str, str]) -> None:
        super().__init__(writes_vietnamese=True)
        self.script = script

    def _next(self, prompt: Any) -> str:
        text = super()._next(prompt)
        content = self.prompts[-1][-1].content
        question = next((line for line in content.splitlines() if line.startswith("Câu hỏi:")), "")
        return next((answer for key, answer in self.script.items() if key in question), text)


def _services(world: dict[str, Path], settings: Any, llm: Any) -> Any:
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.services import Services

    services = Services(settings, llm=llm, embedder=FakeEmbedder())
    services.ingest([world["docs"]])
    return services


def test_writing_model_is_scored(world: dict[str, Path], eval_settings: Any) -> None:
    llm = ScriptedLLM({
        "sinh hoạt thường kỳ": "Chi bộ sinh hoạt thường kỳ vào ngày 05 hằng tháng [1].",
        "đảng phí": 'Đúng, đảng viên nộp đảng phí "trước ngày 10 hằng tháng" [1].',
        "kiểm tra bao lâu": 'Đáp án B: "Sổ được bí thư kiểm tra mỗi quý một lần" [1].',
        "lưu ở đâu": 'Sổ cũ được lưu tại văn phòng đảng ủy [1]. Thời hạn là "trong 10 năm lưu trữ" [1].',
    })
    services = _services(world, eval_settings, llm)
    items = load_dataset(world["dataset"])
    judge = LLMJudge(FakeLLM(["ĐẠT\nđủ ý", "KHÔNG ĐẠT\nsai thời hạn"], model="judge-model"))
    suite = run_answers(items, services, GoldMatcher(known_paths(services)), judge=judge)
    m = suite.metrics
    rows = suite.items
    # The model writes but was never measured able to judge: its verdicts are not shown, so not scored.
    assert rows["T-2"]["verdict"] == NOT_APPLICABLE and rows["T-3"]["verdict"] == NOT_APPLICABLE
    assert rows["T-4"]["refused"] and m["refusals"]["refusal_rate_unanswerable"] == 1.0
    assert m["refusals"]["false_refusal_rate"] == 0.0
    # answers shown under the "may not answer" caution are counted per kind of question
    unsure = {r["id"] for r in rows.values() if r.get("unsure")} if isinstance(rows, dict) else set()
    assert m["refusals"]["unsure_unanswerable"] + m["refusals"]["unsure_answerable"] == len(unsure)
    # T-5's invented quotation is removed by the verifier and counted
    assert rows["T-5"]["sentences_removed"] >= 1
    assert m["quotes"]["verification_rate"] == 1.0
    # article-level citations are stable; item-level ones depend on which part search focuses on
    assert rows["T-1"]["cited_correct"] and rows["T-2"]["cited_correct"]
    assert m["citations"]["with_citations"] == 4 and m["citations"]["any_correct"] >= 0.5
    assert m["judge"]["label"].startswith("LLM judge (fake:judge-model)")
    assert m["judge"]["n"] == 2 and m["judge"]["passed"] == 1
    assert m["latency"]["first_token"]["p50_ms"] is not None
    assert m["modes"].get("generative", 0) >= 1


def test_a_judging_model_has_its_verdicts_scored(world: dict[str, Path], eval_settings: Any) -> None:
    llm = ScriptedLLM({"đảng phí": 'Sai. Đảng viên nộp đảng phí "trước ngày 10 hằng tháng" [1].'})
    llm.capabilities = Capabilities(writes_vietnamese=True, judges=True)
    services = _services(world, eval_settings, llm)
    items = [i for i in load_dataset(world["dataset"]) if i.id == "T-2"]
    suite = run_answers(items, services, GoldMatcher(known_paths(services)))
    row = suite.items["T-2"]
    assert row["verdict"] == "Sai" and row["verdict_correct"] is False
    assert suite.metrics["verdicts"]["status"] == "measured"


def test_extractive_answers_have_no_verdict(world: dict[str, Path], eval_settings: Any) -> None:
    services = _services(world, eval_settings, FakeLLM(writes_vietnamese=False))
    suite = run_answers(load_dataset(world["dataset"]), services, GoldMatcher(known_paths(services)))
    m = suite.metrics
    assert suite.items["T-2"]["verdict"] == NOT_APPLICABLE
    assert m["verdicts"]["true_false"]["accuracy"] is None  # not 0
    assert m["verdicts"]["status"].startswith("no verdicts")
    assert any("not applicable" in note for note in suite.notes)
    assert m["modes"].get("extractive", 0) >= 3
    assert m["quotes"]["verification_rate"] == 1.0  # extractive quotes are slices of the sources
    assert m["judge"] is None


def test_judgement_probe_measures_and_records_the_model(world: dict[str, Path], eval_settings: Any,
                                                        tmp_path: Path) -> None:
    """Issue 12: a model may state verdicts only after measuring >= 0.85 on enough true/false questions."""
    items = load_dataset(world["dataset"])
    tf = [i for i in items if i.type == "true_false"][0]
    mc = [i for i in items if i.type == "multiple_choice"][0]
    always_true = ScriptedLLM({})
    always_true.default = "Đúng"
    services = _services(world, eval_settings, always_true)
    many = [tf] * 6 + [replace(tf, id=f"F-{n}", answer="Sai") for n in range(6)] + [mc]
    result = probe_judgement(many, services, record_in=tmp_path, dataset="test")
    assert result["true_false"]["accuracy"] == 0.5 and result["judges"] is False  # says "Đúng" to everything
    from assistant.llm.capabilities import FILENAME, CapabilityStore

    assert CapabilityStore(tmp_path / FILENAME).get(result["model"])["verdict_accuracy"] == 0.5
    right = ScriptedLLM({})
    right.default = tf.answer or ""
    services = _services(world, eval_settings, right)
    result = probe_judgement([tf] * 12, services, record_in=tmp_path, dataset="test")
    assert result["judges"] is True
    assert probe_judgement([tf], services)["judges"] is False  # too few questions to decide


def test_shown_quotations_pair_by_direction() -> None:
    """Regression: quotes_in paired the closing ” of mức “Tốt” with the next opening “, so text between two
    quoted words of a reproduced passage counted as an invented quotation."""
    from assistant.evaluation.answers import shown_quotations

    text = ('Theo các văn bản:\n\n[1] Điều 3:\n> 1. Đạt mức “Tốt” trở lên.\n> 2. Đạt mức “Khá” trở lên.\n'
            'Câu trả lời liên quan: «Đạt mức “Tốt” trở lên.»\nHọ nói "đây là một câu trích dẫn".')
    assert shown_quotations(text) == ["1. Đạt mức “Tốt” trở lên.\n2. Đạt mức “Khá” trở lên.",
                                      "Đạt mức “Tốt” trở lên.", "đây là một câu trích dẫn"]
