"""Document loaders: a file on disk to display text with page spans.

The first ingest stage (``Path -> LoadedText``). Each format lives in its
own module; this one dispatches on the extension. Every expected failure is
an :class:`~assistant.errors.IngestError` (or its subclasses
:class:`~assistant.errors.UnsupportedFormat` and
:class:`~assistant.errors.NeedsOCR`), so the pipeline can report the file
and carry on with the batch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import NeedsOCR, UnsupportedFormat
from assistant.ingest.loaders.files import MAX_TEXT_BYTES
from assistant.ingest.loaders.quality import looks_broken, split_score
from assistant.ingest.model import LoadedText

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_TEXT_BYTES",
    "SUPPORTED_EXTENSIONS",
    "empty_pages",
    "load_document",
    "looks_broken",
    "split_score",
]

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm")
# Recognised but not readable until the OCR stage lands.
IMAGE_EXTENSIONS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_HINTS = {
    ".doc": "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx",
    ".rtf": "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx",
    ".odt": "hãy mở bằng LibreOffice và lưu lại dạng .docx",
}


def load_document(path: Path, *, pdftotext: bool = True) -> LoadedText:
    """Load one document as NFC display text with page spans and warnings.

    ``pdftotext``: allow re-extracting a PDF with poppler's pdftotext when
    pypdf splits words at diacritics (and reading AES-encrypted PDFs that
    pypdf cannot decrypt without the optional ``cryptography`` package).

    Raises :class:`IngestError` (the file cannot be read, is damaged, empty,
    too large or password protected), :class:`UnsupportedFormat` and
    :class:`NeedsOCR` (images and PDFs without a text layer).
    """
    path = Path(path)
    extension = path.suffix.lower()
    if extension == ".pdf":
        from assistant.ingest.loaders.pdf import load_pdf

        return load_pdf(path, pdftotext=pdftotext)
    if extension in IMAGE_EXTENSIONS:
        raise NeedsOCR(
            f"Tệp ảnh ({extension}) cần nhận dạng chữ (OCR), chức năng này chưa có",
            hint="tạm thời hãy dùng bản PDF hoặc Word của văn bản",
        )
    loader = _loader(extension)
    if loader is None:
        shown = extension or "(không có đuôi)"
        raise UnsupportedFormat(
            f"Không hỗ trợ định dạng {shown}; các định dạng được hỗ trợ: {', '.join(SUPPORTED_EXTENSIONS)}",
            hint=_HINTS.get(extension),
        )
    return loader(path)


def _loader(extension: str) -> Callable[[Path], LoadedText] | None:
    # Imported on use: importing the package stays cheap and a missing
    # optional library only breaks its own format.
    if extension == ".docx":
        from assistant.ingest.loaders.word import load_docx

        return load_docx
    if extension == ".txt":
        from assistant.ingest.loaders.plaintext import load_txt

        return load_txt
    if extension in (".md", ".markdown"):
        from assistant.ingest.loaders.plaintext import load_markdown

        return load_markdown
    if extension in (".html", ".htm"):
        from assistant.ingest.loaders.webpage import load_html

        return load_html
    return None


def empty_pages(loaded: LoadedText) -> list[int]:
    """Numbers of pages that had no text layer (for the OCR stage to fill).

    The PDF loader keeps such pages as zero-length spans rather than dropping
    them, so page numbers of the other pages stay true.
    """
    return [page.number for page in loaded.pages if page.start == page.end]
