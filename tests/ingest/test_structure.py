"""Headings and numbered units with spans (assistant.ingest.structure)."""

from __future__ import annotations

import unicodedata

from assistant.ingest.structure import count_articles, parse_structure, roman_to_int
from assistant.records import StructureUnit


def kinds(units: list[StructureUnit]) -> list[tuple[str, str]]:
    return [(u.kind, u.label) for u in units]


def unit(units: list[StructureUnit], kind: str, label: str) -> StructureUnit:
    return next(u for u in units if u.kind == kind and u.label == label)


LAW = """QUỐC HỘI
LUẬT MẪU

Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định về thử nghiệm.

Điều 2. Giải thích từ ngữ
Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Thử nghiệm là việc kiểm tra.
2. Mẫu là vật được chọn:
a) Mẫu gốc;
b) Mẫu sao;
đ) Mẫu khác.

Chương II - TỔ CHỨC THỰC HIỆN
Mục 1. QUẢN LÝ
Điều 3: Trách nhiệm
1. Chính phủ thống nhất quản lý.
2. Bộ trưởng chịu trách nhiệm theo quy định tại khoản 1 Điều 2 của Luật này.
"""


def test_law_hierarchy_and_levels() -> None:
    units = parse_structure(LAW)
    assert kinds(units) == [
        ("chuong", "I"), ("dieu", "1"), ("dieu", "2"), ("khoan", "1"), ("khoan", "2"), ("diem", "a"),
        ("diem", "b"), ("chuong", "II"), ("muc", "1"), ("dieu", "3"), ("khoan", "1"), ("khoan", "2"),
    ]
    assert [u.level for u in units[:6]] == [2, 5, 5, 6, 6, 7]
    assert unit(units, "muc", "1").level == 3


def test_titles_same_line_next_line_and_dash() -> None:
    units = parse_structure(LAW)
    assert unit(units, "chuong", "I").title == "NHỮNG QUY ĐỊNH CHUNG"
    assert unit(units, "chuong", "II").title == "TỔ CHỨC THỰC HIỆN"
    assert unit(units, "muc", "1").title == "QUẢN LÝ"
    assert unit(units, "dieu", "1").title == "Phạm vi điều chỉnh"
    assert unit(units, "dieu", "3").title == "Trách nhiệm"


def test_spans_start_at_heading_and_end_at_next_sibling_or_higher() -> None:
    units = parse_structure(LAW)
    d1, d2 = unit(units, "dieu", "1"), unit(units, "dieu", "2")
    assert LAW[d1.start:].startswith("Điều 1. Phạm vi")
    assert d1.end == d2.start
    assert d2.end == unit(units, "chuong", "II").start  # a chapter closes the article
    k2 = [u for u in units if u.kind == "khoan"][1]
    assert LAW[k2.start:k2.end].startswith("2. Mẫu là vật")
    assert k2.end == d2.end
    chapter1 = unit(units, "chuong", "I")
    assert chapter1.end == unit(units, "chuong", "II").start
    assert units[-1].end == len(LAW)


def test_count_articles() -> None:
    assert count_articles(parse_structure(LAW)) == 3


def test_point_sequence_broken_by_unknown_letter_is_not_a_point() -> None:
    """"đ)" after "b)" skips two letters: it stays in point b's text."""
    units = parse_structure(LAW)
    assert "diem" not in [u.kind for u in units if u.label == "đ"]


def test_article_title_forms() -> None:
    text = "Điều 5. Nguyên tắc\nNội dung.\nĐiều 6: Quyền\nNội dung.\nĐiều 7 Nghĩa vụ\nNội dung.\n"
    units = parse_structure(text)
    assert [(u.label, u.title) for u in units] == [("5", "Nguyên tắc"), ("6", "Quyền"), ("7", "Nghĩa vụ")]


def test_party_dash_article_and_clause_markers() -> None:
    text = "Điều 1- Đảng viên\n1- Đảng viên là chiến sĩ.\n2- Đảng viên có nhiệm vụ.\nĐiều 2 - Quyền\n"
    assert [(u.kind, u.label, u.title) for u in parse_structure(text)] == [
        ("dieu", "1", "Đảng viên"), ("khoan", "1", ""), ("khoan", "2", ""), ("dieu", "2", "Quyền")]


