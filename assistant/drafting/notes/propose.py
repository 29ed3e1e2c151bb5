"""The writing model proposes the record as JSON; a value is kept only if the notes bear it out.

The model (one that writes Vietnamese, ``assistant.llm.capabilities.writes``) reads
the notes and answers JSON under :func:`proposal_schema` (llama.cpp turns the schema
into a grammar, so the answer always parses). Its values fill only what the rule
extractor left empty — the rules win on conflict — and each is accepted only when
it can be found in the notes, and then records the line it was found on (a list — absentees, votes, tasks,
speakers — is filled only when the rules found none of it):

- a name (chair, secretary, absentee, task owner, speaker) is written there as a person's
  name, compared without case, diacritics or tone placement (never only as a chat sender);
- a cell, parent body or place appears there word for word (accent-insensitive);
- a count appears beside its keyword ("có mặt 21", "vắng hai", "21 đảng viên");
- a date or a time parses from the text of a line, and a deadline from the line of
  its task.

``mode="gaps"`` asks only for the fields the rules left empty (no call at all when
there are none); ``mode="full"`` asks for every field. Notes longer than
``max_chars`` are sent in parts of whole lines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.counts import VOTE_CUE, complete_votes
from assistant.drafting.notes.extract import lowercase_notes
from assistant.drafting.notes.header import PLACE_NOUNS
from assistant.drafting.notes.lines import NoteLine, prepare
from assistant.drafting.notes.names import Roster, find_refs, title_at
from assistant.drafting.notes.numbers import fold
from assistant.drafting.notes.record import Absence, MeetingRecord, Opinion, Person, Task, Vote, parse_date, parse_time
from assistant.drafting.notes.tasks import deadline as task_deadline
from assistant.errors import AssistantError
from assistant.llm.base import LLM, ChatMessage
from assistant.llm.capabilities import writes
from assistant.prompts import PromptTemplate

SINGLE = ("cell", "parent", "place", "date", "start_time", "end_time", "chair", "secretary")
COUNTS = ("total", "full", "probationary", "exempt", "present", "absent")
LISTS = ("absent_excused", "absent_unexcused", "votes", "tasks", "speakers")
FIELDS = (*SINGLE, *COUNTS, *LISTS)
_MAX_ITEMS = 12
_TEXT = {"type": ["string", "null"], "maxLength": 120}
_INT = {"type": ["integer", "null"], "minimum": 0, "maximum": 999}
_NAMES = {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": _MAX_ITEMS}
_SCHEMAS: dict[str, dict[str, Any]] = {
    **{name: _TEXT for name in SINGLE},
    **{name: _INT for name in COUNTS},
    "absent_excused": _NAMES,
    "absent_unexcused": _NAMES,
    "speakers": _NAMES,
    "votes": {"type": "array", "maxItems": 6, "items": {
        "type": "object", "properties": {k: _INT for k in ("for", "against", "abstain", "out_of")},
        "required": ["for", "against", "abstain", "out_of"]}},
    "tasks": {"type": "array", "maxItems": _MAX_ITEMS, "items": {
        "type": "object", "properties": {"owner": {"type": "string", "maxLength": 60}, "deadline": _TEXT},
        "required": ["owner", "deadline"]}},
}
# Keywords a count must stand beside (folded).
_COUNT_WORDS = {
    "total": r"tong so|\btong\b|dang vien|\bdv\b|chi bo|dong chi",
    "full": r"chinh thuc|\bct\b",
    "probationary": r"du bi|\bdb\b",
    "exempt": r"mien",
    "present": r"co mat|\bdu\b|du hop|hien dien|\bcm\b",
    "absent": r"\bvang\b",
}
_ABSENCE_CUE = re.compile(r"\bvang\b|ly do|\bld\b|co phep|khong phep|(?<!de )\bnghi\b|\bom\b|\bbenh\b")
_ASSIGN_CUE = re.compile(P.GIVE + r"|phan cong|\bpc\b|nhiem vu|ket luan|\bkl\b")
_STRIP_PERSON = re.compile(r"^(?:dong chi|d/c|dc|anh|chi|co|ba)\s+")


def proposal_schema(fields: Sequence[str] = FIELDS) -> dict[str, Any]:
    """JSON Schema of the record fields the model is asked for (all required, null when unknown)."""
    names = [f for f in FIELDS if f in fields]
    return {"type": "object", "properties": {name: _SCHEMAS[name] for name in names}, "required": names,
            "additionalProperties": False}


def gaps(record: MeetingRecord, skip: Sequence[str] = ()) -> list[str]:
    """The fields the rule extractor left empty (``skip``: fields filled elsewhere, e.g. cell from the settings)."""
    att = record.attendance
    empty = [name for name in SINGLE if not _single_value(record, name)]
    empty += [name for name in COUNTS if _count_value(record, name) is None]
    if not att.absent_excused and not att.absent_unexcused:
        empty += ["absent_excused", "absent_unexcused"]
    empty += [name for name, items in (("votes", record.votes), ("tasks", record.tasks),
                                      ("speakers", record.opinions)) if not items]
    return [name for name in empty if name not in skip]


def _single_value(record: MeetingRecord, name: str) -> Any:
    value = getattr(record, name)
    return value.name if isinstance(value, Person) else value


def _count_value(record: MeetingRecord, name: str) -> int | None:
    att = record.attendance
    return att.absent_count if name == "absent" else getattr(att, name)


@dataclass
class Proposal:
    """What the model was asked and said, what was kept (with its line) and what was refused, and why."""

    mode: str
    asked: list[str] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=dict)
    accepted: dict[str, str] = field(default_factory=dict)  # field → value kept, as text, with its line
    rejected: dict[str, str] = field(default_factory=dict)  # field → value refused and the reason
    calls: int = 0
    seconds: float = 0.0
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``chibo summarize --json`` and the benchmarks."""
        return {"mode": self.mode, "asked": self.asked, "accepted": self.accepted, "rejected": self.rejected,
                "calls": self.calls, "seconds": round(self.seconds, 1), "error": self.error}


