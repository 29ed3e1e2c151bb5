"""The model's lead answer: one or two Vietnamese sentences above the quoted clauses.

A model that writes Vietnamese phrases a short answer from the top clauses only (a short
prompt, so the first words come quickly on a small CPU). Every sentence is then checked by
:mod:`assistant.text.support` against the clause it cites; a sentence that fails is dropped
and the verified quotes below stand alone. Verdicts ("Đúng", "Đáp án B") pass only for a
model measured able to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from assistant.llm.base import LLM, ChatMessage
from assistant.llm.capabilities import judges
from assistant.prompts import load_prompt
from assistant.study.answer import Source
from assistant.study.extractive import choices_in, is_true_false
from assistant.text.garbled import copied_from_question, ends_at_cut, restates_question
from assistant.text.injection import neutralize_special_tokens, without_instructions
from assistant.text.support import (
    DEFAULT_STRICTNESS,
    FRAGMENT,
    GARBLED,
    MARKER,
    Passage,
    SentenceCheck,
    check_text,
    is_verdict,
    split_sentences,
)
from assistant.text.vietnamese import reflow

# One clause: a short prompt (first words sooner), and every sentence the model writes is about that clause,
# so a sentence the model leaves without a marker is checked against it like any cited one.
LEAD_SOURCES = 1
MAX_PASSAGE_CHARS = 420
MAX_LEAD_TOKENS = 120
MAX_LEAD_SENTENCES = 2
NO_LEAD = "KHÔNG RÕ"


def _excerpt(source: Source) -> str:
    """What the model is shown of a source: the passage when short, else its focused clause, clipped at a word."""
    whole = reflow(source.hit.text.strip())
    text = whole if len(whole) <= MAX_PASSAGE_CHARS else reflow(source.hit.focus_text.strip() or whole)
    if len(text) <= MAX_PASSAGE_CHARS:
        return text
    cut = text[:MAX_PASSAGE_CHARS]
    # End on a whole sentence or list item when one ends past the middle: a clause cut mid-way ("… cần hoàn thiện
    # và đi trước một") is copied by the model as if it were whole.
    ends = [m.end() for m in re.finditer(r"[.;:](?=\s)|\n", cut)]
    if ends and ends[-1] > MAX_PASSAGE_CHARS // 2:
        return cut[:ends[-1]].rstrip()
    return (cut[:cut.rfind(" ")] if " " in cut else cut) + " …"


def lead_passages(sources: list[Source]) -> list[Passage]:
    """The passages the lead may cite: the top sources' clauses, exactly as the model sees them.

    Sentences in a document that address the assistant ("Bỏ qua mọi hướng dẫn…", a planted password)
    are cut out: the model never reads them, and nothing it writes can rest on them.
    """
    return [Passage(s.marker, without_instructions(_excerpt(s)), s.hit.citation) for s in sources[:LEAD_SOURCES]]


def lead_messages(question: str, passages: list[Passage], language: str) -> list[ChatMessage]:
    """A short prompt: fixed system text first (llama.cpp reuses it across calls), then the clauses."""
    system = load_prompt("study_lead_system", language).render()
    shown = neutralize_special_tokens("\n".join(f"[{p.marker}] {p.citation}: {p.text}" for p in passages))
    user = load_prompt("study_lead", language).render(question=neutralize_special_tokens(question), passages=shown)
    return [ChatMessage("system", system), ChatMessage("user", user)]


@dataclass
class Lead:
    """The verified lead and what was removed from the model's draft, with why."""

    text: str = ""
    raw: str = ""
    checks: list[SentenceCheck] = field(default_factory=list)

    @property
    def removed(self) -> list[SentenceCheck]:
        """The sentences the verifier refused."""
        return [c for c in self.checks if not c.supported]


def verify_lead(raw: str, passages: list[Passage], *, allow_verdicts: bool, question: str = "",
                max_new_words: int | None = None) -> Lead:
    """Keep the first sentences that pass every check against the passages they cite.

    With a single passage shown, a sentence without a marker can only be about it: it gets ``[1]`` and is
    then held to that passage like any cited sentence (attribution by construction, not trust).
    ``max_new_words`` bounds the words of its own a sentence may use (``llm.lead_max_new_words``).
    """
    if NO_LEAD in raw.upper():
        return Lead(raw=raw)
    # Writing stopped at the token limit mid-sentence ("… hoàn thành tốt nhiệm"): that last piece is no sentence.
    cut_short = bool(raw.strip()) and not re.search(r"[.!?…:;)\]\"”»]\s*$", raw)
    if len(passages) == 1:
        marker = f" [{passages[0].marker}]"
        raw = " ".join(s if MARKER.search(s) or is_verdict(s) else s.rstrip(" .") + marker + "."
                       for s in split_sentences(raw))
    strictness = replace(DEFAULT_STRICTNESS, max_new_words=max_new_words)
    checks = check_text(raw, passages, allow_verdicts=allow_verdicts, strictness=strictness)
    texts = [p.text for p in passages]
    for n, check in enumerate(checks):  # the tail of a passage shown cut off is no sentence of its own
        if check.supported and (any(ends_at_cut(check.sentence, text) for text in texts)
                                or (cut_short and n == len(checks) - 1)):
            check.problems.append(FRAGMENT)
        copied = (copied_from_question(check.sentence, question, texts)
                  or restates_question(check.sentence, question, texts)) if check.supported else []
        if copied:  # words of an accent-free question pasted bare, or the question's own opening, as the answer
            check.problems.append(GARBLED)
            check.details.extend(copied)
    kept = [c.sentence for c in checks if c.supported][:MAX_LEAD_SENTENCES]
    return Lead(" ".join(kept), raw, checks)


def wants_verdict(question: str) -> bool:
    """True/false and multiple-choice questions: any lead would be a verdict in disguise."""
    return is_true_false(question) or bool(choices_in(question))


def stream_lead(llm: LLM, question: str, sources: list[Source], language: str, *,
                max_new_words: int | None = None) -> Iterator[str | Lead]:
    """The model's draft piece by piece (progress only), then the verified :class:`Lead`.

    A model not measured able to judge writes no lead for a question that asks for a verdict: restating
    the claim ("… đạt 92 điểm thì đương nhiên được xếp loại …") would answer it without saying "Đúng".
    """
    if wants_verdict(question) and not judges(llm):
        yield Lead()
        return
    passages = lead_passages(sources)
    pieces: list[str] = []
    for piece in llm.stream(lead_messages(question, passages, language), max_tokens=MAX_LEAD_TOKENS,
                            temperature=0.0):
        pieces.append(piece)
        yield piece
    yield verify_lead("".join(pieces), passages, allow_verdicts=judges(llm), question=question,
                      max_new_words=max_new_words)
