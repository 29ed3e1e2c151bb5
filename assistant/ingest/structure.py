"""Headings and numbered units of a legal or Party text, with character spans.

Hierarchy and levels: Phần (1) › Chương (2) › Mục (3) › Tiểu mục (4) ›
Điều (5) › khoản (6) › điểm (7). Documents without any "Điều" (guidance,
plans, reports) use roman sections "I-", "II." at level 2, then numbered
items "1.", "1.1.", "1.1.1." one level deeper per dot, then "a)".

The parser works line by line and trusts a line only when it *looks* like a
heading in context: "Điều 8 của Luật này" wrapped to the start of a PDF line
is a cross-reference, a "1." before the first article is a "Căn cứ" list, and
a point letter must continue the a, b, c ... sequence (allowing the usual OCR
confusions such as "©)" for "e)"). Spans index the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.records import StructureUnit
from assistant.text.references import POINT_LETTERS, fold
from assistant.text.vietnamese import nfc

LEVELS = {"phan": 1, "chuong": 2, "section": 2, "muc": 3, "tieumuc": 4, "dieu": 5, "khoan": 6, "diem": 7}

# OCR misreadings of point letters: marker -> letters it may stand for. A
# confusable marker is only accepted when the expected next letter is among them.
OCR_POINT_CONFUSIONS: dict[str, str] = {
    "©": "ce", "@": "a", "à": "a", "á": "a", "ạ": "a", "0": "og", "9": "g", "q": "g", "1": "il", "!": "i",
    "|": "il", "í": "i", "ì": "i", "j": "i", "ð": "đ", "Ð": "đ", "d": "đ", "è": "e", "é": "e", "ẹ": "e",
    "ê": "e", "€": "ec", "c": "e", "e": "c", "o": "a",
}

_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)*")
_MD_ESCAPE = re.compile(r"\\([.)\-*#_\[\]])")
_PHAN = re.compile(r"^(?:PHẦN|Phần)\s+(?P<label>(?:THỨ|[Tt]hứ)\s+[^\W\d_]+|[IVXLC]+|\d{1,2})(?![^\W\d_])"
                   r"\s*(?:[.:\-–]\s*)?(?P<rest>.*)$")
_CHUONG = re.compile(r"^(?:CHƯƠNG|Chương)\s+(?P<label>[IVXLC]+|\d{1,3})(?![\w])\s*(?:[.:\-–]\s*)?(?P<rest>.*)$")
_MUC = re.compile(r"^(?:MỤC|Mục)\s+(?P<label>[IVXLC]+|\d{1,3})(?![\w])\s*(?:[.:\-–]\s*)?(?P<rest>.*)$")
_TIEUMUC = re.compile(r"^(?:TIỂU MỤC|Tiểu mục)\s+(?P<label>\d{1,3})(?![\w])\s*(?:[.:\-–]\s*)?(?P<rest>.*)$")
_DIEU = re.compile(r"^(?:ĐIỀU|Điều)\s+(?P<label>\d{1,4}[a-z]?)(?![\w])(?P<sep>\s*[.:]|\s*[-–]\s|\s*$|\s+)(?P<rest>.*)$")
_ROMAN_SECTION = re.compile(r"^(?P<label>[IVXLC]{1,6})\s*[.\-–/:)]\s*(?P<rest>.*)$")
_LETTER_PART = re.compile(r"^(?P<label>[A-E])\s*[.\-–/]\s+(?P<rest>\S.*)$")
_CLAUSE = re.compile(r"^(?P<n>\d{1,3})(?:\.(?!\d)|\s*[-–](?!\d)|\))\s*(?P<rest>\S.*)$")
_DECIMAL = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3}){1,3})\.?(?:\s+|(?=[^\W\d_]))(?P<rest>\S.*)$")
_ITEM = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\s*[-–]|(?<=\d\.\d)(?=\s)|(?<=\d\.\d\d)(?=\s))"
                   r"\s*(?P<rest>\S.*)$")
_POINT_PAREN = re.compile(r"^(?P<m>[^\s()])\s?\)\s*(?P<rest>\S.*)$")
_POINT_OTHER = re.compile(r"^(?P<m>[a-zđ])\s*[.\-–]\s+(?P<rest>\S.*)$")
# "Điều 15 Luật Đất đai ..." at a line start continues a sentence.
_NAMED_DOCUMENT = re.compile(r"^(?:luat|bo luat|hien phap|dieu le dang)(?![a-z])"
                             r"|^(?:nghi quyet|quy dinh|quyet dinh|chi thi|nghi dinh|thong tu)\s+(?:so\s+)?\d")
# Signature blocks and recipients end the numbered body: a stamp's OCR text or
# a recipients list must not become clauses.
_SIGNATURE = re.compile(r"^(?:T/M|K/T|T/L|TM\.|KT\.|TL\.|Nơi nhận|NƠI NHẬN|\(?Đã ký|CHỦ TỌA$|THƯ KÝ$|"
                        r"(?:PHÓ )?BÍ THƯ$|CHỦ TỊCH QUỐC HỘI$)")
_ORDINALS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
             "muoi": 10}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SENTENCE_END = tuple(".:;!?)”\"*]")


def roman_to_int(roman: str) -> int:
    """"XIV" -> 14; 0 for anything that is not a well-formed roman numeral."""
    total = 0
    values = [_ROMAN.get(ch, 0) for ch in roman.upper()]
    if not values or 0 in values:
        return 0
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and value < values[i + 1] else value
    return total if _int_to_roman(total) == roman.upper() else 0


def _int_to_roman(n: int) -> str:
    out = ""
    for value, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
                       (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


@dataclass
class _Line:
    start: int
    content: str


def _clean(raw: str) -> str:
    # NFC per line: offsets come from the raw lines, so spans stay exact even
    # when a heading arrives decomposed ("Điều" as NFD in real files).
    line = _MD_PREFIX.sub("", nfc(raw.replace("\r", "")))
    line = line.replace("**", "").replace("__", "")
    return _MD_ESCAPE.sub(r"\1", line).strip()


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(pos, _clean(raw)))
        pos += len(raw) + 1
    return out


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


def _article_heading(content: str, prev: str) -> re.Match[str] | None:
    """A "Điều N" line that opens an article, not a wrapped cross-reference."""
    m = _DIEU.match(content)
    if not m:
        return None
    sep, rest = m.group("sep"), m.group("rest").strip()
    if "." in sep or ":" in sep or "-" in sep or "–" in sep:
        return m if not _starts_lower(rest) else None
    if not rest:
        return m
    # "Điều 5 Nguyên tắc ..." without punctuation: only at a sentence boundary
    # and with a capitalised title ("Điều 8 của Luật này" is a reference).
    if not rest[0].isupper() or _NAMED_DOCUMENT.match(fold(rest)):
        return None
    boundary = not prev or prev.endswith(_SENTENCE_END) or _is_upper(prev)
    heading = any(p.match(prev) for p in (_PHAN, _CHUONG, _MUC, _TIEUMUC, _DIEU))
    return m if boundary or heading else None


def _has_articles(lines: list[_Line]) -> bool:
    """Whether the text is organised in articles; otherwise it is a guidance-style text."""
    strong: set[str] = set()
    weak: set[str] = set()
    prev = ""
    for line in lines:
        if line.content:
            m = _article_heading(line.content, prev)
            if m:
                punctuated = m.group("sep").strip() or not m.group("rest").strip()
                (strong if punctuated else weak).add(m.group("label"))
            prev = line.content
    # One punctuated heading ("Điều 9. Mức hỗ trợ") is enough: an excerpt of a
    # single article is still cited by article.
    return bool(strong) or len(weak) >= 2


def _phan_label(label: str) -> str:
    words = label.split()
    if len(words) == 2:
        return f"thứ {words[1].lower()}"
    return label


class _Parser:
    def __init__(self, text: str, lines: list[_Line], legal: bool) -> None:
        self.text = text
        self.lines = lines
        self.legal = legal
        self.units: list[StructureUnit] = []
        self.consumed: set[int] = set()
        self.suspended = False
        self.article: StructureUnit | None = None
        self.clause: StructureUnit | None = None
        self.last_clause = 0
        self.last_decimal = 0
        self.point_parent: StructureUnit | None = None
        self.last_point = ""
        self.items: list[tuple[int, StructureUnit]] = []  # open item path: (number, unit)
        self.last_top_item = 0
        self.last_section = 0
        self.last_part = ""
        self.section_unit: StructureUnit | None = None  # guidance: innermost open section or part

    # -- helpers -------------------------------------------------------------
    def add(self, kind: str, label: str, title: str, start: int, level: int | None = None) -> StructureUnit:
        unit = StructureUnit(kind, label, title.strip(), start, len(self.text), level or LEVELS[kind])
        self.units.append(unit)
        return unit

    def next_content(self, i: int) -> tuple[int, str]:
        for j in range(i + 1, min(i + 4, len(self.lines))):
            if self.lines[j].content:
                return j, self.lines[j].content
        return -1, ""

    def heading_title(self, i: int, rest: str) -> str:
        """Title on the heading line, or on the following capitalised line(s)."""
        if rest:
            return rest
        title: list[str] = []
        j, nxt = self.next_content(i)
        while j >= 0 and len(title) < 3 and self.is_title_line(nxt) and (not title or _is_upper(nxt)):
            title.append(nxt)
            self.consumed.add(j)
            j, nxt = self.next_content(j)
        return " ".join(title)

    def is_title_line(self, content: str) -> bool:
        if len(content) > 200 or content.endswith((".", ";", ",")) or self.looks_numbered(content):
            return False
        return _is_upper(content) or (content[0].isupper() and len(content.split()) <= 15)

    @staticmethod
    def looks_numbered(content: str) -> bool:
        return bool(_DIEU.match(content) or _CHUONG.match(content) or _MUC.match(content) or _PHAN.match(content)
                    or _CLAUSE.match(content) or _DECIMAL.match(content) or _POINT_PAREN.match(content))

    def reset_body(self) -> None:
        self.clause = None
        self.last_clause = 0
        self.last_decimal = 0
        self.point_parent = None
        self.last_point = ""

    def reset_all(self) -> None:
        self.reset_body()
        self.article = None
        self.items = []
        self.suspended = False

    # -- main loop -----------------------------------------------------------
    def run(self) -> list[StructureUnit]:
        prev = ""
        for i, line in enumerate(self.lines):
            content = line.content
            if not content or i in self.consumed:
                if content:
                    prev = content
                continue
            self.line(i, line.start, content, prev)
            prev = content
        self.set_ends()
        return self.units

    def line(self, i: int, start: int, content: str, prev: str) -> None:
        if _SIGNATURE.match(content):
            self.suspended = True
            return
        if self.container(i, start, content):
            return
        if self.legal:
            m = _article_heading(content, prev)
            if m:
                self.reset_all()
                self.article = self.add("dieu", m.group("label"), self.article_title(i, m.group("rest")), start)
                self.point_parent = self.article
                return
        elif self.section(i, start, content):
            return
        if self.suspended:
            return
        if self.point(start, content):
            return
        if self.legal:
            if self.article is not None and not self.decimal(start, content):
                self.legal_clause(start, content)
        else:
            self.item(start, content)

    def container(self, i: int, start: int, content: str) -> bool:
        for kind, pattern in (("phan", _PHAN), ("chuong", _CHUONG), ("muc", _MUC), ("tieumuc", _TIEUMUC)):
            m = pattern.match(content)
            if not m:
                continue
            rest = m.group("rest").strip()
            label = m.group("label")
            if _starts_lower(rest) or rest.startswith(("(", ",")):
                return False  # "Chương II của Luật này" wrapped to the line start
            if label.isalpha() and label.isupper() and not roman_to_int(label) and kind != "phan":
                return False
            if kind == "phan" and label.split()[0].lower() == "thứ" and fold(label.split()[-1]) not in _ORDINALS:
                return False
            self.reset_all()
            title = self.heading_title(i, rest)
            self.add(kind, _phan_label(label) if kind == "phan" else label, title, start)
            return True
        return False

    def article_title(self, i: int, rest: str) -> str:
        title = rest.strip()
        if not title:
            j, nxt = self.next_content(i)
            # "Điều 118.\nMục đích của giao dịch dân sự": a short line without a
            # full stop is the title; "Điều 1.\nNước Cộng hòa ... vùng trời." is body.
            if j >= 0 and nxt[0].isupper() and len(nxt) <= 400 and not nxt.endswith((".", ";", ":", ",")) \
                    and not self.looks_numbered(nxt):
                title = nxt
                self.consumed.add(j)
                i = j
            else:
                return ""
        # A long title wrapped by the PDF continues in lower case.
        j, nxt = self.next_content(i)
        while j >= 0 and _starts_lower(nxt) and not self.looks_numbered(nxt) and len(title) < 300 and j == i + 1:
            title = f"{title} {nxt}"
            self.consumed.add(j)
            i = j
            j, nxt = self.next_content(i)
        return title

    def section(self, i: int, start: int, content: str) -> bool:
        m = _ROMAN_SECTION.match(content)
        if m:
            number = roman_to_int(m.group("label"))
            rest = m.group("rest").strip()
            if number and (number == self.last_section + 1 or (number == 1 and not rest[:1].islower())) \
                    and not _starts_lower(rest):
                self.last_section = number
                self.items = []
                self.reset_body()
                self.suspended = False
                self.section_unit = self.add("section", m.group("label"), self.heading_title(i, rest), start)
                return True
        m = _LETTER_PART.match(content)
        if m and _is_upper(m.group("rest")):
            label = m.group("label")
            expected = chr(ord(self.last_part) + 1) if self.last_part else "A"
            if label == expected:
                self.last_part = label
                self.last_section = 0
                self.items = []
                self.reset_body()
                self.suspended = False
                self.section_unit = self.add("phan", label, m.group("rest"), start)
                return True
        return False

    def point(self, start: int, content: str) -> bool:
        m = _POINT_PAREN.match(content) or _POINT_OTHER.match(content)
        if not m:
            return False
        parent = self.current_point_parent()
        if self.legal and parent is None:
            return False
        if parent is not self.point_parent:
            self.point_parent, self.last_point = parent, ""
        letter = self.point_letter(m.group("m"), strict=m.re is _POINT_OTHER)
        if not letter:
            return False
        self.last_point = letter
        level = parent.level + 1 if parent is not None else 3
        if self.legal:
            level = max(level, LEVELS["diem"])
        self.add("diem", letter, "", start, level)
        return True

    def current_point_parent(self) -> StructureUnit | None:
        if self.legal:
            return self.clause or self.article
        if self.items:
            return self.items[-1][1]
        return self.section_unit

    def point_letter(self, marker: str, *, strict: bool) -> str:
        """The letter a marker stands for if it continues the sequence, else ""."""
        if self.last_point in POINT_LETTERS:  # after a decimal point ("9.1.2") letters restart
            index = POINT_LETTERS.index(self.last_point)
            expected = POINT_LETTERS[index + 1] if index + 1 < len(POINT_LETTERS) else ""
        else:
            index, expected = -1, "a"
        if not expected:
            return ""
        letter = marker.lower() if marker.isupper() and len(marker.lower()) == 1 else marker
        if letter == expected:
            return letter
        if strict:
            return ""
        if letter in POINT_LETTERS and POINT_LETTERS.index(letter) == index + 2:
            return letter  # one point missing (lost line), still in order
        if expected in OCR_POINT_CONFUSIONS.get(marker, ""):
            return expected
        return ""

    def decimal(self, start: int, content: str) -> bool:
        """Party numbering inside an article: "9.3." (clause), "9.3.2." (point)."""
        m = _DECIMAL.match(content)
        if not m or self.article is None:
            return False
        parts = m.group("n").split(".")
        label = m.group("n")
        if parts[0] == self.article.label and len(parts) == 2:
            number = int(parts[1])
            if not (self.last_decimal < number <= self.last_decimal + 2 or number == 1):
                return False
            self.last_decimal = number
            self.clause = self.add("khoan", label, "", start)
            self.point_parent, self.last_point = self.clause, ""
            return True
        if self.clause is not None and ".".join(parts[:-1]) == self.clause.label:
            number = int(parts[-1])
            previous = int(self.last_point.rsplit(".", 1)[-1]) if "." in self.last_point else 0
            if not previous < number <= previous + 2:
                return False  # "1.5 triệu đồng" wrapped to a line start is not point 1.5
            self.last_point = label
            self.add("diem", label, "", start)
            return True
        return False

    def legal_clause(self, start: int, content: str) -> bool:
        m = _CLAUSE.match(content)
        if not m:
            return False
        number = int(m.group("n"))
        if not self.last_clause < number <= self.last_clause + 2:  # one lost clause at most
            return False
        self.last_clause = number
        self.clause = self.add("khoan", str(number), "", start)
        self.point_parent, self.last_point = self.clause, ""
        return True

    def item(self, start: int, content: str) -> bool:
        m = _ITEM.match(content)
        if not m:
            return False
        numbers = [int(p) for p in m.group("n").split(".")]
        depth = len(numbers)
        path = [n for n, _ in self.items]
        if depth == 1:
            n = numbers[0]
            if not (n == 1 or self.last_top_item < n <= self.last_top_item + 2):
                return False
            self.last_top_item = n
        else:
            if path[:depth - 1] != numbers[:-1]:
                return False
            previous = path[depth - 1] if len(path) >= depth else 0
            if not (previous < numbers[-1] <= previous + 2):
                return False
        level = LEVELS["section"] + depth
        unit = self.add("item", m.group("n"), _short_title(m.group("rest")), start, level)
        self.items = [*self.items[:depth - 1], (numbers[-1], unit)]
        self.point_parent, self.last_point = unit, ""
        return True

    def set_ends(self) -> None:
        stack: list[StructureUnit] = []
        for unit in self.units:
            while stack and stack[-1].level >= unit.level:
                stack.pop().end = unit.start
            stack.append(unit)
        for unit in stack:
            unit.end = len(self.text)


def _short_title(rest: str, limit: int = 120) -> str:
    """A guidance item's heading: its first sentence, cut at a word boundary."""
    rest = rest.strip()
    cut = re.split(r"(?<=[.:;])\s", rest, maxsplit=1)[0]
    if len(cut) <= limit:
        return cut.rstrip(".:;")
    return cut[:limit].rsplit(" ", 1)[0] + "…"


def parse_structure(text: str) -> list[StructureUnit]:
    """Headings and numbered units of ``text``, in order, each spanning its whole body.

    ``start`` is the start of the heading line; ``end`` is where the next unit
    of the same or a higher level starts (or the end of the text).
    """
    lines = _lines(text)
    parser = _Parser(text, lines, _has_articles(lines))
    return parser.run()


def count_articles(units: list[StructureUnit]) -> int:
    """How many articles ("Điều") were found."""
    return sum(1 for unit in units if unit.kind == "dieu")
