"""Document identity from the header and title region of a Party or state text.

The layout (Hướng dẫn 36-HD/VPTW) puts the parent body and the issuing body
top left, "ĐẢNG CỘNG SẢN VIỆT NAM" (or the state motto) top right, then the
number, place and date, then the type word in capitals ("QUY ĐỊNH") and the
summary line. Loaders flatten the two header columns in different ways (one
cell per line, tab- or space-separated, Markdown tables), so each line is
split into cells and every field is looked for cell by cell within the first
lines only: a confidentiality word deep in the body must never count.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from assistant.records import DocumentMeta
from assistant.text.references import (
    TYPE_NAMES,
    DocNumber,
    find_numbers,
    fold,
    law_title,
    normalize_number,
    type_name_for,
)
from assistant.text.vietnamese import nfc

HEADER_LINES = 40
SECRECY_LEVELS = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")  # strongest first
LAW_TYPES = frozenset({"luật", "bộ luật", "hiến pháp", "pháp lệnh"})

_CELL_SPLIT = re.compile(r"\t+|\s{2,}|\s*\|\s*")
_SUB_SPLIT = re.compile(r"\s+\*+(?=\s|$)|(?<=\S)\s+(?=(?:\*\*)?Số\s*[:.]?\s*\d)")
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)+")
_MD_NOISE = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)+|\*\*|__")
_SPLIT_HEADS = re.compile(r"(?<![a-z])(?:chi bo|dang uy|dang bo|bo chinh tri|ban bi thu|ban thuong vu|ban chap hanh)"
                          r"(?![a-z])")
_PLACE_WORDS = re.compile(r"(?<![a-z])(?:xa|phuong|tinh|thanh pho|dac khu|ap|thon|khu pho|to dan pho|trung uong"
                          r"|khoi|co quan|truong|cong ty|quan|huyen)(?![a-z])")
_ONLY_MARKS = re.compile(r"^[\s*\-_=~.:|+•]+$")
# Folded type words, longest first ("bo luat" before "luat", "thong tu lien tich" before "thong tu").
_TYPE_WORDS = sorted(((fold(name), name) for name in TYPE_NAMES), key=lambda item: len(item[0]), reverse=True)
_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap", "dang cong san viet nam")
_BODY_HEADS = (
    "ban ", "bo chinh tri", "dang bo", "dang uy", "chi bo", "tinh uy", "thanh uy", "quoc hoi", "chinh phu",
    "uy ban", "van phong", "hoi dong", "dang doan", "ban can su", "doan ", "bo ", "so ", "cong doan", "mat tran",
    "thuong truc", "thu tuong", "chu tich", "toa an", "vien kiem sat", "kiem toan", "hoi ",
)
_SECRECY_CELL = re.compile(r"^(?:(?:độ mật|tài liệu)\s*)?(tuyệt mật|tối mật|mật)$")
_URGENCY = ("khan", "hoa toc", "thuong khan")
_CIRCULATION_CELL = re.compile(r"^(?:tai lieu\s+)?(luu hanh noi bo|khong pho bien)$")
_CIRCULATION = {"luu hanh noi bo": "Lưu hành nội bộ", "khong pho bien": "Không phổ biến"}
_NUMBER_CELL = re.compile(r"^(?:[^\W\d_]+\s+){0,3}so\s*[:.]?\s*\d")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_SLASH = re.compile(r"ngay\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_PASSED = re.compile(r"thong\s+qua\s+ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_SUMMARY_STOP = re.compile(
    r"^(?:can cu|kinh gui|hom nay|vao luc|thoi gian|dia diem|so\b|dieu\s+\d|chuong\s|phan\s+(?:[ivx]+|\d+|thu)\b"
    r"|muc\s+\d|[ivx]+\s*[.\-–]|\d+\s*[.\-–)]|[-+•*]|quoc hoi|de\s|trong\s|tu ngay|ngay\s+\d)"
)
# "Thực hiện Nghị quyết số …, Ban Thường vụ …," opens the preamble, but "Thực hiện Nghị quyết 57-NQ/TW về …" is the
# trích yếu of a plan: a line starting so is a preamble when it reads as the start of a sentence that goes on.
_PREAMBLE_START = re.compile(r"^thuc hien\b")


def _clean(text: str) -> str:
    """Text without Markdown marks."""
    return _MD_NOISE.sub("", text).strip(" \t*")


def _cells(raw: str) -> list[tuple[str, bool]]:
    """Header cells of a raw line with whether each was bold.

    Columns arrive split by tabs, runs of spaces or " | " (Word tables,
    Markdown); a Word cell's paragraphs arrive joined by single spaces, so the
    "*" under the issuer, a "Số ..." and the motto also separate cells.
    """
    out: list[tuple[str, bool]] = []
    for part in _CELL_SPLIT.split(_MD_PREFIX.sub("", raw)):
        for piece in _SUB_SPLIT.split(part):
            bold = "**" in piece or "__" in piece
            cell = _strip_motto(_clean(piece))
            if cell and not _ONLY_MARKS.match(cell):
                out.extend((body, bold) for body in _split_bodies(cell))
    return out


def _split_bodies(cell: str) -> list[str]:
    """"ĐẢNG BỘ XÃ GÒ QUAO CHI BỘ ẤP 3" -> parent and issuer; "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH" stays whole.

    A new body starts at a body word only once the previous name has its
    territorial part (xã, phường, tỉnh, Trung ương, ...).
    """
    if not _is_upper(cell):
        return [cell]
    folded = fold(cell)
    pieces: list[str] = []
    start = 0
    for m in _SPLIT_HEADS.finditer(folded):
        if m.start() > start and _PLACE_WORDS.search(folded, start, m.start()):
            pieces.append(cell[start:m.start()].strip())
            start = m.start()
    pieces.append(cell[start:].strip())
    return [p for p in pieces if p]


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _bare(cell: str) -> str:
    """Folded cell without brackets and decoration, for exact comparisons."""
    return re.sub(r"\s+", " ", re.sub(r"[\[\]()\"“”'*.,;:!–\-]+", " ", fold(cell))).strip()


def _secrecy(cell: str) -> str:
    # Only a cell that *is* the mark counts: "bảo mật", "mật khẩu" or "Mật" in a
    # sentence never do. Compared with diacritics: "MẶT" (face) folds to "mat" too.
    m = _SECRECY_CELL.match(re.sub(r"\s+", " ", re.sub(r"[\[\]()\"“”'*.,;:!–\-]+", " ", cell.lower())).strip())
    return {"tuyệt mật": "TUYỆT MẬT", "tối mật": "TỐI MẬT", "mật": "MẬT"}[m.group(1)] if m else ""


def _strip_motto(cell: str) -> str:
    """Drop the motto when a loader glued the two header columns into one cell."""
    folded = fold(cell)
    for motto in ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc"):
        at = folded.find(motto)
        if at >= 0:
            cell = (cell[:at] + " " + cell[at + len(motto):]).strip(" ,-")
            folded = fold(cell)
    return cell


def _type_word(content: str) -> tuple[str, str] | None:
    """(type name, rest of the line) when ``content`` is a title line in capitals."""
    if not _is_upper(content):
        return None
    folded = fold(content)
    for key, name in _TYPE_WORDS:
        if folded.startswith(key) and (len(folded) == len(key) or not folded[len(key)].isalnum()):
            return name, content[len(key):].strip(" :.-–")
    return None


def _date(folded: str) -> tuple[str, int] | None:
    for pattern in (_DATE_WORDS, _DATE_SLASH):
        m = pattern.search(folded)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                return dt.date(year, month, day).isoformat(), m.start()
            except ValueError:
                continue
    return None


def _place(cell: str, date_at: int) -> str:
    """Capitalised words right before ", ngày": "Gò Quao", "TP. Hồ Chí Minh"."""
    before = cell[:date_at].rstrip(" ,")
    if len(before) == len(cell[:date_at].rstrip()):
        return ""  # no comma: "ngày 10 tháng 7" starts a sentence
    words: list[str] = []
    tokens = before.split()
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i]
        # "Ấp 1", "Quận 3": a number belongs to the capitalised word before it.
        numbered = word.isdigit() and i > 0 and tokens[i - 1][:1].isupper()
        if not (word[:1].isupper() or numbered) or len(words) >= 5:
            break
        words.append(word)
    return " ".join(reversed(words)).strip(" *-")


def _sentence_case_title(type_name: str, summary: str) -> str:
    head = type_name[:1].upper() + type_name[1:]
    if not summary:
        return head
    if _is_upper(summary):
        summary = summary.lower()
    first = summary.split(" ", 1)[0]
    if not (len(first) > 1 and first[1:2].isupper()):  # keep acronyms ("UBND")
        summary = summary[:1].lower() + summary[1:]
    return f"{head} {summary}"


@dataclass
class _Line:
    content: str  # the whole line without Markdown marks
    cells: list[tuple[str, bool]]  # header cells and whether each was bold


def _header_lines(text: str) -> list[_Line]:
    """The first non-empty lines of a document, cleaned and split into cells."""
    lines: list[_Line] = []
    for raw in nfc(text).replace("\r", "").split("\n"):
        content = _clean(raw)
        if content:
            lines.append(_Line(content, _cells(raw)))
            if len(lines) >= HEADER_LINES:
                break
    return lines


_ISSUED_BY = re.compile(r"^(?:CỦA|của)\s+([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s]+?)(?=\s+(?:về|VỀ)\b|$)")


def _summary(lines: list[_Line], start: int) -> list[str]:
    """Trích yếu lines after the type word: one line, or more when wrapped."""
    out: list[str] = []
    for line in lines[start:start + 4]:
        content = line.content
        key = fold(content)
        if _ONLY_MARKS.match(content) or _SUMMARY_STOP.match(key) or _date(key) or len(content) > 200 or _type_word(content):
            break
        if _PREAMBLE_START.match(key) and (out or len(content) > 150 or content.rstrip().endswith((",", ";", ":"))):
            break
        if out:
            wrapped = content[:1].islower() or (_is_upper(out[0]) and _is_upper(content))
            if not wrapped or out[-1].endswith((".", ";", ":")):
                break
        out.append(content)
    return out


def _bodies(cells: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Group header cells into bodies; a wrapped body name continues on the next line."""
    bodies: list[tuple[str, bool]] = []
    for cell, bold in cells:
        key = fold(cell)
        if bodies and not key.startswith(_BODY_HEADS) and len(bodies[-1][0]) < 40:
            name, was_bold = bodies[-1]
            bodies[-1] = (f"{name} {cell}", was_bold or bold)
        else:
            bodies.append((cell, bold))
    return bodies


