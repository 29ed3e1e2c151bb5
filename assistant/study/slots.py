"""What a question asks for, and where in the top passages the answer would have to be.

A question asking for a figure ("thời hạn bao nhiêu năm", "bao nhiêu phần trăm", "mấy lần", "ngày nào") is
answered by a sentence holding a figure of that kind ("05 năm", "30%", "một lần", "ngày 01/7/2025"), and that
very sentence must be about what the question asks: its **slot**. A near miss shares the passages' words but not
the slot sentence's: "thẻ hướng dẫn viên du lịch tại điểm có thời hạn bao nhiêu năm?" finds "Thẻ hướng dẫn viên du
lịch quốc tế và thẻ hướng dẫn viên du lịch nội địa có thời hạn 05 năm." — every word but the qualifier "điểm",
which is in the sentence before. A claim stating a figure ("… định kỳ 90 ngày một lần, đúng hay sai?") is decided
by a sentence stating one of that kind. A question asking for nothing countable is held to its best sentence.

A unit is one sentence of a passage with what governs it: the passage's document, headings, heading lines, the
lead-in of the list it belongs to ("Hồ sơ … bao gồm:" for "b) 02 ảnh chân dung màu cỡ 3 cm x 4 cm;") and, when
search found it, the document's front matter (the issuing cell, "CHI BỘ ẤP PHƯỚC TÂN").

Also here: the kind of document a question is about ("Nghị định của Chính phủ hướng dẫn …"), which the top
passages may not be. The refusal model (``relevance.py``) reads both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.records import Hit
from assistant.text.overlap import STOPWORDS, content_bigrams, content_terms, sentences
from assistant.text.references import fold
from assistant.text.vietnamese import nfc

DURATION, DATE, PERCENT, MONEY, AGE, TIMES, POINTS, HOUR, NUMBER = (
    "duration", "date", "percent", "money", "age", "times", "points", "hour", "number")

_N = r"(?:bao nhieu|may)"
# What a question asks for, most specific first (folded text).
_ASKED: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PERCENT, re.compile(rf"{_N} (?:phan tram|%)|\bty le\b[^?]*\bbao nhieu|\bbao nhieu %")),
    (MONEY, re.compile(rf"{_N} (?:tien|(?:nghin |ngan |trieu |ty )?dong\b|trieu|ty\b)")),
    (AGE, re.compile(rf"{_N} tuoi|\btuoi\b[^?]*\bla bao nhieu")),
    (TIMES, re.compile(rf"{_N} lan\b")),
    (POINTS, re.compile(rf"{_N} diem\b")),
    (HOUR, re.compile(r"\bmay gio\b|\bgio nao\b|\bkhung gio\b")),
    (DATE, re.compile(r"\b(?:ngay|thang|nam|thoi diem) nao\b|\bbao gio\b")),
    (DURATION, re.compile(rf"\bbao lau\b|{_N} (?:ngay|thang|nam|tuan|phut|gio|quy|nhiem ky)\b"
                          r"|\b(?:thoi han|thoi hieu|thoi gian)\b[^?]*\bbao nhieu\b")),
    (NUMBER, re.compile(r"\bbao nhieu\b|\bmay (?:nguoi|dang vien|thanh vien|loai|hinh thuc|cap|buoc|muc)\b")),
)
_UNITS = {
    DURATION: r"ngay|thang|nam|tuan|gio|phut|quy(?!\s+(?:dinh|che|trinh|mo|hoach|tac|pham|chuan))|nhiem ky",
    AGE: r"tuoi",
    TIMES: r"lan",
    POINTS: r"diem",
    PERCENT: r"%|phan tram",
    MONEY: r"(?:nghin |ngan |trieu |ty )?dong(?!\s+chi\b)|trieu|ty|vnd",
    HOUR: r"gio|h",
}
# The question's own words for what it asks ("bao lâu", "bao nhiêu năm"): the slot's figure stands for them.
_ASKING = re.compile(r"\b(?:bao lau|bao gio|(?:bao nhieu|may) (?:" + "|".join(_UNITS.values()) + r"|tien)"
                     r"|(?:ngay|thang|nam|gio|thoi diem) nao|bao nhieu|ty le)(?![a-z0-9])")
# Numbers in words are read on accented text ("sáu tháng" is six months, "sau tháng" is not; "tư" is also
# "private", "năm" also "year", "một" also "a": alone, those count only before a unit).
_NUMBER_WORD = "một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|tỉ|linh|lẻ"
_UNIT_WORD = "ngày|tháng|năm|tuần|giờ|phút|quý|nhiệm kỳ|tuổi|lần|điểm|phần trăm|đồng|người"
_WORD_AMOUNT = re.compile(
    rf"(?<!\d\s)(?<![^\W\d_])(?:(?:{_NUMBER_WORD})\s+)*(?:{_NUMBER_WORD})(?=\s+(?:{_UNIT_WORD})(?![^\W\d_]))"
    rf"|(?<![^\W\d_])(?:(?:{_NUMBER_WORD})\s+)+(?:{_NUMBER_WORD})(?![^\W\d_])"
    r"|(?<![^\W\d_])(?:hai|ba|bốn|sáu|bảy|tám|chín|mười)(?![^\W\d_])")
_NUMBER = r"(?<![a-z0-9])\d+(?:[.,]\d+)*\s*"
_FIGURE = {kind: re.compile(rf"{_NUMBER}(?:{units})(?![a-z0-9])") for kind, units in _UNITS.items()}
_FIGURE[HOUR] = re.compile(r"(?<![a-z0-9])\d{1,2}\s*(?:gio|h)(?![a-z])|\d{1,2}:\d\d")
# How often, on accented text ("cư trú quy định" is not "cứ … quý"): "hằng năm", "mỗi quý", "định kỳ 6 tháng".
_PERIOD = re.compile(
    r"(?<![^\W\d_])(?:hằng|hàng|mỗi|định kỳ|cứ)\s+(?:[^\W_]+\s+)?(?:ngày|tuần|tháng|quý|năm)(?![^\W\d_])")
_DATE_WORDS = re.compile(r"\bngay \d{1,2}\b|\bnam \d{4}\b|\bthang \d{1,2}\b|\d{1,2}/\d{1,2}/\d{4}")
_ITEM = re.compile(r"^\W*(?:[a-zđ]\)|[-–•+*]\s|\d+(?:\.\d+)+\.?\s)")
_TERMINAL = re.compile(r"[.;!?…]\W*$")


def asked_slot(question: str) -> str | None:
    """The kind of figure a question asks for ("bao lâu": a duration), or None when it asks none."""
    folded = fold(nfc(question))
    for kind, pattern in _ASKED:
        if pattern.search(folded):
            return kind
    return None


_STATED = (PERCENT, MONEY, AGE, TIMES, POINTS, HOUR, DURATION)


def stated_slot(claim: str) -> str | None:
    """The kind of the first amount a claim states ("… định kỳ 90 ngày một lần, đúng hay sai?": a duration)."""
    found = [(m.start(), kind) for kind in _STATED for m in [_first(kind, claim)] if m is not None]
    return min(found)[1] if found else None


def _first(kind: str, text: str) -> re.Match[str] | None:
    return _FIGURE[kind].search(_amounts(text)) or (_PERIOD.search(nfc(text).lower()) if kind in (DURATION, TIMES)
                                                    else None)


def _amounts(text: str) -> str:
    """``text`` folded, with what is not an amount blanked (dates, labels, years, document numbers) and numbers in
    words written "9" ("ba mươi ngày" → "9 ngay"), offsets kept. Blanking reads the words as written, so
    "03 tháng một lần" stays "03 thang 9 lan" and is not taken for the date "tháng 9"."""
    lower = nfc(text).lower()
    chars = list(fold(lower))
    for pattern in (_LABEL, _NOT_AMOUNT):
        for m in pattern.finditer("".join(chars)):
            chars[m.start():m.end()] = " " * (m.end() - m.start())
    for m in _WORD_AMOUNT.finditer(lower):
        chars[m.start():m.end()] = "9".ljust(m.end() - m.start())
    return "".join(chars)


def slot_terms(question: str) -> set[str]:
    """The question's content terms without its asking words ("bao lâu", "bao nhiêu năm")."""
    return content_terms(_ASKING.sub(" ", fold(nfc(question))))


