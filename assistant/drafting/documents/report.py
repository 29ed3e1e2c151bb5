"""A cell's monthly report assembled from that month's records and tasks.

Facts are the records' own sentences (conclusions, proceedings, opinions,
votes) and the stored tasks, sorted into the report's areas by keywords.
An area with no facts gets a visible placeholder for the secretary to fill;
nothing is summarised into claims the records do not make.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.drafting.documents.draft import DraftDocument, Facts, Header, Signature, display_name
from assistant.drafting.documents.minutes import date_line, format_number
from assistant.drafting.notes.record import KIND_LABELS, MeetingRecord
from assistant.drafting.notes.store import StoredTask
from assistant.drafting.templates import Texts
from assistant.settings import CellSettings
from assistant.text.vietnamese import search_key, strip_accents

# Area -> keywords (lower case, matched on tone-normalised text). Earlier areas win ties.
AREAS: dict[str, tuple[str, ...]] = {
    "inspection": ("kiểm tra", "giám sát", "kỷ luật", "vi phạm"),
    "members": ("kết nạp", "quần chúng", "chuyển chính thức", "chuyển đảng viên", "đảng phí", "phát triển đảng",
                "dự bị", "sổ tay đảng viên", "ứng dụng", "kiểm điểm", "xếp loại", "thẻ đảng"),
    "mass": ("dân vận", "hội phụ nữ", "phụ nữ", "đoàn thanh niên", "mặt trận", "mttq", "hội nông dân",
             "cựu chiến binh", "vận động", "nhân dân", "người dân", "hộ dân", "hộ"),
    "local": ("kinh tế", "sản xuất", "lúa", "thu hoạch", "năng suất", "đường", "cống", "kênh", "nông thôn mới",
              "an ninh", "trật tự", "tuần tra", "vệ sinh", "môi trường", "rác", "giáo dục", "học sinh", "y tế",
              "giao thông", "nạo vét", "hộ nghèo", "chuyển đổi số", "trộm", "cầu", "nuôi", "mô hình", "thuế",
              "tập huấn", "giáo viên", "sạt lở"),
    "political": ("quán triệt", "học tập", "nghị quyết", "chỉ thị", "quy định", "tư tưởng", "tuyên truyền",
                  "chuyên đề", "hồ chí minh", "chính trị"),
}
SHORTCOMING = ("hạn chế", "chưa", "tồn tại", "khó khăn", "vướng mắc", "yếu kém", "thiếu", "chậm")
CAUSE = ("nguyên nhân", "do", "vì")
PROPOSAL = ("kiến nghị", "đề xuất", "đề nghị xã", "đề nghị đảng ủy", "đề nghị cấp trên", "đề nghị ủy ban",
            "đề nghị ubnd", "xin")


def _has(key: str, words: tuple[str, ...]) -> int:
    return sum(1 for w in words if re.search(rf"(?<!\w){re.escape(search_key(w))}(?!\w)", key))


@dataclass
class Fact:
    """A sentence from a meeting record, with the meeting's date."""

    text: str
    date: dt.date | None

    def key(self) -> str:
        """The sentence folded for comparison (no case, no diacritics)."""
        return search_key(self.text)


def classify(text: str) -> str | None:
    """The report area (inspection, members, mass work, local tasks, political work) of ``text``; None without a cue."""
    key = search_key(text)
    scores = {area: _has(key, words) for area, words in AREAS.items()}
    best = max(scores.values())
    if best == 0:
        return None
    return next(area for area in AREAS if scores[area] == best)


