"""Meeting record → biên bản (minutes) as a :class:`DraftDocument`.

Order follows what minutes must record (Guidance 42-HD/BTCTW): time and place,
chair and minute-taker, attendance with counts and named absentees, agenda,
documents and proceedings, opinions by speaker, the chair's conclusions,
votes, tasks, closing time, two signatures. A missing required fact becomes
a visible "[chưa có: ...]" and a warning; nothing is invented.
"""

from __future__ import annotations

import re

from assistant.drafting.documents.draft import Block, DraftDocument, Facts, Header, Signature, display_name
from assistant.drafting.notes.record import MeetingRecord, Opinion, check_record
from assistant.drafting.templates import Texts
from assistant.settings import CellSettings

_VERB_START = re.compile(r"^(đề nghị|cho rằng|nêu|kiến nghị|đề xuất|góp ý|bổ sung|báo cáo|phát biểu|phản ánh|"
                         r"hỏi|đánh giá|chia sẻ|thống nhất|nhất trí|đồng ý|lưu ý|cho biết|bày tỏ|nhận xét)\b",
                         re.IGNORECASE)


def format_number(number: str, symbol: str, texts: Texts, facts: Facts, doc_type: str = "BB") -> str:
    """"Số 05-BB/CB" from a bare or full number; a placeholder for a missing minutes number."""
    if "-" in number:  # already "05-BB/CB"
        return f"Số {number}"
    value = number.strip()
    if value.isdigit():
        value = f"{int(value):02d}"
    return texts("number", number=facts.need(value, "số biên bản") if doc_type == "BB" else value or "…",
                 symbol=symbol or "CB")


def date_line(texts: Texts, facts: Facts, locality: str, day: object) -> str:
    """"Gò Quao, ngày 05 tháng 03 năm 2026", with placeholders for what is missing."""
    import datetime as dt

    place = facts.need(locality, "địa danh ở dòng ngày tháng")
    if isinstance(day, dt.date):
        return texts("date_line", locality=place, day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year)
    return texts("date_line", locality=place, day="…", month="…", year=facts.need(None, "ngày họp"))


def _time(value: object, facts: Facts, label: str) -> str:
    import datetime as dt

    if isinstance(value, dt.time):
        return f"{value.hour:02d} giờ {value.minute:02d} phút"
    return facts.need(None, label)


def _with_title(title: str) -> str:
    return f", {title}" if title else ""


def _names(items: list[tuple[str, str]]) -> str:
    """" (đồng chí A: ốm; đồng chí B)" from (name, reason) pairs."""
    if not items:
        return ""
    parts = [f"đồng chí {name}" + (f": {reason}" if reason else "") for name, reason in items]
    return " (" + "; ".join(parts) + ")"


def opinion_text(op: Opinion) -> str:
    """An opinion as a sentence of the minutes: "Đồng chí X (title) đề nghị …"."""
    who = f"Đồng chí {op.speaker}" + (f" ({op.title})" if op.title else "")
    content = op.content.strip()
    if _VERB_START.match(content):
        return f"{who} {content[:1].lower()}{content[1:]}"
    return f"{who}: {content}"


def _percent(part: int, whole: int) -> str:
    value = round(100 * part / whole, 1) if whole else 0
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%"


