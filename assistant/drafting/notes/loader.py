"""Reading meeting notes from a file, through the ingest loaders.

Plain text is decoded by :mod:`assistant.ingest.loaders.encoding` (UTF-8,
UTF-16, Windows-1258): a file in any other encoding is refused with a hint
rather than read as garbage. Word notes are read by
:mod:`assistant.ingest.loaders.word`, which keeps paragraphs and table rows
(as pipe rows: "1 | Khảo sát cống | Châu Văn Lực | 15/7/2026") in document
order.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import IngestError, NotFound, UnsupportedFormat
from assistant.ingest.loaders.encoding import decode_text
from assistant.ingest.loaders.files import MAX_TEXT_BYTES, read_source
from assistant.text.vietnamese import clean_text

TEXT_SUFFIXES = (".txt", ".md", ".text", "")
NOTES_SUFFIXES = (".txt", ".md", ".text", ".docx")


def read_notes(path: Path | str) -> str:
    """Plain text, Markdown or DOCX notes as cleaned text (DOCX tables become pipe rows, in place)."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"Không có tệp ghi chép {path.name}")
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, ".docx"):
        raise UnsupportedFormat(f"Không đọc được ghi chép dạng {suffix}: dùng .txt, .md hoặc .docx")
    try:
        if suffix == ".docx":
            from assistant.ingest.loaders.word import load_docx

            return clean_text(load_docx(path).text)
        return clean_text(decode_bytes(read_source(path, max_bytes=MAX_TEXT_BYTES)))
    except IngestError as exc:
        reason = exc.message[:1].lower() + exc.message[1:]
        raise IngestError(f"Không đọc được ghi chép {path.name}: {reason}", hint=exc.hint) from exc


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16, else Windows-1258; IngestError for anything unrecognised."""
    return decode_text(data).text
