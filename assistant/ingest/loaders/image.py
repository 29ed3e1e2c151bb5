"""Scanned pages as PNG/JPEG/TIFF files: read by OCR."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import IngestError, NeedsOCR
from assistant.ingest.loaders.files import join_pages, page_list, read_source
from assistant.ingest.ocr import OCROptions, ocr_image, ocr_unavailable, ocr_warnings
from assistant.records import LoadedText


def load_image(path: Path, ocr: OCROptions | None = None) -> LoadedText:
    """A scanned page as a PNG/JPEG/TIFF file (a multi-page TIFF is several pages), read by OCR."""
    reason = ocr_unavailable(ocr)
    if reason is not None:
        raise NeedsOCR(f"Tệp ảnh ({path.suffix.lower()}) cần nhận dạng chữ (OCR)", hint=reason)
    assert ocr is not None
    pages = ocr_image(read_source(path), ocr)
    texts = [page.text for page in pages]
    if not any(texts):
        failed = next((page.error for page in pages if page.error), "")
        detail = f" ({failed})" if failed else ""
        raise IngestError(f"Nhận dạng chữ (OCR) không tìm thấy chữ nào trong ảnh{detail}",
                          hint="kiểm tra ảnh có đúng là văn bản, rõ nét và đủ sáng")
    results = dict(enumerate(pages, start=1))
    warnings = ocr_warnings(results, page_list)
    confidences = {number: page.confidence for number, page in results.items()}
    return join_pages(path, "image", texts, warnings, ocr=confidences)