# -- asking ---------------------------------------------------------------------------------------------------
def _chunks(lines: list[str], max_chars: int) -> list[str]:
    """Notes in parts of whole lines, each at most ``max_chars`` (the first lines, the header, start every part)."""
    text = "\n".join(lines).strip()
    if len(text) <= max_chars:
        return [text]
    head = "\n".join([line for line in lines if line.strip()][:3])
    parts: list[str] = []
    current: list[str] = []
    size = len(head)
    for line in lines:
        if current and size + len(line) + 1 > max_chars:
            parts.append("\n".join([head, *current]))
            current, size = [], len(head)
        current.append(line[:max_chars])
        size += len(line) + 1
    if current:
        parts.append("\n".join([head, *current]))
    return parts


def ask(llm: LLM, prompt: PromptTemplate, notes_lines: list[str], fields: Sequence[str], *,
        max_tokens: int = 700, max_chars: int = 2400) -> tuple[dict[str, Any], int, str]:
    """The model's proposal for ``fields`` (parts merged), the number of calls, and an error ("" when fine)."""
    schema = proposal_schema(fields)
    merged: dict[str, Any] = {}
    calls = 0
    for part in _chunks(notes_lines, max_chars):
        text = prompt.render(notes=part, fields=", ".join(f for f in FIELDS if f in fields))
        calls += 1
        try:
            answer = llm.generate_json([ChatMessage("user", text)], schema, max_tokens=max_tokens)
        except AssistantError as exc:
            return merged, calls, f"mô hình lỗi: {exc}"
        data = _parse(answer)
        if data is None:
            return merged, calls, "mô hình không trả JSON hợp lệ"
        for key, value in data.items():
            if key not in fields or value in (None, "", []):
                continue
            if isinstance(value, list):
                merged.setdefault(key, [])
                merged[key] += [v for v in value if v not in merged[key]]
            else:
                merged.setdefault(key, value)
    return merged, calls, ""


