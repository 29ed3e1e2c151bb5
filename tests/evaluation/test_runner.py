"""A whole run with fake models: files written, metadata recorded, index private and reused, runs compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.embeddings.fake import FakeEmbedder
from assistant.errors import ValidationFailed
from assistant.evaluation.report import compare_runs, flatten, render_comparison
from assistant.evaluation.runner import EvalOptions, document_files, redacted, run_evaluation
from assistant.llm.fake import FakeLLM


def _run(world: dict[str, Path], settings: Any, out: Path, **kw: Any) -> Any:
    options = EvalOptions(dataset=world["dataset"], suites=kw.pop("suites", ("retrieval", "answers")),
                          out=out, **kw)
    return run_evaluation(settings, options, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())


def test_run_writes_report_metrics_items_and_chart(world: dict[str, Path], eval_settings: Any) -> None:
    out = world["root"] / "run-a"
    result = _run(world, eval_settings, out)
    assert {p.name for p in out.iterdir()} >= {"report.md", "metrics.json", "items.jsonl", "chart.png"}
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    run = metrics["run"]
    assert run["questions"] == 5 and run["suites"] == ["retrieval", "answers"]
    assert run["git"]["commit"]  # a sha or "unknown"
    assert run["embedder"] == {"backend": "fake", "model": "fake-hash-64"}
    assert run["llm"]["backend"] == "fake" and run["settings"]["retrieval"]["k"] == 5
    retrieval = metrics["suites"]["retrieval"]["metrics"]
    assert retrieval["questions"] == 4  # the unanswerable one has no gold
    assert set(retrieval["systems"]["ours"]) >= {"Acc@1", "Acc@5", "Acc@10", "MRR@10", "nDCG@10", "latency"}
    assert retrieval["gold_in_index"]["share"] == 1.0
    answers = metrics["suites"]["answers"]["metrics"]
    assert answers["verdicts"]["true_false"]["accuracy"] is None  # extractive: not applicable, not 0
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in items] == ["T-1", "T-2", "T-3", "T-4", "T-5"]
    assert "retrieval" not in items[3] and items[0]["retrieval"]["ours"]["rank"] == 1
    assert items[0]["answers"]["mode"] == "extractive"
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| ours |" in report and "not applicable" in report and "Acc@1" in report
    assert result.suites["retrieval"].metrics["systems"]["ours"]["Acc@1"] > 0


def test_index_is_private_and_reused(world: dict[str, Path], eval_settings: Any) -> None:
    first = _run(world, eval_settings, world["root"] / "r1", suites=("retrieval",))
    second = _run(world, eval_settings, world["root"] / "r2", suites=("retrieval",))
    idx1, idx2 = first.run["index"], second.run["index"]
    assert idx1["data_dir"] == idx2["data_dir"] and not idx1["reused"] and idx2["reused"]
    assert idx2["counts"]["unchanged"] == 2
    assert Path(idx1["data_dir"]).is_relative_to(eval_settings.cache_dir)
    assert not eval_settings.index_dir.exists()  # the user's own index is untouched
    (world["docs"] / "02-hd-du-so-ghi-chep.txt").write_text("II- NỘI DUNG\n1. Đổi nội dung.\n", encoding="utf-8")
    third = _run(world, eval_settings, world["root"] / "r3", suites=("retrieval",))
    assert third.run["index"]["data_dir"] != idx1["data_dir"]  # keyed by content


def test_no_cache_builds_inside_the_run(world: dict[str, Path], eval_settings: Any) -> None:
    out = world["root"] / "fresh"
    result = _run(world, eval_settings, out, suites=("retrieval",), cache=False)
    assert Path(result.run["index"]["data_dir"]) == out / "index"


def test_naive_baseline_side_by_side(world: dict[str, Path], eval_settings: Any) -> None:
    out = world["root"] / "naive"
    result = _run(world, eval_settings, out, suites=("retrieval",), baseline="naive")
    systems = result.suites["retrieval"].metrics["systems"]
    assert list(systems) == ["ours", "naive: dense", "naive: bm25"]
    assert systems["naive: bm25"]["info"]["chunks"] >= 2
    assert "| naive: bm25 |" in (out / "report.md").read_text(encoding="utf-8")


def test_limit_and_bad_suite(world: dict[str, Path], eval_settings: Any) -> None:
    result = _run(world, eval_settings, world["root"] / "lim", suites=("retrieval",), limit=2)
    assert result.run["questions"] == 2
    with pytest.raises(ValidationFailed):
        _run(world, eval_settings, world["root"] / "bad", suites=("speed",))


def test_compare_shows_metric_deltas(world: dict[str, Path], eval_settings: Any) -> None:
    a, b = world["root"] / "A", world["root"] / "B"
    _run(world, eval_settings, a, suites=("retrieval",))
    _run(world, eval_settings, b, suites=("retrieval",), baseline="naive")
    metrics = json.loads((b / "metrics.json").read_text(encoding="utf-8"))
    metrics["suites"]["retrieval"]["metrics"]["systems"]["ours"]["Acc@1"] = 0.25
    (b / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    diff = compare_runs(a, b)
    row = next(r for r in diff["rows"] if r["metric"] == "retrieval / systems / ours / Acc@1")
    assert row["delta"] == pytest.approx(0.25 - row["a"])
    text = render_comparison(diff)
    assert "| retrieval / systems / ours / Acc@1 |" in text and "only in B" in text
    assert "Δ" in text


def test_flatten_keeps_not_applicable() -> None:
    flat = flatten({"suites": {"answers": {"available": True, "metrics": {"x": {"acc": None, "n": 3},
                                                                          "info": {"k": 1}}}}})
    assert flat == {"answers / x / acc": None, "answers / x / n": 3}


def test_settings_dump_has_no_secrets() -> None:
    assert redacted({"llm": {"openai": {"api_key": "sk-123", "model": "m"}}}) == {
        "llm": {"openai": {"api_key": "***", "model": "m"}}}


def test_document_files_are_top_level_only(world: dict[str, Path]) -> None:
    (world["docs"] / "src").mkdir()
    (world["docs"] / "src" / "draft.md").write_text("x", encoding="utf-8")
    assert [p.name for p in document_files(world["docs"])] == ["01-qd-du-sinh-hoat.md", "02-hd-du-so-ghi-chep.txt"]
