"""What of a document a bulletin may read: its body sentences, its own title, its issuer.

A Party document opens with a header ("ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số 339-QĐ/TW", the place and
date, the type word in capitals, the title, a "-----" rule, "Căn cứ ..." lines) and ends with a
signature ("T/M BỘ CHÍNH TRỊ", "(đã ký)", a name) and its recipients. None of that is read aloud,
nor are section headings in capitals, numbered sub-headings, page numbers, list markers or markup
left by an HTML source. Lines that a PDF wrapped mid-sentence are joined back before the body is
cut into sentences.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from assistant.records import Chunk, DocumentMeta
from assistant.text.references import ISSUER_NAMES, TYPE_NAMES, normalize_number

_TYPE_WORDS = sorted((n.upper() for n in TYPE_NAMES), key=len, reverse=True)
TYPE_LINE = re.compile(r"^(?P<type>" + "|".join(re.escape(w) for w in _TYPE_WORDS) + r")\b\s*(?P<rest>.*)$")
_TAG = re.compile(r"<[^<>]{0,400}>")
_RULE = re.compile(r"^[\s\-–—_*=.·•~]*$")
_PLACE_DATE = re.compile(r"^[^,]{1,40},\s*ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\S+\s*$", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^(?:số|so)\s*:?\s*\S*\d", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:T/M|K/T|T/L|TM\.|KT\.|TL\.|Nơi nhận|\(đã ký\)|\(ký[^)]*\))", re.IGNORECASE)
_PREAMBLE = re.compile(r"^[-–+•]?\s*(?:căn cứ|xét đề nghị|theo đề nghị)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:Điều|Chương|Mục|Phần)\s+[0-9IVXLC]+[.:]?\s*", re.IGNORECASE)
_MARKER = re.compile(r"^(?:[IVXLC]+\s*[-.)]|\d+(?:\.\d+)*\s*[.)-](?!\d)|[a-zđ]\s*\)|[-–+•*])\s*")
_SENTENCE_END = (".", "!", "?", ";", ":", "…")


def strip_markup(text: str) -> str:
    """Text without HTML tags and entities (a document uploaded as HTML may keep some)."""
    return html.unescape(_TAG.sub(" ", text)) if "<" in text or "&" in text else text


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def is_capitals(line: str) -> bool:
    """A line written in capitals: a header or a section heading, not running text."""
    letters = _letters(line)
    return len(letters) >= 2 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _header_end(lines: list[str]) -> int:
    """Index of the first body line: after the type word, the title and the preamble ("Căn cứ ...")."""
    start = None
    for i, line in enumerate(lines[:40]):
        m = TYPE_LINE.match(line)
        if m and (not m.group("rest") or is_capitals(line) or m.group("rest")[:1].islower()):
            start = i + 1
            break
    if start is None:  # no type line: skip the leading header-like lines only
        i = 0
        while i < len(lines) and (_is_header_line(lines[i]) or not lines[i]):
            i += 1
        return i
    i = start
    while i < len(lines) and lines[i] and is_capitals(lines[i]):  # "CỦA BAN BÍ THƯ"
        i += 1
    while i < len(lines) and lines[i] and not _RULE.match(lines[i]) and not _PREAMBLE.match(lines[i]) \
            and not _starts_body(lines[i]):  # the title, possibly wrapped
        i += 1
    return _skip_preamble(lines, i)


def _skip_preamble(lines: list[str], i: int) -> int:
    """Past the rules, "Căn cứ …;" lines (wrapped ones too) and an enacting line in capitals."""
    while i < len(lines):
        line = lines[i]
        if not line or _RULE.match(line) or (is_capitals(line) and line.endswith(":")):
            i += 1
        elif _PREAMBLE.match(line):
            while i < len(lines) and lines[i] and not lines[i].endswith((";", ",", ".", ":")):
                i += 1  # a "Căn cứ" wrapped over several lines
            i += 1
        else:
            break
    return i


def _starts_body(line: str) -> bool:
    return bool(_ARTICLE.match(line) or re.match(r"^[IVXLC]+\s*[-.]\s", line) or
                (line[:1].isupper() and not is_capitals(line) and len(line.split()) > 6 and ends_sentence(line)))


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends a sentence."""
    return line.rstrip().endswith(_SENTENCE_END)


def _is_header_line(line: str) -> bool:
    return bool(_RULE.match(line) or _PLACE_DATE.match(line) or _NUMBER_LINE.match(line) or is_capitals(line)
                or (line.startswith("[") and line.endswith("]")))


def document_lines(chunks: Iterable[Chunk]) -> list[str]:
    """The document's lines in order, markup removed, whitespace tidied."""
    parts: list[str] = []
    covered = -1
    for chunk in sorted(chunks, key=lambda c: (c.ordinal, c.start)):
        text = chunk.text
        exact = chunk.end - chunk.start == len(text)
        if exact and chunk.start < covered:  # overlapping chunks: read the shared part once
            text = text[covered - chunk.start:]
        if exact:
            covered = max(covered, chunk.end)
        parts.append(text)
    text = "\n".join(parts)
    return [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in strip_markup(text).split("\n")]


