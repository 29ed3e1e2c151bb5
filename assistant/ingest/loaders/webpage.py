"""HTML pages saved from a browser or exported by an office suite."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from assistant.ingest.loaders.encoding import Decoded, decode_declared, decode_text
from assistant.ingest.loaders.files import MAX_TEXT_BYTES, read_source, require_text, single_page
from assistant.records import LoadedText
from assistant.text.vietnamese import clean_text

# Content that is never shown as text. <head> is skipped as a whole: its
# <title> repeats the page heading.
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math", "object", "iframe"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def load_html(path: Path) -> LoadedText:
    """A saved web page as its readable text."""
    data = read_source(path, max_bytes=MAX_TEXT_BYTES)
    warnings: list[str] = []
    decoded = _decode(data, warnings)
    text = require_text(clean_text(html_to_text(decoded.text)))
    return single_page(path, "html", text, warnings)


def _decode(data: bytes, warnings: list[str]) -> Decoded:
    """Honour a <meta charset>, unless a BOM says otherwise or it does not fit."""
    match = _META_CHARSET.search(data[:4096])
    if match and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        charset = match.group(1).decode("ascii")
        declared = decode_declared(data, charset)
        if declared is not None:
            return declared
        warnings.append(f"Bảng mã khai báo trong trang ({charset}) không khớp nội dung; đã tự nhận dạng bảng mã")
    return decode_text(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document: blocks on their own lines, table
    cells joined by " | ", entities decoded, scripts and styles dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return parser.text()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skip: list[str] = []  # open skipped elements, innermost last
        self._pre = 0
        self._cells_in_row = 0
        self._cell_depth = 0  # inside a cell, blocks become spaces to keep the row on one line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip.clear()  # an unclosed <head> ends where the body starts
        if tag in _SKIP:
            self._skip.append(tag)
            return
        if self._skip:
            return
        if tag == "tr":
            self._cells_in_row = 0
            self._cell_depth = 0
        if tag in _CELLS:
            if self._cells_in_row:
                self._parts.append(" | ")
            self._cells_in_row += 1
            self._cell_depth += 1
            return
        if tag == "pre":
            self._pre += 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip:
            self._break(tag)

    def _break(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._parts.append(" " if self._cell_depth and tag != "tr" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            if tag in self._skip:
                del self._skip[len(self._skip) - 1 - self._skip[::-1].index(tag) :]
            return
        if self._skip:
            return
        if tag in _CELLS:
            self._cell_depth = max(0, self._cell_depth - 1)
            return
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag == "tr":
            self._cell_depth = 0  # an unclosed <td> ends with its row
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._parts.append(data if self._pre else _SPACES.sub(" ", data))

    def text(self) -> str:
        lines = [line.strip() for line in "".join(self._parts).split("\n")]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip("\n")
