"""Compare an extracted record with a hand-written expectation, field by field.

Two expectation formats are read (``evals/drafting/README.md`` and its extension
``evals/notes/README.md``). Both list tasks as (owner, deadline), votes as counts,
attendance numbers and absentee names, speakers, documents and header facts. The
notes format also gives ``cell``, ``parent``, ``place`` and ``absent`` and writes
every header field, ``null`` when the notes do not give it; an expectation with a
``cell`` key is read that way ("strict"): a value the extractor gives for a
``null`` field, an attendance count the notes do not state, a guest, a
short-meeting warning or a "minutes approved" the notes do not support is a
false positive.

Each field yields true positives, false positives and false negatives (a wrong
value is one of each), so a benchmark can report precision and recall per field,
and a yes/no "exactly right" check, so it can report the share of fields right.
Names, cells, parents and places are compared without case, diacritics or tone
placement, with "CB"/"ĐB" at the head standing for "Chi bộ"/"Đảng bộ".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting.notes.record import MeetingRecord, check_record
from assistant.text.vietnamese import strip_accents

HEADER_FIELDS = ("kind", "cell", "parent", "place", "number", "date", "start_time", "end_time", "chair", "secretary")
ATTENDANCE_FIELDS = ("total", "full", "probationary", "exempt", "present", "absent")
# The fields a note is checked on, in report order.
FIELDS = (*HEADER_FIELDS, "attendance", "absentees", "votes", "tasks", "speakers", "guests", "documents",
          "short_meeting", "minutes_approved")
CATEGORY_OF = {**{name: "header" for name in HEADER_FIELDS}, "attendance": "attendance", "absentees": "attendance",
               "votes": "votes", "tasks": "tasks", "speakers": "speakers", "guests": "guests",
               "documents": "documents", "short_meeting": "header", "minutes_approved": "header"}


@dataclass
class Tally:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was found."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Comparison:
    """Tallies by category and by field, which fields are exactly right, and the mismatches in words."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    fields: dict[str, Tally] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)

    def tally(self, name: str) -> Tally:
        """The tally of category ``name``, created empty on first use."""
        return self.tallies.setdefault(name, Tally())

    def score(self, name: str, tally: Tally) -> None:
        """Count ``tally`` for field ``name`` and its category; the field is right when nothing is off."""
        self.fields.setdefault(name, Tally()).add(tally)
        self.tally(CATEGORY_OF.get(name, name)).add(tally)
        self.checks[name] = self.checks.get(name, True) and not (tally.fp or tally.fn)

    @property
    def right(self) -> int:
        """Fields exactly right."""
        return sum(self.checks.values())


def name_key(text: Any) -> str:
    """Comparison form of a name, cell or place: accent-free, lower case, single spaces, CB/ĐB spelt out."""
    key = " ".join(strip_accents(str(text or "")).split())
    key = re.sub(r"^cb\b", "chi bo", key)
    return re.sub(r"^db\b", "dang bo", key)


_key = name_key


