"""Extractive answers: lead with the answering clause, deciding words marked, no preambles, clean quotes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.records import Chunk, ChunkPart, DocumentMeta, Hit
from assistant.study.answer import Conversation, Source
from assistant.study.extractive import clean_display, display_blocks, extractive_answer, is_answer_passage
from assistant.text.overlap import quote_found, quotes_in

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
README_QUESTION = "Đảng viên phải cập nhật thông tin trên Sổ tay đảng viên điện tử trong bao lâu?"
META = DocumentMeta("qd-1", title="Quy định về sổ tay", number="1-QĐ/TW", doc_type="quy định", type_code="QĐ",
                    articles=3)


def _hit(text: str, article: str = "", clause: str = "", heading: list[str] | None = None,
         part: ChunkPart | None = None) -> Hit:
    chunk = Chunk(f"c-{article}-{clause}", "qd-1", text, 100, 100 + len(text), page_start=2, article=article,
                  clause=clause, heading_path=heading or [])
    return Hit.from_chunk(chunk, META, 1.0, part=part)


def _answer(question: str, *hits: Hit) -> str:
    return extractive_answer(question, [Source(i + 1, h) for i, h in enumerate(hits)])


def test_page_numbers_and_wrapped_lines_are_reflowed_away() -> None:
    text = "ban tổ chức cùng cấp hướng dẫn, phù hợp với tình hình của đảng\n\n3\nbộ.\n2. Khoản sau.\n\n4\n"
    assert clean_display(text) == "ban tổ chức cùng cấp hướng dẫn, phù hợp với tình hình của đảng bộ.\n2. Khoản sau."
    assert clean_display("a) Điểm một;\n\n7\nb) Điểm hai.") == "a) Điểm một;\nb) Điểm hai."


def test_basis_lines_are_cut_unless_asked() -> None:
    header = "QUY ĐỊNH\n- Căn cứ Điều lệ Đảng;\n- Căn cứ Quy chế làm việc;\nBộ Chính trị quy định như sau:"
    assert display_blocks(header, drop_basis=True) == ["QUY ĐỊNH", "Bộ Chính trị quy định như sau:"]
    assert display_blocks(header, drop_basis=False) == [clean_display(header)]


def test_header_block_and_bare_definition_intro_are_not_answers() -> None:
    intro = _hit("Trong Quy định này, các từ ngữ dưới đây được hiểu như sau:", article="2")
    header = _hit("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 1-QĐ/TW\n- Căn cứ Điều lệ Đảng;")
    clause = _hit("1. Đảng viên phải cập nhật thông tin chậm nhất 10 ngày làm việc.", article="6", clause="1")
    question = "Đảng viên phải cập nhật thông tin trong bao lâu?"
    assert not is_answer_passage(question, intro) and not is_answer_passage(question, header)
    assert is_answer_passage("Căn cứ ban hành Quy định 1-QĐ/TW là gì?", header)
    assert is_answer_passage("Tài khoản đảng viên được hiểu là gì?", intro)
    text = _answer(question, intro, header, clause)
    assert text.index("[3] khoản 1 Điều 6") < text.index("Xem thêm")
    assert "Căn cứ Điều lệ" not in text and "được hiểu như sau" not in text
    assert "Xem thêm: [1] Điều 2 Quy định 1-QĐ/TW; [2] Quy định 1-QĐ/TW" in text


def test_a_figure_question_marks_the_deadline_verbatim() -> None:
    clause = _hit("1. Đảng viên thường xuyên kiểm tra thông tin của mình trên Ứng dụng; khi có thay đổi phải cập "
                  "nhật chậm nhất 10 ngày làm việc kể từ ngày có thay đổi.", article="6", clause="1",
                  heading=["Điều 6. Cập nhật thông tin cá nhân"])
    text = _answer("Đảng viên phải cập nhật thông tin trong bao lâu?", clause)
    assert "Trả lời: **«chậm nhất 10 ngày làm việc kể từ ngày có thay đổi»**" in text
    assert "[1] khoản 1 Điều 6 Quy định 1-QĐ/TW (Điều 6. Cập nhật thông tin cá nhân), trang 2:" in text
    assert all(quote_found(q, [clause.text]) for q in quotes_in(text))


def test_true_false_marks_the_words_the_statement_turns_on_without_a_verdict() -> None:
    clause = _hit("3. Đảng viên không được chia sẻ tài khoản cho người khác sử dụng.", article="2", clause="3")
    text = _answer("Đảng viên được chia sẻ tài khoản cho người khác sử dụng, đúng hay sai?", clause)
    assert "Để xét đúng/sai, đối chiếu với điều khoản sau: [1] khoản 3 Điều 2 Quy định 1-QĐ/TW." in text
    assert "Chỗ quyết định đúng/sai: **«không»**" in text
    assert "Đúng." not in text and "Sai." not in text


def test_each_option_gets_its_supporting_clause() -> None:
    article = _hit("Điều 5. Cài đặt\n1. Đảng viên cài đặt Ứng dụng trong thời hạn 30 ngày.\n"
                   "2. Chi bộ đề nghị cấp tài khoản cho đảng viên mới trong thời hạn 15 ngày làm việc.", article="5")
    question = ("Chi bộ đề nghị cấp tài khoản cho đảng viên mới trong bao lâu?\nA. 10 ngày làm việc\n"
                "B. 15 ngày làm việc\nC. 30 ngày\nD. Cả A, B, C đều sai")
    text = _answer(question, article)
    assert "- A. 10 ngày làm việc → (không có đoạn nào nêu trực tiếp)" in text
    assert "- B. 15 ngày làm việc → [1] khoản 2 Điều 5 Quy định 1-QĐ/TW: «2. Chi bộ đề nghị" in text
    assert "- C. 30 ngày → [1] khoản 1 Điều 5 Quy định 1-QĐ/TW" in text
    assert "- D. Cả A, B, C đều sai → (không có đoạn nào nêu trực tiếp)" in text


def test_a_focused_clause_leads_instead_of_its_whole_article() -> None:
    text = "Điều 2. Trách nhiệm\n1. Cài đặt trong 30 ngày.\n2. Cập nhật trong 15 ngày.\n3. Không chia sẻ tài khoản."
    part = ChunkPart("2", "3", "", "", 100 + text.index("3. Không"), 100 + len(text), 1)
    hit = _hit(text, article="2", part=part)
    answer = _answer("còn khoản 3 thì sao? (Điều 2 Quy định 1-QĐ/TW)", hit)
    assert "[1] khoản 3 Điều 2 Quy định 1-QĐ/TW (Điều 2. Trách nhiệm), trang 2:\n> 3. Không chia sẻ tài khoản." in answer
    assert "Cài đặt trong 30 ngày" not in answer


# -- regressions over the sample corpus -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_services(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    data = tmp_path_factory.mktemp("corpus-data")
    settings = load_settings(overrides={"data_dir": str(data), "embedding": {"backend": "fake"},
                                        "llm": {"backend": "fake"}}, environ={})
    services = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())
    assert services.ingest([CORPUS]).counts["failed"] == 0
    yield services
    services.index.close()


def test_readme_example_is_answered_with_its_deadline(corpus_services: Any) -> None:
    """Issue 14: the README's own example was refused although passage [1] said "chậm nhất 10 ngày làm việc"."""
    answer = corpus_services.chat.ask(README_QUESTION)
    assert not answer.refused
    assert answer.sources[0].hit.citation == "khoản 1 Điều 6 Quy định 339-QĐ/TW"
    assert "**«chậm nhất 10 ngày làm việc" in answer.text
    plain = corpus_services.chat.ask("dang vien phai cap nhat thong tin tren so tay dang vien trong bao lau")
    assert not plain.refused and plain.sources[0].hit.citation == "khoản 1 Điều 6 Quy định 339-QĐ/TW"
    assert "Căn cứ" not in plain.text and "được hiểu như sau" not in plain.text


def test_follow_up_leads_with_the_clause_it_names(corpus_services: Any) -> None:
    """Issue 14: "còn khoản 3 thì sao?" led with the article's khoản 1-2; khoản 3 was only under "Xem thêm"."""
    conversation = Conversation()
    corpus_services.chat.ask(README_QUESTION, conversation=conversation)
    follow = corpus_services.chat.ask("còn khoản 3 thì sao?", conversation=conversation)
    assert follow.sources[0].hit.citation == "khoản 3 Điều 6 Quy định 339-QĐ/TW"
    first_quote = follow.text.split("\n> ", 1)[1]
    assert first_quote.startswith("3. Chi ủy xem xét, xác nhận thông tin đảng viên cập nhật")
