"""The head of the minutes from notes: cell, parent body, number, kind, date, times and place.

Cell and parent names are taken whole from the header lines: "CHI BỘ PHÒNG KINH
TẾ, HẠ TẦNG VÀ ĐÔ THỊ - ĐẢNG BỘ PHƯỜNG LONG PHƯỚC", "CB Khoa Nội - Trung tâm Y tế
khu vực Châu Thành, họp tháng 11/2026", 'Zalo nhóm "Chi bộ ấp Bình Hòa 2"'. A part
after a hyphen belongs to the name unless it is the parent ("Đảng bộ …") or says
what the meeting is ("- sinh hoạt tháng 4/2026"). The place may follow "Địa
điểm:", "ĐĐ:" or "tại", or stand as its own part of the time line ("15h ngày
22/5/2026, phòng họp số 2"). The start time prefers "bắt đầu"/"khai mạc" to an
invitation ("19h15 bắt đầu nha" still counts; "họp lúc 19h nhé" gives way to
"bắt đầu họp lúc 19h05"); the end time follows "kết thúc"/"bế mạc".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.lines import NoteLine

HEAD_LINES = 6  # the header is in the first lines of the notes
_CELL_START = re.compile(r"(?:^|(?<=[\s\"“'(\[:\-–]))(?P<mark>chi bo|cb)\s+(?=\S)")
_UNITS = (r"ap|thon|khu pho|kp\d*|khu dan cu|kdc|khu|to dan pho|tdp|xom|ban|buon|bon|plei|lang|soc|phum|khom|"
          r"khoi pho|khoi|cum|truong|co quan|cong an|quan su|phong|tram|khoa|van phong|htx|hop tac xa|cong ty|"
          r"benh vien|trung tam|uy ban|doi|so|thi tran|to|lien to|nha may|xi nghiep|doanh nghiep")
_NOT_A_NAME = re.compile(r"(?:thang|dinh ky|thuong ky|bat thuong|chuyen de|tien hanh|hop|sinh hoat|da|co|minh|ta|"
                         r"bat dau|thong nhat|nhat tri|bieu quyet|de nghi|\d)\b")
# Where a cell or parent name stops.
_NAME_END = re.compile(
    r"\s*[-–]\s*(?=(?:dang bo|db)\b)"
    r"|\s*[-–]\s+(?=(?:sinh hoat|shdk|sh|hop|bien ban|ghi|go bang|thang|ngay|tin nhan|copy|dan lai|toi|sang|chieu|"
    r"\d|nhap|quy)\b)"
    r"|\s*,\s*(?=(?:shdk|sh|sinh hoat|hop|thang|ngay|toi|sang|chieu|luc|tu|bien ban|ghi|\d)\b)"
    r"|\s+(?=(?:sinh hoat|hop|shdk|sh|tien hanh|dinh ky|thuong ky|bat thuong|chuyen de|tin nhan)\b|"
    r"(?:thang|ngay|nam|luc|toi|sang|chieu)\s*\d)"
    r"|\s*[:\"”(\[]|(?<!\s[a-z])(?<!\s[a-z]{2})\.(?:\s|$)|\s*$"
)
_PARENT_START = re.compile(r"(?:^|(?<=[-–]\s)|(?<=[-–]))\s*(?P<mark>dang bo|db)\s+(?=xa|phuong|thi tran|[a-z])")
_NUMBER_RE = re.compile(r"(?:^|[\s,;-])so\s*:?\s*(?P<n>\d{1,3})\s*(?:-\s*bb\b|$|\s*[,;.])")
_START_CUE = re.compile(r"bat dau|khai mac")
_TIME_CUE = re.compile(r"thoi gian|\btg\b|vao luc|\bluc\b|hom nay|ngay hop")
_END_CUE = re.compile(r"ket thuc|be mac")
_INVITE = re.compile(r"\bmoi\b|\b(?:nhe|nha|nhen|nghen|ha)\s*(?:[,.!]|$)|\bse\b|\bok\b|du kien")
_PLACE_LABEL = re.compile(r"(?:dia diem(?: hop| sinh hoat| to chuc)?|\bdd)\s*:\s*")
_PLACE_TAI = re.compile(r"(?:^|[\s,])tai\s+(?=\S)")
PLACE_NOUNS = re.compile(r"(?:nha van hoa|nha sinh hoat|nha|hoi truong|phong|van phong|tru so|ban chi huy|uy ban|"
                          r"dinh|chua|truong|hoi quan|tram|p\.)\b")
_TASK_CUE = re.compile(P.GIVE + r"|\bphan cong\b|\btruoc\b|\bthoi han\b|\bhan chot\b|\bhan\s*:")


@dataclass
class Found:
    """A header value, the line it came from and where in the line."""

    value: str
    line: int
    start: int = 0
    end: int = 0


def _head(lines: list[NoteLine]) -> list[NoteLine]:
    return [line for line in lines if not line.blank][:HEAD_LINES]


def _name_end(key: str, pos: int) -> int:
    m = _NAME_END.search(key, pos)
    return m.start() if m else len(key)


def find_cell(lines: list[NoteLine]) -> Found | None:
    """The cell's name as the notes write it, "CB" written out ("Chi bộ …"); None when no header line names it."""
    for line in _head(lines):
        for m in _CELL_START.finditer(line.key):
            mark_text = line.text[m.start("mark"):m.end("mark")]
            if m.group("mark") == "cb" and mark_text != "CB" and not re.match(rf"(?:{_UNITS})\b", line.key[m.end():]):
                continue
            rest = line.key[m.end():]
            upper_first = line.text[m.end():m.end() + 1].isupper() or line.text[m.end():m.end() + 1].isdigit()
            unit = re.match(rf"(?:{_UNITS})\b", rest)
            if (_NOT_A_NAME.match(rest) and not unit) or not (upper_first or unit):
                continue
            end = _name_end(line.key, m.end())
            name = line.text[m.end():end].strip(" ,.;:-–")
            if not name:
                continue
            whole_upper = name.upper() == name
            head = line.text[m.start("mark"):m.end("mark")]
            if m.group("mark") == "cb":
                head = "CHI BỘ" if whole_upper else "Chi bộ"
            elif head[:1].islower():
                head = head[:1].upper() + head[1:]
            return Found(f"{head} {name}", line.no, m.start("mark"), end)
    return None


