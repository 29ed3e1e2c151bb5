"""A cell's monthly report assembled from that month's records and tasks.

Facts are the records' own sentences (conclusions, proceedings, votes) and
the stored tasks, sorted into the report's areas by keywords. The report
states only what the records say: a member's remark at a meeting is not a
result and not a shortcoming of the cell (only a proposal addressed to a
higher body is carried, attributed); a task is "đã hoàn thành" only when it
was marked done, otherwise it is reported as assigned, never as "not done on
time" (an overdue open task becomes a warning for the secretary instead).
An area with no facts gets a visible placeholder for the secretary to fill.
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
from assistant.errors import ValidationFailed
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
# What a conclusion or proceeding must say to be a shortcoming: the record's own judgement, not any "chưa".
SHORTCOMING = ("hạn chế", "tồn tại", "yếu kém", "khuyết điểm", "vướng mắc", "chưa hoàn thành", "chưa đạt",
               "chưa kịp thời", "chưa nghiêm", "còn chậm", "còn thấp")
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


_MONTH_FORMS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})$"),  # 2026-05, 2026/5
    re.compile(r"^(?:thang|t)?\s*(?P<m>\d{1,2})\s*(?:[-/.]|\s+nam\s+|\s+)\s*(?P<y>\d{4})$"),  # tháng 5/2026, 05-2026
)


def parse_month(text: str) -> str:
    """A month as people write it ("tháng 5/2026", "5/2026", "05-2026", "2026-05") -> "2026-05"."""
    key = re.sub(r"\s+", " ", strip_accents(str(text or "")).strip().lower()).rstrip(".")
    for pattern in _MONTH_FORMS:
        m = pattern.match(key)
        if m and 1 <= int(m.group("m")) <= 12 and 1900 < int(m.group("y")) < 2200:
            return f"{int(m.group('y')):04d}-{int(m.group('m')):02d}"
    raise ValidationFailed(f"Không hiểu tháng '{text}'. Hãy viết như 5/2026 hoặc tháng 5/2026 "
                           "(hoặc YYYY-MM, ví dụ 2026-05).")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``month`` (YYYY-MM)."""
    year, mon = (int(x) for x in month.split("-"))
    first = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _facts(records: list[MeetingRecord]) -> list[Fact]:
    """What the cell did and decided: conclusions and proceedings (members' remarks are not results)."""
    out: list[Fact] = []
    for rec in records:
        out += [Fact(i.text, rec.date) for i in rec.conclusions]
        out += [Fact(i.text, rec.date) for i in rec.proceedings]
    return out


def _remark_proposals(records: list[MeetingRecord]) -> list[Fact]:
    """Members' proposals to a higher body, attributed to the speaker: the only remarks a report carries."""
    return [Fact(f"Đồng chí {o.speaker}: {o.content[:1].lower()}{o.content[1:]}", rec.date)
            for rec in records for o in rec.opinions if _has(search_key(o.content), PROPOSAL)]


def build_report(month: str, records: list[MeetingRecord], tasks: list[StoredTask], texts: Texts,
                 cell: CellSettings, *, number: str = "", report_date: dt.date | None = None,
                 issuer: str = "", parent: str = "", locality: str = "", signer: str = "") -> DraftDocument:
    """The monthly report for ``month`` (YYYY-MM) from that month's ``records`` and ``tasks``.

    ``issuer``, ``parent``, ``locality`` and ``signer`` are the secretary's corrections from the form; empty
    ones come from the month's latest record, then from the cell's settings.
    """
    first, last = month_bounds(month)
    nxt = last + dt.timedelta(days=1)
    report_date = report_date or dt.date.today()
    f = Facts()
    latest = records[-1] if records else None
    parent = (parent.strip() or (latest.parent if latest and latest.parent else cell.parent)).upper()
    issuer = (issuer.strip() or (latest.cell if latest and latest.cell else cell.name)).upper()
    locality = locality.strip() or (latest.locality if latest and latest.locality else cell.place)
    header = Header(
        parent=f.need(parent, "đảng bộ cấp trên"),
        issuer=f.need(issuer, "tên chi bộ"),
        number=format_number(number, cell.symbol, texts, f, doc_type="BC"),
        place_date=date_line(texts, f, locality, report_date),
    )
    summary = texts("summary", month=f"{first.month:02d}", year=first.year, next_month=f"{nxt.month:02d}",
                    next_year=nxt.year)
    doc = DraftDocument("report", header, texts("title"), summary)
    doc.add("paragraph", texts("intro", year=first.year, month=f"{first.month:02d}",
                               cell=display_name(issuer) if issuer else f.need(None, "tên chi bộ")))
    doc.add("heading", texts("part_results", month=f"{first.month:02d}"))

    by_area: dict[str, list[str]] = {area: [] for area in AREAS}
    shortcomings: list[str] = []
    causes: list[str] = []
    proposals: list[str] = []
    overdue: list[str] = []

    def line_of(fact: Fact) -> str:
        ref = texts("meeting_ref", date=fact.date.strftime("%d/%m/%Y")) if fact.date and len(records) > 1 else ""
        return fact.text.rstrip(".") + ref + "."

    proposals += [line_of(fact) for fact in _remark_proposals(records)]
    for fact in _facts(records):
        key = fact.key()
        line = line_of(fact)
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
        else:  # the records say it was assigned; whether it is done they do not say
            line = texts("task_open", what=task.what, owner=task.owner or "…", deadline=deadline)
            if task.deadline and task.deadline < min(report_date, nxt).isoformat():
                overdue.append(f"{task.what} ({task.owner or '…'}, hạn {deadline})")
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
                                f.need(signer.strip() or (secretary.name if secretary else ""), "họ tên bí thư"))]
    doc.recipients = [texts("recipient_parent", parent_committee=parent_committee(
        parent, texts("recipient_default_parent"))), texts("recipient_archive")]
    doc.warnings = [f"Thiếu: {label}" for label in f.missing]
    doc.warnings += [f"Nhiệm vụ đã quá hạn nhưng chưa được đánh dấu hoàn thành: {item}. Nếu đã xong, đánh dấu "
                     "hoàn thành rồi soạn lại; nếu chưa, ghi vào phần hạn chế." for item in overdue]
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
