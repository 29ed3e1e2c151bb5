"""The extractive answer: the passages themselves, quoted verbatim with their citations.

Used whenever no model may write for users, and below a model's verified lead otherwise.
For a multiple-choice question each option gets its supporting passage; for a true/false
question the deciding passage is named, never a verdict.
"""

from __future__ import annotations

import re

from assistant.records import Hit
from assistant.study.answer import Source
from assistant.text.overlap import best_sentences, coverage
from assistant.text.vietnamese import reflow, strip_accents

CHOICE = re.compile(r"(?:^|\s)([A-D])[.)]\s*(.+?)(?=\s+[A-D][.)]\s|$)", re.S)
TRUE_FALSE = re.compile(r"đúng\s+hay\s+sai|dung\s+hay\s+sai", re.I)


def choices_in(question: str) -> dict[str, str]:
    """The lettered options of a multiple-choice question ({} when it has fewer than two)."""
    found = CHOICE.findall(question)
    return dict(found) if len(found) >= 2 else {}


def is_true_false(question: str) -> bool:
    """True for "… đúng hay sai?" questions, typed with or without accents."""
    return bool(TRUE_FALSE.search(question) or TRUE_FALSE.search(strip_accents(question)))


def quotes_for(question: str, hit: Hit) -> list[str]:
    """The sentences of a passage that answer the question, verbatim."""
    return [hit.text[s:e] for s, e in best_sentences(question, hit.text, limit=2, min_overlap=2)]


def extractive_answer(question: str, sources: list[Source]) -> str:
    """The top passages quoted with citation and page, the answering sentences marked."""
    lines = ["Theo các văn bản đã nạp (trích nguyên văn):", ""]
    choices = choices_in(question)
    if choices:
        lines.append("Căn cứ cho từng phương án:")
        for key, option in choices.items():
            best = max(sources, key=lambda s: coverage(option, s.hit.text))
            lines.append(f"- {key}. {option.strip()} → [{best.marker}] {best.hit.citation}")
        lines.append("")
    elif is_true_false(question):
        lines.append(f"Để xét đúng/sai, đối chiếu với điều khoản sau: [1] {sources[0].hit.citation}.")
        lines.append("")
    for source in sources[:3]:
        hit = source.hit
        page = f", trang {hit.page}" if hit.page else ""
        lines.append(f"[{source.marker}] {hit.citation}{page}:")
        if hit.superseded_note:
            lines.append(f"⚠ Lưu ý: {hit.superseded_note}.")
        lines.append(f"> {reflow(hit.text.strip())}".replace("\n", "\n> "))
        if source.quotes:
            lines.append("Câu trả lời liên quan: " + " … ".join(f"«{reflow(q.strip())}»" for q in source.quotes))
        lines.append("")
    if len(sources) > 3:
        lines.append("Xem thêm: " + "; ".join(f"[{s.marker}] {s.hit.citation}" for s in sources[3:]))
    return "\n".join(lines).strip()
