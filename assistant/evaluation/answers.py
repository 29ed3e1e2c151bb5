"""Answer suite: verdicts, citations, quotations, refusals and latency of study chat.

Judged without a model by default:

- **Verdicts** (true/false, multiple choice) are read from the answer text
  only when a model wrote it (generative mode). Extractive answers quote the
  sources and never decide, so their verdict accuracy is *not applicable*
  (``None``), not 0. An answer whose verdict cannot be read unambiguously
  counts in ``coverage`` but not in ``accuracy``.
- **Citations**: a cited source is correct when its unit matches a gold
  reference (``gold.GoldMatcher``).
- **Quotations**: each quotation shown in the answer (paired «…», “…”, "…",
  and each "> " block reproducing a passage) must occur in a cited source
  (``text.overlap.quote_found``, verbatim up to spacing and case);
  quotations the chat's own check removed are counted separately.
- **Refusals**: unanswerable questions should be refused; refusing an
  answerable one is a false refusal.
- **Free text**: share of the reference answer's content terms and numbers
  found in the answer (a cheap proxy; the optional LLM judge is the real check).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from assistant.errors import AssistantError, BackendUnavailable
from assistant.evaluation.dataset import FALSE, TRUE, EvalItem
from assistant.evaluation.gold import GoldMatcher, distinct_units, unit_of_hit
from assistant.evaluation.metrics import latency_summary, rate
from assistant.evaluation.results import SuiteResult
from assistant.llm.capabilities import judges
from assistant.text.overlap import content_terms, coverage, quote_found
from assistant.text.vietnamese import strip_accents

Progress = Callable[[str], None]
NOT_APPLICABLE = "not applicable"
MAX_SAVED_ANSWER = 4000

_TF_NEUTRAL = re.compile(r"đúng\s*(?:hay|/|hoặc)\s*sai|đúng\s+hay\s+không", re.IGNORECASE)
_TF_LEAD = re.compile(
    r"^\W*(?:(?:nhận định|khẳng định|câu|ý)(?:\s+(?:này|trên|đó))?\s+(?:là\s+)?)?(không đúng|chưa đúng|đúng|sai)\b",
    re.IGNORECASE)
_TF_LABELLED = re.compile(r"(?:đáp án|trả lời|kết luận|kết quả|nhận định này là|câu này là)\s*[:\-]?\s*"
                          r"(không đúng|chưa đúng|đúng|sai)\b", re.IGNORECASE)
_TF_ANY = re.compile(r"\b(không đúng|chưa đúng|đúng|sai)\b", re.IGNORECASE)
_CHOICE_LABELLED = re.compile(r"(?i:đáp án|phương án|lựa chọn|chọn|câu trả lời)(?i:\s+đúng)?(?i:\s+là)?"
                              r"\s*[:\-]?\s*\(?([A-F])\b")
_CHOICE_LEAD = re.compile(r"^\W*\(?([A-F])(?:[).:]|\s*$|\s+-)")
_CHOICE_ANY = re.compile(r"(?<![\w/])\(?([A-F])[).](?=\s|$)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_QUOTED = re.compile(r"“([^“”]+)”|«([^«»]+)»|\"([^\"\n]+)\"")


def _verdict_word(word: str) -> str:
    word = word.lower()
    return FALSE if word.startswith(("không", "chưa")) or word == "sai" else TRUE


def parse_true_false(text: str) -> str | None:
    """"Đúng" / "Sai" when the answer states one unambiguously, else None."""
    text = _TF_NEUTRAL.sub(" ", text or "").strip()
    for pattern in (_TF_LEAD, _TF_LABELLED):
        match = pattern.search(text)
        if match:
            return _verdict_word(match.group(1))
    found = {_verdict_word(m.group(1)) for m in _TF_ANY.finditer(text)}
    return found.pop() if len(found) == 1 else None


def parse_choice(text: str, choices: dict[str, str]) -> str | None:
    """The chosen letter when the answer names exactly one option, else None."""
    text = text or ""
    letters = set(choices)
    named = {m.group(1) for m in _CHOICE_ANY.finditer(text)} & letters
    match = _CHOICE_LABELLED.search(text)
    if match and match.group(1) in letters:
        return match.group(1)
    match = _CHOICE_LEAD.search(text)
    if match and match.group(1) in letters and named <= {match.group(1)}:
        return match.group(1)
    if len(named) == 1:
        return named.pop()
    plain = strip_accents(text)
    quoted = [key for key, option in choices.items() if len(option) > 3 and strip_accents(option) in plain]
    return quoted[0] if len(quoted) == 1 else None


def shown_quotations(text: str) -> list[str]:
    """Quotations the answer shows: each "> " block (a passage reproduced) and each paired “…”, «…», "…".

    Quote marks are paired by direction: a document's own quoted words inside a
    reproduced passage (mức “Tốt” … mức “Tốt”) must not pair across each other.
    """
    quotes: list[str] = []
    block: list[str] = []
    prose: list[str] = []
    for line in (text or "").splitlines() + [""]:
        if line.startswith(">"):
            block.append(line[1:].strip())
            continue
        if block:
            quotes.append("\n".join(block).strip())
            block = []
        prose.append(line)
    for match in _QUOTED.finditer("\n".join(prose)):
        quote = next(g for g in match.groups() if g is not None)
        if len(quote.strip()) >= 8:
            quotes.append(quote)
    return [q for q in quotes if q]


def read_verdict(item: EvalItem, text: str) -> str | None:
    """The true/false or option letter an answer states, by the question's type; None when it states none."""
    return parse_true_false(text) if item.type == "true_false" else parse_choice(text, item.choices)


