"""Document numbers and citations (assistant.text.references)."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.text.references import (
    POINT_LETTERS,
    TYPE_CODES,
    TYPE_NAMES,
    CitationRef,
    DocNumber,
    document_label,
    find_numbers,
    fold,
    format_citation,
    law_title,
    next_point_letter,
    normalize_number,
    parse_citation,
    parse_query_refs,
    type_name_for,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# -- constants ---------------------------------------------------------------
def test_point_letters_follow_vietnamese_order() -> None:
    assert " ".join(POINT_LETTERS) == "a b c d đ e g h i k l m n o p q r s t u v x y"
    assert "f" not in POINT_LETTERS and "j" not in POINT_LETTERS


@pytest.mark.parametrize(("letter", "expected"), [("a", "b"), ("d", "đ"), ("đ", "e"), ("e", "g"), ("y", ""),
                                                  ("f", "")])
def test_next_point_letter(letter: str, expected: str) -> None:
    assert next_point_letter(letter) == expected


def test_type_codes_cover_party_symbols() -> None:
    for code in ("NQ", "CT", "QĐ", "KL", "HD", "KH", "BC", "TB", "BB", "CV", "TTr", "QC"):
        assert TYPE_CODES[code]
    assert TYPE_CODES["NQ"] == "nghị quyết"


def test_type_names_map_back_to_codes_and_state_types() -> None:
    assert TYPE_NAMES["quy định"] == TYPE_NAMES["quyết định"] == "QĐ"
    assert TYPE_NAMES["nghị định"] == "NĐ"
    assert TYPE_NAMES["luật"] == "" and TYPE_NAMES["hiến pháp"] == ""


def test_tt_is_thong_tri_for_party_and_thong_tu_for_state() -> None:
    assert type_name_for("TT", "party") == "thông tri"
    assert type_name_for("TT", "state") == "thông tư"


def test_fold_keeps_length_for_spans() -> None:
    text = "Điều 5 Quy định 339-QĐ/TW"
    assert fold(text) == "dieu 5 quy dinh 339-qd/tw"
    assert len(fold(text)) == len(text)


# -- normalize_number ----------------------------------------------------------
@pytest.mark.parametrize("written", [
    "Số 57-NQ/TW", "57-NQ/TW", "57 - NQ/TW", "57-nq/tw", "Nghị quyết số 57-NQ/TW", "số 57-NQ/TW",
    "57 – NQ/TW", "Số: 57-NQ/TW",
])
def test_party_number_variants(written: str) -> None:
    doc = normalize_number(written)
    assert doc is not None
    assert (doc.number, doc.type_code, doc.issuer, doc.canonical) == ("57", "NQ", "TW", "57-NQ/TW")


@pytest.mark.parametrize("written", ["NQ 57", "Nghị quyết 57", "nghi quyet 57", "NGHỊ QUYẾT 57", "nq số 57"])
def test_number_without_issuer(written: str) -> None:
    doc = normalize_number(written)
    assert doc is not None
    assert (doc.number, doc.type_code, doc.issuer) == ("57", "NQ", "")
    assert doc.canonical == "57-NQ"


@pytest.mark.parametrize("written", ["QD 339", "339-QD/TW", "339-QĐ/TW", "Quy định 339", "quy dinh so 339",
                                     "339/QĐ-TW"])
def test_qd_variants_normalise_to_party_symbol(written: str) -> None:
    doc = normalize_number(written)
    assert doc is not None
    assert doc.number == "339" and doc.type_code == "QĐ"
    assert doc.issuer in ("", "TW")


def test_state_style_with_party_issuer_becomes_party_number() -> None:
    doc = normalize_number("339/QĐ-TW")
    assert doc is not None and doc.canonical == "339-QĐ/TW" and doc.style == "party"


def test_state_decree_number() -> None:
    doc = normalize_number("số 12/2025/NĐ-CP")
    assert doc is not None
    assert (doc.number, doc.type_code, doc.issuer, doc.style) == ("12/2025", "NĐ", "CP", "state")
    assert doc.canonical == "12/2025/NĐ-CP"
    assert doc.doc_type == "nghị định"


def test_law_number_has_no_type_symbol() -> None:
    doc = normalize_number("Luật số 58/2010/QH12")
    assert doc is not None
    assert (doc.number, doc.type_code, doc.issuer) == ("58/2010", "", "QH12")
    assert doc.canonical == "58/2010/QH12" and doc.doc_type == "luật"


def test_state_circular_and_prime_minister_directive() -> None:
    circular = normalize_number("Thông tư 01/2021/TT-BNV")
    assert circular is not None and circular.canonical == "01/2021/TT-BNV" and circular.doc_type == "thông tư"
    directive = normalize_number("Chỉ thị 05/CT-TTg")
    assert directive is not None and directive.canonical == "05/CT-TTg"


def test_missing_hyphen_with_known_symbol() -> None:
    doc = normalize_number("57 NQ/TW")
    assert doc is not None and doc.canonical == "57-NQ/TW"


def test_nfd_input() -> None:
    doc = normalize_number(nfd("Quy định số 339-QĐ/TW"))
    assert doc is not None and doc.canonical == "339-QĐ/TW" and doc.type_name == "quy định"


def test_type_word_disambiguates_qd() -> None:
    decision = normalize_number("Quyết định số 12-QĐ/TU")
    assert decision is not None and decision.doc_type == "quyết định"
    regulation = normalize_number("339-QĐ/TW")
    assert regulation is not None and regulation.doc_type == "quy định"


def test_label_uses_type_name() -> None:
    doc = normalize_number("Kế hoạch số 168-KH/VPTW")
    assert doc is not None and doc.label == "Kế hoạch 168-KH/VPTW"


def test_cell_number_with_zero_padding_and_cb_issuer() -> None:
    doc = normalize_number("Số 05-BB/CB")
    assert doc is not None and doc.canonical == "05-BB/CB"
    assert doc.matches("Biên bản 5")


@pytest.mark.parametrize("text", ["kế hoạch 5 năm", "báo cáo 6 tháng", "10/7/2025", "57", "Điều 5", "50 km/h",
                                  "họp 2 lần/tuần", "1-2 lần/tháng",
                                  "theo quy định tại khoản 2", "Nghị quyết Trung ương 4", ""])
def test_not_a_number(text: str) -> None:
    assert normalize_number(text) is None


def test_so_makes_a_quantity_word_a_number() -> None:
    doc = normalize_number("Kế hoạch số 5 năm 2025")
    assert doc is not None and doc.canonical == "5-KH"


def test_matches_tolerates_missing_issuer_but_not_other_issuer() -> None:
    full = DocNumber("57", "NQ", "TW")
    assert full.matches(DocNumber("57", "NQ", ""))
    assert not full.matches(DocNumber("57", "NQ", "TU"))
    assert not full.matches(DocNumber("57", "CT", "TW"))
    assert not full.matches("kế hoạch 5 năm")


def test_equality_ignores_the_word_used() -> None:
    assert normalize_number("Quy định 339-QĐ/TW") == normalize_number("339-QĐ/TW")


# -- find_numbers ----------------------------------------------------------------
def test_find_numbers_spans_and_order() -> None:
    text = "Thực hiện Nghị quyết số 57-NQ/TW và Kế hoạch 168-KH/VPTW, căn cứ Nghị định 12/2025/NĐ-CP."
    found = find_numbers(text)
    assert [doc.canonical for _, doc in found] == ["57-NQ/TW", "168-KH/VPTW", "12/2025/NĐ-CP"]
    (start, end), _ = found[0]
    assert text[start:end] == "Nghị quyết số 57-NQ/TW"


def test_find_numbers_skips_dates_and_quantities() -> None:
    text = "Ngày 21/8/2025, chi bộ có 25 đảng viên, kế hoạch 5 năm 2025-2030, báo cáo 6 tháng đầu năm."
    assert find_numbers(text) == []


def test_find_numbers_bare_and_full_do_not_double_count() -> None:
    found = find_numbers("Nghị quyết 57-NQ/TW (Nghị quyết 57)")
    assert [d.canonical for _, d in found] == ["57-NQ/TW", "57-NQ"]


def test_find_numbers_spans_index_nfc_text() -> None:
    text = nfd("Căn cứ Quy định số 339-QĐ/TW")
    (start, end), doc = find_numbers(text)[0]
    assert unicodedata.normalize("NFC", text)[start:end] == "Quy định số 339-QĐ/TW"
    assert doc.canonical == "339-QĐ/TW"


# -- parse_citation ------------------------------------------------------------------
def _one(text: str) -> CitationRef:
    refs = parse_citation(text)
    assert len(refs) == 1, refs
    return refs[0]


def test_full_citation_smallest_first() -> None:
    ref = _one("điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW")
    assert (ref.point, ref.clause, ref.article) == ("a", "2", "5")
    assert ref.doc is not None and ref.doc.canonical == "339-QĐ/TW"


def test_citation_with_cua_and_so() -> None:
    ref = _one("khoản 2 Điều 5 của Quy định số 339-QĐ/TW")
    assert (ref.clause, ref.article) == ("2", "5")
    assert ref.doc is not None and ref.doc.canonical == "339-QĐ/TW"


@pytest.mark.parametrize("text", ["Điều 5, khoản 2", "điều 5 khoản 2", "ĐIỀU 5 KHOẢN 2", "Điều 5 , khoản 2"])
def test_reverse_order(text: str) -> None:
    ref = _one(text)
    assert (ref.article, ref.clause, ref.point, ref.doc) == ("5", "2", "", None)


def test_reverse_order_with_point() -> None:
    ref = _one("Điều 5, khoản 2, điểm b")
    assert (ref.article, ref.clause, ref.point) == ("5", "2", "b")


def test_point_d_with_stroke_is_kept() -> None:
    ref = _one("điểm đ khoản 1 Điều 8")
    assert ref.point == "đ"
    assert _one("ĐIỂM Đ KHOẢN 1 ĐIỀU 8").point == "đ"


def test_law_named_by_title() -> None:
    ref = _one("Điều 4 Luật Viên chức")
    assert ref.article == "4" and ref.doc is None and ref.doc_name == "Luật Viên chức"


def test_law_title_with_comma() -> None:
    ref = _one("điểm đ khoản 1 Điều 8 Luật Phòng, chống ma túy năm 2021")
    assert ref.doc_name == "Luật Phòng, chống ma túy"


def test_party_decimal_point() -> None:
    ref = _one("điểm 9.3.2, Điều 9")
    assert (ref.article, ref.clause, ref.point) == ("9", "9.3", "9.3.2")


def test_no_diacritics_citation() -> None:
    ref = _one("dieu 5 khoan 2 quy dinh 339")
    assert (ref.article, ref.clause) == ("5", "2")
    assert ref.doc is not None and (ref.doc.number, ref.doc.type_code) == ("339", "QĐ")


def test_nfd_citation() -> None:
    ref = _one(nfd("khoản 3 Điều 7 Nghị quyết số 57-NQ/TW"))
    assert (ref.clause, ref.article) == ("3", "7") and ref.doc is not None


def test_clause_list_gives_one_ref_each() -> None:
    refs = parse_citation("các khoản 1, 2 và 3 Điều 7 của Luật này")
    assert [(r.article, r.clause) for r in refs] == [("7", "1"), ("7", "2"), ("7", "3")]
    assert all(r.doc is None and r.doc_name == "" for r in refs)  # "Luật này" names no other document


def test_point_list() -> None:
    refs = parse_citation("điểm a và điểm b khoản 2 Điều 6")
    assert [(r.point, r.clause, r.article) for r in refs] == [("a", "2", "6"), ("b", "2", "6")]


def test_two_citations_in_one_sentence() -> None:
    refs = parse_citation("theo khoản 2 Điều 5, khoản 3 Điều 6 Bộ luật dân sự")
    assert [(r.clause, r.article) for r in refs] == [("2", "5"), ("3", "6")]
    assert refs[1].doc_name == "Bộ luật Dân sự"


def test_citation_span_covers_the_words() -> None:
    text = "Theo điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW thì"
    ref = _one(text)
    assert text[ref.span[0]:ref.span[1]] == "điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW"


@pytest.mark.parametrize("text", ["Điều lệ Đảng quy định", "điều kiện khoản vay", "50 điểm", "không có điều gì"])
def test_no_citation(text: str) -> None:
    assert parse_citation(text) == []


def test_dieu_le_dang_is_a_document_name() -> None:
    ref = _one("Điều 5 Điều lệ Đảng")
    assert ref.doc_name == "Điều lệ Đảng"


def test_known_titles_win_over_heuristics() -> None:
    ref = _one("Điều 3 Luật Thi hành án dân sự thì")
    assert ref.doc_name == "Luật Thi hành án dân sự"
    ref = parse_citation("dieu 3 luat thi hanh an dan su", known_titles=["Luật Thi hành án dân sự"])[0]
    assert ref.doc_name == "Luật Thi hành án dân sự"


# -- parse_query_refs --------------------------------------------------------------
def test_query_names_law_by_title() -> None:
    refs = parse_query_refs("Theo Luật Du Lịch, hợp đồng lữ hành có phải lập thành văn bản không?")
    assert [r.doc_name for r in refs] == ["Luật Du lịch"]


def test_query_code_name_normalised() -> None:
    refs = parse_query_refs("Bộ luật dân sự quy định thế nào về năng lực hành vi?")
    assert [r.doc_name for r in refs] == ["Bộ luật Dân sự"]


def test_query_law_name_stops_at_function_words() -> None:
    refs = parse_query_refs("bị áp dụng theo quy định của Luật Xử lý vi phạm hành chính khi bị phát hiện")
    assert [r.doc_name for r in refs] == ["Luật Xử lý vi phạm hành chính"]


def test_query_two_laws() -> None:
    refs = parse_query_refs("Luật Hôn nhân và gia đình và Luật Viên chức khác nhau thế nào?")
    assert [r.doc_name for r in refs] == ["Luật Hôn nhân và gia đình", "Luật Viên chức"]


def test_query_number_without_article() -> None:
    refs = parse_query_refs("Nghị quyết 57 nói gì về chuyển đổi số?")
    assert len(refs) == 1 and refs[0].doc is not None and refs[0].doc.canonical == "57-NQ"
    assert refs[0].article == ""


def test_query_article_and_document() -> None:
    refs = parse_query_refs("khoản 2 Điều 5 Quy định 339 yêu cầu gì?")
    assert len(refs) == 1
    assert (refs[0].article, refs[0].clause) == ("5", "2") and refs[0].doc is not None


@pytest.mark.parametrize("question", ["luật sư có quyền gì?", "Luật này áp dụng cho ai?", "theo quy định của luật",
                                      "hội đồng trọng tài có thể áp dụng luật quốc tế không?"])
def test_query_generic_law_words_name_nothing(question: str) -> None:
    assert parse_query_refs(question) == []


def test_query_lower_case_title_needs_the_catalogue() -> None:
    assert parse_query_refs("theo luật viên chức thì sao?") == []
    refs = parse_query_refs("theo luật viên chức thì sao?", known_titles=["Luật Viên chức"])
    assert [r.doc_name for r in refs] == ["Luật Viên chức"]


def test_query_known_titles_give_catalogue_spelling() -> None:
    refs = parse_query_refs("theo luat du lich thi sao", known_titles=["Luật Du lịch", "Luật Du lịch sinh thái"])
    assert [r.doc_name for r in refs] == ["Luật Du lịch"]


def test_query_hien_phap() -> None:
    refs = parse_query_refs("Hiến pháp năm 2013 quy định gì về quyền con người?")
    assert [r.doc_name for r in refs] == ["Hiến pháp"]


# -- format_citation and law_title -----------------------------------------------------
def test_format_full() -> None:
    assert format_citation("5", "2", "a", "Quy định 339-QĐ/TW") == "điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW"


def test_format_only_present_parts() -> None:
    assert format_citation("5", "", "", "Luật Viên chức") == "Điều 5 Luật Viên chức"
    assert format_citation("5", "2") == "khoản 2 Điều 5"
    assert format_citation(doc_label="Nghị quyết 57-NQ/TW") == "Nghị quyết 57-NQ/TW"


def test_format_party_decimal_point_does_not_repeat_clause() -> None:
    assert format_citation("9", "9.3", "9.3.2", "Quy định 22-QĐ/TW") == "điểm 9.3.2 Điều 9 Quy định 22-QĐ/TW"


def test_citation_ref_round_trip() -> None:
    ref = _one("điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW")
    assert ref.format() == "điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW"


@pytest.mark.parametrize(("raw", "title"), [
    ("LUẬT VIÊN CHỨC", "Luật Viên chức"),
    ("BỘ LUẬT DÂN SỰ", "Bộ luật Dân sự"),
    ("HIẾN PHÁP", "Hiến pháp"),
    ("LUẬT PHÒNG, CHỐNG MA TÚY", "Luật Phòng, chống ma túy"),
    ("luật quốc tịch việt nam", "Luật Quốc tịch Việt Nam"),
])
def test_law_title(raw: str, title: str) -> None:
    assert law_title(raw) == title


def test_document_label_names_laws_by_title_and_party_texts_by_type_and_number() -> None:
    from assistant.records import DocumentMeta

    assert document_label(DocumentMeta("339", title="Sổ tay", number="339-QĐ/TW", doc_type="quy định")) \
        == "Quy định 339-QĐ/TW"
    law = DocumentMeta("luat-vc", title="Luật Viên chức", number="58/2010/QH12", doc_type="luật")
    assert document_label(law) == "Luật Viên chức" == law.display_name
    assert document_label(DocumentMeta("x", number="12-KL/TW")) == "12-KL/TW"
    assert document_label(DocumentMeta("ghi-chep")) == "ghi-chep"
