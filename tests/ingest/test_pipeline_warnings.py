"""Ingest warnings: a document with text addressed to an AI assistant; unreadable files explained without paths."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.ingest.pipeline import INSTRUCTIONS_WARNING, _unreadable

REPO = Path(__file__).resolve().parents[2]
INJECTION = REPO / "evals" / "injection"
CLEAN = """ĐẢNG BỘ XÃ TÂN AN
CHI BỘ ẤP 3

THÔNG BÁO
về lịch sinh hoạt chi bộ tháng 4 năm 2026

Chi bộ sinh hoạt định kỳ vào 19 giờ 30 ngày 05/4/2026 tại nhà văn hóa ấp 3.
Đề nghị đảng viên dự đầy đủ, đóng đảng phí quý II theo quy định.
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(INJECTION / "01-lich-thu-dang-phi-quy-1.txt", folder / "lich-thu-dang-phi.txt")
    shutil.copy(INJECTION / "05-quan-tri-vien-so-tay-dang-vien.txt", folder / "quan-tri-vien.txt")
    (folder / "thong-bao.txt").write_text(CLEAN, encoding="utf-8")
    return folder


def test_a_document_with_instructions_is_ingested_with_a_warning(services, docs: Path) -> None:
    report = services.ingest([docs])
    by_name = {Path(r.path).name: r for r in report.results}
    for name in ("lich-thu-dang-phi.txt", "quan-tri-vien.txt"):
        assert by_name[name].status == "ingested" and by_name[name].chunks > 0, name
        assert INSTRUCTIONS_WARNING in by_name[name].warnings, name
    assert by_name["thong-bao.txt"].status == "ingested"
    assert INSTRUCTIONS_WARNING not in by_name["thong-bao.txt"].warnings
    # Kept with the document: the documents table and its detail show it too.
    assert INSTRUCTIONS_WARNING in services.index.catalog.document("lich-thu-dang-phi").warnings
    assert INSTRUCTIONS_WARNING not in services.index.catalog.document("thong-bao").warnings
    # Still document text: searchable and quotable like any other.
    assert any(h.doc_id == "lich-thu-dang-phi" for h in services.search("đảng phí quý 1", k=5))
    assert "AI" in INSTRUCTIONS_WARNING and "không làm theo" in INSTRUCTIONS_WARNING


def test_chibo_ingest_prints_the_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli.main import main

    monkeypatch.setenv("CHIBO_EMBEDDING__BACKEND", "fake")
    monkeypatch.setenv("CHIBO_LLM__BACKEND", "fake")
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "ingest", str(docs)]) == 0
    out = capsys.readouterr().out
    warned, current = set(), ""
    for line in out.splitlines():  # "  đã nạp      <file> (n đoạn)", then "      ! <warning>" lines under it
        if line.startswith("      ! "):
            if line == f"      ! {INSTRUCTIONS_WARNING}":
                warned.add(current)
        elif line.startswith("  "):
            current = line.split()[-3] if line.endswith("đoạn)") else line
    assert warned == {"lich-thu-dang-phi.txt", "quan-tri-vien.txt"}, out
    (docs / "moi.txt").write_text(CLEAN.replace("tháng 4", "tháng 5"), encoding="utf-8")
    assert main(["--json", "--data-dir", data, "ingest", str(docs / "moi.txt")]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["files"][0]["warnings"] == []


@pytest.mark.parametrize(("error", "expected"), [
    (FileNotFoundError(2, "No such file or directory", "/srv/chibo/data/uploads/a.pdf"), "Không tìm thấy tệp"),
    (PermissionError(13, "Permission denied", "/srv/chibo/data/uploads/a.pdf"), "Không có quyền đọc tệp"),
    (OSError(5, "Input/output error", "/srv/chibo/data/uploads/a.pdf"), "lỗi hệ thống khi đọc"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "bảng mã ký tự"),
    (ValueError("bad xref table in /srv/chibo/data/uploads/a.pdf"), "nội dung bị hỏng"),
])
def test_an_unreadable_file_is_explained_in_vietnamese_without_paths(error: Exception, expected: str) -> None:
    reason = _unreadable(error)
    assert expected in reason and "/srv" not in reason and "Errno" not in reason
