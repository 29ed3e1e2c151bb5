"""Is a generated sentence supported by the passages it cites?

A writing model proposes, this module disposes. A sentence is kept only if
it cites at least one passage by ``[n]`` and every checkable fact in it is in
the cited passages: numbers with their units (amounts, durations, dates),
named bodies, document numbers, the article / clause / point it names, the
polarity of what it states ("không được" / "phải" / "được" must agree), any
quotation, and enough of its content words. Verdicts ("Đúng.", "Đáp án B")
are refused unless the caller says the model has been measured able to judge.

Everything is deterministic and works on accent-folded text, so a model that
writes "30 ngay" and a passage that says "30 ngày" agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.text.overlap import quote_found, quotes_in
from assistant.text.references import find_numbers, fold, parse_citation
from assistant.text.vietnamese import has_diacritics, nfc

MARKER = re.compile(r"\[(\d+)\]")

# Problem codes, in the order they are checked.
NO_CITATION = "no_citation"
UNKNOWN_MARKER = "unknown_marker"
VERDICT = "verdict"
NUMBER = "number"
DOCUMENT = "document"
UNIT = "unit"  # article / clause / point named but not the one cited
BODY = "body"
POLARITY = "polarity"
QUOTE = "quote"
CONTENT = "content"

PROBLEM_LABELS_VI: dict[str, str] = {
    NO_CITATION: "không dẫn nguồn",
    UNKNOWN_MARKER: "dẫn nguồn không có",
    VERDICT: "tự kết luận đúng/sai",
    NUMBER: "con số không có trong đoạn trích",
    DOCUMENT: "văn bản không có trong đoạn trích",
    UNIT: "điều/khoản không khớp đoạn trích",
    BODY: "cơ quan không có trong đoạn trích",
    POLARITY: "ý phủ định/bắt buộc trái với đoạn trích",
    QUOTE: "trích dẫn không nguyên văn",
    CONTENT: "nội dung không có trong đoạn trích",
}


@dataclass(frozen=True)
class Passage:
    """What a sentence may cite: its marker, text and human citation."""

    marker: int
    text: str
    citation: str = ""


@dataclass
class SentenceCheck:
    """The verdict on one sentence: kept when ``problems`` is empty."""

    sentence: str
    markers: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        """True when nothing in the sentence contradicts or exceeds its cited passages."""
        return not self.problems


# -- sentence splitting --------------------------------------------------------
# Split after terminal punctuation (and any citation markers that follow it)
# before a capital, a quote or a marker; never inside "9.3.2" or "100.000".
_SPLIT = re.compile(r"(?<=[.!?…])((?:\s*\[\d+\])*)\s+(?=[A-ZÀ-Ỹ\"“«(\[\d])|\n+")


def split_sentences(text: str) -> list[str]:
    """Sentences of generated text, citation markers kept with the sentence they end."""
    out: list[str] = []
    pos = 0
    for m in _SPLIT.finditer(text):
        end = m.start() + len(m.group(1) or "")
        out.append(text[pos:end])
        pos = m.end()
    out.append(text[pos:])
    return [s.strip() for s in out if s.strip() and re.search(r"\w", s)]


# -- numbers -------------------------------------------------------------------
_DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
           "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_NUMBER_WORDS = set(_DIGITS) | {"mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "linh", "lẻ"}
# Units, folded; longest first so "ngay lam viec" wins over "ngay".
_UNITS = sorted(["ngay lam viec", "ngay", "thang", "nam", "tuan", "gio", "phut", "%", "phan tram", "dong",
                 "trieu dong", "nghin dong", "lan", "diem", "nguoi", "dang vien", "dong chi", "thanh vien",
                 "trang", "ban", "ky", "quy", "nhiem ky", "tuoi"], key=len, reverse=True)
_UNIT_RE = re.compile(r"\s*(" + "|".join(re.escape(u) for u in _UNITS) + r")(?![a-z0-9])")
# A number right after these is a label or a date part, not a quantity.
_LABEL_BEFORE = re.compile(r"(?:ngay|thang|nam|so|dieu|khoan|diem|muc|phan|chuong|khoa|lan thu|thu|tu|den)\s*$")
_NUM_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?![\w])")
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# "ngày 10/7/2025", "10-7-2025".
_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_EQUIVALENT_UNITS = {"phan tram": "%", "dong chi": "nguoi", "dang vien": "nguoi"}


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with the unit after it (folded) when it measures something."""

    value: float
    unit: str | None
    start: int


