"""``chibo eval`` through the real entry point, with fake models chosen by settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli.main import main


@pytest.fixture(autouse=True)
def fake_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIBO_EMBEDDING__BACKEND", "fake")


def test_eval_json(world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code = main(["--data-dir", str(tmp_path / "data"), "--llm", "fake", "eval", str(world["dataset"]),
                 "--suite", "retrieval", "--out", str(out), "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["out_dir"] == str(out.resolve())
    assert payload["suites"]["retrieval"]["metrics"]["questions"] == 4
    assert (out / "report.md").is_file() and (out / "items.jsonl").is_file()


def test_eval_text_then_compare(world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["--data-dir", data, "eval", str(world["dataset"]), "--suite", "answers", "--llm", "fake",
                 "--docs", str(world["docs"]), "--out", str(a)]) == 0
    text = capsys.readouterr().out
    assert "Báo cáo:" in text and "Trả lời:" in text
    assert main(["--data-dir", data, "eval", str(world["dataset"]), "--suite", "answers", "--llm", "fake",
                 "--limit", "3", "--out", str(b)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "eval", "compare", str(a), str(b)]) == 0
    table = capsys.readouterr().out
    assert "| metric | A | B | Δ (B − A) |" in table and "answers / n | 5 | 3 | -2.0000 |" in table
    assert main(["--data-dir", data, "--json", "eval", "compare", str(a), str(b)]) == 0
    assert json.loads(capsys.readouterr().out)["rows"]


def test_default_output_goes_under_the_data_dir(world: dict[str, Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "data"), "eval", str(world["dataset"]), "--suite", "retrieval",
                 "--limit", "1"]) == 0
    runs = list((tmp_path / "data" / "outputs" / "eval").iterdir())
    assert len(runs) == 1 and (runs[0] / "metrics.json").is_file()


@pytest.mark.parametrize("argv", [
    ["eval", "missing.jsonl"],
    ["eval", "compare", "only-one"],
])
def test_expected_failures_are_one_line(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(tmp_path), *argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and err[0].startswith("Lỗi:")


def test_bad_dataset_lists_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1"}\nnot json\n', encoding="utf-8")
    assert main(["--data-dir", str(tmp_path), "eval", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "bad.jsonl:1: thiếu 'question'" in err and "bad.jsonl:2: JSON" in err


def test_eval_help_has_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    out = capsys.readouterr().out
    assert "chibo eval compare RUN_A RUN_B" in out and "--baseline" in out and "--judge-llm" in out
