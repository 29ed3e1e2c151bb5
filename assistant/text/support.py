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

from assistant.text.actors import wrong_actors
from assistant.text.clauses import (
    MARKER,
    aligned,
    clauses,
    content_sequence,
    content_support,
    content_words,
    enough_overlap,
    invented_runs,
    invented_tails,
)
from assistant.text.garbled import asked_back, only_a_heading, stripped_copies
from assistant.text.lexicon import new_words, synonyms_marked, without_address
from assistant.text.named import BODIES, misattributed_documents, missing_bodies, missing_codes
from assistant.text.overlap import quote_found, quotes_in
from assistant.text.placement import misplaced_figures, overgeneralised_figures, swapped_actors, unit_kind
from assistant.text.polarity import polarity_conflicts
from assistant.text.quantities import (
    bindings,
    bound_conflicts,
    date_supported,
    dates,
    ordinal_labels,
    periods,
    quantities,
    quantity_supported,
    ratio_rivals,
    self_counted,
    side_conflicts,
)
from assistant.text.references import CitationRef, find_numbers, fold, parse_citation
from assistant.text.subunits import misnamed_parts
from assistant.text.syllables import foreign_words
from assistant.text.vietnamese import has_diacritics, nfc

__all__ = ["MARKER", "Passage", "SentenceCheck", "Strictness", "check_sentence", "check_text", "content_measures",
           "content_support", "dates",
           "is_verdict", "quantities", "split_sentences"]

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
FOREIGN = "foreign"
EMPTY = "empty"
GARBLED = "garbled"  # words copied without their marks ("so tay dang viên")
FRAGMENT = "fragment"  # the cut-off tail of a passage shown to the model (set by the study lead)

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
    FOREIGN: "chữ không phải tiếng Việt",
    EMPTY: "không có nội dung để đối chiếu",
    GARBLED: "chữ bị mất dấu",
    FRAGMENT: "câu bị cắt dở",
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


