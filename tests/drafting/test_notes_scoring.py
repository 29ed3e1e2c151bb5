"""Scoring a record field by field (``assistant.evaluation.extraction``), in the notes set's strict format."""

from __future__ import annotations

from assistant.drafting.notes.extract import extract_record
from assistant.evaluation.extraction import FIELDS, compare, field_accuracy, name_key

NOTES = """CB KHU PHỐ 3 - PHƯỜNG AN LẠC
Họp chi bộ ngày 05/02/2026, từ 19h00 đến 20h50. Địa điểm: Văn phòng khu phố 3
Chủ trì: đ/c Lương Minh Trí (bí thư). Thư ký: đ/c Huỳnh Ngọc Hân
Tổng số ĐV: 30. Có mặt: 26. Vắng: 4 (có lý do 3: đ/c Trần Quốc Bảo, đ/c Mai Thị Liễu, đ/c Ngô Văn Phát; không lý do 1: đ/c Đinh Công Vũ)
Biểu quyết nghị quyết tháng 2: 25 tán thành, 1 không tán thành.
Giao đ/c Huỳnh Ngọc Hân đôn đốc các hộ, hoàn thành trong tháng 2
"""

EXPECTED = {
    "kind": "regular", "cell": "Chi bộ Khu phố 3 - Phường An Lạc", "parent": None, "place": "Văn phòng khu phố 3",
    "number": None, "date": "2026-02-05", "start_time": "19:00", "end_time": "20:50", "chair": "Lương Minh Trí",
    "secretary": "Huỳnh Ngọc Hân",
    "attendance": {"total": 30, "present": 26, "absent": 4,
                   "absent_excused": ["Trần Quốc Bảo", "Mai Thị Liễu", "Ngô Văn Phát"],
                   "absent_unexcused": ["Đinh Công Vũ"]},
    "votes": [{"for": 25, "against": 1}],
    "tasks": [{"owner": "Huỳnh Ngọc Hân", "deadline": "2026-02-28"}],
    "speakers": [], "documents": [],
}


def test_a_right_record_scores_every_field() -> None:
    result = compare(EXPECTED, extract_record(NOTES).record)
    assert not result.mismatches and set(result.checks) == set(FIELDS)
    assert result.right == len(FIELDS) and field_accuracy([result]) == (len(FIELDS), len(FIELDS))
    assert result.fields["cell"].tp == 1 and result.fields["parent"].tp + result.fields["parent"].fp == 0


def test_a_value_for_an_empty_field_is_a_false_positive() -> None:
    record = extract_record(NOTES).record
    record.parent = "Đảng bộ phường An Lạc"  # guessed: the notes give no parent
    record.attendance.full = 27  # invented count
    result = compare(EXPECTED, record)
    assert (result.fields["parent"].fp, result.fields["parent"].fn) == (1, 0)
    assert result.fields["attendance"].fp == 1 and not result.checks["attendance"] and not result.checks["parent"]


def test_a_wrong_value_is_both_a_false_positive_and_a_false_negative() -> None:
    record = extract_record(NOTES).record
    record.place = "Nhà văn hóa"
    tally = compare(EXPECTED, record).fields["place"]
    assert (tally.tp, tally.fp, tally.fn) == (0, 1, 1)


def test_names_are_compared_without_accents_case_or_the_cb_abbreviation() -> None:
    assert name_key("CB  Khu phố 3") == name_key("chi bo khu pho 3") == "chi bo khu pho 3"
    assert name_key("ĐB PHƯỜNG HÒA PHÚ") == name_key("Đảng bộ phường Hoà Phú")


def test_the_old_format_is_scored_as_before() -> None:
    """evals/drafting expectations list only what is scored: no strict fields, no absent count."""
    old = {"date": "2026-02-05", "chair": "Lương Minh Trí", "attendance": {"present": 26, "total": 30,
                                                                        "absent_excused": [], "absent_unexcused": []}}
    result = compare(old, extract_record(NOTES).record)
    assert "cell" not in result.checks and "guests" not in result.checks and "short_meeting" not in result.checks
    assert result.fields["attendance"].fp == 0  # "absent" is not scored in the old format
