"""The command line keeps library details (English, server paths) in the log file, not on the console."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import pytest

cli_main = importlib.import_module("assistant.cli.main")


@pytest.fixture(autouse=True)
def _fresh_root_logger():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_warnings_go_to_the_log_file_not_the_console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli_main.setup_logging(tmp_path / "logs", debug=False)
    logging.getLogger("assistant.ingest.pipeline").warning("could not read %s: %s", "/srv/secret/x.pdf", "EOF marker")
    captured = capsys.readouterr()
    assert "EOF marker" not in captured.err and "/srv/secret" not in captured.err
    assert "could not read /srv/secret/x.pdf: EOF marker" in (tmp_path / "logs" / "chibo.log").read_text(encoding="utf-8")


def test_debug_also_shows_the_log_on_the_console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli_main.setup_logging(tmp_path / "logs", debug=True)
    logging.getLogger("assistant.x").warning("chi tiết kỹ thuật")
    assert "chi tiết kỹ thuật" in capsys.readouterr().err


def test_set_up_again_replaces_the_handlers(tmp_path: Path) -> None:
    cli_main.setup_logging(tmp_path / "a", debug=False)
    cli_main.setup_logging(tmp_path / "b", debug=False)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_chibo", False)]
    assert len(ours) == 1
    logging.getLogger("assistant.x").warning("lần hai")
    assert "lần hai" in (tmp_path / "b" / "chibo.log").read_text(encoding="utf-8")
    assert not (tmp_path / "a").exists()  # created at the first record only (restore needs an empty data dir)


def test_ingest_of_a_corrupt_file_prints_only_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "docs" / "hong.pdf"
    broken.parent.mkdir()
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ngarbage")
    data = tmp_path / "data"
    code = cli_main.main(["--data-dir", str(data), "--llm", "fake", "ingest", str(broken.parent)])
    captured = capsys.readouterr()
    assert code != 0 or "hong.pdf" in captured.out
    assert str(tmp_path) not in captured.err
    assert "Traceback" not in captured.err and "EOF" not in captured.err
    assert (data / "logs" / "chibo.log").is_file()
