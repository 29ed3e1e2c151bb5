"""The extractive answer: the clauses themselves, quoted verbatim with their citations.

Used whenever no model may write for users, and below a model's verified lead otherwise.
The answer leads with the clause (or point) that answers, its deciding words marked
**«…»** (a verbatim quotation: a deadline for "bao lâu?", the words a true/false statement
turns on, else the answering sentence). Header blocks, "Căn cứ …" lines and bare
definition intros ("… được hiểu như sau:") are not shown as answers unless the question
asks for them; PDF line breaks and stray page numbers are reflowed away. For a
multiple-choice question each option gets the clause that supports it best; for a
true/false question the deciding clause is named, never a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.records import Hit
from assistant.retrieval.query import asks_figure, is_meta_option, split_options
from assistant.retrieval.query import is_true_false as _is_true_false
from assistant.study.answer import Source
from assistant.text.overlap import best_sentences, content_terms, quote_found, sentences
from assistant.text.references import fold, format_citation, parse_query_refs
from assistant.text.vietnamese import reflow

SHOWN = 3  # sources quoted in full; the rest are listed under "Xem thêm"
MAX_MARK_WORDS = 6  # a true/false statement turns on a few words, not a sentence
# A page number alone on its line, between two lines of running text (PDF page breaks).
_PAGE_NUMBER = re.compile(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*\d{1,3}[ \t]*(?:\n(?:[ \t]*\n)*[ \t]*|$)")
_NUMBERED_START = re.compile(r"(?:\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–•+*]|Điều\s+\d|Chương\s|Mục\s|[IVXLC]+[.-])\s")
_BASIS_LINE = re.compile(r"^[ \t]*(?:[-–•+*][ \t]*)?(?:Căn cứ|Can cu|Thực hiện|Thuc hien)\b.*$", re.M)
_INTRO = re.compile(r"(?:như sau|sau đây|dưới đây|bao gồm|gồm)\s*:\s*$")
_ASKS_BASIS = re.compile(r"\bcan cu\b")
_ASKS_DOCUMENT = re.compile(r"\b(ban hanh|ky ngay|ngay ky|so hieu|trich yeu|ai ky|hieu luc|de thuc hien|thuc hien"
                            r" (?:chi thi|nghi quyet|quy dinh|ket luan|huong dan|ke hoach)|thay the)\b")
_ASKS_DEFINITION = re.compile(r"\b(la gi|duoc hieu|nghia la|khai niem|dinh nghia|giai thich tu ngu)\b")
_QUANTITY = re.compile(
    r"(?:(?:cham nhat|muon nhat|som nhat|it nhat|toi da|toi thieu|khong qua|khong it hon|khong duoi|truoc|sau"
    r"|trong thoi han|trong vong|trong|tu|den|tren|duoi|du)\s+)*"
    r"(?:(?:ngay|thang|nam)\s+)?\d+(?:[.,/-]\d+)*"
    r"(?:\s+(?:thang\s+\d+(?:\s+nam\s+\d+)?|nam\s+\d+))?"
    r"(?:\s*(?:ngay lam viec|ngay|thang|nam|gio|phut|tuan|%|phan tram|lan|diem|dang vien|nguoi|trieu dong|ty dong"
    r"|dong|tuoi|quy|ky|buoi))?"
    r"(?:\s+(?:ke tu|tinh tu)\b[^;,.\n]{0,60})?")
_WORD = re.compile(r"[^\W_]+", re.U)
_GLUE = {"va", "cua", "cac", "la", "cho", "voi", "trong", "theo", "ve", "nhung", "thi", "ma", "de", "do", "tu", "tai"}
# Words a true/false statement typically turns on: negation, obligation, permission, limits.
_DECISIVE = {"khong", "chua", "cam", "nghiem", "phai", "bat", "buoc", "chi", "duoc", "toi", "da", "thieu", "it",
             "nhat", "cham", "qua", "tru", "ngoai", "moi", "tat", "ca", "deu", "hoac", "va"}


def choices_in(question: str) -> dict[str, str]:
    """The lettered options of a multiple-choice question ({} when it has fewer than two)."""
    return split_options(question)[1]


def is_true_false(question: str) -> bool:
    """True for "… đúng hay sai?" questions, typed with or without accents."""
    return _is_true_false(question)


def quotes_for(question: str, hit: Hit) -> list[str]:
    """The sentences of a passage that answer the question, verbatim."""
    return [hit.text[s:e] for s, e in best_sentences(question, hit.text, limit=2, min_overlap=2)]


def clean_display(text: str) -> str:
    """Passage text as shown: stray page numbers dropped and wrapped PDF lines joined (words untouched)."""
    text = text.strip()

    def join(match: re.Match[str]) -> str:
        following = text[match.end():match.end() + 12]
        if not following:
            return ""
        return "\n" if _NUMBERED_START.match(following) else " "

    return reflow(_PAGE_NUMBER.sub(join, text))


def display_blocks(text: str, *, drop_basis: bool) -> list[str]:
    """The passage as quoted blocks: basis lines ("Căn cứ …") cut out when ``drop_basis``, each block cleaned."""
    if not drop_basis:
        return [clean_display(text)] if text.strip() else []
    blocks, pos = [], 0
    for match in _BASIS_LINE.finditer(text):
        blocks.append(text[pos:match.start()])
        pos = match.end()
    blocks.append(text[pos:])
    cleaned = [clean_display(b) for b in blocks if b.strip()]
    return cleaned or [clean_display(text)]


@dataclass
class Shown:
    """What is quoted of one source: its label, the blocks shown, and the spans of their text to mark."""

    source: Source
    citation: str
    blocks: list[str]
    marks: list[tuple[int, int]]

    @property
    def text(self) -> str:
        """The blocks as one text (marks index it)."""
        return "\n".join(self.blocks)


def _stem(question: str) -> str:
    return split_options(question)[0]


def _asks(question: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(fold(question)))


def _shown_blocks(question: str, hit: Hit) -> list[str]:
    """The clause the search focused on, else the passage, without basis lines unless asked for."""
    text = hit.focus_text if hit.focus_start is not None else hit.text
    return display_blocks(text, drop_basis=not _asks(question, _ASKS_BASIS))


def is_answer_passage(question: str, hit: Hit) -> bool:
    """False for what answers no question by itself: a header block or a bare definition intro (unless asked)."""
    text = "\n".join(_shown_blocks(question, hit))
    if not text.strip():
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and lines[0].isupper():
        return False  # a chapter or section title alone
    if len(lines) <= 2 and _INTRO.search(lines[-1]) and not _asks(question, _ASKS_DEFINITION):
        return False  # "Trong Quy định này, các từ ngữ dưới đây được hiểu như sau:" and nothing else
    header = not (hit.article or hit.section or hit.clause)
    return not header or _asks(question, _ASKS_DOCUMENT) or _asks(question, _ASKS_BASIS)


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    folded = fold(text)
    return [(m.start(), m.end(), folded[m.start():m.end()]) for m in _WORD.finditer(text)]


def _difference_marks(question: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Short runs of the sentence's words the statement lacks ("không", "05", "chi ủy"): what it turns on."""
    asked = {w for _, _, w in _word_spans(question)}
    words = [(s, e, w) for s, e, w in _word_spans(text[start:end])]
    runs: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []
    for i, item in enumerate([*words, (0, 0, "")]):
        if i < len(words) and item[2] not in asked:
            run.append(item)
            continue
        # A run counts when the statement surrounds it (matched words on both sides) and it can decide:
        # a figure, a negation or limit word, or a phrase rather than a lone syllable ("sử" of "sử dụng").
        decisive = any(w in _DECISIVE or w.isdigit() for _, _, w in run) or len(run) >= 2
        if run and decisive and len(run) <= MAX_MARK_WORDS and words.index(run[0]) > 0 and i < len(words):
            runs.append((start + run[0][0], start + run[-1][1]))
        run = []
    return runs