def holds(kind: str, text: str, counted: str = "") -> bool:
    """Whether ``text`` states a figure of ``kind``: "05 năm" a duration, "30%" a percentage, "một lần" a count;
    for a plain number, one counting ``counted`` when given ("04 tổ chức đảng" for "bao nhiêu tổ chức")."""
    plain = fold(nfc(text))
    if kind == DATE:
        return bool(_DATE_WORDS.search(plain))
    if kind in (DURATION, TIMES) and _PERIOD.search(nfc(text).lower()):
        return True  # "hằng năm", "mỗi quý một lần"
    folded = _amounts(text)  # "ngày 12 tháng 01 năm 2026", "09-QĐ/ĐU": no amount
    if kind in (MONEY, PERCENT, NUMBER) and _BY_REFERENCE.search(plain):
        return True  # "mức đóng … năm 2026 giữ nguyên như năm 2025": an amount given by reference
    if kind in _FIGURE and _FIGURE[kind].search(folded):
        return True
    if kind == NUMBER:
        if counted:
            nouns = _PEOPLE if counted in _PEOPLE_FIRST else counted
            if re.search(rf"(?<![a-z])(?:{nouns})(?![a-z])", folded) and _ENUMERATES.search(folded):
                return True  # "… đào tạo trình độ sơ cấp, trình độ trung cấp, trình độ cao đẳng và …": count them
            # "04 tổ chức đảng"; "01 đồng chí làm quản trị viên" (people named by their role)
            return bool(re.search(rf"{_NUMBER}(?:(?:{_PEOPLE})\s+(?:[a-z]+\s+){{0,2}})?(?:{nouns})(?![a-z])", folded))
        return bool(re.search(r"\d", folded))
    return False


