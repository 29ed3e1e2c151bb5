"""Issue 16, loose ends: what the documents tab (and the page image) tells users is Vietnamese and names no path.

Also the documents tab's search-readiness line (issue 15) in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.errors import AssistantError, IngestError, NotFound
from assistant.ui import render
from assistant.ui.handlers import user_message
from assistant.ui.i18n import Texts

# Words of a library's English message (pypdf, zipfile, OSError…).
ENGLISH = re.compile(r"(?i)\b(?:errno|stream|unexpected|denied|invalid|error|file|directory|traceback)\b")
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I)


def _bad_files(folder: Path) -> list[Path]:
    folder.mkdir()
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "rac.pdf").write_bytes(bytes(range(256)) * 8)
    (folder / "hong.docx").write_bytes(b"PK\x03\x04junk")
    (folder / "nhi-phan.txt").write_bytes(bytes(range(256)) * 12)
    (folder / "rong.md").write_text("", encoding="utf-8")
    (folder / "rong.html").write_text("<html><body></body></html>", encoding="utf-8")
    (folder / "bang-ma.txt").write_bytes(b"\xff\xfe\x00\xd8")
    return [*sorted(folder.iterdir()), folder / "da-xoa.pdf"]


def test_every_ingest_failure_shown_in_the_documents_tab_is_vietnamese_and_path_free(services, tmp_path: Path) -> None:
    report = services.ingest(_bad_files(tmp_path / "uploads"))
    rows = render.ingest_rows(report, Texts("vi"))
    assert len(rows) == 8 and all(row[1] == "lỗi" for row in rows), rows
    for name, _, _, note in rows:
        assert note and VIETNAMESE.search(note), (name, note)
        assert str(tmp_path) not in note and "/" + "tmp" not in note, (name, note)
        assert not ENGLISH.search(note), (name, note)


def test_plain_text_drops_folders_and_english_detail_but_keeps_vietnamese() -> None:
    assert render.plain_text("Tệp PDF bị hỏng (Stream has ended unexpectedly)") == "Tệp PDF bị hỏng"
    assert render.plain_text("Không mở được kho 'x': [Errno 13] Permission denied: '/srv/d/chroma'") == \
        "Không mở được kho 'x'"
    assert render.plain_text("Không còn tệp (/srv/chibo/data/uploads/nghị quyết.pdf)") == \
        "Không còn tệp (nghị quyết.pdf)"
    for kept in ("Tệp quá lớn (> 200 MB)", "Số 15-NQ/ĐU ngày 05/3/2026", "Tệp rỗng (kiểm tra lại đuôi tệp)",
                 "Trùng nội dung với 'so-tay-dang-vien' (so-tay-dang-vien.md)", "UTF-8 (ví dụ TCVN3/VNI)"):
        assert render.plain_text(kept) == kept


def test_error_pop_ups_name_no_server_path() -> None:
    shown = user_message(AssistantError("Không đọc được '/srv/chibo/data/index/catalog.sqlite3': [Errno 5] I/O"))
    assert "/srv" not in shown and "Errno" not in shown and shown.startswith("Không đọc được")
    meta = SimpleNamespace(doc_id="a", number="", title="A", doc_type="", source_name="a.pdf", date="", pages=1,
                           articles=0, chunks=1, superseded_by="", issuer="",
                           warnings=["OCR lỗi ở /srv/chibo/data/uploads/a.pdf (Image file is truncated here)"])
    assert render.document_rows([meta])[0][-1] == "OCR lỗi ở a.pdf"
    assert "/srv" not in render.document_detail_html(meta, Texts("vi"))


def test_page_image_of_a_vanished_file_names_no_path(services, tmp_path: Path) -> None:
    source = tmp_path / "quy-dinh.txt"
    source.write_text("QUY ĐỊNH\nĐiều 1. Chi bộ sinh hoạt mỗi tháng một lần.\n", encoding="utf-8")
    services.ingest([source])
    source.unlink()
    with pytest.raises(NotFound) as caught:
        services.page_image("quy-dinh", 1)
    shown = user_message(caught.value)
    assert "quy-dinh" in shown and str(tmp_path) not in shown and "/" not in shown.replace("'", "")
    with pytest.raises(NotFound) as unknown:
        services.page_image("khong-co", 1)
    assert "/" not in user_message(unknown.value)


def test_page_image_errors_from_the_renderer_are_vietnamese(services, tmp_path: Path) -> None:
    source = tmp_path / "ke-hoach.txt"
    source.write_text("KẾ HOẠCH\nĐiều 1. Học nghị quyết trong quý 2.\n", encoding="utf-8")
    services.ingest([source])
    with pytest.raises(IngestError) as caught:  # a text file has no page image
        services.page_image("ke-hoach", 1)
    shown = user_message(caught.value)
    assert VIETNAMESE.search(shown) and str(tmp_path) not in shown


@pytest.mark.parametrize(("language", "expected"), [
    ("vi", "Tìm theo từ khóa: sẵn sàng. Tìm theo nghĩa: 1.234/3.215 đoạn (đang xử lý)"),
    ("en", "Keyword search: ready. Meaning search: 1,234/3,215 passages (in progress)"),
])
def test_the_vector_line_in_both_languages(language: str, expected: str) -> None:
    working = {"passages": 3215, "embedded": 1234, "pending": 1981, "working": True}
    assert render.vector_status_line(working, Texts(language)) == expected


def test_the_vector_line_states() -> None:
    t = Texts("vi")
    assert render.vector_status_line({"passages": 0, "embedded": 0, "pending": 0, "working": False}, t) == ""
    assert render.vector_status_line(None, t) == ""
    done = render.vector_status_line({"passages": 12, "embedded": 12, "pending": 0, "working": False}, t)
    assert done == "Tìm theo từ khóa: sẵn sàng. Tìm theo nghĩa: 12/12 đoạn (hoàn tất)"
    waiting = render.vector_status_line({"passages": 12, "embedded": 3, "pending": 9, "working": False}, t)
    assert waiting.endswith("(chờ xử lý)")
    failed = render.vector_status_line({"passages": 12, "embedded": 3, "pending": 9, "working": False,
                                        "error": "RuntimeError"}, t)
    assert "tạm dừng vì gặp lỗi" in failed and "RuntimeError" not in failed
    retrying = render.vector_status_line({"passages": 12, "embedded": 3, "pending": 9, "working": True,
                                          "error": "RuntimeError"}, t)
    assert retrying.endswith("(đang xử lý)")


def test_the_upload_box_leaves_refusing_a_format_to_the_server(services, tmp_path: Path) -> None:
    """Gradio refuses a file outside ``file_types`` in the browser with a fixed English sentence; we refuse it."""
    import gradio as gr

    from assistant.ui.app import build_app
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore

    app = build_app(services, UserStore(tmp_path / "users", rounds=4), AuditLog(tmp_path / "logs"))
    upload = next(b for b in app.blocks.blocks.values() if isinstance(b, gr.File) and b.elem_id == "docs-upload")
    assert not upload.file_types
    old_word = tmp_path / "bien-ban.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0 old Word")
    row = render.ingest_rows(services.ingest([old_word]), Texts("vi"))[0]
    assert row[1] == "lỗi" and "Không hỗ trợ định dạng .doc" in row[3] and ".docx" in row[3]