def find_parent(lines: list[NoteLine]) -> Found | None:
    """The parent Party body from a header line ("ĐẢNG BỘ XÃ …", "… - Đảng bộ phường …", "ĐB PHƯỜNG …")."""
    for line in _head(lines):
        for m in _PARENT_START.finditer(line.key):
            mark_text = line.text[m.start("mark"):m.end("mark")]
            if m.group("mark") == "db" and mark_text not in ("ĐB", "DB"):
                continue
            if m.group("mark") == "db" and re.match(r"\d", line.key[m.end():]):
                continue  # "DB 2": dự bị
            end = _name_end(line.key, m.end())
            name = line.text[m.end():end].strip(" ,.;:-–")
            if not name or len(name.split()) > 8:
                continue
            head = mark_text
            if m.group("mark") == "db":
                head = "ĐẢNG BỘ" if name.upper() == name else "Đảng bộ"
            elif head[:1].islower():
                head = head[:1].upper() + head[1:]
            return Found(f"{head} {name}", line.no, m.start("mark"), end)
    return None


def find_number(lines: list[NoteLine]) -> Found | None:
    """The minutes number ("Số 05-BB/CB", "So: 03-BB/CB") from the header lines."""
    for line in _head(lines):
        m = _NUMBER_RE.search(line.key)
        if m and ("-bb" in line.key[m.start():m.end() + 4] or re.match(r"\s*so\b", line.key)):
            return Found(f"{int(m.group('n')):02d}", line.no, m.start("n"), m.end("n"))
    return None


