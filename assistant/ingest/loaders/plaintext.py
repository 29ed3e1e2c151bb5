"""Plain text and Markdown files."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.ingest.loaders.encoding import decode_text
from assistant.ingest.loaders.files import MAX_TEXT_BYTES, read_source, require_text, single_page
from assistant.records import LoadedText
from assistant.text.vietnamese import clean_text


def load_txt(path: Path) -> LoadedText:
    """A plain text file in any common Vietnamese encoding."""
    text = require_text(_read_text(path)).strip("\n")
    return single_page(path, "txt", text)


def load_markdown(path: Path) -> LoadedText:
    """A Markdown file as plain text (markup removed)."""
    text = require_text(strip_markdown(_read_text(path))).strip("\n")
    return single_page(path, "md", text)


def _read_text(path: Path) -> str:
    decoded = decode_text(read_source(path, max_bytes=MAX_TEXT_BYTES))
    # Text saved by pdftotext separates pages with form feeds and Word's
    # plain-text export writes manual line breaks as vertical tabs;
    # clean_text drops control characters, which would glue words together.
    return clean_text(decoded.text.replace("\f", "\n").replace("\v", "\n"))


# Markdown syntax that would leak into quotes and search text. Each rule
# works inside one line, so line structure (and the numbered clauses the
# structure parser looks for at line starts) is kept.
_LINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$"), r"\1"),  # ATX heading
    (re.compile(r"^ {0,3}#{1,6}[ \t]*$"), ""),  # empty heading
    (re.compile(r"^ {0,3}(?:>[ \t]?)+"), ""),  # block quote
    (re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]+\S.*$"), ""),  # link reference definition
    (re.compile(r"^ {0,3}(?:```|~~~).*$"), ""),  # code fence
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$"), ""),  # thematic break / setext underline
    (re.compile(r"^ {0,3}=+[ \t]*$"), ""),  # setext underline
)
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image: keep alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline link
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference link
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolink
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), r"\1"),
    # Single-star emphasis only; a single underscore is too common in names.
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # backslash escapes ("1\." from converters)
)


def strip_markdown(text: str) -> str:
    """Markdown to plain text, one output line per input line (less table
    delimiter rows)."""
    return "\n".join(_strip_line(line) for line in text.split("\n") if not _table_delimiter(line))


def _table_delimiter(line: str) -> bool:
    """A table's "|---|:--:|" row. Dropped outright: a blank line in its
    place would split the table's rows apart."""
    return "|" in line and "---" in line and set(line) <= set("|:- \t")


def _strip_line(line: str) -> str:
    for pattern, replacement in _LINE_RULES:
        line = pattern.sub(replacement, line)
    for pattern, replacement in _INLINE_RULES:
        line = pattern.sub(replacement, line)
    return line.rstrip()
