"""PDF files: pypdf first, poppler's pdftotext where pypdf splits words, OCR
for pages without a usable text layer.

A file that cannot be read is refused with a Vietnamese reason (empty, damaged,
password protected); pypdf's own English text goes to the log, never to the user.
pypdf also logs its repairs of sloppy files ("EOF marker not found"): they reach
the application's log handlers, not the console of ``chibo ingest``.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import unicodedata
import zlib
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from assistant.errors import IngestError, NeedsOCR
from assistant.ingest.loaders.files import clean_page, join_pages, page_list, read_source, require_bytes
from assistant.ingest.loaders.poppler import find_pdftotext, pdftotext_pages
from assistant.ingest.loaders.quality import SplitScore, split_score
from assistant.ingest.ocr import OCROptions, ocr_pdf_pages, ocr_unavailable, ocr_warnings, pdf_image_coverage
from assistant.records import LoadedText

log = logging.getLogger(__name__)
# Without a handler of its own, a pypdf warning would be printed on stderr by logging's last resort.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

# pypdf reports malformed input with its own errors but also, depending on
# where parsing stops, with these built-in ones.
_PARSE_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError,
    RecursionError, OverflowError, struct.error, zlib.error, UnicodeError,
)
_PASSWORD_HINT = "hãy mở tệp, gỡ mật khẩu (hoặc in lại ra PDF) rồi nạp lại"
_OCR_HINT = "tệp là ảnh quét"

WARN_REEXTRACTED = (
    "Chữ trích bằng pypdf bị tách rời ở các chữ có dấu (kiểu \"NGH Ị QUY Ế T\"); "
    "đã trích lại bằng pdftotext (poppler)"
)
WARN_NO_POPPLER = (
    "Chữ trích từ PDF có vẻ bị tách rời ở các chữ có dấu (kiểu \"NGH Ị QUY Ế T\") và máy chưa có pdftotext; "
    "cài gói poppler-utils rồi nạp lại để tìm kiếm và trích dẫn chính xác"
)
WARN_KEPT_BROKEN = (
    "Chữ trích từ PDF có vẻ bị tách rời ở các chữ có dấu (kiểu \"NGH Ị QUY Ế T\"); "
    "chưa trích lại vì đã tắt pdftotext"
)
WARN_POPPLER_FAILED = (
    "Chữ trích từ PDF có vẻ bị tách rời ở các chữ có dấu; trích lại bằng pdftotext không thành công ({error})"
)


def load_pdf(path: Path, *, pdftotext: bool = True, ocr: OCROptions | None = None) -> LoadedText:
    """Text of every page, in order; see :func:`assistant.ingest.loaders.load_document`."""
    data = require_bytes(read_source(path), "PDF")
    warnings: list[str] = []
    try:
        pages = _pypdf_pages(_open(data), warnings)
    except DependencyError:
        # pypdf needs the optional "cryptography" package for AES, the usual
        # encryption of PDFs that only restrict editing; poppler reads them.
        pages = _poppler_only(data, warnings, allowed=pdftotext)
    if not pages:
        raise IngestError("Tệp PDF không có trang nào")
    pages = _repair_split_words(data, pages, warnings, allowed=pdftotext)
    reason = ocr_unavailable(ocr)
    if reason is None:
        assert ocr is not None
        return _with_ocr(path, data, pages, warnings, ocr)
    empty = [number for number, text in enumerate(pages, start=1) if not text]
    detail = f" ({reason})" if ocr is not None else ""
    if len(empty) == len(pages):
        raise NeedsOCR("Tệp PDF không có lớp chữ (bản quét), cần nhận dạng chữ (OCR)",
                       hint=f"{_OCR_HINT}; {reason}")
    if empty:
        warnings.append(
            f"Trang {page_list(empty)} không có lớp chữ (có thể là ảnh quét), cần nhận dạng chữ (OCR){detail}"
        )
    unreadable = [number for number, text in enumerate(pages, start=1) if text and unreadable_text(text)]
    if unreadable:
        warnings.append(f"Trang {page_list(unreadable)} có lớp chữ hỏng (ký tự lạ, phông chữ cũ TCVN3/VNI), "
                        f"cần nhận dạng chữ (OCR){detail}")
    return join_pages(path, "pdf", pages, warnings)


# A page with a scanner's stamp of text ("Scanned with CamScanner", a page
# number) over a full-page picture is still a scan.
_THIN_LETTERS = 100
_SCAN_COVERAGE = 0.5


def _with_ocr(path: Path, data: bytes, pages: list[str], warnings: list[str], ocr: OCROptions) -> LoadedText:
    """OCR the pages without a usable text layer and put their text in place."""
    empty = {number for number, text in enumerate(pages, start=1) if not text}
    unreadable = {number for number, text in enumerate(pages, start=1) if text and unreadable_text(text)}
    thin = [number for number, text in enumerate(pages, start=1)
            if text and number not in unreadable and _letters(text) < _THIN_LETTERS]
    pictured = {number for number, share in pdf_image_coverage(data, thin).items() if share >= _SCAN_COVERAGE}
    targets = sorted(empty | unreadable | pictured)
    if not targets:
        return join_pages(path, "pdf", pages, warnings)
    results = ocr_pdf_pages(data, targets, ocr)
    confidences: dict[int, float | None] = {}
    for number, page in results.items():
        old = pages[number - 1]
        # A stamp of text over a picture is replaced only by a fuller reading.
        if page.text and (number not in pictured or _letters(page.text) > _letters(old)):
            pages[number - 1] = page.text
            confidences[number] = page.confidence
    if not any(pages):
        failed = next((page.error for page in results.values() if page.error), "")
        raise IngestError("Tệp PDF là bản quét nhưng nhận dạng chữ (OCR) không tìm thấy chữ nào"
                          + (f" ({failed})" if failed else ""),
                          hint="kiểm tra bản quét có rõ nét, đủ sáng, đúng là văn bản")
    used = {number: page for number, page in results.items() if number in confidences or number in empty}
    warnings.extend(ocr_warnings(used, page_list))
    return join_pages(path, "pdf", pages, warnings, ocr=confidences)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


# Signs of a text layer that cannot be read: unmapped glyphs "(cid:12)",
# replacement and private-use characters, control characters, and Latin-1
# letters no Vietnamese word has, which is how text in the old TCVN3 (ABC)
# and VNI fonts comes out ("Céng hoµ x· héi", "Ñaûng").
_CID = re.compile(r"\(cid:\d+\)")
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_UNREADABLE_MIN = 5
_UNREADABLE_SHARE = 0.05


def _odd(ch: str) -> bool:
    code = ord(ch)
    if code == 0xFFFD or 0xE000 <= code <= 0xF8FF:
        return True
    if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f":
        return True
    if 0xA1 <= code <= 0xFF:
        return ch not in _VIETNAMESE_LATIN1 and ch not in "«»°±×÷"
    return False


def unreadable_text(text: str) -> bool:
    """True when a page's text layer is mostly junk (unmapped glyphs, legacy Vietnamese fonts)."""
    visible = sum(1 for ch in text if not ch.isspace())
    if not visible:
        return False
    odd = 5 * len(_CID.findall(text)) + sum(1 for ch in text if _odd(ch))
    return odd >= _UNREADABLE_MIN and odd / visible >= _UNREADABLE_SHARE


