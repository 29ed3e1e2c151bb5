"""Relations between documents (assistant.ingest.links)."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.ingest.links import extract_links


def relations(text: str, own: str = "") -> list[tuple[str, str]]:
    return [(link.relation, link.target_number) for link in extract_links(text, own)]


def test_can_cu_lines_are_based_on() -> None:
    text = "- Căn cứ Điều lệ Đảng;\n- Căn cứ Quy chế làm việc số 01-QC/TW ngày 15/3/2021, Quy định số 24-QĐ/TW;\n"
    assert relations(text) == [("based_on", "01-QC/TW"), ("based_on", "24-QĐ/TW")]


def test_thuc_hien_is_implements() -> None:
    text = "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, chi bộ xây dựng kế hoạch như sau:"
    assert relations(text) == [("implements", "57-NQ/TW")]


@pytest.mark.parametrize("sentence", [
    "Quy định này thay thế Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị.",
    "Quy định này có hiệu lực từ ngày ký, thay thế Quy định số 124-QĐ/TW.",
    "Quy định số 124-QĐ/TW ngày 04/10/2023 hết hiệu lực kể từ ngày Quy định này có hiệu lực.",
])
def test_replaces(sentence: str) -> None:
    assert relations(sentence) == [("replaces", "124-QĐ/TW")]


def test_repeals_and_amends() -> None:
    text = "Bãi bỏ Hướng dẫn số 12-HD/BTCTW. Sửa đổi, bổ sung một số điều của Quy định 22-QĐ/TW."
    assert relations(text) == [("repeals", "12-HD/BTCTW"), ("amends", "22-QĐ/TW")]


def test_other_numbers_are_mentions() -> None:
    text = "Các chi bộ tham khảo Kế hoạch 168-KH/VPTW khi tổ chức tập huấn."
    assert relations(text) == [("mentions", "168-KH/VPTW")]


def test_state_documents_are_linked_too() -> None:
    text = "Căn cứ Luật số 58/2010/QH12 và Nghị định số 115/2020/NĐ-CP;"
    assert relations(text) == [("based_on", "58/2010/QH12"), ("based_on", "115/2020/NĐ-CP")]


def test_never_links_to_itself() -> None:
    text = "Số 366-QĐ/TW\nQUY ĐỊNH\nQuy định 366-QĐ/TW có hiệu lực từ ngày ký, thay thế Quy định số 124-QĐ/TW."
    assert relations(text, "366-QĐ/TW") == [("replaces", "124-QĐ/TW")]


def test_header_number_is_own_number_when_none_given() -> None:
    text = "CHI BỘ ẤP 3\nSố 05-BB/CB\nBIÊN BẢN\nThực hiện Hướng dẫn 42-HD/BTCTW, chi bộ họp."
    assert relations(text) == [("implements", "42-HD/BTCTW")]


def test_own_number_without_issuer_still_matches() -> None:
    assert relations("Nghị quyết 57 được triển khai.", "57-NQ/TW") == []


def test_one_link_per_target_keeps_strongest_relation() -> None:
    text = ("Xem thêm Quy định số 124-QĐ/TW. Quy định này thay thế Quy định số 124-QĐ/TW. "
            "Quy định 124-QĐ/TW được nhắc lại.")
    assert relations(text) == [("replaces", "124-QĐ/TW")]


def test_bare_mention_merges_with_full_number() -> None:
    text = "Thực hiện Nghị quyết số 57-NQ/TW. Nghị quyết 57 là nghị quyết quan trọng."
    assert relations(text) == [("implements", "57-NQ/TW")]


def test_keyword_in_previous_sentence_does_not_leak() -> None:
    text = "Căn cứ Điều lệ Đảng.\nChi bộ đã học tập Chỉ thị 50-CT/TW trong tháng."
    assert relations(text) == [("mentions", "50-CT/TW")]


def test_heading_line_is_its_own_sentence() -> None:
    text = "Điều 10. Hiệu lực thi hành\nQuy định 22-QĐ/TW vẫn được áp dụng."
    links = extract_links(text)
    assert [(link.relation, link.target_number) for link in links] == [("mentions", "22-QĐ/TW")]
    assert links[0].text == "Quy định 22-QĐ/TW vẫn được áp dụng."


def test_link_text_is_the_sentence() -> None:
    text = "Mở đầu. Căn cứ Quy định số 24-QĐ/TW; Nội dung khác."
    assert extract_links(text)[0].text == "Căn cứ Quy định số 24-QĐ/TW;"


def test_nfd_text() -> None:
    text = unicodedata.normalize("NFD", "Quy định này thay thế Quy định số 124-QĐ/TW.")
    assert relations(text) == [("replaces", "124-QĐ/TW")]


def test_no_numbers_no_links() -> None:
    assert extract_links("Chi bộ họp ngày 05/3/2026, có 25 đảng viên dự, kế hoạch 5 năm.") == []


def test_passive_amendment_history_is_not_amends() -> None:
    text = ("Luật Phòng, chống ma túy số 23/2000/QH10 đã được sửa đổi, bổ sung một số điều theo "
            "Luật số 16/2008/QH12 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.")
    assert relations(text) == [("replaces", "23/2000/QH10"), ("replaces", "16/2008/QH12")]


def test_lower_case_type_word_with_bare_number_is_not_a_document() -> None:
    """Regression: "thông báo 1." wrapped in a law's text became a link to "1-TB"."""
    assert extract_links("Các văn bản tố tụng phải được cấp, tống đạt hoặc thông báo 1 lần.") == []
    assert relations("Chi bộ học tập Nghị quyết 57 của Bộ Chính trị.") == [("mentions", "57-NQ")]


def test_bo_sung_alone_is_not_an_amendment() -> None:
    text = "Chi bộ bổ sung nội dung sinh hoạt theo Hướng dẫn 42-HD/BTCTW."
    assert relations(text) == [("mentions", "42-HD/BTCTW")]