def test_unpunctuated_title_starting_like_a_document_word() -> None:
    text = "Điều 6. A\nNội dung.\nĐiều 7 Quyền của đảng viên\nNội dung.\nĐiều 8 Quy định chung\n"
    assert [u.title for u in parse_structure(text)] == ["A", "Quyền của đảng viên", "Quy định chung"]


def test_article_title_on_next_line_but_body_sentence_is_not_a_title() -> None:
    text = ("Điều 1.\nNước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước độc lập.\n"
            "Điều 2.\nMục đích của giao dịch dân sự\nMục đích là lợi ích hợp pháp.\n")
    units = parse_structure(text)
    assert [(u.kind, u.label, u.title) for u in units] == [("dieu", "1", ""), ("dieu", "2", "Mục đích của giao dịch dân sự")]


def test_wrapped_article_title_continues_in_lower_case() -> None:
    text = "Điều 4. Cấp đổi, điều chỉnh, thu hồi giấy\nphép môi trường\n1. Giấy phép được cấp đổi.\n"
    units = parse_structure(text + "Điều 5. Khác\n")
    assert unit(units, "dieu", "4").title == "Cấp đổi, điều chỉnh, thu hồi giấy phép môi trường"
    assert ("khoan", "1") in kinds(units)


def test_in_sentence_article_is_not_a_heading() -> None:
    text = "Điều 1. Phạm vi\nViệc này thực hiện theo Điều 5 của Luật.\nĐiều 2. Đối tượng\n"
    assert kinds(parse_structure(text)) == [("dieu", "1"), ("dieu", "2")]


def test_wrapped_cross_reference_at_line_start_is_not_a_heading() -> None:
    text = ("Điều 1. Phạm vi\n1. Kế hoạch quy định tại điểm a khoản 3\nĐiều 8 của Luật này phải phù hợp.\n"
            "2. Trường hợp quy định tại\nĐiều 15 Luật Đất đai thì áp dụng.\nĐiều 2. Đối tượng\n")
    units = parse_structure(text)
    assert [u.label for u in units if u.kind == "dieu"] == ["1", "2"]


def test_nfd_heading_is_found_and_spans_stay_exact() -> None:
    """Regression: real files store some "Điều" headings decomposed (NFD); they were missed."""
    text = "Điều 114. Một\nNội dung.\n" + unicodedata.normalize("NFD", "Điều 115") + "\n\n1. Đại biểu.\nĐiều 116. Ba\n"
    units = parse_structure(text)
    assert [u.label for u in units if u.kind == "dieu"] == ["114", "115", "116"]
    d115 = unit(units, "dieu", "115")
    assert text[d115.start:].startswith(unicodedata.normalize("NFD", "Điều 115"))


def test_markdown_headings_bold_and_escapes() -> None:
    text = "# LUẬT MẪU\n\n### Điều 1. Phạm vi\n\n1\\. Nội dung một.\n\n**Điều 2. Đối tượng**\n\na\\) Điểm a.\n"
    units = parse_structure(text)
    assert kinds(units) == [("dieu", "1"), ("khoan", "1"), ("dieu", "2"), ("diem", "a")]
    assert unit(units, "dieu", "2").title == "Đối tượng"
    assert text[units[0].start:].startswith("### Điều 1")


def test_preamble_numbered_list_is_not_clauses() -> None:
    text = ("QUY ĐỊNH\nCăn cứ:\n1. Điều lệ Đảng;\n2. Quy chế làm việc;\n"
            "Điều 1. Phạm vi\n1. Quy định này áp dụng.\n")
    units = parse_structure(text)
    assert kinds(units) == [("dieu", "1"), ("khoan", "1")]


def test_clause_numbers_must_follow_on() -> None:
    text = "Điều 1. Thời hạn\n1. Thời hạn là ba năm kể từ\n2015. Nay sửa lại.\n2. Hết hạn.\n"
    assert kinds(parse_structure(text)) == [("dieu", "1"), ("khoan", "1"), ("khoan", "2")]


