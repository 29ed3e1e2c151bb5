from __future__ import annotations

import pytest

from assistant.llm.fake import FakeLLM
from assistant.study.chat import LEAD_LABEL_VI, NO_ANSWER_VI, Conversation, StudyChat
from tests.retrieval.conftest import REG_901, REG_902  # noqa: F401  (fixtures share the texts)


@pytest.fixture
def chat(indexed):
    return indexed.chat


def test_extractive_answer_quotes_verbatim_with_citations(chat, indexed) -> None:
    answer = chat.ask("Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?")
    assert answer.mode == "extractive"
    top = answer.sources[0]
    assert top.hit.citation == "khoản 1 Điều 2 Quy định 901-QĐ/TW"
    assert "khoản 1 Điều 2 Quy định 901-QĐ/TW" in answer.text
    assert any("30 ngày" in q for q in top.quotes)
    source_text = indexed.index.catalog.document_text("qd-901")
    for quote in top.quotes:
        assert quote in source_text  # quotes are verbatim


def test_irrelevant_or_nonsense_question_is_refused(chat) -> None:
    for question in ("Giá vàng hôm nay bao nhiêu?", "zzqx wvvv"):
        answer = chat.ask(question)
        assert answer.refused and answer.text.startswith(NO_ANSWER_VI)
        assert all(s.hit.citation in answer.text for s in answer.sources)  # nearest passages, for reference only


def test_follow_up_uses_previous_document_and_article(chat) -> None:
    conversation = Conversation()
    first = chat.ask("Khoản 1 Điều 2 Quy định 901-QĐ/TW quy định gì?", conversation=conversation)
    assert first.sources[0].hit.article == "2"
    follow = chat.ask("còn khoản 3 thì sao?", conversation=conversation)
    assert "Điều 2" in follow.resolved_question and "901-QĐ/TW" in follow.resolved_question
    assert (follow.sources[0].hit.article, follow.sources[0].hit.clause) == ("2", "3")


def test_multiple_choice_shows_support_for_each_option(chat) -> None:
    q = ("Theo Quy định 901-QĐ/TW, đảng viên cập nhật thông tin cá nhân trong thời hạn bao nhiêu ngày? "
         "A. 15 ngày B. 30 ngày C. 45 ngày D. 60 ngày")
    answer = chat.ask(q)
    for key in "ABCD":
        assert f"- {key}." in answer.text


def test_model_lead_is_verified_sentence_by_sentence(indexed) -> None:
    """Issue 12: a sentence with a valid marker is no longer trusted unread."""
    llm = FakeLLM(writes_vietnamese=True)
    llm.queue('Đảng viên phải cài đặt trong "thời hạn 30 ngày kể từ ngày được cấp tài khoản" [1]. '
              'Ngoài ra đảng viên được thưởng 5 triệu đồng [1]. '
              'Đảng viên phải nộp "bản cam kết bằng giấy" [1].')
    chat = StudyChat(indexed.searcher, lambda: llm, indexed.settings)
    answer = chat.ask("Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?")
    assert answer.mode == "generative"
    assert answer.lead.startswith("Đảng viên phải cài đặt") and "30 ngày" in answer.lead
    assert "5 triệu" not in answer.text and "cam kết" not in answer.text
    assert len(answer.removed_sentences) == 2 and "con số" in answer.removed_why[0]
    # The verbatim quotes stay below the model's wording, labelled apart from it.
    assert answer.text.startswith(LEAD_LABEL_VI) and "khoản 1 Điều 2 Quy định 901-QĐ/TW" in answer.text
    prompt = llm.prompts[0]
    assert prompt[0].role == "system" and "[1] khoản 1 Điều 2 Quy định 901-QĐ/TW:" in prompt[1].content
    assert len(prompt[1].content) < 1200  # short prompt: first words quickly on a small CPU


def test_unsupported_lead_falls_back_to_the_quotes(indexed) -> None:
    llm = FakeLLM(["Theo tôi, đảng viên nên mua điện thoại mới."], writes_vietnamese=True)
    chat = StudyChat(indexed.searcher, lambda: llm, indexed.settings)
    answer = chat.ask("Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?")
    assert answer.mode == "extractive" and answer.lead == "" and not answer.refused
    assert answer.removed_sentences and "điện thoại" not in answer.text
    assert any("30 ngày" in q for q in answer.sources[0].quotes)


