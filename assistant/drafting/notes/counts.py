"""Attendance and vote counts in every form secretaries use.

Attendance: "Tổng số: 30 (chính thức 27, dự bị 3). Có mặt: 26. Vắng: 4 (có lý do 3:
…; không lý do 1: …)", "ĐV: 21 (CT 19, DB 2); miễn SH 2", "dự 19, đủ 100%", "có mặt
22/25", "có mặt 9 trên tổng số 10", "vắng không", "chi bộ mình 17 đảng viên, hôm nay
vắng đồng chí X vì …, còn lại có mặt đủ", "(A và B có lý do; C không lý do)".
Votes: "21/21 tán thành", "20 đồng ý, 2 không đồng ý", "19 trên 19 đồng chí nhất
trí", "tán thành 20/21, không tán thành 1/21", "15 tán thành, 0 không tán thành, 2
không biểu quyết (17 đồng chí có mặt)", "giơ tay 100%", "BQ: 12/12", "thống nhất
cao" (a vote with no counts). Percentages are never counts. Everything runs on the
folded key with numbers in words already digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.drafting.notes.lines import NoteLine
from assistant.drafting.notes.names import Ref
from assistant.drafting.notes.record import Absence, Attendance, Vote

Resolver = Callable[[str], str]
VOTE_CUE = re.compile(r"bieu quyet|\bbq\b|tan thanh|\bgio tay\b|phieu kin|nhat tri\s*100\s*%|thong nhat\s*100\s*%|"
                      r"100\s*%[^.;]{0,30}(?:tan thanh|nhat tri|dong y|gio tay)")
ATTEND_CUE = re.compile(
    r"co mat|\bvang\b|tong so|\btong\s+\d|mien (?:sinh hoat|sh)|\bdu(?:\s+hop)?\s*:?\s*\d|hien dien|phai du|"
    r"^(?:dang vien|dv)\s*:?\s*\d|"
    r"(?:chi bo|\bcb)(?:\s+(?:minh|hien|co|gom))*\s*:?\s*\d+\s*(?:dang vien|dv|dong chi|dc|d/c)\b|"
    r"diem danh|\bdu 100\s*%"
)
_STRONG_CUE = re.compile(r"co mat|\bvang\b|tong so|mien (?:sinh hoat|sh)|phai du|diem danh")
_EXCUSED = r"(?:co ly do|co ld|\bcld\b|co phep)"
_UNEXCUSED = r"(?:khong (?:co |bao |bao co )?ly do|khong ld|\bkld\b|vo ly do|khong (?:co )?phep)"
_MARKER_RE = re.compile(rf"(?P<u>{_UNEXCUSED})|(?P<e>{_EXCUSED})")
_REASON_VERB = re.compile(r"\s*(?:,\s*)?(?:nghi|om|benh|di\s|nam vien|ve que|sinh con|ban|vang|cong tac|truc|om dau)")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%")


def _num(pattern: str, key: str) -> int | None:
    m = re.search(pattern, key)
    if not m:
        return None
    return int(next(g for g in m.groups() if g is not None))


def is_attendance(key: str) -> bool:
    """Whether a line (folded) is about attendance rather than a vote."""
    if not ATTEND_CUE.search(key):
        return False
    return not (VOTE_CUE.search(key) and re.search(r"\d", key) and not re.search(r"co mat\s*:?\s*\d", key))


@dataclass
class AttendanceFlags:
    """What a line implies beyond its numbers: everyone came ("đủ 100%"), the rest came ("còn lại có mặt đủ")."""

    everyone: bool = False
    rest_present: bool = False


def parse_attendance(att: Attendance, line: NoteLine, refs: list[Ref], resolve: Resolver, flags: AttendanceFlags,
                     *, start: int = 0, strong_only: bool = False) -> bool:
    """Counts, statuses and named absentees from ``line`` (from offset ``start``); False when not about attendance."""
    key = line.key[start:]
    if not is_attendance(key) or (strong_only and not _STRONG_CUE.search(key)):
        return False
    att.line = att.line or line.no
    clean = _PERCENT.sub(lambda m: " " * len(m.group(0)) if "100" not in m.group(0) else m.group(0), key)
    if att.total is None:
        att.total = _num(r"tong so(?:\s+(?:dang vien|dv))?(?:\s+(?:cua chi bo|trong danh sach|hien co))?\s*(?:la|:)?"
                         r"\s*(\d+)"
                         r"|\btong\s+(\d+)\s*(?:dang vien|dv)\b"
                         r"|(?:chi bo|\bcb)(?:\s+(?:minh|hien|co|gom))*\s*:?\s*(\d+)\s*"
                         r"(?:dang vien|dv|dong chi|dc|d/c)\b"
                         r"|^[\s\d.)+-]*(?:so\s+)?(?:dang vien|dv)(?:\s+cua chi bo)?\s*:?\s*(\d+)(?!\s*/)"
                         r"|(\d+)\s*(?:dang vien|dv)\s*(?:\(|,\s*trong do|;|:|$)", clean)
    if att.full is None:
        att.full = _num(r"(\d+)\s*(?:dang vien\s*)?chinh thuc|(?:chinh thuc|\bct)\s*:?\s*(\d+)", clean)
    if att.probationary is None:
        att.probationary = _num(r"(\d+)\s*(?:dang vien\s*)?du bi|(?:du bi|\bdb)\s*:?\s*(\d+)", clean)
    exempt = re.search(r"(\d+)\s*(?:dong chi|dang vien|d/c|dc|dv)?\s*(?:duoc\s*)?mien (?:sinh hoat|sh)"
                       r"|mien (?:sinh hoat|sh)(?:\s*dang)?\s*:?\s*(\d+)", clean)
    exempt_span = (0, 0)
    if exempt:
        if att.exempt is None:
            att.exempt = int(exempt.group(1) or exempt.group(2))
        clause_end = _exempt_clause_end(clean, exempt.start())
        exempt_span = (start + exempt.start(), start + clause_end)
        names = [resolve(r.name) for r in refs if exempt_span[0] <= r.start < exempt_span[1]]
        att.exempt_names = att.exempt_names or names
    present = re.search(r"(?:co mat|hien dien|\bcm)\s*(?:la|:)?\s*(\d+)(?:\s*(?:/|tren)\s*(?:tong so\s*)?(\d+))?",
                        clean) \
        or re.search(r"(\d+)\s*/\s*(\d+)\s*(?:dong chi|dang vien|dv)?\s*co mat", clean) \
        or re.search(r"(?<!phai )(?<!den )\bdu(?:\s+hop)?\s*(?:la|:)?\s*(\d+)(?:\s*/\s*(\d+))?", clean)
    denominator = None
    if present and att.present is None:
        att.present = int(present.group(1))
        denominator = int(present.group(2)) if present.group(2) else None
    expected = _num(r"phai du(?:\s+hop)?\s*(?:la|:)?\s*(\d+)", clean)
    if att.total is None and (denominator or expected) is not None:
        att.total = (denominator or expected or 0) + (att.exempt or 0) if denominator is None else denominator
    if re.search(r"\bdu 100\s*%|(?:co mat|tham du)\s+(?:day\s+)?du\s*100|vang\s*:?\s*khong\b(?!\s*(?:co\s+|bao\s+)?"
                 r"(?:ly do|ld))|vang\s*:?\s*0\b", clean):
        flags.everyone = True
    if re.search(r"(?:con lai|con)\s+co mat\s+du|co mat du\b", clean):
        flags.rest_present = True
    _absences(att, line, refs, resolve, start, exempt_span)
    return True


def _exempt_clause_end(key: str, pos: int) -> int:
    paren = key.find("(", pos)
    comma = re.search(r",\s*(?=(?:phai du|co mat|\bdu\b|vang|hien dien|tong|trong do|chinh thuc|du bi)\b)", key[pos:])
    stop = min([p for p in (key.find(".", pos), key.find(";", pos), pos + comma.start() if comma else -1) if p >= 0]
               or [len(key)])
    if 0 <= paren < pos + 30 and paren < stop:
        close = key.find(")", paren)
        return close + 1 if close >= 0 else len(key)
    return stop


def _absences(att: Attendance, line: NoteLine, refs: list[Ref], resolve: Resolver, start: int,
              exempt_span: tuple[int, int]) -> None:
    key = line.key
    m = re.search(r"\bvang\b", key[start:])
    region = start + m.start() if m else len(key)
    counts_part = key[region:]
    absent = re.search(r"\bvang(?:\s+mat)?\s*(?:la|:)?\s*(\d+)", counts_part)
    excused_n = _num(rf"{_EXCUSED}\s*:?\s*(\d+)|(\d+)\s*(?:dong chi\s*)?{_EXCUSED}", counts_part) if m else None
    unexcused_n = _num(rf"{_UNEXCUSED}\s*:?\s*(\d+)|(\d+)\s*(?:dong chi\s*)?{_UNEXCUSED}", counts_part) if m else None
    if absent and att.absent_count is None:
        att.absent_count = int(absent.group(1))
    elif m and att.absent_count is None and (excused_n is not None or unexcused_n is not None):
        att.absent_count = (excused_n or 0) + (unexcused_n or 0)
    if excused_n is not None and att.absent_excused_count is None:
        att.absent_excused_count = excused_n
    if unexcused_n is not None and att.absent_unexcused_count is None:
        att.absent_unexcused_count = unexcused_n
    people = [r for r in refs if r.start >= start and not exempt_span[0] <= r.start < exempt_span[1]]
    for i, ref in enumerate(people):
        nxt = people[i + 1].start if i + 1 < len(people) else len(key)
        in_region = ref.start >= region
        if not in_region:
            clause_end = _clause_end(key, ref.end)
            if not (re.search(r"\bvang\b", key[ref.end:clause_end]) or _REASON_VERB.match(key, ref.end)):
                continue
            if not re.search(r"\bvang\b", key[ref.end:clause_end]) and \
                    not re.search(r"co mat|\bvang\b", key[:ref.start]):
                continue
        tail_end = min(nxt, _clause_end(key, ref.end))
        again = re.search(r",\s*vang\b", key[ref.end:tail_end])
        if again:
            tail_end = ref.end + again.start()
        excused = _classify(key, ref, tail_end, region)
        reason = _reason(line, ref.end, tail_end)
        name = resolve(ref.name)
        if any(a.name == name for a in att.absent_excused + att.absent_unexcused):
            continue
        if excused:
            att.absent_excused.append(Absence(name=name, reason=reason, line=line.no))
        else:
            att.absent_unexcused.append(Absence(name=name, line=line.no))


def _clause_end(key: str, pos: int, limit: int = 400) -> int:
    """Where the clause after ``pos`` ends: a semicolon, a closing bracket, a full stop, or the line's end."""
    depth = 0
    for i in range(pos, min(len(key), pos + limit)):
        ch = key[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif ch == ";" and depth == 0 or ch == "." and depth == 0 and (i + 1 == len(key) or key[i + 1] == " "):
            return i
    return min(len(key), pos + limit)


def _classify(key: str, ref: Ref, tail_end: int, region: int) -> bool:
    """True when the absentee at ``ref`` had a reason: a marker in its own words, after it in its clause or before it,
    or a reason written after the name."""
    own = key[ref.end:tail_end]
    m = _MARKER_RE.search(own)
    if m:
        return m.group("u") is None
    clause_end = _clause_end(key, ref.end)
    following = _MARKER_RE.search(key, ref.end, clause_end)
    if following and re.fullmatch(r"[\s,]*(?:va|cung)?[\s,]*", own):
        return following.group("u") is None
    before = [mk for mk in _MARKER_RE.finditer(key, max(min(region, ref.start), ref.start - 400), ref.start)]
    if before:
        return before[-1].group("u") is None
    if re.sub(r"[\s,:()\-–]|\bva\b", "", own):
        return True
    return bool(following and following.group("u") is None)


def _reason(line: NoteLine, start: int, end: int) -> str:
    text = line.text[start:end]
    text = re.sub(r"^[\s(:\-–,]*(?:vì|do|là|nên|vi|la|nen)?\s*", "", text)
    text = re.split(r"[),;]|\s+và\s+|\s+va\s+", text)[0]
    key = text.lower()
    if re.fullmatch(r"\s*(?:có|co|không|khong)?\s*(?:báo\s*)?(?:lý do|ly do|ld)?\s*", key):
        return ""
    text = re.sub(r"(?i)^\s*(?:có lý do|co ly do)\s*,?\s*", "", text)
    text = re.sub(r"(?i)\s*,?\s*(?:nên vắng|nen vang)?\s*(?:có lý do|co ly do)\s*$", "", text)
    start_off = line.text.find(text, start) if text else -1
    return line.quote(start_off, start_off + len(text)).strip(" .") if start_off >= 0 else text.strip(" .")


def parse_vote(line: NoteLine, start: int = 0, end: int | None = None) -> tuple[Vote, bool] | None:
    """A vote in ``line`` [start, end) and whether it was only "100%" (counts then come from attendance)."""
    key = line.key[start:end]
    cue = VOTE_CUE.search(key)
    ratio_only = re.search(r"(?:\bbq\b|bieu quyet)[^:\d]{0,40}:\s*(\d+)\s*/\s*(\d+)\s*(?:$|[.;,]|dv|dong chi|d/c)", key)
    if not cue and not ratio_only:
        return None
    label = re.search(r"bieu quyet|\bbq\b", key)
    colon = key.find(":", label.start()) if label else -1
    body = key[colon + 1:] if label and colon >= 0 and colon - label.start() < 120 else key
    body = _PERCENT.sub(lambda m: " " * len(m.group(0)) if "100" not in m.group(0) else m.group(0), body)
    body_no100 = re.sub(r"100\s*%", "    ", body)
    vote = Vote(line=line.no)
    m = re.search(r"(?<![\d/])(\d+)\s*(?:/|tren)\s*(\d+)(?![\d/])"
                  r"(?=[^\d]{0,30}?(?:tan thanh|dong y|nhat tri|thong nhat|"
                  r"gio tay))", body_no100)
    m = m or re.search(r"(?:tan thanh|dong y|nhat tri)\s*:?\s*(\d+)\s*/\s*(\d+)", body_no100)
    if m and not re.match(r"\s*(?:dong chi\s*)?khong", body_no100[m.end():]):
        vote.in_favour, vote.out_of = int(m.group(1)), int(m.group(2))
    else:
        m = re.search(r"(?<!khong )(?:tan thanh|dong y)\s*:?\s*(\d+)(?:\s*/\s*(\d+))?"
                      r"|(\d+)\s*(?:phieu\s*|dong chi\s*|d/c\s*|dc\s*|y kien\s*|dv\s*|dang vien\s*)?(?<!khong )"
                      r"(?:tan thanh|dong y|nhat tri)", body_no100)
        if m:
            vote.in_favour = int(m.group(1) or m.group(3))
            vote.out_of = int(m.group(2)) if m.group(2) else None
        elif ratio_only or re.match(r"\s*(\d+)\s*(?:/|tren)\s*(\d+)", body_no100):
            r = ratio_only or re.match(r"\s*(\d+)\s*(?:/|tren)\s*(\d+)", body_no100)
            assert r is not None
            vote.in_favour, vote.out_of = int(r.group(1)), int(r.group(2))
        else:
            r = re.search(r"(?<![\d/])(\d+)\s*tren\s*(\d+)(?![\d/])", body_no100)
            if r and cue:
                vote.in_favour, vote.out_of = int(r.group(1)), int(r.group(2))
    m = re.search(r"(\d+)\s*(?:/\s*(\d+)\s*)?(?:phieu\s*|dong chi\s*|y kien\s*)?"
                  r"(?:khong tan thanh|khong dong y|phan doi)"
                  r"|(?:khong tan thanh|khong dong y|phan doi)\s*:?\s*(\d+)(?:\s*/\s*(\d+))?", body_no100)
    if m:
        vote.against = int(m.group(1) or m.group(3))
        vote.out_of = vote.out_of or (int(m.group(2) or m.group(4)) if (m.group(2) or m.group(4)) else None)
    m = re.search(r"(\d+)\s*(?:phieu\s*|dong chi\s*)?"
                  r"(?:khong bieu quyet|khong bq|phieu trang|khong y kien|khong co y kien)"
                  r"|(?:khong bieu quyet|khong bq|khong y kien)\s*:?\s*(\d+)", body_no100)
    if m:
        vote.abstain = int(m.group(1) or m.group(2))
    if re.search(r"khong co y kien khac", key) and vote.in_favour is not None:
        vote.against = 0 if vote.against is None else vote.against
        vote.abstain = 0 if vote.abstain is None else vote.abstain
    m = re.search(r"tren\s*(?:tong so\s*)?(\d+)\s*(?:dong chi|dang vien|dv|d/c|dc)\b"
                  r"|\((\d+)\s*(?:dong chi|dang vien|dv|d/c|dc)\b[^)]*co mat",
                  key)
    if m:
        vote.out_of = int(m.group(1) or m.group(2))
    unanimous = False
    if vote.in_favour is None and vote.against is None:
        if re.search(r"100\s*%", key) and cue:
            unanimous = True
        elif re.search(r"(?:bieu quyet|\bbq\b)[^.]*:\s*(?:thong nhat|nhat tri|tan thanh|dong y)", key):
            pass  # "Biểu quyết …: thống nhất cao": a vote without counts
        else:
            return None
    elif re.search(r"100\s*%", key) and vote.in_favour is not None and vote.against in (None, 0):
        vote.out_of = vote.out_of or vote.in_favour
    for method, pattern in (("giơ tay", r"gio tay"), ("bỏ phiếu kín", r"phieu kin"),
                            ("trên ứng dụng Sổ tay đảng viên", r"ung dung|so tay|dien tu")):
        if re.search(pattern, key):
            vote.method = method
            break
    q = re.search(r"(?:bieu quyet|\bbq\b)(?:\s+(?:thong qua|ve))?\s+(?!bang|tren|:|\d)(?P<q>[^:]{4,}?)\s*"
                  r"(?=:|,|\bbang\b|\btren ung\b|\bvoi\b|ket qua|\(|\d+\s*/|$)", key)
    if q:
        qs, qe = q.start("q") + start, q.end("q") + start
        vote.question = line.quote(qs, qe).strip(" .")
    return vote, unanimous


def complete_votes(votes: list[Vote], att: Attendance, unanimous: list[Vote]) -> None:
    """Fill counts the notes imply: "100%" means all present; 18/18 leaves nobody against or abstaining."""
    for vote in votes:
        if any(vote is u for u in unanimous):
            vote.in_favour = att.present
            vote.out_of = vote.out_of or att.present
            if vote.in_favour is not None:
                vote.against, vote.abstain = 0, 0
        if vote.out_of is not None and vote.in_favour == vote.out_of:
            vote.against = 0 if vote.against is None else vote.against
            vote.abstain = 0 if vote.abstain is None else vote.abstain
        elif vote.out_of is not None and vote.in_favour is not None and vote.against is not None \
                and vote.abstain is None and vote.out_of - vote.in_favour - vote.against >= 0:
            vote.abstain = vote.out_of - vote.in_favour - vote.against
