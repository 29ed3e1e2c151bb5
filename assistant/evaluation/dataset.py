"""Evaluation datasets: one JSON question a line, with gold passages.

The format (documented in docs/evaluation.md) is the one of
``evals/study_questions.jsonl`` and of the external ALQAC check::

    {"id": "SQ-005", "question": "…", "type": "multiple_choice",
     "choices": {"A": "…", "B": "…"}, "answer": "C",
     "gold": [{"doc": "339-QĐ/TW", "doc_id": "339-qd-tw-…", "article": "8", "clause": "2"}],
     "answerable": true}

``type`` ``open`` is read as ``free_text``. ``answerable`` defaults to
"has gold". A malformed file fails as a whole with every problem listed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import NotFound, ValidationFailed
from assistant.text.vietnamese import strip_accents

TYPES = ("free_text", "true_false", "multiple_choice")
TYPE_ALIASES = {"open": "free_text", "free": "free_text", "tf": "true_false", "mc": "multiple_choice"}
TRUE, FALSE = "Đúng", "Sai"


@dataclass(frozen=True)
class GoldRef:
    """A passage that answers the question. ``article`` is "5" or a path like "II.1.1.2"; empty = whole document."""

    doc: str
    doc_id: str = ""
    article: str = ""
    clause: str = ""
    point: str = ""

    @property
    def label(self) -> str:
        parts = [self.doc or self.doc_id]
        if self.article:
            parts.append(self.article)
        if self.clause:
            parts.append(f"k{self.clause}")
        if self.point:
            parts.append(self.point)
        return " ".join(parts)


@dataclass
class EvalItem:
    """One question of a dataset: its type, options, expected answer and gold passages."""

    id: str
    question: str
    type: str = "free_text"
    choices: dict[str, str] = field(default_factory=dict)
    answer: str | None = None
    gold: list[GoldRef] = field(default_factory=list)
    answerable: bool = True

    @property
    def prompt(self) -> str:
        """What a member would type: the question, followed by the options of a multiple-choice item."""
        if not self.choices:
            return self.question
        options = "\n".join(f"{key}. {text}" for key, text in sorted(self.choices.items()))
        return f"{self.question}\n{options}"

    def to_dict(self) -> dict[str, Any]:
        """The item as plain data, as written to items.jsonl."""
        return asdict(self)


def normalize_verdict(value: Any) -> str | None:
    """"Đúng"/"dung"/True → "Đúng"; "Sai"/False → "Sai"; anything else → None."""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    key = strip_accents(str(value or "")).strip(" .")
    if key in ("dung", "true", "d"):
        return TRUE
    if key in ("sai", "false", "s"):
        return FALSE
    return None


def _gold(raw: Any, where: str, problems: list[str]) -> list[GoldRef]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        problems.append(f"{where}: 'gold' phải là danh sách")
        return []
    out = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not (entry.get("doc") or entry.get("doc_id")):
            problems.append(f"{where}: gold[{i}] cần 'doc' hoặc 'doc_id'")
            continue
        out.append(GoldRef(doc=str(entry.get("doc") or ""), doc_id=str(entry.get("doc_id") or ""),
                           article=str(entry.get("article") or "").strip(),
                           clause=str(entry.get("clause") or "").strip(),
                           point=str(entry.get("point") or "").strip()))
    return out


def parse_item(data: Any, where: str, problems: list[str]) -> EvalItem | None:
    """One record, or None with the reasons appended to ``problems``."""
    if not isinstance(data, dict):
        problems.append(f"{where}: cần một đối tượng JSON")
        return None
    before = len(problems)
    item_id = str(data.get("id") or "").strip()
    question = str(data.get("question") or "").strip()
    if not item_id:
        problems.append(f"{where}: thiếu 'id'")
    if not question:
        problems.append(f"{where}: thiếu 'question'")
    kind = str(data.get("type") or "free_text").strip().lower()
    kind = TYPE_ALIASES.get(kind, kind)
    if kind not in TYPES:
        problems.append(f"{where}: 'type' phải là một trong {', '.join(TYPES)} (hoặc open)")
    choices_raw = data.get("choices") or {}
    if not isinstance(choices_raw, dict):
        problems.append(f"{where}: 'choices' phải là bảng {{\"A\": …}}")
        choices_raw = {}
    choices = {str(k).strip().upper(): str(v) for k, v in choices_raw.items()}
    answer = data.get("answer")
    answer_text = None if answer is None else str(answer).strip()
    gold = _gold(data.get("gold"), where, problems)
    answerable = bool(data["answerable"]) if "answerable" in data else bool(data.get("gold"))
    if answerable and answer_text is not None:
        if kind == "true_false":
            verdict = normalize_verdict(answer_text)
            if verdict is None:
                problems.append(f"{where}: câu đúng/sai cần 'answer' là \"Đúng\" hoặc \"Sai\"")
            answer_text = verdict
        elif kind == "multiple_choice":
            answer_text = answer_text.upper()
            if not choices:
                problems.append(f"{where}: câu trắc nghiệm cần 'choices'")
            elif answer_text not in choices:
                problems.append(f"{where}: đáp án {answer_text!r} không có trong 'choices'")
    if len(problems) > before:
        return None
    return EvalItem(item_id, question, kind, choices, answer_text, gold, answerable)


def resolve_dataset(path: Path) -> Path:
    """A JSONL file, or a folder holding exactly one (``…/alqac`` → ``dev_questions.jsonl``)."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if len(files) != 1:
            found = ", ".join(f.name for f in files) or "không có"
            raise ValidationFailed(f"Thư mục {path} cần đúng một tệp .jsonl (tìm thấy: {found})")
        return files[0]
    if not path.is_file():
        raise NotFound(f"Không có tệp dữ liệu đánh giá {path}")
    return path


def load_dataset(path: Path, limit: int | None = None) -> list[EvalItem]:
    """Read and check a dataset; ``limit`` keeps the first N questions."""
    path = resolve_dataset(path)
    problems: list[str] = []
    items: list[EvalItem] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: JSON không hợp lệ ({exc.msg})")
            continue
        item = parse_item(data, where, problems)
        if item is None:
            continue
        if item.id in seen:
            problems.append(f"{where}: 'id' {item.id} bị trùng")
            continue
        seen.add(item.id)
        items.append(item)
    if problems:
        raise ValidationFailed(f"Tệp dữ liệu {path.name} không hợp lệ", problems[:20])
    if not items:
        raise ValidationFailed(f"Tệp dữ liệu {path.name} không có câu hỏi nào")
    return items[:limit] if limit else items