def _parse(answer: str) -> dict[str, Any] | None:
    match = re.search(r"\{.*\}", answer or "", re.DOTALL)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


# -- finding values in the notes ------------------------------------------------------------------------------
class Evidence:
    """The notes, prepared once, and where a proposed value can be found in them."""

    def __init__(self, lines: list[str], meeting: dt.date | None = None) -> None:
        self.lines = prepare("\n".join(lines))
        self.meeting = meeting
        lower = lowercase_notes(self.lines)
        self.refs = {line.no: find_refs(line, lower=lower) for line in self.lines}
        self.roster = Roster()
        for refs in self.refs.values():
            for ref in refs:
                if ref.full:
                    self.roster.add(ref.name)

    def names(self, value: str, cue: re.Pattern[str] | None = None) -> list[tuple[str, int]]:
        """(full name, line) of each line where ``value`` is written as a person's name.

        The words must stand as a name there: a reference ("đ/c Hà Văn Long", "anh Bình") or capitalised words
        ("Lê Hữu Trọng: …"); compared without case or diacritics, "đồng chí" and titles dropped. A phrase that
        merely contains the words, or a chat sender, is no evidence.
        """
        key = " ".join(fold(clean_name(value)).split())
        if len(key) < 2 or len(key.split()) > 5 or re.search(r"\d", key):
            return []
        pattern = re.compile(rf"(?<![\w']){re.escape(key)}(?![\w'])")
        found = []
        for line in self.lines:
            if cue is not None and not cue.search(line.key):
                continue
            for m in pattern.finditer(line.key):
                written = line.text[m.start():m.end()]
                named = any(r.start <= m.start() and m.end() <= r.end for r in self.refs[line.no])
                if named or all(w[:1].isupper() for w in written.split()):
                    found.append((self.roster.resolve(written), line.no))
                    break
        return found

    def name(self, value: str, cue: re.Pattern[str] | None = None) -> tuple[str, int] | None:
        """The first of :meth:`names`, or None."""
        found = self.names(value, cue)
        return found[0] if found else None

    def phrase(self, value: str, kind: str) -> tuple[str, int] | None:
        """(words as written, line) of a cell, parent or place written word for word in the notes.

        A cell must follow "Chi bộ"/"CB" there, a parent "Đảng bộ"/"ĐB", and a place "tại"/"Địa điểm:", or start
        with a word for a place ("nhà văn hóa", "hội trường", "phòng họp" …).
        """
        key = " ".join(fold(str(value)).split()).strip(" .,")
        key = re.sub(r"^(?:chi bo|cb|dang bo|db|tai|dia diem:?|dd:?)\s+", "", key)
        if len(key) < 3:
            return None
        before = {"cell": r"(?:chi bo|cb)\s+", "parent": r"(?:dang bo|db)\s+"}.get(kind, "")
        pattern = re.compile(rf"(?<![\w']){before}(?P<v>{re.escape(key)})(?![\w'])")
        for line in self.lines:
            m = pattern.search(line.key)
            if not m:
                continue
            before_value = line.key[:m.start("v")]
            if kind == "place" and (re.search(r"(?:chi bo|\bcb|dang bo|\bdb)\s+$", before_value) or not (
                    re.search(r"(?:\btai|dia diem|\bdd)\s*:?\s*$", before_value)
                    or PLACE_NOUNS.match(line.key, m.start("v")))):
                continue  # a place must read as one, and not be the cell's own name ("Chi bộ Trạm Y tế xã …")
            return line.quote(m.start("v"), m.end("v")), line.no
        return None

    def count(self, name: str, value: int) -> int | None:
        """The line where ``value`` stands beside the keyword of count ``name``."""
        words = _COUNT_WORDS[name]
        pattern = re.compile(rf"(?:{words})[^\d;]{{0,25}}?(?<![\d/]){value}(?![\d/])|"
                             rf"(?<![\d/]){value}(?![\d/])\s*(?:{words})")
        for line in self.lines:
            if pattern.search(line.key):
                return line.no
        return None

    def date(self, value: Any) -> tuple[dt.date, int] | None:
        """(date, line) when ``value`` parses and is one of the dates written in the notes."""
        parsed = _as_date(value)
        if parsed is None:
            return None
        for line in self.lines:
            if any(d[2] == parsed for d in P.find_dates(line.key, self.meeting or parsed)):
                return parsed, line.no
        return None

    def time(self, value: Any) -> tuple[dt.time, int] | None:
        """(time, line) when ``value`` parses and is one of the times written in the notes."""
        try:
            parsed = parse_time(str(value))
        except ValueError:
            return None
        if parsed is None:
            return None
        for line in self.lines:
            for _, _, t in P.find_times(line.key):
                if t == parsed or (t.hour + 12 == parsed.hour and t.minute == parsed.minute):
                    return parsed, line.no
        return None

    def deadline(self, value: Any, line_no: int) -> dt.date | None:
        """A task's deadline when it is one the task's line gives (a date, a month's or a quarter's end)."""
        parsed = _as_date(value)
        if parsed is None:
            return None
        line: NoteLine = self.lines[line_no - 1]
        found = {d[2] for d in P.find_dates(line.key, self.meeting or parsed)}
        found.add(task_deadline(line.key, self.meeting or parsed)[0])
        return parsed if parsed in found else None


