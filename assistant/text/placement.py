"""Is a figure or an actor put where the passage puts it?

A model that restates a passage with two figures of one kind ("45 ngày đối với hợp đồng không xác định thời
hạn hoặc 30 ngày đối với hợp đồng xác định thời hạn", "a) …: tối đa 30 điểm; b) …: tối đa 20 điểm") often copies
the neighbouring one: every figure it writes is in the passage, yet tied to the wrong thing. The same slip with
actors swaps who does what ("A thông báo cho B" restated as "B thông báo cho A").

Each mention in the passage gets a context: the words of its own part of the passage (a list item, a part
between ";", or, inside one part, the words from it to the next mention), less what is shared by all. A mention
in the sentence is read with the words the sentence puts with it. When the words that set another mention apart
match the sentence's words better than those of the mention the sentence names, the sentence has put it in the
wrong place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.text.quantities import quantities
from assistant.text.references import fold
from assistant.text.vietnamese import nfc

# Words that tie, not tell: they never set one part of a passage apart from another.
_GLUE = {
    "la", "cua", "va", "cac", "nhung", "cho", "theo", "voi", "ve", "trong", "tai", "thi", "ma", "de", "do", "tu",
    "den", "nay", "hoac", "bi", "boi", "neu", "khi", "duoc", "phai", "co", "the", "mot", "nhat", "it", "toi", "da",
    "thieu", "so", "sau", "truoc", "ke", "ngay", "thang", "nam", "gio", "tuan", "phut", "quy", "lam", "viec", "o",
    "dong", "chi", "nguoi", "ra", "vao", "tren", "duoi", "khoan", "dieu", "diem", "muc", "tro", "len", "xuong",
    "doi", "han", "thoi", "dinh", "con", "deu", "se", "dang", "moi", "nhu",
}
_TIME = {"ngay", "ngay lam viec", "thang", "nam", "tuan", "gio", "phut", "quy"}
_AGE = {"tuoi", "thang tuoi"}  # "03 tháng tuổi" and "06 tuổi" are both ages
_BLOCK = re.compile(r"(?<!\d)\.(?!\d)\s|[!?]\s")
_PART = re.compile(r";|\n")
_SENTENCE_PART = re.compile(r";|\n|\s(?:và|còn|riêng|nhưng|song)\s")
_CLAUSE = re.compile(r",\s|\s(?:và|hoặc|còn|riêng|nhưng|song)\s")

_RATIO = re.compile(r"(?<![\d/])(\d+)\s*(?:/|tren)\s*$")
Mention = tuple[str, int, int]  # (key, start, end) in the text


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(nfc(text))) if w not in _GLUE and not w.isdigit()}


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [m.end() for m in pattern.finditer(text, start, end)] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def contexts(text: str, mentions: Sequence[Mention], parts: re.Pattern[str] = _PART) -> list[tuple[str, set[str]]]:
    """(key, context words) for each mention of ``text``. A part (a list item, the text between ";") with one
    mention gives it all its words; in a part with several, each clause (cut at ",", "và", "hoặc", "còn",
    "riêng") goes to the mention it holds, or to the next mention when it holds none. A sentence's opening
    before the first of its several mentions is shared by them all: its words set none apart."""
    out: list[tuple[str, set[str]]] = []
    shared: set[str] = set().union(*(_words(text[s:e]) for _, s, e in mentions))  # the mentions' own words
    for b_start, b_end in _spans(_BLOCK, text, 0, len(text)):
        inside = sorted((m for m in mentions if b_start <= m[1] < b_end), key=lambda m: m[1])
        if not inside:
            continue
        for p_start, p_end in _spans(parts, text, b_start, b_end):
            here = [m for m in inside if p_start <= m[1] < p_end]
            if not here:
                continue
            opening = len(inside) > 1 and here[0] is inside[0] and not text[b_start:p_start].strip(" .;\n")
            if opening:
                shared |= _words(text[p_start:here[0][1]])
            if len(here) == 1 and not opening:
                out.append((here[0][0], _words(text[p_start:p_end])))
                continue
            cuts = [p_start] + [m.end() for m in _CLAUSE.finditer(text, p_start, p_end)] + [p_end]
            ctx: list[set[str]] = [set() for _ in here]
            pending: set[str] = set()
            for a, b in zip(cuts, cuts[1:], strict=False):
                held = [i for i, m in enumerate(here) if a <= m[1] < b]
                if not held:
                    pending |= _words(text[a:b])
                    continue
                for n, i in enumerate(held):
                    start = here[i][1] if (n > 0 or (opening and i == 0)) else a
                    end = here[held[n + 1]][1] if n + 1 < len(held) else b
                    ctx[i] |= _words(text[start:end])
                if not (opening and held[0] == 0):
                    ctx[held[0]] |= pending
                pending = set()
            if pending:
                ctx[-1] |= pending
            out += list(zip((m[0] for m in here), ctx, strict=True))
    return [(key, words - shared) for key, words in out]


def misplaced(sentence: str, passage: str, find: Callable[[str], list[Mention]], *, margin: int = 1) -> list[str]:
    """Keys the sentence gives that the passage gives too, but with words the passage gives another key of the
    same kind: the figure or actor of a neighbouring part."""
    theirs = contexts(passage, find(passage))
    keys = {k for k, _ in theirs}
    if len(keys) < 2:
        return []
    wrong = []
    for key, words in contexts(sentence, find(sentence), _SENTENCE_PART):
        if key not in keys:
            continue
        best_mine = best_other = 0
        for other, ctx in theirs:
            rest = set().union(*(c for k, c in theirs if k != other))
            hits = len(words & (ctx - rest))
            if other == key:
                best_mine = max(best_mine, hits)
            else:
                best_other = max(best_other, hits)
        if best_other >= best_mine + margin:
            wrong.append(key)
    return wrong


def figure_mentions(text: str) -> list[Mention]:
    """Figures with a unit, keyed "value unit" (time spans share one kind, so "01 năm" and "30 ngày" compete)."""
    text = nfc(text)
    folded = fold(text)
    out = []
    for q in quantities(text):
        if q.unit is None or (q.unit == "phut" and re.search(r"\bgio\s*$", folded[:q.start])):
            continue  # the minutes of a clock time ("21 giờ 00 phút") are no figure of their own
        ratio = _RATIO.search(folded, 0, q.start)
        if ratio:  # "25/28 đảng viên", "25 trên 28 đảng viên": the count is 25, 28 is the whole
            out.append((f"{float(ratio.group(1)):g} {q.unit}", ratio.start(1), ratio.end(1)))
            continue
        token = re.match(r"\S+", folded[q.start:])
        out.append((f"{q.value:g} {q.unit}", q.start, q.start + (len(token.group(0)) if token else 0)))
    return out


def misplaced_figures(sentence: str, passages: Sequence[str]) -> list[str]:
    """Figures the sentence ties to what a cited passage ties to another figure of the same kind, and that no
    cited passage gives where the sentence puts them."""
    wrong: list[str] = []
    fine: set[str] = set()
    for passage in passages:
        for kind in _kinds(passage):
            def find(text: str, kind: str = kind) -> list[Mention]:
                return [m for m in figure_mentions(text) if _kind(m[0]) == kind]
            bad = misplaced(sentence, passage, find)
            wrong += [w for w in bad if w not in wrong]
            fine |= {k for k, _, _ in find(passage)} - set(bad)
    return [w for w in wrong if w not in fine]


def _kind(key: str) -> str:
    return unit_kind(key.split(" ", 1)[1])


def unit_kind(unit: str) -> str:
    """What a unit measures: time spans are one kind ("01 năm" competes with "30 ngày"), ages another."""
    return "time" if unit in _TIME else "age" if unit in _AGE else unit


def _kinds(passage: str) -> set[str]:
    return {_kind(k) for k, _, _ in figure_mentions(passage)}


# People and roles a passage assigns duties to (matched on accented lower-case text: "chồng" is not "chống").
ROLES: tuple[str, ...] = (
    "người có thẩm quyền", "người đứng đầu", "đảng viên", "viên chức", "công chức", "cán bộ", "công dân",
    "vợ", "chồng", "cha", "mẹ", "bị đơn", "nguyên đơn", "trọng tài viên", "chủ quản", "lực lượng chuyên trách",
    "người lao động", "người sử dụng lao động", "doanh nghiệp", "cá nhân", "học sinh", "chủ tịch", "thư ký",
    "phó bí thư", "chi ủy viên", "cấp ủy viên", "ủy viên", "người đến lưu trú", "thành viên hộ gia đình",
    "tổ chức đảng",
)
# What tells two mentions of one kind apart: "công an cấp xã nơi chuyển đi" is not "… nơi chuyển đến".
_QUALIFIER = r"(?:\s+cơ sở)?(?:\s+cấp\s+(?:xã|huyện|tỉnh|cơ sở|trên|dưới|trung ương))?(?:\s+nơi\s+[^\W\d_]+(?:\s+(?:đi|đến))?)?"


def actor_mentions(text: str, bodies: Sequence[str] = ()) -> list[Mention]:
    """Actors the text names: bodies (``bodies``, folded), roles (``ROLES``) and names of two or more
    capitalised words, each with the level or place that qualifies it ("công an cấp xã nơi chuyển đi")."""
    text = nfc(text)
    lower = text.lower()
    folded = fold(text)
    spans: list[tuple[int, int]] = []
    for name in sorted({fold(b) for b in bodies}, key=len, reverse=True):
        spans += [m.span() for m in re.finditer(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded)]
    for role in sorted(ROLES, key=len, reverse=True):
        spans += [m.span() for m in re.finditer(rf"(?<![^\W\d_]){re.escape(role)}(?![^\W\d_])", lower)]
    words = list(re.finditer(r"[^\W\d_]+", text))
    i = 0
    while i < len(words):  # names: two or more capitalised words in a row, not opening the text
        j = i
        while j < len(words) and words[j].group(0)[0].isupper() and words[j].start() > 0 \
                and (j == i or not text[words[j - 1].end():words[j].start()].strip()):
            j += 1
        if j - i >= 2:
            spans.append((words[i].start(), words[j - 1].end()))
        i = max(j, i + 1)
    out: list[Mention] = []
    for start, end in sorted(spans, key=lambda se: (se[0], -se[1])):
        if out and start < out[-1][2]:
            continue  # inside a longer mention
        qualifier = re.match(_QUALIFIER, lower[end:])
        end += qualifier.end() if qualifier else 0
        out.append((fold(lower[start:end]), start, end))
    return out


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = re.findall(r"[a-z0-9]+", fold(nfc(text)))
    return set(zip(words, words[1:], strict=False))


def _extended(text: str, mention: Mention, passage: str, most: int = 6) -> Mention:
    """The mention with the words after it that the passage also has after it ("người đứng đầu" + "đơn vị sự
    nghiệp công lập"): the whole noun phrase moves in a swap."""
    key, start, end = mention
    after = list(re.finditer(r"[a-z0-9]+", fold(text)[end:]))[:most]
    theirs = fold(nfc(passage))
    best = end
    for n in range(1, len(after) + 1):
        phrase = key + " " + " ".join(w.group(0) for w in after[:n])
        if not re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", theirs):
            break
        best = end + after[n - 1].end()
    return key, start, best


def swapped_actors(sentence: str, passages: Sequence[str], bodies: Sequence[str] = (), *,
                   margin: int = 2) -> list[str]:
    """Pairs of actors the sentence names in each other's place: with the two exchanged, the sentence reads
    more like a cited passage (``margin`` more word pairs of it) than as written. "Công an nơi chuyển đến
    thông báo cho công an nơi chuyển đi" for "… nơi chuyển đi … thông báo cho … nơi chuyển đến"; "được ký số
    bởi đảng viên, còn người có thẩm quyền xác thực" for the other way round."""
    text = nfc(sentence)
    mine = actor_mentions(text, bodies)
    wrong: list[str] = []
    for passage in passages:
        theirs = _bigrams(passage)
        named = {k for k, _, _ in actor_mentions(passage, bodies)}
        here = [_extended(text, m, passage) for m in mine if m[0] in named]
        written = len(_bigrams(text) & theirs)
        for i, a in enumerate(here):
            for b in here[i + 1:]:
                if a[0] == b[0]:
                    continue
                swapped = text[:a[1]] + text[b[1]:b[2]] + text[a[2]:b[1]] + text[a[1]:a[2]] + text[b[2]:]
                if len(_bigrams(swapped) & theirs) >= written + margin:
                    wrong.append(f"{a[0]} / {b[0]}")
    return list(dict.fromkeys(wrong))


# "mỗi mục 20 điểm" for a list of 20, 30 and 10: one item's figure said of every item.
_EACH = re.compile(r"(?<![^\W_])(?:mỗi|từng|tất cả)(?![^\W_])")
_CLAUSE_EDGE = re.compile(r"[;:,.\n]")


def _listed_figures(passage: str) -> dict[str, list[bool]]:
    """For each figure of ``passage``, whether each of its mentions stands in a list: other values of the same kind in
    the same sentence, and no "mỗi" of its own around it."""
    passage = nfc(passage)
    lower = passage.lower()
    mentions = figure_mentions(passage)
    blocks = _spans(_BLOCK, passage, 0, len(passage))
    out: dict[str, list[bool]] = {}
    for key, start, end in mentions:
        a, b = next(((a, b) for a, b in blocks if a <= start < b), (0, len(passage)))
        others = any(a <= m[1] < b and m[0] != key and _kind(m[0]) == _kind(key) for m in mentions)
        left = max((m.end() for m in _CLAUSE_EDGE.finditer(passage, a, start)), default=a)
        right = next((m.start() for m in _CLAUSE_EDGE.finditer(passage, end, b)), b)
        out.setdefault(key, []).append(others and not _EACH.search(lower, left, right))
    return out


def overgeneralised_figures(sentence: str, passages: Sequence[str]) -> list[str]:
    """Figures the sentence says of each or all ("mỗi", "từng", "tất cả" before it in its clause) where every
    cited passage that gives the figure lists other values of the same kind beside it, in the same sentence, and
    says no "mỗi" of its own around it. ("Cả A và B đều …" says it of both documents, not of every item.)"""
    lower = nfc(sentence).lower()
    said_of_all = [key for key, start, _ in figure_mentions(sentence)
                   if _EACH.search(lower, max((m.end() for m in _CLAUSE_EDGE.finditer(lower, 0, start)), default=0),
                                   start)]
    if not said_of_all:
        return []
    listed: dict[str, list[bool]] = {}
    for passage in passages:
        for key, flags in _listed_figures(passage).items():
            listed.setdefault(key, []).extend(flags)
    return [key for key in said_of_all if listed.get(key) and all(listed[key])]
