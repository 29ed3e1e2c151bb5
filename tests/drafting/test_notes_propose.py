"""The writing model proposes the record; only values found in the notes are kept (issue 12, point 5)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from assistant.drafting.notes.extract import extract_record
from assistant.drafting.notes.propose import FIELDS, Evidence, Proposal, gaps, merge, proposal_schema, propose_record
from assistant.drafting.notes.record import MeetingRecord
from assistant.errors import ValidationFailed
from assistant.llm.fake import FakeLLM
from assistant.prompts import load_prompt

NOTES = """Chi bộ ấp Tân Hòa
Sinh hoạt chi bộ ngày 08/01/2026, bắt đầu 19h30 tại nhà văn hóa ấp
Đồng chí Hà Văn Long, bí thư, chủ trì. Trần Thị Thoa ghi chép.
Chi bộ có 24 đảng viên, có mặt 21, vắng 3.
Đ/c Phạm Văn Nhân đề nghị hỗ trợ 5 hộ nghèo sửa nhà.
Biểu quyết nghị quyết tháng 1: 21/21 tán thành.
Giao đ/c Phạm Văn Nhân lập danh sách hộ nghèo, xong trước 20/01/2026.
Kết thúc 21h10.
"""

# What a model might answer for every field: some values are in the notes, some invented.
ANSWER = {
    "cell": "Chi bộ ấp Tân Hòa",
    "parent": "Đảng bộ xã Long Hưng",  # invented: no parent in the notes
    "place": "nhà văn hóa ấp",
    "date": "08/01/2026",
    "start_time": "19:30",
    "end_time": "21:10",
    "chair": "đồng chí Hà Văn Long",
    "secretary": "Trần Thị Thoa",  # in the notes, but the rules miss "ghi chép"
    "total": 24,
    "full": 22,  # invented
    "probationary": 2,  # invented
    "exempt": None,
    "present": 21,
    "absent": 3,
    "absent_excused": ["Võ Văn Cường"],  # invented person
    "absent_unexcused": [],
    "votes": [{"for": 21, "against": 0, "abstain": 0, "out_of": 21}],
    "tasks": [{"owner": "Phạm Văn Nhân", "deadline": "20/01/2026"},
              {"owner": "Lê Thị Bích", "deadline": "31/01/2026"}],  # invented task
    "speakers": ["Phạm Văn Nhân", "Hà Văn Long"],
}


def test_schema_covers_the_record_fields() -> None:
    schema = proposal_schema()
    assert schema["required"] == list(FIELDS) and schema["additionalProperties"] is False
    assert schema["properties"]["total"]["type"] == ["integer", "null"]
    assert set(schema["properties"]["tasks"]["items"]["properties"]) == {"owner", "deadline"}
    assert list(proposal_schema(["date", "chair"])["properties"]) == ["date", "chair"]


def test_prompt_files_in_both_languages() -> None:
    for lang in ("vi", "en"):
        prompt = load_prompt("notes_record", lang)
        assert prompt.variables == {"notes", "fields"}
        assert "null" in prompt.render(notes="x", fields="chair")


def test_gaps_are_what_the_rules_left_empty() -> None:
    record = extract_record(NOTES).record
    assert gaps(record) == ["parent", "secretary", "full", "probationary", "exempt", "absent_excused",
                            "absent_unexcused"]
    assert "parent" not in gaps(record, skip=["parent"])


def test_only_values_found_in_the_notes_are_kept() -> None:
    record = extract_record(NOTES).record
    llm = FakeLLM([json.dumps(ANSWER, ensure_ascii=False)])
    proposal = propose_record(record, NOTES.split("\n"), llm, load_prompt("notes_record"), mode="full")
    assert proposal.calls == 1 and not proposal.error
    # The gap the model filled from the notes, with its line.
    assert record.secretary is not None and record.secretary.name == "Trần Thị Thoa" and record.secretary.line == 3
    assert record.field_lines["secretary"] == 3 and proposal.accepted["secretary"].endswith("(dòng 3)")
    # Invented values are refused, each with a reason.
    assert record.parent == "" and "parent" in proposal.rejected
    assert record.attendance.full is None and record.attendance.probationary is None
    assert {"full", "probationary", "absent_excused[0]"} <= set(proposal.rejected)
    assert record.attendance.absent_excused == []
    assert [t.owner for t in record.tasks] == ["Phạm Văn Nhân"]  # the rules found the tasks: the list stays
    # The chair is never a speaker; the rules' values stay (the rules win on conflict).
    assert [o.speaker for o in record.opinions] == ["Phạm Văn Nhân"]
    assert record.chair is not None and record.chair.name == "Hà Văn Long"
    # The model saw the notes and the fields it was asked for.
    prompt = llm.prompts[0][0].content
    assert "Phạm Văn Nhân" in prompt and "absent_unexcused" in prompt


def test_rules_win_on_conflict() -> None:
    record = extract_record(NOTES).record
    answer = {"date": "09/01/2026", "present": 20, "chair": "Phạm Văn Nhân", "total": 21}
    proposal = Proposal("full")
    merge(record, answer, Evidence(NOTES.split("\n"), record.date), proposal)
    assert record.date == dt.date(2026, 1, 8) and record.attendance.present == 21 and record.attendance.total == 24
    assert record.chair is not None and record.chair.name == "Hà Văn Long"
    assert proposal.accepted == {}


@pytest.mark.parametrize(("field", "value", "kept"), [
    ("date", "2026-01-08", True),
    ("date", "ngày 8 tháng 1 năm 2026", True),
    ("date", "10/01/2026", False),  # not written anywhere
    ("start_time", "7:30 PM", False),
    ("start_time", "19h30", True),
    ("end_time", "21:15", False),
    ("present", 21, True),
    ("present", 24, False),  # 24 stands beside "đảng viên", not "có mặt"
    ("absent", 3, True),
    ("chair", "Ha Van Long", True),  # accent-insensitive
    ("chair", "Hà Văn Lân", False),
    ("place", "nhà văn hóa ấp", True),
    ("place", "hội trường xã", False),
])
def test_each_kind_of_value_is_checked(field: str, value: Any, kept: bool) -> None:
    record = MeetingRecord()
    proposal = Proposal("full")
    merge(record, {field: value}, Evidence(NOTES.split("\n")), proposal)
    assert (field in proposal.accepted) is kept, proposal.rejected


def test_a_name_only_a_chat_sender_is_not_found() -> None:
    chat = "[19:00] Tuan CB: Họp chi bộ ngày 3/2/2026\n[19:05] Ba Duc: 👍\n[19:06] Tuan CB: Đ/c Lê Văn An đề nghị sửa cống\n"
    evidence = Evidence(chat.split("\n"))
    assert evidence.name("Ba Duc") is None and evidence.name("Lê Văn An") == ("Lê Văn An", 3)


def test_gaps_mode_asks_nothing_when_nothing_is_missing() -> None:
    record = extract_record(NOTES).record
    llm = FakeLLM()
    proposal = propose_record(record, NOTES.split("\n"), llm, load_prompt("notes_record"), mode="gaps",
                              skip=gaps(record))
    assert proposal.asked == [] and proposal.calls == 0 and llm.prompts == []


def test_gaps_mode_asks_only_for_the_gaps() -> None:
    record = extract_record(NOTES).record
    llm = FakeLLM([json.dumps({"parent": None, "secretary": "Trần Thị Thoa", "full": None, "probationary": None,
                               "exempt": None, "absent_excused": [], "absent_unexcused": []})])
    proposal = propose_record(record, NOTES.split("\n"), llm, load_prompt("notes_record"), mode="gaps")
    assert proposal.asked == gaps(extract_record(NOTES).record)
    assert "secretary" in proposal.accepted and record.secretary is not None


def test_long_notes_are_sent_in_parts() -> None:
    long_notes = NOTES + "\n".join(f"- Đ/c Lê Văn An{i} đề nghị việc số {i}." for i in range(200))
    llm = FakeLLM(default=json.dumps({"secretary": "Trần Thị Thoa"}))
    record = extract_record(long_notes).record
    proposal = propose_record(record, long_notes.split("\n"), llm, load_prompt("notes_record"), mode="gaps",
                              max_chars=1500)
    assert proposal.calls > 1 and all(len(p[0].content) < 1500 + 2500 for p in llm.prompts)
    assert all("Chi bộ ấp Tân Hòa" in p[0].content for p in llm.prompts)  # every part has the header


def test_a_broken_answer_leaves_the_rules_record() -> None:
    record = extract_record(NOTES).record
    before = record.model_dump()
    proposal = propose_record(record, NOTES.split("\n"), FakeLLM(["không phải JSON"]), load_prompt("notes_record"))
    assert proposal.error and record.model_dump() == before


def test_service_proposes_with_a_writer_and_not_without(cell_settings: Any) -> None:
    from assistant.drafting.service import drafting_service

    answer = json.dumps({"secretary": "Trần Thị Thoa", "full": 22}, ensure_ascii=False)
    llm = FakeLLM(["{}", answer])  # the wording pass first, then the proposal
    summary = drafting_service(cell_settings, llm=llm).summarize(NOTES)
    assert summary.proposed is not None and summary.proposed.mode == "gaps"
    assert "parent" not in summary.proposed.asked  # the cell settings give it
    assert summary.record.secretary is not None and summary.record.attendance.full is None
    assert summary.to_dict()["proposal"]["rejected"]["full"].startswith("22")
    assert summary.record.parent == "ĐẢNG BỘ XÃ GÒ QUAO"  # from the settings, the notes being silent
    quiet = drafting_service(cell_settings, llm=FakeLLM(writes_vietnamese=False)).summarize(NOTES)
    assert quiet.proposed is None and quiet.record.secretary is None
    off = drafting_service(cell_settings, llm=FakeLLM(["{}"])).summarize(NOTES, propose=False)
    assert off.proposed is None


def test_settings_spelling_for_an_accent_free_cell(cell_settings: Any) -> None:
    from assistant.drafting.service import drafting_service

    service = drafting_service(cell_settings, llm=FakeLLM(writes_vietnamese=False))
    record = service.summarize("CHI BO AP 3\nHop chi bo ngay 5/3/2026\n").record
    assert record.cell == "CHI BỘ ẤP 3"
    other = service.summarize("Chi bộ ấp Tân Hòa\nHọp ngày 5/3/2026\n").record
    assert other.cell == "Chi bộ ấp Tân Hòa"  # the notes' own cell is kept
    assert service.summarize("Chi bộ ấp Tân Hòa\n", use_settings=False).record.parent == ""


def test_corrections_are_validated_again(service: Any) -> None:
    record = service.summarize(NOTES, refine=False).record
    fixed = service.correct(record, {"secretary": "Trần Thị Thoa", "attendance.present": "20", "date": "09/01/2026",
                                     "tasks.0.deadline": "25/01/2026", "place": ""})
    assert fixed.secretary is not None and fixed.secretary.name == "Trần Thị Thoa"
    assert fixed.attendance.present == 20 and fixed.date == dt.date(2026, 1, 9)
    assert fixed.tasks[0].deadline == dt.date(2026, 1, 25) and fixed.tasks[0].line == 7  # its line is kept
    assert fixed.place == "" and "place" not in fixed.field_lines
    assert record.attendance.present == 21  # the original record is untouched
    with pytest.raises(ValidationFailed) as bad:
        service.correct(record, {"attendance.present": "nhiều", "date": "31/02/2026"})
    assert any("attendance.present" in d for d in bad.value.problems)
    with pytest.raises(ValidationFailed):
        service.correct(record, {"chairman": "X"})


def test_tasks_and_speakers_from_the_model_when_the_rules_found_none() -> None:
    notes = ["Họp chi bộ ngày 08/01/2026", "Chủ trì: đ/c Hà Văn Long", "Đ/c Phạm Văn Nhân góp vài lời.",
             "Nhờ đ/c Phạm Văn Nhân lo danh sách hộ nghèo, hạn 20/01/2026."]
    record = MeetingRecord(date=dt.date(2026, 1, 8))
    proposal = Proposal("gaps")
    answer = {"tasks": [{"owner": "Phạm Văn Nhân", "deadline": "20/01/2026"},
                        {"owner": "Lê Thị Bích", "deadline": None},  # nobody of that name
                        {"owner": "Hà Văn Long", "deadline": "31/01/2026"}],  # a deadline no line gives
              "speakers": ["Phạm Văn Nhân", "dc Pham Van Nhan de nghi ho tro 5 ho ngheo"]}
    merge(record, answer, Evidence(notes, record.date), proposal)
    assert [(t.owner, t.deadline, t.line) for t in record.tasks] == [
        ("Phạm Văn Nhân", dt.date(2026, 1, 20), 4), ("Hà Văn Long", None, 2)]
    assert {"tasks[1]", "tasks[2].deadline", "speakers[1]"} <= set(proposal.rejected)
    assert [(o.speaker, o.line) for o in record.opinions] == [("Phạm Văn Nhân", 3)]


def test_a_place_must_read_as_a_place() -> None:
    notes = ["Họp chi bộ lúc 19h30 ngày 14/01/2026", "Nhờ đồng chí Diệp Thị Thanh Trúc ghi biên bản, 19 giờ 30."]
    proposal = Proposal("full")
    record = MeetingRecord()
    merge(record, {"place": "đồng chí Diệp Thị Thanh Trúc"}, Evidence(notes), proposal)
    assert record.place == "" and "place" in proposal.rejected
    cell = ["Biên bản ghi nhanh - Chi bộ Trạm Y tế xã Ea Knia", "Ngày 06/3/2026"]
    merge(record, {"place": "Trạm Y tế xã Ea Knia"}, Evidence(cell), proposal)
    assert record.place == ""  # the cell's own name is no place


def test_a_model_that_does_not_write_vietnamese_is_not_asked() -> None:
    record = extract_record(NOTES).record
    llm = FakeLLM(['{"secretary": "Trần Thị Thoa"}'], writes_vietnamese=False)
    proposal = propose_record(record, NOTES.split("\n"), llm, load_prompt("notes_record"))
    assert proposal.error and llm.prompts == [] and record.secretary is None
