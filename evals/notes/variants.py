"""Variants of the secretaries' notes, each with an expected record that stays valid.

A note in ``evals/notes/{dev,heldout}/notes`` is rewritten the ways secretaries rewrite
notes themselves: typed without diacritics, half with and half without, abbreviated
("đồng chí" → "đ/c", "Chi bộ" → "CB", "Chủ trì:" → "CT:"), with the opinion lines in
another order, in decomposed Unicode (NFD), or with the old tone placement ("hoà" for
"hòa"). None of these changes a fact, so the expected record is returned unchanged
(a deep copy): names are compared without diacritics, tone placement or Unicode form,
and "CB"/"ĐB" at the head of a cell or parent name stand for "Chi bộ"/"Đảng bộ" (see
README.md). Every variant keeps the number of lines, so an item's source line is the
same line number in the variant.

Standard library only (Python 3.11). ``python evals/notes/variants.py`` prints counts.
"""

from __future__ import annotations

import copy
import random
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["strip_diacritics", "abbreviate", "reorder_lines", "old_tone_marks", "variants", "protected_strings"]

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền, sắc, hỏi, ngã, nặng


def strip_diacritics(text: str) -> str:
    """Remove every Vietnamese diacritic (đ → d, Đ → D), keeping case, characters per line and line breaks."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _fold(text: str) -> str:
    """Lower-case, accent-free form with exactly one character per character of ``text`` (NFC)."""
    return "".join((strip_diacritics(ch).lower() or ch)[:1] for ch in text)


# -- abbreviations ---------------------------------------------------------------
# (pattern, lower-case choices, capitalised choices). Patterns are matched case-insensitively
# on the original text; accent-free spellings have their own rules. Longer phrases first.
_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (r"đồng chí", ("đ/c", "đc", "dc", "đ/c"), ("Đ/c", "Đc", "Đ/c")),
    (r"dong chi", ("dc", "d/c", "dc"), ("Dc", "D/c")),
    (r"chi ủy viên", ("CUV",), ("CUV",)),
    (r"phó bí thư", ("PBT",), ("PBT",)),
    (r"bí thư", ("BT",), ("BT",)),
    (r"bi thu", ("BT",), ("BT",)),
    (r"đảng viên", ("ĐV", "đv"), ("ĐV",)),
    (r"dang vien", ("dv", "DV"), ("DV",)),
    (r"chi bộ", ("CB",), ("CB",)),
    (r"chi bo", ("CB", "cb"), ("CB",)),
    (r"đảng bộ", ("ĐB",), ("ĐB",)),
    (r"dang bo", ("DB",), ("DB",)),
    (r"đảng ủy", ("ĐU",), ("ĐU",)),
    (r"chủ trì(?=\s*:)", ("CT",), ("CT",)),
    (r"chu tri(?=\s*:)", ("ct",), ("CT",)),
    (r"thư ký(?=\s*:)", ("TK",), ("TK",)),
    (r"thu ky(?=\s*:)", ("tk",), ("TK",)),
    (r"nội dung(?=\s*:)", ("ND",), ("ND",)),
    (r"noi dung(?=\s*:)", ("nd",), ("ND",)),
    (r"kết luận(?=\s*:)", ("KL",), ("KL",)),
    (r"ket luan(?=\s*:)", ("kl",), ("KL",)),
    (r"biểu quyết", ("BQ",), ("BQ",)),
    (r"bieu quyet", ("bq", "BQ"), ("BQ",)),
    (r"nghị quyết", ("NQ",), ("NQ",)),
    (r"nghi quyet", ("NQ",), ("NQ",)),
    (r"quy định", ("QĐ",), ("QĐ",)),
    (r"hướng dẫn", ("HD",), ("HD",)),
    (r"kế hoạch", ("KH",), ("KH",)),
    (r"đề nghị", ("ĐN", "đn"), ("ĐN",)),
    (r"de nghi", ("dn", "DN"), ("DN",)),
    (r"báo cáo", ("BC",), ("BC",)),
    (r"bao cao", ("bc", "BC"), ("BC",)),
    (r"không có lý do", ("không LD", "KLD"), ("Không LD",)),
    (r"khong co ly do", ("khong LD", "KLD"), ("Khong LD",)),
    (r"có lý do", ("có LD", "CLD"), ("Có LD",)),
    (r"co ly do", ("co LD", "CLD"), ("Co LD",)),
    (r"không lý do", ("không LD", "KLD"), ("Không LD",)),
    (r"khong ly do", ("khong LD", "KLD"), ("Khong LD",)),
    (r"ủy ban nhân dân", ("UBND",), ("UBND",)),
]
_RULE_RE = re.compile("|".join(f"(?P<r{i}>(?<!\\w){p}(?!\\w))" for i, (p, _, _) in enumerate(_RULES)),
                      re.IGNORECASE)


def protected_strings(expected: dict[str, Any]) -> list[str]:
    """Strings of an expected record that a rewrite must leave intact (names, place; cell/parent tails)."""
    keep: list[str] = []
    for key in ("chair", "secretary", "place"):
        if expected.get(key):
            keep.append(str(expected[key]))
    keep += [str(g) for g in expected.get("guests") or []]
    keep += [str(s) for s in expected.get("speakers") or []]
    keep += [str(t["owner"]) for t in expected.get("tasks") or [] if t.get("owner")]
    att = expected.get("attendance") or {}
    for group in ("absent_excused", "absent_unexcused"):
        keep += [str(n) for n in att.get(group) or []]
    for key, head in (("cell", "chi bo "), ("parent", "dang bo ")):
        value = str(expected.get(key) or "")
        if _fold(value).startswith(head):
            value = value[len(head):]  # the head may become "CB"/"ĐB"; the rest must stay
        if value:
            keep.append(value)
    return keep


def _protected_spans(line: str, keep: Iterable[str]) -> list[tuple[int, int]]:
    folded = _fold(line)
    spans = []
    for item in keep:
        needle = _fold(unicodedata.normalize("NFC", item)).strip()
        if not needle:
            continue
        for m in re.finditer(re.escape(needle), folded):
            spans.append((m.start(), m.end()))
    return spans


def abbreviate(text: str, rng: random.Random, keep: Iterable[str] = (), rate: float = 0.85) -> str:
    """Rewrite common words the way secretaries abbreviate them (đ/c, ĐV, CB, CT:, TK:, BQ, NQ …), line by line."""
    keep = list(keep)
    out = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        spans = _protected_spans(line, keep)

        def repl(m: re.Match[str]) -> str:
            if any(s < m.end() and m.start() < e for s, e in spans) or rng.random() > rate:
                return m.group(0)
            index = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
            _, lower, capital = _RULES[index]
            word = m.group(0)
            at_start = not line[:m.start()].strip(" -+*•\t")
            choices = capital if (word[:1].isupper() or at_start) else lower
            return rng.choice(choices)

        out.append(_RULE_RE.sub(repl, line))
    return "\n".join(out)


# -- reordering ------------------------------------------------------------------
_CHAT_RE = re.compile(r"^\s*(?:[\[(]\d{1,2}:\d{2}[\])]|[^:]{1,40},\s*\d{1,2}:\d{2}\s*(?:\(|:)|—|-{3})")
_NUMBERED_RE = re.compile(r"^\s*(?:\d+|[ivx]+|[a-zđ])\s*[.)]\s", re.IGNORECASE)
_BULLET_RE = re.compile(r"^\s*[-+•*–]\s*\S")
_SPEAKER_RE = re.compile(r"^\s*(?:[-+•*–]\s*)?(?:d/c|dc|dong chi|anh|chi|chu|co|bs|dd)\s+\S")
_TITLES = {"d/c", "dc", "dong", "chi", "bi", "thu", "pho", "bt", "anh", "chu", "co", "bs", "dd", "em", "ong", "ba"}
# Lines carrying any of these (accent-free, lower case) keep their place: tasks, votes,
# attendance, procedure, conclusions, header labels, dates and clock times.
_FIXED_RE = re.compile(
    r"(?<!\w)(?:giao|phan cong|pc|nhiem vu|bieu quyet|bq|tan thanh|nhat tri|co mat|vang|du hop|"
    r"tong so|mien|ket luan|kl|chu tri|ct|thu ky|tk|ghi bien ban|khai mac|be mac|ket thuc|thoi gian|"
    r"dia diem|noi dung|nd|khach moi|thanh phan|trinh bay|doc|thong qua|xong|hoan thanh|chot|bat dau|"
    r"moi (?:cac|anh|chi|chu|co|dong chi|d/c|dc|em|ong|ba)(?!\w))(?!\w)"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|(?<!\w)\d{1,2}\s*(?:h|g|gio)\s*\d{0,2}(?!\w)")
_INVITES_RE = re.compile(r"(?<!\w)moi (?:anh|chi|chu|co|dong chi|d/c|dc|em|ong|ba)(?!\w)")
_CUE_RE = re.compile(
    r"(?<!\w)(?:de nghi|dn|de xuat|kien nghi|y kien|gop y|phat bieu|phan anh|cho rang|bao cao|bc|neu|"
    r"hoi|nhan xet|dong y|luu y|ghi nhan|danh gia|toi|em)(?!\w)")


def _is_turn(line: str) -> bool:
    """A speaker turn "Lê Hữu Trọng: …" or "Đ/c H'Lim Mlô: …": a capitalised name before the colon."""
    prefix, sep, rest = line.partition(":")
    if not sep or not rest.strip():
        return False
    prefix = re.sub(r"\([^)]*\)", " ", prefix).strip(" -+*•–\t")
    words = prefix.split()
    titled = False
    while words and _fold(words[0]) in _TITLES:
        words, titled = words[1:], True
    if not 1 <= len(words) <= 5 or (len(words) == 1 and not titled):
        return False
    return all(w[:1].isupper() and not any(ch.isdigit() for ch in w) for w in words)


def _movable(line: str) -> bool:
    folded = _fold(line)
    if not folded.strip() or _CHAT_RE.match(folded) or _NUMBERED_RE.match(folded) or _FIXED_RE.search(folded):
        return False
    if _is_turn(line):
        return True
    return bool((_BULLET_RE.match(folded) or _SPEAKER_RE.match(folded)) and _CUE_RE.search(folded))


def reorder_lines(text: str, rng: random.Random) -> str:
    """Shuffle opinion lines within each run of consecutive opinion lines; every other line keeps its place."""
    lines = text.split("\n")
    movable = [i > 0 and _movable(line) for i, line in enumerate(lines)]
    for i in range(1, len(lines)):  # an answer to "mời anh X ..." stays right after it
        if movable[i] and _INVITES_RE.search(_fold(lines[i - 1])):
            movable[i] = False
    i = 0
    while i < len(lines):
        if not movable[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and movable[j]:
            j += 1
        block = lines[i:j]
        if len(block) > 1:
            shuffled = block[:]
            rng.shuffle(shuffled)
            if shuffled == block:
                shuffled = block[1:] + block[:1]
            lines[i:j] = shuffled
        i = j
    return "\n".join(lines)


# -- tone placement --------------------------------------------------------------
_TONE_CLASS = "[\u0300\u0301\u0309\u0303\u0323]"
# In NFD a tone mark follows its vowel (after any circumflex, breve or horn), so "o"/"u" directly
# followed by a tone is a bare o/u. "qu" is a consonant cluster, not the vowel u.
_OLD_TONE_RE = re.compile(
    rf"(?<![qQ])(?:([oO])({_TONE_CLASS})([aAeE])|([uU])({_TONE_CLASS})([yY]))(?![^\W\d_]|[\u0300-\u036f])")


def old_tone_marks(text: str) -> str:
    """Move the tone mark to the old place in open "oa", "oe", "uy" syllables ("hòa" → "hoà", "thủy" → "thuỷ")."""

    def repl(m: re.Match[str]) -> str:
        first, tone, second = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        return first + second + tone

    return unicodedata.normalize("NFC", _OLD_TONE_RE.sub(repl, unicodedata.normalize("NFD", text)))


# -- all variants ----------------------------------------------------------------
def variants(text: str, expected: dict[str, Any], seed: int | str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(name, description, notes text, expected record) for each variant of one note that differs from it."""
    rng = random.Random(f"{seed}")
    keep = protected_strings(expected)
    base = unicodedata.normalize("NFC", text)
    mixed = "\n".join(strip_diacritics(line) if rng.random() < 0.5 else line for line in base.split("\n"))
    abbreviated = abbreviate(base, rng, keep)
    candidates = [
        ("accent_free", "every diacritic removed (đ → d)", strip_diacritics(base)),
        ("mixed_accents", "about half of the lines typed without diacritics", mixed),
        ("abbreviated", "common words abbreviated (đ/c, ĐV, CB, CT:, TK:, BQ, NQ …)", abbreviated),
        ("reordered", "opinion lines shuffled within their block", reorder_lines(base, rng)),
        ("abbreviated_accent_free", "abbreviated, then every diacritic removed", strip_diacritics(abbreviated)),
        ("old_tone_marks", "old tone placement in oa/oe/uy (hoà, khoẻ, thuỷ)", old_tone_marks(base)),
        ("decomposed", "Unicode NFD instead of NFC (same text on screen)", unicodedata.normalize("NFD", base)),
    ]
    seen = {base}
    out = []
    for name, description, variant in candidates:
        if variant in seen:
            continue
        seen.add(variant)
        out.append((name, description, variant, copy.deepcopy(expected)))
    return out


