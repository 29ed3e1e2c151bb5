"""The meeting record: what a cell meeting's minutes are built from.

A record is written by hand (YAML/JSON, format in ``docs/drafting.md``) or
extracted from notes (:mod:`assistant.drafting.notes.extract`). Loading validates
types with messages a secretary can act on; :func:`check_record` adds the
consistency checks (attendance adds up, votes fit the room, 90 minutes).
Extracted items carry ``line``: the 1-based line of the notes they came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer, field_validator

from assistant.errors import ValidationFailed
from assistant.text.vietnamese import strip_accents

MeetingKind = Literal["regular", "thematic", "extraordinary"]

KIND_LABELS: dict[str, str] = {
    "regular": "định kỳ",
    "thematic": "chuyên đề",
    "extraordinary": "bất thường",
}
_KIND_ALIASES = {
    "dinh ky": "regular", "thuong ky": "regular", "thuong le": "regular", "regular": "regular",
    "chuyen de": "thematic", "thematic": "thematic",
    "bat thuong": "extraordinary", "dot xuat": "extraordinary", "extraordinary": "extraordinary",
}
# Directive 50-CT/TW / Guidance 42-HD/BTCTW: at least 90 minutes, 120 with a thematic part.
MIN_MINUTES = 90
MIN_MINUTES_COMBINED = 120

_TIME_RE = re.compile(r"^\s*(\d{1,2})\s*(?:h|g|giờ|:|\.)\s*(\d{1,2})?\s*(?:phút|p|')?\s*$", re.IGNORECASE)
_DATE_RES = (
    re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$"),
    re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$"),
    re.compile(r"^\s*(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})\s*$", re.IGNORECASE),
)


def parse_time(value: Any) -> dt.time | None:
    """"19h30", "19 giờ 30 phút", "19:30", "7g" -> time; None stays None."""
    if value is None or value == "" or isinstance(value, dt.time):
        return value or None
    if isinstance(value, int):  # YAML reads 19:30 as sexagesimal 1170 (minutes)
        value = f"{value // 60}:{value % 60}"
    match = _TIME_RE.match(str(value))
    if not match:
        raise ValueError(f"giờ không hợp lệ '{value}' (viết như 19:30 hoặc 19h30)")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"giờ không hợp lệ '{value}'")
    return dt.time(hour, minute)


def parse_date(value: Any) -> dt.date | None:
    """ISO, "05/03/2026" (day first) or "ngày 5 tháng 3 năm 2026" -> date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    for i, pattern in enumerate(_DATE_RES):
        match = pattern.match(text)
        if not match:
            continue
        a, b, c = (int(g) for g in match.groups())
        year, month, day = (a, b, c) if i == 0 else (c, b, a)
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"ngày không tồn tại '{text}'") from exc
    raise ValueError(f"ngày không hợp lệ '{text}' (viết như 2026-03-05 hoặc 05/03/2026)")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)


class Person(_Model):
    """A named participant (chair, secretary, guest) and their position."""

    name: str = Field(default="", description="Full name as written in the notes.")
    title: str = Field(default="", description='Position, e.g. "Bí thư chi bộ".')
    line: int | None = Field(default=None, description="Line of the notes it came from.")

    def label(self) -> str:
        """"Name, Title", or whichever of the two is known."""
        return f"{self.name}, {self.title}" if self.title and self.name else (self.name or self.title)


class Absence(_Model):
    """A member absent from the meeting, with the reason when one was given."""

    name: str = Field(default="", description="Absent member.")
    reason: str = Field(default="", description="Reason given (empty when absent without reason).")
    line: int | None = None


