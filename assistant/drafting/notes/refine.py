"""Optional wording pass by a model that writes Vietnamese over an extracted record.

The deterministic record is the truth. The model only rewrites free-text
items (opinions, conclusions, proceedings, task descriptions); each rewrite
is checked against the notes — every number and every capitalised name in it
must occur there, and each sentence must pass the sentence verifier against
the item and its note line — and kept only then. Speakers, owners, counts and
dates never come from the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting.notes.record import MeetingRecord
from assistant.errors import AssistantError
from assistant.llm.base import LLM
from assistant.prompts import PromptTemplate
from assistant.text.quantities import figures
from assistant.text.support import PROBLEM_LABELS_VI, check_restatement
from assistant.text.vietnamese import has_diacritics, search_key

# Capitalised words that may appear in good minutes without being in the notes.
_ALLOWED_CAPITALS = {"đồng", "chí", "chi", "bộ", "đảng", "đảng ủy", "nhà", "nước", "ban", "nhân", "dân", "ủy"}


@dataclass
class RefineReport:
    """How many model rewrites were accepted and rejected, and why."""

    accepted: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)


def _capitalised(text: str) -> set[str]:
    words: set[str] = set()
    for sentence in re.split(r"(?<=[.!?:;])\s+", text.strip()):
        tokens = re.findall(r"[^\W\d_]+", sentence)
        for token in tokens[1:]:
            if token[:1].isupper():
                words.add(search_key(token))
    return words


def check_rewrite(new: str, original: str, notes: str, source_line: str = "") -> str | None:
    """Why a rewrite is unusable, or None when it may replace the original.

    Numbers (counts, dates, percentages, in figures or in words) must occur in the item itself or in the
    note line it came from; capitalised words (names) anywhere in the notes. Then every sentence is held
    to the item and its note line by the study chat's verifier
    (:func:`assistant.text.support.check_restatement`): negation and duty, named bodies, documents, dates,
    articles, foreign words and content the source does not give are refused.
    """
    if not new or not new.strip():
        return "trống"
    if not has_diacritics(new):
        return "không phải tiếng Việt có dấu"
    if len(new) > 2 * len(original) + 40:
        return "dài bất thường"
    source = f"{original}\n{source_line}".strip()
    extra = figures(new) - figures(source)
    if extra:
        return f"số không có trong ghi chép: {', '.join(sorted(extra))}"
    note_words = set(re.findall(r"[^\W\d_]+", search_key(notes)))
    unknown = {w for w in _capitalised(new) if w not in note_words and w not in _ALLOWED_CAPITALS}
    if unknown:
        return f"tên không có trong ghi chép: {', '.join(sorted(unknown))}"
    for check in check_restatement(new, source):
        if not check.supported:
            what = ", ".join(dict.fromkeys(PROBLEM_LABELS_VI.get(p, p) for p in check.problems))
            details = "; ".join(d for d in check.details[:3] if d)
            return f"không khớp ghi chép: {what}" + (f" ({details})" if details else "")
    return None


def _parse_json(answer: str) -> dict[str, str]:
    match = re.search(r"\{.*\}", answer, re.DOTALL)
    if not match:
        return {}
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def refine_record(record: MeetingRecord, notes: str, llm: LLM, prompt: PromptTemplate,
                  max_tokens: int = 1024) -> RefineReport:
    """Let ``llm`` improve phrasing in place; returns what was accepted and rejected."""
    slots: dict[str, tuple[Any, str]] = {}
    for prefix, items, attr in (("o", record.opinions, "content"), ("c", record.conclusions, "text"),
                                ("p", record.proceedings, "text"), ("t", record.tasks, "what")):
        for i, item in enumerate(items, 1):
            slots[f"{prefix}{i}"] = (item, attr)
    report = RefineReport()
    if not slots:
        return report
    payload = json.dumps({key: getattr(item, attr) for key, (item, attr) in slots.items()}, ensure_ascii=False,
                         indent=0)
    try:
        answer = llm.generate(prompt.render(notes=notes, items=payload), max_tokens=max_tokens)
    except AssistantError as exc:
        report.reasons.append(f"mô hình lỗi: {exc}")
        return report
    for key, new in _parse_json(answer).items():
        if key not in slots:
            continue
        item, attr = slots[key]
        original = getattr(item, attr)
        line_no = getattr(item, "line", None)
        note_lines = notes.split("\n")
        source_line = note_lines[line_no - 1] if line_no and 0 < line_no <= len(note_lines) else ""
        problem = check_rewrite(new, original, notes, source_line)
        if problem:
            report.rejected += 1
            report.reasons.append(f"{key}: {problem}")
            continue
        setattr(item, attr, new.strip())
        report.accepted += 1
    return report
