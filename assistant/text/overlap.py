"""Word overlap between a question and a passage, sentence selection, quote checks.

Search ranks with these measures and study answers with them, so they live in
``text/`` where both stages may import them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from assistant.text.vietnamese import sentence_spans, strip_accents

# Question words and glue that say nothing about the topic.
STOPWORDS = set(strip_accents(
    "là gì nào ai đâu khi bao nhiêu như thế nào có không được của và các những cho theo với về trong tại "
    "thì mà để do từ đến này đó hay hoặc hãy xin cho biết đúng sai hỏi câu quy định văn bản bị bởi một "
    "phải cần nếu sao gồm những việc người còn thế nữa ra vào lên đã sẽ đang rằng cũng nhau mỗi"
).split())
# Pair quote marks by direction: “…”, «…», or straight "…".
_QUOTE = re.compile(r"“([^“”]{8,})”|«([^«»]{8,})»|\"([^\"]{8,})\"")


def content_terms(text: str) -> set[str]:
    """Accent-free syllables that carry meaning (numbers kept, stopwords dropped)."""
    return {w for w in _syllables(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}


def coverage(question: str, passage: str) -> float:
    """Share of the question's content terms present in the passage."""
    terms = content_terms(question)
    if not terms:
        return 0.0
    found = content_terms(passage)
    return len(terms & found) / len(terms)


def _syllables(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", strip_accents(text))


def content_bigrams(text: str) -> set[tuple[str, str]]:
    """Adjacent pairs of meaningful syllables ("luong huu", "huy hieu"): the phrases a question is about."""
    words = _syllables(text)
    return {(a, b) for a, b in zip(words, words[1:], strict=False)
            if a not in STOPWORDS and b not in STOPWORDS and not (a.isdigit() and b.isdigit())}


def phrase_coverage(question: str, passage: str) -> float | None:
    """Share of the question's content bigrams found in the passage; None when it has too few to judge.

    Near-miss questions share single words with the documents ("đảng viên", "đảng phí") but not
    their distinctive phrases ("lương hưu"), which is what this catches.
    """
    wanted = content_bigrams(question)
    if len(wanted) < 3:
        return None
    words = _syllables(passage)
    present = set(zip(words, words[1:], strict=False))
    return len(wanted & present) / len(wanted)


def weighted_coverage(question: str, passage: str, idf: Callable[[str], float]) -> float:
    """Like :func:`coverage`, but rare terms count more: a question whose distinctive words
    appear nowhere in the passage is not answered by it, however many common words match."""
    terms = content_terms(question)
    if not terms:
        return 0.0
    found = content_terms(passage)
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms & found) / total if total else 0.0


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside ``text``; wrapped lines stay together."""
    return [(s, e) for s, e in sentence_spans(text) if e - s > 3]


def best_sentences(question: str, text: str, limit: int = 2, min_overlap: int = 1) -> list[tuple[int, int]]:
    """The sentences of ``text`` sharing most content terms with the question."""
    terms = content_terms(question)
    scored = []
    for start, end in sentences(text):
        overlap = len(terms & content_terms(text[start:end]))
        if overlap >= min_overlap:
            scored.append((overlap, -start, (start, end)))
    scored.sort(reverse=True)
    return sorted(span for _, _, span in scored[:limit])


def _canonical(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def quote_found(quote: str, sources: list[str]) -> bool:
    """A quotation is valid only if it occurs verbatim (up to spacing/case) in a source."""
    needle = _canonical(quote).strip(" .,;:…")
    return bool(needle) and any(needle in _canonical(s) for s in sources)


def quotes_in(text: str) -> list[str]:
    """The quotations in ``text``, paired by direction (“…”, «…», "…")."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTE.finditer(text)]
