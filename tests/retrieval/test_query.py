"""Question parsing: the exam frame is dropped, options split off and meta options ignored."""

from __future__ import annotations

from assistant.retrieval.query import (
    MULTIPLE_CHOICE,
    OPEN,
    TRUE_FALSE,
    is_meta_option,
    loose_units,
    parse_question,
    query_text,
    split_options,
)


def test_true_false_frame_is_dropped_with_or_without_accents() -> None:
    parsed = parse_question("Hợp đồng lữ hành phải được lập thành văn bản, đúng hay sai?")
    assert parsed.kind == TRUE_FALSE
    assert parsed.stem == "Hợp đồng lữ hành phải được lập thành văn bản?"
    plain = parse_question("hop dong lu hanh phai lap thanh van ban dung hay sai")
    assert plain.kind == TRUE_FALSE and "dung" not in plain.stem.split()


def test_choice_frame_and_meta_options() -> None:
    text = query_text({"question": "Nhận định nào sau đây đúng? Chọn câu trả lời đúng nhất.",
                       "choices": {"A": "Dịch vụ ăn uống.", "B": "Dịch vụ thể thao.", "C": "Cả A, B đều đúng",
                                   "D": "Cả 3 phương án trên."}})
    assert text.splitlines()[1:] == ["A. Dịch vụ ăn uống.", "B. Dịch vụ thể thao.", "C. Cả A, B đều đúng",
                                     "D. Cả 3 phương án trên."]
    parsed = parse_question(text)
    assert parsed.kind == MULTIPLE_CHOICE
    assert parsed.options == {"A": "Dịch vụ ăn uống.", "B": "Dịch vụ thể thao."}
    assert "sau đây" not in parsed.stem and "Chọn" not in parsed.stem
    assert parsed.search_text.endswith("Dịch vụ ăn uống. Dịch vụ thể thao.")


def test_meta_options() -> None:
    for option in ("Cả A, B, C đều đúng", "Cả 3 đáp án A, B, C đều đúng", "Tất cả các phương án trên", "A và B",
                   "ca a va b deu sai", "Không có đáp án nào đúng"):
        assert is_meta_option(option), option
    for option in ("Cả vợ và chồng có quyền ngang nhau", "Ngân sách nhà nước", "05 ngày làm việc"):
        assert not is_meta_option(option), option


def test_inline_options_need_two_in_order() -> None:
    assert split_options("Chọn: A. 15 ngày B. 30 ngày C. 45 ngày")[1] == {"A": "15 ngày", "B": "30 ngày",
                                                                        "C": "45 ngày"}
    assert split_options("Điểm A. của khoản 2 là gì?") == ("Điểm A. của khoản 2 là gì?", {})
    parsed = parse_question("Đảng viên cài đặt ứng dụng trong bao lâu?")
    assert parsed.kind == OPEN and parsed.options == {}


def test_a_follow_up_names_its_clause_apart_from_the_article() -> None:
    text = "còn khoản 3 thì sao? (Điều 6 Quy định 339-QĐ/TW)"
    assert loose_units(text, [(22, 47)]) == ("3", "")
    assert loose_units("con diem đ thi sao", []) == ("", "đ")
    assert loose_units("tài khoản cho người khác", []) == ("", "")  # "khoản cho" is not a clause