def _date(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _time(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, int):  # YAML 1.1 sexagesimal
        return f"{value // 60:02d}:{value % 60:02d}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    hh, _, mm = str(value).partition(":")
    return f"{int(hh):02d}:{mm[:2] or '00'}"


def _multiset(name: str, expected: list[Any], got: list[Any], out: Comparison) -> None:
    exp, act = Counter(expected), Counter(got)
    common = sum((exp & act).values())
    tally = Tally(common, sum(act.values()) - common, sum(exp.values()) - common)
    out.score(name, tally)
    if tally.fp or tally.fn:
        out.mismatches.append(f"{name}: thiếu {sorted(map(str, (exp - act).elements()))}, "
                              f"thừa {sorted(map(str, (act - exp).elements()))}")


def _single(name: str, want: str, got: str, out: Comparison) -> None:
    """A one-value field: right, missing (FN), invented (FP) or wrong (both)."""
    tally = Tally(1 if want and got == want else 0, 1 if got and got != want else 0,
                  1 if want and got != want else 0)
    out.score(name, tally)
    if got != want:
        out.mismatches.append(f"{name}: cần {want or None!r}, được {got or None!r}")


def header_value(record: MeetingRecord, name: str) -> str:
    """A header field of ``record`` in comparison form ("" when empty)."""
    got: Any = getattr(record, name)
    if name in ("chair", "secretary"):
        return _key(got.name if got else "")
    if name in ("cell", "parent", "place"):
        return _key(got)
    if name == "date":
        return _date(got)
    if name in ("start_time", "end_time"):
        return _time(got)
    if name == "number":
        return _number(got)
    return str(got or "")


def _number(value: Any) -> str:
    text = str(value or "").strip()
    m = re.match(r"\d+", text)
    return f"{int(m.group(0)):02d}" if m else text


def _want(name: str, value: Any) -> str:
    if name in ("chair", "secretary", "cell", "parent", "place"):
        return _key(value)
    if name == "date":
        return _date(value)
    if name in ("start_time", "end_time"):
        return _time(value)
    if name == "number":
        return _number(value)
    return str(value or "")


def compare(expected: dict[str, Any], record: MeetingRecord) -> Comparison:
    """Score ``record`` against an expectation dict (see module docstring)."""
    out = Comparison()
    strict = "cell" in expected
    for name in HEADER_FIELDS:
        if name in expected:
            _single(name, _want(name, expected[name]), header_value(record, name), out)
    _attendance(expected, record, strict, out)
    if "votes" in expected:
        fields = ("for", "against", "abstain", "out_of")
        exp_votes = [tuple(v.get(f, "*") for f in fields) for v in expected["votes"]]
        got_votes: list[tuple[Any, ...]] = []
        for vote, exp_vote in zip(record.votes, exp_votes + [None] * len(record.votes), strict=False):
            values = (vote.in_favour, vote.against, vote.abstain, vote.out_of)
            # Fields the expectation leaves out ("*") are not scored.
            got_votes.append(tuple("*" if exp_vote and exp_vote[i] == "*" else v for i, v in enumerate(values)))
        _multiset("votes", exp_votes, got_votes, out)
    if "tasks" in expected:
        _multiset("tasks", [(_key(t.get("owner")), _date(t.get("deadline"))) for t in expected["tasks"]],
                  [(_key(t.owner), _date(t.deadline)) for t in record.tasks], out)
    if "speakers" in expected:
        _multiset("speakers", sorted({_key(s) for s in expected["speakers"]}),
                  sorted({_key(o.speaker) for o in record.opinions}), out)
    if "guests" in expected or strict:
        _multiset("guests", sorted(_key(g) for g in expected.get("guests") or []),
                  sorted(_key(g.name) for g in record.guests), out)
    if "documents" in expected:
        _multiset("documents", sorted(_key(d) for d in expected["documents"]),
                  sorted(_key(d.text.split()[-1]) for d in record.documents if d.text.split()), out)
    if expected.get("short_meeting") or strict:
        flagged = any(i.field == "time" for i in check_record(record))
        _flag("short_meeting", bool(expected.get("short_meeting")), flagged, out)
    if "minutes_approved" in expected or strict:
        _flag("minutes_approved", bool(expected.get("minutes_approved")), bool(record.minutes_approved), out)
    return out


def _flag(name: str, want: bool, got: bool, out: Comparison) -> None:
    out.score(name, Tally(int(want and got), int(got and not want), int(want and not got)))
    if want != got:
        out.mismatches.append(f"{name}: cần {want}, được {got}")


def _attendance(expected: dict[str, Any], record: MeetingRecord, strict: bool, out: Comparison) -> None:
    att_exp = expected.get("attendance")
    if not att_exp and not strict:
        return
    att_exp = att_exp or {}
    att = record.attendance
    counted = [f for f in ATTENDANCE_FIELDS if f != "absent" or strict or "absent" in att_exp]
    exp_items = [(f, att_exp[f]) for f in counted if att_exp.get(f) is not None]
    got_items = [(f, attendance_value(record, f)) for f in counted if attendance_value(record, f) is not None]
    _multiset("attendance", exp_items, got_items, out)
    names_exp: list[tuple[str, str]] = []
    names_got: list[tuple[str, str]] = []
    for group in ("absent_excused", "absent_unexcused"):
        names_exp += [(group, _key(n)) for n in att_exp.get(group) or []]
        names_got += [(group, _key(a.name)) for a in getattr(att, group)]
    _multiset("absentees", names_exp, names_got, out)


def attendance_value(record: MeetingRecord, name: str) -> int | None:
    """An attendance number of ``record`` as the expectation writes it (``absent``: the stated count)."""
    att = record.attendance
    return att.absent_count if name == "absent" else getattr(att, name)


def field_accuracy(comparisons: list[Comparison]) -> tuple[int, int]:
    """(fields exactly right, fields checked) over several notes."""
    return sum(c.right for c in comparisons), sum(len(c.checks) for c in comparisons)
