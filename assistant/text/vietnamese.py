"""Vietnamese text normalisation for display, search keys and speech.

Three forms of the same text:
- display: NFC, original tone placement, kept for quotes;
- search key: lower case, tone marks moved to one canonical position per
  syllable (so "hoà" and "hòa", "thuỷ" and "thủy" match);
- accent-free: no diacritics, "đ" -> "d", for users typing without accents.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
VOWELS = set("aeiouy")
# Vowel pairs that, at the end of a syllable, carry the tone on the second
# letter in the modern convention (hoà, hoè, thuỷ).
_SECOND_VOWEL_PAIRS = {"oa", "oe", "uy"}
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def nfc(text: str) -> str:
    """Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, unified line ends and spaces, no control characters; keeps layout."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # Form feeds and vertical tabs separate pages/lines; dropping them would glue words.
    text = text.replace("\f", "\n").replace("\v", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = _SPACE_RE.sub(" ", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _split_letters(word: str) -> tuple[list[list[str]], str | None]:
    """Decompose a word into [base, *shape marks] per letter and its tone mark."""
    letters: list[list[str]] = []
    tone: str | None = None
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONE_MARKS:
            tone = ch
        elif unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    return letters, tone


def _tone_position(letters: list[list[str]]) -> int | None:
    bases = [letter[0].lower() for letter in letters]
    vowels = [i for i, b in enumerate(bases) if b in VOWELS]
    if not vowels:
        return None
    # "qu" and "gi" + vowel: the u / i belongs to the consonant.
    if len(vowels) > 1 and vowels[0] == 1 and bases[0] in "qg" and bases[1] in ("u" if bases[0] == "q" else "i"):
        vowels = vowels[1:]
    shaped = [i for i in vowels if any(m in SHAPE_MARKS for m in letters[i][1:])]
    if shaped:
        return shaped[-1]
    if len(vowels) == 1:
        return vowels[0]
    if vowels[-1] < len(letters) - 1:  # final consonant follows the vowel cluster
        return vowels[-1]
    if len(vowels) >= 3:
        return vowels[1]
    pair = bases[vowels[0]] + bases[vowels[1]]
    return vowels[1] if pair in _SECOND_VOWEL_PAIRS else vowels[0]


def normalize_tone_word(word: str) -> str:
    """One word with its tone mark moved to its canonical vowel."""
    letters, tone = _split_letters(word)
    if tone is None:
        return nfc(word)
    pos = _tone_position(letters)
    if pos is None:
        return nfc(word)
    letters[pos].append(tone)
    return nfc("".join("".join(letter) for letter in letters))


@lru_cache(maxsize=65536)
def _cached_tone_word(word: str) -> str:
    return normalize_tone_word(word)


def normalize_tone(text: str) -> str:
    """Move every syllable's tone mark to its canonical vowel."""
    return _WORD_RE.sub(lambda m: _cached_tone_word(m.group(0)), nfc(text))


def search_key(text: str) -> str:
    """Lower-case, tone-normalised form for matching."""
    return normalize_tone(text.lower())


def strip_accents(text: str) -> str:
    """Accent-free form: "Đảng viên" -> "dang vien" (lower case)."""
    text = text.lower().replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic or đ."""
    return strip_accents(text) != text.lower()


# A sentence ends at terminal punctuation, a blank line, or a line that starts
# a new numbered unit. A single line break alone is layout (PDF lines wrap
# mid-sentence), not a sentence boundary.
_BOUNDARY = re.compile(
    r"(?<=[.;!?…])\s+|(?<=[.;!?…][\"”»)])\s+"
    r"|\n[ \t]*\n\s*"
    r"|\n(?=[ \t]*(?:\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|[-–•+*]\s|Điều\s+\d|Chương\s|Mục\s|[IVXLC]+[.-]\s))"
)


_MARKER_ONLY = re.compile(r"(?:\d+(?:\.\d+)*\.|[a-zđ]\)|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+[.:]?|[IVXLC]+[.-])",
                          re.IGNORECASE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace-trimmed, wrapped lines kept together."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _BOUNDARY.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    carry: int | None = None  # start of a marker-only span ("1.", "Điều 5.") waiting for its text
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if carry is not None:
            start, carry = carry, None
        if _MARKER_ONLY.fullmatch(text[start:end]):
            carry = start
            continue
        out.append((start, end))
    if carry is not None:
        out.append((carry, len(text.rstrip())))
    return out


_WRAP = re.compile(
    r"[ \t]*\n[ \t]*(?!\n|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|[-–•+*]\s|Điều\s+\d|Chương\s|Mục\s|[IVXLC]+[.-]\s)"
)


def reflow(text: str) -> str:
    """Join wrapped lines for display; keep blank lines and breaks before numbered units.

    Only line breaks are replaced, so every other character survives (quotes stay verbatim).
    """
    return _WRAP.sub(" ", text)


_pyvi_lock = threading.Lock()
_pyvi: Any = None


def _tokenizer() -> Any:
    global _pyvi
    with _pyvi_lock:
        if _pyvi is None:
            try:
                from pyvi import ViTokenizer
            except ImportError:  # pragma: no cover - pyvi is a pinned dependency
                _pyvi = False
            else:
                _pyvi = ViTokenizer
    return _pyvi


_TOKEN_RE = re.compile(r"[^\W_]+(?:_[^\W_]+)*", re.UNICODE)


def segment(text: str) -> str:
    """Join the syllables of Vietnamese words with "_" (pyvi); plain text if unavailable."""
    tok = _tokenizer()
    if not tok:
        return text
    return str(tok.tokenize(text))


def tokens(text: str, *, segmented: bool = True) -> list[str]:
    """Search tokens: segmented, lower-case, tone-normalised words."""
    source = segment(nfc(text)) if segmented else nfc(text)
    return [search_key(t) for t in _TOKEN_RE.findall(source)]


def index_tokens(text: str) -> list[str]:
    """Keyword-index tokens: pyvi words plus the syllables of compound words.

    Segmentation differs between a short question and a long passage ("cài"
    vs "cài_đặt"); adding syllables lets such pairs still match, while whole
    words keep their extra weight when both sides agree.
    """
    out: list[str] = []
    for token in tokens(text):
        out.append(token)
        if "_" in token:
            out.extend(token.split("_"))
    return out


def ascii_tokens(text: str, *, segmented: bool = False) -> list[str]:
    """Accent-free syllables, for queries typed without diacritics.

    Unsegmented by default: pyvi cannot segment text without accents, so
    both sides of the match use plain syllables.
    """
    return [strip_accents(t) for t in tokens(text, segmented=segmented)]