def _words_value(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for word in words:
        if word in _DIGITS:
            current += _DIGITS[word] if word not in ("mốt", "lăm", "tư") or current else _DIGITS[word]
            seen = True
        elif word == "mười":
            current += 10
            seen = True
        elif word == "mươi":
            current = (current or 1) * 10
        elif word == "trăm":
            current = (current or 1) * 100
        elif word in ("nghìn", "ngàn"):
            total += (current or 1) * 1000
            current = 0
        elif word == "triệu":
            total += (current or 1) * 1_000_000
            current = 0
        elif word in ("tỷ", "tỉ"):
            total += (current or 1) * 1_000_000_000
            current = 0
    return total + current if seen or total else None


def _unit_after(folded: str, end: int) -> str | None:
    m = _UNIT_RE.match(folded, end)
    if not m:
        return None
    unit = m.group(1)
    return _EQUIVALENT_UNITS.get(unit, unit)


def quantities(text: str) -> list[Quantity]:
    """Numbers in digits or words, with their units: "05 ngày làm việc", "ba mươi ngày", "100.000 đồng"."""
    text = nfc(text)
    folded = fold(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE_RE.finditer(text):
        for g in (1, 2, 3):
            found.append(Quantity(float(m.group(g)), None, m.start(g)))
        taken.append(m.span())
    for m in _NUM_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        raw = m.group(1)
        value = float(raw.replace(".", "")) if "." in raw else float(raw.replace(",", "."))
        label = _LABEL_BEFORE.search(folded, 0, m.start())
        unit = None if label else _unit_after(folded, m.end())
        found.append(Quantity(value, unit, m.start()))
    lowered = text.lower()
    words = list(_WORD_RE.finditer(lowered))
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].group(0) in _NUMBER_WORDS and (j == i or (
                lowered[words[j - 1].end():words[j].start()].strip() == ""
                # two digit words in a row are two numbers ("ba năm" is three years, not 8)
                and not (words[j - 1].group(0) in _DIGITS and words[j].group(0) in _DIGITS))):
            j += 1
        run = [w.group(0) for w in words[i:j]]
        if run:
            unit = _unit_after(folded, words[j - 1].end())
            label = _LABEL_BEFORE.search(folded, 0, words[i].start())
            amount = _words_value(run)
            # One number word counts only before a unit ("ba năm"): alone, "năm" is a year, "một" is "a".
            if amount is not None and not label and (len(run) > 1 or unit is not None) and run != ["không"]:
                found.append(Quantity(float(amount), unit, words[i].start()))
            i = j
        else:
            i += 1
    return found


def _quantity_supported(q: Quantity, pool: list[Quantity]) -> bool:
    for p in pool:
        if p.value != q.value:
            continue
        # "10 ngày" for "10 ngày làm việc" changes the deadline: units must agree when both are given.
        if q.unit is None or p.unit is None or q.unit == p.unit:
            return True
    return False


_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})(?!\d)"),
    re.compile(r"ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})"),
    re.compile(r"thang\s+(?P<m>\d{1,2})\s*(?:/|\s+nam\s+)\s*(?P<y>\d{4})"),
    re.compile(r"ngay\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?![\d/.-])"),
    re.compile(r"ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?!\s*(?:/|nam)\s*\d)"),
)


def dates(text: str) -> set[tuple[int, int, int]]:
    """(day, month, year) of each date in ``text``; 0 where a part is not given."""
    folded = fold(nfc(text))
    found, taken = set(), []
    for form in _DATE_FORMS:  # fullest forms first; a shorter match inside a longer one is the same date
        for m in form.finditer(folded):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            parts = m.groupdict()
            found.add((int(parts.get("d") or 0), int(parts.get("m") or 0), int(parts.get("y") or 0)))
    return found


def _date_supported(date: tuple[int, int, int], pool: set[tuple[int, int, int]]) -> bool:
    return any(all(a == b or a == 0 or b == 0 for a, b in zip(date, other, strict=True)) for other in pool)


