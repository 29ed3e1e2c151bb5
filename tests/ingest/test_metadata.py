"""Header and title metadata (assistant.ingest.metadata)."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.ingest.metadata import extract_metadata

REGULATION = """[TÀI LIỆU MẪU — không phải văn bản thật]
BAN CHẤP HÀNH TRUNG ƯƠNG          ĐẢNG CỘNG SẢN VIỆT NAM
**BỘ CHÍNH TRỊ**
*                                  Hà Nội, ngày 10 tháng 7 năm 2025
Số 339-QĐ/TW

QUY ĐỊNH
về sử dụng ứng dụng Sổ tay đảng viên
điện tử
-----
Căn cứ Điều lệ Đảng;
Căn cứ Quy định số 24-QĐ/TW ngày 30/7/2021;
Bộ Chính trị quy định về bảo mật và mật khẩu như sau:
Điều 1. Phạm vi điều chỉnh
"""

MINUTES = """ĐẢNG BỘ XÃ GÒ QUAO\tĐẢNG CỘNG SẢN VIỆT NAM
CHI BỘ ẤP 3
*
Số 05-BB/CB\tGò Quao, ngày 05 tháng 03 năm 2026

BIÊN BẢN
Sinh hoạt chi bộ thường kỳ tháng 3 năm 2026
Hôm nay, vào lúc 19 giờ 30, ngày 05 tháng 3 năm 2026, tại nhà văn hóa ấp 3.
"""

LAW_TXT = """QUỐC HỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Luật số: 58/2010/QH12

LUẬT VIÊN CHỨC