def clean_name(value: Any) -> str:
    """A proposed name without "đồng chí", "đ/c", "anh", "chị" or a title before it, or a remark after it
    ("Trần Quốc Bảo - công tác", "Phùng Văn Lộc (ốm)", "Võ Thị Lan, CUV")."""
    text = " ".join(re.split(r"\s[-–]\s|\s?\(|,|:|;", str(value))[0].split())
    for _ in range(2):
        key = fold(text)
        m = _STRIP_PERSON.match(key) or title_at(key, 0)
        if not m or not key[m.end():].strip():
            break
        text = text[m.end():].strip()
    return text


def _as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(str(value).strip())
    except ValueError:
        dates = P.find_dates(fold(str(value)))
        return dates[0][2] if dates and dates[0][2] else None


# -- merging --------------------------------------------------------------------------------------------------
_REASONS = {"chair": "không có tên này trong ghi chép", "secretary": "không có tên này trong ghi chép",
            "date": "không đọc được ngày này từ ghi chép", "start_time": "không đọc được giờ này từ ghi chép",
            "end_time": "không đọc được giờ này từ ghi chép"}


def _merge_single(record: MeetingRecord, name: str, value: Any, evidence: Evidence, verify: bool) -> int | bool:
    """Set one header field from the model's ``value``: its line (0 when unverified), False when refused."""
    if name in ("chair", "secretary", "cell", "parent", "place"):
        if name in ("chair", "secretary"):
            found = evidence.name(str(value)) if verify else (clean_name(value), 0)
        else:
            found = evidence.phrase(str(value), name) if verify else (str(value), 0)
        if not found:
            return False
        text, line = found
        if name in ("chair", "secretary"):
            setattr(record, name, Person(name=evidence.roster.resolve(text), line=line or None))
            return line
        if name == "cell" and not fold(text).startswith(("chi bo", "cb")):
            text = "Chi bộ " + text
        if name == "parent" and not fold(text).startswith(("dang bo", "db")):
            text = "Đảng bộ " + text
        setattr(record, name, text)
        return line
    if name == "date":
        day = evidence.date(value) if verify else _with_line(_as_date(value))
        if not day:
            return False
        record.date = day[0]
        return day[1]
    clock = evidence.time(value) if verify else _with_line(_as_time(value))
    if not clock:
        return False
    setattr(record, name, clock[0])
    return clock[1]


