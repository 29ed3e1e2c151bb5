"""Detect PDF text extraction that split words at stacked diacritics.

Some PDF producers (Chromium printing with font fallback is the known case)
draw the precomposed Vietnamese letters in a second font. pypdf then starts a
new word, or a new line, at every font switch and "NGHỊ QUYẾT" comes out as
"NGH Ị QUY Ế T", "Đảng" as "Đ ả ng". Poppler's ``pdftotext`` places glyphs by
geometry and reads the same file cleanly.

The signature of the damage is a boundary between two whitespace-separated
fragments that no Vietnamese text has:

* a fragment that is only an initial consonant cluster ("NGH", "Đ", "ch")
  followed by one that starts with a vowel carrying a diacritic ("Ị", "ả",
  "ứ"): every Vietnamese syllable has a vowel, so the consonants were cut off
  their syllable;
* a fragment that is only vowels, one with a diacritic ("Ế", "ệ", "ướ"),
  followed by one that is only a final consonant ("T", "t", "ng"): the final
  was cut off. (A whole word before a lone letter is normal: "điểm b và c".)

Whitespace means spaces or line breaks: pypdf produces either, depending on
how the producer positioned the fallback glyphs. Upper-case abbreviations
before a lower-case word ("KH ủy ban") and fragments with inner punctuation
("Đ/c Ánh") are not counted.

Broken text has one or two such boundaries per accented word, clean text
practically none, so a share of a few percent separates them clearly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_VOWELS = frozenset("aeiouy")
_INITIALS = frozenset({"b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
                       "p", "ph", "q", "r", "s", "t", "th", "tr", "v", "x"})
_FINALS = frozenset({"c", "ch", "m", "n", "ng", "nh", "p", "t"})
_LEADING_LETTERS = re.compile(r"^[^\W\d_]+")
# A fragment that ends a cut word is letters only, perhaps after an opening
# bracket or quote: "(NGH", but not "Đ/c" or "57-NQ".
_CUT_TAIL = re.compile(r"^[(\[\"'“‘«]*([^\W\d_]+)$")

# Decision thresholds: at least this many split boundaries, and this share of
# the words. Measured: 0 splits in the ~420,000 words of the 17 laws in
# shared/eval/alqac (PDF via pypdf, DOCX, TXT, MD); ratio ~0.45 for pypdf's
# reading of a Chromium-printed Vietnamese PDF.
MIN_SPLITS = 3
MIN_SPLIT_RATIO = 0.03


@dataclass(frozen=True)
class SplitScore:
    """How many fragment boundaries look like a word cut at a diacritic."""

    words: int
    splits: int

    @property
    def ratio(self) -> float:
        """Split words per word."""
        return self.splits / self.words if self.words else 0.0

    @property
    def broken(self) -> bool:
        """Enough words split at diacritics to call the text layer broken."""
        return self.splits >= MIN_SPLITS and self.ratio >= MIN_SPLIT_RATIO

    def __add__(self, other: SplitScore) -> SplitScore:
        return SplitScore(self.words + other.words, self.splits + other.splits)


def _is_vowel(ch: str) -> bool:
    return unicodedata.normalize("NFD", ch)[0].lower() in _VOWELS


def _has_mark(ch: str) -> bool:
    return len(unicodedata.normalize("NFD", ch)) > 1


def _consonants_only(fragment: str) -> bool:
    return not any(_is_vowel(ch) for ch in fragment)


def _cut_before_vowel(left: str, right: str) -> bool:
    """"NGH" + "Ị", "Đ" + "ả": an initial cluster cut off its vowel."""
    if not (_consonants_only(left) and left.lower() in _INITIALS):
        return False
    first = right[0]
    if not (_is_vowel(first) and _has_mark(first)):
        return False
    # "KH ủy ban", "TH ở": an upper-case abbreviation before a lower-case word.
    return not (len(left) > 1 and left.isupper() and first.islower())


def _cut_before_final(left: str, right: str) -> bool:
    """"Ế" + "T", "ệ" + "t", "ướ" + "c": a final consonant cut off its vowel."""
    if not (_consonants_only(right) and right.lower() in _FINALS):
        return False
    if not (all(_is_vowel(ch) for ch in left) and any(_has_mark(ch) for ch in left)):
        return False
    last = left[-1]
    return not (right.isupper() and last.islower())


def split_score(text: str) -> SplitScore:
    """Count words and suspicious fragment boundaries in ``text`` (NFC)."""
    words = splits = 0
    previous_tail: str | None = None
    for fragment in text.split():
        head = _LEADING_LETTERS.search(fragment)
        if head is None and not any(ch.isalpha() for ch in fragment):
            previous_tail = None
            continue
        words += 1
        if previous_tail and head and (
            _cut_before_vowel(previous_tail, head.group()) or _cut_before_final(previous_tail, head.group())
        ):
            splits += 1
        tail = _CUT_TAIL.match(fragment)
        previous_tail = tail.group(1) if tail else None
    return SplitScore(words, splits)


def looks_broken(text: str) -> bool:
    """True when ``text`` reads like words split at stacked diacritics."""
    return split_score(text).broken
