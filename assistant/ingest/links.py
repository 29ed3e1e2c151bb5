"""Relations from a document to the documents it names.

"Căn cứ ..." -> based_on, "Thực hiện Nghị quyết ..." -> implements,
"... thay thế Quy định số ..." or "Quy định số ... hết hiệu lực" -> replaces,
"bãi bỏ" -> repeals, "sửa đổi, bổ sung" -> amends; any other number is a
mention. The relation is decided within the sentence (or list item) holding
the number: the keyword nearest before it wins, a "Căn cứ" opening governs the
whole sentence, and a passive phrase after the number ("... hết hiệu lực")
counts when nothing came before.
"""

from __future__ import annotations

import re

from assistant.records import DocumentLink
from assistant.text.references import DocNumber, find_numbers, fold, normalize_number
from assistant.text.vietnamese import nfc

RELATIONS = ("replaces", "repeals", "amends", "implements", "based_on", "mentions")  # strongest first

_BEFORE = [
    (re.compile(r"(?<![a-z])can cu(?![a-z])"), "based_on"),
    (re.compile(r"(?<![a-z])(?:thuc hien|trien khai|cu the hoa)(?![a-z])"), "implements"),
    (re.compile(r"(?<![a-z])thay the(?![a-z])"), "replaces"),
    (re.compile(r"(?<![a-z])bai bo(?![a-z])"), "repeals"),
    (re.compile(r"(?<![a-z])(?:sua doi(?:\s*,?\s*(?:va\s+)?bo sung)?|dinh chinh)(?![a-z])"), "amends"),
]
_AFTER = [
    (re.compile(r"(?<![a-z])(?:het hieu luc|duoc thay the|bi thay the)(?![a-z])"), "replaces"),
    (re.compile(r"(?<![a-z])(?:bi bai bo|duoc bai bo)(?![a-z])"), "repeals"),
    (re.compile(r"(?<![a-z])(?:duoc sua doi|bi sua doi)(?![a-z])"), "amends"),
]
# Sentence or list-item boundaries: a full stop / semicolon before a space, a
# blank line, or a new line that opens a bullet, a numbered item or a "Căn cứ".
_BOUNDARY = re.compile(r"[.;!?](?=\s|$)|\n\s*\n|\n(?=\s*(?:[-–+•*]|can cu|thuc hien|\d+[.)]\s|[a-z]\)\s))")
# Heading lines ("Điều 10. Hiệu lực thi hành") are sentences of their own.
_HEADING_LINE = re.compile(r"(?m)^[ \t#*]*(?:dieu\s+\d+[a-z]?|chuong\s+[ivxlc\d]+|muc\s+\d+)(?![a-z0-9])[^\n]*$")
_PASSIVE = re.compile(r"(?:duoc|bi)\s+$")
_LEADING = re.compile(r"^[\s\-–+•*]*")
_HEADER_NUMBER = re.compile(r"^\s*(?:(?:bo\s+)?luat\s+)?so\s*[:.]?\s*\d")


def _own(text: str, own_number: str) -> DocNumber | None:
    if own_number:
        return normalize_number(own_number)
    # No number given: the header's "Số ..." line is the document itself.
    for line in text.split("\n")[:15]:
        for cell in re.split(r"\t+|\s{2,}", line):
            if len(cell.strip()) <= 40 and _HEADER_NUMBER.match(fold(cell)):
                found = normalize_number(cell)
                if found is not None:
                    return found
    return None


def _relation(folded: str, sentence_start: int, start: int, end: int, sentence_end: int) -> str:
    opening = _LEADING.sub("", folded[sentence_start:start])
    if opening.startswith("can cu"):
        return "based_on"
    best, best_at = "", -1
    for pattern, relation in _BEFORE:
        for m in pattern.finditer(folded, sentence_start, start):
            # "... đã được sửa đổi, bổ sung theo Luật số X" describes an earlier
            # change: the passive keyword is no action of this document.
            if _PASSIVE.search(folded, max(sentence_start, m.start() - 6), m.start()):
                continue
            if m.start() > best_at:
                best, best_at = relation, m.start()
    if best:
        return best
    for pattern, relation in _AFTER:
        if pattern.search(folded, end, sentence_end):
            return relation
    return "mentions"


def _excerpt(text: str, start: int, end: int, limit: int = 240) -> str:
    fragment = re.sub(r"\s+", " ", text[start:end]).strip(" -–+•*")
    return fragment if len(fragment) <= limit else fragment[:limit].rsplit(" ", 1)[0] + "…"


def extract_links(text: str, own_number: str = "") -> list[DocumentLink]:
    """Links to every other document numbered in ``text``, one per target, strongest relation kept.

    ``own_number`` is the document's own number, never linked; when empty, the
    header's "Số ..." line is taken as the document's own number.
    """
    text = nfc(text)
    folded = fold(text)
    own = _own(text, own_number)
    bounds = sorted({m.end() for m in _BOUNDARY.finditer(folded)}
                    | {p for m in _HEADING_LINE.finditer(folded) for p in (m.start(), m.end())})
    mentions = [(span, doc) for span, doc in find_numbers(text, strict=True) if own is None or not own.matches(doc)]
    # "Nghị quyết 57" and "57-NQ/TW" in one text are one target: the full number.
    full = [doc for _, doc in mentions if doc.issuer]
    links: dict[str, DocumentLink] = {}
    order: list[str] = []
    b = 0
    for (start, end), doc in mentions:
        if not doc.issuer:
            doc = next((f for f in full if f.matches(doc)), doc)
        while b < len(bounds) and bounds[b] <= start:
            b += 1
        sentence_start = bounds[b - 1] if b else 0
        sentence_end = next((x for x in bounds[b:] if x >= end), len(text))
        relation = _relation(folded, sentence_start, start, end, sentence_end)
        target = doc.canonical
        link = DocumentLink(relation, target, _excerpt(text, sentence_start, sentence_end))
        if target not in links:
            links[target] = link
            order.append(target)
        elif RELATIONS.index(relation) < RELATIONS.index(links[target].relation):
            links[target] = link
    return [links[t] for t in order]
