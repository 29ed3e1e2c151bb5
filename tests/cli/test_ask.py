"""``chibo ask`` in text mode prints the verified answer, exactly the ``answer`` field of ``--json``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from assistant.cli import knowledge
from assistant.cli.base import Context
from assistant.cli.main import build_parser
from assistant.llm.capabilities import Capabilities
from assistant.llm.fake import FakeLLM
from assistant.study.chat import NO_ANSWER_VI
from tests.retrieval.conftest import indexed  # noqa: F401  (the fixture)

QUESTION = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"
GROUNDED = 'Đảng viên phải cài đặt trong "thời hạn 30 ngày kể từ ngày được cấp tài khoản" [1].'
INVENTED = "Ngoài ra đảng viên được thưởng 5 triệu đồng [7]."


@pytest.fixture
def fake_llm() -> FakeLLM:
    """A capable fake model, so answers are generated and then verified."""
    return FakeLLM(writes_vietnamese=True)


def _ask(services: Any, question: str, *, as_json: bool, capsys: pytest.CaptureFixture[str]) -> str:
    args = build_parser().parse_args(["ask", question])
    ctx = Context(settings=services.settings, json=as_json, _services=services)
    assert knowledge._ask(ctx, args) == 0
    return capsys.readouterr().out


def _text_and_json(services: Any, fake_llm: FakeLLM, answer: str, question: str,
                   capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, Any]]:
    fake_llm.queue(answer, answer)
    text = _ask(services, question, as_json=False, capsys=capsys)
    data = json.loads(_ask(services, question, as_json=True, capsys=capsys))
    return text, data


def _expected_text(data: dict[str, Any]) -> str:
    lines = [data["answer"]]
    if data["sources"]:
        lines += ["", "Nguồn trích dẫn:"]
        lines += [f"  [{s['marker']}] {s['citation']}" + (f", trang {s['page']}" if s["page"] else "")
                  for s in data["sources"]]
    return "\n".join(lines) + "\n"


def test_text_mode_drops_the_sentences_the_verifier_removed(indexed, fake_llm, capsys) -> None:  # noqa: F811
    """Bug: text mode printed the raw token stream, so a removed, invented sentence stayed on screen."""
    text, data = _text_and_json(indexed, fake_llm, f"{GROUNDED} {INVENTED}", QUESTION, capsys)
    assert data["mode"] == "generative" and INVENTED in data["removed_sentences"]
    assert "5 triệu" not in text
    assert text == _expected_text(data)
    assert text.startswith(data["answer"] + "\n")


def test_text_mode_prints_the_quotes_when_every_model_sentence_is_removed(indexed, fake_llm, capsys) -> None:  # noqa: F811
    """Bug: a rejected stream stayed on screen. Now the verified quotes stand alone, never the rejected draft."""
    text, data = _text_and_json(indexed, fake_llm, INVENTED, QUESTION, capsys)
    assert data["mode"] == "extractive" and data["lead"] == "" and INVENTED in data["removed_sentences"]
    assert "5 triệu" not in text and text == _expected_text(data)


def test_text_mode_prints_the_quotes_for_an_empty_stream(indexed, fake_llm, capsys) -> None:  # noqa: F811
    """Bug: a model that streamed nothing left one empty line where the answer belongs."""
    text, data = _text_and_json(indexed, fake_llm, "", QUESTION, capsys)
    assert data["mode"] == "extractive"
    assert "30 ngày" in text and text == _expected_text(data)


def test_unanswerable_question_prints_the_refusal_and_nearest_passages(indexed, fake_llm, capsys) -> None:  # noqa: F811
    text, data = _text_and_json(indexed, fake_llm, "không dùng", "Giá vàng hôm nay bao nhiêu?", capsys)
    assert data["refused"] and data["answer"].startswith(NO_ANSWER_VI)
    assert text == _expected_text(data)


def test_extractive_answer_is_unchanged(indexed, fake_llm, capsys) -> None:  # noqa: F811
    fake_llm.capabilities = Capabilities()
    text, data = _text_and_json(indexed, fake_llm, "", QUESTION, capsys)
    assert data["mode"] == "extractive"
    assert text == _expected_text(data)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stream_preview_is_erased_on_a_terminal() -> None:
    terminal = _Terminal()
    preview = knowledge.StreamPreview(terminal)
    for piece in ("Đảng viên ", "phải\n", "cài đặt"):
        preview.add(piece)
    preview.clear()
    shown = terminal.getvalue()
    assert "\n" not in shown  # one line, rewritten in place
    assert shown.endswith("\r\x1b[K") and "cài đặt" in shown


def test_stream_preview_is_silent_off_a_terminal() -> None:
    pipe = io.StringIO()
    preview = knowledge.StreamPreview(pipe)
    preview.add("Đảng viên")
    preview.clear()
    assert pipe.getvalue() == ""