def numbers_recall(reference: str, answer: str) -> float | None:
    """Share of the reference's numbers that the answer repeats; None when the reference has none."""
    wanted = set(_NUMBER.findall(reference or ""))
    if not wanted:
        return None
    found = set(_NUMBER.findall(answer or ""))
    return len(wanted & found) / len(wanted)


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(sum(kept) / len(kept), 4) if kept else None


def _ask(chat: Any, item: EvalItem) -> tuple[Any, float | None, float]:
    started = time.perf_counter()
    first: float | None = None
    answer = None
    for event in chat.ask_stream(item.prompt):
        if event.kind == "token" and first is None:
            first = (time.perf_counter() - started) * 1000
        elif event.kind == "answer":
            answer = event.answer
    return answer, first, (time.perf_counter() - started) * 1000


def _judge_item(judge: Any, item: EvalItem, answer: Any) -> dict[str, Any] | None:
    if judge is None or item.type != "free_text" or not item.answerable or not item.answer or answer.refused:
        return None
    return judge.judge(item.question, item.answer, answer.text)


def run_answers(items: Sequence[EvalItem], services: Any, matcher: GoldMatcher, *, judge: Any = None,
                progress: Progress | None = None) -> SuiteResult:
    """Ask every question through ``services.chat`` and score what comes back."""
    progress = progress or (lambda message: None)
    metas = services.index.metas()
    chat = services.chat
    llm = services.llm
    result = SuiteResult("answers")
    rows: list[dict[str, Any]] = []
    first_ms: list[float] = []
    total_ms: list[float] = []
    for n, item in enumerate(items, 1):
        try:
            answer, first, total = _ask(chat, item)
        except BackendUnavailable:
            raise
        except AssistantError as exc:
            failed = {"id": item.id, "type": item.type, "answerable": item.answerable, "error": str(exc)}
            rows.append(failed)
            result.items[item.id] = failed
            continue
        if first is not None:
            first_ms.append(first)
        total_ms.append(total)
        units = distinct_units(unit_of_hit(s.hit, metas[s.hit.doc_id].has_articles if s.hit.doc_id in metas
                                           else None) for s in answer.sources)
        correct_units = [u for u in units if matcher.any_match(u, item.gold)]
        shown_quotes = shown_quotations(answer.text)
        sources_text = [s.hit.text for s in answer.sources]
        verified = [q for q in shown_quotes if quote_found(q, sources_text)]
        row: dict[str, Any] = {
            "id": item.id, "type": item.type, "answerable": item.answerable, "mode": answer.mode,
            "refused": answer.refused, "unsure": getattr(answer, "unsure", False), "first_token_ms": None if first is None else round(first, 1),
            "total_ms": round(total, 1), "cited": [u.to_dict() for u in units],
            "cited_correct": [u.to_dict() for u in correct_units],
            "quotes": len(shown_quotes), "quotes_verified": len(verified),
            "unverified_quotes": [q for q in shown_quotes if q not in verified],
            "quotes_removed": len(answer.invalid_quotes), "sentences_removed": len(answer.removed_sentences),
            "answer": answer.text[:MAX_SAVED_ANSWER],
        }
        if item.type in ("true_false", "multiple_choice") and item.answerable:
            # Only a model measured able to judge decides; its refusal is an answer without a verdict.
            verdict = read_verdict(item, answer.text) if answer.mode == "generative" else None
            if verdict is None and answer.removed_sentences:
                # A bare "Đúng." carries no citation, so the chat's check may drop it: say so, do not score it.
                row["verdict_removed_by_check"] = read_verdict(item, " ".join(answer.removed_sentences))
            row["verdict"] = verdict if judges(llm) else NOT_APPLICABLE
            row["expected"] = item.answer
            row["verdict_correct"] = None if verdict is None or item.answer is None else verdict == item.answer
        if item.type == "free_text" and item.answerable and item.answer and not answer.refused:
            row["reference_coverage"] = round(coverage(item.answer, answer.text), 4) \
                if content_terms(item.answer) else None
            row["numbers_recall"] = numbers_recall(item.answer, answer.text)
        judged = _judge_item(judge, item, answer)
        if judged is not None:
            row["judge"] = judged
        rows.append(row)
        result.items[item.id] = row
        if n % 10 == 0:
            progress(f"answers {n}/{len(items)}")
    result.metrics = summarize(rows, first_ms, total_ms, llm, judge)
    verdicts = result.metrics["verdicts"]
    if verdicts["status"] != "measured":
        result.notes.append("Verdict accuracy is not applicable: " + verdicts["status"])
    removed = verdicts["true_false"]["verdict_removed_by_check"] + verdicts["multiple_choice"]["verdict_removed_by_check"]
    if removed:
        result.notes.append(f"{removed} answers stated a verdict only in sentences the chat's citation check removed "
                            "(no [n] marker); they count as answers without a verdict.")
    return result


