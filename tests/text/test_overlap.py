"""Overlap between questions and passages (assistant.text.overlap), shared by search and study."""

from __future__ import annotations

from assistant.text.overlap import content_terms, coverage, quote_found, quotes_in, sentences


def test_content_terms_drop_question_words_and_accents() -> None:
    assert content_terms("Chi bộ phải cập nhật thông tin trong bao nhiêu ngày?") == {
        "chi", "bo", "cap", "nhat", "thong", "tin", "ngay"}


def test_coverage_is_the_share_of_question_terms_in_the_passage() -> None:
    assert coverage("cập nhật thông tin", "Đảng viên cập nhật thông tin cá nhân") == 1.0
    assert coverage("lương hưu", "Đảng viên cập nhật thông tin") == 0.0
    assert coverage("là gì?", "bất kỳ") == 0.0


def test_quotes_are_paired_by_direction_and_checked_verbatim() -> None:
    answer = "Văn bản nêu “cập nhật thông tin cá nhân” và «trong thời hạn 15 ngày»."
    assert quotes_in(answer) == ["cập nhật thông tin cá nhân", "trong thời hạn 15 ngày"]
    source = "Đảng viên Cập nhật  thông tin cá nhân trong thời hạn 15 ngày."
    assert quote_found("cập nhật thông tin cá nhân", [source])
    assert not quote_found("trong thời hạn 30 ngày", [source])


def test_sentences_are_spans_of_the_text() -> None:
    text = "Điều 1. Phạm vi.\nQuy định này áp dụng cho chi bộ. Đảng viên thực hiện."
    spans = sentences(text)
    assert spans and all(0 <= s < e <= len(text) for s, e in spans)
    assert any(text[s:e].startswith("Đảng viên") for s, e in spans)
