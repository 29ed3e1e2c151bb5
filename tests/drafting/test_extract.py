"""Notes → record on the shipped samples (terse, verbose, transcript, table, missing fields ...)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.drafting.notes.extract import extract_record
from assistant.drafting.notes.loader import decode_bytes, read_notes
from assistant.drafting.notes.record import check_record
from assistant.evaluation.extraction import compare
from assistant.text.vietnamese import strip_accents

from .conftest import SAMPLES, expected_for


def test_at_least_eight_samples_with_expectations() -> None:
    assert len(SAMPLES) >= 8
    for notes in SAMPLES:
        assert (notes.parent.parent / "expected" / f"{notes.stem}.yaml").is_file(), notes.name


@pytest.mark.parametrize("notes", SAMPLES, ids=lambda p: p.stem)
def test_sample_matches_expected_record(notes: Path) -> None:
    expected = expected_for(notes)
    record = extract_record(read_notes(notes), source=notes.name).record
    result = compare(expected, record)
    assert not result.mismatches, f"{notes.name}: {result.mismatches}"
    for name in ("tasks", "votes", "attendance"):
        tally = result.tallies.get(name)
        if tally is not None:
            assert tally.fp == 0 and tally.fn == 0, (name, tally)


@pytest.mark.parametrize("notes", SAMPLES, ids=lambda p: p.stem)
def test_every_item_points_at_its_line(notes: Path) -> None:
    lines = read_notes(notes).split("\n")
    record = extract_record("\n".join(lines)).record

    def line_has(no: int | None, text: str) -> bool:
        assert no is not None, text
        return strip_accents(text.split()[-1]) in strip_accents(lines[no - 1])

    for task in record.tasks:
        assert task.owner and line_has(task.line, task.owner), task
    for opinion in record.opinions:
        assert line_has(opinion.line, opinion.speaker), opinion
    for vote in record.votes:
        assert vote.line and (str(vote.in_favour) in lines[vote.line - 1] or "100%" in lines[vote.line - 1]), vote
    for absent in record.attendance.absent_excused + record.attendance.absent_unexcused:
        assert line_has(absent.line, absent.name), absent
    for item in record.conclusions + record.proceedings + record.agenda:
        assert item.line is not None


def test_short_meetings_are_flagged() -> None:
    for notes in SAMPLES:
        record = extract_record(read_notes(notes)).record
        flagged = any(i.field == "time" for i in check_record(record))
        assert flagged == bool(expected_for(notes).get("short_meeting")), notes.name


def test_missing_fields_stay_empty() -> None:
    """Nothing is guessed: notes without date, times or chair leave those fields empty."""
    record = extract_record("Họp chi bộ tháng 5\n- Có mặt 9 đồng chí.\n- Giao đ/c Tư xây dựng kế hoạch tuần tra.\n").record
    assert record.date is None and record.start_time is None and record.chair is None
    assert record.attendance.total is None and record.attendance.present == 9
    assert record.tasks[0].owner == "Tư" and record.tasks[0].deadline is None


def test_terse_secretary_phrases() -> None:
    notes = (
        "Sinh hoạt chi bộ ngày 05/3/2026, bắt đầu 19h30\n"
        "Có mặt 18, vắng 2 (có lý do: đ/c Lê Văn An - ốm, đ/c Trần Thị Bé - đi công tác)\n"
        "Đồng chí Nguyễn Văn Xuân đề nghị làm lại cống.\n"
        "Biểu quyết 18/18 tán thành.\n"
        "Giao đồng chí Phạm Văn Cường khảo sát cống trước ngày 15/3.\n"
    )
    record = extract_record(notes).record
    assert record.date == dt.date(2026, 3, 5)
    assert record.attendance.present == 18
    assert [(a.name, a.reason) for a in record.attendance.absent_excused] == [("Lê Văn An", "ốm"),
                                                                             ("Trần Thị Bé", "đi công tác")]
    assert record.opinions[0].speaker == "Nguyễn Văn Xuân" and record.opinions[0].line == 3
    vote = record.votes[0]
    assert (vote.in_favour, vote.against, vote.abstain, vote.out_of) == (18, 0, 0, 18)
    task = record.tasks[0]
    assert (task.owner, task.deadline, task.what) == ("Phạm Văn Cường", dt.date(2026, 3, 15), "Khảo sát cống")


def test_deadline_without_year_rolls_into_next_year() -> None:
    notes = "Sinh hoạt chi bộ ngày 20/12/2026\nGiao đ/c Lê Văn Hai nộp báo cáo trước ngày 10/1.\n"
    assert extract_record(notes).record.tasks[0].deadline == dt.date(2027, 1, 10)


def test_docx_notes(tmp_path: Path) -> None:
    import docx

    source = SAMPLES[0]
    document = docx.Document()
    for line in read_notes(source).split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "notes.docx"
    document.save(str(path))
    from_docx = extract_record(read_notes(path)).record
    from_text = extract_record(read_notes(source)).record
    assert compare(expected_for(source), from_docx).mismatches == []
    assert from_docx.tasks == from_text.tasks


def test_docx_table_rows_become_pipe_rows(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Sinh hoạt chi bộ ngày 03/07/2026")
    document.add_paragraph("Phân công:")
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung", "Người thực hiện", "Thời hạn"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Khảo sát cống", "Châu Văn Lực", "15/7/2026"], strict=True):
        cell.text = text
    path = tmp_path / "table.docx"
    document.save(str(path))
    tasks = extract_record(read_notes(path)).record.tasks
    assert [(t.owner, t.deadline) for t in tasks] == [("Châu Văn Lực", dt.date(2026, 7, 15))]


def test_docx_paragraphs_and_tables_keep_document_order(tmp_path: Path) -> None:
    """Bug: DOCX notes were read as all paragraphs first, then all tables, so a task table lost its section
    and the lines after it moved up; the ingest loader walks the body in document order."""
    import docx

    document = docx.Document()
    document.add_paragraph("Sinh hoạt chi bộ ngày 03/07/2026")
    document.add_paragraph("Phân công:")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Khảo sát cống", "Châu Văn Lực", "15/7/2026"], strict=True):
        cell.text = text
    document.add_paragraph("Kết luận: Chi bộ thống nhất sửa cống trước mùa mưa.")
    path = tmp_path / "order.docx"
    document.save(str(path))
    lines = [line for line in read_notes(path).split("\n") if line.strip()]
    assert lines == ["Sinh hoạt chi bộ ngày 03/07/2026", "Phân công:", "Khảo sát cống | Châu Văn Lực | 15/7/2026",
                     "Kết luận: Chi bộ thống nhất sửa cống trước mùa mưa."]
    record = extract_record(read_notes(path)).record
    assert [(t.owner, t.deadline) for t in record.tasks] == [("Châu Văn Lực", dt.date(2026, 7, 15))]
    assert [c.text for c in record.conclusions] == ["Chi bộ thống nhất sửa cống trước mùa mưa."]


def test_notes_in_an_unknown_encoding_are_refused(tmp_path: Path, service: Any) -> None:
    """Bug: notes that were not UTF-8 were decoded as Windows-1258 with errors replaced, so TCVN3/VNI notes
    became silent garbage in the record; now the secretary gets a clear Vietnamese error."""
    from assistant.errors import IngestError

    path = tmp_path / "tcvn3.txt"
    path.write_bytes("Häp chi bé ngµy 05/3/2026. Cã mÆt 9 ®ång chÝ.".encode("cp1252"))  # TCVN3 bytes
    with pytest.raises(IngestError, match="Không đọc được ghi chép tcvn3.txt: không nhận ra bảng mã") as excinfo:
        read_notes(path)
    assert "UTF-8" in str(excinfo.value)
    with pytest.raises(IngestError, match="bảng mã"):
        service.summarize_file(path)
    with pytest.raises(IngestError, match="bảng mã"):
        decode_bytes(path.read_bytes())


def test_legacy_windows_encoding() -> None:
    text = "Có mặt 9 đồng chí"
    assert decode_bytes(text.encode("utf-8-sig")) == text
    assert decode_bytes(text.encode("utf-16")) == text
    assert decode_bytes(_cp1258(text)) == text


def _cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Windows wrote it: precomposed vowels, combining tone marks."""
    import unicodedata

    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in "\u0300\u0301\u0303\u0309\u0323"))
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def test_unsupported_notes_format(tmp_path: Path) -> None:
    from assistant.errors import NotFound, UnsupportedFormat

    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(UnsupportedFormat):
        read_notes(tmp_path / "x.pdf")
    with pytest.raises(NotFound):
        read_notes(tmp_path / "none.txt")
