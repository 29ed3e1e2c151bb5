"""Citations are data: a hit carries the fields, the renderer builds the words."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.text.references import format_citation

if TYPE_CHECKING:
    from assistant.ingest.model import Chunk, ChunkPart, DocumentMeta

# Laws are named by title ("Luật Viên chức"), Party texts by type + number.
TITLE_NAMED_TYPES = {"luật", "bộ luật", "hiến pháp", "pháp lệnh"}


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


def document_label(meta: DocumentMeta) -> str:
    """"Quy định 339-QĐ/TW", "Luật Viên chức", or the title / id as a fallback."""
    doc_type = (meta.doc_type or "").strip().lower()
    if doc_type in TITLE_NAMED_TYPES and meta.title:
        return meta.title
    if meta.number:
        return f"{_capitalize(doc_type)} {meta.number}".strip() if doc_type else meta.number
    return meta.title or meta.doc_id


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
        if self.focus_start is None or self.focus_end is None:
            return self.text
        return self.text[self.focus_start - self.start:self.focus_end - self.start]

    @classmethod
    def from_chunk(cls, chunk: Chunk, meta: DocumentMeta, score: float,
                   scores: dict[str, float] | None = None, part: ChunkPart | None = None) -> Hit:
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
        if not self.superseded_by:
            return ""
        return f"{self.number or self.doc_label} đã được thay thế bởi {self.superseded_by}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["superseded_note"] = self.superseded_note
        data["focus_text"] = self.focus_text
        return data
