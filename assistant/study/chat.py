"""Study chat: grounded answers with citations and checked quotations.

Retrieval and citations are deterministic. A capable model phrases an
answer that cites passages by marker [n]; every marker and every quotation
is then checked against the sources and unsupported sentences are removed.
A model that is not capable never writes for users: the answer is built
from the passages themselves, quoting the sentences that answer the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import NotFound
from assistant.llm.base import LLM, ChatMessage
from assistant.prompts import load_prompt
from assistant.records import Hit
from assistant.retrieval.search import Query, QueryPlan, Searcher
from assistant.settings import Settings
from assistant.text.overlap import (
    best_sentences,
    content_terms,
    coverage,
    phrase_coverage,
    quote_found,
    quotes_in,
)
from assistant.text.vietnamese import reflow, strip_accents

NO_ANSWER_VI = ("Các tài liệu đã nạp không có nội dung trả lời câu hỏi này, nên trợ lý không trả lời "
                "để tránh đưa thông tin sai. Hãy hỏi cụ thể hơn hoặc nạp thêm văn bản liên quan.")
_MARKER = re.compile(r"\[(\d+)\]")
_CHOICE = re.compile(r"(?:^|\s)([A-D])[.)]\s*(.+?)(?=\s+[A-D][.)]\s|$)", re.S)
_TRUE_FALSE = re.compile(r"đúng\s+hay\s+sai|dung\s+hay\s+sai", re.I)
# A bare verdict ("Đúng.", "Sai.", "Đáp án B.") needs no citation of its own.
_VERDICT = re.compile(r"(?:Đúng|Sai|Đáp án:?\s*[A-D]|[A-D])[.!]?", re.I)
_FOLLOW_UP_CLAUSE = re.compile(r"\b(khoản|khoan|điểm|diem)\s+([0-9a-zđ.]+)", re.I)


@dataclass
class Source:
    """A passage as the answer cites it: its ``[n]`` marker, the hit, and the sentences quoted from it."""

    marker: int
    hit: Hit
    quotes: list[str] = field(default_factory=list)  # sentences that answer, verbatim

    def to_dict(self) -> dict[str, Any]:
        """The source as the JSON output and the interface show it, with its full hit."""
        return {"marker": self.marker, "citation": self.hit.citation, "page": self.hit.page,
                "quotes": self.quotes, "superseded_note": self.hit.superseded_note, **{"hit": self.hit.to_dict()}}


@dataclass
class Answer:
    """The verified answer: its text, cited sources, mode, and what the checks removed."""

    question: str
    text: str
    sources: list[Source]
    mode: str  # extractive | generative | refusal
    resolved_question: str = ""
    removed_sentences: list[str] = field(default_factory=list)
    invalid_quotes: list[str] = field(default_factory=list)
    plan: QueryPlan | None = None

    @property
    def refused(self) -> bool:
        return self.mode == "refusal"

    def to_dict(self) -> dict[str, Any]:
        """The answer as ``chibo ask --json`` prints it."""
        return {"question": self.question, "resolved_question": self.resolved_question, "answer": self.text,
                "mode": self.mode, "refused": self.refused, "sources": [s.to_dict() for s in self.sources],
                "removed_sentences": self.removed_sentences, "invalid_quotes": self.invalid_quotes}


@dataclass
class ChatEvent:
    """One streamed event: a ``token`` of text as it comes, or the final ``answer``."""

    kind: str  # token | answer
    text: str = ""
    answer: Answer | None = None


@dataclass
class Conversation:
    """What follow-up questions refer back to."""

    doc_ids: list[str] = field(default_factory=list)
    doc_label: str = ""
    article: str = ""
    turns: list[Answer] = field(default_factory=list)


class StudyChat:
    """Answers study questions from retrieved passages, extractively or with a capable model, always cited."""

    def __init__(self, searcher: Searcher, llm: Callable[[], LLM], settings: Settings) -> None:
        self.searcher = searcher
        self._llm = llm
        self.settings = settings

    # -- public --------------------------------------------------------------
    def ask(self, question: str, *, conversation: Conversation | None = None, k: int | None = None,
            doc_ids: list[str] | None = None) -> Answer:
        """The verified answer to ``question`` (the last event of ``ask_stream``)."""
        answer: Answer | None = None
        for event in self.ask_stream(question, conversation=conversation, k=k, doc_ids=doc_ids):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None
        return answer

    def ask_stream(self, question: str, *, conversation: Conversation | None = None, k: int | None = None,
                   doc_ids: list[str] | None = None) -> Iterator[ChatEvent]:
        """Tokens as they come, then the verified answer; refuses when no passage answers the question."""
        llm = self._llm()  # an unknown or broken backend fails before any work
        if not self.searcher.index.metas():
            raise NotFound("Chưa có tài liệu nào trong chỉ mục", hint="nạp văn bản bằng 'chibo ingest THƯ_MỤC'")
        resolved = self.resolve_follow_up(question, conversation)
        hits, plan = self.searcher.search(Query(resolved, k=k or self.settings.retrieval.k, doc_ids=doc_ids or []))
        missing = self._missing_article(plan)
        if missing or not self._relevant(resolved, hits, plan):
            text = missing or NO_ANSWER_VI
            # The nearest passages stay visible for reference, clearly not as an answer.
            nearest = [Source(i + 1, hit) for i, hit in enumerate(hits[:3])] if not missing else []
            if nearest:
                text += "\n\nCác đoạn gần nhất (không trả lời trực tiếp): " + "; ".join(
                    f"[{s.marker}] {s.hit.citation}" for s in nearest)
            answer = Answer(question, text, nearest, "refusal", resolved, plan=plan)
            yield ChatEvent("token", text)
            yield ChatEvent("answer", answer=answer)
            self._remember(conversation, answer)
            return
        sources = [Source(i + 1, hit, self._quotes(resolved, hit)) for i, hit in enumerate(hits)]
        if llm.capable:
            yield from self._generative(question, resolved, sources, plan, llm, conversation)
        else:
            text = self._extractive(resolved, sources)
            for piece in re.findall(r"\S+\s*|\s+", text):
                yield ChatEvent("token", piece)
            answer = Answer(question, text, sources, "extractive", resolved, plan=plan)
            yield ChatEvent("answer", answer=answer)
            self._remember(conversation, answer)

    # -- follow-ups ----------------------------------------------------------
    def resolve_follow_up(self, question: str, conversation: Conversation | None) -> str:
        """Make "còn khoản 3 thì sao?" explicit using the previous turn's document and article."""
        if conversation is None or not conversation.doc_label:
            return question
        named, articles = self.searcher.resolve_documents(question, self.searcher.index.metas())
        if named:
            return question
        extra = []
        has_article = bool(re.search(r"\b(điều|dieu)\s+\d", question, re.I))
        if _FOLLOW_UP_CLAUSE.search(question) and not has_article and conversation.article:
            extra.append(f"Điều {conversation.article}")
        extra.append(conversation.doc_label)
        return f"{question} ({' '.join(extra)})"

    @staticmethod
    def _remember(conversation: Conversation | None, answer: Answer) -> None:
        if conversation is None:
            return
        conversation.turns.append(answer)
        if answer.sources:
            top = answer.sources[0].hit
            conversation.doc_ids = [top.doc_id]
            conversation.doc_label = top.doc_label
            conversation.article = top.article

    # -- relevance -------------------------------------------------------------
    def _missing_article(self, plan: QueryPlan) -> str:
        """ "Điều 20 Quy định 339-QĐ/TW" when that document has no Điều 20: say so, don't substitute."""
        metas = self.searcher.index.metas()
        chunks = self.searcher.index.chunk_map().values()
        for ref in plan.articles:
            if len(ref.doc_ids) != 1:
                continue
            doc_id = ref.doc_ids[0]
            if not any(c.doc_id == doc_id and c.article == ref.article for c in chunks):
                label = metas[doc_id].display_name if doc_id in metas else doc_id
                return f"{label} (bản đã nạp) không có Điều {ref.article}."
        return ""

    def _relevant(self, question: str, hits: list[Hit], plan: QueryPlan) -> bool:
        if not hits:
            return False
        if plan.articles and any(h.scores.get("exact") for h in hits):
            return True
        if not content_terms(question):
            return False
        passages = [f"{h.doc_label} {' '.join(h.heading_path)} {h.text}" for h in hits[:3]]
        if max(coverage(question, p) for p in passages) < self.settings.retrieval.min_relevance:
            return False
        phrases = [phrase_coverage(question, p) for p in passages]
        judged = [p for p in phrases if p is not None]
        return not judged or max(judged) >= self.settings.retrieval.min_phrase_coverage

    @staticmethod
    def _quotes(question: str, hit: Hit) -> list[str]:
        return [hit.text[s:e] for s, e in best_sentences(question, hit.text, limit=2, min_overlap=2)]

    # -- extractive ------------------------------------------------------------
    def _extractive(self, question: str, sources: list[Source]) -> str:
        lines = ["Theo các văn bản đã nạp (trích nguyên văn):", ""]
        choices = dict(_CHOICE.findall(question)) if len(_CHOICE.findall(question)) >= 2 else {}
        if choices:
            lines.append("Căn cứ cho từng phương án:")
            for key, option in choices.items():
                best = max(sources, key=lambda s: coverage(option, s.hit.text))
                lines.append(f"- {key}. {option.strip()} → [{best.marker}] {best.hit.citation}")
            lines.append("")
        elif _TRUE_FALSE.search(question) or _TRUE_FALSE.search(strip_accents(question)):
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

    # -- generative ------------------------------------------------------------
    def _generative(self, question: str, resolved: str, sources: list[Source], plan: QueryPlan, llm: LLM,
                    conversation: Conversation | None) -> Iterator[ChatEvent]:
        passages = "\n\n".join(f"[{s.marker}] {s.hit.citation}"
                               + (f" ({s.hit.superseded_note})" if s.hit.superseded_note else "")
                               + f"\n{s.hit.text}" for s in sources)
        system = load_prompt("study_system", self.settings.language).render()
        user = load_prompt("study_answer", self.settings.language).render(question=resolved, passages=passages)
        messages = [ChatMessage("system", system), ChatMessage("user", user)]
        raw = []
        for piece in llm.stream(messages):
            raw.append(piece)
            yield ChatEvent("token", piece)
        answer = self.verify("".join(raw), question, resolved, sources, plan)
        yield ChatEvent("answer", answer=answer)
        self._remember(conversation, answer)

    @staticmethod
    def verify(raw: str, question: str, resolved: str, sources: list[Source], plan: QueryPlan | None = None) -> Answer:
        """Keep sentences whose markers exist and whose quotes occur in the cited sources."""
        by_marker = {s.marker: s for s in sources}
        kept, removed, invalid = [], [], []
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", raw.strip()):
            if not sentence.strip():
                continue
            markers = [int(m) for m in _MARKER.findall(sentence)]
            cited = [by_marker[m].hit.text for m in markers if m in by_marker]
            bad_marker = any(m not in by_marker for m in markers)
            bad_quotes = [q for q in quotes_in(sentence) if not quote_found(q, cited or [s.hit.text for s in sources])]
            grounded = (bool(cited) or _VERDICT.fullmatch(sentence.strip()) is not None
                        or max((coverage(sentence, s.hit.text) for s in sources), default=0) >= 0.6)
            if bad_marker or bad_quotes or not grounded:
                removed.append(sentence.strip())
                invalid.extend(bad_quotes)
            else:
                kept.append(sentence.strip())
        if not kept:
            text = NO_ANSWER_VI
            mode = "refusal"
        else:
            text = " ".join(kept)
            mode = "generative"
        used = sorted({int(m) for m in _MARKER.findall(text)})
        cited_sources = [by_marker[m] for m in used if m in by_marker] or sources
        return Answer(question, text, cited_sources if mode != "refusal" else [], mode, resolved, removed, invalid,
                      plan)