def test_streaming_yields_tokens_then_answer(chat) -> None:
    events = list(chat.ask_stream("Chi ủy báo cáo đảng ủy khi nào?"))
    assert [e.kind for e in events][-1] == "answer"
    tokens = "".join(e.text for e in events if e.kind == "token")
    assert tokens == events[-1].answer.text


def test_empty_index_gives_clear_error(services) -> None:
    from assistant.errors import NotFound

    with pytest.raises(NotFound, match="Chưa có tài liệu"):
        services.chat.ask("xin chào")


def test_question_about_a_missing_article_says_so(chat) -> None:
    answer = chat.ask("Điều 20 Quy định 901-QĐ/TW quy định gì?")
    assert answer.refused and "không có Điều 20" in answer.text and answer.sources == []


def test_near_miss_question_is_refused(chat) -> None:
    """Shares words with the documents ("đảng viên", "sổ tay") but not the phrase asked about."""
    answer = chat.ask("Mức phụ cấp hằng tháng cho đảng viên quản trị sổ tay học tập là bao nhiêu tiền lương?")
    assert answer.refused


def test_verdict_needs_a_model_measured_able_to_judge(indexed) -> None:
    """The 1.5B model says "Đúng" to almost everything: a verdict is dropped unless the model judges."""
    question = "Đảng viên được chia sẻ tài khoản sổ tay học tập cho người khác, đúng hay sai?"
    draft = 'Sai. Đảng viên "không được chia sẻ tài khoản cho người khác sử dụng" [1].'
    writer = FakeLLM([draft], writes_vietnamese=True)
    answer = StudyChat(indexed.searcher, lambda: writer, indexed.settings).ask(question)
    # No lead at all: restating the claim would be a verdict in disguise. The deciding clause is named.
    assert answer.lead == "" and writer.prompts == [] and answer.mode == "extractive"
    assert "Để xét đúng/sai" in answer.text
    judge = FakeLLM([draft], writes_vietnamese=True, judges=True)
    answer = StudyChat(indexed.searcher, lambda: judge, indexed.settings).ask(question)
    assert answer.lead.startswith("Sai.") and answer.invalid_quotes == []


def test_an_unsure_answer_says_so_and_gets_no_model_lead(indexed, monkeypatch) -> None:
    """Above the refusal threshold but below even odds: quotes under a caution line, no fluent model wording."""
    import assistant.study.chat as chat_module
    from assistant.study.answer import UNSURE_VI

    monkeypatch.setattr(chat_module, "answer_decision", lambda *args: (True, 0.3))
    writer = FakeLLM(writes_vietnamese=True)
    writer.queue("Đảng viên phải cài đặt sổ tay học tập trong thời hạn 30 ngày [1].")
    chat = StudyChat(indexed.searcher, lambda: writer, indexed.settings)
    answer = chat.ask("Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?")
    assert answer.unsure and not answer.refused and answer.mode == "extractive" and not answer.lead
    assert answer.text.startswith(UNSURE_VI) and "khoản 1 Điều 2 Quy định 901-QĐ/TW" in answer.text
    assert answer.to_dict()["unsure"] is True and answer.to_dict()["confidence"] == 0.3
    monkeypatch.setattr(chat_module, "answer_decision", lambda *args: (True, 0.9))
    writer.queue("Đảng viên phải cài đặt sổ tay học tập trong thời hạn 30 ngày [1].")
    sure = chat.ask("Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?")
    assert not sure.unsure and not sure.text.startswith(UNSURE_VI) and sure.lead


def test_a_stricter_lead_keeps_only_the_passages_wording(indexed) -> None:
    """``llm.lead_max_new_words``: 0 removes a lead sentence with words of its own that the default keeps."""
    draft = "Sau khi nhận tài khoản, mỗi đảng viên phải hoàn tất cài đặt sổ tay học tập trong 30 ngày [1]."
    question = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"
    default = StudyChat(indexed.searcher, lambda: FakeLLM([draft], writes_vietnamese=True), indexed.settings)
    assert default.ask(question).lead == draft
    strict_settings = indexed.settings.model_copy(deep=True)
    strict_settings.llm.lead_max_new_words = 0
    strict = StudyChat(indexed.searcher, lambda: FakeLLM([draft], writes_vietnamese=True), strict_settings)
    answer = strict.ask(question)
    assert answer.mode == "extractive" and not answer.lead and answer.removed_sentences == [draft]
    assert "30 ngày" in answer.text  # the quote still answers
