"""Lines of notes as the extractor reads them.

Each line keeps its original text (what the minutes quote and the UI highlights)
and a working form: the chat stamp and sender of a pasted Zalo message removed,
numbers in words as digits (:mod:`numbers`), and a folded key — lower case,
without diacritics, one character per character — that the patterns match, so
"Có mặt", "co mat", "CÓ MẶT", "có mặt" in decomposed Unicode or with the old
tone placement all read the same. A span of the key is a span of the working
text, and :meth:`NoteLine.quote` maps it back to the original words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.drafting.notes.numbers import digitize, fold
from assistant.text.vietnamese import clean_text

# A pasted chat message: "[19:20] Kim Loan TK: …", "(20:06) Hằng Nga: …", "Nguyen Lan, 19:40: …", "19:40 Lan: …".
_CHAT_PATTERNS = (
    re.compile(r"^\s*[\[(](?P<stamp>\d{1,2}[:h]\d{2})(?::\d{2})?[\])]\s*(?P<sender>[^:\n]{1,40}?)\s*:\s?"),
    re.compile(r"^\s*(?P<sender>[^,:\[\]()\n]{2,40}?),\s*(?P<stamp>\d{1,2}:\d{2})\s*:\s?"),
    re.compile(r"^\s*(?P<stamp>\d{1,2}:\d{2})\s+(?P<sender>[^:\n\d]{2,40}?)\s*:\s?"),
    re.compile(r"^\s*(?P<sender>[^,:\[\]()\n\d]{2,40}?)\s*[\[(](?P<stamp>\d{1,2}:\d{2})[\])]\s*:\s?"),
)


@dataclass
class NoteLine:
    """One line of notes: its number, original text, working text, folded key and chat sender."""

    no: int
    raw: str
    text: str
    key: str
    origin: list[int] = field(default_factory=list)
    sender: str = ""

    def quote(self, start: int, end: int) -> str:
        """The original words behind ``text[start:end]`` (numbers as the secretary wrote them)."""
        start, end = max(0, start), min(end, len(self.text))
        if start >= end:
            return ""
        first = self.origin[start]
        last = self.origin[end - 1]
        return self.raw[first:last + 1].strip()

    @property
    def blank(self) -> bool:
        """True for an empty line."""
        return not self.text.strip()


def chat_prefix(line: str) -> re.Match[str] | None:
    """The stamp-and-sender prefix of a pasted chat message, if ``line`` starts with one."""
    for pattern in _CHAT_PATTERNS:
        m = pattern.match(line)
        if m and not re.search(r"(?i)chủ trì|thư ký|thời gian|địa điểm|bắt đầu|kết thúc", m.group("sender")):
            return m
    return None


def prepare(text: str) -> list[NoteLine]:
    """The notes as :class:`NoteLine` s (1-based numbers, same count as the cleaned text's lines)."""
    raws = clean_text(text).split("\n")
    prefixes = [chat_prefix(r) for r in raws]
    is_chat = sum(1 for p in prefixes if p) >= 2
    out = []
    for no, raw in enumerate(raws, 1):
        prefix = prefixes[no - 1] if is_chat else None
        offset = prefix.end() if prefix else 0
        work = digitize(raw[offset:])
        out.append(NoteLine(no, raw, work.text, fold(work.text), [o + offset for o in work.origin],
                            prefix.group("sender").strip() if prefix else ""))
    return out