def extract_metadata(text: str, doc_id: str, *, source_name: str = "") -> DocumentMeta:
    """Number, type, issuer, place, date, title, summary and marks from the header region.

    ``source_name`` (a file name) gives the title when the text has none.
    Fields that cannot be found stay empty.
    """
    meta = DocumentMeta(doc_id=doc_id)
    lines = _header_lines(text)
    if lines and re.fullmatch(r"\[.*\]", lines[0].content) and re.search(r"\bmau\b|sample", fold(lines[0].content)):
        meta.is_sample = True
        lines = lines[1:]
    title_at = next((i for i, line in enumerate(lines) if _type_word(line.content)), -1)
    head_end = title_at if title_at >= 0 else min(len(lines), 12)

    number: DocNumber | None = None
    issuer_cells: list[tuple[str, bool]] = []
    for i, line in enumerate(lines):
        for cell, bold in line.cells:
            key = fold(cell)
            level = _secrecy(cell)
            if level:
                if not meta.secrecy or SECRECY_LEVELS.index(level) < SECRECY_LEVELS.index(meta.secrecy):
                    meta.secrecy = level
                continue
            circ = _CIRCULATION_CELL.match(_bare(cell))
            if circ:
                meta.circulation = meta.circulation or _CIRCULATION[circ.group(1)]
                continue
            if number is None and _NUMBER_CELL.match(key):
                number = normalize_number(cell)
                if number is not None:
                    continue
            date = _date(key)
            if date and not meta.date and i <= head_end + 1:
                meta.date = date[0]
                meta.place = _place(cell, date[1])
                continue
            if i < head_end and _is_upper(cell) and not key.startswith(_MOTTO + _URGENCY) and not _type_word(cell):
                issuer_cells.append((cell, bold))
    if number is None:
        number = _number_in_header(lines[:max(head_end, 1)])

    bodies = _bodies(issuer_cells)
    if bodies:
        bold_at = [i for i, (_, bold) in enumerate(bodies) if bold]
        at = bold_at[-1] if bold_at else len(bodies) - 1
        meta.issuer = bodies[at][0]
        meta.parent_body = bodies[at - 1][0] if at > 0 else ""

    type_name = ""
    if title_at >= 0:
        type_name, rest = _type_word(lines[title_at].content) or ("", "")
        if type_name in LAW_TYPES:
            following = lines[title_at + 1].content if title_at + 1 < len(lines) else ""
            if not rest and type_name != "hiến pháp" and _is_upper(following) and not _type_word(following):
                rest = following
            meta.title = law_title(f"{type_name} {rest}")
        else:
            summary = ([rest] if rest else []) + _summary(lines, title_at + 1)
            meta.summary = " ".join(summary)
            # "NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ / về ...": the "của" line names the issuing body.
            issued_by = _ISSUED_BY.match(meta.summary)
            if issued_by:
                meta.issuer = issued_by.group(1).strip()
                meta.summary = meta.summary[issued_by.end(1):].strip()
            meta.title = _sentence_case_title(type_name, meta.summary)

    if number is not None:
        meta.number = number.canonical
        meta.type_code = number.type_code
    if type_name:
        meta.doc_type = type_name
        meta.type_code = meta.type_code or TYPE_NAMES.get(type_name, "")
    elif number is not None:
        meta.doc_type = number.doc_type or type_name_for(number.type_code, number.style)

    if not meta.date:
        _fallback_date(meta, text, lines)
    if not meta.title and source_name:
        _title_from_name(meta, source_name)
    return meta


