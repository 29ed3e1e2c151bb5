"""Document loaders: every fixture is built in tmp_path, good files and bad."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import textwrap
import unicodedata
import zipfile
from pathlib import Path

import pytest

from assistant.errors import IngestError, NeedsOCR, UnsupportedFormat
from assistant.ingest.loaders import (
    SUPPORTED_EXTENSIONS,
    empty_pages,
    load_document,
    looks_broken,
    split_score,
)
from assistant.ingest.loaders import files as loader_files
from assistant.ingest.loaders import pdf as pdf_loader
from assistant.ingest.loaders.numbering import format_number, letters
from assistant.records import LoadedText
from tests.ingest.conftest import add_numbering, cp1258_bytes, encrypt_pdf, numbered, zip_with


def needs_pdftotext(test):
    """Runs the real poppler pdftotext: an integration test, skipped without it."""
    missing = shutil.which("pdftotext") is None
    return pytest.mark.integration(pytest.mark.skipif(missing, reason="poppler-utils (pdftotext) is not installed")(test))


CHROMIUM_PYPDF_OUTPUT = (
    "NGH Ị  QUY Ế T\nĐ ả ng C ộ ng s ả n Vi ệ t Nam lãnh đ ạ o nhà n ướ c và xã h ộ i. Chi b ộ  t ổ  ch ứ c "
    "sinh ho ạ t\nđ ị nh kỳ h ằ ng tháng, đ ả ng viên tham d ự  đ ầ y đ ủ ."
)
CLEAN_TEXT = (
    "NGHỊ QUYẾT\nĐảng Cộng sản Việt Nam lãnh đạo nhà nước và xã hội. Theo điểm a, b và c khoản 2 Điều 5 "
    "Quy định 339-QĐ/TW, BCH ủy quyền cho Ban Thường vụ; ý kiến ở chi bộ, ông ấy ưu tiên ủy ban. "
    "Theo KH ủy ban xã, Đ/c Ánh và đ/c Ước phát biểu; TH ở trên. "
    "Số 57-NQ/TW; TW; UBND; HĐND; v.v. Ý Ở Ấy đ) e) g) ừ ạ."
)


def page_texts(loaded: LoadedText) -> list[str]:
    return [loaded.text[page.start:page.end] for page in loaded.pages]


# -- PDF ------------------------------------------------------------------------


def test_pdf_page_spans_cover_each_page_in_order(make_pdf):
    path = make_pdf([[f"Trang {n}: Đảng viên tham dự sinh hoạt chi bộ", f"Điều {n}. Nội dung"] for n in (1, 2, 3)])

    loaded = load_document(path)

    assert loaded.format == "pdf"
    assert [page.number for page in loaded.pages] == [1, 2, 3]
    for n, text in enumerate(page_texts(loaded), start=1):
        assert text.startswith(f"Trang {n}: Đảng viên")
        assert f"Điều {n}. Nội dung" in text
        assert all(f"Trang {other}:" not in text for other in (1, 2, 3) if other != n)
    # Pages are joined by a blank line and nothing of the text lies outside a span.
    assert loaded.text[loaded.pages[0].end:loaded.pages[1].start] == "\n\n"
    assert loaded.pages[-1].end == len(loaded.text)
    assert loaded.page_at(loaded.text.index("Điều 2.")) == 2
    assert loaded.warnings == []
    assert unicodedata.is_normalized("NFC", loaded.text)


def test_pdf_encrypted_with_password_is_refused(make_pdf, tmp_path):
    source = make_pdf([["Tài liệu mật của chi bộ"]])
    locked = encrypt_pdf(source, tmp_path / "locked.pdf", user_password="bimat")

    with pytest.raises(IngestError, match="mã hóa/có mật khẩu"):
        load_document(locked)


def test_pdf_encrypted_with_empty_user_password_opens(make_pdf, tmp_path):
    source = make_pdf([["Chỉ hạn chế chỉnh sửa, ai cũng đọc được"]])
    restricted = encrypt_pdf(source, tmp_path / "restricted.pdf", user_password="")

    loaded = load_document(restricted)

    assert "ai cũng đọc được" in loaded.text


def _raise_dependency_error(self, password):
    from pypdf.errors import DependencyError

    raise DependencyError("cryptography>=3.1 is required for AES algorithm")


@needs_pdftotext
def test_pdf_aes_without_cryptography_falls_back_to_pdftotext(make_pdf, tmp_path, monkeypatch):
    """pypdf cannot decrypt AES without the optional cryptography package;
    poppler can, so owner-password-only PDFs still load."""
    source = make_pdf([["Trang một của văn bản"], ["Trang hai của văn bản"]])
    restricted = encrypt_pdf(source, tmp_path / "aes.pdf", user_password="")
    monkeypatch.setattr("pypdf.PdfReader.decrypt", _raise_dependency_error)

    loaded = load_document(restricted)

    assert page_texts(loaded) == ["Trang một của văn bản", "Trang hai của văn bản"]
    assert any("pdftotext" in warning for warning in loaded.warnings)


def test_pdf_aes_without_cryptography_or_pdftotext_explains(make_pdf, tmp_path, monkeypatch):
    restricted = encrypt_pdf(make_pdf([["Văn bản"]]), tmp_path / "aes.pdf", user_password="")
    monkeypatch.setattr("pypdf.PdfReader.decrypt", _raise_dependency_error)
    monkeypatch.setattr(pdf_loader, "find_pdftotext", lambda: None)

    with pytest.raises(IngestError, match="cryptography"):
        load_document(restricted)


@pytest.mark.parametrize(
    "content",
    [b"this is not a PDF at all", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", bytes(range(256)) * 4],
    ids=["text", "truncated-header", "binary"],
)
def test_pdf_corrupt_gives_clear_error(tmp_path, content):
    path = tmp_path / "hong.pdf"
    path.write_bytes(content)

    with pytest.raises(IngestError, match="bị hỏng"):
        load_document(path)


def test_pdf_cut_in_half_gives_clear_error(make_pdf, tmp_path):
    data = make_pdf([["Nội dung bị cắt"]] * 3).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(IngestError):
        load_document(path)


def test_pdf_with_zero_pages_is_refused(tmp_path):
    from pypdf import PdfWriter

    path = tmp_path / "zero.pdf"
    with path.open("wb") as handle:
        PdfWriter().write(handle)

    with pytest.raises(IngestError, match="không có trang nào"):
        load_document(path)


def test_pdf_scanned_everywhere_needs_ocr(make_pdf):
    path = make_pdf([None, None])

    with pytest.raises(NeedsOCR, match="OCR"):
        load_document(path)


def test_pdf_some_scanned_pages_are_kept_empty_and_reported(make_pdf):
    path = make_pdf([["Trang có chữ"], None, ["Trang cuối có chữ"], None, None])

    loaded = load_document(path)

    assert empty_pages(loaded) == [2, 4, 5]
    assert page_texts(loaded) == ["Trang có chữ", "", "Trang cuối có chữ", "", ""]
    assert loaded.page_at(loaded.text.index("Trang cuối")) == 3
    [warning] = loaded.warnings
    assert "Trang 2, 4-5" in warning and "OCR" in warning


def test_pdf_page_that_fails_to_extract_is_listed_for_ocr(make_pdf, monkeypatch):
    from pypdf import PageObject

    original = PageObject.extract_text
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyError("/Contents")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", flaky)
    loaded = load_document(make_pdf([["Một"], ["Hai"], ["Ba"]]))

    assert page_texts(loaded) == ["Một", "", "Ba"]
    assert empty_pages(loaded) == [2]
    assert any("trang 2" in warning for warning in loaded.warnings)


# -- broken diacritics ------------------------------------------------------------


def test_split_heuristic_flags_pypdf_output_of_a_chromium_pdf():
    score = split_score(CHROMIUM_PYPDF_OUTPUT)

    assert looks_broken(CHROMIUM_PYPDF_OUTPUT)
    assert score.ratio > 0.2


def test_split_heuristic_flags_words_split_across_lines():
    """The same damage with line breaks instead of spaces (pypdf with one
    text object per font run)."""
    text = "NGH\nỊ\n QUY\nẾ\nT\nĐả\nng C\nộ\nng s\nả\nn Vi\nệ\nt Nam"

    assert looks_broken(text)


def test_split_heuristic_accepts_clean_vietnamese():
    """Lone vowels ("ở", "ý"), point letters ("và c"), abbreviations ("KH ủy"),
    "Đ/c Ánh" are normal text."""
    assert split_score(CLEAN_TEXT).splits == 0
    assert not looks_broken(CLEAN_TEXT * 50)


def test_split_heuristic_needs_more_than_a_stray_fragment():
    one_slip = CLEAN_TEXT * 20 + " Vi ệ t"

    assert split_score(one_slip).splits == 1
    assert not looks_broken(one_slip)
    assert not looks_broken("")


@needs_pdftotext
def test_pdf_split_words_are_reextracted_with_pdftotext(make_split_font_pdf):
    path = make_split_font_pdf([
        ["NGHỊ QUYẾT", "Đảng Cộng sản Việt Nam lãnh đạo nhà nước và xã hội."],
        ["Chi bộ tổ chức sinh hoạt định kỳ hằng tháng.", "Đảng viên tham dự đầy đủ."],
    ])

    loaded = load_document(path)

    assert page_texts(loaded) == [
        "NGHỊ QUYẾT\nĐảng Cộng sản Việt Nam lãnh đạo nhà nước và xã hội.",
        "Chi bộ tổ chức sinh hoạt định kỳ hằng tháng.\nĐảng viên tham dự đầy đủ.",
    ]
    assert any("pdftotext" in warning for warning in loaded.warnings)


def test_pdf_split_words_kept_with_warning_when_pdftotext_is_missing(make_split_font_pdf, monkeypatch):
    path = make_split_font_pdf([["NGHỊ QUYẾT", "Đảng Cộng sản Việt Nam lãnh đạo nhà nước và xã hội."]])
    monkeypatch.setattr(pdf_loader, "find_pdftotext", lambda: None)

    loaded = load_document(path)

    assert looks_broken(loaded.text)  # the pypdf text, as it came
    assert any("poppler-utils" in warning for warning in loaded.warnings)


def test_pdf_split_words_kept_with_warning_when_pdftotext_is_disabled(make_split_font_pdf, monkeypatch):
    path = make_split_font_pdf([["NGHỊ QUYẾT", "Đảng Cộng sản Việt Nam lãnh đạo nhà nước và xã hội."]])
    monkeypatch.setattr(pdf_loader, "pdftotext_pages", pytest.fail)

    loaded = load_document(path, pdftotext=False)

    assert looks_broken(loaded.text)
    assert any("tách rời" in warning for warning in loaded.warnings)


@pytest.mark.slow
def test_pdf_thousand_pages_load_in_bounded_time_and_memory(make_pdf, tmp_path):
    lines = [f"Điều {n}. Chi bộ lãnh đạo thực hiện nhiệm vụ chính trị của đơn vị, đảng viên gương mẫu." for n in range(30)]
    path = make_pdf([[f"Trang {n}", *lines] for n in range(1, 1001)], name="big.pdf")
    script = textwrap.dedent(f"""
        import resource, time
        from pathlib import Path
        from assistant.ingest.loaders import load_document
        start = time.perf_counter()
        loaded = load_document(Path({str(path)!r}))
        elapsed = time.perf_counter() - start
        assert len(loaded.pages) == 1000, len(loaded.pages)
        last = loaded.pages[-1]
        assert loaded.text[last.start:last.end].startswith("Trang 1000"), loaded.text[last.start:last.start + 20]
        print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    elapsed, peak_kib = done.stdout.split()
    # Speed and memory are measured in benchmarks, not asserted here (they depend on machine load).
    assert float(elapsed) > 0 and int(peak_kib) > 0


