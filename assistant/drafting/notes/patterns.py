"""Regular expressions for how cell secretaries write notes.

Names are runs of capitalised Vietnamese syllables; a person is usually
introduced by "đồng chí" / "đ/c" or a title ("Bí thư Lê Thị Thu"). Dates come
as 05/3/2026, 5-3-2026 or "ngày 5 tháng 3 năm 2026"; times as 19h30,
"19 giờ 30 phút" or 19:30.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from assistant.text.references import TYPE_NAMES

UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
LOWER = "a-zđàáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
NAME_WORD = rf"[{UPPER}][{LOWER}]*"
NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"
# "đồng chí", "Đ/c", "đc", "ĐC" before a name.
COMRADE = r"(?i:đồng\s+chí|đ/c|đ\.c|đc)"
PERSON_RE = re.compile(rf"{COMRADE}\s+(?P<name>{NAME})")

# Titles that are capitalised like names; longest first.
TITLES = (
    "Phó Bí thư chi bộ", "Phó Bí thư", "Bí thư chi bộ", "Bí thư", "Chi ủy viên", "Đảng ủy viên",
    "Trưởng khu phố", "Trưởng ấp", "Trưởng thôn", "Trưởng ban", "Chủ tịch", "Phó Chủ tịch",
    "Hiệu trưởng", "Phó Hiệu trưởng", "Chủ nhiệm", "Tổ trưởng", "Chủ trì", "Thư ký",
)
TITLE_RE = re.compile("|".join(re.escape(t) for t in TITLES), re.IGNORECASE)
TITLED_PERSON_RE = re.compile(rf"(?P<title>{'|'.join(re.escape(t) for t in TITLES)})\s+(?P<name>{NAME})")
# Units a task may be given to ("giao Ban Giám hiệu", "giao Tổ phụ nữ").
UNITS = (
    "ban giám hiệu", "ban chi ủy", "chi ủy", "chi đoàn", "chi hội phụ nữ", "chi hội nông dân",
    "chi hội cựu chiến binh", "hội phụ nữ", "hội nông dân", "hội cựu chiến binh", "ban công tác mặt trận",
    "ban nhân dân ấp", "ban nhân dân", "tổ phụ nữ", "tổ tuần tra", "tổ an ninh", "tổ tự quản", "tổ dân vận",
    "đoàn thanh niên", "mặt trận", "tổ chuyên môn", "ban chỉ đạo",
)
UNIT_RE = re.compile(rf"(?P<name>(?i:{'|'.join(re.escape(u) for u in UNITS)})(?:\s+{NAME_WORD})*)")

# A Party number with the type word before it; the words are those of the citation vocabulary.
_KINDS = "|".join(sorted((n[:1].upper() + n[1:] for n in TYPE_NAMES), key=len, reverse=True))
DOC_NUMBER_RE = re.compile(rf"(?:(?P<kind>{_KINDS})\s+)?(?:số\s*)?(?P<number>\d{{1,4}}-[A-ZĐ]{{1,4}}/[A-ZĐ]{{1,8}})")

_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/])"
DATE_NUM_RE = re.compile(rf"(?<![\d/,.]){_DMY}")
DATE_WORDS_RE = re.compile(
    r"(?i:ngày)\s*(?P<d>\d{1,2})\s*(?i:tháng)\s*(?P<m>\d{1,2})(?:\s*(?i:năm)\s*(?P<y>\d{4}))?"
)
TIME_RE = re.compile(
    rf"(?<![\d/.,])(?P<h>[01]?\d|2[0-3])\s*(?:(?:h|g|giờ)(?![{LOWER}])\s*(?P<m1>[0-5]\d)?(?:\s*phút)?|:(?P<m2>[0-5]\d))(?![\d/])",
    re.IGNORECASE,
)
MONTH_END_RE = re.compile(r"(?i:cuối|trong)\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y>\d{4}))?")
DEADLINE_CUE_RE = re.compile(
    r"(?i)(?:,|;|—|–|-|\(|\s)\s*(?:xong|hoàn thành|hoàn tất|báo cáo|nộp|gửi)?\s*"
    r"(?:trước|hạn chót|hạn|thời hạn|chậm nhất|trong)\s*(?:ngày|là|:)?\s*"
)
SENTENCE_SPLIT_RE = re.compile(rf"(?<=[.!?])\s+(?=[{UPPER}\[\"“])")


def is_title(text: str) -> bool:
    """Whether ``text`` is exactly a known title ("Bí thư chi bộ")."""
    return bool(TITLE_RE.fullmatch(text.strip()))


def trim_name(name: str) -> tuple[str, str]:
    """Split "Nguyễn Văn Hùng Bí thư" style captures into (name, title)."""
    match = TITLE_RE.search(name)
    if match and match.start() > 0:
        return name[: match.start()].strip(), name[match.start():].strip()
    if match and match.start() == 0:
        return "", name.strip()
    return name.strip(), ""


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


def find_dates(text: str, reference: dt.date | None = None) -> list[tuple[int, int, dt.date | None, str]]:
    """All dates in ``text`` as (start, end, date or None when the year is unknown, raw)."""
    found: list[tuple[int, int, dt.date | None, str]] = []
    taken: list[tuple[int, int]] = []
    for regex in (DATE_WORDS_RE, DATE_NUM_RE):
        for m in regex.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            day, month = int(m.group("d")), int(m.group("m"))
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            value: dt.date | None
            if m.group("y"):
                try:
                    value = dt.date(int(m.group("y")), month, day)
                except ValueError:
                    continue
            else:
                if regex is DATE_NUM_RE and _looks_like_ratio(text, m.end()):
                    continue
                value = infer_year(day, month, reference)
            found.append((m.start(), m.end(), value, m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(found)


def _looks_like_ratio(text: str, end: int) -> bool:
    # "17/17 tán thành", "18/19 đảng viên": counts, not dates.
    follow = text[end:end + 20].lower()
    return bool(re.match(r"\s*(?:đồng chí|đảng viên|đ/c|tán thành|có mặt|phiếu|hộ|người|\(|%)", follow))


def month_end(month: int, year: int) -> dt.date:
    """The last day of ``month`` in ``year``."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def find_times(text: str) -> list[tuple[int, dt.time]]:
    """Times of day in ``text`` (19h30, 19 giờ 30, 19:30) with their start offsets."""
    out = []
    for m in TIME_RE.finditer(text):
        minute = m.group("m1") or m.group("m2") or "0"
        unit = m.group(0)
        # A bare number followed by "h" in "100 h" is unlikely; require h/g/giờ or a colon.
        if not re.search(r"[hg:]|giờ", unit, re.IGNORECASE):
            continue
        out.append((m.start(), dt.time(int(m.group("h")), int(minute))))
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: split after . ! ? before a capital, a bracket or a quote."""
    return [s.strip() for s in SENTENCE_SPLIT_RE.split(text) if s.strip()]


BULLET_RE = re.compile(r"^\s*(?:[-+*•–—]|\d{1,2}[.)]|[a-zđ][)]|[IVX]{1,4}[.)])\s*")


def strip_bullet(text: str) -> str:
    """``text`` without its leading bullet or list number ("-", "1.", "a)", "II.")."""
    return BULLET_RE.sub("", text, count=1).strip()