def build_minutes(record: MeetingRecord, texts: Texts, cell: CellSettings) -> DraftDocument:
    """The biên bản for ``record``; ``cell`` fills the header when the record does not say."""
    f = Facts()
    d = record.date
    header = Header(
        parent=f.need((record.parent or cell.parent).upper(), "đảng bộ cấp trên"),
        issuer=f.need((record.cell or cell.name).upper(), "tên chi bộ"),
        number=format_number(record.number, cell.symbol, texts, f),
        place_date=date_line(texts, f, record.locality or cell.place, d),
    )
    if record.kind == "thematic":
        summary = texts("summary_thematic", topic=f.need(record.topic, "tên chuyên đề"))
    elif record.kind == "extraordinary":
        summary = texts("summary_extraordinary")
    else:
        key = "summary_combined" if record.combined_thematic else "summary_regular"
        summary = texts(key, month=f"{d.month:02d}" if d else "…", year=d.year if d else "…")
    doc = DraftDocument("minutes", header, texts("title"), summary)

    doc.add("paragraph", texts(
        "opening",
        start=_time(record.start_time, f, "giờ bắt đầu"),
        date=d.strftime("%d/%m/%Y") if d else f.need(None, "ngày họp"),
        place=f.need(record.place, "địa điểm"),
        cell=display_name(record.cell or cell.name or "chi bộ"),
        kind=texts(f"kind_{record.kind}"),
    ))

    doc.add("heading", texts("section_members"))
    chair, sec = record.chair, record.secretary
    doc.add("bullet", texts("chair", name=f.need(chair.name if chair else "", "người chủ trì"),
                            title=_with_title(chair.title if chair else "")))
    doc.add("bullet", texts("secretary", name=f.need(sec.name if sec else "", "thư ký (người ghi biên bản)"),
                            title=_with_title(sec.title if sec else "")))
    _attendance(doc, record, texts, f)
    if record.guests:
        doc.add("bullet", texts("guests", names="; ".join(
            f"đồng chí {g.name}" + _with_title(g.title) for g in record.guests)))

    doc.add("heading", texts("section_content"))
    if record.agenda:
        doc.add("paragraph", texts("agenda"))
        for item in record.agenda:
            doc.add("bullet", item.text.rstrip("."))
    if record.documents:
        doc.add("paragraph", texts("documents", items="; ".join(i.text for i in record.documents)))
    if record.proceedings:
        doc.add("paragraph", texts("proceedings"))
        for item in record.proceedings:
            doc.add("bullet", item.text)
    if not (record.agenda or record.proceedings):
        doc.add("paragraph", f.need(None, "nội dung, diễn biến cuộc họp"))

    doc.add("heading", texts("section_opinions"))
    for op in record.opinions:
        doc.add("bullet", opinion_text(op))
    if not record.opinions:
        doc.add("paragraph", f.need(None, "ý kiến thảo luận"))

    doc.add("heading", texts("section_conclusions"))
    for item in record.conclusions:
        doc.add("bullet", item.text)
    if not record.conclusions:
        doc.add("paragraph", f.need(None, "kết luận của chủ trì"))

    doc.add("heading", texts("section_votes"))
    present = record.attendance.present
    for vote in record.votes:
        out_of = vote.out_of if vote.out_of is not None else present
        doc.add("bullet", texts(
            "vote",
            question=(vote.question[:1].upper() + vote.question[1:]) if vote.question
            else f.need(None, "nội dung biểu quyết"),
            method=texts("vote_method", method=vote.method) if vote.method else "",
            in_favour=f.need(vote.in_favour, "số tán thành"),
            out_of=f.need(out_of, "số đảng viên có mặt biểu quyết"),
            percent=f" ({_percent(vote.in_favour, out_of)})" if vote.in_favour is not None and out_of else "",
            against=vote.against if vote.against is not None else f.need(None, "số không tán thành"),
            abstain=vote.abstain if vote.abstain is not None else f.need(None, "số không biểu quyết"),
        ))
    if not record.votes:
        doc.add("paragraph", f.need(None, "kết quả biểu quyết"))

    doc.add("heading", texts("section_tasks"))
    if record.tasks:
        rows = [texts.list("task_columns")]
        for i, task in enumerate(record.tasks, 1):
            deadline = task.deadline.strftime("%d/%m/%Y") if task.deadline else task.deadline_text
            rows.append([str(i), task.what, task.owner or f.need(None, "người thực hiện"), deadline or "—"])
        doc.blocks.append(Block("table", rows=rows))
    else:
        doc.add("paragraph", f.need(None, "phân công nhiệm vụ"))

    doc.add("paragraph", texts("closing", end=_time(record.end_time, f, "giờ kết thúc")))
    if record.minutes_approved:
        doc.add("paragraph", texts("approved"))
    doc.signatures = [
        Signature(texts("signature_secretary"), "", f.need(sec.name if sec else "", "thư ký (người ghi biên bản)")),
        Signature(texts("signature_chair"), "", f.need(chair.name if chair else "", "người chủ trì")),
    ]
    doc.warnings = [f"Thiếu: {label}" for label in f.missing]
    doc.warnings += [f"{'Lỗi' if i.level == 'error' else 'Lưu ý'}: {i}" for i in check_record(record)]
    return doc


def _attendance(doc: DraftDocument, record: MeetingRecord, texts: Texts, f: Facts) -> None:
    att = record.attendance
    breakdown = ""
    if att.full is not None or att.probationary is not None:
        breakdown = texts("members_breakdown", full=att.full if att.full is not None else "…",
                          probationary=att.probationary if att.probationary is not None else "…")
    doc.add("bullet", texts("members_total", total=f.need(att.total, "tổng số đảng viên"), breakdown=breakdown))
    if att.exempt:
        doc.add("bullet", texts("members_exempt", count=att.exempt,
                                names=_names([(n, "") for n in att.exempt_names])))
    expected = att.expected
    if expected is not None and att.exempt:
        doc.add("bullet", texts("members_expected", count=expected))
    if att.present is None:
        doc.add("bullet", texts("present_no_expected", present=f.need(None, "số đảng viên có mặt")))
    elif expected:
        doc.add("bullet", texts("present", present=att.present, expected=expected,
                                rate=f" (đạt {_percent(att.present, expected)})"))
    else:
        doc.add("bullet", texts("present_no_expected", present=att.present))
    if att.absent == 0 and att.present is not None and expected is not None and att.present == expected:
        doc.add("bullet", texts("absent_none"))
        return
    if att.absent == 0 and att.present is not None and expected is not None and att.present < expected:
        doc.add("bullet", texts("absent", count=expected - att.present) + " " + f.need(None, "tên và lý do đảng viên vắng"))
        return
    if att.absent:
        doc.add("bullet", texts("absent", count=att.absent))
        for key, count, people in (("absent_excused", att.excused, [(a.name, a.reason) for a in att.absent_excused]),
                                   ("absent_unexcused", att.unexcused, [(a.name, "") for a in att.absent_unexcused])):
            names = _names(people)
            if count > len(people):
                names += " " + f.need(None, "tên đảng viên vắng")
            doc.add("bullet", texts(key, count=count, names=names), level=1)
