"""Numbers written in words, as digits: "hai mươi mốt đồng chí" → "21 đồng chí".

Secretaries write counts, dates and times in words ("vắng hai", "ngày ba mươi tháng
chín", "bảy giờ rưỡi tối", "chín giờ kém mười lăm"). :func:`digitize` rewrites those
phrases as digits so the count, date and time patterns read them, and keeps a map
from every character of the rewritten text back to the original, so what the
extractor quotes (an opinion, a task) is the secretary's own wording.

Number words are also names ("Nguyễn Thị Bé Ba", "Trần Văn Mười Hai") and, typed
without diacritics, ordinary words ("sau" after, "tam" temporary, "tu" from). So a
phrase is rewritten only where it reads as a number: lower case (or starting a
sentence before "giờ"), and, unless it is unambiguous ("hai mươi mốt"), beside a
counting word ("có mặt", "vắng", "tháng", "đồng chí", "giờ" …).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Digits by word, accented (as typed with diacritics) and folded (typed without).
_UNITS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7,
          "bẩy": 7, "tám": 8, "chín": 9}
_FOLDED_UNITS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7,
                 "tam": 8, "chin": 9}
_SCALES = {"mười": "ten", "mươi": "tens", "trăm": "hundred", "nghìn": "thousand", "ngàn": "thousand",
           "linh": "zero", "lẻ": "zero"}
_FOLDED_SCALES = {"muoi": "ten?", "tram": "hundred", "nghin": "thousand", "ngan": "thousand", "linh": "zero"}
# Words around a number that make it a count, a date or a time (folded forms).
_BEFORE = re.compile(r"(?:co mat|vang|\bdu|tong so|tong|tren|chinh thuc|du bi|mien sinh hoat|ngay|thang|luc|kem|"
                     r"\bla|\bco|gom|ca|con lai|so|dang vien|dv)\s*:?\s*$")
_AFTER = re.compile(r"^\s*(?:dong chi|dang vien|\bdv\b|d/c|\bdc\b|gio|phut|ruoi|tren|tan thanh|dong y|nhat tri|"
                    r"chinh thuc|du bi|"
                    r"khong tan thanh|khong dong y|phieu|nguoi|\bco ly do|\bkhong ly do|thang\b)")
_STRONG_BEFORE = re.compile(r"(?:co mat|vang|du bi|chinh thuc|tong so|tren|thang|kem|mien sinh hoat)\s*:?\s*$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|^\s*[-+*•]\s*)$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold_char(ch: str) -> str:
    """One character, lower case and without diacritics (đ → d); always exactly one character."""
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[:1].lower()
    return base[:1] if len(base) == 1 else ch.lower()[:1] or ch


def fold(text: str) -> str:
    """``text`` lower case and accent-free, one character for each character (offsets stay valid)."""
    return "".join(fold_char(ch) for ch in text)


@dataclass
class Rewritten:
    """Rewritten text and, for every character of it, the index of the character of the original it stands for."""

    text: str
    origin: list[int] = field(default_factory=list)

    @classmethod
    def identity(cls, text: str) -> Rewritten:
        """``text`` unchanged."""
        return cls(text, list(range(len(text))))

    def replace(self, edits: list[tuple[int, int, str]]) -> Rewritten:
        """Apply non-overlapping (start, end, replacement) edits, each replacement mapped onto what it replaces."""
        out: list[str] = []
        origin: list[int] = []
        pos = 0
        for start, end, repl in sorted(edits):
            if start < pos:
                continue
            out.append(self.text[pos:start])
            origin.extend(self.origin[pos:start])
            out.append(repl)
            anchor = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            last = self.origin[end - 1] if 0 < end <= len(self.origin) else anchor
            # Spread the replacement over the original span: its first character maps to the span's start, its
            # last to the span's end, so a slice that covers the replacement covers the original words.
            origin.extend([anchor] * max(len(repl) - 1, 0) + ([last] if repl else []))
            pos = end
        out.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        return Rewritten("".join(out), origin)


def _value(tokens: list[str], folded: list[str]) -> int | None:
    """The number a run of number words spells, None when it is not a well-formed number."""
    total, current = 0, 0
    seen_tens = last_unit = zero = False
    for word, key in zip(tokens, folded, strict=True):
        if key == "khong":
            if last_unit or current:
                return None
            zero, last_unit = True, False
            continue
        unit = _UNITS.get(word, _FOLDED_UNITS.get(key))
        scale = _SCALES.get(word) or _FOLDED_SCALES.get(key)
        if scale == "ten?":  # "muoi": mười (10) at the start, mươi (×10) after a digit
            scale = "tens" if last_unit and current < 10 else "ten"
        if scale == "ten":
            if current:
                return None
            current, seen_tens = 10, True
        elif scale == "tens":
            if not last_unit or current >= 10:
                return None
            current, seen_tens = current * 10, True
        elif scale == "hundred":
            if current >= 10:
                return None
            current, seen_tens = (0 if zero else (current or 1) * 100), False
            zero = False
        elif scale == "thousand":
            total, current, seen_tens = total + (current or 1) * 1000, 0, False
        elif scale == "zero":
            if current % 100 or not current:
                return None
        elif unit is not None:
            if last_unit or (current and current % 10):
                return None
            if seen_tens and word == "năm":
                return None  # "mười năm": ten years (fifteen is "mười lăm")
            current += unit
        else:
            return None
        last_unit = unit is not None and scale is None
    return total + current


def _is_number_word(word: str, key: str, accents: bool, next_key: str = "") -> bool:
    low = word.lower()
    if key == "khong" and next_key == "tram":
        return True  # "hai nghìn không trăm hai mươi sáu"
    if low in _UNITS or low in _SCALES:
        return True
    # Typed without diacritics: only a word that itself has none can be a folded number word.
    return (not accents or low == key) and (key in _FOLDED_UNITS or key in _FOLDED_SCALES)


def digitize(text: str) -> Rewritten:
    """Number phrases of ``text`` as digits ("vắng hai" → "vắng 2"), with the map back to ``text``."""
    base = Rewritten.identity(text)
    key = fold(text)
    words = list(_WORD.finditer(text))
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        run: list[re.Match[str]] = []
        j = i
        while j < len(words):
            w = words[j]
            if run and text[words[j - 1].end():w.start()] != " ":
                break
            accents = fold(w.group(0)) != w.group(0).lower()
            nxt = words[j + 1] if j + 1 < len(words) else None
            next_key = key[nxt.start():nxt.end()] if nxt else ""
            if not _is_number_word(w.group(0), key[w.start():w.end()], accents, next_key):
                break
            run.append(w)
            j += 1
        if not run:
            i += 1
            continue
        k = 0
        while k < len(run):  # "tháng tám năm hai nghìn …": a month, the year word, then the year
            found = _accept(text, key, run[k:])
            if found is None:
                k += 1
                continue
            start, end, value = found
            edits.append((start, end, str(value)))
            k += sum(1 for w in run[k:] if w.end() <= end)
        i = j
    rewritten = base.replace(edits) if edits else base
    return _clock_words(rewritten)


def _accept(text: str, key: str, run: list[re.Match[str]]) -> tuple[int, int, int] | None:
    """(start, end, value) of the longest acceptable number at the head of ``run``, or None."""
    tokens = [m.group(0) for m in run]
    lowered = [t.lower() for t in tokens]
    folded = [key[m.start():m.end()] for m in run]
    # Trim from the right until the words spell a number ("năm 2026": the year word is not a number).
    for n in range(len(run), 0, -1):
        value = _value(lowered[:n], folded[:n])
        if value is None:
            continue
        start, end = run[0].start(), run[n - 1].end()
        before, after = key[max(0, start - 24):start], key[end:end + 24]
        capital = any(t[:1].isupper() for t in tokens[:n])
        month_name = bool(re.search(r"(?:thang|ngay)\s*$", before))  # "tháng Tám", "tháng Mười Hai"
        if capital and not month_name and not (_SENTENCE_START.search(text[:start]) and re.match(r"\s*gio\b", after)):
            return None  # a name ("Bé Ba", "Mười Hai") or a capitalised word
        if lowered[:n] == ["bay"] and not re.match(r"\s*gio\s*(?:\d|ruoi|kem|sang|toi|chieu|dung)", after):
            return None  # typed without diacritics, "bay giờ" is "bây giờ" (now)
        strong = n >= 2 and any(f in ("muoi", "tram", "nghin", "ngan") for f in folded[:n])
        if lowered[:n] == ["mười"]:
            strong = True
        if re.match(r"\s*\d", after) and folded[n - 1] == "nam":
            continue  # "năm 2026"
        context = bool(_BEFORE.search(before) or _AFTER.match(after))
        if folded[:n] == ["sau"] and lowered[:n] != ["sáu"] and not re.match(r"\s*(?:dong chi|dang vien)", after):
            return None  # "tuần sau", "sau khi"
        if folded[:n] in (["tu"], ["tam"], ["bay"], ["ba"], ["nam"]) and lowered[:n][0] == folded[n - 1] \
                and not _AFTER.match(after) and not _STRONG_BEFORE.search(before):
            return None  # typed without diacritics: "tu" from, "tam" temporary, "ba" grandmother
        if strong or context:
            return start, end, value
        return None
    return None


_CLOCK_KEM = re.compile(r"(?P<h>\d{1,2})\s*gio\s*kem\s*(?P<m>\d{1,2})(?:\s*phut)?")
_CLOCK_HALF = re.compile(r"(?P<h>\d{1,2})\s*gio\s*ruoi")


def _clock_words(text: Rewritten) -> Rewritten:
    """"7 giờ rưỡi" → "7 giờ 30", "9 giờ kém 15" → "8 giờ 45"."""
    key = fold(text.text)
    edits: list[tuple[int, int, str]] = []
    for m in _CLOCK_KEM.finditer(key):
        hour, minute = int(m.group("h")), int(m.group("m"))
        if 1 <= hour <= 24 and 0 < minute < 60:
            edits.append((m.start(), m.end(), f"{hour - 1} giờ {60 - minute}"))
    for m in _CLOCK_HALF.finditer(key):
        if not any(s <= m.start() < e for s, e, _ in edits):
            edits.append((m.start(), m.end(), f"{m.group('h')} giờ 30"))
    return text.replace(edits) if edits else text
