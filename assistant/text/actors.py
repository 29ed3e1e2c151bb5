"""Who does what: the actor a sentence gives a verb, or a thing, must be the one the passage gives it.

Related bodies are different bodies: "chi bộ" is not "chi ủy" nor "cấp ủy cơ sở", "Bộ Công an" is not "Bộ
Quốc phòng", a husband is not a wife. A model restating "Cấp ủy cơ sở xem xét, quyết định xếp loại" as "Chi bộ
quyết định xếp loại" uses only the passage's words, so no share of words found can see the slip; what changed
is who governs the verb.

Three readings, each made only where the passage itself says who acts:

- the actor of a verb: the actors named before a verb in its part of the sentence (a part ends at ".", ";",
  "còn", "nhưng") must include one the passage names before that verb in its own part ("Chủ trì: đồng chí A"
  names A after a colon);
- the owner of a thing: "Chỉ thị 50 của Ban Bí thư" written "… của Bộ Chính trị" when the passage gives those
  words another owner;
- the actor in a slot: "chất lượng tổ chức đảng" written "chất lượng đảng viên", an actor put right after
  words the passage puts another actor after, and never this one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.placement import Mention, actor_mentions
from assistant.text.references import fold
from assistant.text.vietnamese import nfc

# Read on folded text, where "còn", "nhưng", "riêng" cannot be told from "con", "những", "rieng", and "song" is
# mostly "sống": parts end at sentence punctuation and markers only.
_PART = re.compile(r"(?<!\d)\.(?!\d)\s|[!?;\n]|\[\d+\]")
# Words between an actor and its verb that say how, not what: "không có quyền", "có trách nhiệm", "tự".
_MODAL = {"khong", "duoc", "phai", "co", "quyen", "trach", "nhiem", "nghia", "vu", "can", "nen", "the", "bi",
          "se", "da", "dang", "moi", "chi", "deu", "cung", "van", "tu", "cac", "thi", "la", "va", "hoac", "cho",
          "truc", "tiep"}
_WORD = re.compile(r"[a-z0-9]+")
_TABLE_ROW = re.compile(r"(?m)^\s*\|.*\|\s*$")


def _parts(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PART.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    return [*spans, (pos, len(text))]


def _part_at(text: str, pos: int) -> tuple[int, int]:
    """The part holding ``pos``; a position inside a separator (" còn ", "[2]") belongs to the part before it."""
    return [(s, e) for s, e in _parts(text) if s <= pos][-1]


def _same(key: str, others: set[str]) -> bool:
    """Whether ``key`` is one of ``others``, a name cut differently included ("viet nam", "phim viet nam")."""
    return any(f" {key} " in f" {o} " or f" {o} " in f" {key} " for o in others)


def _verb(folded: str, end: int) -> tuple[str, str] | None:
    """The first two words after ``end`` that are not a modal or negation: the verb the actor governs."""
    words = [w.group(0) for w in _WORD.finditer(folded[end:end + 80])]
    while words and words[0] in _MODAL:
        words.pop(0)
    return (words[0], words[1]) if len(words) >= 2 and not words[0].isdigit() else None


def _governors(text: str, mentions: Sequence[Mention], verb: tuple[str, str]) -> list[set[str]]:
    """For each place ``text`` (folded) has ``verb``, the actors its part names before it (or, for "verb: …",
    after the colon)."""
    out = []
    for m in re.finditer(rf"(?<![a-z0-9]){verb[0]} {verb[1]}(?![a-z0-9])", text):
        start, end = _part_at(text, m.start())
        before = {k for k, s, _ in mentions if start <= s and s < m.start()}
        if not before and text[m.end():m.end() + 2].lstrip().startswith(":"):
            before = {k for k, s, _ in mentions if m.end() <= s < end}
        out.append(before)
    return out


def wrong_actors(sentence: str, passages: Sequence[str], bodies: Sequence[str] = ()) -> list[str]:
    """Actors the sentence makes do what a cited passage has another actor do, or own what it has another
    actor own (see the module docstring). Only actors the passage names are judged: one it does not name at
    all is a missing body, checked elsewhere."""
    text = fold(nfc(sentence))
    mine = actor_mentions(sentence, bodies)
    wrong: list[str] = []
    acts: dict[tuple[str, tuple[str, str]], bool] = {}  # (actor, verb) → some cited passage has that actor do it
    slots: dict[str, bool] = {}  # "words actor" → some cited passage puts that actor after those words
    for passage in passages:
        theirs_text = fold(nfc(passage))
        theirs = actor_mentions(passage, bodies)
        named = {k for k, _, _ in theirs}
        table = bool(_TABLE_ROW.search(passage))  # who does what sits in a column there, not before the verb
        for key, start, end in mine:
            if key not in named:
                continue
            part_start = _part_at(text, start)[0]
            verb = _verb(text, end)
            if verb and not table:
                here = {k for k, s, _ in mine if part_start <= s <= start}
                governors = _governors(theirs_text, theirs, verb)
                if governors and all(governors):
                    agreed = any(_same(k, set().union(*governors)) for k in here)
                    acts[(key, verb)] = acts.get((key, verb), False) or agreed
            owned = _WORD.findall(text[max(0, start - 40):start])[-4:]
            if len(owned) == 4 and owned[-1] == "cua":
                owners = {k for k, s, _ in theirs if _WORD.findall(theirs_text[max(0, s - 40):s])[-4:] == owned}
                if owners and not _same(key, owners):
                    wrong.append(f"{' '.join(owned[:-1])} của {key}")
        for slot, agreed in _slots(text, mine, theirs_text, theirs).items():
            slots[slot] = slots.get(slot, False) or agreed
        if table:
            wrong += _wrong_rows(text, mine, theirs_text, bodies)
    # Wrong only when no cited passage has that actor do it ("… cấp huyện báo cáo … [1], còn … cấp tỉnh báo cáo … [2]").
    wrong = [f"{key} ({' '.join(verb)})" for (key, verb), agreed in acts.items() if not agreed] + wrong \
        + [slot for slot, agreed in slots.items() if not agreed]
    return list(dict.fromkeys(wrong))


def _wrong_rows(text: str, mine: Sequence[Mention], table: str, bodies: Sequence[str]) -> list[str]:
    """Actors the sentence puts with the words of a table row that names another actor (a roadmap's "Triển khai
    toàn quốc … Văn phòng các tỉnh ủy" given to "Văn phòng Trung ương Đảng", which leads the other rows)."""
    rows = [r for r in table.splitlines() if _TABLE_ROW.match(r)]
    actors = [{k for k, _, _ in actor_mentions(r, bodies)} for r in rows]
    own = set(_WORD.findall(text)) - {w for k, _, _ in mine for w in k.split()}
    out = []
    for key, _, _ in mine:
        holding = [i for i, a in enumerate(actors) if _same(key, a)]
        if not holding:
            continue
        shared = [len(own & (set(_WORD.findall(r)) - {w for k in actors[i] for w in k.split()})) for i, r in enumerate(rows)]
        best = max(range(len(rows)), key=lambda i: shared[i])
        if actors[best] and best not in holding and shared[best] > max(shared[i] for i in holding):
            out.append(f"{key} (hàng khác)")
    return out


def _slots(text: str, mine: Sequence[Mention], theirs_text: str, theirs: Sequence[Mention]) -> dict[str, bool]:
    """For each actor the sentence puts right after two words the passage puts actors after: whether one of
    those is this actor."""
    out = {}
    for key, start, _ in mine:
        before = re.search(r"([a-z]+) ([a-z]+) $", text[max(0, start - 30):start])
        if not before or any(w in _MODAL for w in before.groups()):
            continue
        slot = before.group(0)
        there = {k for k, s, _ in theirs if theirs_text[max(0, s - 30):s].endswith(slot)}
        if there:
            out[f"{slot}{key}"] = _same(key, there)
    return out
