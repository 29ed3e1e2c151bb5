"""Numbers, amounts, durations and dates in Vietnamese text, in digits or in words.

"05 ngày làm việc", "ba mươi ngày", "100.000 đồng", "95%", "ngày 10/7/2025", "tháng 7 năm 2024":
each number with the unit after it (folded), so a sentence that says "45 ngày" where its source
says "30 ngày", or "10 ngày" for "10 ngày làm việc", can be caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.references import fold
from assistant.text.vietnamese import nfc

_DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
           "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
# Alone, these are rarely numbers: "năm" is also "year", "một" also "a", "tư" also "private".
_AMBIGUOUS = {"năm", "một", "mốt", "tư", "lăm", "không", "linh", "lẻ"}
_NUMBER_WORDS = set(_DIGITS) | {"mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "linh", "lẻ"}
# Units, folded; longest first so "ngay lam viec" wins over "ngay".
_UNITS = sorted(["ngay lam viec", "ngay", "thang", "nam", "tuan", "gio", "phut", "%", "phan tram", "dong",
                 "trieu dong", "nghin dong", "lan", "diem", "nguoi", "dang vien", "dong chi", "thanh vien",
                 "trang", "ban", "ky", "quy", "nhiem ky", "tuoi"], key=len, reverse=True)
_UNIT_RE = re.compile(r"\s*(" + "|".join(re.escape(u) for u in _UNITS) + r")(?![a-z0-9])")
# A number right after these is a label or a date part, not a quantity.
_LABEL_BEFORE = re.compile(r"(?:ngay|thang|nam|so|dieu|khoan|diem|muc|phan|chuong|khoa|lan thu|thu|tu|den)\s*$")
_NUM_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?![\w])")
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# "ngày 10/7/2025", "10-7-2025".
_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_EQUIVALENT_UNITS = {"phan tram": "%", "dong chi": "nguoi", "dang vien": "nguoi"}


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with the unit after it (folded) when it measures something."""

    value: float
    unit: str | None
    start: int


def _words_value(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for word in words:
        if word in _DIGITS:
            current += _DIGITS[word] if word not in ("mốt", "lăm", "tư") or current else _DIGITS[word]
            seen = True
        elif word == "mười":
            current += 10
            seen = True
        elif word == "mươi":
            current = (current or 1) * 10
        elif word == "trăm":
            current = (current or 1) * 100
        elif word in ("nghìn", "ngàn"):
            total += (current or 1) * 1000
            current = 0
        elif word == "triệu":
            total += (current or 1) * 1_000_000
            current = 0
        elif word in ("tỷ", "tỉ"):
            total += (current or 1) * 1_000_000_000
            current = 0
    return total + current if seen or total else None


def _unit_after(folded: str, end: int) -> str | None:
    m = _UNIT_RE.match(folded, end)
    if not m:
        return None
    unit = m.group(1)
    return _EQUIVALENT_UNITS.get(unit, unit)


def quantities(text: str) -> list[Quantity]:
    """Numbers in digits or words, with their units: "05 ngày làm việc", "ba mươi ngày", "100.000 đồng"."""
    text = nfc(text)
    folded = fold(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE_RE.finditer(text):
        for g in (1, 2, 3):
            found.append(Quantity(float(m.group(g)), None, m.start(g)))
        taken.append(m.span())
    for m in _NUM_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        raw = m.group(1)
        value = float(raw.replace(".", "")) if "." in raw else float(raw.replace(",", "."))
        label = _LABEL_BEFORE.search(folded, 0, m.start())
        unit = None if label else _unit_after(folded, m.end())
        found.append(Quantity(value, unit, m.start()))
    lowered = text.lower()
    words = list(_WORD_RE.finditer(lowered))
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].group(0) in _NUMBER_WORDS and (j == i or (
                lowered[words[j - 1].end():words[j].start()].strip() == ""
                # two digit words in a row are two numbers ("ba năm" is three years, not 8)
                and not (words[j - 1].group(0) in _DIGITS and words[j].group(0) in _DIGITS))):
            j += 1
        run = [w.group(0) for w in words[i:j]]
        if run:
            unit = _unit_after(folded, words[j - 1].end())
            label = _LABEL_BEFORE.search(folded, 0, words[i].start())
            amount = _words_value(run)
            if unit is None and len(run) == 1 and run[0] not in _AMBIGUOUS and j < len(words):
                unit = fold(words[j].group(0))  # "ba lựa chọn": the counted noun is the unit
            # One number word counts only before a unit ("ba năm"): alone, "năm" is a year, "một" is "a".
            if amount is not None and not label and (len(run) > 1 or unit is not None) and run != ["không"]:
                found.append(Quantity(float(amount), unit, words[i].start()))
            i = j
        else:
            i += 1
    return found


def quantity_supported(q: Quantity, pool: list[Quantity]) -> bool:
    """True when ``pool`` holds the same number with a compatible unit."""
    for p in pool:
        if p.value != q.value:
            continue
        # "10 ngày" for "10 ngày làm việc" changes the deadline: units must agree when both are given.
        if q.unit is None or p.unit is None or q.unit == p.unit:
            return True
    return False


_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})(?!\d)"),
    re.compile(r"ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})"),
    re.compile(r"thang\s+(?P<m>\d{1,2})\s*(?:/|\s+nam\s+)\s*(?P<y>\d{4})"),
    re.compile(r"ngay\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?![\d/.-])"),
    re.compile(r"ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?!\s*(?:/|nam)\s*\d)"),
)


def dates(text: str) -> set[tuple[int, int, int]]:
    """(day, month, year) of each date in ``text``; 0 where a part is not given."""
    folded = fold(nfc(text))
    found: set[tuple[int, int, int]] = set()
    taken: list[tuple[int, int]] = []
    for form in _DATE_FORMS:  # fullest forms first; a shorter match inside a longer one is the same date
        for m in form.finditer(folded):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            parts = m.groupdict()
            found.add((int(parts.get("d") or 0), int(parts.get("m") or 0), int(parts.get("y") or 0)))
    return found


def date_supported(date: tuple[int, int, int], pool: set[tuple[int, int, int]]) -> bool:
    """True when ``pool`` holds the date (a part given as 0 matches any)."""
    return any(all(a == b or a == 0 or b == 0 for a, b in zip(date, other, strict=True)) for other in pool)


_PERIOD_RE = re.compile(r"(?<![a-z])(?:hang|moi|dinh ky|cu)\s+(?:(\d+)\s+)?(ngay|tuan|thang|quy|nam)(?![a-z])")
_PERIOD_MONTHS = {"ngay": 1 / 30, "tuan": 0.25, "thang": 1.0, "quy": 3.0, "nam": 12.0}


def periods(text: str) -> set[float]:
    """How often, in months: "hằng quý" 3, "định kỳ 6 tháng" 6, "cứ sáu tháng" 6, "hằng năm" 12."""
    folded = fold(nfc(text))
    folded = re.sub(r"\b(?:cu|dinh ky)\s+(hai|ba|bon|sau|chin)\s+",
                    lambda m: f"cu {_DIGITS[_UNFOLD[m.group(1)]]} ", folded)
    return {round(int(m.group(1) or 1) * _PERIOD_MONTHS[m.group(2)], 3) for m in _PERIOD_RE.finditer(folded)}


_UNFOLD = {"hai": "hai", "ba": "ba", "bon": "bốn", "sau": "sáu", "chin": "chín"}