def _with_line(value: Any) -> tuple[Any, int] | None:
    return (value, 0) if value is not None else None


def _as_time(value: Any) -> dt.time | None:
    try:
        return parse_time(str(value))
    except ValueError:
        return None


def merge(record: MeetingRecord, answer: dict[str, Any], evidence: Evidence, proposal: Proposal, *,
          verify: bool = True) -> None:
    """Fill the empty fields of ``record`` (in place) with the values of ``answer`` the notes bear out."""
    def keep(name: str, shown: Any, line: int | None) -> None:
        proposal.accepted[name] = f"{shown} (dòng {line})" if line else str(shown)

    def refuse(name: str, shown: Any, reason: str) -> None:
        proposal.rejected[name] = f"{shown}: {reason}"

    att = record.attendance
    for name in SINGLE:
        value = answer.get(name)
        if value in (None, "") or _single_value(record, name):
            continue
        where = _merge_single(record, name, value, evidence, verify)
        if where is False:
            refuse(name, value, _REASONS.get(name, "không có trong ghi chép"))
            continue
        if where:
            record.field_lines[name] = int(where)
        keep(name, value, int(where) or None)
    for name in COUNTS:
        value = answer.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or _count_value(record, name) is not None:
            continue
        line = evidence.count(name, value) if verify else None
        if verify and line is None:
            refuse(name, value, "con số không đứng cạnh từ khóa của nó trong ghi chép")
            continue
        if name == "absent":
            att.absent_count = value
        else:
            setattr(att, name, value)
        att.line = att.line or line
        keep(name, value, line)
    _merge_absentees(record, answer, evidence, verify, keep, refuse)
    _merge_votes(record, answer, evidence, verify, keep, refuse)
    _merge_tasks(record, answer, evidence, verify, keep, refuse)
    _merge_speakers(record, answer, evidence, verify, keep, refuse)


def _merge_absentees(record: MeetingRecord, answer: dict[str, Any], evidence: Evidence, verify: bool,
                     keep: Any, refuse: Any) -> None:
    att = record.attendance
    if att.absent_excused or att.absent_unexcused or att.absent_count == 0:
        return
    for group in ("absent_excused", "absent_unexcused"):
        for i, value in enumerate(answer.get(group) or []):
            found = evidence.name(str(value), _ABSENCE_CUE) if verify else (clean_name(value), None)
            if not found:
                refuse(f"{group}[{i}]", value, "tên không có trong câu nói về vắng mặt")
                continue
            getattr(att, group).append(Absence(name=evidence.roster.resolve(found[0]), line=found[1]))
            keep(f"{group}[{i}]", value, found[1])


def _merge_votes(record: MeetingRecord, answer: dict[str, Any], evidence: Evidence, verify: bool,
                 keep: Any, refuse: Any) -> None:
    if record.votes:
        return
    for i, item in enumerate(answer.get("votes") or []):
        if not isinstance(item, dict) or not isinstance(item.get("for"), int):
            continue
        counts = {k: item.get(k) for k in ("for", "against", "abstain", "out_of")}
        line = None
        if verify:
            for note in evidence.lines:
                numbers = {int(n) for n in re.findall(r"(?<![\d/])\d+", note.key)}
                if VOTE_CUE.search(note.key) and counts["for"] in numbers:
                    line = note.no
                    break
            if line is None:
                refuse(f"votes[{i}]", counts, "không có số tán thành này trong câu biểu quyết")
                continue
            numbers = {int(n) for n in re.findall(r"\d+", evidence.lines[line - 1].key)}
            counts = {k: (v if isinstance(v, int) and (v in numbers or k == "for") else None)
                      for k, v in counts.items()}
        vote = Vote(line=line, **{"for": counts["for"]}, against=counts["against"], abstain=counts["abstain"],
                    out_of=counts["out_of"])
        record.votes.append(vote)
        keep(f"votes[{i}]", counts, line)
    complete_votes(record.votes, record.attendance, [])


