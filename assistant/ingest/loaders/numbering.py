"""Rebuild the labels of Word's automatic numbering ("1.", "a)", "II.").

Word stores a numbered paragraph's label as a reference (numId, ilvl) into
numbering.xml, not as text, so python-docx returns "Phạm vi điều chỉnh"
where the reader sees "1. Phạm vi điều chỉnh". Clauses and points of a
Vietnamese document are often numbered this way, and the structure parser
needs the labels, so we replay Word's counters in document order.

Letters follow the Vietnamese order (a b c d đ e g h i k l m n o p q r s t u
v x y): a Vietnamese document's "lowerLetter" list reads "d), đ), e)", and
that is how its points are cited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from docx.oxml.ns import qn

VIETNAMESE_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
                      "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_BULLET = "-"


@dataclass(frozen=True)
class Level:
    """One level of a Word list definition (w:lvl)."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"  # tab | space | nothing
    restart_after: int | None = None  # w:lvlRestart, 1-based level; None = previous level
    legal: bool = False  # w:isLgl: show every level's counter as decimal ("1.1", not "I.a")


def letters(n: int) -> str:
    """1 -> "a", 5 -> "đ", 24 -> "aa" (Word repeats the letter past the end)."""
    if n < 1:
        return str(n)
    size = len(VIETNAMESE_LETTERS)
    return VIETNAMESE_LETTERS[(n - 1) % size] * ((n - 1) // size + 1)


def roman(n: int) -> str:
    """Upper-case Roman numeral of ``n`` (``n`` itself below 1)."""
    if n < 1:
        return str(n)
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format; unknown formats fall back to decimal."""
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse_level(lvl: Any) -> Level:
    restart = _val(lvl, "w:lvlRestart")
    return Level(
        fmt=_val(lvl, "w:numFmt") or "decimal",
        text=_val(lvl, "w:lvlText") or "",
        start=_int(_val(lvl, "w:start"), 1),
        suffix=_val(lvl, "w:suff") or "tab",
        restart_after=_int(restart, 0) if restart is not None else None,
        legal=lvl.find(qn("w:isLgl")) is not None,
    )


class Numbering:
    """Replays Word's list counters over the paragraphs of one document."""

    def __init__(self, numbering_xml: Any | None, styles_xml: Any | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._num_to_abstract: dict[str, str] = {}
        self._overrides: dict[str, dict[int, int]] = {}  # numId -> {ilvl: start}
        self._level_overrides: dict[str, dict[int, Level]] = {}
        # Counters live on the abstract definition: numIds sharing one continue
        # the same list, as in Word.
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        self._style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self._style_parent: dict[str, str] = {}
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = {_int(lvl.get(qn("w:ilvl")), 0): _parse_level(lvl) for lvl in abstract.iterchildren(qn("w:lvl"))}
            self._abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract_id = _val(num, "w:abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            self._num_to_abstract[num_id] = abstract_id
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                start = _val(override, "w:startOverride")
                if start is not None:
                    self._overrides.setdefault(num_id, {})[ilvl] = _int(start, 1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    self._level_overrides.setdefault(num_id, {})[ilvl] = _parse_level(lvl)

    def _read_styles(self, root: Any) -> None:
        """Paragraph styles can carry numbering ("List Number", numbered headings)."""
        for style in root.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id is None:
                continue
            parent = _val(style, "w:basedOn")
            if parent:
                self._style_parent[style_id] = parent
            ppr = style.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is not None:
                ilvl = _val(numpr, "w:ilvl")
                self._style_numpr[style_id] = (_val(numpr, "w:numId"), int(ilvl) if ilvl else None)

    def _from_style(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self._style_numpr:
                return self._style_numpr[style_id]
            style_id = self._style_parent.get(style_id)
        return None, None

    def label(self, paragraph: Any) -> tuple[str, str]:
        """Advance the counters for a ``w:p`` element and return its visible
        label and the separator that follows it (("", "") when not numbered)."""
        ref = self._reference(paragraph)
        if ref is None:
            return "", ""
        num_id, ilvl = ref
        levels = self._levels(num_id)
        if ilvl not in levels:
            return "", ""
        counters = self._advance(num_id, levels, ilvl)
        level = levels[ilvl]
        if level.fmt == "bullet":
            return _BULLET, " "
        text = level.text
        for i in range(ilvl + 1):
            fmt = "decimal" if level.legal or i not in levels else levels[i].fmt
            value = counters.get(i, levels[i].start if i in levels else 1)
            text = text.replace(f"%{i + 1}", format_number(value, fmt))
        text = text.strip()
        return text, ("" if level.suffix == "nothing" or not text else " ")

    def _reference(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, ilvl) from the paragraph's own numPr, else from its style."""
        ppr = paragraph.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style_num, style_ilvl = self._from_style(_val(ppr, "w:pStyle"))
        num_id = _val(numpr, "w:numId") if numpr is not None else None
        if num_id is None:
            num_id = style_num
        ilvl_text = _val(numpr, "w:ilvl") if numpr is not None else None
        ilvl = int(ilvl_text) if ilvl_text is not None and ilvl_text.isdigit() else (style_ilvl or 0)
        # numId 0 explicitly switches numbering off for this paragraph.
        if not num_id or num_id == "0" or num_id not in self._num_to_abstract:
            return None
        return num_id, ilvl

    def _levels(self, num_id: str) -> dict[int, Level]:
        levels = dict(self._abstract.get(self._num_to_abstract[num_id], {}))
        levels.update(self._level_overrides.get(num_id, {}))
        for ilvl, start in self._overrides.get(num_id, {}).items():
            if ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        return levels

    def _advance(self, num_id: str, levels: dict[int, Level], ilvl: int) -> dict[int, int]:
        counters = self._counters.setdefault(self._num_to_abstract[num_id], {})
        # A numId with a start override restarts its list the first time it is used.
        if num_id not in self._started:
            self._started.add(num_id)
            for level in self._overrides.get(num_id, {}):
                for used in [k for k in counters if k >= level]:
                    del counters[used]
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper, deeper_level in levels.items():
            # w:lvlRestart N: restart only when a level above N is used (0 = never).
            if deeper > ilvl and (deeper_level.restart_after is None or ilvl < deeper_level.restart_after):
                counters.pop(deeper, None)
        return counters
