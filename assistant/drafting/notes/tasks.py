"""Tasks assigned at the meeting: who, what, by when — several to a line.

An assignment line is split into clauses on ";", " / " (never the slash of "đ/c"
or of a date), a sentence end, a second "giao", or — inside an assignment — a
comma before another comrade ("giao đồng chí Đạt … trước 30/6, đồng chí Mai phần
còn lại, xong cuối tháng 7"). A clause is a task when it gives the task to
someone: after "giao"/"phân công", in an assignment line or a "Phân công" section,
or, in a conclusion, when it starts with a person and an action ("KL: đ/c Quân
làm tờ trình …"). An opinion that says "giao" is no task. A deadline belongs to
its clause unless the line applies it to all ("… - tất cả xong trước 15/4").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.lines import NoteLine
from assistant.drafting.notes.names import Ref, ref_at
from assistant.drafting.notes.record import Task

OPINION_VERBS = (
    "de nghi", "phat bieu", "tham gia y kien", "y kien", "cho rang", "neu", "kien nghi", "de xuat", "gop y", "bo sung",
    "bao cao", "bc", "trao doi", "phan anh", "hoi", "danh gia", "chia se", "thong nhat", "nhat tri", "dong y", "luu y",
    "de cap", "cho biet", "bay to", "nhan xet", "ghi nhan", "dn", "dong tinh", "tan thanh", "noi", "thay",
)
OPINION_RE = re.compile(r"\s*(?:" + "|".join(sorted(map(re.escape, OPINION_VERBS), key=len, reverse=True))
                        + r")(?![a-z])")
_UNITS = (
    "ban giam hieu", "ban chi uy", "chi uy", "chi doan", "chi hoi phu nu", "chi hoi nong dan", "chi hoi cuu chien binh",
    "hoi phu nu", "hoi nong dan", "hoi cuu chien binh", "ban cong tac mat tran", "ban nhan dan ap", "ban nhan dan",
    "ban dieu hanh khu pho", "ban dieu hanh to dan pho", "ban dieu hanh ap", "ban dieu hanh", "bdh", "to phu nu",
    "to tuan tra", "to an ninh", "to tu quan", "to dan van", "to hoa giai", "doan thanh nien", "mat tran",
    "to chuyen mon", "ban chi dao", "ban quan ly", "tap the chi uy", "chi hoi", "hoi ccb", "hoi nd", "hoi pn",
    "hoi lhpn", "ban ctmt", "bch quan su", "ban chi huy quan su", "cong an",
)
UNIT_RE = re.compile(r"(?:" + "|".join(re.escape(u) for u in _UNITS) + r")(?![a-z])")
_LABEL_RE = re.compile(r"[\s\-+*•]*(?:(?:kl|ket luan(?: cua [^:]{0,30})?|chot|phan cong(?: nhiem vu)?|pc|"
                       r"nhiem vu(?: thang toi| thang \d+| duoc giao)?|giao nhiem vu)\s*:\s*)?")
_GIVE_RE = re.compile(r"(?<![a-z])(?:" + P.GIVE_WORD + r"(?:\s+nhiem vu)?(?:\s+cho)?|phan cong(?:\s+nhiem vu)?"
                      r"(?:\s+cho)?)\s+(?=\S)")
_ASK_RE = re.compile(r"\s*(?:va\s+|con\s+)?(?:de nghi|yeu cau)\s+(?=\S)")
_SHARED_RE = re.compile(r"(?:tat ca|ca hai|ca ba|cac viec|hai viec|ba viec|cac nhiem vu|deu)\s+(?:nay\s+)?"
                        r"(?:(?:phai\s+)?(?:xong|hoan thanh)\s+)?(?=truoc|trong|cuoi|han)")
_NO_DATE_RE = re.compile(r"truoc tet|ram thang|thang gieng|thang chap|ky hop sau|tuan sau|tuan nay|tuan toi|hang tuan|"
                         r"hang thang|truoc le|sau tet|thang sau|thang toi")
_RESPONSIBLE_RE = re.compile(r"\s*(?:phu trach|chiu trach nhiem|lo\b|nhan\b)")

Resolver = Callable[[str], str]


@dataclass
class TaskContext:
    """What decides whether a clause is a task: the notes' names, the meeting date, and the line's setting."""

    resolve: Resolver
    meeting: dt.date | None = None
    lower: bool = False
    chair: str = ""
    assigning: bool = False  # the line assigns (it says "giao", or sits in a "Phân công" section)
    concluding: bool = False  # the chair's conclusion: "X làm Y" is a task


def deadline(key: str, meeting: dt.date | None) -> tuple[dt.date | None, str, int]:
    """(date, phrase when there is no date, where the deadline clause starts — ``len(key)`` when none)."""
    dates = [d for d in P.find_dates(key, meeting) if d[2] is not None]
    if dates:
        start, _, value = dates[-1]
        cue = None
        for c in P.DEADLINE_CUE_RE.finditer(key, 0, start + 1):
            if c.end() >= start - 30:
                cue = c
                break
        return value, "", cue.start() if cue else start
    m = P.MONTH_END_RE.search(key)
    if m:
        month = int(m.group("m"))
        year = int(m.group("y")) if m.group("y") else (meeting.year + (1 if meeting.month > month + 6 else 0)
                                                       if meeting else None)
        value = P.month_end(month, year) if year and 1 <= month <= 12 else None
        pre = re.search(r"(?:,|;|—|–|-)?\s*(?:xong|hoan thanh)?\s*$", key[:m.start()])
        return value, "" if value else m.group(0), pre.start() if pre else m.start()
    m = P.QUARTER_RE.search(key)
    if m and m.group(0).strip():
        year = int(m.group("y")) if m.group("y") else (meeting.year if meeting else None)
        pre = re.search(r"(?:,|;|—|–|-)?\s*(?:xong|hoan thanh)?\s*$", key[:m.start()])
        return (P.quarter_end(m.group("q"), year) if year else None), "", pre.start() if pre else m.start()
    m = _NO_DATE_RE.search(key)
    if m:
        cue = None
        for c in P.DEADLINE_CUE_RE.finditer(key, 0, m.start() + 1):
            cue = c
        cut = cue.start() if cue and cue.end() >= m.start() - 12 else m.start()
        return None, key[m.start():].strip(" .,;"), cut
    return None, "", len(key)


def _clauses(line: NoteLine, start: int, end: int, ctx: TaskContext) -> list[tuple[int, int]]:
    """Clause spans of ``line.key[start:end]``, split where a new assignment may begin."""
    key = line.key
    cuts = {start, end}
    splits = r";|\s/\s|(?<=\S)\s/(?=\s)|\.\s+(?=\S)|,\s*(?:va\s+)?(?=giao\b)|\s+va\s+(?=giao\b)"
    for m in re.finditer(splits, key[start:end]):
        cuts.add(start + m.start())
    spans = []
    points = sorted(cuts)
    for a, b in zip(points, points[1:], strict=False):
        a = _skip_sep(key, a, b)
        if a < b:
            spans.append((a, b))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        # "…, đồng chí Mai phần còn lại, xong cuối tháng 7": another comrade after a comma, inside an assignment.
        pieces = [a]
        if ctx.assigning or ctx.concluding or _GIVE_RE.search(key, a, b):
            for m in re.finditer(r",\s*(?=(?:dong chi|d/c|dc)\s)", key[a:b]):
                pos = a + m.end()
                if pos - pieces[-1] > 12 and ref_at(line, pos, lower=ctx.lower) is not None:
                    pieces.append(pos)
        pieces.append(b)
        out.extend((x, y) for x, y in zip(pieces, pieces[1:], strict=False))
    return out


def _skip_sep(key: str, a: int, b: int) -> int:
    while a < b and key[a] in " ;/.,":
        a += 1
    return a


def assignments(line: NoteLine, start: int, end: int, ctx: TaskContext) -> tuple[list[Task], list[tuple[int, int]]]:
    """Tasks in ``line.text[start:end]`` and the clause spans that were not tasks."""
    key = line.key
    segment = key[start:end]
    shared = _SHARED_RE.search(segment)
    shared_deadline = deadline(segment[shared.start():], ctx.meeting)[0:2] if shared else None
    tasks: list[Task] = []
    rest: list[tuple[int, int]] = []
    for a, b in _clauses(line, start, end, ctx):
        task = _clause_task(line, a, b, ctx)
        if task is None:
            rest.append((a, b))
            continue
        if task.deadline is None and not task.deadline_text and shared_deadline:
            task.deadline, task.deadline_text = shared_deadline
        tasks.append(task)
    return tasks, rest


def _owner(line: NoteLine, pos: int, ctx: TaskContext) -> tuple[str, int] | None:
    """The owner starting at ``pos``: a person (resolved) or a body ("Chi ủy", "Ban điều hành khu phố")."""
    ref: Ref | None = ref_at(line, pos, lower=ctx.lower)
    if ref is not None:
        if ref.marker == "role":
            return (ctx.chair, ref.end) if ctx.chair and "bi thu" in line.key[ref.start:ref.end] else None
        return ctx.resolve(ref.name), ref.end
    m = UNIT_RE.match(line.key, _skip_spaces(line.key, pos))
    if m:
        end = m.end()
        for w in re.finditer(r"\s([^\W\d_]+)", line.text[end:]):
            if not w.group(1)[:1].isupper() or w.start() != 0:
                break
            end += w.end()
        return line.text[m.start():end].strip(), end
    return None


def _skip_spaces(key: str, pos: int) -> int:
    """``pos`` moved past spaces."""
    while pos < len(key) and key[pos] == " ":
        pos += 1
    return pos


def _clause_task(line: NoteLine, a: int, b: int, ctx: TaskContext) -> Task | None:
    key = line.key
    label = _LABEL_RE.match(key, a)
    pos = label.end() if label else a
    give = _GIVE_RE.search(key, pos, b)
    found = None
    if give and not re.search(r"\bnen\s*$|de nghi[^,;]*$", key[pos:give.start() + 1]):
        found = _owner(line, give.end(), ctx)
    if found is None:
        ask = _ASK_RE.match(key, pos)
        start_at = ask.end() if ask else pos
        found = _owner(line, start_at, ctx)
        if found is None:
            return None
        after = key[found[1]:b]
        if ask:
            if deadline(after, ctx.meeting)[1:] == ("", len(after)):
                return None
        elif after.lstrip().startswith(":"):
            if not ctx.assigning:
                return None
        elif OPINION_RE.match(after) and not (ctx.assigning and deadline(after, ctx.meeting)[0]):
            return None
        elif not (ctx.assigning or ctx.concluding or _RESPONSIBLE_RE.match(after)):
            date, phrase, _ = deadline(after, ctx.meeting)
            if not (date or phrase):
                return None
    owner, body_start = found
    body_start = _skip_spaces(key, body_start)
    if key[body_start:body_start + 1] == ":":
        body_start = _skip_spaces(key, body_start + 1)
    paren = re.match(r"\([^)]*\)\s*", key[body_start:b])
    if paren:
        body_start += paren.end()
    date, phrase, cut = deadline(key[body_start:b], ctx.meeting)
    what = line.quote(body_start, body_start + cut).strip(" :,;—–-.")
    if not what:
        return None
    return Task(what=what[:1].upper() + what[1:], owner=owner, deadline=date, deadline_text=phrase, line=line.no)


def table_task(line: NoteLine, cells: list[tuple[int, int]], ctx: TaskContext) -> Task | None:
    """A task from a pipe-table row ("1 | Khảo sát cống | Châu Văn Lực | 15/7/2026")."""
    owner = what = ""
    due: dt.date | None = None
    phrase = ""
    for a, b in cells:
        cell_key = line.key[a:b].strip()
        cell_text = line.text[a:b].strip()
        ref = ref_at(line, a, lower=ctx.lower, bare=True)
        if ref is not None and not owner and ref.end >= b - 1 and (ref.marker != "bare" or ref.full):
            owner = ctx.resolve(ref.name)
        elif (dates := P.find_dates(cell_key, ctx.meeting)) and dates[0][2] and not due:
            due = dates[0][2]
        elif P.MONTH_END_RE.search(cell_key) and not due:
            due, phrase, _ = deadline(cell_key, ctx.meeting)
        elif not cell_text.isdigit() and len(cell_text) > len(what):
            what = line.quote(a, b)
    if not (owner and what):
        return None
    return Task(what=what[:1].upper() + what[1:], owner=owner, deadline=due, deadline_text=phrase, line=line.no)
