"""Reading source files and assembling :class:`LoadedText` records.

Failures are :class:`IngestError` with a Vietnamese reason that names no server path; the library's or the
system's own (English) text goes to the log only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from assistant.errors import IngestError
from assistant.records import LoadedText, PageSpan
from assistant.text.vietnamese import clean_text

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 50 * 1024 * 1024
PAGE_SEPARATOR = "\n\n"


def read_source(path: Path, *, max_bytes: int | None = None) -> bytes:
    """The file's bytes, with OS failures turned into :class:`IngestError`.

    ``max_bytes`` is checked on the file size before anything is read, so an
    oversized file costs one ``stat`` call, not its whole content in memory.
    """
    try:
        if max_bytes is not None:
            size = path.stat().st_size
            if size > max_bytes:
                raise IngestError(
                    f"Tệp quá lớn ({size / 1024 / 1024:.0f} MB, tối đa {max_bytes // (1024 * 1024)} MB)",
                    hint="hãy tách tệp thành nhiều phần nhỏ hơn",
                )
        return path.read_bytes()
    except OSError as exc:
        raise os_error(exc) from exc


def os_error(exc: OSError) -> IngestError:
    """A user-facing message for a file that vanished or cannot be read."""
    if isinstance(exc, FileNotFoundError):
        return IngestError("Không tìm thấy tệp (tệp không tồn tại hoặc đã bị xóa trong lúc nạp)")
    if isinstance(exc, PermissionError):
        return IngestError("Không có quyền đọc tệp", hint="kiểm tra quyền truy cập của tệp")
    if isinstance(exc, IsADirectoryError):
        return IngestError("Đây là thư mục, không phải tệp")
    # The system's text is English and names the path: the log has it, the user a plain reason.
    log.warning("could not read a file: %s", exc)
    return IngestError("Không đọc được tệp: lỗi hệ thống khi đọc (xem nhật ký máy chủ)")


def require_bytes(data: bytes, kind: str) -> bytes:
    """Refuse an empty file of a binary format (``kind``: "PDF", "DOCX", "ảnh") before a library parses it."""
    if not data:
        raise IngestError(f"Tệp {kind} rỗng (0 byte): không có nội dung", hint="hãy kiểm tra lại tệp gốc")
    return data


def single_page(path: Path, fmt: str, text: str, warnings: list[str] | None = None) -> LoadedText:
    """A non-paginated document: one page span covering the whole text."""
    return LoadedText(
        path=path,
        format=fmt,
        text=text,
        pages=[PageSpan(1, 0, len(text))],
        warnings=list(warnings or []),
    )


def join_pages(path: Path, fmt: str, page_texts: list[str], warnings: list[str],
               ocr: Mapping[int, float | None] | None = None) -> LoadedText:
    """Join page texts with a blank line and record each page's span.

    An empty page keeps a zero-length span so its number survives (see
    :func:`assistant.ingest.loaders.empty_pages`). ``ocr`` maps the numbers of
    pages whose text came from OCR to their confidence.
    """
    ocr = ocr or {}
    spans: list[PageSpan] = []
    offset = 0
    for number, page_text in enumerate(page_texts, start=1):
        if number > 1:
            offset += len(PAGE_SEPARATOR)
        scanned = number in ocr
        spans.append(PageSpan(number, offset, offset + len(page_text), ocr=scanned,
                              confidence=ocr.get(number) if scanned else None))
        offset += len(page_text)
    text = PAGE_SEPARATOR.join(page_texts)
    return LoadedText(path=path, format=fmt, text=text, pages=spans, warnings=warnings)


def clean_page(raw: str) -> str:
    """NFC text of one PDF page. pypdf starts many lines with a space, which
    would hide line-start markers ("Điều 5.", "- Căn cứ") from anchored
    patterns downstream, so lines are stripped on both sides."""
    return "\n".join(line.strip() for line in clean_text(raw).split("\n")).strip()


def require_text(text: str) -> str:
    """Reject documents with nothing to read."""
    if not text.strip():
        raise IngestError("Tệp rỗng: không có nội dung chữ")
    return text


def page_list(numbers: list[int]) -> str:
    """"2, 5-7, 10": short enough for a warning even on a long scan."""
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(ranges)

