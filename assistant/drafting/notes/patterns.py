"""Dates, times, deadlines and document numbers as secretaries write them.

Every pattern runs on a line's folded key (lower case, no diacritics, numbers in
words already digits; see :mod:`lines`), so "Ngày 5 tháng 3 năm 2026",
"ngay 05/3/2026" and "NGÀY 5-3-2026" read the same; spans index the working
text too. Times come as 19h30, 19 giờ 30 (phút), 14g15, 19:30, "7 giờ 30 tối";
deadlines as "trước 20/4", "cuối tháng 5", "trong quý I/2027", "vào sáng chủ
nhật 20 tháng 9". A day and month without a year take the meeting's year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# "giao" that gives a task, not "giao ban" (a briefing), "giáo viên", "giao lưu", "giao thông" …
GIVE_WORD = (r"giao\b(?! vien\b| luu\b| thong\b| dich\b| tiep\b| ban\b(?! (?:dieu hanh|giam hieu|chi uy|nhan dan|"
             r"quan ly|cong tac|chi dao)))")
GIVE = r"\b" + GIVE_WORD
_RATIO_BEFORE = re.compile(r"(?:co mat|\bdu|vang|\bbq|bieu quyet|tan thanh|nhat tri|dong y|tren|gio tay|\bcm)"
                           r"\s*:?\s*$")
_RATIO_AFTER = re.compile(r"\s*(?:dong chi|dang vien|\bdv\b|d/c|\bdc\b|tan thanh|nhat tri|dong y|thong nhat|gio tay|"
                          r"co mat|phieu|\bho\b|nguoi|khong|\(|%|,\s*\d+\s*%)")
DATE_WORDS_RE = re.compile(r"(?:ngay\s*)?(?<![\d/])(?P<d>\d{1,2})\s*thang\s*(?P<m>\d{1,2})(?![\d/])"
                           r"(?:\s*(?:nam|/)\s*(?P<y>\d{4}))?")
DATE_NUM_RE = re.compile(r"(?<![\d/,.:hg])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})"
                         r"(?:\s*(?P=sep)\s*(?P<y>\d{4}))?(?![\d/])")
TIME_RE = re.compile(r"(?<![\d/.,:])(?P<h>[01]?\d|2[0-3])\s*(?:(?:h|g|gio)(?![a-z])\s*(?P<m1>[0-5]\d)?(?:\s*phut)?"
                     r"|:(?P<m2>[0-5]\d)(?!\d))(?![\d/])")
_EVENING_RE = re.compile(r"\s*(?:phut\s*)?(?:,\s*)?(?:toi|chieu|dem)\b")
MONTH_END_RE = re.compile(r"(?:cuoi|trong|het|xong|hoan thanh)\s+(?:thang|t)\s*(?P<m>\d{1,2})(?!\d|\s*/\s*\d{1,2}\b)"
                          r"(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?")
QUARTER_RE = re.compile(r"(?:trong|cuoi|het|truoc)?\s*quy\s+(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?")
# Where a deadline clause starts: "…, xong trước 20/4", "… trước ngày …", "… trong tháng 5", "… vào sáng …".
DEADLINE_CUE_RE = re.compile(
    r"(?:,|;|—|–|-|\(|\s)\s*(?:(?:xong|hoan thanh|hoan tat|bao cao|nop|gui|trinh)\s+)?"
    r"(?:truoc|han chot|thoi han|han|cham nhat|trong|vao|cuoi|het)\b\s*(?:ngay\b|la\b|:)?\s*"
)
DOC_NUMBER_RE = re.compile(r"(?<![\w-])(?P<n>\d{1,4})-(?P<t>[a-z]{1,4})/(?P<i>[a-z]{1,8})(?![a-z])")
_DOC_KINDS = {"nq": "Nghị quyết", "ct": "Chỉ thị", "qd": "Quy định", "kl": "Kết luận", "hd": "Hướng dẫn",
              "kh": "Kế hoạch", "tb": "Thông báo", "tt": "Thông tri", "bc": "Báo cáo", "cv": "Công văn"}
BULLET_RE = re.compile(r"^\s*(?:[-+*•–—]|\d{1,2}[.)](?!\d)|[a-zđ][)]|[IVX]{1,4}[.)])\s*")
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=\S)")


def strip_bullet(text: str) -> str:
    """``text`` without its leading bullet or list number ("-", "1.", "a)", "II.")."""
    return BULLET_RE.sub("", text, count=1).strip()


def bullet_length(text: str) -> int:
    """Characters of the leading bullet (with the spaces around it), 0 when there is none."""
    m = BULLET_RE.match(text)
    return m.end() if m else 0


def infer_year(day: int, month: int, reference: dt.date | None) -> dt.date | None:
    """A day/month without a year: the meeting's year, or the next one when it would fall well before."""
    if reference is None:
        return None
    try:
        candidate = dt.date(reference.year, month, day)
    except ValueError:
        return None
    if candidate < reference - dt.timedelta(days=60):
        try:
            candidate = dt.date(reference.year + 1, month, day)
        except ValueError:
            return None
    return candidate