class Attendance(_Model):
    """Membership counts, who was present and who was absent (with or without reason)."""

    total: int | None = Field(default=None, ge=0, description="Members of the cell.")
    full: int | None = Field(default=None, ge=0, description="Full members.")
    probationary: int | None = Field(default=None, ge=0, description="Probationary members.")
    exempt: int | None = Field(default=None, ge=0, description="Members exempt from activities.")
    exempt_names: list[str] = Field(default_factory=list)
    present: int | None = Field(default=None, ge=0, description="Members present.")
    absent_excused: list[Absence] = Field(default_factory=list, description="Absent with a reason, by name.")
    absent_unexcused: list[Absence] = Field(default_factory=list, description="Absent without a reason, by name.")
    absent_excused_count: int | None = Field(default=None, ge=0, description="When the notes give only a number.")
    absent_unexcused_count: int | None = Field(default=None, ge=0, description="When the notes give only a number.")
    absent_count: int | None = Field(default=None, ge=0,
                                     description='Absent members as a number the notes state ("vắng 3").')
    line: int | None = None

    @property
    def expected(self) -> int | None:
        """Members expected to attend: all but the exempt."""
        if self.total is None:
            return None
        return self.total - (self.exempt or 0)

    @property
    def excused(self) -> int:
        """Members absent with a reason: the stated count or the names listed, whichever is larger."""
        return max(self.absent_excused_count or 0, len(self.absent_excused))

    @property
    def unexcused(self) -> int:
        """Members absent without a reason: the stated count or the names listed, whichever is larger."""
        return max(self.absent_unexcused_count or 0, len(self.absent_unexcused))

    @property
    def absent(self) -> int:
        """All absent members: the stated number, or the excused and unexcused, whichever is larger."""
        return max(self.absent_count or 0, self.excused + self.unexcused)

    @property
    def known(self) -> bool:
        """Whether the notes gave any attendance count at all."""
        return self.present is not None or self.total is not None


class Item(_Model):
    """A line of the minutes (agenda point, conclusion, document, proceeding) and its line in the notes."""

    text: str
    line: int | None = None


class Opinion(_Model):
    """What one member said at the meeting."""

    speaker: str = Field(description="Who spoke (name, or a role when the notes give no name).")
    title: str = ""
    content: str
    line: int | None = None


class Vote(_Model):
    """A vote: question, method and counts (for, against, abstaining, out of)."""

    question: str = Field(default="", description="What was voted on.")
    method: str = Field(default="", description="Giơ tay, phiếu kín, trên ứng dụng ...")
    in_favour: int | None = Field(default=None, alias="for", ge=0)
    against: int | None = Field(default=None, ge=0)
    abstain: int | None = Field(default=None, ge=0)
    out_of: int | None = Field(default=None, ge=0, description="Members present and entitled to vote.")
    line: int | None = None


class Task(_Model):
    """A task assigned at the meeting: what, to whom, by when."""

    what: str
    owner: str = ""
    deadline: dt.date | None = None
    deadline_text: str = Field(default="", description='Deadline as written ("cuối tháng 4") when not a date.')
    line: int | None = None

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline(cls, value: Any) -> Any:
        return parse_date(value)


