"""A drafted Party document as data, before it becomes DOCX or Markdown.

Builders (minutes, report) produce a :class:`DraftDocument`; the layout
module renders it to DOCX in the 36-HD/VPTW layout and :func:`to_markdown`
renders it for preview. Missing facts are visible placeholders, collected in
``warnings`` so the user sees what to fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

PLACEHOLDER_RE = re.compile(r"\[chưa có: [^\]]+\]")


def placeholder(label: str) -> str:
    """The visible mark for a missing fact: "[chưa có: label]"."""
    return f"[chưa có: {label}]"


@dataclass
class Header:
    """The 36-HD/VPTW header: parent body, issuing cell, number, place and date."""

    parent: str  # "ĐẢNG BỘ XÃ GÒ QUAO" (not bold)
    issuer: str  # "CHI BỘ ẤP 3" (bold)
    number: str  # "Số 05-BB/CB"
    place_date: str  # "Gò Quao, ngày 05 tháng 03 năm 2026"


@dataclass
class Block:
    """A heading, paragraph, bullet or table of the document body."""

    kind: Literal["heading", "paragraph", "bullet", "table"]
    text: str = ""
    bold: bool = False
    italic: bool = False
    rows: list[list[str]] = field(default_factory=list)  # table: header row first
    level: int = 0  # bullets: 1 = sub-item


@dataclass
class Signature:
    """A signature block: caption, title and name."""

    caption: str  # "T/M CHI BỘ", "CHỦ TRÌ", "THƯ KÝ"
    title: str  # "BÍ THƯ" or ""
    name: str


@dataclass
class DraftDocument:
    """A minutes or report as data: header, title, body blocks, signatures, recipients."""

    kind: str  # minutes | report
    header: Header
    title: str
    summary: str
    blocks: list[Block] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: Literal["heading", "paragraph", "bullet"], text: str, *, level: int = 0,
            bold: bool = False, italic: bool = False) -> None:
        """Append a heading, paragraph or bullet."""
        self.blocks.append(Block(kind, text, bold=bold, italic=italic, level=level))

    def all_text(self) -> str:
        """Every text of the document, one part per line (for checks and search)."""
        parts = [self.header.parent, self.header.issuer, self.header.number, self.header.place_date,
                 self.title, self.summary]
        for block in self.blocks:
            parts.append(block.text)
            parts.extend(" | ".join(row) for row in block.rows)
        for sig in self.signatures:
            parts += [sig.caption, sig.title, sig.name]
        parts += self.recipients
        return "\n".join(p for p in parts if p)

    def placeholders(self) -> list[str]:
        """The distinct placeholders left in the document."""
        return sorted(set(PLACEHOLDER_RE.findall(self.all_text())))


_LOWER_WORDS = {"chi", "bộ", "ấp", "thôn", "khu", "phố", "tổ", "dân", "xóm", "bản", "trường", "khóm", "buôn",
                "làng", "cơ", "quan", "công", "ty", "xã", "phường", "đảng", "ủy"}


def display_name(name: str) -> str:
    """"CHI BỘ ẤP 3" -> "Chi bộ ấp 3"; acronyms without vowels (THCS) stay upper case."""
    words = []
    for i, word in enumerate(name.split()):
        low = word.lower()
        if not any(ch in "aăâeêioôơuưy" for ch in _base(low)):
            words.append(word.upper() if word.isupper() else word)
        elif i > 0 and low in _LOWER_WORDS:
            words.append(low)
        else:
            words.append(low[:1].upper() + low[1:])
    return " ".join(words)


def _base(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).replace("đ", "d")


class Facts:
    """Collects the labels of facts that had to be left as placeholders."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def need(self, value: object, label: str) -> str:
        """``value`` as text, or a placeholder (remembered in ``missing``) when it is empty."""
        if value is None or value == "" or value == []:
            if label not in self.missing:
                self.missing.append(label)
            return placeholder(label)
        return str(value)


def to_markdown(doc: DraftDocument) -> str:
    """Readable preview of the document; layout details are for the DOCX."""
    h = doc.header
    lines = [
        f"| {h.parent} | **ĐẢNG CỘNG SẢN VIỆT NAM** |",
        "|:---:|:---:|",
        f"| **{h.issuer}** | |",
        f"| * | *{h.place_date}* |",
        f"| {h.number} | |",
        "",
        f"## {doc.title}",
        f"**{doc.summary}**" if doc.summary else "",
        "",
    ]
    for block in doc.blocks:
        if block.kind == "heading":
            lines += ["", f"### {block.text}", ""]
        elif block.kind == "bullet":
            lines.append("  " * block.level + f"- {block.text}")
        elif block.kind == "table" and block.rows:
            lines.append("")
            lines.append("| " + " | ".join(block.rows[0]) + " |")
            lines.append("|" + "---|" * len(block.rows[0]))
            lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in block.rows[1:]]
            lines.append("")
        else:
            text = f"**{block.text}**" if block.bold else f"*{block.text}*" if block.italic else block.text
            if lines and lines[-1].lstrip().startswith("- "):
                lines.append("")
            lines += [text, ""]
    lines.append("")
    if doc.signatures:
        lines.append("| " + " | ".join(f"**{s.caption}**" + (f"<br>**{s.title}**" if s.title else "")
                                        for s in doc.signatures) + " |")
        lines.append("|" + ":---:|" * len(doc.signatures))
        lines.append("| " + " | ".join(f"<br><br>**{s.name}**" for s in doc.signatures) + " |")
    if doc.recipients:
        lines += ["", "*Nơi nhận:*"] + [f"- {r}" for r in doc.recipients]
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"