def _quantities(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Figures with a unit, a qualifier or a date form ("chậm nhất 10 ngày làm việc", "29/10/2025"), not "1."."""
    out = []
    for m in _QUANTITY.finditer(folded, start, end):
        number = re.search(r"\d+(?:[.,/-]\d+)*", m.group(0))
        if number is None:
            continue
        bare = m.group(0).strip() == number.group(0)
        if bare and not re.search(r"[/-]", number.group(0)):
            continue  # an item label or a lone number: no unit, no qualifier
        out.append((m.start(), m.end()))
    return out


def _topic_terms(question: str) -> set[str]:
    """The question's content terms without its citation ("khoản 3 Điều 6 Quy định 339"): what it asks about."""
    stem = _stem(question)
    refs = parse_query_refs(stem)
    for ref in sorted(refs, key=lambda r: -r.span[0]):
        stem = stem[:ref.span[0]] + " " + stem[ref.span[1]:]
    stem = re.sub(r"\b(?:khoản|khoan|điểm|diem)\s+\S+", " ", stem, flags=re.I)
    return content_terms(stem) - {"thi", "sao", "con", "noi", "gi", "dung"}


def _marks(question: str, text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that decide the answer."""
    stem = _stem(question)
    if _asks(stem, _ASKS_BASIS):
        return [(m.start(), m.end()) for m in _BASIS_LINE.finditer(text)]
    if len(_topic_terms(question)) < 2:
        return []  # "còn khoản 3 thì sao?", "Điều 5 quy định gì?": the clause itself is the answer
    ranked = best_sentences(stem, text, limit=len(text), min_overlap=1)
    if not ranked:
        return []
    by_overlap = sorted(ranked, key=lambda span: -len(content_terms(stem) & content_terms(text[span[0]:span[1]])))
    start, end = by_overlap[0]
    folded = fold(text)
    if asks_figure(stem):
        for span in by_overlap[:3]:
            found = _quantities(folded, *span)
            if found:
                return found
    if is_true_false(question):
        differences = _difference_marks(stem, text, start, end)
        if differences:
            return differences
    if len(sentences(text)) > 1 or end - start < len(text.strip()) * 0.9:
        return [(start, end)]
    return []


def _answer_line(question: str, item: Shown, sources: list[str]) -> str:
    """"Trả lời: **«…»**": the deciding words, each a verbatim quotation of the source."""
    pieces = []
    for start, end in sorted(item.marks):
        piece = item.text[start:end].strip(" ,;:-–•")
        if len(piece) >= 2 and quote_found(piece, sources) and piece not in pieces:
            pieces.append(piece)
    if not pieces:
        return ""
    label = "Chỗ quyết định đúng/sai" if is_true_false(question) else "Trả lời"
    return f"{label}: " + " … ".join(f"**«{p}»**" for p in pieces)


def _citation_at(hit: Hit, text: str, pos: int) -> str:
    """The clause/point citation of position ``pos`` in a whole-article passage ("khoản 2 Điều 5 …")."""
    if hit.focus_start is not None or not hit.article or hit.clause or "Điều" not in hit.citation:
        return hit.citation
    clause = point = ""
    line_end = text.find("\n", pos)
    for line in text[:line_end if line_end >= 0 else len(text)].splitlines():
        clause_match = re.match(r"\s*(\d+)\.\s", line)
        point_match = re.match(r"\s*([a-zđ])\)\s", line)
        if clause_match:
            clause, point = clause_match.group(1), ""
        elif point_match:
            point = point_match.group(1)
    if not clause and not point:
        return hit.citation
    return format_citation(hit.article, clause, point, hit.doc_label)


def _words(text: str) -> set[str]:
    """Accent-free syllables, glue words dropped but short content words kept ("mỗi quý", "05 năm")."""
    return {w for _, _, w in _word_spans(text)} - _GLUE


def _option_support(option: str, stem: str, shown: list[Shown]) -> tuple[Shown, str, str] | None:
    """The source, citation and sentence that support an option best: every figure of the option present,
    most of its words, then most of the question's."""
    terms = _words(option)
    figures = {t for t in terms if t.isdigit()}
    asked = content_terms(stem)
    best: tuple[int, int, Shown, str, str] | None = None
    for rank, item in enumerate(shown):
        for start, end in sentences(item.text):
            found = _words(item.text[start:end])
            if not figures <= found or not terms & found:
                continue
            score = 3 * len(terms & found) + len(asked & found)
            if best is None or (score, -rank) > (best[0], best[1]):
                best = (score, -rank, item, _citation_at(item.source.hit, item.text, start), item.text[start:end])
    return None if best is None else (best[2], best[3], best[4])


def _heading(hit: Hit, shown: str) -> str:
    """" (Điều 4. Các hành vi bị nghiêm cấm)" when the quote is a clause of an article whose title it does not show."""
    heads = [h for h in hit.heading_path if re.match(r"(?:Điều|Dieu)\s+\d", h)]
    first = hit.text.lstrip().split("\n", 1)[0]
    if re.match(r"(?:Điều|Dieu)\s+\d+[a-zđ]?\.\s+\S", first) and len(first) <= 160:
        heads.append(first.strip())
    if not heads or shown.lstrip().startswith(heads[-1][:8]) or "." not in heads[-1]:
        return ""
    return f" ({heads[-1]})"


def extractive_answer(question: str, sources: list[Source]) -> str:
    """The answering clauses quoted with citation and page, deciding words marked; options and verdict aids."""
    lines = ["Theo các văn bản đã nạp (trích nguyên văn):", ""]
    answering = [s for s in sources if is_answer_passage(question, s.hit)] or sources[:1]
    rest = [s for s in sources if s not in answering]
    shown = [Shown(s, s.hit.citation, _shown_blocks(question, s.hit), []) for s in answering[:SHOWN]]
    originals = [s.hit.text for s in sources]
    for item in shown[:1]:
        item.marks = _marks(question, item.text)
    choices = choices_in(question)
    if choices:
        lines.append("Căn cứ cho từng phương án:")
        for key, option in choices.items():
            support = None if is_meta_option(option) else _option_support(option, _stem(question), shown)
            if support is None:
                lines.append(f"- {key}. {option.strip()} → (không có đoạn nào nêu trực tiếp)")
                continue
            item, citation, sentence = support
            quote = f": «{sentence.strip()}»" if quote_found(sentence, originals) else ""
            lines.append(f"- {key}. {option.strip()} → [{item.source.marker}] {citation}{quote}")
        lines.append("")
    elif is_true_false(question) and shown:
        lines.append(f"Để xét đúng/sai, đối chiếu với điều khoản sau: [{shown[0].source.marker}] {shown[0].citation}.")
        lines.append("")
    for item in shown:
        hit = item.source.hit
        page = f", trang {hit.page}" if hit.page else ""
        lines.append(f"[{item.source.marker}] {item.citation}{_heading(hit, item.text)}{page}:")
        if hit.superseded_note:
            lines.append(f"⚠ Lưu ý: {hit.superseded_note}.")
        answer_line = _answer_line(question, item, originals)
        if answer_line:
            lines.append(answer_line)
        for block in item.blocks:
            lines.append("> " + block.replace("\n", "\n> "))
            lines.append("")
    more = [s for s in answering[SHOWN:] + rest]
    if more:
        lines.append("Xem thêm: " + "; ".join(f"[{s.marker}] {s.hit.citation}"
                                               for s in sorted(more, key=lambda s: s.marker)))
    return "\n".join(lines).strip()
