"""What a finished index must satisfy, checked after normal runs and after crashes."""

from __future__ import annotations

from collections import Counter
from typing import Any


def assert_consistent(index: Any, expected_docs: int | None = None) -> None:
    """Catalog, passages and vectors agree: no duplicates, no orphans, nothing pending, all text covered."""
    catalog = index.catalog
    metas = catalog.documents()
    if expected_docs is not None:
        assert len(metas) == expected_docs, [m.doc_id for m in metas]
    chunks = catalog.chunks()
    ids = Counter(c.chunk_id for c in chunks)
    assert not [cid for cid, n in ids.items() if n > 1], "duplicate chunks"
    assert {m.doc_id for m in metas} == {c.doc_id for c in chunks}
    for meta in metas:
        assert meta.chunks == sum(1 for c in chunks if c.doc_id == meta.doc_id), meta.doc_id
    passages = catalog.passage_ids()
    assert catalog.passage_ids(embedded=False) == set(), "passages left without a vector"
    assert catalog.dropped_ids() == [], "dropped vectors not deleted"
    assert index.vectors.all_ids() == passages, "vector store and catalog disagree"
    assert index.vectors.count() == len(passages)
    covered: set[str] = set()
    for meta in metas:
        text = catalog.document_text(meta.doc_id) or ""
        spans = catalog.passages(meta.doc_id)
        # Windows follow each other without overlap and leave only whitespace between them.
        cursor = 0
        for p in spans:
            assert p.start >= cursor and not text[cursor:p.start].strip(), (meta.doc_id, p)
            cursor = p.end
            covered.update(p.chunk_ids)
        assert not text[cursor:].strip(), meta.doc_id
    assert covered == set(ids), "a chunk no passage maps back to"
