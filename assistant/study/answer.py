"""What the study chat returns: sources cited by marker, the verified answer, streamed events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.records import Hit
from assistant.retrieval.search import QueryPlan

NO_ANSWER_VI = ("Các tài liệu đã nạp không có nội dung trả lời câu hỏi này, nên trợ lý không trả lời "
                "để tránh đưa thông tin sai. Hãy hỏi cụ thể hơn hoặc nạp thêm văn bản liên quan.")
# Shown above the quotes when the refusal model, though above its threshold, thinks it less likely than not that
# they answer (relevance.UNSURE_BELOW): the member reads them as leads to check, not as the answer.
UNSURE_VI = ("Lưu ý: các đoạn dưới đây có thể không trả lời trực tiếp câu hỏi; hãy đọc kỹ và đối chiếu "
             "trước khi dùng.")


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
    mode: str  # extractive | generative (a verified model lead above the quotes) | refusal
    resolved_question: str = ""
    removed_sentences: list[str] = field(default_factory=list)
    removed_why: list[str] = field(default_factory=list)  # per removed sentence: the checks it failed
    invalid_quotes: list[str] = field(default_factory=list)
    plan: QueryPlan | None = None
    lead: str = ""  # the model's verified wording; everything else in ``text`` is quoted verbatim
    confidence: float | None = None  # P(the passages answer), by the refusal model (1 or 0 when a rule decided)
    unsure: bool = False  # answered, but below relevance.UNSURE_BELOW: the text opens with UNSURE_VI

    @property
    def refused(self) -> bool:
        return self.mode == "refusal"

    def to_dict(self) -> dict[str, Any]:
        """The answer as ``chibo ask --json`` prints it."""
        return {"question": self.question, "resolved_question": self.resolved_question, "answer": self.text,
                "mode": self.mode, "refused": self.refused, "sources": [s.to_dict() for s in self.sources],
                "removed_sentences": self.removed_sentences, "removed_why": self.removed_why, "invalid_quotes": self.invalid_quotes,
                "lead": self.lead, "confidence": None if self.confidence is None else round(self.confidence, 3),
                "unsure": self.unsure}


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