def body_paragraphs(chunks: Iterable[Chunk]) -> list[str]:
    """The body as paragraphs fit to read: no header, headings, signature, markers, tables or wrapped lines."""
    lines = document_lines(chunks)
    lines = lines[_header_end(lines):]
    # A line as long as the page is wide was wrapped mid-sentence (PDF), however few its words: not a heading.
    lengths = sorted(len(line) for line in lines if line)
    full_width = 0.8 * lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        if _SIGNATURE.match(raw):
            break  # signature and recipients: the body is over
        line = re.sub(r"\*\*|__", "", re.sub(r"^#+\s*", "", raw)).strip().lstrip("\"“'").strip()
        if not line or _RULE.match(line) or " | " in line:
            current = _flush(paragraphs, current)  # a blank line, a rule or a table row ends the paragraph
            continue
        if line.isdigit() or _PLACE_DATE.match(line) or _PREAMBLE.match(line):
            continue  # page numbers, a repeated date line, "Căn cứ ..."
        marker = _ARTICLE.match(line) or _MARKER.match(line)
        text = line[marker.end():].strip() if marker else line
        if not text:
            continue
        opens = bool(marker) or not current or ends_sentence(current)
        short = len(text.split()) < 12 and len(line) < full_width
        if is_capitals(text) or (opens and short and not ends_sentence(text)):
            current = _flush(paragraphs, current)  # a heading ("1. Kết quả đạt được", "I- MỤC ĐÍCH", "Mục tiêu chung")
            continue
        if opens and (marker or text[:1].isupper()):
            current = _flush(paragraphs, current)
        current = f"{current} {text}".strip() if current else text
    _flush(paragraphs, current)
    # "Thực hiện Nghị quyết …; căn cứ …, Ban Chấp hành … ban hành …:" opens a document: what it implements, not what it says.
    return [p for i, p in enumerate(paragraphs) if not (_LEAD_IN.match(p) and (i == 0 or p.endswith(":")))]


_LEAD_IN = re.compile(r"^(?:thực hiện|căn cứ|theo đề nghị|xét đề nghị)\b", re.IGNORECASE)


def _flush(paragraphs: list[str], current: str) -> str:
    if current.strip():
        paragraphs.append(current.strip())
    return ""


def _looks_like_file_name(title: str, meta: DocumentMeta) -> bool:
    stem = meta.source_name.rsplit(".", 1)[0] if meta.source_name else ""
    return bool(title) and (title in (meta.source_name, stem, meta.doc_id)
                            or re.fullmatch(r"[\w.\-]+\.(?:docx?|pdf|html?|txt|md)", title, re.IGNORECASE) is not None
                            or (" " not in title and ("-" in title or "_" in title)))


def document_title(meta: DocumentMeta, chunks: Iterable[Chunk]) -> str:
    """What the document is about, in its own words: the catalog's title unless that is only the type word or
    the file name; then the lines under the type word in the document's header."""
    title = (meta.summary or meta.title or "").strip()
    bare = title.upper().removeprefix("VỀ ").strip() in _TYPE_WORDS or title.lower() == (meta.doc_type or "").lower()
    if title and not bare and not _looks_like_file_name(title, meta):
        return title
    lines = document_lines(chunks)
    for i, line in enumerate(lines[:40]):
        m = TYPE_LINE.match(line)
        if not m:
            continue
        parts = [m.group("rest")] if m.group("rest") and not is_capitals(m.group("rest")) else []
        j = i + 1
        while j < len(lines) and lines[j] and is_capitals(lines[j]) and not parts:
            j += 1  # "CỦA BAN BÍ THƯ"
        while j < len(lines) and lines[j] and not _RULE.match(lines[j]) and not _PREAMBLE.match(lines[j]) \
                and not _ARTICLE.match(lines[j]) and len(parts) < 3:
            parts.append(lines[j])
            j += 1
        found = " ".join(parts).strip()
        if found:
            return found
    return "" if bare or _looks_like_file_name(title, meta) else title


def issuer_of(meta: DocumentMeta, body_names: dict[str, str], spoken_name: object) -> str:
    """The issuing body as said aloud: a known body's name, else the one its number's symbol names
    ("…/VPTW" is the Văn phòng Trung ương), else the header's words in running case."""
    issuer = " ".join((meta.issuer or "").split())
    if issuer.upper() in body_names:
        return body_names[issuer.upper()]
    parsed = normalize_number(meta.number) if meta.number else None
    symbol = getattr(parsed, "issuer", "") or (meta.number.rsplit("/", 1)[-1] if "/" in (meta.number or "") else "")
    if symbol and symbol != "TW" and symbol.endswith("TW") and symbol in ISSUER_NAMES:
        return ISSUER_NAMES[symbol]
    return spoken_name(issuer) if callable(spoken_name) and issuer else issuer