# Numbers that are not amounts: dates, article and clause labels, years, document numbers ("09-QĐ/ĐU").
_NOT_AMOUNT = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\bngay\s+\d{1,2}\s*[/.-]\s*\d{1,2}"
                         r"|\b(?:ngay|thang|nam|khoan|dieu|so|muc|diem|giai doan)\s+\d+(?:\s+(?:thang|nam)\s+\d+)*"
                         r"|\b(?:19|20)\d\d\b|\d+(?:\s*[-/]\s*[a-z][a-z0-9]*)+")


# An amount stated by reference to one already set: unchanged from a year, term or period before.
_BY_REFERENCE = re.compile(r"\b(?:giu nguyen|khong thay doi)\b[^.;]*\bnhu\b|\bgiu nguyen muc\b")
# People are counted under several names: "03 đồng chí" answers "bao nhiêu đảng viên".
_PEOPLE = r"nguoi|dong chi|dang vien|thanh vien|dai bieu"
_PEOPLE_FIRST = {"nguoi", "dong", "dang", "thanh", "dai"}


_ENUMERATES = re.compile(r"\b(?:bao gom|gom|sau day)\b|:\s*$|(?:,[^,]+){2,}\s(?:va|hoac)\s")
_LABEL = re.compile(r"^\W*(?:\d+(?:\.\d+)*[.)]|[a-z]\))\s")  # a list item's own number ("2. ", "1.1. ", "a) ")


def figures_of(question: str) -> set[str]:
    """The numbers a question states as amounts ("chấm 72 điểm": "72"), not as names ("Chi bộ Ấp 7")."""
    folded = _amounts(question)
    return {m.group(0).strip().lstrip("0") or "0" for f in _FIGURE.values() for m in re.finditer(r"\d+", folded)
            if f.match(folded, m.start())} | {d for d in re.findall(r"\d+", folded) if f"{d}/" in folded}


def counted_noun(question: str) -> str:
    """The first word of what "bao nhiêu …" counts ("bao nhiêu tổ chức đảng": "to"), folded; "" when none."""
    m = re.search(r"\b(?:bao nhieu|may) ([a-z]+)", fold(nfc(question)))
    word = m.group(1) if m else ""
    if not word or word in ("lan", "ngay", "nam", "thang") or (word in STOPWORDS and word not in _PEOPLE_FIRST):
        return ""  # "bao nhiêu mỗi tháng", "là bao nhiêu": nothing named to count
    return word


@dataclass(frozen=True)
class Unit:
    """One sentence of a passage, and the text that governs it (document, headings, list lead-in)."""

    sentence: str
    context: str

    @property
    def text(self) -> str:
        """Everything the unit says, for word coverage."""
        return f"{self.context} {self.sentence}"