def test_points_directly_in_article() -> None:
    text = "Điều 3. Hành vi bị cấm\na) Gian lận;\nb) Giả mạo.\nĐiều 4. Khác\n"
    units = parse_structure(text)
    assert kinds(units) == [("dieu", "3"), ("diem", "a"), ("diem", "b"), ("dieu", "4")]
    assert unit(units, "diem", "a").level == 7


def test_ocr_confusions_on_point_markers() -> None:
    text = ("Điều 10. Trách nhiệm\n1. Các cấp ủy:\na) Một;\nb) Hai;\nc) Ba;\nd) Bốn;\nd) Năm;\n©) Sáu;\n"
            "0) Bảy;\nh) Tám;\n1) Chín;\nx) lạc;\n")
    units = parse_structure(text)
    assert [u.label for u in units if u.kind == "diem"] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i"]


def test_ocr_marker_that_does_not_fit_is_rejected() -> None:
    text = "Điều 1. A\n1. B:\na) Một;\n0) không phải g;\nb) Hai;\n"
    units = parse_structure(text)
    assert [u.label for u in units if u.kind == "diem"] == ["a", "b"]


def test_one_missing_point_is_tolerated() -> None:
    text = "Điều 1. A\n1. B:\na) Một;\nc) Ba;\n"
    assert [u.label for u in parse_structure(text) if u.kind == "diem"] == ["a", "c"]


def test_party_decimal_numbering_inside_article() -> None:
    text = ("Điều 9. Trách nhiệm\n9.1. Đảng viên:\n9.1.1. Cài đặt ứng dụng.\n9.1.2. Bảo mật tài khoản.\n"
            "9.2. Chi bộ:\na) Theo dõi;\nb) Đôn đốc.\nĐiều 10. Hiệu lực\n")
    units = parse_structure(text)
    assert kinds(units) == [("dieu", "9"), ("khoan", "9.1"), ("diem", "9.1.1"), ("diem", "9.1.2"),
                            ("khoan", "9.2"), ("diem", "a"), ("diem", "b"), ("dieu", "10")]
    assert unit(units, "khoan", "9.1").end == unit(units, "khoan", "9.2").start


def test_letters_after_decimal_points_do_not_crash() -> None:
    """Regression: a letter point after "9.1.2." looked the decimal label up in the letter order."""
    text = "Điều 9. A\n9.1. B:\n9.1.1. C;\na) D;\nb) E.\n"
    assert kinds(parse_structure(text))[-2:] == [("diem", "a"), ("diem", "b")]


def test_decimal_with_other_prefix_is_not_a_clause() -> None:
    text = "Điều 9. Mức\n1. Mức hỗ trợ là\n1.5 triệu đồng mỗi tháng.\n2. Khác.\n"
    assert kinds(parse_structure(text)) == [("dieu", "9"), ("khoan", "1"), ("khoan", "2")]


def test_signature_and_stamp_lines_make_no_units() -> None:
    text = ("Điều 1. Hiệu lực\n1. Có hiệu lực từ ngày ký.\n2. Các cấp ủy thi hành.\n"
            "T/M BỘ CHÍNH TRỊ\n3. 1 con dấu\na) chữ ký\nNơi nhận:\n- Như Điều 1,\n- Lưu Văn phòng.\n")
    units = parse_structure(text)
    assert kinds(units) == [("dieu", "1"), ("khoan", "1"), ("khoan", "2")]


def test_new_article_after_signature_resumes_parsing() -> None:
    text = ("Điều 1. Ban hành\n1. Ban hành Quy chế.\nT/M BAN THƯỜNG VỤ\nQUY CHẾ\nChương I\nCHUNG\n"
            "Điều 1. Phạm vi\n1. Áp dụng.\n")
    units = parse_structure(text)
    assert kinds(units)[-3:] == [("chuong", "I"), ("dieu", "1"), ("khoan", "1")]


def test_part_with_ordinal_and_title_next_line() -> None:
    text = "Phần thứ hai\nQUYỀN SỞ HỮU\nĐiều 158. Quyền sở hữu\nNội dung.\nĐiều 159. Khác\n"
    units = parse_structure(text)
    assert (units[0].kind, units[0].label, units[0].title, units[0].level) == ("phan", "thứ hai", "QUYỀN SỞ HỮU", 1)