# -- DOCX -----------------------------------------------------------------------


def test_docx_tables_stay_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Đoạn mở đầu trước bảng.")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Họ tên", "Chức vụ", "Ghi chú"), ("Nguyễn Văn A", "Bí thư", "")],
                           strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.rows[1].cells[2].add_paragraph("vắng có lý do")  # a second paragraph in one cell
    document.add_paragraph("Đoạn kết sau bảng.")
    document.sections[0].header.paragraphs[0].text = "ĐẦU TRANG KHÔNG LẤY"
    document.sections[0].footer.paragraphs[0].text = "CHÂN TRANG KHÔNG LẤY"
    path = tmp_path / "bang.docx"
    document.save(str(path))

    loaded = load_document(path)

    assert loaded.format == "docx"
    assert loaded.text.split("\n") == [
        "Đoạn mở đầu trước bảng.",
        "Họ tên | Chức vụ | Ghi chú",
        "Nguyễn Văn A | Bí thư | vắng có lý do",
        "Đoạn kết sau bảng.",
    ]
    assert loaded.pages == [loaded.pages[0]] and (loaded.pages[0].start, loaded.pages[0].end) == (0, len(loaded.text))


def test_docx_automatic_numbering_labels_are_rebuilt(tmp_path):
    import docx

    document = docx.Document()
    ids = add_numbering(document)
    numbered(document, "NHỮNG QUY ĐỊNH CHUNG", ids["roman"])
    numbered(document, "Phạm vi điều chỉnh", ids["clauses"])
    for point in ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy"]:
        numbered(document, f"điểm {point};", ids["clauses"], level=1)
    numbered(document, "Đối tượng áp dụng", ids["clauses"])
    numbered(document, "điểm đầu của khoản 2;", ids["clauses"], level=1)
    numbered(document, "tiểu mục", ids["clauses"], level=2)
    document.add_paragraph("Đoạn không đánh số.")
    numbered(document, "TỔ CHỨC THỰC HIỆN", ids["roman"])
    path = tmp_path / "so.docx"
    document.save(str(path))

    lines = load_document(path).text.split("\n")

    assert lines == [
        "I. NHỮNG QUY ĐỊNH CHUNG",
        "1. Phạm vi điều chỉnh",
        "a) điểm một;", "b) điểm hai;", "c) điểm ba;", "d) điểm bốn;", "đ) điểm năm;", "e) điểm sáu;", "g) điểm bảy;",
        "2. Đối tượng áp dụng",
        "a) điểm đầu của khoản 2;",
        "2.1. tiểu mục",
        "Đoạn không đánh số.",
        "II. TỔ CHỨC THỰC HIỆN",
    ]


