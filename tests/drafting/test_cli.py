"""The drafting verbs through ``assistant.cli.main.main``, all state under tmp_path."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, SAMPLES
from .docx_facts import all_text, open_docx

cli_main = importlib.import_module("assistant.cli.main")  # the package re-exports main() under the same name

DRAFTING_VERBS = ["summarize", "minutes", "report", "bulletin", "records"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CHIBO_CONFIG", "CHIBO_DATA_DIR", "CHIBO_LLM__BACKEND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHIBO_CELL__NAME", "CHI BỘ ẤP 3")
    monkeypatch.setenv("CHIBO_CELL__PARENT", "ĐẢNG BỘ XÃ GÒ QUAO")
    monkeypatch.setenv("CHIBO_CELL__PLACE", "Gò Quao")
    # Verb modules still being written elsewhere must not break these tests.
    available = tuple(m for m in cli_main.VERB_MODULES if importlib.util.find_spec(m) is not None)
    monkeypatch.setattr(cli_main, "VERB_MODULES", available)


def run(tmp_path: Path, *args: str) -> int:
    # --llm fake with no queued answers would be "capable" but empty: use the deterministic path explicitly.
    return cli_main.main(["--data-dir", str(tmp_path / "data"), *args])


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("verb", DRAFTING_VERBS)
def test_help(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main.main([verb, "--help"])
    assert exit_.value.code == 0
    assert "Ví dụ" in capsys.readouterr().out


def test_summarize_json_and_saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = SAMPLES[0]
    assert run(tmp_path, "--json", "summarize", str(notes), "--no-llm", "-o", str(tmp_path / "r.yaml")) == 0
    data = _json(capsys)
    record = data["record"]
    assert data["id"] == "2026-03-05-03"
    assert record["attendance"]["present"] == 17 and record["votes"][0]["for"] == 17
    assert [(t["owner"], t["deadline"], t["line"]) for t in record["tasks"]] == [
        ("Nguyễn Văn Minh", "2026-03-20", 18), ("Huỳnh Văn Sơn", "2026-03-31", 19)]
    assert (tmp_path / "r.yaml").is_file()
    assert run(tmp_path, "--json", "records", "list") == 0
    assert [r["id"] for r in _json(capsys)] == ["2026-03-05-03"]


def test_summarize_human_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "summarize", str(next(p for p in SAMPLES if "07" in p.stem)), "--no-save", "--no-llm") == 0
    out = capsys.readouterr()
    assert "Chủ trì: Tô Văn Sang, Bí thư" in out.out
    assert "70 phút, dưới 90 phút" in out.out
    assert run(tmp_path, "--json", "records", "list") == 0
    assert _json(capsys) == []


def test_minutes_from_notes_and_from_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bb.docx"
    assert run(tmp_path, "--json", "minutes", str(SAMPLES[1]), "-o", str(out), "--md", "--no-llm") == 0
    data = _json(capsys)
    assert data["path"] == str(out) and out.is_file() and out.with_suffix(".md").is_file()
    assert "Thiếu: số biên bản" in data["warnings"]
    body = all_text(open_docx(out))
    assert "CHỦ TRÌ" in body and "Gò Quao, ngày 07 tháng 04 năm 2026" in body
    # Edit the record as YAML, then draft again from it.
    record_yaml = tmp_path / "r.yaml"
    assert run(tmp_path, "records", "show", "2026-04-07", "--yaml") == 0
    record_yaml.write_text(capsys.readouterr().out.replace("kind: regular", "kind: regular\nnumber: '08'"),
                           encoding="utf-8")
    assert run(tmp_path, "--json", "minutes", str(record_yaml), "-o", str(tmp_path / "bb2.docx")) == 0
    assert "Thiếu: số biên bản" not in _json(capsys)["warnings"]
    assert "Số 08-BB/CB" in all_text(open_docx(tmp_path / "bb2.docx"))
    # A stored id works too, and Markdown alone.
    assert run(tmp_path, "minutes", "2026-04-07", "-o", str(tmp_path / "bb.md")) == 0
    assert (tmp_path / "bb.md").read_text(encoding="utf-8").startswith("| ĐẢNG BỘ XÃ GÒ QUAO |")


def test_minutes_list_and_records_management(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for notes in SAMPLES[:2]:
        assert run(tmp_path, "summarize", str(notes), "--no-llm") == 0
    capsys.readouterr()
    assert run(tmp_path, "minutes", "--list") == 0
    listing = capsys.readouterr().out
    assert "2026-03-05-03" in listing and "2026-04-07" in listing
    assert run(tmp_path, "--json", "records", "tasks", "--month", "2026-03") == 0
    tasks = _json(capsys)
    assert len(tasks) == 2
    assert run(tmp_path, "records", "done", str(tasks[0]["id"])) == 0
    assert "Nhiệm vụ #" in capsys.readouterr().out
    assert run(tmp_path, "--json", "records", "tasks", "--status", "done") == 0
    assert [t["id"] for t in _json(capsys)] == [tasks[0]["id"]]
    assert run(tmp_path, "records", "delete", "2026-03-05-03") == 0
    capsys.readouterr()
    assert run(tmp_path, "records", "show", "2026-03-05-03") == 4
    assert "Không có biên bản '2026-03-05-03'" in capsys.readouterr().err


def test_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "summarize", str(SAMPLES[0]), "--no-llm") == 0
    capsys.readouterr()
    out = tmp_path / "bc.docx"
    assert run(tmp_path, "--json", "report", "--month", "2026-03", "-o", str(out), "--date", "31/03/2026") == 0
    data = _json(capsys)
    assert data["path"] == str(out)
    body = all_text(open_docx(out))
    assert "T/M CHI BỘ" in body and "Nơi nhận:" in body and "Gò Quao, ngày 31 tháng 03 năm 2026" in body


def test_bulletin_script_only_from_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_doc: Path) -> None:
    assert run(tmp_path, "bulletin", "--from-files", str(sample_doc), "--script-only", "--minutes", "1",
               "--no-llm") == 0
    out = capsys.readouterr()
    assert out.out.startswith("Kính thưa các đồng chí đảng viên ấp ba!")
    assert "Quy định số ba trăm ba mươi chín" in out.out  # the number read as words; the issuer is named once
    assert "khoảng" in out.err


def test_bulletin_without_index_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(tmp_path, "bulletin", "--docs", "339-qd-tw", "--script-only", "--no-llm")
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("Lỗi: ") and len(err.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_bulletin_audio(tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_doc: Path) -> None:
    wav = tmp_path / "bantin.wav"
    assert run(tmp_path, "--json", "bulletin", "--from-files", str(sample_doc), "-o", str(wav), "--no-llm") == 0
    data = _json(capsys)
    assert wav.is_file() and data["seconds"] > 10
    assert str(wav) in data["audio"]


def test_verbs_use_the_services_drafting(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Scaffolding: the drafting CLI built its own DraftingService instead of the one ``Services`` gives."""
    from assistant.drafting.service import DraftingService
    from assistant.services import Services

    built: list[DraftingService] = []
    original = Services.drafting.func  # type: ignore[attr-defined]

    def drafting(self: Services) -> DraftingService:
        built.append(original(self))
        return built[-1]

    monkeypatch.setattr(Services, "drafting", property(drafting))
    assert run(tmp_path, "--json", "summarize", str(SAMPLES[0]), "--no-llm", "--no-save") == 0
    assert run(tmp_path, "--json", "records", "list") == 0
    assert len(built) == 2 and all(isinstance(s, DraftingService) for s in built)
    assert built[0].document_provider is not None  # the index, wired by Services
    assert "drafting_service" not in vars(importlib.import_module("assistant.cli.drafting"))


def test_expected_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "summarize", str(tmp_path / "none.txt")) == 4
    assert run(tmp_path, "report", "--month", "2026-13") == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("attendance:\n  present: nhiều\n", encoding="utf-8")
    assert run(tmp_path, "minutes", str(bad), "-o", str(tmp_path / "x.docx")) == 1
    err = capsys.readouterr().err
    assert "attendance.present: phải là số nguyên" in err
    inconsistent = tmp_path / "inc.yaml"
    inconsistent.write_text("date: 2026-03-05\nattendance: {total: 10, present: 9}\nvotes: [{for: 10}]\n",
                            encoding="utf-8")
    assert run(tmp_path, "minutes", str(inconsistent), "--strict", "-o", str(tmp_path / "y.docx")) == 1
    assert "vượt số có mặt" in capsys.readouterr().err


def test_sample_notes_shipped() -> None:
    assert (REPO / "evals" / "drafting" / "README.md").is_file()