# -- named bodies ----------------------------------------------------------------
BODIES: tuple[str, ...] = tuple(sorted({
    "bo chinh tri", "ban bi thu", "ban chap hanh trung uong", "trung uong", "van phong trung uong",
    "ban to chuc trung uong", "uy ban kiem tra trung uong", "uy ban kiem tra", "ban tuyen giao trung uong",
    "ban tuyen giao", "ban dan van", "ban noi chinh", "ban thuong vu", "ban chap hanh", "chinh phu",
    "quoc hoi", "thu tuong", "chu tich nuoc", "bo cong an", "bo noi vu", "bo quoc phong", "bo tai chinh",
    "bo thong tin va truyen thong", "bo khoa hoc va cong nghe", "bo giao duc va dao tao", "bo tu phap",
    "uy ban nhan dan", "hoi dong nhan dan", "mat tran to quoc", "doan thanh nien", "cong doan",
    "hoi lien hiep phu nu", "hoi phu nu", "hoi cuu chien binh", "hoi nong dan", "dang uy", "cap uy", "chi uy",
    "chi bo", "tinh uy", "thanh uy", "dang bo", "toa an", "vien kiem sat", "kiem toan nha nuoc",
    "ban to chuc", "uy ban kiem tra dang uy", "van phong dang uy", "tong bi thu", "bi thu",
}, key=len, reverse=True))
_BODY_RE = re.compile(r"(?<![a-z])(" + "|".join(re.escape(b) for b in BODIES) + r")(?![a-z])")


# Bodies every cell text speaks of: naming them adds no checkable fact.
GENERIC_BODIES = frozenset({"chi bo", "dang bo", "cap uy", "chi uy", "dang uy", "bi thu", "ban chap hanh"})


def bodies(text: str) -> list[str]:
    """Named bodies in ``text`` (folded), longest match first: "ban chap hanh trung uong", "chi bo"."""
    return [m.group(1) for m in _BODY_RE.finditer(fold(nfc(text)))]


def proper_names(text: str) -> list[str]:
    """Runs of two or more capitalised words not opening the sentence ("An Giang", "Hồ Chí Minh"), folded."""
    words = re.findall(r"[^\W\d_]+|[^\w\s]", nfc(text))
    out, run = [], []
    for i, word in enumerate(words + ["."]):
        if word[0].isupper() and i > 0:
            run.append(word)
            continue
        if len(run) >= 2:
            out.append(fold(" ".join(run)))
        run = []
    return out


# -- verdicts --------------------------------------------------------------------
_VERDICT_RES = (
    re.compile(r"^\s*(dung|sai|chinh xac|khong chinh xac)\s*[.!,:]"),
    re.compile(r"^\s*(dung|sai)\s*$"),
    re.compile(r"(nhan dinh|khang dinh|menh de|cau)\s+(tren|nay|do|neu tren)?\s*(la\s+)?(hoan toan\s+)?"
               r"(dung|sai|chinh xac|khong chinh xac|khong dung)\b"),
    re.compile(r"(dap an|phuong an|lua chon|cau tra loi)\s+(dung\s+)?(la\s+)?(dung\s+)?[a-d]\b"),
    re.compile(r"\b(chon|chon dap an|chon phuong an)\s+[a-d]\b"),
    re.compile(r"\bphuong an\s+[a-d]\s+(la\s+)?(dung|sai|chinh xac)\b"),
    re.compile(r"^\s*[a-d]\s*[.)]?\s*$"),
)


def is_verdict(sentence: str) -> bool:
    """True for a judgement rather than a statement: "Đúng.", "Nhận định trên là sai", "Đáp án B"."""
    folded = fold(nfc(MARKER.sub(" ", sentence))).strip()
    return any(r.search(folded) for r in _VERDICT_RES)


# -- polarity --------------------------------------------------------------------
# Polarity is read on accented text: folded, "chứa" (contain) would read as "chưa" (not yet).
# Phrases with "không" that bound a quantity or name a category rather than negate an action.
_NEUTRAL = re.compile(r"không (?:được )?(?:quá|vượt quá|chậm hơn|ít hơn|dưới|nhiều hơn|sớm hơn|muộn hơn)|"
                      r"không kể|hay không|hoặc không|có hay không|không chỉ|không ngừng|không phân biệt|"
                      r"không có l[ýí] do|không hoàn thành nhiệm vụ|không tán thành|không đồng ý")
