"""Drafting suite: sample notes against expected records, and the minutes' completeness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.drafting import check_minutes, find_samples, run_drafting
from assistant.llm.fake import FakeLLM

NOTES = """Biên bản họp chi bộ ấp 3 ngày 05/03/2026
Bắt đầu 19:30, kết thúc 21:15.
Chủ trì: đ/c Nguyễn Văn Hùng. Thư ký: đ/c Trần Thị Lan.
Tổng số 20 đảng viên, có mặt 18, vắng có lý do: Phạm Văn Bình (ốm), Võ Thị Hoa (đi công tác).
- Đ/c Nguyễn Văn Minh đề nghị sửa đường liên ấp.
- Biểu quyết: 18/18 tán thành.
- Giao đ/c Nguyễn Văn Minh lập dự toán, hạn 20/3/2026.
"""

EXPECTED = """kind: regular
date: 2026-03-05
start_time: "19:30"
end_time: "21:15"
chair: Nguyễn Văn Hùng
secretary: Trần Thị Lan
attendance:
  total: 20
  present: 18
  absent_excused: [Phạm Văn Bình, Võ Thị Hoa]
votes:
  - {for: 18, against: 0, abstain: 0, out_of: 18}
tasks:
  - {owner: Nguyễn Văn Minh, deadline: 2026-03-20}
speakers: [Nguyễn Văn Minh]
"""


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    root = tmp_path / "drafting"
    for sub in ("notes", "expected", "heldout/notes", "heldout/expected"):
        (root / sub).mkdir(parents=True)
    (root / "notes" / "01.txt").write_text(NOTES, encoding="utf-8")
    (root / "expected" / "01.yaml").write_text(EXPECTED, encoding="utf-8")
    (root / "notes" / "02-no-truth.txt").write_text(NOTES, encoding="utf-8")
    (root / "heldout" / "notes" / "03.txt").write_text("Họp chi bộ. Có mặt 9 đồng chí.\n", encoding="utf-8")
    (root / "heldout" / "expected" / "03.yaml").write_text(
        "date: null\nchair: null\nattendance: {present: 9}\n", encoding="utf-8")
    return root


def test_find_samples_pairs_notes_with_expectations(samples: Path) -> None:
    found = find_samples(samples)
    assert [(s.set_name, s.name) for s in found] == [("main", "01"), ("heldout", "03")]


def test_run_drafting_scores_records_and_minutes(samples: Path, settings: Any) -> None:
    suite = run_drafting(samples, settings, FakeLLM(writes_vietnamese=False))
    assert suite.available
    m = suite.metrics
    assert m["samples"] == 2 and not m["refined_by_llm"]
    tasks = m["sets"]["main"]["categories"]["tasks"]
    assert tasks["tp"] + tasks["fn"] == 1 and set(tasks) >= {"precision", "recall"}
    assert set(m["sets"]) == {"main", "heldout", "all"}
    assert 0 < m["sets"]["main"]["minutes_completeness"] <= 1
    held = suite.items["heldout/03"]
    assert held["unknown_facts"] == ["date", "chair"] and held["unflagged"] == []  # placeholders shown
    assert m["unknown_flag_rate"] == 1.0


def test_check_minutes_counts_missing_facts() -> None:
    texts = {"title": "BIÊN BẢN", "section_members": "I. THÀNH PHẦN", "section_content": "II. NỘI DUNG",
             "section_opinions": "III. Ý KIẾN", "section_conclusions": "IV. KẾT LUẬN", "section_votes": "V. BIỂU QUYẾT",
             "section_tasks": "VI. PHÂN CÔNG", "signature_secretary": "THƯ KÝ", "signature_chair": "CHỦ TRÌ"}
    minutes = ("BIÊN BẢN\nHôm nay, vào lúc 19 giờ 30 phút, ngày 05/03/2026\nI. THÀNH PHẦN\n"
               "Chủ trì: đồng chí Nguyễn Văn Hùng.\nThư ký: đồng chí [chưa có: thư ký (người ghi biên bản)]\n"
               "Có mặt: 18/20\nII. NỘI DUNG\nIII. Ý KIẾN\nIV. KẾT LUẬN\nV. BIỂU QUYẾT\ntán thành 17/18\n"
               "VI. PHÂN CÔNG\n| 1 | Lập dự toán | Nguyễn Văn Minh | 20/03/2026 |\nTHƯ KÝ CHỦ TRÌ")
    expected = {"date": "2026-03-05", "start_time": "19:30", "chair": "Nguyễn Văn Hùng", "secretary": None,
                "attendance": {"present": 18}, "votes": [{"for": 18, "out_of": 18}],
                "tasks": [{"owner": "Nguyễn Văn Minh", "deadline": "2026-03-20"}]}
    check = check_minutes(minutes, expected, lambda key: texts[key])
    assert check.missing == ["vote: 18/18"]
    assert len(check.required) == 9 + 7 and check.score == pytest.approx(15 / 16, abs=1e-4)
    assert check.unknown == ["secretary"] and check.unflagged == []


def test_no_samples_is_not_available(tmp_path: Path, settings: Any) -> None:
    suite = run_drafting(tmp_path, settings, None)
    assert not suite.available and "no notes/" in suite.notes[0]
