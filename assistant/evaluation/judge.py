"""Optional LLM judge for free-text answers (``chibo eval --judge-llm NAME``).

Off by default: the harness judges without a model. When asked for, any
registered LLM backend grades each free-text answer against the reference
answer with the ``answer_judge`` prompt (kept next to this module), and the
report labels the number as an automatic judgement by that model.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.llm.base import LLM, ChatMessage
from assistant.prompts import load_prompt
from assistant.text.vietnamese import strip_accents

PROMPT_DIR = Path(__file__).resolve().parent / "prompts"
MAX_ANSWER_CHARS = 1500  # the packaged model has a 2k-token context
_FAIL = re.compile(r"^\W*(khong dat|fail)\b")
_PASS = re.compile(r"^\W*(dat|pass)\b")


def parse_judgement(text: str) -> bool | None:
    """True for ĐẠT/PASS, False for KHÔNG ĐẠT/FAIL, None when the first line says neither."""
    first = strip_accents((text or "").strip().splitlines()[0] if (text or "").strip() else "")
    if _FAIL.search(first):
        return False
    if _PASS.search(first):
        return True
    return None


class LLMJudge:
    """Asks a model whether an answer agrees with the reference answer: an automatic check, not a human one."""

    def __init__(self, llm: LLM, language: str = "vi") -> None:
        self.llm = llm
        self.prompt = load_prompt("answer_judge", language, PROMPT_DIR)

    @property
    def label(self) -> str:
        return f"{self.llm.name}:{self.llm.model}"

    def describe(self) -> dict[str, Any]:
        """The judge's label and its model's description, recorded with the run."""
        return {"label": self.label, **self.llm.describe()}

    def judge(self, question: str, reference: str, answer: str) -> dict[str, Any]:
        """One verdict: ``passed`` is True, False, or None when the judge's reply names neither."""
        text = self.prompt.render(question=question, reference=reference, answer=answer[:MAX_ANSWER_CHARS])
        raw = self.llm.generate([ChatMessage("user", text)], max_tokens=80, temperature=0.0)
        return {"passed": parse_judgement(raw), "raw": raw.strip()[:300]}