_NEG_RE = re.compile(r"(?<![^\W\d_])(không được|không phải|nghiêm cấm|cấm|không|chưa)(?![^\W\d_])")
_STRONG = ("phải", "có trách nhiệm", "bắt buộc", "có nghĩa vụ")
_WEAK = ("nên", "có thể", "khuyến khích", "nếu cần", "nếu thấy cần thiết", "nếu có điều kiện", "tùy theo",
         "tuỳ theo", "tùy ý", "tuỳ ý", "tùy tình hình", "tuỳ tình hình")
_POLARITY_WORDS = {"không", "được", "phải", "nghiêm", "cấm", "chưa", "trách", "nhiệm", "bắt", "buộc", "nghĩa",
                   "vụ", "nên", "thể", "khuyến", "khích", "tùy", "tuỳ"}
_NUMBER_WORDS_FOLDED = {"mot", "hai", "ba", "bon", "tu", "nam", "lam", "sau", "bay", "tam", "chin", "muoi",
                        "tram", "nghin", "ngan", "trieu", "ty", "linh", "le"}
_STOP = set(
    ["la", "gi", "nao", "ai", "dau", "khi", "bao", "nhieu", "nhu", "co", "cua", "va", "cac", "nhung", "cho", "theo", "voi", "ve", "trong", "tai", "thi", "ma", "de", "do", "tu", "den", "nay", "hay", "hoac", "hoi", "bi", "boi", "neu", "sao", "gom", "viec", "con", "nua", "ra", "vao", "len", "da", "se", "dang", "rang", "cung", "nhau", "moi", "quyen", "khong", "duoc", "phai", "nghiem", "cam", "chua", "trach", "nhiem", "bat", "buoc", "nghia", "vu", "nen", "the", "khuyen", "khich", "tuy"]
) | _NUMBER_WORDS_FOLDED


def _has(words: str, phrases: Sequence[str]) -> bool:
    padded = f" {words} "
    return any(f" {p} " in padded for p in phrases)


def _strength(clause: str) -> str:
    words = " ".join(re.findall(r"[^\W_]+", _NEUTRAL.sub(" ", clause)))
    return "strong" if _has(words, _STRONG) else "weak" if _has(words, _WEAK) else ""


def _clauses(text: str, *, split_and: bool = False) -> list[str]:
    """Clauses of prepared text. A passage's negation may govern a "và" list, so only a sentence
    (whose parts are matched one by one) is also split at "và"."""
    text = re.sub(r"\([^()]*\)", " ", text)  # parentheticals qualify, they do not negate the clause
    joiners = r"nhưng|song|và" if split_and else r"nhưng|song"
    return [c for c in re.split(rf"[.;:!?\n]|,\s|\s(?:{joiners})\s", text) if c.strip()]


_ITEM_START = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–+•])?\s*")


def _prepared(text: str) -> str:
    """Lower-case NFC text with quantity bounds and category names neutralised; a list under a heading
    that forbids ("Các hành vi bị nghiêm cấm") has the prohibition carried into each item."""
    text = _NEUTRAL.sub(" ", nfc(text).lower())
    lines = text.split("\n")
    if len(lines) > 1 and _NEG_RE.search(lines[0]) and not _NEG_RE.search(lines[1]):
        text = "\n".join([lines[0], *(_ITEM_START.sub(r"\g<0>cấm ", line, count=1) if line.strip() else line
                                       for line in lines[1:])])
    return text


def _scopes(text: str) -> list[str]:
    """What each negation applies to: the first two content words after it, in its clause."""
    out = []
    for clause in _clauses(text):
        for m in _NEG_RE.finditer(clause):
            after = [w for w in re.findall(r"[^\W_]+", clause[m.end():]) if w not in _POLARITY_WORDS][:2]
            if len(after) == 2:
                out.append(" ".join(after))
    return out


