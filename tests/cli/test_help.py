"""Every verb has help and an example (like sqlite-utils' test_docs)."""

import pytest

from assistant.cli.main import build_parser, main

VERBS = ["ingest", "docs", "search", "ask", "summarize", "minutes", "report", "bulletin", "eval", "ui", "config",
         "doctor"]


def _verbs() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "verb")
    return action.choices


def test_all_required_verbs_exist() -> None:
    assert set(VERBS) <= set(_verbs())


@pytest.mark.parametrize("verb", sorted(_verbs()))
def test_every_verb_has_help_and_example(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([verb, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "Ví dụ" in out and "chibo " in out


def test_global_options_before_verb(tmp_path, capsys) -> None:
    code = main(["--data-dir", str(tmp_path), "--json", "config"])
    assert code == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["data_dir"] == str(tmp_path.resolve())


def test_expected_failure_is_one_line(tmp_path, capsys) -> None:
    code = main(["--config", str(tmp_path / "missing.yaml"), "config"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("Lỗi:")


def test_unknown_llm_backend_lists_choices(tmp_path, capsys) -> None:
    code = main(["--data-dir", str(tmp_path), "--llm", "cloud", "ask", "xin chào"])
    assert code != 0
    assert "embedded" in capsys.readouterr().err