def _spans(text: str) -> list[str]:
    """Sentences of ``text``, a clause ending in ";" kept with what follows unless a list item starts."""
    out: list[str] = []
    for start, end in sentences(text):
        piece = text[start:end]
        if out and out[-1].rstrip().endswith(";") and not _ITEM.match(piece) and not re.match(r"\W*\d+[.)]\s", piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def units(hits: Sequence[Hit]) -> list[Unit]:
    """Every sentence of ``hits``, each with its document, headings and the lead-in of its list."""
    out = []
    for hit in hits:
        # a document's front matter (issuer, place, title), when search found it, governs all of it
        front = " ".join(_front_matter(h.text) for h in hits if h is not hit and h.doc_id == hit.doc_id
                         and not (h.article or h.section or h.heading_path))
        heading = f"{hit.doc_label} {hit.number} {hit.title} {' '.join(hit.heading_path)} {front}"
        titles: list[str] = []  # heading lines inside the passage ("Điều 6. Thời hạn giải quyết")
        leads: list[str] = []  # list lead-ins ("1. Chuyển sinh hoạt đảng chính thức:")
        for sentence in _spans(hit.text):
            stripped = sentence.rstrip()
            item = bool(_ITEM.match(sentence))
            if not item:
                leads = []
            out.append(Unit(sentence, " ".join([heading, *titles, *leads])))
            if stripped.endswith(":"):
                leads.append(sentence)
            elif not _TERMINAL.search(stripped) and len(stripped) < 120:
                titles.append(sentence)
    return out


def _front_matter(text: str) -> str:
    """The header lines of a document's first passage: up to its first sentence of body text."""
    lines = []
    for line in text.splitlines():
        if _TERMINAL.search(line.rstrip()) and len(line) > 80:
            break
        lines.append(line)
    return " ".join(lines)


@dataclass(frozen=True)
class Slot:
    """How well the best unit holding the asked figure (or the best unit, when none is asked) fits."""

    kind: str | None
    coverage: float  # idf-weighted share of the question's terms in that unit
    missing_rare: float  # the rarest question term that unit lacks, idf / idf of an unseen term
    elsewhere: float  # idf-weighted share of the question's terms in the passages but not in that unit
    unit: Unit | None
    phrases: float = 0.0  # share of the question's word pairs in that unit
    contrast: float = 0.0  # the question copies the slot sentence but for a word or two in the middle


def answer_slot(question: str, hits: Sequence[Hit], idf: dict[str, float], unseen_idf: float) -> Slot:
    """The unit of ``hits`` that would answer ``question``: for a figure, the best one holding such a figure."""
    kind = asked_slot(question)
    noun = counted_noun(question) if kind == NUMBER else ""
    stated = kind is None and (kind := stated_slot(question)) is not None
    terms = slot_terms(question) if kind else content_terms(question)
    if stated:  # a claim's own figure may be the wrong one: the sentence deciding it states one of that kind
        terms = {t for t in terms if (t.lstrip("0") or "0") not in figures_of(question)}
    unseen_idf = unseen_idf or max(idf.values(), default=1.0) or 1.0
    weight = {t: idf.get(t, unseen_idf) for t in terms}
    total = sum(weight.values()) or 1.0
    candidates = units(hits)
    present = set().union(*(content_terms(u.text) for u in candidates)) if candidates else set()
    best: tuple[float, Unit | None, set[str]] = (-1.0, None, set())
    for candidate in candidates:
        if kind is not None and not holds(kind, candidate.sentence, noun):
            continue
        found = terms & content_terms(candidate.text)
        score = sum(weight[t] for t in found) / total
        if score > best[0]:
            best = (score, candidate, found)
    score, unit, found = best
    if unit is None:
        return Slot(kind, 0.0, max(weight.values(), default=0.0) / unseen_idf,
                    sum(weight[t] for t in terms & present) / total, None)
    amounts = figures_of(question)  # a case's own figure ("chấm 72 điểm") is not looked up
    lacking = [weight[t] for t in terms - found if (t.lstrip("0") or "0") not in amounts]
    pairs = content_bigrams(_ASKING.sub(" ", fold(nfc(question))))
    return Slot(kind, score, max(lacking, default=0.0) / unseen_idf,
                sum(weight[t] for t in (terms - found) & present) / total, unit,
                len(pairs & content_bigrams(unit.text)) / len(pairs) if pairs else 1.0,
                contrast(question, unit.sentence) if kind and not stated else 0.0)


# Kinds of document a question may name, folded, longest first. Some are also verbs ("quy định", "hướng dẫn") or
# everyday topics ("biên bản sinh hoạt", "kế hoạch"): those name a document only before a number, "số", "của" or
# "nào" ("theo quy định của" never: it is the usual "as provided by").
_KINDS = ("chuong trinh hanh dong", "hien phap", "bo luat", "luat", "nghi dinh", "thong tu", "an le", "quy che",
          "nghi quyet", "chi thi", "dieu le", "bien ban", "cong van", "ke hoach", "quy dinh", "huong dan",
          "quyet dinh", "bao cao", "thong bao")
_LEADING = {"chuong trinh hanh dong", "hien phap", "bo luat", "luat", "nghi dinh", "thong tu", "an le", "quy che",
            "chi thi", "dieu le", "cong van"}
_KIND_RE = re.compile(r"(?<![a-z])(" + "|".join(_KINDS) + r")(?![a-z])")
_NUMBERED = re.compile(r"\s*(?:so\b|\d)")
_OWNED = re.compile(r"\s*(?:cua|nao)\b")


def named_kind(question: str) -> str:
    """The kind of document a question asks from, named first or after "theo" ("Nghị định của Chính phủ hướng
    dẫn Luật …": "nghi dinh"; "Theo Điều lệ Đảng, …": "dieu le"), folded; "" when it names none."""
    folded = fold(nfc(question))
    for m in _KIND_RE.finditer(folded):
        kind = m.group(1)
        before = folded[:m.start()].strip(" ,:;-\"'")
        if not (before in ("", "theo") or before.endswith((" theo", ",", ":"))):
            continue  # a document the question is about, not from: "học bù buổi học tập Nghị quyết 03-NQ/ĐU"
        if (_NUMBERED.match(folded, m.end()) or (_OWNED.match(folded, m.end()) and kind != "quy dinh")
                or kind in _LEADING):
            return kind
    return ""


def kind_absent(question: str, hits: Sequence[Hit]) -> bool:
    """The question is about a kind of document none of the passages is (a decree, when they are all laws)."""
    kind = named_kind(question)
    if not kind or not hits:
        return False
    have = {fold(nfc(h.doc_type)).strip() for h in hits}
    return kind not in have and not (kind == "luat" and "bo luat" in have)


_GLUE = {"la", "cua", "va", "cac", "nhung", "thi", "ma", "de", "duoc", "phai", "co", "bi", "boi", "nay", "viec", "cho",
         "voi", "theo", "ve", "trong", "mot", "se", "da", "dang", "cung"}
_ANCHOR = 3  # words matched on each side of a change


def contrast(question: str, sentence: str) -> float:
    """1 when the question repeats the sentence word for word (three or more words each side) around one or two
    words swapped for others ("chi bộ nơi đảng viên chuyển [đến] … cập nhật thông tin" for "… chuyển [đi] cập nhật
    thông tin"), or around a negation it leaves out ("vắng sinh hoạt chi bộ có lý do" for "… chi bộ [không] có lý
    do"): it asks about another case than the one the sentence gives. Words only added or dropped do not count
    ("cấp tài khoản [ứng dụng] cho 100% đảng viên" is the same case)."""
    mine = re.findall(r"[a-z0-9]+", _ASKING.sub(" ", fold(nfc(question))))
    theirs = re.findall(r"[a-z0-9]+", fold(nfc(sentence)))
    blocks = SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks()
    for left, right in zip(blocks, blocks[1:], strict=False):
        if left.size < _ANCHOR or right.size < _ANCHOR:
            continue
        asked = mine[left.a + left.size:right.a]
        said = theirs[left.b + left.size:right.b]
        if len(asked) > 2 or len(said) > 2:
            continue
        if (set(asked) - _GLUE and set(said) - _GLUE) or (not asked and set(said) & {"khong", "chua"}):
            return 1.0  # a word swapped for another, or a negation the question leaves out
    return 0.0
