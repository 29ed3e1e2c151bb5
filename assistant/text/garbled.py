"""What a small model writes that is no statement at all: accent-stripped copies, echoed questions, bare headings.

Seen in the writer's real leads (evals/verifier_leads.jsonl), and invisible to the checks of content, because every
word is the passage's or the question's:

- words copied from an accent-free question into an accented sentence ("… cài đặt ứng dụng so tay dang viên …",
  "Tieu chi 2: …"): the passage writes them with their marks, the sentence without;
- the question asked back ("… phai dua len ứng dụng trong bao lau", "… tối đa bao lâu là mười hai tháng"): a
  question word the passage does not use;
- a heading restated as if it were the answer ("Đối tượng áp dụng.");
- a sentence ending where the passage shown to the model was cut ("… cần hoàn thiện và đi trước một").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.clauses import MARKER
from assistant.text.references import fold
from assistant.text.vietnamese import has_diacritics, nfc

_WORD = re.compile(r"[^\W\d_]+")
# Question words, accented and typed without marks: the passage states, it does not ask.
_ASKING = re.compile(r"(?<![^\W_])(?:bao lâu|bao nhiêu|khi nào|lúc nào|ở đâu|tại sao|vì sao|thế nào|ra sao|hay không|"
                     r"được không|phải không|đúng không|có phải|mấy lần|bao lau|bao nhieu|khi nao|o dau|duoc khong|"
                     r"hay khong|phai khong)(?![^\W_])")
_NEEDS_MARKS = re.compile(r"(?:ie|ye|uo)[a-z]")
_HEADING = re.compile(r"^\s*(?:Điều\s+\d+[a-zđ]?\.|[IVXLC]+[.-]|\d+(?:\.\d+)*\.)?\s*(?P<title>[^.;:\n]{3,120})\s*$")


def stripped_copies(body: str, passages: Sequence[str]) -> list[str]:
    """Words of an accented sentence written without their marks: two or more in a row that the passages write
    with marks ("so tay dang" for "Sổ tay đảng"), or one no Vietnamese word is spelt like ("Tieu chi"). Upper-case
    abbreviations and words the passages also write bare are left alone."""
    if not has_diacritics(body):
        return []  # an accent-free sentence is judged by the accent-free checks
    theirs = [w.lower() for p in passages for w in _WORD.findall(nfc(p))]
    bare = {w for w in theirs if w.isascii()}
    marked = {fold(w) for w in theirs if not w.isascii()}
    words = _WORD.findall(nfc(body))
    unmarked = [w.isascii() and len(w) > 1 and not w.isupper() for w in words]
    copied = [u and w.lower() in marked and w.lower() not in bare for u, w in zip(unmarked, words, strict=True)]
    # Runs of unmarked words the passages do not write so, holding words they write with marks: "so tay dang"
    # (the passage has "đảng"), "phai dua" (it has "phải", "đưa").
    runs: list[list[int]] = []
    for i, u in enumerate(unmarked):
        if u and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif u:
            runs.append([i])
    # Two copies, or one among words the passages do not have at all (taken from the question: "so tay dang").
    # ("Khi ban hành": two everyday words, one of them also "bàn"/"bản", is no copy; words the passages write
    # bare too, like "tay" in "Sổ tay", join a run but do not count.)
    absent = [u and w.lower() not in bare and w.lower() not in marked for u, w in zip(unmarked, words, strict=True)]
    in_runs = {i for run in runs for i in run if (copied[i] or absent[i]) and (
        sum(copied[j] for j in run) >= 2 or (any(copied[j] for j in run) and sum(absent[j] for j in run) >= 2))}
    out = []
    for i, word in enumerate(words):
        in_run = i in in_runs
        # Alone, "chi", "ban", "giao" are words of their own; "tieu", "vien", "duoc" are no Vietnamese spelling
        # (iê, uô, ươ need their marks), wherever the sentence took them from.
        misspelt = word.isascii() and not word.isupper() and word.lower() not in bare \
            and bool(_NEEDS_MARKS.search(word.lower()))
        if in_run or misspelt:
            out.append(word)
    return out


def asked_back(body: str, passages: Sequence[str]) -> str | None:
    """A question word the sentence uses and the passages do not: the model echoed the question."""
    found = _ASKING.search(nfc(body).lower())
    if found and not any(found.group(0) in nfc(p).lower() for p in passages):
        return found.group(0)
    return None


def _headings(passage: str) -> list[str]:
    """Titles in a passage: the name after "Điều N.", a line of a few words with no sentence end."""
    out = []
    for line in nfc(passage).splitlines():
        m = _HEADING.match(line)
        if m and len(m.group("title").split()) <= 12:
            out.append(fold(m.group("title")).strip())
        first = re.match(r"\s*Điều\s+\d+[a-zđ]?\.\s*([^.;:\n]{3,80}?)(?:\s{2,}|$|(?=\s[A-ZĐ][a-zà-ỹ]+\s))", line)
        if first:
            out.append(fold(first.group(1)).strip())
    return out


def only_a_heading(body: str, passages: Sequence[str]) -> bool:
    """The sentence is nothing but a heading of the passage ("Đối tượng áp dụng")."""
    said = fold(MARKER.sub(" ", nfc(body))).strip(" .:;,\n")
    said = re.sub(r"\s+", " ", said)
    return bool(said) and any(said == h for p in passages for h in _headings(p))


def ends_at_cut(sentence: str, shown: str, words: int = 3) -> bool:
    """The sentence ends with the last words of a passage that was cut off mid-sentence (``shown`` does not end a
    sentence): the model copied a fragment."""
    shown = nfc(shown).rstrip().removesuffix("…").rstrip()
    if not shown or shown[-1] in ".;:!?)\"”":
        return False
    tail = _WORD.findall(fold(shown))[-words:]
    mine = _WORD.findall(fold(MARKER.sub(" ", nfc(sentence))))
    return len(tail) == words and mine[-words:] == tail


def copied_from_question(sentence: str, question: str, passages: Sequence[str]) -> list[str]:
    """Words of an accented sentence taken bare from an accent-free question, that the passages do not write bare:
    two or more in a row ("Đối với o thi, cần cập nhật …" for "doi cho o thi phai cap nhat …"), or one the passages
    write with its marks ("ngan sách")."""
    if has_diacritics(question) or not has_diacritics(sentence):
        return []
    asked = {w.lower() for w in _WORD.findall(nfc(question))}
    theirs = [w.lower() for p in passages for w in _WORD.findall(nfc(p))]
    bare = {w for w in theirs if w.isascii()}
    marked = {fold(w) for w in theirs if not w.isascii()}
    words = _WORD.findall(nfc(MARKER.sub(" ", sentence)))
    taken = [w.isascii() and not w.isupper() and w.lower() in asked and w.lower() not in bare for w in words]
    # Alone, a word counts when the passage writes it with its marks ("ngan sách" for the passage's "ngân sách").
    return [w for i, w in enumerate(words)
            if taken[i] and ((i > 0 and taken[i - 1]) or (i + 1 < len(words) and taken[i + 1])
                             or w.lower() in marked)]


# The asker's voice: pronouns of the one asking, hearsay, the particles of a question.
# Matched with their marks: folded, "tối thiểu" and "chủ nuôi" would read as "tôi" and "chú".
_ASKER = frozenset({"tôi", "tui", "em", "chú", "cháu", "nghe", "vậy", "vây", "hỏi", "ơi", "nhỉ"})


def restates_question(sentence: str, question: str, passages: Sequence[str], *, run: int = 6) -> list[str]:
    """The member's own words copied as the answer's opening ("Chú nghe nói chị Hạnh được giao việc …, vậy hạn
    phải xong là ngày …"): the sentence opens with at least ``run`` words of the question, two or more of them
    words no passage has, among them the asker's own ("chú", "nghe", "vậy"). Returns those words."""
    mine = _WORD.findall(fold(MARKER.sub(" ", nfc(sentence))))
    asked = _WORD.findall(fold(nfc(question)))
    shared = 0
    while shared < min(len(mine), len(asked)) and mine[shared] == asked[shared]:
        shared += 1
    theirs = {w for p in passages for w in _WORD.findall(fold(nfc(p)))}
    own = [w for w in mine[:shared] if w not in theirs]
    voice = {w.lower() for w in _WORD.findall(nfc(MARKER.sub(" ", sentence)))[:shared]} & _ASKER
    # Restating the topic is fine ("Đảng viên phải cập nhật thông tin … trong 10 ngày"); the member's voice is not.
    return own if shared >= run and len(own) >= 2 and voice else []