def parent_committee(parent: str, default: str) -> str:
    """"ĐẢNG BỘ XÃ GÒ QUAO" -> "Đảng ủy xã Gò Quao"."""
    m = re.match(r"(?i)đảng bộ\s+(\S+)\s*(.*)$", parent.strip())
    if not m:
        return default
    unit, name = m.group(1).lower(), m.group(2)
    return f"Đảng ủy {unit} {name.title()}".strip()


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``month`` (YYYY-MM)."""
    year, mon = (int(x) for x in month.split("-"))
    first = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _facts(records: list[MeetingRecord]) -> list[Fact]:
    out: list[Fact] = []
    for rec in records:
        out += [Fact(i.text, rec.date) for i in rec.conclusions]
        out += [Fact(i.text, rec.date) for i in rec.proceedings]
        out += [Fact(f"Đồng chí {o.speaker}: {o.content[:1].lower()}{o.content[1:]}", rec.date) for o in rec.opinions]
    return out


def build_report(month: str, records: list[MeetingRecord], tasks: list[StoredTask], texts: Texts,
                 cell: CellSettings, *, number: str = "", report_date: dt.date | None = None) -> DraftDocument:
    """The monthly report for ``month`` (YYYY-MM) from that month's ``records`` and ``tasks``."""
    first, last = month_bounds(month)
    nxt = last + dt.timedelta(days=1)
    report_date = report_date or dt.date.today()
    f = Facts()
    latest = records[-1] if records else None
    parent = (latest.parent if latest and latest.parent else cell.parent).upper()
    issuer = (latest.cell if latest and latest.cell else cell.name).upper()
    locality = (latest.locality if latest and latest.locality else cell.place)
    header = Header(
        parent=f.need(parent, "cấp ủy cấp trên (cell.parent)"),
        issuer=f.need(issuer, "tên chi bộ (cell.name)"),
        number=format_number(number, cell.symbol, texts, f, doc_type="BC"),
        place_date=date_line(texts, f, locality, report_date),
    )
    summary = texts("summary", month=f"{first.month:02d}", year=first.year, next_month=f"{nxt.month:02d}",
                    next_year=nxt.year)
    doc = DraftDocument("report", header, texts("title"), summary)
    doc.add("paragraph", texts("intro", year=first.year, month=f"{first.month:02d}",
                               cell=display_name(issuer) if issuer else f.need(None, "tên chi bộ")))
    doc.add("heading", texts("part_results", month=f"{first.month:02d}"))

    facts = _facts(records)
    by_area: dict[str, list[str]] = {area: [] for area in AREAS}
    shortcomings: list[str] = []
    causes: list[str] = []
    proposals: list[str] = []
    for fact in facts:
        key = fact.key()
        ref = texts("meeting_ref", date=fact.date.strftime("%d/%m/%Y")) if fact.date and len(records) > 1 else ""
        line = fact.text.rstrip(".") + ref + "."
        if _has(key, PROPOSAL):
            proposals.append(line)
            continue
        if _has(key, CAUSE) and _has(key, SHORTCOMING):
            causes.append(line)
        elif _has(key, SHORTCOMING):
            shortcomings.append(line)
            continue
        area = classify(fact.text)
        if area:
            by_area[area].append(line)
    for rec in records:
        for vote in rec.votes:
            if vote.question and vote.in_favour is not None:
                by_area[classify(vote.question) or "political"].append(texts(
                    "vote_fact", question=vote.question.rstrip("."), in_favour=vote.in_favour,
                    out_of=vote.out_of or rec.attendance.present or "…"))
    for task in tasks:
        if task.meeting_date and task.meeting_date[:7] != month and not (task.deadline or "").startswith(month):
            continue
        deadline = _fmt(task.deadline) or task.deadline_text or "—"
        if task.status == "done":
            line = texts("task_done", what=task.what, owner=task.owner or "…")
        elif task.deadline and task.deadline < min(report_date, nxt).isoformat():
            shortcomings.append(texts("task_overdue", what=task.what, owner=task.owner or "…", deadline=deadline))
            continue
        else:
            line = texts("task_open", what=task.what, owner=task.owner or "…", deadline=deadline)
        by_area[classify(task.what) or "local"].append(line)

    documents = _documents(records)
    if documents:
        by_area["political"].insert(0, texts("documents_studied", items="; ".join(documents)))

    def section(title_key: str, name: str, label: str, extra: list[str] | None = None) -> None:
        doc.add("heading" if not title_key.startswith(("area_organisation", "area_members", "area_inspection"))
                else "paragraph", texts(title_key), bold=True)
        lines = (extra or []) + by_area.get(name, [])
        for item in lines:
            doc.add("bullet", item)
        if not lines:
            doc.add("paragraph", f.need(None, label))

    section("area_political", "political", "kết quả công tác chính trị, tư tưởng")
    section("area_local", "local", "kết quả lãnh đạo nhiệm vụ chính trị ở địa phương")
    doc.add("heading", texts("area_party"))
    meetings = []
    if records:
        items = [texts("meeting_item", kind=KIND_LABELS[r.kind].capitalize(),
                       date=r.date.strftime("%d/%m/%Y") if r.date else "…",
                       present=_present(r)) for r in records]
        meetings = [texts("meetings", count=len(records), items="; ".join(items))]
    section("area_organisation", "organisation", "kết quả công tác tổ chức, sinh hoạt chi bộ", meetings)
    section("area_members", "members", "kết quả công tác đảng viên")
    section("area_inspection", "inspection", "kết quả công tác kiểm tra, giám sát")
    section("area_mass", "mass", "kết quả công tác dân vận")

    doc.add("heading", texts("part_shortcomings"))
    doc.add("paragraph", texts("shortcomings"), italic=True)
    for item in shortcomings:
        doc.add("bullet", item)
    if not shortcomings:
        doc.add("paragraph", f.need(None, "hạn chế"))
    doc.add("paragraph", texts("causes"), italic=True)
    for item in causes:
        doc.add("bullet", item)
    if not causes:
        doc.add("paragraph", f.need(None, "nguyên nhân của hạn chế"))

    doc.add("heading", texts("part_next", next_month=f"{nxt.month:02d}"))
    upcoming = [t for t in tasks if t.status == "open" and (t.deadline is None or t.deadline > last.isoformat())]
    for task in upcoming:
        doc.add("bullet", texts("next_task", what=task.what, owner=task.owner or "…",
                                deadline=_fmt(task.deadline) or task.deadline_text or "—"))
    if not upcoming:
        doc.add("paragraph", f.need(None, f"nhiệm vụ tháng {nxt.month:02d}"))

    doc.add("heading", texts("part_proposals"))
    for item in proposals:
        doc.add("bullet", item)
    if not proposals:
        doc.add("paragraph", f.need(None, "đề xuất, kiến nghị"))

    secretary = next((r.chair for r in reversed(records) if r.chair and re.match(r"(?i)bí thư", r.chair.title)), None)
    doc.signatures = [Signature(texts("signature_caption"), texts("signature_title"),
                                f.need(secretary.name if secretary else "", "họ tên bí thư"))]
    doc.recipients = [texts("recipient_parent", parent_committee=parent_committee(
        parent, texts("recipient_default_parent"))), texts("recipient_archive")]
    doc.warnings = [f"Thiếu: {label}" for label in f.missing]
    if not records:
        doc.warnings.insert(0, f"Không có biên bản nào của tháng {month} trong kho dữ liệu")
    return doc


def _fmt(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _present(record: MeetingRecord) -> str:
    att = record.attendance
    if att.present is None:
        return "…"
    return f"{att.present}/{att.expected}" if att.expected else str(att.present)


def _documents(records: list[MeetingRecord]) -> list[str]:
    seen: dict[str, str] = {}
    for rec in records:
        for item in rec.documents:
            seen.setdefault(strip_accents(item.text), item.text)
    return list(seen.values())
