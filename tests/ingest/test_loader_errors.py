"""Why a file was refused, as ``chibo ingest`` prints it: Vietnamese, specific, without server paths.

The loaders used to put the library's English message in parentheses ("Tệp PDF bị hỏng (Stream has ended
unexpectedly)"); that detail now goes to the log. Each failure keeps a reason of its own: empty, damaged,
password protected, unsupported format, too large, wrong encoding.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.ocr import OCROptions, ocr_unavailable
from tests.ingest.conftest import zip_with

# Words of a library's or the system's English message (pypdf, zipfile, Pillow, pdfium, tesseract, OSError…).
ENGLISH = re.compile(r"(?i)\b(?:errno|stream|unexpected|denied|invalid|error|file|directory|traceback|archive|"
                     r"item|named|failed|cannot|unknown|missing|found|password|format|data|truncated|load)\b")
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def assert_plain(message: str, where: Path | None = None) -> None:
    """Vietnamese, no English library text, no path."""
    assert VIETNAMESE.search(message), message
    assert not ENGLISH.search(message), message
    assert "/tmp" not in message and "/srv" not in message and "/usr" not in message, message
    if where is not None:
        assert str(where) not in message, message


def _locked_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("mat-khau-rieng")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bad_files(folder: Path) -> dict[str, str]:
    """Files that cannot be ingested, each with the words its reason must have."""
    folder.mkdir()
    files: dict[str, tuple[bytes, str]] = {
        "hong.pdf": (b"%PDF-1.4 garbage", "Tệp PDF bị hỏng"),
        "cat-doi.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "Tệp PDF bị hỏng"),
        "rong.pdf": (b"", "rỗng"),
        "mat-khau.pdf": (_locked_pdf(), "mã hóa/có mật khẩu"),
        "hong.docx": (b"PK\x03\x04junk", "DOCX bị hỏng"),
        "thieu.docx": (zip_with({"ghi-chu.txt": "không phải Word"}), "DOCX bị hỏng: thiếu thành phần"),
        "khoa.docx": (OLE + bytes(600), "mã hóa/có mật khẩu"),
        "rong.docx": (b"", "rỗng"),
        "nhi-phan.txt": (bytes(range(256)) * 12, "nhị phân"),
        "bang-ma.txt": (b"\xff\xfe\x00\xd8", "bảng mã"),
        "rong.md": (b"", "rỗng"),
        "cu.doc": (OLE + b" old Word", "Không hỗ trợ định dạng .doc"),
        "lon.txt": ("Chi bộ họp định kỳ.\n".encode() * 200_000, "quá lớn"),
        "hong.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "ảnh bị hỏng"),
    }
    if ocr_unavailable(OCROptions()) is not None:  # no tesseract here: an image is refused before it is read
        files["hong.png"] = (files["hong.png"][0], "cần nhận dạng chữ")
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: expected for name, (_, expected) in files.items()}


def test_chibo_ingest_prints_a_vietnamese_reason_for_every_refused_file(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    from assistant.cli.main import main
    from assistant.ingest.loaders import plaintext

    monkeypatch.setenv("CHIBO_EMBEDDING__BACKEND", "fake")
    monkeypatch.setenv("CHIBO_LLM__BACKEND", "fake")
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    monkeypatch.setattr(plaintext, "MAX_TEXT_BYTES", 2 * 1024 * 1024)
    folder = tmp_path / "tai-lieu"
    expected = _bad_files(folder)
    with caplog.at_level(logging.INFO, logger="assistant.ingest"):
        main(["--data-dir", str(tmp_path / "data"), "ingest", str(folder)])
    out, err = capsys.readouterr()
    reasons = {}
    for line in out.splitlines():  # "  lỗi          hong.pdf — <reason>"
        if " — " in line and line.startswith("  "):
            head, reason = line.split(" — ", 1)
            reasons[head.split()[-1]] = reason
    assert set(reasons) == set(expected), out
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])
        assert_plain(reasons[name], tmp_path)
    assert not ENGLISH.search(err) and str(tmp_path) not in err, err
    # The English detail is not lost: it is in the log.
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "unreadable PDF" in logged and "DOCX" in logged


def test_chibo_ingest_run_as_a_command_prints_no_library_warnings(tmp_path: Path) -> None:
    """Without a logging set-up, Python prints a library's warnings on stderr ("EOF marker not found")."""
    folder = tmp_path / "tai-lieu"
    folder.mkdir()
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "cat-doi.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    environ = {**os.environ, "CHIBO_EMBEDDING__BACKEND": "fake", "CHIBO_LLM__BACKEND": "fake"}
    environ.pop("CHIBO_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", "import sys; from assistant.cli.main import main; "
                           "sys.exit(main(sys.argv[1:]))", "--data-dir", str(tmp_path / "data"), "ingest",
                           str(folder)], capture_output=True, text=True, env=environ, timeout=120, check=False)
    assert done.stdout.count("Tệp PDF bị hỏng") == 2, done.stdout
    assert_plain(done.stdout, tmp_path)
    assert not ENGLISH.search(done.stderr) and "marker" not in done.stderr, done.stderr


