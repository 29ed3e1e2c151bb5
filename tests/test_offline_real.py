"""The whole study path with the real packaged models, under a network guard.

Ingest + search + ask through the CLI with the real MiniLM, the real Chroma
store and the real embedded GGUF must make no connection beyond loopback.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli.main import main

from .conftest import CORPUS

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_ingest_search_ask_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str], no_network) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("339-qd-tw-so-tay-dang-vien.pdf", "366-qd-tw-danh-gia-xep-loai.docx",
                 "124-qd-tw-kiem-diem-cu.pdf", "338-qd-tw-thu-tuc-truc-tuyen.md"):
        shutil.copy(CORPUS / name, docs / name)
    data = str(tmp_path / "data")

    assert main(["--data-dir", data, "--json", "ingest", str(docs)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["ingested"] == 4 and report["counts"]["failed"] == 0

    assert main(["--data-dir", data, "--json", "search", "Điều 5 Quy định 339-QĐ/TW", "-k", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits[0]["article"] == "5" and hits[0]["number"] == "339-QĐ/TW"

    assert main(["--data-dir", data, "--json", "search", "quy dinh 124 danh gia xep loai dang vien"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits[0]["superseded_note"] == "124-QĐ/TW đã được thay thế bởi 366-QĐ/TW"

    assert main(["--data-dir", data, "--llm", "embedded", "--json", "ask",
                 "Đảng viên phải cài đặt ứng dụng trong thời hạn bao nhiêu ngày?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["mode"] == "extractive"  # the demo model is not capable: quotes, never gibberish
    assert answer["sources"][0]["citation"].endswith("Quy định 339-QĐ/TW")
    assert "30 ngày" in answer["answer"]


def test_doctor_reports_embedded_default_green(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(tmp_path), "--json", "doctor"])
    report = json.loads(capsys.readouterr().out)
    failing = [c for c in report["checks"] if not c["ok"] and c["required"]]
    assert code == 0 and not failing, failing
    names = " ".join(c["name"] for c in report["checks"])
    for part in ("embedded", "embedding", "Chroma", "espeak", "OCR", "đĩa"):
        assert part in names
