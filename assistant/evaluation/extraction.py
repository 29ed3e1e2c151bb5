"""Compare an extracted record with a hand-written expectation.

The expectation format (``evals/drafting/expected/*.yaml``) lists only what is
scored: tasks as (owner, deadline), votes as counts, attendance numbers and
absentee names, speakers, plus a few header facts. Each category yields
true positives, false positives and false negatives, so a benchmark can
report precision and recall.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting.notes.record import MeetingRecord, check_record
from assistant.text.vietnamese import strip_accents

ATTENDANCE_FIELDS = ("total", "full", "probationary", "exempt", "present")
HEADER_FIELDS = ("kind", "number", "date", "start_time", "end_time", "chair", "secretary")


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
    """Tallies by category and a readable list of mismatches."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)

    def tally(self, name: str) -> Tally:
        """The tally of category ``name``, created empty on first use."""
        return self.tallies.setdefault(name, Tally())


def _key(text: Any) -> str:
    return strip_accents(str(text or "")).strip()


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


def _match_multiset(name: str, expected: list[Any], got: list[Any], out: Comparison) -> None:
    exp, act = Counter(expected), Counter(got)
    common = sum((exp & act).values())
    tally = Tally(common, sum(act.values()) - common, sum(exp.values()) - common)
    out.tally(name).add(tally)
    if tally.fp or tally.fn:
        out.mismatches.append(f"{name}: thiếu {sorted(map(str, (exp - act).elements()))}, "
                              f"thừa {sorted(map(str, (act - exp).elements()))}")


def compare(expected: dict[str, Any], record: MeetingRecord) -> Comparison:
    """Score ``record`` against an expectation dict (see module docstring)."""
    out = Comparison()
    if "tasks" in expected:
        _match_multiset("tasks", [(_key(t.get("owner")), _date(t.get("deadline"))) for t in expected["tasks"]],
                        [(_key(t.owner), _date(t.deadline)) for t in record.tasks], out)
    if "votes" in expected:
        fields = ("for", "against", "abstain", "out_of")
        exp_votes = [tuple(v.get(f, "*") for f in fields) for v in expected["votes"]]
        got_votes: list[tuple[Any, ...]] = []
        for vote, exp_vote in zip(record.votes, exp_votes + [None] * len(record.votes), strict=False):
            values = (vote.in_favour, vote.against, vote.abstain, vote.out_of)
            # Fields the expectation leaves out ("*") are not scored.
            got_votes.append(tuple("*" if exp_vote and exp_vote[i] == "*" else v for i, v in enumerate(values)))
        _match_multiset("votes", exp_votes, got_votes, out)
    att_exp = expected.get("attendance") or {}
    if att_exp:
        att = record.attendance
        exp_items = [(f, att_exp[f]) for f in ATTENDANCE_FIELDS if f in att_exp and att_exp[f] is not None]
        got_items = [(f, getattr(att, f)) for f in ATTENDANCE_FIELDS if getattr(att, f) is not None]
        for group in ("absent_excused", "absent_unexcused"):
            exp_items += [(group, _key(n)) for n in att_exp.get(group) or []]
            got_items += [(group, _key(a.name)) for a in getattr(att, group)]
        _match_multiset("attendance", exp_items, got_items, out)
    if "speakers" in expected:
        _match_multiset("speakers", sorted({_key(s) for s in expected["speakers"]}),
                        sorted({_key(o.speaker) for o in record.opinions}), out)
    header = out.tally("header")
    for name in HEADER_FIELDS:
        if name not in expected:
            continue
        want = expected[name]
        got: Any = getattr(record, name)
        if name in ("chair", "secretary"):
            got, want = _key(got.name if got else ""), _key(want)
        elif name == "date":
            got, want = _date(got), _date(want)
        elif name in ("start_time", "end_time"):
            got, want = _time(got), _time(want)
        else:
            got, want = str(got or ""), str(want or "")
        if got == want:
            header.tp += 1
        else:
            header.fn += 1
            out.mismatches.append(f"{name}: cần {want!r}, được {got!r}")
    if expected.get("short_meeting"):
        flagged = any(i.field == "time" for i in check_record(record))
        out.tally("header").add(Tally(1, 0, 0) if flagged else Tally(0, 0, 1))
        if not flagged:
            out.mismatches.append("short_meeting: cuộc họp dưới 90 phút không bị cảnh báo")
    if "documents" in expected:
        _match_multiset("documents", sorted(_key(d) for d in expected["documents"]),
                        sorted(_key(d.text.split()[-1]) for d in record.documents), out)
    return out