def test_docx_numbering_from_paragraph_style(tmp_path):
    """python-docx's "List Number" style carries its numbering in styles.xml."""
    import docx

    document = docx.Document()
    for text in ["Thứ nhất", "Thứ hai", "Thứ ba"]:
        document.add_paragraph(text, style="List Number")
    path = tmp_path / "style.docx"
    document.save(str(path))

    assert load_document(path).text.split("\n") == ["1. Thứ nhất", "2. Thứ hai", "3. Thứ ba"]


def test_docx_reads_content_controls_and_tracked_changes_as_shown(tmp_path):
    """Text python-docx's Paragraph.text misses: content controls, tracked
    insertions, line breaks; deleted revisions must not appear."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    body = document.element.body
    blocks = [
        '<w:sdt {ns}><w:sdtPr><w:alias w:val="Trích yếu"/></w:sdtPr>'
        "<w:sdtContent><w:p><w:r><w:t>Về công tác phát triển đảng viên</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        '<w:p {ns}><w:r><w:t xml:space="preserve">Chi bộ </w:t></w:r>'
        '<w:ins w:id="1" w:author="BT"><w:r><w:t>đã</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="BT"><w:r><w:delText>chưa</w:delText></w:r></w:del>'
        '<w:r><w:t xml:space="preserve"> họp.</w:t></w:r></w:p>',
        "<w:p {ns}><w:r><w:t>Dòng một</w:t><w:br/><w:t>Dòng hai</w:t></w:r></w:p>",
    ]
    for xml in blocks:
        body.insert(len(body) - 1, parse_xml(xml.format(ns=nsdecls("w"))))  # before the section properties
    path = tmp_path / "sua.docx"
    document.save(str(path))

    assert load_document(path).text.split("\n") == [
        "Về công tác phát triển đảng viên",
        "Chi bộ đã họp.",
        "Dòng một",
        "Dòng hai",
    ]


def test_vietnamese_letter_sequence():
    assert "".join(letters(n) for n in range(1, 24)) == "abcdđeghiklmnopqrstuvxy"  # no f j w z
    assert letters(24) == "aa"
    assert format_number(5, "upperLetter") == "Đ"
    assert format_number(14, "upperRoman") == "XIV"
    assert format_number(4, "lowerRoman") == "iv"
    assert format_number(3, "decimalZero") == "03"


def test_docx_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes("Đây là văn bản thường, không phải DOCX".encode())

    with pytest.raises(IngestError, match="DOCX bị hỏng"):
        load_document(path)


def test_docx_without_document_xml_is_refused(tmp_path):
    import docx

    source = tmp_path / "goc.docx"
    docx.Document().save(str(source))
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist() if name != "word/document.xml"}
    path = tmp_path / "thieu.docx"
    path.write_bytes(zip_with(entries))

    with pytest.raises(IngestError, match="DOCX bị hỏng.*word/document.xml"):
        load_document(path)


def test_docx_with_only_empty_paragraphs_is_empty(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("   ")
    path = tmp_path / "rong.docx"
    document.save(str(path))

    with pytest.raises(IngestError, match="rỗng"):
        load_document(path)


# -- TXT / MD -----------------------------------------------------------------------

VIETNAMESE = "Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ.\nĐảng viên gương mẫu."


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, "  \n".encode("utf-16")],
                         ids=["zero-bytes", "whitespace", "bom-only", "utf16-whitespace"])
def test_empty_text_file_is_refused(tmp_path, content):
    path = tmp_path / "rong.txt"
    path.write_bytes(content)

    with pytest.raises(IngestError, match="[Tt]ệp rỗng"):
        load_document(path)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"),
        codecs.BOM_UTF16_LE + VIETNAMESE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + VIETNAMESE.encode("utf-16-be"),
        VIETNAMESE.encode("utf-16-le"),
        VIETNAMESE.encode("utf-8"),
        VIETNAMESE.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "utf8", "crlf"],
)
def test_text_encodings_are_detected(tmp_path, data):
    path = tmp_path / "vb.txt"
    path.write_bytes(data)

    loaded = load_document(path)

    assert loaded.text == VIETNAMESE
    assert "\ufeff" not in loaded.text
    assert loaded.pages[0].end == len(loaded.text)


def test_windows_1258_text_is_decoded_and_composed(tmp_path):
    data = cp1258_bytes(VIETNAMESE)
    assert b"\xd2" in data  # hỏi as a separate combining byte, as cp1258 writes it
    path = tmp_path / "cu.txt"
    path.write_bytes(data)

    loaded = load_document(path)

    assert loaded.text == VIETNAMESE
    assert unicodedata.is_normalized("NFC", loaded.text)


def test_decomposed_input_is_normalised_to_nfc(tmp_path):
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", VIETNAMESE), encoding="utf-8")

    loaded = load_document(path)

    assert loaded.text == VIETNAMESE


def test_legacy_tcvn3_text_is_not_passed_off_as_vietnamese(tmp_path):
    # "Cộng hòa xã hội chủ nghĩa Việt Nam" typed with a TCVN3 (ABC) font.
    path = tmp_path / "tcvn3.txt"
    path.write_bytes("Céng hßa x· héi chñ nghÜa ViÖt Nam".encode("cp1252"))

    with pytest.raises(IngestError, match="bảng mã"):
        load_document(path)


def test_undecodable_bytes_are_an_encoding_error(tmp_path):
    path = tmp_path / "la.txt"
    path.write_bytes(b"Chi b\x81 \x8a\x8d\x8e h\x90p")  # bytes cp1258 does not define

    with pytest.raises(IngestError, match="Không nhận ra bảng mã"):
        load_document(path)


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
                                  b"\x01\x02\x03\x04\x05\x06" * 50],
                         ids=["all-bytes", "png", "controls"])
def test_binary_garbage_with_txt_extension_is_refused(tmp_path, data):
    path = tmp_path / "rac.txt"
    path.write_bytes(data)

    with pytest.raises(IngestError, match="nhị phân|bảng mã"):
        load_document(path)


def test_huge_text_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "lon.txt"
    with path.open("wb") as handle:  # sparse: 50 MB + 1 byte without writing them
        handle.truncate(loader_files.MAX_TEXT_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", pytest.fail)

    with pytest.raises(IngestError, match="quá lớn"):
        load_document(path)


def test_markdown_syntax_is_stripped_but_lines_kept(tmp_path):
    path = tmp_path / "luat.md"
    path.write_text(
        "# LUẬT AN NINH MẠNG\n\n### Điều 1. Phạm vi điều chỉnh ###\n\n"
        "Luật này **quy định** về __hoạt động__ và *bảo vệ*; xem [Điều 2](#dieu-2) và ![sơ đồ](a.png).\n"
        "1\\. An ninh mạng là sự bảo đảm;\n"
        "2. Không gian mạng;\n\n"
        "---\n"
        "| Cột | Giá trị |\n|---|---|\n| a | 2 * 3 * 4 |\n",
        encoding="utf-8",
    )

    loaded = load_document(path)

    assert loaded.format == "md"
    assert loaded.text.split("\n") == [
        "LUẬT AN NINH MẠNG",
        "",
        "Điều 1. Phạm vi điều chỉnh",
        "",
        "Luật này quy định về hoạt động và bảo vệ; xem Điều 2 và sơ đồ.",
        "1. An ninh mạng là sự bảo đảm;",
        "2. Không gian mạng;",
        "",
        "",
        "| Cột | Giá trị |",
        "| a | 2 * 3 * 4 |",
    ]


# -- HTML -----------------------------------------------------------------------


def test_html_drops_scripts_and_decodes_entities(tmp_path):
    path = tmp_path / "trang.html"
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tiêu đề trùng</title>"
        "<style>p { color: red }</style><script>var bi_mat = '<p>không hiện</p>';</script></head>"
        "<body><h1>NGHỊ QUYẾT</h1><p>Đảng&nbsp;viên &amp; quần chúng &lt;tham gia&gt;, ngh&#7883; quy&#x1EBF;t</p>"
        "<div>Dòng <b>một</b><br>Dòng hai</div>"
        "<table><tr><th>Họ tên</th><th>Chức vụ</th></tr><tr><td><p>Nguyễn Văn A</p></td><td>Bí thư</td></tr></table>"
        "<script>document.write('cũng không hiện')</script><noscript>bật JavaScript</noscript></body></html>",
        encoding="utf-8",
    )

    loaded = load_document(path)
    lines = [line for line in loaded.text.split("\n") if line]

    assert lines == [
        "NGHỊ QUYẾT",
        "Đảng viên & quần chúng <tham gia>, nghị quyết",
        "Dòng một",
        "Dòng hai",
        "Họ tên | Chức vụ",
        "Nguyễn Văn A | Bí thư",
    ]
    assert loaded.format == "html"


def test_html_meta_charset_windows_1258(tmp_path):
    path = tmp_path / "cu.htm"
    page = f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'></head><body><p>{VIETNAMESE}</p></body></html>"
    path.write_bytes(cp1258_bytes(page))

    loaded = load_document(path)

    assert loaded.text == VIETNAMESE.replace("\n", " ")


def test_html_wrong_meta_charset_falls_back_to_detection(tmp_path):
    path = tmp_path / "sai.html"
    path.write_bytes(f"<meta charset='ascii'><p>{VIETNAMESE}</p>".encode())

    loaded = load_document(path)

    assert loaded.text == VIETNAMESE.replace("\n", " ")
    assert any("ascii" in warning for warning in loaded.warnings)


# -- dispatch and file system -------------------------------------------------


@pytest.mark.parametrize("name", ["anh.png", "scan.JPG", "trang.tiff"])
def test_images_are_read_by_ocr_only_when_asked(tmp_path, name):
    """Images are documents read by OCR (tests/ingest/test_ocr.py); without
    OCR options they still need OCR, and a damaged one is a plain ingest error."""
    from assistant.ingest.loaders import OCROptions
    from assistant.ingest.ocr import ocr_unavailable

    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n")

    with pytest.raises(NeedsOCR, match="OCR"):
        load_document(path)
    if ocr_unavailable(OCROptions()) is None:
        with pytest.raises(IngestError, match="ảnh bị hỏng") as caught:
            load_document(path, ocr=OCROptions())
        assert not isinstance(caught.value, NeedsOCR)


@pytest.mark.parametrize("name", ["bang.xlsx", "cu.doc", "khong_duoi"])
def test_unsupported_formats_list_what_is_supported(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"data")

    with pytest.raises(UnsupportedFormat) as caught:
        load_document(path)

    for extension in SUPPORTED_EXTENSIONS:
        assert extension in str(caught.value)
    assert not isinstance(caught.value, NeedsOCR)


def test_extension_is_case_insensitive(tmp_path):
    path = tmp_path / "VAN_BAN.TXT"
    path.write_text("Chi bộ", encoding="utf-8")

    assert load_document(path).text == "Chi bộ"


@pytest.mark.parametrize("name", ["mat.pdf", "mat.docx", "mat.txt", "mat.md", "mat.html"])
def test_vanished_file_is_an_ingest_error(tmp_path, name):
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    path.unlink()  # removed between listing and loading

    with pytest.raises(IngestError, match="Không tìm thấy tệp"):
        load_document(path)


@pytest.mark.parametrize("name", ["khoa.pdf", "khoa.docx", "khoa.txt"])
def test_unreadable_file_is_an_ingest_error(tmp_path, monkeypatch, name):
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    # Tests may run as root, where chmod 000 does not stop reading.
    monkeypatch.setattr(Path, "read_bytes", denied)

    with pytest.raises(IngestError, match="quyền đọc"):
        load_document(path)


def test_directory_with_a_document_name_is_an_ingest_error(tmp_path):
    path = tmp_path / "thu_muc.txt"
    path.mkdir()

    with pytest.raises(IngestError, match="thư mục"):
        load_document(path)
