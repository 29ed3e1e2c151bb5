"""The retrieval suite with the real packaged MiniLM over corpus/ and our own study questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.runner import EvalOptions, run_evaluation

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.integration
def test_retrieval_suite_on_the_corpus(tmp_path: Path, no_network: Any) -> None:
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(tmp_path / "data")}, environ={})
    options = EvalOptions(dataset=REPO / "evals" / "study_questions.jsonl", suites=("retrieval",),
                          docs=REPO / "corpus", out=tmp_path / "run", limit=10)
    result = run_evaluation(settings, options)
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["run"]["embedder"]["backend"] == "sentence-transformers"
    assert metrics["run"]["index"]["documents"] == 16
    ours = result.suites["retrieval"].metrics["systems"]["ours"]
    assert ours["n"] == 10
    # the first ten questions are about Quy định 339 (two typed without diacritics)
    assert ours["Acc@10"] >= 0.8 and ours["Acc@1"] >= 0.5
    assert result.suites["retrieval"].metrics["gold_in_index"]["share"] == 1.0
    assert (tmp_path / "run" / "chart.png").is_file()