def test_a_file_the_system_cannot_read_is_explained_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    from assistant.ingest.loaders.files import os_error

    with caplog.at_level(logging.WARNING, logger="assistant.ingest"):
        error = os_error(OSError(5, "Input/output error", "/srv/chibo/data/uploads/a.pdf"))
    assert "lỗi hệ thống khi đọc" in error.message
    assert_plain(str(error))
    assert "Input/output error" in caplog.text


def test_a_damaged_page_of_a_pdf_is_a_plain_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pypdf import PageObject, PdfWriter

    from assistant.ingest.loaders import load_document

    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "hai-trang.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    calls = iter([KeyError("/Contents"), "Điều 1. Chi bộ sinh hoạt mỗi tháng một lần."])

    def extract_text(self: PageObject, *args: object, **kwargs: object) -> str:
        result = next(calls)
        if isinstance(result, Exception):
            raise result
        return result

    monkeypatch.setattr(PageObject, "extract_text", extract_text)
    loaded = load_document(path)
    warning = next(w for w in loaded.warnings if w.startswith("Không trích được chữ ở trang 1"))
    assert "bị hỏng" in warning
    assert_plain(warning)


def test_pdftotext_failures_are_described_in_vietnamese() -> None:
    from assistant.ingest.loaders.poppler import find_pdftotext, pdftotext_pages

    executable = find_pdftotext()
    if executable is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    result = pdftotext_pages(executable, b"%PDF-1.4 garbage")
    assert result.pages is None and not result.password
    assert_plain(result.error)
    missing = pdftotext_pages("/nonexistent/pdftotext", b"%PDF-1.4")
    assert missing.error == "không chạy được pdftotext"


def test_ocr_failures_of_a_page_are_described_in_vietnamese(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                            ) -> None:
    from assistant.ingest.ocr import _result, _Tesseract

    failing = tmp_path / "tesseract"
    failing.write_text("#!/bin/sh\necho 'Error in pixReadMem: Unknown format: no pix returned' >&2\nexit 1\n",
                       encoding="utf-8")
    failing.chmod(failing.stat().st_mode | stat.S_IEXEC)
    engine = _Tesseract(str(failing), "vie")
    with caplog.at_level(logging.WARNING, logger="assistant.ingest"):
        future: Future[object] = Future()
        try:
            engine._call(["tsv"], b"")
        except Exception as exc:  # noqa: BLE001 - the engine's own failure, turned into a page error below
            future.set_exception(exc)
        page = _result(future)  # type: ignore[arg-type]
    assert page.error == "tesseract báo lỗi 1 khi đọc trang" and "Unknown format" in caplog.text
    vanished: Future[object] = Future()
    vanished.set_exception(FileNotFoundError(2, "No such file or directory", "/usr/bin/tesseract"))
    assert_plain(_result(vanished).error)  # type: ignore[arg-type]


def test_images_and_pdf_pages_that_cannot_be_drawn_are_explained_plainly() -> None:
    from assistant.ingest.ocr_preprocess import PdfPages, open_image

    for data, words in ((b"\x89PNG\r\n\x1a\n" + bytes(64), "bị hỏng"), (b"", "rỗng")):
        with pytest.raises(IngestError) as caught:
            open_image(data)
        assert words in str(caught.value)
        assert_plain(str(caught.value))
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        pytest.skip("pypdfium2 is not installed")
    with pytest.raises(IngestError) as caught:
        PdfPages(b"%PDF-1.4 garbage")
    assert_plain(str(caught.value))