def _open(data: bytes) -> PdfReader:
    """A readable PdfReader; encrypted files are tried with the empty password."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _encrypted()
        return reader
    except DependencyError:
        raise
    except FileNotDecryptedError:
        raise _encrypted() from None
    except _PARSE_ERRORS as exc:
        raise _corrupt(exc) from exc


def _pypdf_pages(reader: PdfReader, warnings: list[str]) -> list[str]:
    try:
        count = len(reader.pages)
    except DependencyError:
        raise
    except _PARSE_ERRORS as exc:
        raise _corrupt(exc) from exc
    pages: list[str] = []
    for number in range(1, count + 1):
        try:
            raw = reader.pages[number - 1].extract_text() or ""
        except DependencyError:
            raise
        except _PARSE_ERRORS as exc:
            # One damaged page should not cost the document: leave it empty
            # so it is listed for OCR with the scanned pages.
            log.info("pypdf could not extract page %d: %s: %s", number, type(exc).__name__, exc)
            warnings.append(f"Không trích được chữ ở trang {number} (lớp chữ của trang bị hỏng)")
            raw = ""
        pages.append(clean_page(raw))
    return pages


def _poppler_only(data: bytes, warnings: list[str], *, allowed: bool) -> list[str]:
    executable = find_pdftotext() if allowed else None
    if executable is None:
        raise IngestError(
            "Tệp PDF được mã hóa (AES); cần gói Python 'cryptography' hoặc pdftotext (poppler-utils) để đọc",
            hint="cài 'cryptography' vào môi trường Python, hoặc cài poppler-utils",
        )
    result = pdftotext_pages(executable, data)
    if result.pages is None:
        raise _encrypted() if result.password else _corrupt(result.error)
    warnings.append("Tệp PDF được mã hóa (AES) nên đã đọc bằng pdftotext (poppler)")
    return result.pages


def _repair_split_words(data: bytes, pages: list[str], warnings: list[str], *, allowed: bool) -> list[str]:
    """Re-extract with pdftotext when pypdf split words at diacritics."""
    scores = [split_score(text) for text in pages]
    # The whole document, or any one page: a merged PDF may carry a single
    # browser-printed appendix among clean pages.
    if not (sum(scores, SplitScore(0, 0)).broken or any(score.broken for score in scores)):
        return pages
    if not allowed:
        warnings.append(WARN_KEPT_BROKEN)
        return pages
    executable = find_pdftotext()
    if executable is None:
        warnings.append(WARN_NO_POPPLER)
        return pages
    result = pdftotext_pages(executable, data, len(pages))
    if result.pages is None:
        warnings.append(WARN_POPPLER_FAILED.format(error=result.error))
        return pages
    warnings.append(WARN_REEXTRACTED)
    return [_better(old, score, new) for old, score, new in zip(pages, scores, result.pages, strict=True)]


def _better(pypdf_text: str, pypdf_score: SplitScore, poppler_text: str) -> str:
    """Poppler's page unless it lost the text or split more words."""
    if not poppler_text and pypdf_text:
        return pypdf_text
    return pypdf_text if split_score(poppler_text).splits > pypdf_score.splits else poppler_text


def _encrypted() -> IngestError:
    return IngestError("Tệp PDF được mã hóa/có mật khẩu, không mở được", hint=_PASSWORD_HINT)


def _corrupt(reason: object) -> IngestError:
    """A damaged file: the reader's (English) ``reason`` goes to the log."""
    detail = f"{type(reason).__name__}: {reason}" if isinstance(reason, BaseException) else reason
    log.info("unreadable PDF: %s", detail)
    return IngestError("Tệp PDF bị hỏng hoặc không đúng định dạng PDF",
                       hint="hãy mở tệp bằng trình đọc PDF; nếu mở được, in lại ra PDF rồi nạp lại")
