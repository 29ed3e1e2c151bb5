"""Numbers, amounts, durations and dates in Vietnamese text, in digits or in words.

"05 ngày làm việc", "ba mươi ngày", "100.000 đồng", "95%", "ngày 10/7/2025", "tháng 7 năm 2024":
each number with the unit after it (folded), so a sentence that says "45 ngày" where its source
says "30 ngày", or "10 ngày" for "10 ngày làm việc", can be caught.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
                 "trang", "ban", "ky", "quy", "nhiem ky", "tuoi", "thang tuoi"], key=len, reverse=True)
_UNIT_RE = re.compile(r"\s*(" + "|".join(re.escape(u) for u in _UNITS) + r")(?![a-z0-9])")
# A number right after these is a label or a date part, not a quantity.
_LABEL_BEFORE = re.compile(r"(?:ngay|thang|nam|so|dieu|khoan|diem|muc|phan|chuong|khoa|lan thu|thu|tu|den|lop)\s*$")
# A number after these names a quarter, a round or a term, checked apart (:func:`ordinal_labels`): "quý 2" = "quý II".
_ORDINAL_BEFORE = re.compile(r"(?<![a-z])(?:quy|dot|hoc ky|nhiem ky)\s*$")
# After "từ"/"đến" a number is a label ("từ khoản 1 đến 3") unless a unit follows ("từ 06 tháng trở lên").
_RANGE_WORD = re.compile(r"(?:tu|den)\s*$")
_LIST_NUMBER = re.compile(r"\d{1,3}[.)]\s")
_NOT_AFTER_SCALE = {"lệ", "trọng", "suất", "giá"}
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
    label: bool = False  # after "Điều", "khoản", "số", "ngày"…: it names or dates, it counts nothing


def _words_value(words: list[str]) -> int | None:
    """"hai nghìn không trăm hai mươi lăm" -> 2025, "một trăm linh năm" -> 105, "mười lăm" -> 15."""
    total, group, pending, seen = 0, 0, None, False
    for word in words:
        if word in _DIGITS:
            pending, seen = _DIGITS[word], True
        elif word == "mười":
            group, seen = group + 10, True
        elif word in ("mươi", "trăm"):
            group += (1 if pending is None else pending) * (10 if word == "mươi" else 100)
            pending = None
        elif word in _SCALES:
            total += (group + (pending or 0) or 1) * _SCALES[word]
            group, pending = 0, None
    return total + group + (pending or 0) if seen or total else None


_SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}


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
        if any(s <= m.start() < e for s, e in taken) or _LIST_NUMBER.match(text, m.start()) and \
                not text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip():
            continue  # "4. Về việc …": the numbering of a list item, not a figure
        raw = m.group(1)
        value = float(raw.replace(".", "")) if "." in raw else float(raw.replace(",", "."))
        if _ORDINAL_BEFORE.search(folded, 0, m.start()):
            continue
        label = _LABEL_BEFORE.search(folded, 0, m.start())
        after = _unit_after(folded, m.end())
        if label and (after and _RANGE_WORD.search(folded, 0, m.start()) or after == "lan"):
            label = None  # "từ 06 tháng trở lên", "mỗi năm 2 lần": a figure, not a label
        unit = None if label else after
        found.append(Quantity(value, unit, m.start(), label=bool(label)))
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
            if label and unit == "lan":
                label = None  # "mỗi năm hai lần"
            amount = _words_value(run)
            if run[0] in ("tỷ", "tỉ") and j < len(words) and words[j].group(0) in _NOT_AFTER_SCALE:
                i = j  # "tỷ lệ", "tỷ trọng": a rate, not a billion
                continue
            if unit is None and len(run) == 1 and run[0] not in _AMBIGUOUS and j < len(words):
                unit = fold(words[j].group(0))  # "ba lựa chọn": the counted noun is the unit
                if run[0] == "hai" and unit == "ben":
                    i = j  # "hai bên": the parties, not a count
                    continue
            # One number word counts only before a unit ("ba năm"): alone, "năm" is a year, "một" is "a".
            if amount is not None and not label and (len(run) > 1 or unit is not None) and run != ["không"]:
                found.append(Quantity(float(amount), unit, words[i].start()))
            i = j
        else:
            i += 1
    return found


_ENUMERATION = re.compile(r"\s*[^\W\d_]+(?:\s+[^\W\d_]+)?\s*(?:là|gồm|bao gồm|:)\s+([^.;\[]+)")


def self_counted(text: str, q: Quantity) -> bool:
    """A count the sentence itself spells out: "hai bộ là Bộ Công an và Bộ Quốc phòng" names its two items, so
    the figure needs no support of its own beyond theirs."""
    token = re.match(r"\S+", text[q.start:])
    m = _ENUMERATION.match(text, q.start + len(token.group(0))) if token else None
    if not m or q.label or q.unit is None or not 2 <= q.value <= 10:
        return False
    items = [i for i in re.split(r",\s*|\s+(?:và|hoặc)\s+", m.group(1)) if i.strip()]
    return len(items) == q.value


def quantity_supported(q: Quantity, pool: list[Quantity]) -> bool:
    """True when ``pool`` holds the same number with a compatible unit."""
    for p in pool:
        if p.value != q.value or (q.unit is not None and p.label):
            continue  # "bốn nội dung" is not supported by "Điều 4"
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


_UNIT_DIGIT = r"(?:một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín)"
_DAY_WORDS = rf"(?:(?:hai|ba)\s+mươi|mười)(?:\s+{_UNIT_DIGIT})?|mười|{_UNIT_DIGIT}"
_MONTH_WORDS = r"mười\s+một|mười\s+hai|mười|một|giêng|hai|ba|bốn|tư|năm|sáu|bảy|tám|chín|chạp"
_YEAR_WORDS = r"(?:(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|mốt|lăm|tư|trăm|nghìn|ngàn|linh|lẻ|không)\s*)+"
# "ngày mười tháng bảy năm hai nghìn không trăm hai mươi lăm", as a bulletin reads a date out.
_DATE_IN_WORDS = re.compile(rf"(?<![^\W_])ngày\s+(?:(?:mồng|mùng)\s+)?(?P<d>{_DAY_WORDS})\s+tháng\s+"
                            rf"(?P<m>{_MONTH_WORDS})(?:\s+năm\s+(?P<y>{_YEAR_WORDS}))?(?![^\W_])")
_MONTH_NAMES = {"giêng": 1, "chạp": 12}


def _dates_in_words(text: str) -> set[tuple[int, int, int]]:
    found = set()
    for m in _DATE_IN_WORDS.finditer(nfc(text).lower()):
        day = _words_value(m.group("d").split())
        month = _MONTH_NAMES.get(m.group("m")) or _words_value(m.group("m").split())
        year = _words_value(m.group("y").split()) if m.group("y") else 0
        if day and month and 1 <= day <= 31 and 1 <= month <= 12:
            found.add((day, month, year or 0))
    return found


def dates(text: str) -> set[tuple[int, int, int]]:
    """(day, month, year) of each date in ``text``, in figures or in words; 0 where a part is not given."""
    folded = fold(nfc(text))
    found: set[tuple[int, int, int]] = _dates_in_words(text)
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

# Which quarter, term, round or congress: "quý II", "học kỳ 1", "đợt 2", "khóa XIII", "lần thứ XIV".
_ORDINAL_RE = re.compile(r"(?<![a-z])(quy|hoc ky|dot|khoa|nhiem ky|lan thu|ky hop thu)\s+([ivxlc]+|\d{1,3})(?![a-z0-9])")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman(text: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def ordinal_labels(text: str) -> set[tuple[str, int]]:
    """Ordinal labels of periods and bodies, as (what, number): "quý II năm 2026" → ("quy", 2), "Đại hội XIII"
    is not read (no label word), "khóa XIII" → ("khoa", 13)."""
    return {(m.group(1), int(m.group(2)) if m.group(2).isdigit() else _roman(m.group(2)))
            for m in _ORDINAL_RE.finditer(fold(nfc(text)))}


# -- ratios and what a figure is bound to -------------------------------------------
_RATIO_RE = re.compile(r"(?<![\d/.,-])(\d+)\s*/\s*(\d+)(?![\d/])")


def ratios(text: str) -> set[tuple[int, int]]:
    """"32/34 chi bộ", "23/23 đồng chí": the pairs written with a slash, not a date ("ngày 15/01", "tháng 7/2025")."""
    folded = fold(nfc(text))
    return {(int(m.group(1)), int(m.group(2))) for m in _RATIO_RE.finditer(folded)
            if not re.search(r"(?:ngay|thang)\s*$", folded[:m.start()])}


def ratio_rivals(sentence: str, source: str) -> list[str]:
    """Ratios of ``sentence`` the source gives with one term changed ("34/34" where it says "32/34"): the
    model copied a neighbouring figure. A ratio the source words otherwise ("32 trên 34") is left to the numbers."""
    theirs = ratios(source)
    day_months = {(d, m) for d, m, _ in dates(source)}
    return [f"{a}/{b}" for a, b in sorted(ratios(sentence))
            if (a, b) not in theirs and (a, b) not in day_months and any(a == x or b == y for x, y in theirs)]


_BOUND_WORDS = {"đủ", "từ", "trên", "dưới", "quá", "tối", "đa", "thiểu"}
_BOUND_LABELS = {"tro len", "tro xuong"}
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_BREAK_RE = re.compile(r"[,;:.()\[\]\n!?]")
_BREAK_WORDS = {"và", "còn", "nhưng", "song", "hoặc", "gồm"}


def _tokens(text: str) -> list[tuple[str, int, int, bool]]:
    """(word, start, end, break before) of each word or number, lower-case NFC."""
    out, last = [], 0
    for m in _TOKEN_RE.finditer(text):
        word = m.group(0)
        out.append((word, m.start(), m.end(), bool(_BREAK_RE.search(text[last:m.start()])) or word in _BREAK_WORDS))
        last = m.end()
    return out


def bindings(text: str, label_ok: Callable[[str], bool]) -> list[tuple[Quantity, set[str]]]:
    """Each measured quantity with the two-word labels right before the number and right after its unit, in
    its clause: "có mặt 23 đồng chí" binds 23 people to "có mặt". ``label_ok`` keeps only labels that say
    something (not "trong thời hạn")."""
    text = nfc(text).lower()
    folded = fold(text)
    tokens = _tokens(text)
    out: list[tuple[Quantity, set[str]]] = []
    shared: dict[str, set[str]] = {}  # the last label before a figure of each unit, for one joined by "và"
    for q in quantities(text):
        if q.unit is None:
            continue
        index = next((i for i, t in enumerate(tokens) if t[1] <= q.start < t[2]), None)
        if index is None:
            continue
        end = index
        while end + 1 < len(tokens) and not tokens[end + 1][3] and (
                tokens[end + 1][0] in _NUMBER_WORDS or tokens[end + 1][0][0].isdigit()):
            end += 1
        unit = _UNIT_RE.match(folded, tokens[end][2])
        after_at = unit.end() if unit else tokens[end][2]
        before: list[str] = []
        i = index
        joined = False
        while len(before) < 2 and i > 0 and not tokens[i][3]:
            i -= 1
            word = tokens[i][0]
            if word[0].isdigit() or word in _NUMBER_WORDS or word in _BREAK_WORDS:
                joined = not before and word in ("và", "hoặc")
                break
            if not before and word in _BOUND_WORDS:
                continue  # "công dân đủ 21 tuổi": the bound is read apart, the label is "công dân"
            before.insert(0, word)
        after: list[str] = []
        for word, start, _, brk in tokens:
            if start < after_at:
                continue
            if brk or word[0].isdigit() or word in _BREAK_WORDS:
                break
            after.append(word)
            if len(after) == 2:
                break
        labels = {" ".join(fold(w) for w in side) for side in (before, after) if side}
        labels = {label for label in labels if label_ok(label) and label not in _BOUND_LABELS}
        if joined and q.unit in shared:  # "đủ 18 tuổi … và đủ 21 tuổi": both are said of "công dân"
            labels |= shared[q.unit]
        elif before:
            shared[q.unit] = {" ".join(fold(w) for w in before)}
        out.append((q, labels))
        numerator = re.search(r"(\d+)\s*/\s*$", text[:q.start])
        if numerator:  # "25/28 đảng viên đã kích hoạt": the count is bound where its total is
            out.append((Quantity(float(numerator.group(1)), q.unit, numerator.start(1)), labels))
    return out


# -- which side of a figure ---------------------------------------------------------
# Words right before a number that make it an upper bound ("không quá 30 ngày", "dưới 06 tháng") or a lower
# bound ("ít nhất 95%", "trên 80%"); "trở lên" / "trở xuống" after the unit. Read on accented text: "đủ" is
# not "dự".
_UPPER = ("không quá", "không vượt quá", "tối đa", "chậm nhất", "không chậm hơn", "không nhiều hơn", "không muộn hơn",
          "dưới", "chưa đủ", "chưa tới", "chưa đến", "ít hơn", "không đủ", "không đến", "không tới")
_LOWER = ("ít nhất", "tối thiểu", "không ít hơn", "không dưới", "không sớm hơn", "trên", "hơn", "nhiều hơn", "đủ",
          "vượt", "quá", "vượt quá")  # "không được vượt quá 20%" is "không" over "vượt quá": an upper bound
# "chậm nhất 03 ngày trước ngày sinh hoạt" is at least three days before it: a latest time bounds an offset
# before an event from below, one after an event ("sau", "kể từ") from above; alone it says neither.
_LATEST = ("chậm nhất", "không chậm hơn", "không muộn hơn")
_BOUND_BEFORE = re.compile(r"(?<![^\W_])(không (?:được |phải )?)?("
                           + "|".join(sorted(map(re.escape, _UPPER + _LOWER), key=len, reverse=True))
                           + r")\s+(?:là\s+|có\s+)?$")
_AFTER_EVENT = re.compile(r"\s*(?:sau|kể từ)(?![^\W_])")
_BOUND_AFTER = re.compile(r"\s*(trở lên|trở xuống|trước)(?![^\W_])")


def _number_end(text: str, start: int) -> int:
    """Where the number starting at ``start`` ends: "100.000", "ba mươi"."""
    digits = re.match(r"\d[\d.,]*(?<![.,])", text[start:])
    if digits:
        return start + digits.end()
    end = start
    for word in _WORD_RE.finditer(text, start):
        if word.group(0) not in _NUMBER_WORDS or text[end:word.start()].strip():
            break
        end = word.end()
    return end


def bounds(text: str) -> list[tuple[Quantity, str]]:
    """Measured quantities stated as a bound: ("upper" or "lower"). "từ 80 điểm trở lên" is lower,
    "không quá 05 ngày làm việc" upper; a figure stated plainly is not listed."""
    text = nfc(text).lower()
    folded = fold(text)
    out = []
    for q in quantities(text):
        unit = _UNIT_RE.match(folded, _number_end(text, q.start))
        if unit is None:
            continue
        q = Quantity(q.value, q.unit or _EQUIVALENT_UNITS.get(unit.group(1), unit.group(1)), q.start)
        before = _BOUND_BEFORE.search(text, 0, q.start)
        after = _BOUND_AFTER.match(text, unit.end())
        side = ""
        if after and after.group(1) != "trước":
            side = "lower" if after.group(1) == "trở lên" else "upper"
        elif before:
            upper: bool | None = before.group(2) in _UPPER
            if before.group(1) and not before.group(2).startswith("không"):
                upper = not upper  # "không được ít hơn 120 phút"
            if before.group(2) in _LATEST:  # "chậm nhất một ngày" alone may mean before or after
                upper = not after if after or _AFTER_EVENT.match(text, unit.end()) else None
            side = "" if upper is None else "upper" if upper else "lower"
        if side:
            out.append((q, side))
    return out


def bound_conflicts(sentence: str, source: str) -> list[str]:
    """Figures the sentence bounds on the other side than the source: "ít nhất 30 ngày" for "không quá 30 ngày"."""
    theirs = bounds(source)
    wrong = []
    for q, side in bounds(sentence):
        sides = {s for p, s in theirs if p.value == q.value and p.unit == q.unit}
        if sides and side not in sides:
            wrong.append(f"{q.value:g} {q.unit} ({'tối đa' if side == 'upper' else 'tối thiểu'})")
    return wrong


# -- before or after ----------------------------------------------------------------
_TIME_UNITS = {"ngay", "ngay lam viec", "thang", "nam", "tuan", "gio", "phut", "quy"}
_SPAN_SIDE = re.compile(r"\s*(trước|sau|kể từ)(?![^\W_])")
_DATE_SIDE = re.compile(r"(?<![^\W_])(kể từ|bắt đầu từ|từ|sau|trước|đến|tới|chậm nhất|hạn chót|hạn)\s+(?:là\s+)?"
                        r"(?:ngày\s+|tháng\s+)?$")
_FROM = {"kể từ", "bắt đầu từ", "từ", "sau"}


def time_sides(text: str) -> list[tuple[tuple[float, ...], str]]:
    """Which side of a point in time the text puts things: ("from" or "by") for a date ("từ ngày 01/02/2026",
    "trước ngày 30/6/2026"), ("after" or "before") for a span ("03 ngày trước ngày sinh hoạt", "30 ngày kể
    từ ngày thông báo"). Keys: (day, month, year) for a date, (value, unit code) for a span."""
    text = nfc(text).lower()
    folded = fold(text)
    out: list[tuple[tuple[float, ...], str]] = []
    taken: list[tuple[int, int]] = []
    for form in _DATE_FORMS:
        for m in form.finditer(folded):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            side = _DATE_SIDE.search(text, 0, m.start() + (len("ngay ") if folded.startswith("ngay", m.start()) else 0))
            if side:
                parts = m.groupdict()
                key = (float(parts.get("d") or 0), float(parts.get("m") or 0), float(parts.get("y") or 0))
                out.append((key, "from" if side.group(1) in _FROM else "by"))
    for q in quantities(text):
        unit = _UNIT_RE.match(folded, _number_end(text, q.start))
        if unit is None or unit.group(1) not in _TIME_UNITS or any(s <= q.start < e for s, e in taken):
            continue
        side = _SPAN_SIDE.match(text, unit.end())
        if side:
            out.append(((q.value, float(_TIME_UNITS_ORDER.index(unit.group(1)))),
                        "before" if side.group(1) == "trước" else "after"))
    return out


_TIME_UNITS_ORDER = sorted(_TIME_UNITS)


def side_conflicts(sentence: str, source: str) -> list[str]:
    """Dates and spans the sentence puts on the other side than the source: "từ ngày 30/6" for "trước ngày
    30/6", "03 ngày sau" for "03 ngày trước"."""
    theirs = time_sides(source)
    wrong = []
    for key, side in time_sides(sentence):
        if len(key) == 3:
            day = (int(key[0]), int(key[1]), int(key[2]))
            sides = {s for k, s in theirs if len(k) == 3 and date_supported(day, {(int(k[0]), int(k[1]), int(k[2]))})}
        else:
            sides = {s for k, s in theirs if k == key}
        if sides and side not in sides:
            wrong.append(f"{'/'.join(str(int(x)) for x in key if x)} ({side})" if len(key) == 3
                         else f"{key[0]:g} {_TIME_UNITS_ORDER[int(key[1])]} ({side})")
    return wrong


def figures(text: str) -> set[str]:
    """Every number ``text`` gives, in figures or in words, as plain digits without leading zeros: "05 ngày"
    and "năm ngày" both give "5", "100.000 đồng" and "một trăm nghìn đồng" "100000", a date its parts. What a
    rewrite may not add to its source (a number in words must equal one of the source's)."""
    out = {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}
    out |= {f"{q.value:g}" for q in quantities(text)}
    out |= {str(part) for date in dates(text) for part in date if part}
    return out
