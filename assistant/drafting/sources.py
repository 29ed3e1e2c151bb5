"""Bulletin sources from plain files, until the document index provides them.

The real source is the document index (a provider callable wired by the
application). ``chibo bulletin --from-files`` uses this fallback: a .txt/.md
file becomes a :class:`BulletinSource` with paragraphs as chunks and a
minimal :class:`DocumentMeta` read from its header (number, type, issuer,
date, title).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from assistant.drafting.bulletin import BulletinSource
from assistant.drafting.extract import decode_bytes
from assistant.drafting.speech import DOC_TYPES
from assistant.errors import NotFound, UnsupportedFormat
from assistant.ingest.model import Chunk, DocumentMeta
from assistant.text.vietnamese import clean_text, strip_accents

DocumentProvider = Callable[[list[str] | None, dt.date | None], list[BulletinSource]]

_NUMBER_RE = re.compile(r"(?<!\w)(\d{1,4})-([A-ZĐ]{1,4})/([A-ZĐ]{1,8})")
_TYPE_LINE = re.compile(r"^(NGHỊ QUYẾT|QUY ĐỊNH|QUYẾT ĐỊNH|CHỈ THỊ|KẾT LUẬN|HƯỚNG DẪN|KẾ HOẠCH|THÔNG BÁO|BÁO CÁO|"
                        r"CÔNG VĂN|BIÊN BẢN)$")
_DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_NOT_ISSUER = ("ĐẢNG CỘNG SẢN VIỆT NAM", "*", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


KNOWN_ISSUERS = {
    "BỘ CHÍNH TRỊ": "Bộ Chính trị", "BAN BÍ THƯ": "Ban Bí thư",
    "BAN CHẤP HÀNH TRUNG ƯƠNG": "Ban Chấp hành Trung ương", "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG": "Văn phòng Trung ương Đảng",
    "BAN TỔ CHỨC TRUNG ƯƠNG": "Ban Tổ chức Trung ương", "BAN TUYÊN GIÁO TRUNG ƯƠNG": "Ban Tuyên giáo Trung ương",
    "ỦY BAN KIỂM TRA TRUNG ƯƠNG": "Ủy ban Kiểm tra Trung ương",
}


def issuer_name(line: str) -> str:
    """Header capitals to running text: "ĐẢNG ỦY XÃ GÒ QUAO" -> "Đảng ủy xã Gò Quao"."""
    from assistant.drafting.draft import display_name

    line = line.strip()
    return KNOWN_ISSUERS.get(line.replace("\u00a0", " "), display_name(line))


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
    text = clean_text(decode_bytes(path.read_bytes()))
    lines = [line.strip() for line in text.split("\n")]
    head = [line for line in lines[:15] if line]
    meta = DocumentMeta(doc_id=_slug(path.stem), source_path=str(path), source_name=path.name, format="text")
    number = _NUMBER_RE.search("\n".join(head))
    if number:
        meta.number = number.group(0)
        meta.type_code = number.group(2)
        meta.doc_type = DOC_TYPES.get(meta.type_code, "").lower()
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
