"""Attendance and vote counts as secretaries write them.

"Tổng số đảng viên: 20 (chính thức 18, dự bị 2)", "có mặt 17/19", "vắng 2 (có
lý do: đ/c A - ốm; đ/c B)", "biểu quyết 18/18 tán thành", "13 tán thành, 0
không tán thành, 1 không biểu quyết (trên 14 đồng chí có mặt)".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.record import Absence, Attendance, Vote

Resolver = Callable[[str], str]
VOTE_CUE = re.compile(r"biểu quyết|\bBQ\b|tán thành|phiếu kín|giơ tay|nhất trí\s*100\s*%", re.IGNORECASE)
ATTEND_CUE = re.compile(
    r"có mặt|vắng|tổng số|miễn (?:sinh hoạt|SH)|dự họp:?\s*\d|hiện diện|phải dự|^(?:đảng viên|ĐV)\s*:"
    r"|chi bộ (?:hiện )?(?:có )?\d+ (?:đảng viên|ĐV)", re.IGNORECASE)


def parse_attendance(att: Attendance, no: int, text: str, resolve: Resolver) -> bool:
    """Counts, statuses and named absentees from one line; False when the line is not about attendance."""
    if not ATTEND_CUE.search(text) or (VOTE_CUE.search(text) and re.search(r"\d", text)):
        return False
    att.line = att.line or no
    low = text.lower()

    def num(pattern: str) -> int | None:
        m = re.search(pattern, low)
        return int(next(g for g in m.groups() if g)) if m else None

    if att.total is None:
        att.total = num(r"tổng số(?:\s+(?:đảng viên|đv))?\s*(?:là|:)?\s*(\d+)|chi bộ(?:\s+hiện)?(?:\s+có)?\s*"
                        r"(\d+)\s*(?:đảng viên|đv)|(?:^|\|)\s*(?:đảng viên|đv)\s*:\s*(\d+)"
                        r"|(\d+)\s*(?:đảng viên|đv)\s*(?:\(|,\s*trong đó)")
    if att.full is None:
        att.full = num(r"(\d+)\s*(?:đảng viên\s*)?chính thức|(?:chính thức|\bct)\s*:?\s*(\d+)")
    if att.probationary is None:
        att.probationary = num(r"(\d+)\s*(?:đảng viên\s*)?dự bị|(?:dự bị|\bdb)\s*:?\s*(\d+)")
    exempt = re.search(r"(\d+)\s*(?:đồng chí|đảng viên|đ/c)?\s*(?:được\s*)?miễn (?:sinh hoạt|sh)"
                       r"|miễn (?:sinh hoạt|sh)(?:\s*đảng)?\s*:?\s*(\d+)", low)
    if exempt and att.exempt is None:
        att.exempt = int(exempt.group(1) or exempt.group(2))
        clause = text[exempt.start():]
        clause = clause[: clause.index(")") + 1] if "(" in clause[:25] and ")" in clause else \
            re.split(r"[.;]", clause)[0]
        att.exempt_names = [resolve(P.trim_name(m.group("name"))[0]) for m in P.PERSON_RE.finditer(clause)]
    present = re.search(r"(?:có mặt|hiện diện)\s*(?:là|:)?\s*(\d+)(?:\s*/\s*(\d+))?"
                        r"|(\d+)\s*/\s*(\d+)\s*(?:đồng chí|đảng viên)?\s*có mặt", low) or \
        re.search(r"(?<!phải )dự họp\s*(?:là|:)?\s*(\d+)(?:\s*/\s*(\d+))?()()", low)
    denominator = None
    if present and att.present is None:
        att.present = int(present.group(1) or present.group(3))
        denominator = present.group(2) or present.group(4)
    expected = num(r"phải dự(?: họp)?\s*(?:là|:)?\s*(\d+)")
    denominator = int(denominator) if denominator else expected
    if att.total is None and denominator is not None:
        att.total = denominator + (att.exempt or 0)
    _absences(att, no, text, resolve)
    return True

def _absences(att: Attendance, no: int, text: str, resolve: Resolver) -> None:
    start = re.search(r"vắng", text, re.IGNORECASE)
    if not start:
        return
    segment = text[start.start():]
    markers = list(re.finditer(r"không(?:\s+có)?\s+lý do|có\s+lý do", segment, re.IGNORECASE))
    if not markers:
        people = _people_with_reasons(segment, no, resolve)
        att.absent_excused.extend(p for p in people if p.reason)
        att.absent_unexcused.extend(p for p in people if not p.reason)
        return
    for i, marker in enumerate(markers):
        part = segment[marker.end(): markers[i + 1].start() if i + 1 < len(markers) else len(segment)]
        excused = not marker.group(0).lower().startswith("không")
        count = re.match(r"\s*(?:là|:)?\s*(\d+)", part)
        people = _people_with_reasons(part, no, resolve)
        if excused:
            att.absent_excused.extend(people)
            if count:
                att.absent_excused_count = int(count.group(1))
        else:
            att.absent_unexcused.extend(Absence(name=p.name, line=no) for p in people)
            if count:
                att.absent_unexcused_count = int(count.group(1))
        if re.match(r"\s*:?\s*(?:không|0)\b", part) and not people:
            if excused:
                att.absent_excused_count = 0
            else:
                att.absent_unexcused_count = 0

def _people_with_reasons(part: str, no: int, resolve: Resolver) -> list[Absence]:
    refs = list(P.PERSON_RE.finditer(part))
    out = []
    for i, ref in enumerate(refs):
        name, _ = P.trim_name(ref.group("name"))
        tail = part[ref.end(): refs[i + 1].start() if i + 1 < len(refs) else len(part)]
        tail = tail.strip()
        if tail.startswith("("):
            reason = tail[1: tail.index(")")] if ")" in tail else tail[1:]
        else:
            reason = re.split(r"[,;)]|\.(?:\s|$)", re.sub(r"^(?:[-–:]|vì|do|là)\s*", "", tail))[0]
        reason = re.sub(r"^(?:[-–:]|vì|do|là)\s*", "", reason.strip()).strip(" .")
        out.append(Absence(name=resolve(name), reason=reason, line=no))
    return out


def parse_vote(no: int, text: str) -> tuple[Vote, bool] | None:
    """A vote and whether it was only "100%" (counts then come from attendance); None when no vote."""
    if not VOTE_CUE.search(text):
        return None
    low = text.lower()
    vote = Vote(line=no)
    m = re.search(r"(\d+)\s*/\s*(\d+)\s*(?:đồng chí|đảng viên|đ/c)?\s*(?:có mặt\s*)?(?:tán thành|đồng ý|nhất trí)",
                  low)
    if m:
        vote.in_favour, vote.out_of = int(m.group(1)), int(m.group(2))
    else:
        m = re.search(r"(?<!không )(?:tán thành|đồng ý)\s*:?\s*(\d+)(?:\s*/\s*(\d+))?"
                      r"|(\d+)\s*(?:phiếu\s*|đồng chí\s*|ý kiến\s*)?(?<!không )(?:tán thành|đồng ý)", low)
        if m:
            vote.in_favour = int(m.group(1) or m.group(3))
            vote.out_of = int(m.group(2)) if m.group(2) else None
    m = re.search(r"(\d+)\s*(?:phiếu\s*|đồng chí\s*|ý kiến\s*)?(?:không tán thành|không đồng ý|phản đối)"
                  r"|(?:không tán thành|không đồng ý|phản đối)\s*:?\s*(\d+)", low)
    if m:
        vote.against = int(m.group(1) or m.group(2))
    m = re.search(r"(\d+)\s*(?:phiếu\s*|đồng chí\s*)?(?:không biểu quyết|phiếu trắng|không ý kiến)"
                  r"|(?:không biểu quyết|không ý kiến)\s*:?\s*(\d+)", low)
    if m:
        vote.abstain = int(m.group(1) or m.group(2))
    m = re.search(r"trên\s*(?:tổng số\s*)?(\d+)\s*(?:đồng chí|đảng viên)", low)
    if m:
        vote.out_of = int(m.group(1))
    unanimous = False
    if vote.in_favour is None and vote.against is None:
        if not re.search(r"100\s*%", low):
            return None
        unanimous = True
    for method, pattern in (("giơ tay", r"giơ tay"), ("bỏ phiếu kín", r"phiếu kín"),
                            ("trên ứng dụng Sổ tay đảng viên", r"ứng dụng|sổ tay|điện tử")):
        if re.search(pattern, low):
            vote.method = method
            break
    q = re.search(r"(?:biểu quyết|\bBQ\b)\s+(?!bằng|trên|:)(?P<q>.+?)\s*"
                  r"(?=:|,|\bbằng\b|\btrên\b|kết quả|\d+\s*(?:/|tán thành|đồng chí|phiếu)|$)", text, re.IGNORECASE)
    q = q or re.search(r"nhất trí\s*100\s*%\s*(?P<q>.{4,}?)\s*$", text.strip(" ."), re.IGNORECASE)
    if q and len(q.group("q")) > 3:
        vote.question = q.group("q").strip(" .")
    return vote, unanimous


def complete_votes(votes: list[Vote], att: Attendance, unanimous: list[Vote]) -> None:
    """Fill counts the notes imply: "100%" means all present; 18/18 leaves nobody against or abstaining."""
    for vote in votes:
        if any(vote is u for u in unanimous):
            vote.in_favour = att.present
            vote.out_of = vote.out_of or att.present
        known = [c for c in (vote.in_favour, vote.against, vote.abstain) if c is not None]
        if vote.out_of is not None and vote.in_favour == vote.out_of:
            vote.against = 0 if vote.against is None else vote.against
            vote.abstain = 0 if vote.abstain is None else vote.abstain
        elif att.present is not None and sum(known) == att.present and vote.out_of in (None, att.present):
            vote.out_of = att.present
            vote.against = 0 if vote.against is None else vote.against
            vote.abstain = 0 if vote.abstain is None else vote.abstain