def _verdict_block(rows: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    typed = [r for r in rows if r.get("type") == kind and "verdict" in r]
    generative = [r for r in typed if r["verdict"] != NOT_APPLICABLE]
    decided = [r for r in generative if r["verdict"] is not None]
    correct = sum(1 for r in decided if r["verdict_correct"])
    removed = sum(1 for r in generative if r["verdict"] is None and r.get("verdict_removed_by_check"))
    return {"n": len(typed), "generative": len(generative), "with_verdict": len(decided), "correct": correct,
            "verdict_removed_by_check": removed,
            "accuracy": rate(correct, len(decided)), "coverage": rate(len(decided), len(generative)),
            "strict_accuracy": rate(correct, len(generative))}


def summarize(rows: list[dict[str, Any]], first_ms: list[float], total_ms: list[float], llm: Any,
              judge: Any) -> dict[str, Any]:
    """The answers suite's metrics: verdicts, citations, quotes, refusals, free-text coverage, latency, judge."""
    ok = [r for r in rows if "error" not in r]
    modes: dict[str, int] = {}
    for r in ok:
        modes[r["mode"]] = modes.get(r["mode"], 0) + 1
    answered = [r for r in ok if r["answerable"] and not r["refused"]]
    with_citations = [r for r in answered if r["cited"]]
    unanswerable = [r for r in ok if not r["answerable"]]
    answerable = [r for r in ok if r["answerable"]]
    quotes = sum(r["quotes"] for r in ok)
    quotes_ok = sum(r["quotes_verified"] for r in ok)
    removed = sum(r["quotes_removed"] for r in ok)
    tf, mc = _verdict_block(ok, "true_false"), _verdict_block(ok, "multiple_choice")
    if tf["generative"] + mc["generative"]:
        status = "measured"
    elif tf["n"] + mc["n"]:
        status = "no verdicts: the model was not measured able to judge"
    else:
        status = "no true/false or multiple-choice questions"
    judged = [r["judge"] for r in ok if "judge" in r]
    free = [r for r in ok if "reference_coverage" in r]
    return {
        "n": len(rows), "errors": len(rows) - len(ok), "modes": modes,
        "llm": llm.describe() if hasattr(llm, "describe") else {"name": getattr(llm, "name", "?")},
        "verdicts": {"status": status, "true_false": tf, "multiple_choice": mc},
        "citations": {
            "answered": len(answered), "with_citations": len(with_citations),
            "any_correct": rate(sum(1 for r in with_citations if r["cited_correct"]), len(with_citations)),
            "first_correct": rate(sum(1 for r in with_citations
                                      if r["cited_correct"] and r["cited_correct"][0] == r["cited"][0]),
                                  len(with_citations)),
            "precision": _mean([len(r["cited_correct"]) / len(r["cited"]) for r in with_citations]),
        },
        "quotes": {"shown": quotes, "verified": quotes_ok, "verification_rate": rate(quotes_ok, quotes),
                   "removed_by_check": removed, "model_quote_accuracy": rate(quotes_ok, quotes + removed),
                   "sentences_removed": sum(r["sentences_removed"] for r in ok)},
        "refusals": {
            "unanswerable": len(unanswerable),
            "correct_refusals": sum(1 for r in unanswerable if r["refused"]),
            "refusal_rate_unanswerable": rate(sum(1 for r in unanswerable if r["refused"]), len(unanswerable)),
            "answerable": len(answerable),
            "false_refusals": sum(1 for r in answerable if r["refused"]),
            "false_refusal_rate": rate(sum(1 for r in answerable if r["refused"]), len(answerable)),
            # answered under the caution "may not answer directly" (relevance.UNSURE_BELOW)
            "unsure_unanswerable": sum(1 for r in unanswerable if r.get("unsure")),
            "unsure_answerable": sum(1 for r in answerable if r.get("unsure")),
        },
        "free_text": {"n": len(free), "reference_coverage": _mean([r["reference_coverage"] for r in free]),
                      "numbers_recall": _mean([r.get("numbers_recall") for r in free])},
        "latency": {"first_token": latency_summary(first_ms), "total": latency_summary(total_ms)},
        "judge": None if judge is None else {
            "label": f"LLM judge ({judge.label}) — automatic, not a human check",
            "n": len(judged), "passed": sum(1 for j in judged if j.get("passed")),
            "pass_rate": rate(sum(1 for j in judged if j.get("passed")), len(judged)),
            "unparsed": sum(1 for j in judged if j.get("passed") is None)},
    }
