"""Is the clause or point a sentence names the one that says what the sentence says?

A model citing an article or a clause often names one of its parts: "Theo điểm c khoản 4 Điều 6, đảng viên vắng
sinh hoạt … từ 03 lần trở lên …". The citation check sees that điểm c belongs to the cited clause; it cannot see
that the words come from điểm b. Here the passage is cut into its parts ("1.", "2." for clauses; "a)", "b)" for
points) and the words that set each part apart from its siblings are compared with the sentence's: when another
part's own words match the sentence clearly better than the named part's, the sentence names the wrong part.
"""

from __future__ import annotations

import re

from assistant.text.clauses import content_words
from assistant.text.references import CitationRef

_CLAUSE_START = re.compile(r"(?m)^[ \t]*(\d{1,3})\.[ \t]")
_POINT_START = re.compile(r"(?m)^[ \t]*([a-zđ])\)[ \t]")
# How many more of its own words another part must share with the sentence than the named part.
MARGIN = 2


def _parts(text: str, start: re.Pattern[str]) -> dict[str, str]:
    """The text of each numbered or lettered part, from its label to the next one (first occurrence wins)."""
    found = list(start.finditer(text))
    out: dict[str, str] = {}
    for m, nxt in zip(found, [*found[1:], None], strict=False):
        out.setdefault(m.group(1), text[m.end():nxt.start() if nxt else len(text)])
    return out


def _scope(ref: CitationRef, cited: CitationRef | None, text: str) -> tuple[dict[str, str], str] | None:
    """The sibling parts of the passage the named part is compared with, and the named part's label."""
    if ref.article and cited and cited.article and ref.article != cited.article:
        return None  # another article: the citation check's business
    if ref.point:
        if ref.clause and not (cited and cited.clause == ref.clause):
            clause = _parts(text, _CLAUSE_START).get(ref.clause)
            if clause is None:
                return None
            text = clause
        return _parts(text, _POINT_START), ref.point
    if ref.clause and not (cited and cited.clause):
        return _parts(text, _CLAUSE_START), ref.clause
    return None


def misnamed_parts(body: str, refs: list[CitationRef], passage: str, cited: CitationRef | None) -> list[str]:
    """The named parts (``refs``, parsed from the sentence) whose passage part does not hold what ``body`` (the
    sentence without its references) says, while a sibling part plainly does."""
    mine = content_words(body)
    wrong = []
    for ref in refs:
        scope = _scope(ref, cited, passage)
        if scope is None:
            continue
        parts, label = scope
        if label not in parts or len(parts) < 2:
            continue
        words = {k: content_words(v) for k, v in parts.items()}

        def own(key: str, words: dict[str, set[str]] = words) -> int:
            others = set().union(*(w for k, w in words.items() if k != key))
            return len(mine & (words[key] - others))

        named = own(label)
        if max(own(k) for k in parts if k != label) >= named + MARGIN:
            wrong.append(ref.format())
    return wrong