def test_chapter_wrapped_reference_is_not_a_heading() -> None:
    text = "Điều 1. A\n1. Theo quy định tại\nChương II của Luật này.\nĐiều 2. B\n"
    assert [u.kind for u in parse_structure(text)] == ["dieu", "khoan", "dieu"]


def test_muc_word_without_number_is_not_a_section() -> None:
    text = "Điều 1. A\nMục đích của việc này.\nMục tiêu chung.\nĐiều 2. B\n"
    assert [u.kind for u in parse_structure(text)] == ["dieu", "dieu"]


GUIDANCE = """HƯỚNG DẪN
một số vấn đề về sinh hoạt chi bộ
I- MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng sinh hoạt chi bộ.
2. Bảo đảm tính lãnh đạo.
II. NỘI DUNG
1. Sinh hoạt thường kỳ
1.1. Chuẩn bị
a) Cấp ủy chuẩn bị nội dung;
b) Gửi tài liệu trước một ngày;
1.2. Tiến hành
1.2.1. Khai mạc
1.2.2 Thông qua chương trình
2. Sinh hoạt chuyên đề
năm 2025. Đây là dòng nối
III - TỔ CHỨC THỰC HIỆN
Các cấp ủy triển khai thực hiện.
"""


def test_guidance_sections_items_and_points() -> None:
    units = parse_structure(GUIDANCE)
    assert kinds(units) == [
        ("section", "I"), ("item", "1"), ("item", "2"), ("section", "II"), ("item", "1"), ("item", "1.1"),
        ("diem", "a"), ("diem", "b"), ("item", "1.2"), ("item", "1.2.1"), ("item", "1.2.2"), ("item", "2"),
        ("section", "III"),
    ]
    assert unit(units, "section", "I").title == "MỤC ĐÍCH, YÊU CẦU"
    assert unit(units, "item", "1.1").title == "Chuẩn bị"


def test_guidance_levels_follow_dot_depth() -> None:
    units = parse_structure(GUIDANCE)
    assert unit(units, "section", "II").level == 2
    assert unit(units, "item", "1.1").level == unit(units, "item", "2").level + 1
    assert unit(units, "item", "1.2.1").level == unit(units, "item", "1.1").level + 1
    assert unit(units, "diem", "a").level == unit(units, "item", "1.1").level + 1


def test_guidance_spans() -> None:
    units = parse_structure(GUIDANCE)
    section2 = unit(units, "section", "II")
    assert section2.end == unit(units, "section", "III").start
    first = unit(units, "item", "1.1")
    assert GUIDANCE[first.start:first.end].startswith("1.1. Chuẩn bị")
    assert first.end == unit(units, "item", "1.2").start


def test_guidance_without_articles_has_no_clauses() -> None:
    assert "khoan" not in [u.kind for u in parse_structure(GUIDANCE)]
    assert count_articles(parse_structure(GUIDANCE)) == 0


def test_report_with_letter_parts() -> None:
    text = "A- KẾT QUẢ THỰC HIỆN\nI. CÔNG TÁC CHÍNH TRỊ\n1. Học tập nghị quyết.\nB- PHƯƠNG HƯỚNG\nI. NHIỆM VỤ\n"
    units = parse_structure(text)
    assert kinds(units) == [("phan", "A"), ("section", "I"), ("item", "1"), ("phan", "B"), ("section", "I")]


def test_roman_out_of_sequence_is_text() -> None:
    text = "I. MỘT\n1. Việc một.\nV. Lê-nin đã viết.\nII. HAI\n"
    assert kinds(parse_structure(text)) == [("section", "I"), ("item", "1"), ("section", "II")]


def test_empty_and_plain_text() -> None:
    assert parse_structure("") == []
    assert parse_structure("Chi bộ họp ngày 5/3.\nĐồng chí Bí thư phát biểu.") == []


def test_roman_to_int() -> None:
    assert [roman_to_int(r) for r in ("I", "IV", "IX", "XIV", "IIII", "IC", "A")] == [1, 4, 9, 14, 0, 0, 0]
