import unicodedata

import pytest

from assistant.text import vietnamese as vn


@pytest.mark.parametrize("old, new", [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoá", "khóa"), ("hoè", "hòe"),
                                      ("Thuỵ", "Thụy")])
def test_old_and_new_tone_placement_share_a_search_key(old: str, new: str) -> None:
    assert vn.search_key(old) == vn.search_key(new)


@pytest.mark.parametrize("word", ["quyết", "người", "nghĩa", "giữa", "quả", "thuyền", "hoàng", "khuỷu", "gìn"])
def test_tone_normalisation_keeps_well_formed_words(word: str) -> None:
    assert vn.normalize_tone_word(word) == word


def test_nfd_input_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị quyết")
    assert vn.clean_text(decomposed) == "Nghị quyết"
    assert vn.search_key(decomposed) == "nghị quyết"


def test_accent_free_form() -> None:
    assert vn.strip_accents("Đảng viên ĐƯỢC") == "dang vien duoc"
    assert vn.has_diacritics("nghị quyết") and not vn.has_diacritics("nghi quyet 57")


def test_clean_text_keeps_lines_and_drops_controls() -> None:
    assert vn.clean_text("a\r\nb\u00a0 c\x00\n") == "a\nb c\n"


def test_tokens_are_segmented_and_ascii_tokens_are_syllables() -> None:
    toks = vn.tokens("Đảng viên phải học tập nghị quyết")
    assert "đảng_viên" in toks and "nghị_quyết" in toks
    assert vn.ascii_tokens("Nghị quyết 57") == ["nghi", "quyet", "57"]


def test_sentence_spans_keep_wrapped_lines_and_closing_quotes() -> None:
    text = 'Điều 5. Trách nhiệm\n1. Đảng viên cài đặt ứng dụng\ntrong 30 ngày." Chi bộ theo dõi.\n2. Việc khác.'
    spans = [text[s:e] for s, e in vn.sentence_spans(text)]
    assert spans == ["Điều 5. Trách nhiệm", '1. Đảng viên cài đặt ứng dụng\ntrong 30 ngày."', "Chi bộ theo dõi.",
                     "2. Việc khác."]


def test_reflow_only_replaces_line_breaks() -> None:
    """reflow once dropped a closing quote between sentences."""
    text = '1. Đảng viên "cài đặt\nứng dụng." Chi bộ\ntheo dõi.\n2. Việc khác.'
    assert vn.reflow(text) == '1. Đảng viên "cài đặt ứng dụng." Chi bộ theo dõi.\n2. Việc khác.'
