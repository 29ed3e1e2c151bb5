"""Study chat: grounded answers with citations and checked quotations.

Retrieval, citations and the decision to refuse are deterministic. The answer
always quotes the clauses that answer the question, verbatim, with their
citations (:mod:`assistant.study.extractive`). A model that writes Vietnamese
adds a one- or two-sentence lead above them (:mod:`assistant.study.generative`),
every sentence of which is checked against the clause it cites; what fails the
check is dropped, never shown as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from assistant.errors import NotFound
from assistant.llm.base import LLM
from assistant.llm.capabilities import writes
from assistant.retrieval.search import Query, Searcher
from assistant.settings import Settings
from assistant.study.answer import NO_ANSWER_VI, UNSURE_VI, Answer, ChatEvent, Conversation, Source
from assistant.study.extractive import extractive_answer, quotes_for
from assistant.study.generative import Lead, stream_lead
from assistant.study.relevance import UNSURE_BELOW, answer_decision, missing_article
from assistant.text.support import PROBLEM_LABELS_VI

__all__ = ["NO_ANSWER_VI", "Answer", "ChatEvent", "Conversation", "Source", "StudyChat"]

# The checks catch most of what the writer gets wrong, not all (benchmarks/results/verifier.md: on its own leads for
# fresh questions about one kept sentence in four to six was still wrong): the label sends the member to the quotes.
LEAD_LABEL_VI = "Trả lời ngắn (mô hình diễn đạt, đã đối chiếu tự động nhưng có thể sai — căn cứ vào trích dẫn bên dưới):"
# "khoản 3", "điểm a" — not the "khoản" of "tài khoản cho …".
_FOLLOW_UP_CLAUSE = re.compile(r"(?<!tài )(?<!tai )\b(khoản|khoan|điểm|diem)\s+(\d+(?:\.\d+)*|[a-zđ])\b", re.I)


class StudyChat:
    """Answers study questions from retrieved passages: verbatim quotes, under a verified model lead when one writes."""

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
        missing = missing_article(self.searcher.index, plan)
        answers, confidence = answer_decision(resolved, hits, plan, self.settings.retrieval)
        if missing or not answers:
            text = missing or NO_ANSWER_VI
            # The nearest passages stay visible for reference, clearly not as an answer.
            nearest = [Source(i + 1, hit) for i, hit in enumerate(hits[:3])] if not missing else []
            if nearest:
                text += "\n\nCác đoạn gần nhất (không trả lời trực tiếp): " + "; ".join(
                    f"[{s.marker}] {s.hit.citation}" for s in nearest)
            answer = Answer(question, text, nearest, "refusal", resolved, plan=plan, confidence=confidence)
            yield ChatEvent("token", text)
            yield ChatEvent("answer", answer=answer)
            self._remember(conversation, answer)
            return
        sources = [Source(i + 1, hit, quotes_for(resolved, hit)) for i, hit in enumerate(hits)]
        quoted = extractive_answer(resolved, sources)
        unsure = confidence < UNSURE_BELOW
        if unsure:  # the quotes are leads to check, and no model wording may make them sound like the answer
            quoted = f"{UNSURE_VI}\n\n{quoted}"
        lead = Lead()
        if writes(llm) and not unsure:
            for item in stream_lead(llm, resolved, sources, self.settings.language,
                                    max_new_words=self.settings.llm.lead_max_new_words):
                if isinstance(item, Lead):
                    lead = item
                else:
                    yield ChatEvent("token", item)
        text = f"{LEAD_LABEL_VI} {lead.text}\n\n{quoted}" if lead.text else quoted
        if not lead.text:
            for piece in re.findall(r"\S+\s*|\s+", text):
                yield ChatEvent("token", piece)
        answer = Answer(question, text, sources, "generative" if lead.text else "extractive", resolved,
                        removed_sentences=[c.sentence for c in lead.removed],
                        removed_why=[", ".join(PROBLEM_LABELS_VI[p] for p in c.problems) for c in lead.removed],
                        plan=plan, lead=lead.text, confidence=confidence, unsure=unsure)
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