def _number_in_header(lines: list[_Line]) -> DocNumber | None:
    """A full number alone in a short header cell ("57-NQ/TW"), not inside "Căn cứ ..."."""
    for line in lines:
        for cell, _ in line.cells:
            if len(cell) > 40 or fold(cell).startswith("can cu"):
                continue
            found = find_numbers(cell)
            if found and "/" in found[0][1].canonical:
                return found[0][1]
    return None


def _fallback_date(meta: DocumentMeta, text: str, lines: list[_Line]) -> None:
    for line in lines:
        date = _date(fold(line.content))
        if date:
            meta.date = date[0]
            return
    # Laws carry their date in the closing line: "... thông qua ngày 15 tháng 11 năm 2010."
    passed = list(_PASSED.finditer(fold(nfc(text[-3000:]))))
    if passed:
        day, month, year = (int(g) for g in passed[-1].groups())
        with contextlib.suppress(ValueError):  # a typo in the closing line: leave the date empty
            meta.date = dt.date(year, month, day).isoformat()


def _title_from_name(meta: DocumentMeta, source_name: str) -> None:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", nfc(source_name)).strip()
    folded = fold(stem)
    for key in ("bo luat", "luat", "hien phap", "phap lenh"):
        if folded.startswith(key + " ") or folded == key:
            meta.title = law_title(stem)
            meta.doc_type = meta.doc_type or {"bo luat": "bộ luật", "luat": "luật", "hien phap": "hiến pháp",
                                              "phap lenh": "pháp lệnh"}[key]
            return
    meta.title = stem
