"""The meeting-record format: validation messages and consistency checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.drafting.notes.record import (
    MeetingRecord,
    check_record,
    dump_record,
    load_record,
    parse_date,
    parse_time,
    record_from_data,
)
from assistant.errors import NotFound, ValidationFailed

GOOD = {
    "cell": "CHI BỘ ẤP 3", "parent": "ĐẢNG BỘ XÃ GÒ QUAO", "kind": "định kỳ", "number": 5,
    "date": "05/03/2026", "start_time": "19h30", "end_time": "21:15", "place": "Nhà văn hóa ấp 3",
    "chair": {"name": "Nguyễn Văn Hùng", "title": "Bí thư chi bộ"}, "secretary": "Trần Thị Lan",
    "attendance": {"total": 20, "full": 18, "probationary": 2, "exempt": 1, "present": 17,
                   "absent_excused": [{"name": "Phạm Văn Bình", "reason": "ốm"}, {"name": "Võ Thị Hoa"}]},
    "votes": [{"question": "Thông qua nghị quyết tháng 3", "method": "giơ tay", "for": 17, "against": 0,
               "abstain": 0, "out_of": 17}],
    "tasks": [{"what": "Hướng dẫn cài đặt ứng dụng", "owner": "Nguyễn Văn Minh", "deadline": "2026-03-20"}],
}


def test_parse_time_and_date_forms() -> None:
    assert parse_time("19h30") == dt.time(19, 30)
    assert parse_time("19 giờ 30 phút") == dt.time(19, 30)
    assert parse_time("7g") == dt.time(7, 0)
    assert parse_time(1170) == dt.time(19, 30)  # YAML 1.1 reads an unquoted 19:30 as minutes
    assert parse_date("05/03/2026") == dt.date(2026, 3, 5)
    assert parse_date("ngày 5 tháng 3 năm 2026") == dt.date(2026, 3, 5)
    assert parse_date("2026-03-05") == dt.date(2026, 3, 5)
    with pytest.raises(ValueError, match="không tồn tại"):
        parse_date("31/02/2026")


def test_good_record_is_consistent() -> None:
    record = record_from_data(GOOD)
    assert record.kind == "regular" and record.number == "5"
    assert record.attendance.expected == 19 and record.attendance.absent == 2
    assert record.duration_minutes() == 105
    assert check_record(record) == []


def test_invalid_record_lists_every_problem_in_vietnamese() -> None:
    bad = dict(GOOD, kind="họp mặt", date="31/02/2026", colour="đỏ",
               attendance={"present": "mười bảy"}, votes="nhiều")
    with pytest.raises(ValidationFailed) as exc:
        record_from_data(bad)
    text = str(exc.value)
    assert "kind: loại cuộc họp 'họp mặt' không hợp lệ" in text
    assert "date: ngày không tồn tại '31/02/2026'" in text
    assert "colour: trường không có trong định dạng biên bản" in text
    assert "attendance.present: phải là số nguyên" in text
    assert "votes: phải là một danh sách" in text


def test_attendance_must_add_up() -> None:
    data = dict(GOOD, attendance=dict(GOOD["attendance"], present=16), votes=[])
    issues = check_record(record_from_data(data))
    assert [i.level for i in issues] == ["error"]
    assert "có mặt 16 + vắng 2 = 18" in issues[0].message and "phải dự họp là 19" in issues[0].message


def test_status_counts_must_add_up() -> None:
    data = dict(GOOD, attendance=dict(GOOD["attendance"], full=17))
    assert any("chính thức 17 + dự bị 2 ≠ tổng số 20" in i.message for i in check_record(record_from_data(data)))


def test_votes_cannot_exceed_present() -> None:
    data = dict(GOOD, votes=[{"for": 18, "against": 1, "out_of": 19}])
    messages = [i.message for i in check_record(record_from_data(data))]
    assert "biểu quyết trên 19 đồng chí nhưng chỉ có 17 có mặt" in messages
    assert "tổng phiếu 19 vượt số có mặt 17" in messages


def test_short_meeting_is_flagged() -> None:
    record = record_from_data(dict(GOOD, end_time="20:40"))
    issues = [i for i in check_record(record) if i.field == "time"]
    assert issues and "70 phút, dưới 90 phút" in issues[0].message
    combined = record_from_data(dict(GOOD, combined_thematic=True, end_time="21:15"))
    assert any("dưới 120 phút" in i.message for i in check_record(combined))


def test_deadline_before_meeting_is_a_warning() -> None:
    data = dict(GOOD, tasks=[{"what": "x", "owner": "A", "deadline": "01/03/2026"}])
    issues = check_record(record_from_data(data))
    assert [(i.level, i.field) for i in issues] == [("warning", "tasks[1]")]


def test_district_level_is_rejected() -> None:
    issues = check_record(record_from_data(dict(GOOD, parent="HUYỆN ỦY GÒ QUAO")))
    assert any(i.level == "error" and "Quy định 294-QĐ/TW" in i.message for i in issues)


def test_yaml_round_trip(tmp_path: Path) -> None:
    record = record_from_data(GOOD)
    path = tmp_path / "r.yaml"
    path.write_text(dump_record(record), encoding="utf-8")
    again = load_record(path)
    assert again == record
    assert "for: 17" in path.read_text(encoding="utf-8")
    json_path = tmp_path / "r.json"
    json_path.write_text(dump_record(record, "json"), encoding="utf-8")
    assert load_record(json_path) == record


def test_unquoted_yaml_times(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("date: 2026-03-05\nstart_time: 19:30\nend_time: 08:00\n", encoding="utf-8")
    record = load_record(path)
    assert record.start_time == dt.time(19, 30) and record.end_time == dt.time(8, 0)


def test_load_record_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_record(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("date: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="không phải YAML/JSON hợp lệ"):
        load_record(broken)
    listy = tmp_path / "list.yaml"
    listy.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="bảng khóa"):
        load_record(listy)


def test_empty_record_is_valid() -> None:
    assert MeetingRecord().to_data() == {"kind": "regular"}
