"""Typed records that flow through ingest and retrieval.

Provenance survives every stage: a loader records page spans over the full
text, the structure parser records character spans of each unit, a chunk
keeps its span and pages, and a search hit keeps the chunk.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PageSpan:
    """Page ``number`` (1-based) covers ``text[start:end]`` of the document."""

    number: int
    start: int
    end: int
    ocr: bool = False
    confidence: float | None = None


@dataclass
class LoadedText:
    """What a loader returns: the document's display text and where pages lie."""

    path: Path
    format: str
    text: str
    pages: list[PageSpan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages and offset >= self.pages[-1].end else None


@dataclass
class DocumentLink:
    """A reference from one document to another ("căn cứ", "thay thế", ...)."""

    relation: str  # based_on | implements | replaces | repeals | amends | mentions
    target_number: str  # normalised, e.g. "124-QĐ/TW"
    text: str  # the sentence fragment it came from


@dataclass
class DocumentMeta:
    """Identity of a document, from its header and title."""

    doc_id: str
    title: str = ""
    number: str = ""  # "57-NQ/TW"
    doc_type: str = ""  # "nghị quyết"
    type_code: str = ""  # "NQ"
    issuer: str = ""
    parent_body: str = ""
    place: str = ""
    date: str = ""  # ISO yyyy-mm-dd
    summary: str = ""
    secrecy: str = ""  # "", "MẬT", "TỐI MẬT", "TUYỆT MẬT"
    circulation: str = ""  # "Lưu hành nội bộ", "Không phổ biến"
    is_sample: bool = False
    source_path: str = ""
    source_name: str = ""
    format: str = ""
    content_hash: str = ""
    pages: int = 0
    articles: int = 0
    chunks: int = 0
    ocr_pages: list[int] = field(default_factory=list)
    ocr_confidence: float | None = None  # mean word confidence (0-100) of OCR'd pages
    warnings: list[str] = field(default_factory=list)
    links: list[DocumentLink] = field(default_factory=list)
    superseded_by: str = ""  # number of the document that replaces this one
    collection: str = "shared"  # shared | restricted

    @property
    def has_articles(self) -> bool:
        """Cited by "Điều"; otherwise by numbered items and sections."""
        return self.articles > 0

    @property
    def display_name(self) -> str:
        """How citations name the document: "Quy định 339-QĐ/TW", "Luật Viên chức"."""
        from assistant.retrieval.citations import document_label

        return document_label(self)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentMeta:
        data = dict(data)
        data["links"] = [DocumentLink(**link) for link in data.get("links", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class StructureUnit:
    """A heading or numbered unit found in the text."""

    kind: str  # phan | chuong | muc | dieu | khoan | diem | section | item
    label: str  # "II", "5", "2", "a", "1.1"
    title: str
    start: int
    end: int  # end of the unit's whole body (set after parsing)
    level: int


@dataclass
class ChunkPart:
    """A clause or point inside a chunk: its labels and document span."""

    article: str
    clause: str
    point: str
    section: str
    start: int
    end: int
    depth: int


@dataclass
class Chunk:
    """A passage for the index, with everything a citation needs."""

    chunk_id: str
    doc_id: str
    text: str  # display text (original spelling), exactly text[start:end] of the document
    start: int
    end: int
    page_start: int | None = None
    page_end: int | None = None
    article: str = ""  # "5" or "9" (Điều)
    clause: str = ""  # "2" (khoản) or "9.3" (Party decimal)
    point: str = ""  # "a" (điểm) or "9.3.2"
    section: str = ""  # guidance sections: "II", "1.1"
    heading_path: list[str] = field(default_factory=list)  # ["Chương II. ...", "Điều 5. ..."]
    context: str = ""  # heading text prepended for embedding/keyword search, not for quoting
    ocr: bool = False
    ordinal: int = 0
    # Numbered units inside a whole-article chunk (clauses, points), so a hit
    # can cite "khoản 2 Điều 5" rather than the whole article.
    parts: list[ChunkPart] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        data = dict(data)
        data["parts"] = [ChunkPart(**p) for p in data.get("parts", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})
