"""Document loaders: a file on disk to display text with page spans.

The first ingest stage (``Path -> LoadedText``). Each format lives in its
own module; this one dispatches on the extension. Every expected failure is
an :class:`~assistant.errors.IngestError` (or its subclasses
:class:`~assistant.errors.UnsupportedFormat` and
:class:`~assistant.errors.NeedsOCR`), so the pipeline can report the file
and carry on with the batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from assistant.errors import UnsupportedFormat
from assistant.ingest.loaders.files import MAX_TEXT_BYTES
from assistant.ingest.loaders.quality import looks_broken, split_score
from assistant.ingest.ocr import OCROptions, PageProgress, render_page_image
from assistant.records import LoadedText

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_TEXT_BYTES",
    "SUPPORTED_EXTENSIONS",
    "OCROptions",
    "PageProgress",
    "empty_pages",
    "load_document",
    "looks_broken",
    "ocr_confidence",
    "render_page_image",
    "split_score",
]

# Scanned pages as pictures: read by OCR (format "image").
IMAGE_EXTENSIONS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    ".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm", *IMAGE_EXTENSIONS,
)
_HINTS = {
    ".doc": "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx",
    ".rtf": "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx",
    ".odt": "hãy mở bằng LibreOffice và lưu lại dạng .docx",
}


def load_document(
    path: Path,
    *,
    pdftotext: bool = True,
    ocr: OCROptions | None = None,
    progress: PageProgress | None = None,
) -> LoadedText:
    """Load one document as NFC display text with page spans and warnings.

    ``pdftotext``: allow re-extracting a PDF with poppler's pdftotext when
    pypdf splits words at diacritics (and reading AES-encrypted PDFs that
    pypdf cannot decrypt without the optional ``cryptography`` package).

    ``ocr``: read scanned pages (PDF pages without a usable text layer, and
    PNG/JPEG/TIFF files) with tesseract; None leaves them unread, as does
    OCR being disabled or not installed. ``progress(done, total)`` is called
    per OCR'd page (it overrides ``ocr.progress``). OCR'd pages are marked
    ``PageSpan(ocr=True, confidence=...)``.

    Raises :class:`IngestError` (the file cannot be read, is damaged, empty,
    too large or password protected, or OCR was cancelled),
    :class:`UnsupportedFormat` and :class:`NeedsOCR` (a scan that OCR could
    not read because it is off or unavailable; the message says which).
    """
    path = Path(path)
    extension = path.suffix.lower()
    if ocr is not None and progress is not None:
        ocr = dataclasses.replace(ocr, progress=progress)
    if extension == ".pdf":
        from assistant.ingest.loaders.pdf import load_pdf

        return load_pdf(path, pdftotext=pdftotext, ocr=ocr)
    if extension in IMAGE_EXTENSIONS:
        from assistant.ingest.loaders.image import load_image

        return load_image(path, ocr)
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


def ocr_confidence(loaded: LoadedText) -> float | None:
    """Mean OCR confidence of the document (0-100), weighted by the text of each
    OCR'd page; None when no page came from OCR."""
    weighted = [(page.confidence, page.end - page.start) for page in loaded.pages
                if page.ocr and page.confidence is not None and page.end > page.start]
    size = sum(length for _, length in weighted)
    return round(sum(conf * length for conf, length in weighted) / size, 1) if size else None
