"""Word documents (.docx).

The body is walked in XML order so tables stay where they were written
(python-docx's ``paragraphs`` and ``tables`` lists lose the interleaving).
Headers, footers, footnotes and comments are not part of the body and are
left out on purpose: page furniture would pollute quotes and search.

A file that cannot be read is refused with a Vietnamese reason (empty, not a
Word package, password protected or an old .doc renamed, damaged, too large);
the library's English text goes to the log.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import XMLSyntaxError

from assistant.errors import IngestError
from assistant.ingest.loaders.files import read_source, require_bytes, require_text, single_page
from assistant.ingest.loaders.numbering import Numbering
from assistant.records import LoadedText
from assistant.text.vietnamese import clean_text

log = logging.getLogger(__name__)

# document.xml of a 1,000-page document is ~20 MB; far beyond that is a zip bomb.
MAX_DOCUMENT_XML_BYTES = 500 * 1024 * 1024
_DOC_HINT = "nếu là tệp Word cũ (.doc) hãy mở bằng Word/LibreOffice và lưu lại dạng .docx"
# An OLE2 compound file: what Word writes for a password-protected .docx, and what an old .doc is.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "t"
_TABS = frozenset({_W + "tab", _W + "ptab"})
_BREAKS = frozenset({_W + "br", _W + "cr"})
_NO_BREAK_HYPHEN = _W + "noBreakHyphen"
_TEXT_BOX = _W + "txbxContent"
# Subtrees that are not visible text: deleted or moved-away revisions,
# property blocks, and the VML copy Word keeps of every text box.
_HIDDEN = frozenset({_W + "del", _W + "moveFrom", _W + "pPr", _W + "rPr", _W + "sdtPr", _MC_FALLBACK})
# Content controls and custom XML wrap ordinary blocks, rows or cells.
_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml"})


def load_docx(path: Path) -> LoadedText:
    """A Word document as text, paragraphs and tables in body order, list numbers spelled out."""
    data = require_bytes(read_source(path), "DOCX")
    document = _open(data)
    numbering = Numbering(_part_element(document.part, "numbering_part"), _styles_element(document))
    walker = _BodyWalker(numbering)
    text = require_text(clean_text("\n".join(_collapse_blank(walker.lines(document.element.body)))))
    return single_page(path, "docx", text)


def _open(data: bytes) -> Any:
    """python-docx Document, with a broken package reported plainly."""
    if data.startswith(_OLE_SIGNATURE):
        raise IngestError("Tệp DOCX được mã hóa/có mật khẩu, hoặc là tệp Word cũ (.doc) bị đổi đuôi thành .docx",
                          hint="hãy mở bằng Word/LibreOffice, gỡ mật khẩu nếu có, rồi lưu lại dạng .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError("Tệp DOCX bị hỏng: không phải tệp nén ZIP hợp lệ", hint=_DOC_HINT) from None
    with archive:
        main = archive.NameToInfo.get("word/document.xml")
        if main is not None and main.file_size > MAX_DOCUMENT_XML_BYTES:
            raise IngestError("Tệp DOCX quá lớn khi giải nén",
                              hint=f"phần nội dung vượt {MAX_DOCUMENT_XML_BYTES // (1024 * 1024)} MB")
    try:
        return docx.Document(io.BytesIO(data))
    except KeyError as exc:
        log.info("DOCX package without a required part: %s", exc)
        # zipfile's sentence is English; the part it names ("word/document.xml") is kept.
        part = re.search(r"'([^'\s]+)'", str(exc.args[0]) if exc.args else "")
        missing = f" ({part.group(1)})" if part else ""
        raise IngestError(f"Tệp DOCX bị hỏng: thiếu thành phần bắt buộc của văn bản Word{missing}",
                          hint=_DOC_HINT) from None
    except (PackageNotFoundError, ValueError, XMLSyntaxError, zipfile.BadZipFile, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:  # the last three: a damaged, odd or encrypted ZIP member
        log.info("unreadable DOCX: %s: %s", type(exc).__name__, exc)
        raise IngestError("Tệp DOCX bị hỏng hoặc không phải văn bản Word", hint=_DOC_HINT) from None


def _part_element(part: Any, name: str) -> Any | None:
    try:
        return getattr(part, name).element
    except (KeyError, NotImplementedError, AttributeError):
        return None  # python-docx raises NotImplementedError when the part is absent


def _styles_element(document: Any) -> Any | None:
    try:
        return document.styles.element
    except (KeyError, AttributeError):
        return None


def _collapse_blank(lines: Iterator[str]) -> Iterator[str]:
    """At most one blank line in a row, none at the start."""
    blank = True
    for line in lines:
        if line.strip():
            blank = False
            yield line
        elif not blank:
            blank = True
            yield ""


class _BodyWalker:
    """Turns body XML into lines: one per paragraph, one per table row."""

    def __init__(self, numbering: Numbering) -> None:
        self._numbering = numbering

    def lines(self, container: Any) -> Iterator[str]:
        for child in container.iterchildren():
            if child.tag == _P:
                yield from self._paragraph(child)
            elif child.tag == _TBL:
                yield from self._table(child)
            elif child.tag in _WRAPPERS:
                yield from self.lines(child)

    def _paragraph(self, p: Any) -> Iterator[str]:
        label, separator = self._numbering.label(p)
        boxes: list[Any] = []
        text = self._inline_text(p, boxes)
        if text.strip():
            yield f"{label}{separator}{text}" if label else text
        elif not boxes:
            yield ""
        for box in boxes:  # text boxes after the paragraph that anchors them
            yield from self.lines(box)

    def _inline_text(self, element: Any, boxes: list[Any]) -> str:
        parts: list[str] = []
        for child in element.iterchildren():
            tag = child.tag
            if tag in _HIDDEN:
                continue
            if tag == _T:
                parts.append(child.text or "")
            elif tag in _TABS:
                parts.append("\t")
            elif tag in _BREAKS:
                parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == _TEXT_BOX:
                boxes.append(child)
            else:  # runs, hyperlinks, fields, insertions, smart tags, drawings
                parts.append(self._inline_text(child, boxes))
        return "".join(parts)

    def _table(self, tbl: Any) -> Iterator[str]:
        for row in _children(tbl, _TR):
            cells = [self._cell_text(tc) for tc in _children(row, _TC)]
            if any(cells):
                yield " | ".join(cells)

    def _cell_text(self, tc: Any) -> str:
        # A cell's paragraphs (and nested tables) share the row's line.
        return " ".join(line.strip() for line in self.lines(tc) if line.strip()).replace("\n", " ")


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Direct children with ``tag``, looking through content controls."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)
