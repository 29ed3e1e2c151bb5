"""What a model has shown it can do, measured rather than declared.

Two capabilities gate what a model may write for users:

- ``writes_vietnamese``: it phrases given content in Vietnamese (study-chat leads, summaries,
  bulletin sentences). Every sentence is still verified against its source.
- ``judges``: it may state verdicts ("Đúng"/"Sai", the right option, a conclusion). Only a model
  whose verdict accuracy, measured by ``chibo eval --suite answers`` on questions with gold answers,
  reaches :data:`JUDGE_THRESHOLD` gets it. Without it a true/false question gets the deciding
  clause with its deciding words marked, never a verdict.

Measurements are kept per model in ``<data dir>/capabilities.json``; packaged models carry the
profile measured when they were added (``assistant.llm.packaged``); a server model that has not
been measured is assumed to write Vietnamese (the user chose it for that) but never to judge.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field

JUDGE_THRESHOLD = 0.85
FILENAME = "capabilities.json"
_lock = threading.Lock()


@dataclass(frozen=True)
class Capabilities:
    """What a model may do for users, and where that knowledge comes from."""

    writes_vietnamese: bool = False
    judges: bool = False
    verdict_accuracy: float | None = None
    option_accuracy: float | None = None
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for ``chibo doctor``, reports and the system tab."""
        return asdict(self)


NONE = Capabilities(evidence="không có mô hình viết")
SERVER_DEFAULT = "as measured by 'chibo eval --suite answers' (a server model not yet measured is assumed to)."


def model_key(description: dict[str, object]) -> str:
    """The key a model's measurements are stored under: ``backend:model``."""
    return f"{description.get('backend', '?')}:{description.get('model', '?')}"


class CapabilityStore:
    """Measured capabilities per model, in one small JSON file of the data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> dict[str, Any] | None:
        """The recorded measurement of model ``key``, if any."""
        return self._load().get(key)

    def record(self, key: str, *, verdict_accuracy: float | None = None, option_accuracy: float | None = None,
               writes_vietnamese: bool | None = None, dataset: str = "", items: int = 0) -> dict[str, Any]:
        """Store a measurement (fields left None keep their previous value) and return the entry."""
        with _lock:
            data = self._load()
            entry = dict(data.get(key, {}))
            for name, value in (("verdict_accuracy", verdict_accuracy), ("option_accuracy", option_accuracy),
                                ("writes_vietnamese", writes_vietnamese)):
                if value is not None:
                    entry[name] = value
            entry.update(dataset=dataset, items=items, measured=dt.date.today().isoformat())
            data[key] = entry
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            tmp.replace(self.path)
            return entry


def resolve(description: dict[str, object], *, declared_writes: bool | None, profile_writes: bool | None,
            store: CapabilityStore | None) -> Capabilities:
    """Capabilities of a model from, in order: its measurement, the user's declaration, its packaged profile."""
    measured = store.get(model_key(description)) if store else None
    writes: bool
    if declared_writes is not None:
        writes, evidence = declared_writes, "khai báo trong cấu hình"
    elif measured and measured.get("writes_vietnamese") is not None:
        writes, evidence = bool(measured["writes_vietnamese"]), f"đo ngày {measured.get('measured', '?')}"
    elif profile_writes is not None:
        writes, evidence = profile_writes, "hồ sơ mô hình đóng gói"
    else:
        writes, evidence = True, "mô hình máy chủ, chưa đo"
    caps = Capabilities(writes_vietnamese=writes, evidence=evidence)
    if measured:
        verdict = measured.get("verdict_accuracy")
        caps = replace(caps, verdict_accuracy=verdict, option_accuracy=measured.get("option_accuracy"),
                       judges=verdict is not None and verdict >= JUDGE_THRESHOLD,
                       evidence=f"{caps.evidence}; đo trên {measured.get('dataset', '?')} "
                                f"({measured.get('items', '?')} câu, {measured.get('measured', '?')})")
    return caps


def writes(llm: object) -> bool:
    """True when ``llm`` may write Vietnamese for users."""
    caps = getattr(llm, "capabilities", None)
    return bool(caps is not None and caps.writes_vietnamese)


def judges(llm: object) -> bool:
    """True when ``llm`` was measured able to state verdicts."""
    caps = getattr(llm, "capabilities", None)
    return bool(caps is not None and caps.judges)


def declared_writes_field(empty_means: str) -> Any:
    """The ``writes_vietnamese`` setting every backend has (old key ``capable`` accepted); ``empty_means``
    says what an empty value resolves to for that backend."""
    return Field(None, validation_alias=AliasChoices("writes_vietnamese", "capable"),
                 description="Declare whether the model may write Vietnamese for users; empty = " + empty_means)