class MeetingRecord(_Model):
    """One cell meeting. Every field may be missing; the minutes show what is."""

    id: str | None = Field(default=None, description="Store id (set when saved).")
    cell: str = Field(default="", description='The cell, e.g. "CHI BỘ ẤP 3".')
    parent: str = Field(default="", description='Parent body, e.g. "ĐẢNG BỘ XÃ GÒ QUAO".')
    locality: str = Field(default="", description='Place name for the date line ("Gò Quao").')
    kind: MeetingKind = "regular"
    combined_thematic: bool = Field(default=False, description="Regular meeting with a thematic part (120 minutes).")
    topic: str = Field(default="", description="Subject of a thematic meeting.")
    number: str = Field(default="", description='Minutes number: "05" or "05-BB/CB".')
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = Field(default="", description="Where the meeting was held.")
    chair: Person | None = None
    secretary: Person | None = Field(default=None, description="The minute-taker.")
    attendance: Attendance = Field(default_factory=Attendance)
    guests: list[Person] = Field(default_factory=list)
    agenda: list[Item] = Field(default_factory=list)
    proceedings: list[Item] = Field(default_factory=list, description="What was reported and done, in order.")
    opinions: list[Opinion] = Field(default_factory=list)
    conclusions: list[Item] = Field(default_factory=list)
    votes: list[Vote] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    documents: list[Item] = Field(default_factory=list, description="Documents used at the meeting.")
    minutes_approved: bool | None = Field(default=None, description="The minutes were read back and approved.")
    source: str = Field(default="", description="Notes file the record was extracted from.")
    field_lines: dict[str, int] = Field(
        default_factory=dict,
        description="Line of the notes (1-based) each header field came from: cell, parent, place, number, date, "
                    "start_time, end_time, kind, chair, secretary, attendance. Items carry their own ``line``.")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if isinstance(value, str):
            key = strip_accents(value).strip()
            if key in _KIND_ALIASES:
                return _KIND_ALIASES[key]
            raise ValueError(f"loại cuộc họp '{value}' không hợp lệ (định kỳ, chuyên đề, bất thường)")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return parse_date(value)

    @field_validator("start_time", "end_time", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return parse_time(value)

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return "" if value is None else str(value)

    @field_validator("chair", "secretary", mode="before")
    @classmethod
    def _person(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("agenda", "proceedings", "conclusions", "documents", mode="before")
    @classmethod
    def _items(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("guests", mode="before")
    @classmethod
    def _guests(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value

    @field_serializer("start_time", "end_time")
    def _time_out(self, value: dt.time | None) -> str | None:
        return value.strftime("%H:%M") if value else None

    def duration_minutes(self) -> int | None:
        """Length of the meeting in minutes, None without both times."""
        if not (self.start_time and self.end_time):
            return None
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return end - start if end >= start else end + 24 * 60 - start

    def month(self) -> str | None:
        """The meeting's month as YYYY-MM, None without a date."""
        return self.date.strftime("%Y-%m") if self.date else None

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-able dict in the documented format (aliases, ISO dates, no empty fields)."""
        return _prune(self.model_dump(mode="json", by_alias=True, exclude_none=True))


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in ("", [], {}, None) and not (k == "combined_thematic" and v is False)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


@dataclass(frozen=True)
class Issue:
    """A consistency finding: ``error`` blocks saving a hand-written record, ``warning`` does not."""

    level: Literal["error", "warning"]
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def check_record(record: MeetingRecord) -> list[Issue]:
    """Consistency checks with messages a secretary can act on."""
    issues: list[Issue] = []

    def add(level: Literal["error", "warning"], field: str, message: str) -> None:
        issues.append(Issue(level, field, message))

    att = record.attendance
    if att.full is not None and att.probationary is not None and att.total is not None \
            and att.full + att.probationary != att.total:
        add("error", "attendance", f"chính thức {att.full} + dự bị {att.probationary} ≠ tổng số {att.total} đảng viên")
    if att.exempt_names and att.exempt is not None and len(att.exempt_names) != att.exempt:
        add("warning", "attendance.exempt", f"{att.exempt} miễn sinh hoạt nhưng có {len(att.exempt_names)} tên")
    for kind, count, names in (("có lý do", att.absent_excused_count, att.absent_excused),
                               ("không lý do", att.absent_unexcused_count, att.absent_unexcused)):
        if count is not None and names and count != len(names):
            add("warning", "attendance.absent", f"vắng {kind} {count} nhưng ghi {len(names)} tên")
    expected = att.expected
    if expected is not None and att.present is not None and att.present + att.absent != expected:
        add("error", "attendance",
            f"có mặt {att.present} + vắng {att.absent} = {att.present + att.absent}, "
            f"nhưng số đảng viên phải dự họp là {expected}"
            + (f" (tổng {att.total} − miễn {att.exempt})" if att.exempt else ""))
    if att.present is not None and att.total is not None and att.present > att.total:
        add("error", "attendance.present", f"có mặt {att.present} nhiều hơn tổng số {att.total} đảng viên")

    for i, vote in enumerate(record.votes, 1):
        label = f"votes[{i}]"
        counts = [c for c in (vote.in_favour, vote.against, vote.abstain) if c is not None]
        cast = sum(counts)
        if att.present is not None and vote.out_of is not None and vote.out_of > att.present:
            add("error", label, f"biểu quyết trên {vote.out_of} đồng chí nhưng chỉ có {att.present} có mặt")
        if att.present is not None and cast > att.present:
            add("error", label, f"tổng phiếu {cast} vượt số có mặt {att.present}")
        if vote.out_of is not None and cast > vote.out_of:
            add("error", label, f"tổng phiếu {cast} vượt số biểu quyết {vote.out_of}")
        if vote.in_favour is None:
            add("warning", label, "chưa có số tán thành")

    if record.date and record.date > dt.date.today().replace(year=dt.date.today().year + 1):
        add("warning", "date", f"ngày họp {record.date:%d/%m/%Y} ở quá xa trong tương lai")
    for i, task in enumerate(record.tasks, 1):
        if record.date and task.deadline and task.deadline < record.date:
            add("warning", f"tasks[{i}]", f"hạn {task.deadline:%d/%m/%Y} trước ngày họp {record.date:%d/%m/%Y}")
        if not task.owner:
            add("warning", f"tasks[{i}]", f"nhiệm vụ '{_short(task.what)}' chưa có người phụ trách")
    minutes = record.duration_minutes()
    required = MIN_MINUTES_COMBINED if record.combined_thematic else MIN_MINUTES
    if minutes is not None and minutes < required:
        add("warning", "time", f"cuộc họp chỉ kéo dài {minutes} phút, dưới {required} phút theo quy định "
            "(Chỉ thị 50-CT/TW, Hướng dẫn 42-HD/BTCTW)")
    for field in ("parent", "cell"):
        if _mentions_district(getattr(record, field)):
            add("error", field, "cấp huyện đã bỏ (Quy định 294-QĐ/TW): không dùng \"Huyện ủy\" / \"Đảng bộ huyện\"")
    return issues


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _mentions_district(text: str) -> bool:
    key = strip_accents(text)
    return "huyen uy" in key or "dang bo huyen" in key


def _friendly(err: Any) -> str:
    loc = ".".join(str(p) for p in err["loc"]) or "(gốc)"
    kind = err["type"]
    given = err.get("input")
    if kind == "extra_forbidden":
        return f"{loc}: trường không có trong định dạng biên bản"
    if kind == "missing":
        return f"{loc}: thiếu"
    if kind.startswith("int_"):
        return f"{loc}: phải là số nguyên (nhận {given!r})"
    if kind == "greater_than_equal":
        return f"{loc}: không được âm (nhận {given!r})"
    if kind in ("list_type", "model_type", "dict_type"):
        wanted = "một danh sách" if kind == "list_type" else "một bảng khóa: giá trị"
        return f"{loc}: phải là {wanted} (nhận {given!r})"
    if kind == "value_error":
        return f"{loc}: {err['msg'].removeprefix('Value error, ')}"
    if kind == "bool_parsing":
        return f"{loc}: phải là true/false (nhận {given!r})"
    return f"{loc}: {err['msg']} (nhận {given!r})"


def record_from_data(data: Any, source: str = "biên bản") -> MeetingRecord:
    """Validate a dict into a record; errors name each field in Vietnamese."""
    if not isinstance(data, dict):
        raise ValidationFailed(f"{source} phải là một bảng khóa: giá trị (YAML/JSON)")
    try:
        return MeetingRecord.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"{source} không hợp lệ", [_friendly(e) for e in exc.errors()]) from exc


def load_record(path: Path | str) -> MeetingRecord:
    """Read a YAML or JSON record file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        from assistant.errors import NotFound

        raise NotFound(f"Không có tệp {path}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValidationFailed(f"Tệp {path.name} không phải YAML/JSON hợp lệ", [str(exc).splitlines()[0]]) from exc
    return record_from_data(data, source=f"Tệp {path.name}")


def dump_record(record: MeetingRecord, fmt: str = "yaml") -> str:
    """The record as YAML (default) or JSON text, in the documented format."""
    data = record.to_data()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
