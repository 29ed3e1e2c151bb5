"""Does a retrieved or cited passage match a gold reference?

Scoring is at the level of the *cited unit*: an article ("Điều 5") in
documents with articles, or a numbered item path ("II.1.1.2") in documents
without them. Rules (also in docs/evaluation.md):

- **Document**: the gold ``doc`` (or ``doc_id``) names the hit's document by
  id, number ("339-QĐ/TW") or title, compared case-, accent- and
  spacing-insensitively.
- **Documents with articles**: the article numbers are equal. Clause and point
  are not required (a whole-article passage answers a clause-level gold).
- **Documents without articles**: the hit's path is ``section.article``
  ("II" + "1.3" → "II.1.3"). It matches when it equals the gold path or lies
  inside it (gold "II.1" ← hit "II.1.3"). An enclosing item or section
  (gold "II.1.1.2" ← hit "II.1" or "II") matches only when the index holds no
  passage below it: the chunker then kept it whole, so the passage contains
  the gold text; when it was split, its own passage is only a lead-in. This
  needs the index's unit paths (``known_paths``); without them enclosing
  units never match.
- A gold without ``article`` (the answer is in the preamble) is matched by any
  passage of the document.

Each gold is credited once, to the first distinct unit that matches it, so
nDCG never exceeds 1 when one passage spans two gold items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.evaluation.dataset import GoldRef
from assistant.text.vietnamese import strip_accents

_ARTICLE_WORD = re.compile(r"^(?:dieu|muc|khoan|phan)\s+")


def doc_key(name: str) -> str:
    """"339-QĐ/TW" → "339-qd/tw"; "Luật  Du Lịch" → "luat du lich"."""
    text = strip_accents(name or "").strip()
    text = re.sub(r"\s*([/-])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text)


def path_key(article: str) -> str:
    """"Điều 5" → "5"; "II.1.1.2." → "ii.1.1.2"."""
    text = strip_accents(str(article or "")).strip().rstrip(".")
    text = _ARTICLE_WORD.sub("", text)
    return re.sub(r"\s*\.\s*", ".", text)


@dataclass(frozen=True)
class CitedUnit:
    """The unit a passage is cited by: document aliases and article or item path."""

    doc_id: str
    path: str
    has_articles: bool = True
    aliases: frozenset[str] = field(default_factory=frozenset)
    citation: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.doc_id, self.path

    def to_dict(self) -> dict[str, Any]:
        """The unit as it appears in items.jsonl: document, article path and human citation."""
        return {"doc_id": self.doc_id, "article": self.path, "citation": self.citation}


def unit_path(article: str, section: str, has_articles: bool) -> str:
    """The unit's path: the article where the document has articles, else section and item joined by dots."""
    if has_articles:
        return path_key(article)
    return ".".join(p for p in (path_key(section), path_key(article)) if p)


def make_unit(doc_id: str, article: str, *, section: str = "", has_articles: bool = True,
              names: Iterable[str] = (), citation: str = "") -> CitedUnit:
    """A cited unit whose aliases are the normalised id, number and title the gold may name it by."""
    aliases = frozenset(doc_key(n) for n in (doc_id, *names) if n)
    return CitedUnit(doc_id, unit_path(article, section, has_articles), has_articles, aliases, citation)


def unit_of_hit(hit: Any, has_articles: bool | None = None) -> CitedUnit:
    """The cited unit of a search ``Hit`` (``has_articles`` defaults to what its citation says)."""
    if has_articles is None:
        # The citation says "Điều 5" in documents with articles and "mục 1.3" otherwise.
        has_articles = f"Điều {hit.article}" in hit.citation if hit.article else not hit.section
    return make_unit(hit.doc_id, hit.article, section=hit.section, has_articles=has_articles,
                     names=(hit.number, hit.title, hit.doc_label), citation=hit.citation)


def distinct_units(units: Iterable[CitedUnit]) -> list[CitedUnit]:
    """Units in rank order, each (document, path) once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for unit in units:
        if unit.key not in seen:
            seen.add(unit.key)
            out.append(unit)
    return out


def distinct_gold(gold: Iterable[GoldRef]) -> list[GoldRef]:
    """Gold references at unit level (two clauses of one article count once)."""
    out: list[GoldRef] = []
    seen: set[tuple[str, str, str]] = set()
    for ref in gold:
        key = (doc_key(ref.doc), doc_key(ref.doc_id), path_key(ref.article))
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


class GoldMatcher:
    """Matches units to gold; ``known_paths`` (doc_id → unit paths in the index) enables the ancestor rule."""

    def __init__(self, known_paths: Mapping[str, set[str]] | None = None) -> None:
        self.known_paths = known_paths

    def doc_matches(self, ref: GoldRef, unit: CitedUnit) -> bool:
        """True when the unit belongs to the document the gold names (by id, number or title)."""
        wanted = {doc_key(n) for n in (ref.doc, ref.doc_id) if n}
        return bool(wanted & unit.aliases)

    def matches(self, ref: GoldRef, unit: CitedUnit) -> bool:
        """True when the unit is the gold passage, inside it, or an item kept whole that contains it."""
        if not self.doc_matches(ref, unit):
            return False
        gold = path_key(ref.article)
        if not gold:
            return True
        if not unit.path:
            return False
        if unit.has_articles:
            return unit.path == gold
        gold_parts, hit_parts = gold.split("."), unit.path.split(".")
        if hit_parts[:len(gold_parts)] == gold_parts:
            return True  # the passage lies inside the gold item
        if gold_parts[:len(hit_parts)] != hit_parts or self.known_paths is None:
            return False
        return self._kept_whole(unit.doc_id, hit_parts)

    def _kept_whole(self, doc_id: str, parts: list[str]) -> bool:
        """No passage of the document lies strictly below ``parts``."""
        assert self.known_paths is not None
        n = len(parts)
        return not any(len(p.split(".")) > n and p.split(".")[:n] == parts
                       for p in self.known_paths.get(doc_id, ()))

    def rank(self, units: Sequence[CitedUnit], gold: Sequence[GoldRef], depth: int = 10) -> GoldRanks:
        """Ranks (1-based, among the first ``depth`` distinct units) at which gold is found."""
        ranked = distinct_units(units)[:depth]
        refs = distinct_gold(gold)
        assigned: dict[int, int] = {}
        first: int | None = None
        for rank, unit in enumerate(ranked, 1):
            hits = [i for i, ref in enumerate(refs) if self.matches(ref, unit)]
            if hits and first is None:
                first = rank
            free = [i for i in hits if i not in assigned]
            if free:
                assigned[free[0]] = rank
        return GoldRanks(first, sorted(assigned.values()), len(refs))

    def any_match(self, unit: CitedUnit, gold: Sequence[GoldRef]) -> bool:
        """True when the unit matches at least one of the gold references."""
        return any(self.matches(ref, unit) for ref in gold)


@dataclass
class GoldRanks:
    """Where the gold was found in one ranking: the first matching rank and one rank per gold found."""

    first: int | None  # rank of the first unit matching any gold
    ranks: list[int]  # one rank per gold found, each gold credited once
    gold_count: int