def _negated_occurrences(text: str, phrase: str) -> list[bool]:
    """For each occurrence of ``phrase``, whether a negation precedes it in its clause (within 5 words)."""
    out = []
    for clause in _clauses(text):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])", clause):
            before = " ".join(clause[:m.start()].split()[-5:])
            out.append(bool(_NEG_RE.search(before)))
    return out


def polarity_conflicts(sentence: str, passages: Sequence[str]) -> list[str]:
    """What the sentence states with a negation or duty the passages do not give it, or vice versa."""
    mine = _prepared(sentence)
    theirs = [_prepared(p) for p in passages]
    conflicts = []
    # A negation in the sentence must negate the same thing in a passage ...
    for scope in _scopes(mine):
        found = [neg for t in theirs for neg in _negated_occurrences(t, scope)]
        if found and not any(found):
            conflicts.append(f"không {scope}")
    # ... and what a passage negates must not be stated positively.
    # (A sentence that negates anywhere may state the prohibition last: "… là hành vi bị nghiêm cấm".)
    sentence_negates = bool(_NEG_RE.search(mine))
    for scope in {s for t in theirs for s in _scopes(t)}:
        found = [neg for t in theirs for neg in _negated_occurrences(t, scope)]
        stated = _negated_occurrences(mine, scope)
        if found and all(found) and stated and not any(stated) and not sentence_negates:
            conflicts.append(scope)
    # A duty must not become advice, nor an option a duty.
    passage_clauses = [c for t in theirs for c in _clauses(t)]
    for clause in _clauses(mine, split_and=True):
        words = content_words(clause)
        if len(words) < 2:
            continue
        best, overlap = "", 0
        for candidate in passage_clauses:
            shared = len(words & content_words(candidate))
            if shared > overlap:
                best, overlap = candidate, shared
        if overlap < max(2, len(words) // 3):
            continue
        strength, their_strength = _strength(clause), _strength(best)
        negated, their_negated = bool(_NEG_RE.search(clause)), bool(_NEG_RE.search(best))
        flipped = (negated and not their_negated) or (their_negated and not sentence_negates)
        if flipped or (strength and their_strength and strength != their_strength) \
                or (strength == "weak" and not their_strength):
            conflicts.append(" ".join(clause.split()[:8]))
    return conflicts


# -- content ----------------------------------------------------------------------
def content_words(text: str) -> set[str]:
    """Folded syllables that carry meaning (stopwords, markers and polarity words dropped)."""
    words = re.findall(r"[a-z0-9]+", fold(nfc(MARKER.sub(" ", text))))
    return {w for w in words if w not in _STOP and w not in _POLARITY_WORDS and (len(w) > 1 or w.isdigit())}


def content_support(sentence: str, passages: Sequence[str]) -> float:
    """Share of the sentence's content words found in the passages."""
    mine = content_words(sentence)
    if not mine:
        return 1.0
    theirs: set[str] = set()
    for p in passages:
        theirs |= content_words(p)
    return len(mine & theirs) / len(mine)


# -- units and documents ----------------------------------------------------------
def _cited_units(passage: Passage) -> list[tuple[str, str, str]]:
    refs = parse_citation(passage.citation) if passage.citation else []
    return [(r.article, r.clause, r.point) for r in refs]


def _unit_supported(article: str, clause: str, point: str, cited: Sequence[Passage]) -> bool:
    for p in cited:
        # The passage's own unit, or one its text refers to ("khoản 4 Điều 5 Quy định 339-QĐ/TW").
        mentioned = [(r.article, r.clause, r.point) for r in parse_citation(p.text)]
        for a, c, pt in _cited_units(p) + mentioned:
            if a != article:
                continue
            if clause and c and clause != c:
                continue
            if point and pt and point != pt:
                continue
            if clause and not c and not re.search(rf"(?m)^\s*{re.escape(clause)}\.\s", p.text):
                continue
            return True
    return False


def _doc_key(number: str, code: str) -> tuple[str, str]:
    return number.lstrip("0"), fold(code)


def _documents_supported(sentence: str, cited: Sequence[Passage]) -> list[str]:
    known: set[tuple[str, str]] = set()
    for p in cited:
        for _, doc in find_numbers(f"{p.citation}\n{p.text}"):
            known.add(_doc_key(doc.number, doc.type_code))
    missing = []
    for _, doc in find_numbers(sentence):
        key = _doc_key(doc.number, doc.type_code)
        if key in known or (not doc.type_code and any(n == key[0] for n, _ in known)):
            continue
        missing.append(doc.canonical)
    return missing


def _strip_references(sentence: str) -> str:
    """The sentence without markers, article/clause citations and document numbers (checked apart)."""
    text = MARKER.sub(" ", nfc(sentence))
    spans = [r.span for r in parse_citation(text)] + [span for span, _ in find_numbers(text)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


# -- the check ----------------------------------------------------------------------
@dataclass(frozen=True)
class Strictness:
    """Thresholds of the check, chosen by cross-validation on evals/verifier_sentences.jsonl."""

    min_content: float = 0.6
    check_polarity: bool = True


DEFAULT_STRICTNESS = Strictness()


def check_sentence(sentence: str, passages: Sequence[Passage], *, allow_verdicts: bool = False,
                   strictness: Strictness = DEFAULT_STRICTNESS) -> SentenceCheck:
    """Check one generated sentence against the passages it may cite (see the module docstring)."""
    result = SentenceCheck(sentence=sentence)
    by_marker = {p.marker: p for p in passages}
    markers = [int(m) for m in MARKER.findall(sentence)]
    result.markers = markers
    if is_verdict(sentence):
        if not allow_verdicts:
            result.problems.append(VERDICT)
            return result
        if not markers:
            return result
    if not markers:
        result.problems.append(NO_CITATION)
        return result
    unknown = [m for m in markers if m not in by_marker]
    if unknown:
        result.problems.append(UNKNOWN_MARKER)
        result.details.append(", ".join(f"[{m}]" for m in unknown))
    cited = [by_marker[m] for m in dict.fromkeys(markers) if m in by_marker]
    if not cited:
        return result
    texts = [p.text for p in cited]
    with_labels = [f"{p.citation}\n{p.text}" for p in cited]
    body = _strip_references(sentence)

    pool = [q for t in texts for q in quantities(t)]
    wrong_numbers = [q for q in quantities(body) if not _quantity_supported(q, pool)]
    date_pool = {d for t in with_labels for d in dates(t)}
    wrong_dates = [d for d in dates(body) if not _date_supported(d, date_pool)]
    if wrong_dates:
        result.problems.append(NUMBER)
        result.details.extend("/".join(str(x) for x in d if x) for d in wrong_dates)
    if wrong_numbers:
        result.problems.append(NUMBER)
        result.details.extend(f"{q.value:g} {q.unit or ''}".strip() for q in wrong_numbers)

    missing_docs = _documents_supported(MARKER.sub(" ", sentence), cited)
    if missing_docs:
        result.problems.append(DOCUMENT)
        result.details.extend(missing_docs)

    for ref in parse_citation(MARKER.sub(" ", nfc(sentence))):
        if not _unit_supported(ref.article, ref.clause, ref.point, cited):
            result.problems.append(UNIT)
            result.details.append(ref.format())
            break

    joined = fold(nfc("\n".join(with_labels)))
    missing_bodies = [b for b in dict.fromkeys(bodies(body)) if b not in joined and b not in GENERIC_BODIES]
    missing_bodies += [n for n in dict.fromkeys(proper_names(body)) if n not in joined]
    if missing_bodies:
        result.problems.append(BODY)
        result.details.extend(missing_bodies)

    if strictness.check_polarity and has_diacritics(body):
        flipped = polarity_conflicts(body, texts)
        if flipped:
            result.problems.append(POLARITY)
            result.details.extend(flipped)

    bad_quotes = [q for q in quotes_in(sentence) if not quote_found(q, texts)]
    if bad_quotes:
        result.problems.append(QUOTE)
        result.details.extend(bad_quotes)

    if content_support(body, with_labels) < strictness.min_content:
        result.problems.append(CONTENT)
    return result


def check_text(text: str, passages: Sequence[Passage], *, allow_verdicts: bool = False,
               strictness: Strictness = DEFAULT_STRICTNESS) -> list[SentenceCheck]:
    """Check every sentence of a generated text."""
    return [check_sentence(s, passages, allow_verdicts=allow_verdicts, strictness=strictness)
            for s in split_sentences(text)]