def _merge_tasks(record: MeetingRecord, answer: dict[str, Any], evidence: Evidence, verify: bool,
                 keep: Any, refuse: Any) -> None:
    if record.tasks:
        return
    owners: set[str] = set()
    for i, item in enumerate(answer.get("tasks") or []):
        if not isinstance(item, dict) or not item.get("owner"):
            continue
        if not verify:
            owner, line, due = clean_name(item["owner"]), None, _as_date(item.get("deadline"))
        else:
            places = evidence.names(str(item["owner"]))
            if not places:
                refuse(f"tasks[{i}]", item, "người nhận không có trong ghi chép")
                continue
            dated = [(o, n, evidence.deadline(item.get("deadline"), n)) for o, n in places]
            chosen = next((d for d in dated if d[2] is not None), None) or next(
                (d for d in dated if _ASSIGN_CUE.search(evidence.lines[d[1] - 1].key)), dated[0])
            owner, line, due = chosen
            if item.get("deadline") and due is None:
                refuse(f"tasks[{i}].deadline", item.get("deadline"), "không đọc được hạn này từ dòng giao việc")
        if fold(owner) in owners:
            continue
        what = P.strip_bullet(evidence.lines[line - 1].quote(0, len(evidence.lines[line - 1].text))) if line \
            else "(theo mô hình)"
        record.tasks.append(Task(what=what or "(theo mô hình)", owner=owner, deadline=due, line=line))
        owners.add(fold(owner))
        keep(f"tasks[{i}]", f"{owner}, {due or 'không hạn'}", line)


def _merge_speakers(record: MeetingRecord, answer: dict[str, Any], evidence: Evidence, verify: bool,
                    keep: Any, refuse: Any) -> None:
    if record.opinions:
        return
    known: set[str] = set()
    chair = fold(record.chair.name) if record.chair else ""
    for i, value in enumerate(answer.get("speakers") or []):
        found = evidence.name(str(value)) if verify else (clean_name(value), None)
        if not found:
            refuse(f"speakers[{i}]", value, "không có tên này trong ghi chép")
            continue
        name = evidence.roster.resolve(found[0])
        if fold(name) in known or fold(name) == chair:
            continue
        line = found[1]
        content = P.strip_bullet(evidence.lines[line - 1].quote(0, len(evidence.lines[line - 1].text))) \
            if line else "(theo mô hình)"
        record.opinions.append(Opinion(speaker=name, content=content, line=line))
        known.add(fold(name))
        keep(f"speakers[{i}]", name, line)


def propose_record(record: MeetingRecord, lines: list[str], llm: LLM, prompt: PromptTemplate, *,
                   mode: str = "gaps", skip: Sequence[str] = (), max_tokens: int = 700,
                   max_chars: int = 2400) -> Proposal:
    """Ask ``llm`` for the record's fields and merge what the notes bear out into ``record`` (in place)."""
    proposal = Proposal(mode)
    if not writes(llm):
        proposal.error = "mô hình này không được dùng để viết tiếng Việt"
        return proposal
    proposal.asked = gaps(record, skip) if mode == "gaps" else [f for f in FIELDS if f not in skip]
    if not proposal.asked:
        return proposal
    started = time.perf_counter()
    answer, proposal.calls, proposal.error = ask(llm, prompt, lines, proposal.asked, max_tokens=max_tokens,
                                                 max_chars=max_chars)
    proposal.seconds = time.perf_counter() - started
    proposal.answer = answer
    if answer:
        merge(record, answer, Evidence(lines, record.date), proposal)
    return proposal
