"""Clauses and content words: what a generated sentence and its source passage are compared by.

A sentence is checked clause by clause against the passage clause it restates (the one sharing
most content words), so a number or a negation is judged in the right place: "chậm nhất 03 ngày"
and "chậm nhất 01 ngày" may both be in one passage, for two different things.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.references import fold
from assistant.text.vietnamese import nfc

MARKER = re.compile(r"\[(\d+)\]")
_NUMBER_WORDS_FOLDED = {"mot", "hai", "ba", "bon", "tu", "nam", "lam", "sau", "bay", "tam", "chin", "muoi",
                        "tram", "nghin", "ngan", "trieu", "ty", "linh", "le"}
# Glue, question words and polarity words (polarity is checked apart, on accented text).
STOPWORDS = {
    "la", "gi", "nao", "ai", "dau", "khi", "bao", "nhieu", "nhu", "co", "cua", "va", "cac", "nhung", "cho", "theo",
    "voi", "ve", "trong", "tai", "thi", "ma", "de", "do", "tu", "den", "nay", "hay", "hoac", "hoi", "bi", "boi",
    "neu", "sao", "gom", "viec", "con", "nua", "ra", "vao", "len", "da", "se", "dang", "rang", "cung", "nhau",
    "moi", "quyen", "khong", "duoc", "phai", "nghiem", "cam", "chua", "trach", "nhiem", "bat", "buoc", "nghia",
    "vu", "nen", "the", "khuyen", "khich", "tuy",
} | _NUMBER_WORDS_FOLDED
# A period ends a clause unless it sits inside a number ("100.000", "9.3.2").
_CLAUSE_SPLIT = r"(?<!\d)\.|\.(?!\d)|[;:!?\n]|,\s"


# Frames a paraphrase adds or swaps ("tối đa" for "không quá", "chậm nhất" for "trong thời hạn").
_FRAMES = re.compile(r"(?<![a-z])(?:thoi han|toi da|toi thieu|it nhat|cham nhat|trong vong|trong khoang|khoang|"
                     r"yeu cau|quy dinh|doi hoi)(?![a-z])")


def content_sequence(text: str) -> list[str]:
    """Folded syllables that carry meaning, in order (stopwords, frames, markers and number words dropped;
    "08" is "8")."""
    words = re.findall(r"[a-z0-9]+", _FRAMES.sub(" ", fold(nfc(MARKER.sub(" ", text)))))
    return [w.lstrip("0") or "0" if w.isdigit() else w for w in words
            if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def content_words(text: str) -> set[str]:
    """The content syllables of a text (:func:`content_sequence`) as a set."""
    return set(content_sequence(text))


def content_support(sentence: str, passages: Sequence[str]) -> float:
    """Share of the sentence's content words found in the passages."""
    mine = content_words(sentence)
    if not mine:
        return 1.0
    theirs: set[str] = set()
    for p in passages:
        theirs |= content_words(p)
    return len(mine & theirs) / len(mine)


def clauses(text: str, *, split_and: bool = False, commas: bool = True) -> list[str]:
    """Clauses of a text: split at sentence punctuation, ", ", "nhưng"/"song" (and "và" for a sentence,
    whose parts are matched one by one; a passage's negation may govern a "và" list). A parenthetical
    is a clause of its own: it qualifies, it does not negate its host. ``commas=False`` keeps a
    comma-separated list with its subject (for placing numbers)."""
    text = re.sub(r"\(([^()]*)\)", r"; \1;", text)
    joiners = r"nhưng|song|và|va" if split_and else r"nhưng|song"
    split = _CLAUSE_SPLIT if commas else _CLAUSE_SPLIT.removesuffix(r"|,\s")
    return [c for c in re.split(rf"{split}|\s(?:{joiners})\s", text) if c.strip()]


def aligned(clause: str, candidates: Sequence[str], *, exclude: set[str] | None = None) -> tuple[list[str], int]:
    """The candidate clauses sharing most content words with ``clause`` (all of them when tied), and how many."""
    words = content_words(clause) - (exclude or set())
    best: list[str] = []
    top = 0
    for candidate in candidates:
        shared = len(words & content_words(candidate))
        if shared > top:
            best, top = [candidate], shared
        elif shared == top and shared:
            best.append(candidate)
    return best, top