_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–•*])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of generated text, citation markers kept with the sentence they end, list numbering dropped."""
    out: list[str] = []
    pos = 0
    for m in _SPLIT.finditer(text):
        end = m.start() + len(m.group(1) or "")
        out.append(text[pos:end])
        pos = m.end()
    out.append(text[pos:])
    sentences: list[str] = []
    for piece in out:
        piece = _NUMBERING.sub("", piece.strip())
        if not re.search(r"[^\W\d_]", piece):
            if sentences and MARKER.search(piece):  # "… Ban Bí thư. [1]": the marker belongs to the sentence
                sentences[-1] = f"{sentences[-1]} {piece.strip()}"
            continue
        sentences.append(piece)
    return sentences

# -- verdicts --------------------------------------------------------------------
_VERDICT_RES = (
    re.compile(r"^\s*(dung|sai|chinh xac|khong chinh xac)\s*[.!,:]"),
    re.compile(r"^\s*(dung|sai)\s*$"),
    re.compile(r"(nhan dinh|khang dinh|menh de|cau|phat bieu|y kien)\s+(tren|nay|do|neu tren)?\s*(la\s+)?(hoan toan\s+)?"
               r"(dung|sai|chinh xac|khong chinh xac|khong dung)\b"),
    re.compile(r"(dap an|phuong an|lua chon|cau tra loi)\s*:?\s+(dung\s+)?(la\s+)?(dung\s+)?[a-d]\b"),
    re.compile(r"\b(chon|chon dap an|chon phuong an)\s+[a-d]\b"),
    re.compile(r"\bphuong an\s+[a-d]\s+(la\s+)?(dung|sai|chinh xac)\b"),
    re.compile(r"^\s*[a-d]\s*[.)]?\s*$"),
)


def is_verdict(sentence: str) -> bool:
    """True for a judgement rather than a statement: "Đúng.", "Nhận định trên là sai", "Đáp án B"."""
    folded = fold(nfc(MARKER.sub(" ", sentence))).strip()
    return any(r.search(folded) for r in _VERDICT_RES)


# -- units and documents ----------------------------------------------------------
def _cited_units(passage: Passage) -> list[tuple[str, str, str]]:
    refs = parse_citation(passage.citation) if passage.citation else []
    return [(r.article, r.clause, r.point) for r in refs]


def _unit_supported(article: str, clause: str, point: str, cited: Sequence[Passage]) -> bool:
    for p in cited:
        # The passage's own unit, or one its text refers to ("khoản 4 Điều 5 Quy định 339-QĐ/TW").
        own_article = next((a for a, _, _ in _cited_units(p) if a), "")
        text = re.sub(r"(?i)Điều này", f"Điều {own_article}", p.text) if own_article else p.text
        mentioned = [(r.article, r.clause, r.point) for r in parse_citation(text)]
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
    issuers = {(doc.number.lstrip("0"), fold(doc.issuer)) for p in cited
               for _, doc in find_numbers(f"{p.citation}\n{p.text}") if doc.issuer}
    missing = []
    for _, doc in find_numbers(sentence):
        key = _doc_key(doc.number, doc.type_code)
        # "44/2005/QH12" where the passage has "44/2005/QH11": the same number of another legislature's law
        other_issuer = doc.issuer and any(n == key[0] for n, _ in issuers) and (key[0], fold(doc.issuer)) not in issuers
        if not other_issuer and (key in known or (not doc.type_code and any(n == key[0] for n, _ in known))):
            continue
        missing.append(doc.canonical)
    return missing


# Documents named without a number: the Party's Statute and Platform, the Constitution, a law by its name.
_NAMED_DOCUMENT = re.compile(r"(?<![^\W_])(?:Điều lệ Đảng|Cương lĩnh|Hiến pháp|(?:Bộ luật|Luật)\s+[A-ZĐÀ-Ỹ][^\W\d_]*"
                             r"(?:\s+[^\W\d_]+)?)")


def _named_documents_missing(sentence: str, joined: str) -> list[str]:
    """Documents the sentence names ("Điều lệ Đảng", "Luật Giao dịch điện tử") that the cited passages
    (``joined``, folded, with their citations) do not."""
    out = []
    for m in _NAMED_DOCUMENT.finditer(nfc(sentence)):
        name = m.group(0)
        if fold(name) not in joined:
            out.append(name)
    return out


def _strip_references(sentence: str, *, keep_markers: bool = False) -> str:
    """The sentence without article/clause citations and document numbers (checked apart), and without
    its ``[n]`` markers unless ``keep_markers``."""
    text = nfc(sentence) if keep_markers else MARKER.sub(" ", nfc(sentence))
    spans = sorted([r.span for r in parse_citation(text)] + [span for span, _ in find_numbers(text)]
                   + [m.span() for m in _SECTION_RE.finditer(text)])  # "mục 3": checked by _sections_supported
    merged: list[list[int]] = []
    for start, end in spans:  # a citation holds its document number: cut the overlap once
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + " " + text[end:]
    return text


# -- the check ----------------------------------------------------------------------
@dataclass(frozen=True)
class Strictness:
    """Thresholds of the check, chosen by cross-validation on the verifier sets (evals/verifier_*.jsonl)."""

    min_content: float = 0.4
    min_clause_content: float = 0.4
    check_polarity: bool = True
    # Content words of the sentence's own (not in the cited passages, not a synonym of their wording, not a
    # paraphrase word) allowed before it is refused; None allows any number (the content share still applies).
    max_new_words: int | None = None


DEFAULT_STRICTNESS = Strictness()
_FOREIGN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0400-\u04ff]")
_SECTION_RE = re.compile(r"(?<![\w.])mục\s+(\d+(?:\.\d+)*)", re.IGNORECASE)


_MONTHS = {"thang": 1, "nam": 12, "quy": 3}
_CALENDAR = {"ngay", "thang", "nam", "truoc", "sau", "hang", "gio", "phut", "tuan", "quy", "lam"}


def _segments(sentence: str, by_marker: dict[int, Passage]) -> list[tuple[str, list[Passage]]]:
    """The sentence cut after each group of markers, each part with the passages that group cites."""
    out: list[tuple[str, list[Passage]]] = []
    pos = 0
    for group in re.finditer(r"(?:\s*\[\d+\])+", sentence):
        cited = [by_marker[int(m)] for m in MARKER.findall(group.group(0)) if int(m) in by_marker]
        out.append((sentence[pos:group.start()], cited))
        pos = group.end()
    if sentence[pos:].strip(" .") and out:
        out[-1] = (out[-1][0] + sentence[pos:], out[-1][1])
    return [(text, cited) for text, cited in out if cited]


def _numbers_in_place(sentence: str, by_marker: dict[int, Passage], cited: Sequence[Passage],
                      confirmed: frozenset[tuple[float, str | None]] = frozenset()) -> list[str]:
    """Numbers and dates the sentence gives that its passages do not, or that sit elsewhere than where it says.

    "chậm nhất 01 ngày" is wrong for a notice the same passage says is due "chậm nhất 03 ngày", even though
    "01 ngày" occurs in it (for the documents): when the passage clause a sentence clause restates holds
    another value of the same unit, the value must be that one. Otherwise the whole passage counts.
    """
    texts_all = [p.text for p in cited]
    pool_all = [q for t in texts_all for q in quantities(t)]
    dates_all = {d for t in texts_all for d in dates(t)}
    wrong: list[str] = []
    for segment, passages in _segments(_strip_references(sentence, keep_markers=True), by_marker):
        passage_clauses = [c for p in passages for c in clauses(nfc(p.text).lower(), commas=False)]
        whole = nfc(segment).lower()
        counted = {(q.value, q.unit) for q in quantities(whole) if self_counted(whole, q)}
        for clause in clauses(nfc(segment).lower(), split_and=True):
            found, found_dates = quantities(clause), dates(clause)
            if not found and not found_dates:
                continue
            # Placed by what the clause is about: numbers and calendar words would align any two dates.
            ignore = {w for w in content_words(clause) if w.isdigit()} | _CALENDAR
            best, shared = aligned(clause, passage_clauses, exclude=ignore)
            place = best if enough_overlap(clause, shared) else []
            # A passage clause holding every figure of this one is its place ("tập sự trong 03 tháng đến 12
            # tháng" restates "thời gian tập sự từ 03 tháng đến 12 tháng", whatever clause shares most words).
            # (Not when the aligned clause gives as many figures of its own: then the sentence took another's.)
            measured = [q for q in found if q.unit]
            holding = [c for c in passage_clauses if len(measured) > 1 and not found_dates
                       and all(quantity_supported(q, quantities(c)) for q in measured)]
            if holding and len([q for c in place for q in quantities(c) if q.unit]) < len(measured):
                place = holding[:1]
            local = [q for c in place for q in quantities(c)]
            local_dates = {d for c in place for d in dates(c)}
            for q in found:
                if (q.value, q.unit) == (1.0, "lan") or quantity_supported(q, local) or (q.value, q.unit) in confirmed \
                        or (q.value, q.unit) in counted:
                    continue
                # A rival value of the same unit where the sentence puts this one: the model copied a
                # neighbouring figure, unless the passage also gives this value bare ("không có lý do 01").
                rival = q.unit is not None and any(o.unit and unit_kind(o.unit) == unit_kind(q.unit) for o in local) \
                    and not any(o.value == q.value and o.unit is None for o in pool_all)
                if (rival or not quantity_supported(q, pool_all)) and not _spelled_in(q.start, clause, q.value, texts_all):
                    wrong.append(f"{q.value:g} {q.unit or ''}".strip())
            for d in found_dates:
                if date_supported(d, local_dates):
                    continue
                rival = any(o[1:] == d[1:] or (o[0] and d[0] and o[2] == d[2]) for o in local_dates)
                if rival or not date_supported(d, dates_all):
                    wrong.append("/".join(str(x) for x in d if x))
    return wrong


_NUMBER_WORD = {1: "một", 2: "hai", 3: "ba", 4: "bốn|tư", 5: "năm|lăm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín",
                10: "mười"}
_FRACTION = re.compile(r"(?<![^\W_])(một|hai|ba|bốn|năm|sáu|bảy|tám|chín)\s+phần\s+(hai|ba|tư|bốn|năm|sáu|bảy|tám|"
                       r"chín|mười)(?![^\W_])")  # "phần trăm" is a percentage, read with the figures


def _spelled_in(q_start: int, clause: str, value: float, texts: Sequence[str]) -> bool:
    """"1 tài khoản" restating "một tài khoản": a small figure the passage writes in a word before the same
    noun (alone, "một" is not read as a figure)."""
    word = _NUMBER_WORD.get(int(value)) if value == int(value) else None
    after = re.match(r"\S+\s+([^\W\d_]+)", clause[q_start:])
    if not word or not after:
        return False
    pattern = rf"(?<![^\W_])(?:{word})\s+{re.escape(after.group(1))}(?![^\W_])"
    return any(re.search(pattern, nfc(t).lower()) for t in texts)


def fractions(text: str) -> set[str]:
    """Fractions in words: "một phần ba" → "một/ba", "một nửa" → "một/hai"."""
    lowered = nfc(text).lower()
    half = {"một/hai"} if re.search(r"(?<![^\W_])(?:một )?nửa(?![^\W_])", lowered) else set()
    return {f"{a}/{b}" for a, b in _FRACTION.findall(lowered)} | half


_FRACTION_WORDS = {"một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
                   "mười": 10}


def _fractions_missing(body: str, source: str) -> list[str]:
    """Fractions the sentence gives that the source gives neither as a fraction nor as a percentage ("một phần
    năm" restates "20%", "một nửa" "50%")."""
    percents = {round(q.value, 1) for q in quantities(source) if q.unit == "%"}
    out = []
    for f in sorted(fractions(body) - fractions(source)):
        a, b = (_FRACTION_WORDS[w] for w in f.split("/"))
        if round(100 * a / b, 1) not in percents:
            out.append(f)
    return out


def _says_something(label: str) -> bool:
    return bool(content_words(label))


def _bound_figures(body: str, texts: Sequence[str]) -> tuple[list[str], set[tuple[float, str | None]]]:
    """Figures the sentence ties to words the passage ties to another figure of the same unit ("26 đồng chí có
    mặt" where the passage says "có mặt 23 đồng chí", and 26 is the number who had to attend), and the figures
    it ties to words the passage ties to that figure alone (placed by those words, whatever else the clause
    says)."""
    theirs = [b for t in texts for b in bindings(t, _says_something)]
    wrong, confirmed = [], set()
    for q, labels in bindings(body, _says_something):
        for label in labels:
            values = {p.value for p, bound in theirs if label in bound and p.unit == q.unit}
            if values and q.value not in values:
                wrong.append(f"{q.value:g} {q.unit} ({label})")
            elif values == {q.value}:
                confirmed.add((q.value, q.unit))
    return wrong, confirmed


_POINT_OF_SECTION = re.compile(r"(?<![\w])điểm\s+([a-zđ])\s+(?=mục\s+\d)", re.IGNORECASE)


def _sections_supported(sentence: str, cited: Sequence[Passage]) -> list[str]:
    """"mục 1.2" named in the sentence must be the cited item or an item the passage holds; "điểm b mục 3" must
    be the cited point or a point of the cited item."""
    wrong = []
    sentence = nfc(sentence)
    for m in _SECTION_RE.finditer(sentence):
        label = m.group(1)
        if not any(re.search(rf"mục\s+{re.escape(label)}(?![\d.])", p.citation, re.IGNORECASE)
                   or re.search(rf"(?m)^\s*{re.escape(label)}\.\s", p.text) for p in cited):
            wrong.append(m.group(0))
            continue
        point = next((pm.group(1).lower() for pm in _POINT_OF_SECTION.finditer(sentence) if pm.end() == m.start()),
                     None)
        if point and not any(re.search(rf"(?i)điểm\s+{point}\s+mục\s+{re.escape(label)}(?![\d.])", p.citation)
                             or re.search(rf"(?m)^\s*{point}\)\s", p.text)
                             or (re.search(rf"mục\s+{re.escape(label)}(?![\d.])", p.citation, re.IGNORECASE)
                                 and not re.search(r"(?i)điểm\s+[a-zđ]\s+mục", p.citation)
                                 and not re.search(r"(?m)^\s*[a-zđ]\)\s", p.text)) for p in cited):
            wrong.append(f"điểm {point} {m.group(0)}")
    return wrong


def _borrowed(body: str, cited: Sequence[str], others: Sequence[str]) -> list[str]:
    """Two-word phrases the sentence takes from a passage it does not cite, that the passages it cites lack:
    "được gia hạn" from [1] put in a sentence citing [2], which says "được cấp lại". The sentence's opening
    (up to the first word a cited passage has) is its topic and may come from anywhere."""
    if not others:
        return []
    theirs = set().union(*(content_words(t) for t in cited))
    words = content_sequence(body)
    while words and words[0] not in theirs:
        words.pop(0)
    pairs = {f"{a} {b}" for a, b in _pairs(words) if a not in theirs and b not in theirs}
    elsewhere = {f"{a} {b}" for t in others for a, b in _pairs(content_sequence(t))}
    return sorted(pairs & elsewhere)


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    return list(zip(words, words[1:], strict=False))


def _clause_content(body: str, with_labels: Sequence[str]) -> float:
    """The weakest clause's content support: an invented tail clause is not diluted by a faithful head."""
    scores = [content_support(c, with_labels) for c in clauses(body, split_and=True) if len(content_words(c)) >= 3]
    return min(scores, default=1.0)


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
    texts_given = [p.text for p in passages]
    stripped = _strip_references(sentence)
    if sentence.rstrip(" .[]0123456789").endswith(("?", ":")) \
            or len({w for w in content_words(stripped) if not w.isdigit()}) < 2 \
            or asked_back(stripped, texts_given) or only_a_heading(stripped, texts_given):
        # an echoed question, a bare heading or marker, a list announced and not given ("… các điều kiện sau:")
        result.problems.append(EMPTY)
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
    body = without_address(stripped)

    def problem(code: str, details: Sequence[str]) -> None:
        if details:
            result.problems.append(code)
            result.details.extend(details)

    problem(FOREIGN, _FOREIGN.findall(sentence) + foreign_words(body, with_labels))
    problem(GARBLED, stripped_copies(body, with_labels))
    # "mỗi năm" restates "trong một năm" as well as "hằng năm": a span of the same length counts
    spans = {x for t in texts for x in periods(t)} | {q.value * _MONTHS[q.unit] for t in texts for q in quantities(t)
                                                      if q.unit in _MONTHS}
    wrong_periods = [f"{p:g} tháng" for p in periods(body) if p not in spans]
    rebound, confirmed = _bound_figures(body, texts)
    problem(NUMBER, _numbers_in_place(sentence, by_marker, cited, frozenset(confirmed)) + wrong_periods
            + ratio_rivals(body, "\n".join(texts)) + rebound
            + bound_conflicts(body, "\n".join(texts)) + side_conflicts(body, "\n".join(texts))
            + [f"{w} (chỗ khác)" for w in misplaced_figures(MARKER.sub(" ", sentence), texts)]
            + [f"{w} (không phải mọi mục)" for w in overgeneralised_figures(MARKER.sub(" ", sentence), texts)]
            + _fractions_missing(body, "\n".join(texts))
            + sorted(f"{what} {n}" for what, n in ordinal_labels(body) - ordinal_labels("\n".join(with_labels))))
    problem(DOCUMENT, _documents_supported(MARKER.sub(" ", sentence), cited)
            + misattributed_documents(MARKER.sub(" ", sentence), [(p.citation, p.text) for p in cited])
            + _named_documents_missing(MARKER.sub(" ", sentence), fold(nfc("\n".join(with_labels)))))
    named = parse_citation(MARKER.sub(" ", nfc(sentence)))
    units = [ref.format() for ref in named if not _unit_supported(ref.article, ref.clause, ref.point, cited)]
    # Points named inside a numbered item ("điểm c mục 2") are parts too.
    named += [CitationRef(point=m.group(1).lower()) for m in _POINT_OF_SECTION.finditer(MARKER.sub(" ", nfc(sentence)))]
    if not units:
        units = [w for p in cited for w in misnamed_parts(body, named, p.text, next(iter(parse_citation(p.citation)), None))]
    problem(UNIT, units[:1] + _sections_supported(MARKER.sub(" ", sentence), cited))
    problem(BODY, missing_bodies(body, fold(nfc("\n".join(with_labels))), [p.citation for p in cited])
            + swapped_actors(MARKER.sub(" ", sentence), texts, BODIES)
            + wrong_actors(sentence, texts, BODIES))
    if strictness.check_polarity and has_diacritics(body):
        problem(POLARITY, polarity_conflicts(body, texts))
    problem(QUOTE, [q for q in quotes_in(sentence) if not quote_found(q, texts)])
    invented = _borrowed(body, with_labels, [f"{p.citation}\n{p.text}" for p in passages if p not in cited]) \
        + invented_runs(synonyms_marked(body, with_labels, " 0 "), texts, [p.citation for p in cited]) \
        + invented_tails(body, texts, [p.citation for p in cited]) + missing_codes(body, "\n".join(with_labels))
    if strictness.max_new_words is not None:
        own = new_words(body, with_labels)
        if len(own) > strictness.max_new_words:
            invented = invented + [" ".join(own)]
    if invented or content_support(body, with_labels) < strictness.min_content \
            or _clause_content(body, with_labels) < strictness.min_clause_content:
        result.problems.append(CONTENT)
        result.details.extend(invented)
    return result


def content_measures(sentence: str, passages: Sequence[Passage]) -> tuple[float, float, int]:
    """What the ``Strictness`` thresholds are compared with, for choosing them: the sentence's content share,
    its weakest clause's share, and how many content words of its own it adds to the passages it cites."""
    by_marker = {p.marker: p for p in passages}
    cited = [by_marker[int(m)] for m in dict.fromkeys(MARKER.findall(sentence)) if int(m) in by_marker]
    with_labels = [f"{p.citation}\n{p.text}" for p in cited]
    body = without_address(_strip_references(sentence))
    return content_support(body, with_labels), _clause_content(body, with_labels), len(new_words(body, with_labels))


def check_text(text: str, passages: Sequence[Passage], *, allow_verdicts: bool = False,
               strictness: Strictness = DEFAULT_STRICTNESS) -> list[SentenceCheck]:
    """Check every sentence of a generated text."""
    return [check_sentence(s, passages, allow_verdicts=allow_verdicts, strictness=strictness)
            for s in split_sentences(text)]


def check_restatement(text: str, source: str, citation: str = "", *,
                      strictness: Strictness = DEFAULT_STRICTNESS) -> list[SentenceCheck]:
    """Check a model's rewording of one known source (a bulletin item, a minutes paragraph): every sentence
    is held to the source as if it cited it, so it may add no number, body, negation or content of its own."""
    sentences = [MARKER.sub("", s).rstrip() for s in split_sentences(text)]
    return [check_sentence(f"{s} [1]", [Passage(1, source, citation)], strictness=strictness) for s in sentences]
