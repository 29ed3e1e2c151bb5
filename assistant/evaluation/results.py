"""Typed results of an evaluation run: one record per suite, one per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SuiteResult:
    """Metrics of one suite (per system where several are compared) and what each item got."""

    name: str  # retrieval | answers | drafting
    metrics: dict[str, Any] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # item id -> this suite's result
    notes: list[str] = field(default_factory=list)
    available: bool = True  # False: the suite could not run here (reason in notes)

    def to_dict(self) -> dict[str, Any]:
        """The suite as metrics.json stores it; per-item results go to items.jsonl instead."""
        return {"available": self.available, "metrics": self.metrics, "notes": self.notes}


@dataclass
class RunResult:
    """A whole run: where it is written, how it was run, each suite's result and the dataset items."""

    out_dir: Path
    run: dict[str, Any]  # dataset, docs, backend, models, settings, commit, timings
    suites: dict[str, SuiteResult] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)  # the dataset records, in order

    def metrics(self) -> dict[str, Any]:
        """The content of metrics.json: the run description and every suite."""
        return {"run": self.run, "suites": {name: s.to_dict() for name, s in self.suites.items()}}