Điều 1. Phạm vi điều chỉnh
Luật này quy định về viên chức.
Luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XII, kỳ họp thứ 8 thông qua ngày 15 tháng 11 năm 2010.
"""


def test_party_regulation_header() -> None:
    meta = extract_metadata(REGULATION, "qd339")
    assert meta.doc_id == "qd339"
    assert meta.is_sample
    assert meta.number == "339-QĐ/TW"
    assert (meta.doc_type, meta.type_code) == ("quy định", "QĐ")
    assert meta.issuer == "BỘ CHÍNH TRỊ"
    assert meta.parent_body == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert (meta.place, meta.date) == ("Hà Nội", "2025-07-10")


def test_summary_wraps_over_two_lines_and_builds_title() -> None:
    meta = extract_metadata(REGULATION, "qd339")
    assert meta.summary == "về sử dụng ứng dụng Sổ tay đảng viên điện tử"
    assert meta.title == "Quy định về sử dụng ứng dụng Sổ tay đảng viên điện tử"


def test_sentence_with_bao_mat_and_mat_khau_is_not_a_secrecy_mark() -> None:
    meta = extract_metadata(REGULATION, "qd339")
    assert meta.secrecy == ""
    assert meta.circulation == ""


def test_cell_minutes_with_tab_separated_header() -> None:
    meta = extract_metadata(MINUTES, "bb05")
    assert meta.number == "05-BB/CB"
    assert (meta.doc_type, meta.type_code) == ("biên bản", "BB")
    assert meta.issuer == "CHI BỘ ẤP 3" and meta.parent_body == "ĐẢNG BỘ XÃ GÒ QUAO"
    assert (meta.place, meta.date) == ("Gò Quao", "2026-03-05")
    assert meta.summary == "Sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"
    assert meta.title == "Biên bản sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"
    assert not meta.is_sample


@pytest.mark.parametrize(("mark", "level"), [("MẬT", "MẬT"), ("TỐI MẬT", "TỐI MẬT"), ("TUYỆT MẬT", "TUYỆT MẬT"),
                                             ("(MẬT)", "MẬT"), ("Độ mật: TỐI MẬT", "TỐI MẬT"), ("Mật", "MẬT")])
def test_secrecy_marks(mark: str, level: str) -> None:
    text = f"ĐẢNG ỦY XÃ A\n{mark}\nSố 12-BC/ĐU\nBÁO CÁO\nTình hình tháng 3\n"
    assert extract_metadata(text, "x").secrecy == level


def test_secrecy_mark_in_a_header_cell() -> None:
    text = "CHI BỘ ẤP 3          TỐI MẬT\nSố 03-BC/CB\nBÁO CÁO\nKết quả tháng 3\n"
    assert extract_metadata(text, "x").secrecy == "TỐI MẬT"


@pytest.mark.parametrize("line", [
    "Đảng viên giữ bí mật mật khẩu tài khoản.",
    "BẢO MẬT THÔNG TIN",
    "MẬT KHẨU",
    "Tài liệu này cần được giữ mật.",
    "MẶT TRẬN",
    "Mặt",
])
def test_secrecy_false_positives(line: str) -> None:
    text = f"CHI BỘ ẤP 3\nSố 03-BC/CB\nBÁO CÁO\n{line}\nNội dung.\n"
    assert extract_metadata(text, "x").secrecy == ""


def test_secrecy_mark_deep_in_the_body_is_ignored() -> None:
    body = "\n".join(f"Dòng nội dung {i}." for i in range(60))
    text = f"CHI BỘ ẤP 3\nBÁO CÁO\nTháng 3\n{body}\nMẬT\n"
    assert extract_metadata(text, "x").secrecy == ""


@pytest.mark.parametrize(("line", "value"), [("Lưu hành nội bộ", "Lưu hành nội bộ"),
                                             ("(Tài liệu lưu hành nội bộ)", "Lưu hành nội bộ"),
                                             ("KHÔNG PHỔ BIẾN", "Không phổ biến")])
def test_circulation(line: str, value: str) -> None:
    text = f"BAN TUYÊN GIÁO\n{line}\nTÀI LIỆU\nHƯỚNG DẪN\nhọc tập nghị quyết\n"
    assert extract_metadata(text, "x").circulation == value


def test_circulation_in_a_sentence_is_ignored() -> None:
    text = "CHI BỘ ẤP 3\nBÁO CÁO\nTháng 3\nTài liệu này không phổ biến rộng rãi ra ngoài.\n"
    assert extract_metadata(text, "x").circulation == ""


def test_law_header_and_closing_date() -> None:
    meta = extract_metadata(LAW_TXT, "lvc")
    assert meta.title == "Luật Viên chức"
    assert (meta.doc_type, meta.type_code) == ("luật", "")
    assert meta.number == "58/2010/QH12"
    assert meta.issuer == "QUỐC HỘI"
    assert meta.date == "2010-11-15"
    assert meta.summary == ""


def test_markdown_law_title() -> None:
    meta = extract_metadata("# LUẬT AN NINH MẠNG\n\n### Điều 1. Phạm vi điều chỉnh\n", "anm")
    assert meta.title == "Luật An ninh mạng" and meta.doc_type == "luật"


def test_code_and_constitution_titles() -> None:
    assert extract_metadata("QUỐC HỘI\n\nBỘ LUẬT DÂN SỰ\n\nĐiều 1.", "blds").title == "Bộ luật Dân sự"
    meta = extract_metadata("QUỐC HỘI\nHIẾN PHÁP\nĐiều 1.\nNước Cộng hòa...", "hp")
    assert (meta.title, meta.doc_type) == ("Hiến pháp", "hiến pháp")


def test_title_from_file_name_when_text_has_none() -> None:
    meta = extract_metadata("Điều 1. Phạm vi điều chỉnh\nLuật này quy định...", "x", source_name="Luật Cư trú.txt")
    assert (meta.title, meta.doc_type) == ("Luật Cư trú", "luật")
    plain = extract_metadata("Ghi chép buổi học.", "x", source_name="ghi-chep.docx")
    assert plain.title == "ghi-chep"


def test_number_only_document_type_falls_back_to_code() -> None:
    meta = extract_metadata("CHI BỘ ẤP 3\nSố 07-NQ/CB\nVề công tác tháng 4\n", "x")
    assert meta.number == "07-NQ/CB" and meta.doc_type == "nghị quyết" and meta.type_code == "NQ"


def test_decision_title_word_beats_ambiguous_code() -> None:
    text = "ĐẢNG ỦY XÃ A\nSố 15-QĐ/ĐU\nQUYẾT ĐỊNH\nvề việc kết nạp đảng viên\n"
    meta = extract_metadata(text, "x")
    assert (meta.doc_type, meta.type_code, meta.number) == ("quyết định", "QĐ", "15-QĐ/ĐU")
    assert meta.title == "Quyết định về việc kết nạp đảng viên"


def test_numeric_date_and_uppercase_summary() -> None:
    text = ("ĐẢNG BỘ XÃ A\nCHI BỘ ẤP 1\nSố 02-KH/CB\nẤp 1, ngày 3/4/2026\nKẾ HOẠCH\n"
            "TỔ CHỨC HỌC TẬP NGHỊ QUYẾT\nI. MỤC ĐÍCH\n")
    meta = extract_metadata(text, "x")
    assert meta.date == "2026-04-03" and meta.place == "Ấp 1"
    assert meta.summary == "TỔ CHỨC HỌC TẬP NGHỊ QUYẾT"
    assert meta.title == "Kế hoạch tổ chức học tập nghị quyết"


def test_invalid_date_is_left_empty() -> None:
    text = "CHI BỘ ẤP 1\nẤp 1, ngày 31 tháng 02 năm 2026\nBÁO CÁO\nTháng 2\n"
    assert extract_metadata(text, "x").date == ""


def test_markdown_table_header() -> None:
    text = ("| ĐẢNG BỘ XÃ A | ĐẢNG CỘNG SẢN VIỆT NAM |\n|---|---|\n| **CHI BỘ ẤP 2** | |\n"
            "| Số 09-BC/CB | Xã A, ngày 30 tháng 4 năm 2026 |\n\n**BÁO CÁO**\n**Kết quả công tác tháng 4**\n")
    meta = extract_metadata(text, "x")
    assert (meta.issuer, meta.parent_body) == ("CHI BỘ ẤP 2", "ĐẢNG BỘ XÃ A")
    assert meta.number == "09-BC/CB" and meta.date == "2026-04-30" and meta.place == "Xã A"
    assert meta.summary == "Kết quả công tác tháng 4"


def test_glued_header_columns() -> None:
    text = "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM\nSố 50-CT/TW\nCHỈ THỊ\nvề nâng cao chất lượng\n"
    meta = extract_metadata(text, "x")
    assert meta.issuer == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert (meta.doc_type, meta.number) == ("chỉ thị", "50-CT/TW")


def test_nfd_input() -> None:
    meta = extract_metadata(unicodedata.normalize("NFD", MINUTES), "bb05")
    assert meta.number == "05-BB/CB" and meta.issuer == "CHI BỘ ẤP 3" and meta.date == "2026-03-05"


def test_empty_text() -> None:
    meta = extract_metadata("", "x")
    assert (meta.title, meta.number, meta.doc_type, meta.secrecy) == ("", "", "", "")


def test_urgency_mark_is_not_the_issuer() -> None:
    text = "ĐẢNG ỦY XÃ A\nHỎA TỐC\nSố 3-CV/ĐU\nCÔNG VĂN\nvề việc họp\n"
    meta = extract_metadata(text, "x")
    assert meta.issuer == "ĐẢNG ỦY XÃ A"


def test_word_table_header_with_joined_cell_paragraphs() -> None:
    """A Word header table arrives as one row per line, cells joined by " | ", paragraphs by spaces."""
    text = ("ĐẢNG BỘ XÃ GÒ QUAO CHI BỘ ẤP 3 * Số 05-BB/CB | ĐẢNG CỘNG SẢN VIỆT NAM Gò Quao, ngày 05 tháng 03 năm 2026\n"
            "BIÊN BẢN\nSinh hoạt chi bộ thường kỳ tháng 3 năm 2026\n")
    meta = extract_metadata(text, "x")
    assert (meta.parent_body, meta.issuer) == ("ĐẢNG BỘ XÃ GÒ QUAO", "CHI BỘ ẤP 3")
    assert (meta.number, meta.place, meta.date) == ("05-BB/CB", "Gò Quao", "2026-03-05")


@pytest.mark.parametrize("body", ["BAN CHẤP HÀNH ĐẢNG BỘ TỈNH AN GIANG", "VĂN PHÒNG ĐẢNG ỦY XÃ A",
                                  "ỦY BAN KIỂM TRA ĐẢNG ỦY PHƯỜNG B"])
def test_compound_body_names_are_not_split(body: str) -> None:
    text = f"{body} * Số 12-NQ/TU | ĐẢNG CỘNG SẢN VIỆT NAM An Giang, ngày 2 tháng 9 năm 2025\nNGHỊ QUYẾT\nvề x\n"
    meta = extract_metadata(text, "x")
    assert (meta.issuer, meta.parent_body) == (body, "")


def test_central_committee_and_politburo_in_one_cell() -> None:
    text = "BAN CHẤP HÀNH TRUNG ƯƠNG BỘ CHÍNH TRỊ * Số 57-NQ/TW | ĐẢNG CỘNG SẢN VIỆT NAM\nNGHỊ QUYẾT\nvề y\n"
    meta = extract_metadata(text, "x")
    assert (meta.parent_body, meta.issuer) == ("BAN CHẤP HÀNH TRUNG ƯƠNG", "BỘ CHÍNH TRỊ")


def test_resolution_issued_by_line_names_the_issuer() -> None:
    """A "CỦA BỘ CHÍNH TRỊ" line under the type word once leaked into the title."""
    text = ("BAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 57-NQ/TW\nHà Nội, ngày 22 tháng 12 năm 2024\n\n"
            "NGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\nvề chuyển đổi số quốc gia\n\nI- TÌNH HÌNH\n")
    meta = extract_metadata(text, "nq57")
    assert meta.issuer == "BỘ CHÍNH TRỊ"
    assert meta.title == "Nghị quyết về chuyển đổi số quốc gia"


@pytest.mark.parametrize(("line", "summary"), [
    ("Thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số", "Thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số"),
    ("Phân công đảng viên phụ trách hộ gia đình", "Phân công đảng viên phụ trách hộ gia đình"),
    ("Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị, Chi bộ xây dựng kế hoạch như sau:", ""),
])
def test_summary_may_start_with_a_verb_but_not_with_a_preamble(line: str, summary: str) -> None:
    text = f"CHI BỘ ẤP 1\nSố 03-KH/CB\nKẾ HOẠCH\n{line}\nI. MỤC ĐÍCH\n"
    meta = extract_metadata(text, "x")
    assert meta.summary == summary
    if summary:
        assert meta.title == f"Kế hoạch {summary[0].lower()}{summary[1:]}"


def test_part_heading_still_ends_the_summary() -> None:
    text = "CHI BỘ ẤP 1\nHƯỚNG DẪN\nSinh hoạt chi bộ\nPhần I\nQuy định chung\n"
    assert extract_metadata(text, "x").summary == "Sinh hoạt chi bộ"
