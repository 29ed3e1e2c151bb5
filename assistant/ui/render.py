"""Turn service results into what the components show: HTML, table rows.

Pure functions of data, so they are tested without a server. Every piece of
document text is HTML-escaped before it is marked up.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.ui.i18n import Texts


def _spans(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of each quote inside ``text``, merged and sorted."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        quote = quote.strip()
        if not quote:
            continue
        start = text.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, quotes: Iterable[str]) -> str:
    """Escape ``text`` and wrap each verbatim quote in <mark>."""
    out, pos = [], 0
    for start, end in _spans(text, quotes):
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def _unit(hit: Any) -> str:
    parts = []
    if hit.article:
        parts.append(f"Điều {html.escape(hit.article)}")
    if hit.clause:
        parts.append(f"khoản {html.escape(hit.clause)}")
    if hit.point:
        parts.append(f"điểm {html.escape(hit.point)}")
    if not parts and hit.section:
        parts.append(f"mục {html.escape(hit.section)}")
    return ", ".join(parts)


def sources_html(answer: Any, t: Texts) -> str:
    """The cited passages beside the answer: citation, unit, page, text with the quotes marked."""
    sources = list(getattr(answer, "sources", []) or [])
    if not sources:
        return f'<div class="chibo-sources-empty">{html.escape(t("ask.sources_empty"))}</div>'
    cards = [f'<p class="chibo-note">{html.escape(t("ask.quoted"))}</p>']
    for source in sources:
        hit = source.hit
        meta = [m for m in (_unit(hit), t("ask.page", page=hit.page) if hit.page else "",
                            t("ask.scanned") if getattr(hit, "ocr", False) else "") if m]
        note = (f'<div class="chibo-superseded">⚠ {html.escape(t("ask.superseded", note=hit.superseded_note))}</div>'
                if hit.superseded_note else "")
        cards.append(
            f'<div class="chibo-source" id="source-{source.marker}" data-doc="{html.escape(hit.doc_id)}">'
            f'<div class="chibo-citation"><b>[{source.marker}]</b> {html.escape(hit.citation)}</div>'
            f'<div class="chibo-unit">{" · ".join(meta)}</div>{note}'
            f'<blockquote class="chibo-passage">{highlight(hit.text, source.quotes)}</blockquote></div>'
        )
    return "\n".join(cards)


def answer_payload(answer: Any) -> dict[str, Any]:
    """What API callers get: the answer and, for each source, its citation fields and quotes."""
    return {
        "question": answer.question,
        "resolved_question": answer.resolved_question,
        "answer": answer.text,
        "mode": answer.mode,
        "refused": answer.refused,
        "sources": [
            {"marker": s.marker, "citation": s.hit.citation, "doc_id": s.hit.doc_id, "number": s.hit.number,
             "article": s.hit.article, "clause": s.hit.clause, "point": s.hit.point, "page": s.hit.page,
             "quotes": s.quotes, "text": s.hit.text, "superseded_note": s.hit.superseded_note}
            for s in answer.sources
        ],
    }


def document_choices(metas: Iterable[Any]) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for dropdowns, sorted by label."""
    out = []
    for meta in metas:
        label = meta.display_name
        if meta.title and meta.title != label:
            label = f"{label} — {meta.title}"
        out.append((label[:120], meta.doc_id))
    return sorted(out, key=lambda pair: pair[0].lower())


def document_types(metas: Iterable[Any]) -> list[str]:
    """The distinct document types present (nghị quyết, quy định…), sorted, for the type filter."""
    return sorted({m.doc_type for m in metas if m.doc_type})


DOC_COLUMNS = ("col.id", "col.number", "col.type", "col.title", "col.date", "col.pages", "col.articles",
               "col.chunks", "col.warnings")


def document_rows(metas: Iterable[Any], query: str = "") -> list[list[Any]]:
    """One row per document; ``query`` keeps those whose id, number or title contains it (any case)."""
    needle = query.strip().lower()
    rows = []
    for m in sorted(metas, key=lambda m: m.doc_id):
        haystack = f"{m.doc_id} {m.number} {m.title} {m.doc_type} {m.source_name}".lower()
        if needle and needle not in haystack:
            continue
        warnings = list(m.warnings)
        if m.superseded_by:
            warnings.append(f"đã bị thay thế bởi {m.superseded_by}")
        rows.append([m.doc_id, m.number, m.doc_type, m.title, m.date, m.pages, m.articles, m.chunks,
                     "; ".join(warnings)])
    return rows


INGEST_COLUMNS = ("col.file", "col.status", "col.chunks", "col.note")


def ingest_rows(report: Any, t: Texts) -> list[list[Any]]:
    """One row per file of an ingest report: name, translated status, chunks, reason and warnings."""
    rows = []
    for r in report.results:
        key = f"status.{r.status}"
        status = t(key) if r.status in ("ingested", "replaced", "unchanged", "duplicate", "skipped", "failed",
                                        "removed") else r.status
        notes = [r.reason] if r.reason else []
        notes.extend(r.warnings)
        rows.append([Path(r.path).name, status, r.chunks, "; ".join(notes)])
    return rows


CHECK_COLUMNS = ("col.check", "col.ok", "col.detail", "col.hint")


def check_rows(checks: Iterable[Any], t: Texts) -> list[list[str]]:
    """One row per doctor check; a failed optional check reads differently from a failed required one."""
    rows = []
    for c in checks:
        state = t("check.ok") if c.ok else (t("check.fail") if c.required else t("check.optional"))
        rows.append([c.name, ("✔ " if c.ok else "✘ ") + state, c.detail, "" if c.ok else c.hint])
    return rows


def columns(t: Texts, keys: Iterable[str]) -> list[str]:
    """Translated column headers for a table whose columns are given as text keys."""
    return [t(k) for k in keys]
