"""Secretaries' real notes (issue 13): every style the rules must read, on notes written for these tests.

The development notes of ``evals/notes/dev`` (and their variants) are checked whole; the held-out notes are
not read here — they are measured once by ``benchmarks/bench_notes.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.drafting.notes.extract import extract_record
from assistant.evaluation.extraction import compare

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "evals" / "notes" / "dev"
DEV_NOTES = sorted((DEV / "notes").glob("*.txt"))


def _expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load((DEV / "expected" / f"{path.stem}.yaml").read_text(encoding="utf-8"))


def _names(items: list[Any]) -> list[str]:
    return [getattr(i, "name", None) or getattr(i, "owner", None) or i.speaker for i in items]


@pytest.mark.parametrize("path", DEV_NOTES, ids=lambda p: p.stem)
def test_development_notes_are_read_right(path: Path) -> None:
    result = compare(_expected(path), extract_record(path.read_text(encoding="utf-8")).record)
    assert not result.mismatches, result.mismatches


def test_development_variants_stay_right() -> None:
    """Accent-free, abbreviated, reordered, old tone marks and NFD rewrites of every development note."""
    sys.path.insert(0, str(REPO / "evals" / "notes"))
    import variants

    right = checked = 0
    misses: list[str] = []
    for path in DEV_NOTES:
        for name, _, text, expected in variants.variants(path.read_text(encoding="utf-8"), _expected(path),
                                                         seed=path.stem):
            result = compare(expected, extract_record(text).record)
            right, checked = right + result.right, checked + len(result.checks)
            misses += [f"{path.stem}:{name}: {m}" for m in result.mismatches]
    assert checked > 3000 and right / checked >= 0.99, misses[:20]


ACCENT_FREE = """CHI BO THON KHE NUOC - DANG BO XA SON THUY
Hop chi bo thuong ky thang 10/2026
Thoi gian: 7g30 sang chu nhat ngay 18/10/2026, dia diem: nha van hoa thon Khe Nuoc
Chu tri: dc Lo Van Pao (BT). Thu ky: đ/c Đinh Thị Hảo
Tong so: 16 dv, co mat 14, vang 2 (dc Ha Van Tin - di lam xa, dc Vi Thi Mon - khong ly do)
Y kien:
- dc Sa Van Chien de nghi lam lai cau treo
- dc Hao: hoi phu nu nhan trong 200 cay xoan
Bieu quyet NQ thang 10: 14/14 tan thanh
Giao dc Chien lap du toan sua cau truoc 30/10; giao dc Hao trong cay xong trong thang 11
Ket thuc 9h45
"""


def test_accent_free_and_mixed_notes() -> None:
    rec = extract_record(ACCENT_FREE).record
    assert (rec.cell, rec.parent) == ("CHI BO THON KHE NUOC", "DANG BO XA SON THUY")
    assert rec.place == "nha van hoa thon Khe Nuoc" and rec.date == dt.date(2026, 10, 18)
    assert (rec.start_time, rec.end_time) == (dt.time(7, 30), dt.time(9, 45))
    assert rec.chair and rec.chair.name == "Lo Van Pao" and rec.chair.title == "Bí thư"
    assert rec.secretary and rec.secretary.name == "Đinh Thị Hảo"
    att = rec.attendance
    assert (att.total, att.present, att.absent_count) == (16, 14, 2)
    assert _names(att.absent_excused) == ["Ha Van Tin"] and _names(att.absent_unexcused) == ["Vi Thi Mon"]
    vote = rec.votes[0]
    assert (vote.in_favour, vote.against, vote.abstain, vote.out_of) == (14, 0, 0, 14)
    # Two tasks on one line; the given names resolve to the full names written elsewhere.
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Sa Van Chien", dt.date(2026, 10, 30)),
                                                          ("Đinh Thị Hảo", dt.date(2026, 11, 30))]
    assert _names(rec.opinions) == ["Sa Van Chien", "Đinh Thị Hảo"]


TRANSCRIPT = """Gỡ băng cuộc họp chi bộ bản Phiêng Luông ngày 05/11/2026
Bí thư Lường Văn Sáng: Đã 19h, tôi xin khai mạc. Đề nghị đồng chí Cà Thị Hoa làm thư ký.
Cà Thị Hoa: Vâng. Chi bộ có 12 đồng chí, hôm nay vắng đồng chí Lò Thị Ón đi viện, còn lại có mặt đủ.
Bí thư Lường Văn Sáng: Tháng này bản mình cần làm xong đường bê tông. Các đồng chí cho ý kiến.
Quàng Văn Khiêm: Tôi đề nghị mỗi hộ góp 3 ngày công.
Cà Thị Hoa: Phụ nữ bản sẽ lo nấu cơm cho anh em.
Bí thư Lường Văn Sáng: Tôi kết luận. Giao đồng chí Khiêm lập danh sách hộ góp công trước ngày 15/11. Chị Hoa phụ trách hậu cần. Đề nghị biểu quyết: 11 trên 11 đồng chí nhất trí. Tôi tuyên bố bế mạc lúc 20 giờ 40.
"""


def test_transcript_with_speaker_turns() -> None:
    """The chair opens, assigns and closes; the minute-taker is named in passing; counts come in sentences."""
    rec = extract_record(TRANSCRIPT).record
    assert rec.cell == "Chi bộ bản Phiêng Luông" and rec.date == dt.date(2026, 11, 5)
    assert (rec.start_time, rec.end_time) == (dt.time(19, 0), dt.time(20, 40))
    assert rec.chair and rec.chair.name == "Lường Văn Sáng"
    assert rec.secretary and rec.secretary.name == "Cà Thị Hoa"
    att = rec.attendance
    assert (att.total, att.present, att.absent_count) == (12, 11, None)  # the absentee is named, not counted
    assert [(a.name, a.reason) for a in att.absent_excused] == [("Lò Thị Ón", "đi viện")]
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Quàng Văn Khiêm", dt.date(2026, 11, 15)),
                                                          ("Cà Thị Hoa", None)]
    assert _names(rec.opinions) == ["Quàng Văn Khiêm", "Cà Thị Hoa"]  # never the chair
    assert (rec.votes[0].in_favour, rec.votes[0].out_of) == (11, 11)


CHAT = """Nhóm Zalo "CB Tổ dân phố 12 - P. Hòa Khánh"
(19:31) Trần Văn Đông: Mọi người vào họp nhé, 19h45 bắt đầu
(19:50) Lê Thị Nga TK: Chi bộ bắt đầu họp lúc 19h50 tại nhà văn hóa TDP 12. CT: đ/c Trần Văn Đông - BT. TK: Lê Thị Nga
(19:52) Lê Thị Nga TK: Tổng số 20 ĐV, có mặt 18/20, vắng 2 có lý do (đ/c Phan Văn Hùng đi công tác, đ/c Mai Thị Lan ốm)
(20:10) Lê Thị Nga TK: Đ/c Võ Minh Tâm đề nghị làm đèn hẻm 4
(20:15) Võ Minh Tâm: 👍
(20:30) Trần Văn Đông: Giao đ/c Tâm khảo sát đèn hẻm 4, báo cáo trước 20/12
(20:35) Lê Thị Nga TK: BQ: 18/18 tán thành
(21:05) Lê Thị Nga TK: Kết thúc 21h.
"""


def test_chat_log_stamps_and_senders_are_not_content() -> None:
    rec = extract_record(CHAT).record
    assert rec.cell == "Chi bộ Tổ dân phố 12 - P. Hòa Khánh"  # the group's name, cut neither at "-" nor at "P."
    assert rec.start_time == dt.time(19, 50) and rec.end_time == dt.time(21, 0)  # not the invitation, not stamps
    assert rec.date is None  # no day is written: not guessed
    assert _names(rec.opinions) == ["Võ Minh Tâm"]  # the 👍 of a sender is no opinion
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Võ Minh Tâm", None)]  # "20/12" of an unknown year
    assert rec.place == "nhà văn hóa TDP 12" and rec.chair and rec.chair.name == "Trần Văn Đông"


FORMAL = """ĐẢNG BỘ PHƯỜNG TÂN PHONG
CHI BỘ TRƯỜNG TIỂU HỌC TRẦN QUỐC TOẢN - PHƯỜNG TÂN PHONG
Số: 11-BB/CB
BIÊN BẢN SINH HOẠT CHI BỘ THÁNG 11 NĂM 2026
I. THỜI GIAN, ĐỊA ĐIỂM
- Thời gian: 18 giờ 30 phút, ngày 12 tháng 11 năm 2026.
- Địa điểm: Văn phòng khu phố 5A.
II. THÀNH PHẦN
- Chủ trì: đồng chí H'Hen Niê, Bí thư chi bộ.
- Thư ký: đồng chí Danh Út.
- Tổng số đảng viên: 25; chính thức 23, dự bị 2; có mặt 25, vắng 0.
III. NỘI DUNG
1. Đồng chí Thạch Sô Phol: đề nghị tổ chức ngày hội đại đoàn kết.
2. Đồng chí Y Bhin Byă: thống nhất, đề nghị kinh phí từ quỹ khu phố.
IV. KẾT LUẬN
Chi bộ thống nhất tổ chức ngày hội vào ngày 18/11/2026.
Giao đồng chí Phol xây dựng kế hoạch, hoàn thành trước ngày 15/11/2026.
Biểu quyết: thống nhất cao.
Cuộc họp kết thúc lúc 20 giờ 30 phút.
"""


def test_formal_numbered_notes_and_long_cell_names() -> None:
    rec = extract_record(FORMAL).record
    assert rec.cell == "CHI BỘ TRƯỜNG TIỂU HỌC TRẦN QUỐC TOẢN - PHƯỜNG TÂN PHONG"
    assert rec.parent == "ĐẢNG BỘ PHƯỜNG TÂN PHONG" and rec.number == "11"
    assert (rec.chair and rec.chair.name, rec.secretary and rec.secretary.name) == ("H'Hen Niê", "Danh Út")
    assert (rec.attendance.present, rec.attendance.absent_count) == (25, 0)
    assert _names(rec.opinions) == ["Thạch Sô Phol", "Y Bhin Byă"]
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Thạch Sô Phol", dt.date(2026, 11, 15))]
    # "Biểu quyết: thống nhất cao": a vote was taken, and its counts stay unknown rather than invented.
    assert len(rec.votes) == 1 and rec.votes[0].in_favour is None


def test_minutes_header_keeps_the_whole_cell_name(service: Any) -> None:
    """Bug (issue 13): a cell name of more than a few words was cut ("CHI BỘ TRƯỜNG TIỂU"): the pattern that
    read it stopped at the first lower-case word ("học"); the header is now taken whole from the notes."""
    notes = "Chi bộ Trường Tiểu học Trần Quốc Toản - sinh hoạt tháng 3/2026\nNgày 12/3/2026, 16h00\n"
    record = service.summarize(notes, refine=False).record
    assert record.cell == "Chi bộ Trường Tiểu học Trần Quốc Toản"
    doc = service.minutes_document(record)
    assert doc.header.issuer == "CHI BỘ TRƯỜNG TIỂU HỌC TRẦN QUỐC TOẢN"


ATTENDANCE = """Chi bộ ấp Hòa Lợi
Họp ngày 3/3/2026 lúc 19 giờ tại nhà văn hóa ấp
Đ/c Nguyễn Văn Tới (bí thư) chủ trì, đ/c Lê Thị Mai ghi biên bản
Đảng viên 30 (27 chính thức, 3 dự bị), miễn sinh hoạt 2, phải dự 28, dự họp 26, vắng 2: đ/c Trần Văn Bé (bệnh), đ/c Phạm Văn Út (không lý do)
Đ/c Võ Văn Hai đề nghị nạo vét kênh 9.
Biểu quyết: tán thành 24/26, không tán thành 2/26.
Đ/c Tới giao đ/c Hai liên hệ xã về kinh phí nạo vét, hạn chót 31/3/2026.
Kết thúc 20h45.
"""


def test_attendance_exempt_and_absent_are_kept_apart() -> None:
    rec = extract_record(ATTENDANCE).record
    att = rec.attendance
    assert (att.total, att.full, att.probationary, att.exempt, att.present, att.absent_count) == (30, 27, 3, 2, 26, 2)
    assert att.exempt_names == []  # the absentees after "phải dự 28, dự họp 26" are not exempt
    assert [(a.name, a.reason) for a in att.absent_excused] == [("Trần Văn Bé", "bệnh")]
    assert _names(att.absent_unexcused) == ["Phạm Văn Út"]
    vote = rec.votes[0]
    assert (vote.in_favour, vote.against, vote.abstain, vote.out_of) == (24, 2, 0, 26)
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Võ Văn Hai", dt.date(2026, 3, 31))]


@pytest.mark.parametrize(("line", "expected"), [
    ("Tổng số: 30 (chính thức 27, dự bị 3). Có mặt: 26. Vắng: 4 (có lý do 3: đ/c A Bê, đ/c Cê Đê, đ/c Ê Gờ; "
     "không lý do 1: đ/c Hát Ích)", (30, 27, 3, None, 26, 4)),
    ("Đảng viên 19, dự 19, đủ 100%.", (19, None, None, None, 19, 0)),
    ("Có mặt 22/25 đảng viên, vắng 3 (2 có lý do, 1 không lý do).", (25, None, None, None, 22, 3)),
    ("Tổng số ĐV: 9 (CT 7, DB 2), có mặt 9/9, vắng không.", (9, 7, 2, None, 9, 0)),
    ("Chi bộ có hai mươi mốt đồng chí, hôm nay có mặt mười chín, vắng hai.", (21, None, None, None, 19, 2)),
    ("tong so dang vien 24, co mat 21, vang 3", (24, None, None, None, 21, 3)),
])
def test_attendance_forms(line: str, expected: tuple[Any, ...]) -> None:
    att = extract_record("Sinh hoạt chi bộ ngày 05/3/2026\n" + line).record.attendance
    assert (att.total, att.full, att.probationary, att.exempt, att.present, att.absent_count) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Biểu quyết: 20 đồng ý, 2 không đồng ý.", (20, 2, None, None)),
    ("Biểu quyết nghị quyết: 19 trên 19 đồng chí nhất trí.", (19, 0, 0, 19)),
    ("Biểu quyết: tán thành 18/20, không tán thành 2/20.", (18, 2, 0, 20)),
    ("Biểu quyết nghị quyết tháng 8: giơ tay 100%", (14, 0, 0, 14)),
    ("Bieu quyet: 21/21 tan thanh", (21, 0, 0, 21)),
    ("BQ: 12/12", (12, 0, 0, 12)),
    ("Biểu quyết: 15 tán thành, 0 không tán thành, 2 không biểu quyết (17 đồng chí có mặt).", (15, 0, 2, 17)),
    ("Biểu quyết đề nghị mua 2 xuồng máy: 9 đồng chí tán thành, đạt 100%.", (9, 0, 0, 9)),
    ("Biểu quyết: 8/9 tán thành (88,9%), 1/9 không tán thành.", (8, 1, 0, 9)),
    ("Biểu quyết chủ trương làm cầu: thống nhất cao.", (None, None, None, None)),
])
def test_vote_forms(line: str, expected: tuple[Any, ...]) -> None:
    rec = extract_record("Sinh hoạt chi bộ ngày 05/3/2026\nCó mặt 14/16 đồng chí.\n" + line).record
    vote = rec.votes[0]
    assert (vote.in_favour, vote.against, vote.abstain, vote.out_of) == expected


def test_a_thong_nhat_chat_reply_is_no_vote() -> None:
    rec = extract_record("[19:00] Lan TK: Họp chi bộ ngày 3/2/2026\n[19:30] Ba Duc: Thống nhất\n").record
    assert rec.votes == []


def test_several_tasks_on_a_line_and_opinions_that_say_giao() -> None:
    notes = ("Họp chi bộ ngày 26/3/2026\n"
             "- Đ/c Lý Văn Nhãn: giao cho tổ thanh niên phát cỏ là hợp lý nhất.\n"
             "- BS Mạch Văn Toàn đề nghị nên giao điều dưỡng trưởng quản lý sổ.\n"
             "Phân công: đ/c Trương Văn Sĩ phụ trách đổ đá / đ/c Lý Văn Nhãn phát cỏ / đ/c Đặng Thị Vân lo hậu cần"
             " - tất cả xong trước 15/4/2026.\n"
             "Giao đ/c Nguyễn Văn Bé Tư báo cáo kinh phí trước 10/4, giao đ/c Hồ Văn Điền nghiệm thu cuối tháng 4.\n"
             "Giao đ/c Lê Văn An làm việc với điện lực; đ/c Trần Thị Lụa lập kế hoạch hè, xong trước 5/7/2026\n"
             "KL: Chi ủy rà soát đảng viên chưa cài Sổ tay, báo cáo trong quý II.\n")
    rec = extract_record(notes).record
    assert [(t.owner, t.deadline) for t in rec.tasks] == [
        ("Trương Văn Sĩ", dt.date(2026, 4, 15)), ("Lý Văn Nhãn", dt.date(2026, 4, 15)),
        ("Đặng Thị Vân", dt.date(2026, 4, 15)), ("Nguyễn Văn Bé Tư", dt.date(2026, 4, 10)),
        ("Hồ Văn Điền", dt.date(2026, 4, 30)), ("Lê Văn An", None), ("Trần Thị Lụa", dt.date(2026, 7, 5)),
        ("Chi ủy", dt.date(2026, 6, 30))]
    assert _names(rec.opinions) == ["Lý Văn Nhãn", "Mạch Văn Toàn"]


@pytest.mark.parametrize(("phrase", "deadline"), [
    ("xong trước 20/4", dt.date(2026, 4, 20)),
    ("hoàn thành cuối tháng 5", dt.date(2026, 5, 31)),
    ("trong quý I/2027", dt.date(2027, 3, 31)),
    ("vào sáng chủ nhật 20 tháng 9", dt.date(2026, 9, 20)),
    ("xong trước ngày ba mươi tháng chín", dt.date(2026, 9, 30)),
    ("trước rằm tháng Giêng", None),
    ("trong tuần sau", None),
    ("báo cáo kỳ họp sau", None),
])
def test_deadlines(phrase: str, deadline: dt.date | None) -> None:
    rec = extract_record(f"Họp chi bộ ngày 12/3/2026\nGiao đồng chí Lê Văn Tám sửa cống, {phrase}.\n").record
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Lê Văn Tám", deadline)]


def test_times_and_dates_in_words() -> None:
    rec = extract_record("Chi bộ ấp 7 sinh hoạt tháng 9\nBảy giờ rưỡi tối ngày 12 tháng 9 năm 2026, tại nhà văn hóa.\n"
                         "Chín giờ kém mười lăm tối kết thúc.\n").record
    assert (rec.date, rec.start_time, rec.end_time) == (dt.date(2026, 9, 12), dt.time(19, 30), dt.time(20, 45))
    rec = extract_record("Họp chi bộ 14g15 ngày 3/12/2026 - kết thúc 16g30\n").record
    assert (rec.start_time, rec.end_time) == (dt.time(14, 15), dt.time(16, 30))


def test_names_that_are_number_words_stay_names() -> None:
    rec = extract_record("Họp chi bộ ngày 2/3/2026\nĐồng chí Nguyễn Thị Bé Ba báo cáo quỹ được mười lăm triệu.\n"
                         "Giao đồng chí Trần Văn Mười Hai mua bình chữa cháy, trước ngày 20/3.\n").record
    assert _names(rec.opinions) == ["Nguyễn Thị Bé Ba"] and "mười lăm triệu" in rec.opinions[0].content
    assert rec.tasks[0].owner == "Trần Văn Mười Hai"


def test_given_names_resolve_to_the_one_full_name() -> None:
    notes = ("Họp chi bộ ngày 7/7/2026\nThư ký: đồng chí Lâm Thị Sa Pha.\n"
             "Chi bộ 4 đảng viên: anh Bình (Kiều Thanh Bình), chị Vy (Hứa Tường Vy), anh Út, đ/c Y Ngông Mlô.\n"
             "Chị Sa Pha báo cáo: hội phụ nữ hỗ trợ 20 bao xi măng.\nAnh Bình đề nghị vận động thêm ngày công.\n"
             "Giao đ/c Y Ngông khảo sát 4 hộ, trước 30/7; giao anh Út lo xe.\n")
    rec = extract_record(notes).record
    assert _names(rec.opinions) == ["Lâm Thị Sa Pha", "Kiều Thanh Bình"]
    assert [t.owner for t in rec.tasks] == ["Y Ngông Mlô", "Út"]  # "Út" has no full name in the notes: kept


def test_fields_the_notes_do_not_give_stay_empty() -> None:
    rec = extract_record("Họp chi bộ sáng chủ nhật\nCó mặt 9 đồng chí.\nĐ/c Tư báo cáo an ninh.\n").record
    assert (rec.cell, rec.parent, rec.place, rec.number, rec.date, rec.start_time) == ("", "", "", "", None, None)
    assert rec.chair is None and rec.attendance.total is None and rec.attendance.absent_count is None


def test_header_fields_keep_their_lines() -> None:
    rec = extract_record(FORMAL).record
    assert rec.field_lines == {"cell": 2, "parent": 1, "number": 3, "date": 6, "start_time": 6, "end_time": 19,
                               "place": 7, "chair": 9, "secretary": 10, "attendance": 11}
    lines = FORMAL.split("\n")
    for task in rec.tasks:
        assert "Phol" in lines[task.line - 1]
    for opinion in rec.opinions:
        assert opinion.speaker.split()[-1] in lines[opinion.line - 1]


def test_unusual_input_does_not_fail() -> None:
    for text in ("", "\n\n", "đ/c", "Vắng " + "đ/c A B, " * 300, "|||", "Biểu quyết: /", "1/1/1/1", "giao giao giao"):
        extract_record(text)


def test_dates_and_years_in_words_and_capitalised_months() -> None:
    """Bug: "tháng Tám" (a capitalised month) and a year in words ("năm hai nghìn không trăm hai mươi sáu") were left
    as words, so the meeting had no date and its deadlines no year."""
    notes = ("CHI BỘ XÓM ĐỒNG TÂM\nBiên bản sinh hoạt chi bộ tháng Tám năm 2026\n"
             "Hôm nay, vào hồi mười chín giờ ba mươi phút ngày mười lăm tháng tám năm hai nghìn không trăm hai mươi "
             "sáu, tại nhà văn hóa xóm.\n"
             "Chi bộ có mười bảy đảng viên (mười lăm chính thức, hai dự bị). Có mặt mười sáu đồng chí.\n"
             "Giao đồng chí Bùi Văn Hào lập dự toán trước ngày hai mươi lăm tháng tám.\n"
             "Cuộc họp kết thúc lúc hai mươi mốt giờ cùng ngày.\n")
    rec = extract_record(notes).record
    assert (rec.date, rec.start_time, rec.end_time) == (dt.date(2026, 8, 15), dt.time(19, 30), dt.time(21, 0))
    assert (rec.attendance.total, rec.attendance.full, rec.attendance.probationary) == (17, 15, 2)
    assert rec.tasks[0].deadline == dt.date(2026, 8, 25)


def test_jrai_transcript_with_an_absence_named_without_vang() -> None:
    notes = ("Gỡ băng họp chi bộ Trường Tiểu học Kpă Klơng ngày 20/10/2026\n"
             "Đ/c Rmah H'Bion (Bí thư): Bây giờ là 16 giờ, tôi tuyên bố khai mạc. Đồng chí Nay Đức ghi biên bản giúp.\n"
             "Nay Đức: Chi bộ có 10 đảng viên, hôm nay có mặt 9, đồng chí Siu Hlao nghỉ ốm.\n"
             "Kpuih Thu: Tôi đề nghị tổ chức lớp tiếng Jrai cho giáo viên mới.\n"
             "Đ/c Rmah H'Bion (Bí thư): Tôi kết luận: giao đồng chí Thu xây dựng kế hoạch, xong cuối tháng 11. "
             "Biểu quyết 9/9 tán thành. Bế mạc 17 giờ 30.\n")
    rec = extract_record(notes).record
    assert rec.cell == "Chi bộ Trường Tiểu học Kpă Klơng"
    assert (rec.chair and rec.chair.name, rec.secretary and rec.secretary.name) == ("Rmah H'Bion", "Nay Đức")
    assert [(a.name, a.reason) for a in rec.attendance.absent_excused] == [("Siu Hlao", "nghỉ ốm")]
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Kpuih Thu", dt.date(2026, 11, 30))]
    assert rec.votes[0].question == "" and (rec.start_time, rec.end_time) == (dt.time(16, 0), dt.time(17, 30))


def test_absent_with_and_without_leave() -> None:
    notes = ("Chi bộ Khối phố 4 - Đảng bộ phường Hải Châu\nThời gian: 19g00 ngày 09/6/2026 Địa điểm: Hội trường khối phố 4\n"
             "Số đảng viên: 35; chính thức: 32; dự bị: 3; miễn sinh hoạt: 4; phải dự: 31; có mặt: 28; vắng có phép: 2 "
             "(đ/c Trần Văn Lợi, đ/c Ngô Thị Hà); vắng không phép: 1 (đ/c Hồ Văn Khánh).\n"
             "Kết quả biểu quyết: Đồng ý: 27; Không đồng ý: 1; Không biểu quyết: 0.\n")
    rec = extract_record(notes).record
    att = rec.attendance
    assert (rec.cell, rec.parent) == ("Chi bộ Khối phố 4", "Đảng bộ phường Hải Châu")
    assert (att.total, att.full, att.probationary, att.exempt, att.present, att.absent_count) == (35, 32, 3, 4, 28, 3)
    assert _names(att.absent_excused) == ["Trần Văn Lợi", "Ngô Thị Hà"] and _names(att.absent_unexcused) == ["Hồ Văn Khánh"]
    assert (rec.votes[0].in_favour, rec.votes[0].against, rec.votes[0].abstain) == (27, 1, 0)


def test_lower_case_accent_free_notes_with_given_names() -> None:
    """Bug: the given name "thu" (Thu, Thư) was taken for the "thư" of "bí thư" and dropped as a name."""
    notes = ("chi bo ap phuoc thanh - dang bo xa tan phu\nngay 14/11/2026, luc 19h, tai nha dc sau hien (truong ap)\n"
             "chu toa: dc tran van hung (bt); thu ky: dc le thi thu\n"
             "tong so dv 22, co mat 20, vang 2 co phep: dc nguyen van hai, dc vo thi be\n"
             "- dc hung bao cao ket qua thang 10\n- dc dang van phuoc de xuat xay cau ban\n"
             "- dc thu: phu nu ap da quyen gop 5 trieu\nbieu quyet: 20/20 dong y\n"
             "giao dc phuoc lap du toan cau truoc 30/11\ngiao dc thu to chuc tet thieu nhi trong thang 12\n")
    rec = extract_record(notes).record
    assert (rec.chair and rec.chair.name, rec.secretary and rec.secretary.name) == ("Tran Van Hung", "Le Thi Thu")
    assert _names(rec.opinions) == ["Dang Van Phuoc", "Le Thi Thu"]  # "dc hung" is the chair reporting
    assert [(t.owner, t.deadline) for t in rec.tasks] == [("Dang Van Phuoc", dt.date(2026, 11, 30)),
                                                          ("Le Thi Thu", dt.date(2026, 12, 31))]
    assert _names(rec.attendance.absent_excused) == ["Nguyen Van Hai", "Vo Thi Be"]


def test_roles_written_as_apposition() -> None:
    notes = ("CHI BỘ ẤP 4\n2. Thành phần: đồng chí Trần Minh Đạo, Bí thư chi bộ, chủ trì; đồng chí Phạm Thị Yến, "
             "Phó Bí thư, thư ký.\nĐảng viên của chi bộ: 18 (16 chính thức, 2 dự bị); có mặt 17; vắng 1 (đồng chí "
             "Lê Văn Năm, ốm).\n")
    rec = extract_record(notes).record
    assert rec.chair is not None and (rec.chair.name, rec.chair.title) == ("Trần Minh Đạo", "Bí thư chi bộ")
    assert rec.secretary is not None and (rec.secretary.name, rec.secretary.title) == ("Phạm Thị Yến", "Phó Bí thư")
    assert (rec.attendance.total, rec.attendance.present) == (18, 17)
    assert [(a.name, a.reason) for a in rec.attendance.absent_excused] == [("Lê Văn Năm", "ốm")]
