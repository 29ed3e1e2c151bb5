"""Structure-aware chunking: one article or clause per chunk where it fits.

The embedding model truncates silently past its token limit, so a unit is
kept whole only when its text plus its heading context fit the model's own
tokenizer budget; otherwise it is split along its children (clauses, then
points), and only a leaf that is still too long is cut into overlapping
sentence windows. Chapters and other containers never become chunks of
their own: a citation must point at an article, clause or point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.records import Chunk, ChunkPart, DocumentMeta, LoadedText, StructureUnit
from assistant.text.vietnamese import sentence_spans

CONTAINER_KINDS = {"phan", "chuong", "muc", "tieumuc"}
TokenCounter = Callable[[str], int]


@dataclass
class _Node:
    unit: StructureUnit | None
    start: int
    end: int
    children: list[_Node] = field(default_factory=list)


def build_tree(units: list[StructureUnit], length: int) -> _Node:
    """Nest units by level and span under a root covering the whole text."""
    root = _Node(None, 0, length)
    stack: list[_Node] = [root]
    for unit in sorted(units, key=lambda u: (u.start, u.level)):
        node = _Node(unit, unit.start, min(unit.end, length))
        while len(stack) > 1 and (
            stack[-1].unit is not None and (stack[-1].unit.level >= unit.level or unit.start >= stack[-1].end)
        ):
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root


def heading_line(unit: StructureUnit) -> str:
    """"Điều 5. Trách nhiệm", "Chương II": how a heading reads in a chunk's context."""
    names = {"phan": "Phần", "chuong": "Chương", "muc": "Mục", "tieumuc": "Tiểu mục", "dieu": "Điều",
             "khoan": "Khoản", "diem": "Điểm"}
    name = names.get(unit.kind)
    head = f"{name} {unit.label}" if name else unit.label
    return f"{head}. {unit.title}".strip(". ") if unit.title else head


@dataclass
class _Labels:
    article: str = ""
    clause: str = ""
    point: str = ""
    section: str = ""

    def with_unit(self, unit: StructureUnit, has_articles: bool) -> _Labels:
        labels = _Labels(self.article, self.clause, self.point, self.section)
        kind = unit.kind
        if kind == "dieu":
            labels.article, labels.clause, labels.point = unit.label, "", ""
        elif kind == "khoan":
            labels.clause, labels.point = unit.label, ""
        elif kind == "diem":
            labels.point = unit.label
        elif kind == "section":
            labels.section = unit.label
            if not has_articles:
                labels.article = ""
        elif kind == "item" and not has_articles:
            # Documents without "Điều" are cited by their numbered items ("1.1").
            if not labels.article or "." in unit.label:
                labels.article = unit.label
            labels.clause = labels.point = ""
        elif kind == "item":
            labels.clause = unit.label
        return labels