def enough_overlap(clause: str, shared: int) -> bool:
    """Whether ``shared`` content words make ``clause`` a restatement of its aligned clause."""
    return shared >= max(2, len(content_words(clause)) // 3)


def invented_runs(sentence: str, passages: Sequence[str], citations: Sequence[str] = (), size: int = 3) -> list[str]:
    """Runs of ``size`` or more content syllables in a row that no passage has: a phrase of the model's own
    ("bỏ phiếu kín", "đăng ký lại mật khẩu") hidden among the passage's words, which a share of words
    found cannot see. The opening run (up to the first word a passage has) is the sentence's topic, which may
    come from the question; words of a citation ("mục", "phần", "Quy định") neither count nor break a run; a number
    ends one."""
    theirs: set[str] = set()
    for p in passages:
        theirs |= set(re.findall(r"[a-z0-9]+", fold(nfc(p))))
    cited = {w for c in citations for w in re.findall(r"[a-z0-9]+", fold(nfc(c)))}
    words = [w for w in re.findall(r"[a-z0-9]+", _FRAMES.sub(" 0 ", fold(nfc(MARKER.sub(" ", sentence)))))
             if w.isdigit() or (w not in STOPWORDS and len(w) > 1 and w not in cited)]
    out: list[str] = []
    run: list[str] = []
    opening = True
    for word in [*words, "0"]:
        if word.isdigit() or word in theirs:
            if len(run) >= size and not opening:
                out.append(" ".join(run))
            run, opening = [], opening and word.isdigit()
        else:
            run.append(word)
    return out


_TAIL = re.compile(r"\s(và|đồng thời|nhằm|để|rồi|nếu không|nếu|khi đó|sau đó)\s+([^,;.:\[\]]+)")
# Openers of a consequence or condition: any two words of its own make such a tail the model's ("…, nếu quá hạn
# sẽ bị xóa đăng ký"), wherever they sit in it.
_CONSEQUENCE = {"nếu", "nếu không", "khi đó", "sau đó"}
_SCOPE = {"chi", "can", "deu", "ca", "mot"}  # "thì chỉ cần báo trước": scope and need, read by the polarity check
# Words a tail may open with that restate rather than add: the frame of a sentence citing two documents ("… và
# Hướng dẫn 42 đều quy định …") and bounds on a figure ("và ít nhất 50%").
_TAIL_FRAME = re.compile(r"(?<![^\W_])(?:đều|cùng|quy định|yêu cầu|ít nhất|tối đa|tối thiểu|không quá)(?![^\W_])")


def invented_tails(sentence: str, passages: Sequence[str], citations: Sequence[str] = (), size: int = 2) -> list[str]:
    """Clauses added after "và", "đồng thời", "nhằm", "để", "rồi" that open with ``size`` or more content
    syllables no passage has: "… trở lên và đã có việc làm ổn định", "… ra quyết định và thông báo cho gia
    đình …" — a condition or duty of the model's own tacked onto a faithful head, too short for a run."""
    theirs: set[str] = set()
    for p in passages:
        theirs |= set(re.findall(r"[a-z0-9]+", fold(nfc(p))))
    cited = {w for c in citations for w in re.findall(r"[a-z0-9]+", fold(nfc(c)))}
    out = []
    for m in _TAIL.finditer(nfc(MARKER.sub(" ", sentence)).lower()):
        words = [w for w in re.findall(r"[a-z0-9]+", fold(_TAIL_FRAME.sub(" ", m.group(2))))
                 if w.isdigit() or (w not in STOPWORDS and len(w) > 1 and w not in cited)]
        if m.group(1) in _CONSEQUENCE:
            own = [w for w in words if not w.isdigit() and w not in theirs and w not in _SCOPE]
            if len(own) >= size:
                out.append(" ".join(own))
            continue
        lead = []
        for w in words[1:] if words and words[0].isdigit() else words:  # "và 100% cán bộ …": past its figure
            if w.isdigit() or w in theirs:
                break
            lead.append(w)
        if len(lead) >= size:
            out.append(" ".join(lead))
    return out
