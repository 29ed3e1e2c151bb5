"""From tesseract's TSV words to the lines of a page: specks, stamps and signatures dropped, misread markers fixed.

Split from :mod:`assistant.ingest.ocr` (which runs tesseract on pages); nothing here calls a program.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LOW_CONFIDENCE = 60.0  # pages under this mean word confidence are listed as warnings


@dataclass(frozen=True)
class OCRPage:
    """What OCR made of one page."""

    text: str  # NFC, one line per printed line, garbage lines dropped
    confidence: float | None  # mean word confidence 0-100 of the kept words; None without words
    words: int
    turned: int = 0  # degrees the page was turned counter-clockwise to read it (0, 90, 180, 270)
    skew: float = 0.0  # degrees of skew corrected
    error: str = ""  # why the page could not be read ("" when it was)
    cached: bool = False


@dataclass(frozen=True)
class Word:
    """One word of tesseract's TSV: its line (block, paragraph, line), text and confidence."""

    line: tuple[int, int, int]
    text: str
    confidence: float


# -- from TSV words to lines ------------------------------------------------------------

# Mean word confidence and letter share of lines kept; stamps, signatures and
# specks read as short symbol soup at low confidence.
_MIN_LINE_CONFIDENCE = 35.0
_SOUP_CONFIDENCE = 65.0
_MIN_ALNUM_SHARE = 0.6
# A word of punctuation alone below this is a speck ("_", "`", ".."); real
# dashes and quotes read at 80 and more.
_MIN_PUNCTUATION_CONFIDENCE = 60.0
# Noise read as punctuation stuck before a line-start marker: "-1.", "'2.", "_a)".
_SPECK_BEFORE_MARKER = re.compile(r"^[-–—_.,'`‘’\"~:;•*|]+(?=(?:\d{1,3}[.)]|[a-zđ]\)))")
# Signs no Vietnamese document prints as a word of their own: a speck read
# at any confidence ("ˆ", "¬", "_" at a line end).
_JUNK = frozenset("ˆ¬_`~|¡¿‹›^¨´¸°")
# Punctuation alone before a heading ("- Điều 10.", ".. Điều 4."): a speck
# in the margin, since headings are never bulleted.
_SPECK_WORD = re.compile(r"^[-–—_.,…'`‘’\"~:;•*|ˆ¬]+$")
_HEADING_WORDS = frozenset({"Điều", "ĐIỀU", "Chương", "CHƯƠNG", "Mục", "MỤC", "Phần", "PHẦN"})
# "1," "2;" "3:" at a line start before a capital is a clause number "1." misread.
_MISREAD_CLAUSE = re.compile(r"^(\d{1,3})[,;:]$")
# "Điều" with its tone or hook misread ("Điểu 5.", bold type at 150 dpi),
# before an article number: only ever an article heading at a line start.
# Capitalised only: a lower-case "điều 5" wrapped to a line start is a reference.
_MISREAD_DIEU = re.compile(r"^[ĐDÐ](?:[iíìỉ][ềểếệêeẽẹễ]u|[IÍÌỈ][ỀỂẾỆÊEẼẸỄ]U)$")
# The number after it, perhaps with a speck read as punctuation ("7?.", "12'.").
_ARTICLE_NUMBER = re.compile(r"^(?P<n>\d{1,4}[a-z]?)(?P<punct>[^\w\s]{0,3})$")
# Tesseract's Vietnamese model sometimes answers with Icelandic eth for đ/Đ.
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})


def parse_tsv(tsv: str) -> list[Word]:
    """Word rows (level 5) of tesseract's TSV output, in reading order."""
    words: list[Word] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            words.append(Word((int(cols[2]), int(cols[3]), int(cols[4])), text, float(cols[10])))
        except ValueError:
            continue
    return words


def _speck(word: Word) -> bool:
    if all(ch in _JUNK for ch in word.text):  # "ˆ" counts as a letter for str.isalnum
        return True
    return word.confidence < _MIN_PUNCTUATION_CONFIDENCE and not any(ch.isalnum() for ch in word.text)


def _keep_line(words: list[Word]) -> bool:
    joined = "".join(word.text for word in words)
    alnum = sum(ch.isalnum() for ch in joined)
    if alnum == 0:
        return False
    confidence = sum(word.confidence for word in words) / len(words)
    if confidence < _MIN_LINE_CONFIDENCE:
        return False
    if confidence < _SOUP_CONFIDENCE and alnum / len(joined) < _MIN_ALNUM_SHARE:
        return False
    # A lone scribble ("Vv", "J") where a signature was.
    return not (len(words) == 1 and alnum <= 2 and confidence < LOW_CONFIDENCE)


def _fix_line(texts: list[str]) -> list[str]:
    first = _SPECK_BEFORE_MARKER.sub("", texts[0])
    texts = [first, *texts[1:]] if first else texts[1:]
    if len(texts) > 2 and _SPECK_WORD.match(texts[0]) and (
        texts[1] in _HEADING_WORDS or _MISREAD_DIEU.match(texts[1])
    ) and texts[2][:1].isalnum():
        texts = texts[1:]
    if len(texts) > 1 and (match := _MISREAD_CLAUSE.match(texts[0])) and texts[1][:1].isupper():
        texts = [f"{match.group(1)}.", *texts[1:]]
    number = _ARTICLE_NUMBER.match(texts[1]) if len(texts) > 1 else None
    if number and (texts[0] in ("Điều", "ĐIỀU") or _MISREAD_DIEU.match(texts[0])):
        punct = number.group("punct")
        # "7?." is "7." with a speck; "8," stays: "Điều 8, 9 và 10" is a reference.
        if len(punct) > 1 and punct[-1] in ".:":
            punct = punct[-1]
        texts = ["ĐIỀU" if texts[0].isupper() else "Điều", number.group("n") + punct, *texts[2:]]
    return texts


def assemble(words: Iterable[Word]) -> OCRPage:
    """Lines of text from TSV words, garbage lines dropped, with mean confidence."""
    from assistant.text.vietnamese import clean_text

    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    kept: list[str] = []
    confidences: list[float] = []
    for words_read in lines.values():
        line_words = [word for word in words_read if not _speck(word)]
        if not line_words or not _keep_line(line_words):
            continue
        texts = _fix_line([word.text.translate(_ETH) for word in line_words])
        if texts:
            kept.append(" ".join(texts))
            confidences.extend(max(0.0, word.confidence) for word in line_words)
    text = "\n".join(line.strip() for line in clean_text("\n".join(kept)).split("\n")).strip()
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return OCRPage(text, mean, len(confidences))