class Chunker:
    """``(LoadedText, DocumentMeta, units) -> list[Chunk]``."""

    def __init__(self, count_tokens: TokenCounter, max_tokens: int, *, overlap_sentences: int = 1) -> None:
        # Keep a margin for special tokens and the heading context.
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.overlap_sentences = overlap_sentences

    def __call__(self, loaded: LoadedText, meta: DocumentMeta, units: list[StructureUnit]) -> list[Chunk]:
        text = loaded.text
        self._text = text
        self._loaded = loaded
        self._meta = meta
        self._doc_label = meta.display_name
        self._has_articles = any(u.kind == "dieu" for u in units)
        self._ocr_pages = {p.number for p in loaded.pages if p.ocr}
        self._chunks: list[Chunk] = []
        root = build_tree(units, len(text))
        self._emit_children(root, [], _Labels())
        for i, chunk in enumerate(self._chunks):
            chunk.ordinal = i
            chunk.chunk_id = f"{meta.doc_id}:{meta.content_hash[:12]}:{i:05d}"
        return self._chunks

    # -- traversal -----------------------------------------------------------
    def _emit_children(self, node: _Node, path: list[str], labels: _Labels) -> None:
        """Emit the node's own text before/between children, then each child."""
        cursor = node.start
        if node.unit is not None:
            # The heading line belongs to the node, not to the gap text.
            cursor = self._line_end(node.start)
        title = node.unit.title if node.unit is not None else ""
        for child in node.children:
            if child.start > cursor:
                self._emit_span(cursor, child.start, path, labels, title=title)
            self._emit_node(child, path, labels)
            cursor = max(cursor, child.end)
        if cursor < node.end:
            self._emit_span(cursor, node.end, path, labels, title=title)

    def _emit_node(self, node: _Node, path: list[str], labels: _Labels) -> None:
        assert node.unit is not None
        unit = node.unit
        labels = labels.with_unit(unit, self._has_articles)
        child_path = [*path, heading_line(unit)]
        if unit.kind in CONTAINER_KINDS:
            self._emit_children(node, child_path, labels)
            return
        if self._fits(node.start, node.end, path):
            self._add(node.start, node.end, path, labels, self._parts(node, labels))
            return
        if node.children:
            # The unit's lead-in (e.g. "Điều 5. ... gồm:") becomes context for its parts.
            self._emit_children(node, child_path, labels)
            return
        self._emit_windows(node.start, node.end, path, labels)

    # -- spans ---------------------------------------------------------------
    def _emit_span(self, start: int, end: int, path: list[str], labels: _Labels, *, title: str = "") -> None:
        start, end = self._strip(start, end)
        if end <= start:
            return
        if title and self._text[start:end].strip(" .:").casefold() == title.strip(" .:").casefold():
            # A heading title on its own line ("Chương I" / "QUY ĐỊNH CHUNG") is context, not a passage.
            return
        if self._fits(start, end, path):
            self._add(start, end, path, labels)
            return
        # Unstructured text: pack paragraphs, then sentences.
        self._emit_windows(start, end, path, labels)

    def _emit_windows(self, start: int, end: int, path: list[str], labels: _Labels) -> None:
        pieces = self._sentences(start, end)
        i = 0
        while i < len(pieces):
            j = i + 1
            while j < len(pieces) and self._fits(pieces[i][0], pieces[j][1], path):
                j += 1
            self._add(pieces[i][0], pieces[j - 1][1], path, labels)
            if j >= len(pieces):
                break
            # Overlap one sentence so a statement cut at the boundary is whole somewhere.
            i = max(j - self.overlap_sentences, i + 1)

    def _sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        spans = [(start + s, start + e) for s, e in sentence_spans(self._text[start:end])]
        # A single sentence longer than the budget is cut by words.
        out: list[tuple[int, int]] = []
        for s, e in spans:
            if self._fits(s, e, []):
                out.append((s, e))
            else:
                out.extend(self._word_windows(s, e))
        return out

    def _word_windows(self, start: int, end: int) -> list[tuple[int, int]]:
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self._text[start:end])]
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            j = i + 1
            while j < len(words) and self._fits(start + words[i][0], start + words[j][1], []):
                j += 1
            out.append((start + words[i][0], start + words[j - 1][1]))
            i = j
        return out

    # -- helpers -------------------------------------------------------------
    def _context(self, path: list[str]) -> str:
        return " | ".join([self._doc_label, *path]) if self._doc_label else " | ".join(path)

    def _fits(self, start: int, end: int, path: list[str]) -> bool:
        text = self._context(path) + "\n" + self._text[start:end]
        return self.count_tokens(text) <= self.max_tokens

    def _strip(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return start, end

    def _line_end(self, pos: int) -> int:
        nl = self._text.find("\n", pos)
        return len(self._text) if nl == -1 else nl

    def _parts(self, node: _Node, labels: _Labels, depth: int = 1) -> list[ChunkPart]:
        parts: list[ChunkPart] = []
        for child in node.children:
            assert child.unit is not None
            child_labels = labels.with_unit(child.unit, self._has_articles)
            start, end = self._strip(child.start, child.end)
            parts.append(ChunkPart(child_labels.article, child_labels.clause, child_labels.point,
                                   child_labels.section, start, end, depth))
            parts.extend(self._parts(child, child_labels, depth + 1))
        return parts

    def _add(self, start: int, end: int, path: list[str], labels: _Labels,
             parts: list[ChunkPart] | None = None) -> None:
        start, end = self._strip(start, end)
        if end <= start:
            return
        page_start = self._loaded.page_at(start)
        page_end = self._loaded.page_at(end - 1)
        self._chunks.append(Chunk(
            chunk_id="",
            doc_id=self._meta.doc_id,
            text=self._text[start:end],
            start=start,
            end=end,
            page_start=page_start,
            page_end=page_end,
            article=labels.article,
            clause=labels.clause,
            point=labels.point,
            section=labels.section,
            heading_path=list(path),
            context=self._context(path),
            ocr=page_start in self._ocr_pages,
            parts=parts or [],
        ))
