"""Words that cannot be Vietnamese: English or other foreign words mixed into a generated sentence.

Every Vietnamese word is a syllable: an initial consonant (or none), a vowel group, and a final
consonant (or none), from small closed sets, and a syllable closed by c, ch, p or t carries a tone mark.
"login", "minimum", "Viettel", "online" fit no such shape (nor "chat" in accented text), so a sentence that uses one brings a word its Vietnamese source cannot have given it, unless
the source itself uses that word ("mã QR", "Internet"). Abbreviations are accepted when the source
has them or spells them out ("UBND" for "Ủy ban nhân dân"); Roman numerals and measure symbols are
not words. Short English words that happen to be Vietnamese syllables ("to", "me") cannot be told apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text.references import fold
from assistant.text.vietnamese import nfc

_INITIALS = "ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x"
# Vowel groups, accent-folded (ă, â -> a; ê -> e; ô, ơ -> o; ư -> u), longest first.
_VOWELS = sorted({
    "a", "e", "i", "o", "u", "y",
    "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "oo", "ua", "ue", "ui", "uo", "uu",
    "uy", "ya", "ye",
    "ieu", "yeu", "oai", "oay", "oao", "oeo", "uoi", "uou", "uay", "uya", "uye", "uyu", "uao", "uai", "uau",
}, key=len, reverse=True)
_FINALS = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(rf"(?:{_INITIALS})?(?:{'|'.join(_VOWELS)})(?:{_FINALS})?")
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Measure symbols written after a number.
_SYMBOLS = frozenset({"km", "kg", "cm", "mm", "ml", "kw", "kwh", "gb", "mb", "kb", "tb", "ha", "m", "g", "l"})
_WORD = re.compile(r"[^\W\d_]+")


_STOP_FINAL = re.compile(r"(?:c|ch|p|t)$")


def is_syllable(word: str, *, accented: bool = False) -> bool:
    """True when ``word`` has the shape of a Vietnamese syllable ("nghiêng", "quyền", "khuya"; not "login").

    ``accented``: the text around it is written with diacritics, so a syllable closed by c, ch, p or t must
    carry its tone mark ("hát", "học"): an unmarked "chat", "top" or "hot" is not Vietnamese there."""
    folded = fold(nfc(word))
    if not _SYLLABLE.fullmatch(folded):
        return False
    return not (accented and folded == word.lower() and _STOP_FINAL.search(folded))


def _initials(words: list[str], size: int) -> set[str]:
    """The first letters of every run of ``size`` consecutive words ("ủy ban nhân dân" -> "ubnd")."""
    return {"".join(w[0] for w in words[i:i + size]) for i in range(len(words) - size + 1)}


def foreign_words(text: str, sources: Iterable[str]) -> list[str]:
    """Words of ``text`` that are not Vietnamese syllables and that no source has (folded, case-insensitive):
    "login" in a sentence restating "đăng nhập". A source's own foreign terms ("QR", "Internet") are accepted,
    and so is an abbreviation of words a source spells out."""
    source_words: list[str] = []
    for source in sources:
        source_words += [fold(w) for w in _WORD.findall(nfc(source))]
    known = set(source_words)
    found: list[str] = []
    text = nfc(text)
    accented = fold(text) != text.lower()
    for m in _WORD.finditer(text):
        word = m.group(0)
        folded = fold(word)
        if len(word) < 2 or folded in known or is_syllable(word, accented=accented) or _ROMAN.fullmatch(word):
            continue
        if folded in _SYMBOLS and re.search(r"\d\s*$", text[:m.start()]):
            continue
        if word.isupper() and len(word) <= 8 and folded in _initials(source_words, len(word)):
            continue
        found.append(word)
    return list(dict.fromkeys(found))