def _dataset(root: Path) -> list[tuple[str, Path, Path]]:
    return [(split, notes, root / split / "expected" / f"{notes.stem}.yaml")
            for split in ("dev", "heldout") for notes in sorted((root / split / "notes").glob("*.txt"))]


if __name__ == "__main__":
    from collections import Counter

    try:
        import yaml  # optional: only to pass the real records along
    except ImportError:  # pragma: no cover
        yaml = None
    root = Path(__file__).resolve().parent
    notes_per_split: Counter[str] = Counter()
    per_variant: Counter[str] = Counter()
    per_split: Counter[str] = Counter()
    for split, notes_path, expected_path in _dataset(root):
        record = yaml.safe_load(expected_path.read_text(encoding="utf-8")) if yaml and expected_path.exists() else {}
        notes_per_split[split] += 1
        for name, _, _, _ in variants(notes_path.read_text(encoding="utf-8"), record or {}, notes_path.stem):
            per_variant[name] += 1
            per_split[split] += 1
    print(f"notes: {sum(notes_per_split.values())} (dev {notes_per_split['dev']}, heldout {notes_per_split['heldout']})")
    for name, count in per_variant.most_common():
        print(f"  {name}: {count}")
    print(f"variants: {sum(per_variant.values())} (dev {per_split['dev']}, heldout {per_split['heldout']})")
    print(f"notes + variants: {sum(notes_per_split.values()) + sum(per_variant.values())}")