def find_kind(lines: list[NoteLine], opening: NoteLine | None = None) -> tuple[str, bool, int | None]:
    """(kind, combined with a thematic part, line) from the header lines and the chair's opening words."""
    candidates = _head(lines) + ([opening] if opening else [])
    for line in candidates:
        key = line.key
        if not re.search(r"sinh hoat|\bsh|hop|bien ban|ghi chep|ghi am|go bang|chuyen de|khai mac", key) \
                and not key.startswith("chuyen de"):
            continue
        if "chuyen de" in key and re.search(r"dinh ky|thuong ky|ket hop", key):
            return "regular", True, line.no
        if "chuyen de" in key:
            return "thematic", False, line.no
        if re.search(r"bat thuong|dot xuat", key):
            return "extraordinary", False, line.no
    return "regular", False, None


def find_topic(lines: list[NoteLine]) -> str:
    """The thematic topic of a line "Chuyên đề: …" (quotes removed)."""
    for line in lines:
        m = re.search(r"chuyen de\s*:\s*", line.key)
        if m and line.no <= 12:
            return line.quote(m.end(), len(line.text)).strip(" \"“”.")
    return ""


def find_date(lines: list[NoteLine]) -> Found | None:
    """The meeting's date: the dated line that reads most like the meeting's (cue words, early lines, no task)."""
    best: tuple[int, int, Found] | None = None
    for i, line in enumerate(lines):
        for start, end, value in P.find_dates(line.key):
            if value is None:
                continue
            key = line.key
            meeting_words = re.search(r"sinh hoat|\bhop\b|\bsh\b", key)
            score = 2 if _TIME_CUE.search(key) or _START_CUE.search(key) or meeting_words else 0
            score += 1 if i < HEAD_LINES + 2 else 0
            if _TASK_CUE.search(key) and not (_TIME_CUE.search(key) or _START_CUE.search(key)):
                score -= 3
            if best is None or score > best[0]:
                best = (score, -i, Found(value.isoformat(), line.no, start, end))
            break
    return best[2] if best and best[0] >= 0 else None


def find_month(lines: list[NoteLine]) -> dt.date | None:
    """The first day of the meeting's month when the header gives only month and year ("Tháng 11 năm 2026")."""
    for line in _head(lines):
        m = re.search(r"thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})", line.key)
        if m and 1 <= int(m.group(1)) <= 12:
            return dt.date(int(m.group(2)), int(m.group(1)), 1)
    return None


@dataclass
class Times:
    """Start and end of the meeting with the lines they came from."""

    start: dt.time | None = None
    start_line: int | None = None
    end: dt.time | None = None
    end_line: int | None = None


def find_times(lines: list[NoteLine], meeting_date: dt.date | None) -> Times:
    """Start and end times: ranges ("19h00 - 21h00", "từ … đến …"), cue words, and the meeting's date line."""
    starts: list[tuple[int, int, dt.time, int]] = []
    ends: list[tuple[int, int, dt.time, int]] = []
    for i, line in enumerate(lines):
        key = line.key
        times = P.find_times(key)
        if not times or (_TASK_CUE.search(key) and not (_START_CUE.search(key) or _END_CUE.search(key)
                                                         or _TIME_CUE.search(key))):
            continue
        dated = bool(meeting_date) and any(d[2] == meeting_date for d in P.find_dates(key, meeting_date))
        for j, (pos, end, value) in enumerate(times):
            order = i * 100 + j
            clause = _clause(key, pos, end)
            previous = times[j - 1] if j else None
            sentence = _sentence(key, pos)
            if _END_CUE.search(clause) or _END_CUE.search(sentence[:max(0, pos - sentence_start(key, pos))]):
                ends.append((3, order, value, line.no))
                continue
            if previous and re.fullmatch(r"\s*(?:-|–|den|toi)\s*", key[previous[1]:pos]):
                ends.append((2, order, value, line.no))
                continue
            nxt = times[j + 1] if j + 1 < len(times) else None
            ranged = bool(nxt and re.fullmatch(r"\s*(?:-|–|den|toi)\s*", key[end:nxt[0]]))
            if _START_CUE.search(sentence) or ranged:
                score = 4
            elif _TIME_CUE.search(clause) or _TIME_CUE.search(key[:pos]):
                score = 3
            elif dated or i < HEAD_LINES or re.search(r"sinh hoat|\bhop\b|\bsh\b", key):
                score = 2
            else:
                continue
            if _INVITE.search(sentence):
                score -= 2
            starts.append((score, -order, value, line.no))
    out = Times()
    if starts:
        _, _, out.start, out.start_line = max(starts)
    if ends:
        _, _, out.end, out.end_line = max(ends)
    if out.start and out.end and out.end < out.start and out.end.hour < 12 and out.end.hour + 12 < 24:
        out.end = dt.time(out.end.hour + 12, out.end.minute)
    return out


