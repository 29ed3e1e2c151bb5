"""Typed records shared by every stage: loaded text, documents, chunks, hits.

Provenance survives every stage: a loader records page spans over the full
text, the structure parser records character spans of each unit, a chunk
keeps its span and pages, and a search hit keeps the chunk. This module
imports only the standard library and ``assistant.text``, never a stage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from assistant.text.references import document_label, format_citation

# The two collections: secret-marked documents never share storage with the rest.
SHARED = "shared"
RESTRICTED = "restricted"


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
        """The page holding character ``offset`` (the last page past the end), or None."""
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
    collection: str = SHARED  # shared | restricted

    @property
    def has_articles(self) -> bool:
        """Cited by "Điều"; otherwise by numbered items and sections."""
        return self.articles > 0

    @property
    def display_name(self) -> str:
        """How citations name the document: "Quy định 339-QĐ/TW", "Luật Viên chức"."""
        return document_label(self)

    def to_dict(self) -> dict[str, Any]:
        """The metadata as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentMeta:
        """Rebuild from :meth:`to_dict` output, ignoring unknown keys."""
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
        """The chunk as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        """Rebuild from :meth:`to_dict` output, ignoring unknown keys."""
        data = dict(data)
        data["parts"] = [ChunkPart(**p) for p in data.get("parts", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Hit:
    """One retrieved passage with everything needed to cite and quote it."""

    chunk_id: str
    doc_id: str
    title: str
    number: str
    doc_type: str
    article: str
    clause: str
    point: str
    section: str
    heading_path: list[str]
    page: int | None
    page_end: int | None
    start: int
    end: int
    score: float
    text: str
    citation: str
    doc_label: str
    superseded_by: str = ""
    ocr: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    # The clause/point inside the passage that answers best (document offsets).
    focus_start: int | None = None
    focus_end: int | None = None

    @property
    def focus_text(self) -> str:
        """The clause or point that answers best, else the whole passage."""
        if self.focus_start is None or self.focus_end is None:
            return self.text
        return self.text[self.focus_start - self.start:self.focus_end - self.start]

    @classmethod
    def from_chunk(cls, chunk: Chunk, meta: DocumentMeta, score: float,
                   scores: dict[str, float] | None = None, part: ChunkPart | None = None) -> Hit:
        """A hit for ``chunk``, cited at ``part`` when a clause or point inside it answers best."""
        label = document_label(meta)
        article, clause, point, section = chunk.article, chunk.clause, chunk.point, chunk.section
        if part is not None:
            article, clause, point, section = part.article, part.clause, part.point, part.section
        return cls(
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=meta.title,
            number=meta.number,
            doc_type=meta.doc_type,
            article=article,
            clause=clause,
            point=point,
            section=section,
            heading_path=list(chunk.heading_path),
            page=chunk.page_start,
            page_end=chunk.page_end,
            start=chunk.start,
            end=chunk.end,
            score=round(float(score), 6),
            text=chunk.text,
            citation=format_citation(article, clause, point, label, section=section,
                                     has_articles=meta.has_articles),
            doc_label=label,
            superseded_by=meta.superseded_by,
            ocr=chunk.ocr,
            scores=scores or {},
            focus_start=part.start if part else None,
            focus_end=part.end if part else None,
        )

    @property
    def superseded_note(self) -> str:
        """"124-QĐ/TW đã được thay thế bởi 366-QĐ/TW", or empty."""
        if not self.superseded_by:
            return ""
        return f"{self.number or self.doc_label} đã được thay thế bởi {self.superseded_by}"

    def to_dict(self) -> dict[str, Any]:
        """The hit as JSON-ready data, with the superseded note and focus text."""
        data = asdict(self)
        data["superseded_note"] = self.superseded_note
        data["focus_text"] = self.focus_text
        return data


class SourceEntry(NamedTuple):
    """What the index knows of an ingested file: its document, content hash and pipeline version."""

    doc_id: str
    content_hash: str
    pipeline_version: str


class TokenCounter(Protocol):
    """Counts tokens as the embedding model will, so chunks fit its window."""

    @property
    def max_tokens(self) -> int:
        """The longest passage, in tokens, the model reads whole."""

    def count_tokens(self, text: str) -> int:
        """Tokens in ``text`` by the model's own tokenizer."""


class DocumentIndex(Protocol):
    """What ingest asks of one collection; ``retrieval.index.Index`` implements it.

    Ingest hands over records and never touches the catalog, the vectors or
    the embedder's output itself. Writing is two steps: :meth:`write_document`
    commits a document for keyword and structure search at once;
    :meth:`complete_vectors` embeds what is missing, now or later.
    """

    collection: str

    @property
    def embedder(self) -> TokenCounter:
        """The embedding model's token counter (chunks are cut to fit it)."""

    def exists(self) -> bool:
        """Whether the collection has been created on disk."""

    def document(self, doc_id: str) -> DocumentMeta | None:
        """One document's metadata, or None."""

    def documents(self) -> list[DocumentMeta]:
        """Every document's metadata in id order."""

    def source_entry(self, source_path: str) -> SourceEntry | None:
        """What is stored for the file at ``source_path``, if anything."""

    def find_by_hash(self, content_hash: str) -> str | None:
        """The id of a document with these file bytes, if any."""

    def manifest(self) -> dict[str, SourceEntry]:
        """Every ingested source path with its entry."""

    def write_document(self, meta: DocumentMeta, text: str, chunks: list[Chunk], *,
                       pipeline_version: str = "") -> tuple[int, int]:
        """Commit (or replace) a document with its text and chunks, stamped with ``pipeline_version``.

        Returns (dense passages, passages whose stored vector is kept because their text did not change).
        """

    def complete_vectors(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed every passage still missing a vector and delete dropped vectors; how many were embedded."""

    def pending_vectors(self) -> int:
        """Vector work left (passages to embed plus vectors to delete); 0 when search has every vector."""

    def update_metas(self, metas: list[DocumentMeta]) -> None:
        """Rewrite document metadata only (e.g. superseded marks)."""

    def remove(self, doc_id: str) -> bool:
        """Delete a document and its vectors; False when there was none."""
