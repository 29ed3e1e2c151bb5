"""Can the model judge? Its own verdict and option accuracy, asked directly, recorded per model.

Study chat never shows a verdict ("Đúng", "Sai", "Đáp án B") from a model that has not shown it
can judge. This probe asks the model each true/false and multiple-choice question of a dataset
with gold answers, over the top passages search finds, for the bare verdict; the accuracy it
reaches is stored with ``assistant.llm.capabilities.CapabilityStore``, and a verdict accuracy of
at least ``JUDGE_THRESHOLD`` on enough true/false questions makes the model a judge from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.answers import read_verdict
from assistant.evaluation.dataset import EvalItem
from assistant.evaluation.metrics import rate
from assistant.llm.base import ChatMessage
from assistant.llm.capabilities import FILENAME, JUDGE_THRESHOLD, CapabilityStore, model_key, writes
from assistant.prompts import load_prompt
from assistant.retrieval.search import Query

MIN_ITEMS = 10  # fewer true/false questions than this measure nothing worth recording
PASSAGES = 3
MAX_PASSAGE_CHARS = 600
INSTRUCTIONS = {
    "vi": {"true_false": 'nhận định trong câu hỏi là "Đúng" hay "Sai"?',
           "multiple_choice": "phương án nào đúng? Trả lời bằng một chữ cái."},
    "en": {"true_false": 'is the statement in the question "Đúng" (true) or "Sai" (false)?',
           "multiple_choice": "which option is right? Answer with one letter."},
}


def _messages(item: EvalItem, services: Any, language: str) -> list[ChatMessage]:
    hits, _ = services.searcher.search(Query(item.prompt, k=PASSAGES))
    passages = "\n".join(f"[{i}] {h.citation}: {h.text[:MAX_PASSAGE_CHARS]}" for i, h in enumerate(hits, 1))
    text = load_prompt("judge_verdict", language).render(
        passages=passages, question=item.prompt, instruction=INSTRUCTIONS[language][item.type])
    return [ChatMessage("user", text)]


def probe_judgement(items: Sequence[EvalItem], services: Any, *, record_in: Path | None = None,
                    dataset: str = "", progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Ask the model every answerable true/false and multiple-choice question; score and record its verdicts."""
    llm = services.llm
    judged = [i for i in items if i.answerable and i.answer and i.type in ("true_false", "multiple_choice")]
    if not writes(llm):
        return {"status": "no model that writes: nothing to judge", "judges": False}
    if not judged:
        return {"status": "no true/false or multiple-choice questions with gold answers", "judges": False}
    language = services.settings.language
    rows: dict[str, list[bool]] = {"true_false": [], "multiple_choice": []}
    for n, item in enumerate(judged, 1):
        said = read_verdict(item, llm.generate(_messages(item, services, language), max_tokens=8, temperature=0.0))
        rows[item.type].append(said == item.answer)  # no verdict counts as wrong: strict accuracy
        if progress and n % 10 == 0:
            progress(f"judgement {n}/{len(judged)}")
    tf, mc = rows["true_false"], rows["multiple_choice"]
    verdict_accuracy, option_accuracy = rate(sum(tf), len(tf)), rate(sum(mc), len(mc))
    result: dict[str, Any] = {
        "status": "measured", "model": model_key(llm.describe()),
        "true_false": {"n": len(tf), "correct": sum(tf), "accuracy": verdict_accuracy},
        "multiple_choice": {"n": len(mc), "correct": sum(mc), "accuracy": option_accuracy},
        "threshold": JUDGE_THRESHOLD,
        "judges": len(tf) >= MIN_ITEMS and verdict_accuracy is not None and verdict_accuracy >= JUDGE_THRESHOLD,
    }
    if record_in is not None and len(tf) >= MIN_ITEMS:
        store = CapabilityStore(record_in / FILENAME)
        store.record(result["model"], verdict_accuracy=verdict_accuracy, option_accuracy=option_accuracy,
                     dataset=dataset, items=len(tf) + len(mc))
        result["recorded"] = str(store.path)
    return result
