"""Self-test questions built from a document's own clauses.

A true statement is a clause sentence quoted verbatim; a false variant
changes exactly one thing a careless reader would miss: a number, a
deadline, an actor or a negation. Multiple-choice items blank out a number
or an actor and offer the true value among plausible distractors. Each
item links to the clause it came from, so the answer is always checkable.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.errors import NotFound, ValidationFailed
from assistant.records import Hit
from assistant.text.overlap import sentences

ACTORS = ["chi bộ", "đảng ủy", "cấp ủy", "đảng viên", "bí thư", "Ban Tổ chức Trung ương", "Văn phòng Trung ương",
          "Ban Thường vụ", "tổ chức cơ sở đảng", "Ủy ban Kiểm tra"]
NEGATIONS = [("không được", "được"), ("phải", "không phải"), ("bắt buộc", "không bắt buộc"),
             ("được", "không được")]
_NUMBER = re.compile(r"(?<![\d/.-])(\d{1,4})(?![\d/-])")


@dataclass
class QuizItem:
    """A self-test question built from one clause: the answer, its citation and the source sentence."""

    kind: str  # true_false | multiple_choice
    question: str
    choices: dict[str, str]
    answer: str
    citation: str
    source_text: str
    explanation: str = ""
    chunk_id: str = ""
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The item as ``chibo quiz --json`` prints it."""
        return asdict(self)


def _candidate_sentences(hits: list[Hit]) -> list[tuple[Hit, str]]:
    out = []
    for hit in hits:
        for start, end in sentences(hit.text):
            sentence = hit.text[start:end].strip()
            words = len(sentence.split())
            if 8 <= words <= 60 and not sentence.isupper() and not re.match(r"^(Điều|Chương|Mục)\s", sentence):
                out.append((hit, re.sub(r"^([0-9]+\.|[a-zđ]\))\s*", "", sentence)))
    return out


def _falsify(sentence: str, rng: random.Random) -> tuple[str, str] | None:
    """One changed fact, and what kind of change it was."""
    numbers = list(_NUMBER.finditer(sentence))
    if numbers:
        m = rng.choice(numbers)
        value = int(m.group(1))
        if 1900 <= value <= 2100:
            new = value + rng.choice([-1, 1])
        else:
            new = rng.choice([v for v in {value * 2, value + 5, max(1, value - 5), value + 10} if v != value])
        return sentence[:m.start()] + str(new) + sentence[m.end():], "số liệu/thời hạn"
    lower = sentence.lower()
    for actor in ACTORS:
        idx = lower.find(actor.lower())
        if idx >= 0:
            other = rng.choice([a for a in ACTORS if a.lower() != actor.lower()])
            return sentence[:idx] + other + sentence[idx + len(actor):], "chủ thể"
    for old, negated in NEGATIONS:
        match = re.search(rf"\b{re.escape(old)}\b", sentence)
        if match:
            return sentence[:match.start()] + negated + sentence[match.end():], "phủ định"
    return None


def _multiple_choice(sentence: str, rng: random.Random) -> tuple[str, dict[str, str], str] | None:
    numbers = [m for m in _NUMBER.finditer(sentence) if not 1900 <= int(m.group(1)) <= 2100]
    if numbers:
        m = rng.choice(numbers)
        value = int(m.group(1))
        options = {value, value + 5, max(1, value - 3), value * 2}
        while len(options) < 4:
            options.add(value + len(options) * 7)
        values = [str(v) for v in sorted(options)][:4]
        if str(value) not in values:
            values[-1] = str(value)
        stem = sentence[:m.start()] + "____" + sentence[m.end():]
    else:
        lower = sentence.lower()
        actor = next((a for a in ACTORS if a.lower() in lower), None)
        if actor is None:
            return None
        idx = lower.find(actor.lower())
        values = [actor, *rng.sample([a for a in ACTORS if a != actor], 3)]
        rng.shuffle(values)
        stem = sentence[:idx] + "____" + sentence[idx + len(actor):]
        value = actor  # type: ignore[assignment]
    keys = ["A", "B", "C", "D"]
    choices = dict(zip(keys, values, strict=False))
    answer = next(k for k, v in choices.items() if v == str(value))
    return stem, choices, answer


def build_quiz(services: Any, doc_id: str, *, count: int = 10, seed: int = 0) -> list[QuizItem]:
    """Up to ``count`` items from the document's clauses, reproducible for a seed."""
    if count < 1:
        raise ValidationFailed("Số câu hỏi phải lớn hơn 0")
    index = services.index
    metas = index.metas()
    if doc_id not in metas:
        raise NotFound(f"Không có tài liệu '{doc_id}'", hint="xem danh sách bằng 'chibo docs'")
    meta = metas[doc_id]
    chunks = [c for c in index.chunk_map().values() if c.doc_id == doc_id]
    chunks.sort(key=lambda c: c.ordinal)
    hits = [Hit.from_chunk(c, meta, 1.0) for c in chunks if c.article or c.clause]
    if not hits:
        hits = [Hit.from_chunk(c, meta, 1.0) for c in chunks]
    rng = random.Random(seed)
    pool = _candidate_sentences(hits)
    rng.shuffle(pool)
    items: list[QuizItem] = []
    for i, (hit, sentence) in enumerate(pool):
        if len(items) >= count:
            break
        prefix = f"Theo {hit.citation}: "
        if i % 2 == 0:
            built = _multiple_choice(sentence, rng)
            if built:
                stem, choices, answer = built
                items.append(QuizItem("multiple_choice", prefix + stem, choices, answer, hit.citation, hit.text,
                                      f"Nguyên văn: «{sentence}»", hit.chunk_id))
                continue
        if rng.random() < 0.5:
            falsified = _falsify(sentence, rng)
            if falsified:
                statement, change = falsified
                items.append(QuizItem("true_false", f"{prefix}{statement} — Đúng hay sai?",
                                      {"A": "Đúng", "B": "Sai"}, "B", hit.citation, hit.text,
                                      f"Sai ({change}). Nguyên văn: «{sentence}»", hit.chunk_id))
                continue
        items.append(QuizItem("true_false", f"{prefix}{sentence} — Đúng hay sai?", {"A": "Đúng", "B": "Sai"}, "A",
                              hit.citation, hit.text, f"Đúng. Nguyên văn: «{sentence}»", hit.chunk_id))
    if not items:
        raise ValidationFailed(f"Tài liệu '{doc_id}' không có câu nào đủ rõ để tạo câu hỏi")
    return items