def month_end(month: int, year: int) -> dt.date:
    """The last day of ``month`` in ``year``."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def find_dates(key: str, reference: dt.date | None = None) -> list[tuple[int, int, dt.date | None]]:
    """Dates in a folded key as (start, end, date); the date is None when it has no year and no reference."""
    found: list[tuple[int, int, dt.date | None]] = []
    taken: list[tuple[int, int]] = []
    for regex in (DATE_WORDS_RE, DATE_NUM_RE):
        for m in regex.finditer(key):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            day, month = int(m.group("d")), int(m.group("m"))
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            if regex is DATE_NUM_RE and not m.group("y") and (
                    _RATIO_BEFORE.search(key[max(0, m.start() - 20):m.start()])
                    or _RATIO_AFTER.match(key, m.end()) or m.group("sep") == "."):
                continue  # "17/17 tán thành", "có mặt 17/19": counts, not dates
            value: dt.date | None
            if m.group("y"):
                try:
                    value = dt.date(int(m.group("y")), month, day)
                except ValueError:
                    continue
            else:
                value = infer_year(day, month, reference)
            found.append((m.start(), m.end(), value))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d[0])


def find_times(key: str) -> list[tuple[int, int, dt.time]]:
    """Times of day in a folded key as (start, end, time); "tối"/"chiều" after an hour before 12 adds 12 hours."""
    out = []
    for m in TIME_RE.finditer(key):
        hour = int(m.group("h"))
        minute = int(m.group("m1") or m.group("m2") or 0)
        if hour < 12 and _EVENING_RE.match(key, m.end()):
            hour += 12
        out.append((m.start(), m.end(), dt.time(hour, minute)))
    return out


def quarter_end(quarter: str, year: int) -> dt.date:
    """The last day of quarter I–IV (or 1–4) of ``year``."""
    q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(quarter, int(quarter) if quarter.isdigit() else 4)
    return month_end(3 * q, year)


def doc_numbers(key: str, text: str) -> list[tuple[int, int, str]]:
    """Party document numbers ("339-QĐ/TW") in a line, as (start, end, label with the type word)."""
    out = []
    for m in DOC_NUMBER_RE.finditer(key):
        if m.group("t") == "bb":
            continue  # the minutes' own number
        number = text[m.start():m.end()].upper().replace("QD", "QĐ")
        before = key[max(0, m.start() - 14):m.start()]
        kind = _DOC_KINDS.get(m.group("t"), "")
        word = re.search(r"(?:nghi quyet|chi thi|quy dinh|ket luan|huong dan|ke hoach|thong bao|thong tri)"
                         r"\s*(?:so\s*)?$", before)
        out.append((m.start(), m.end(), f"{kind} {number}" if kind and word else number))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: split after . ! ? and a space."""
    spans, start = [], 0
    for m in SENTENCE_RE.finditer(text):
        before = text[max(0, m.start() - 3):m.start()]
        if re.search(r"(?:^|\s)[A-ZĐa-z]{1,2}\.$", before) and text[m.end():m.end() + 1].islower():
            continue  # "P. họp": an abbreviation, not the end of a sentence
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    spans = [(s, e) for s, e in spans if text[s:e].strip()]
    # "… đồng chí nào đồng ý giơ tay... 16 trên 16, 100%.": a vote cue and its count in the next sentence.
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and re.match(r"\s*\d+\s*(?:/|trên|tren)\s*\d+", text[s:e]) and \
                re.search(r"(?i)biểu quyết|bieu quyet|giơ tay|gio tay|\bBQ\b", text[merged[-1][0]:merged[-1][1]]) and \
                not re.search(r"\d+\s*(?:/|trên|tren)\s*\d+", text[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged
