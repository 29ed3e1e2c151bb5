"""Bulletin sources: the provider type, and sources read from plain files.

The usual source is the document index (``Services.bulletin_provider``).
``chibo bulletin --from-files`` reads files instead: a .txt/.md file,
decoded by the ingest loaders' encoding detection, becomes a
:class:`BulletinSource` with paragraphs as chunks and a minimal
:class:`DocumentMeta` read from its header (number, type, issuer, date,
title).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from assistant.drafting.bulletin.script import BODY_NAMES, BulletinSource
from assistant.drafting.documents.draft import display_name
from assistant.errors import NotFound, UnsupportedFormat
from assistant.ingest.loaders.encoding import decode_text
from assistant.ingest.loaders.files import MAX_TEXT_BYTES
from assistant.ingest.loaders.files import read_source as read_bytes
from assistant.records import Chunk, DocumentMeta
from assistant.text.references import TYPE_NAMES, type_name_for
from assistant.text.vietnamese import clean_text, strip_accents

DocumentProvider = Callable[[list[str] | None, dt.date | None], list[BulletinSource]]

_NUMBER_RE = re.compile(r"(?<!\w)(\d{1,4})-([A-ZĐ]{1,4})/([A-ZĐ]{1,8})")
# The type word a header prints in capitals ("QUY ĐỊNH"), from the citation vocabulary.
_TYPE_LINE = re.compile("^(" + "|".join(sorted((n.upper() for n in TYPE_NAMES), key=len, reverse=True)) + ")$")
_DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_NOT_ISSUER = ("ĐẢNG CỘNG SẢN VIỆT NAM", "*", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def issuer_name(line: str) -> str:
    """Header capitals to running text: "ĐẢNG ỦY XÃ GÒ QUAO" -> "Đảng ủy xã Gò Quao"."""
    line = line.strip()
    return BODY_NAMES.get(line.replace("\u00a0", " "), display_name(line))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(text)).strip("-") or "van-ban"


def read_source(path: Path | str) -> BulletinSource:
    """A .txt/.md document as a bulletin source (paragraphs become chunks)."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"Không có tệp {path}")
    if path.suffix.lower() not in (".txt", ".md", ".text"):
        raise UnsupportedFormat(f"--from-files chỉ đọc .txt/.md (nhận {path.name}); "
                                "văn bản khác hãy nạp vào kho rồi chọn bằng --docs")
    text = clean_text(decode_text(read_bytes(path, max_bytes=MAX_TEXT_BYTES)).text)
    lines = [line.strip() for line in text.split("\n")]
    head = [line for line in lines[:15] if line]
    meta = DocumentMeta(doc_id=_slug(path.stem), source_path=str(path), source_name=path.name, format="text")
    number = _NUMBER_RE.search("\n".join(head))
    if number:
        meta.number = number.group(0)
        meta.type_code = number.group(2)
        meta.doc_type = type_name_for(meta.type_code)  # Party style: "05-TT/TW" is a thông tri
    date = _DATE_RE.search("\n".join(head))
    if date:
        with contextlib.suppress(ValueError):
            meta.date = dt.date(int(date.group(3)), int(date.group(2)), int(date.group(1))).isoformat()
    for i, line in enumerate(head):
        if _TYPE_LINE.match(line):
            meta.doc_type = line.lower()  # the header's word wins: "QĐ" is both quyết định and quy định
            meta.title = head[i + 1] if i + 1 < len(head) else ""
            break
    issuers = [line for line in head[:6] if line.isupper() and line not in _NOT_ISSUER
               and not _TYPE_LINE.match(line) and not line.startswith("[")]
    if issuers:
        meta.issuer = issuer_name(issuers[-1])
        meta.parent_body = issuers[0] if len(issuers) > 1 else ""
    chunks: list[Chunk] = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        para = m.group(0).strip()
        if para:
            chunks.append(Chunk(chunk_id=f"{meta.doc_id}#{len(chunks)}", doc_id=meta.doc_id, text=m.group(0),
                                start=m.start(), end=m.end(), ordinal=len(chunks)))
    meta.chunks = len(chunks)
    return BulletinSource(meta, chunks)


def file_provider(paths: list[Path]) -> DocumentProvider:
    """A document provider over files, filtered like the index would be."""

    def provide(doc_ids: list[str] | None, since: dt.date | None) -> list[BulletinSource]:
        sources = [read_source(p) for p in paths]
        if doc_ids:
            wanted = {_slug(d) for d in doc_ids} | set(doc_ids)
            sources = [s for s in sources if s.meta.doc_id in wanted or s.meta.number in wanted]
        if since:
            sources = [s for s in sources if not s.meta.date or s.meta.date >= since.isoformat()]
        return sources

    return provide