def _clause(key: str, start: int, end: int) -> str:
    """The comma/semicolon clause of ``key`` around [start, end)."""
    seps = (",", ";", ". ", "|", " - ", " – ")
    left = max(key.rfind(sep, 0, start) + len(sep) - 1 if key.rfind(sep, 0, start) >= 0 else -1 for sep in seps)
    right = min([p for p in (key.find(sep, end) for sep in seps) if p >= 0] or [len(key)])
    return key[left + 1:right]


def sentence_start(key: str, pos: int) -> int:
    """Where the sentence around ``pos`` starts."""
    return max(key.rfind(". ", 0, pos), key.rfind("! ", 0, pos)) + 1


def _sentence(key: str, pos: int) -> str:
    left = max(key.rfind(". ", 0, pos), key.rfind("! ", 0, pos))
    right = key.find(". ", pos)
    return key[left + 1: right if right >= 0 else len(key)]


def find_place(lines: list[NoteLine], meeting_date: dt.date | None) -> Found | None:
    """Where the meeting was held, as written, without "tại"/"Địa điểm:" and trailing punctuation."""
    for line in lines:
        m = _PLACE_LABEL.search(line.key)
        if m and (line.no <= 12 or re.match(r"[\d.\s-]*(?:dia diem|dd)", line.key)):
            found = _place_from(line, m.end())
            if found:
                return found
    for i, line in enumerate(lines):
        key = line.key
        timeish = bool(P.find_times(key)) or bool(P.find_dates(key, meeting_date)) or i < HEAD_LINES
        if not timeish or _TASK_CUE.search(key) and not re.search(r"bat dau|thoi gian|hop", key):
            continue
        m = _PLACE_TAI.search(key)
        if m and (P.find_times(key) or P.find_dates(key, meeting_date) or re.search(r"\bhop\b|sinh hoat", key)):
            found = _place_from(line, m.end())
            if found:
                return found
        if P.find_times(key) or P.find_dates(key, meeting_date):
            for part in re.finditer(r"(?:^|,\s*|\s[-–]\s)(?=\S)", key):
                if PLACE_NOUNS.match(key, part.end()) and not re.match(r"phong (?:chong|ngua)", key[part.end():]):
                    found = _place_from(line, part.end())
                    if found:
                        return found
    return None


def _place_from(line: NoteLine, pos: int) -> Found | None:
    key = line.key
    end = len(key)
    for m in re.finditer(r"[,;(]|\.\s+(?=\S)|\.$|\s[-–]\s|\s+(?=(?:chu tri|ct|thu ky|tk)\s*:)", key[pos:]):
        after = key[pos + m.end():pos + m.end() + 1]
        if m.group(0).startswith(".") and m.group(0).strip() == "." and after and line.text[pos + m.end()].islower():
            continue  # "P. họp": an abbreviation
        end = pos + m.start()
        break
    value = line.text[pos:end].strip(" .,:;")
    if not value or P.find_times(fold_value := line.key[pos:end]) or P.DATE_NUM_RE.search(fold_value):
        return None
    return Found(line.quote(pos, pos + len(line.text[pos:end].rstrip(" .,:;"))), line.no, pos, end)
