"""Turn service results into what the components show: HTML, table rows.

Pure functions of data, so they are tested without a server. Every piece of
document text is HTML-escaped before it is marked up.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.ui.i18n import Texts


def nfc(value: Any) -> Any:
    """Text in composed form (NFC): a decomposed "ố" shows its marks detached in many fonts."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def nfc_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """Table rows with every text cell in NFC."""
    return [[nfc(cell) for cell in row] for row in rows]


# An absolute path ("/srv/chibo/data/uploads/a.pdf", "C:\\data\\a.pdf"): its folders are not shown to users.
_PATH = re.compile(r"(?<![\w.:/])(?:[A-Za-z]:\\|/)(?:[^\s/\\'\"()<>]+[/\\])+(?=[^\s/\\'\"()<>])")
# A parenthesised detail in plain ASCII with three words in a row ("(Stream has ended unexpectedly)"): a library's
# English exception text appended to a Vietnamese message. Vietnamese details carry diacritics and stay, and so do
# file names and ids ("(so-tay-dang-vien.md)"), which have no spaces.
_ENGLISH_DETAIL = re.compile(r"\s*\((?=[^()]*?[A-Za-z]{2,} +[A-Za-z]{2,} +[A-Za-z]{2,})[\x20-\x27\x2a-\x7e]*\)")
# An operating-system error appended to a message (": [Errno 13] Permission denied: '…'").
_OS_ERROR = re.compile(r":?\s*\[(?:Errno|WinError) \d+\][^;\n]*")


def plain_text(message: str) -> str:
    """A message as users may see it: no server folders (a path keeps its file name), no English detail."""
    return _OS_ERROR.sub("", _ENGLISH_DETAIL.sub("", _PATH.sub("", message or ""))).strip()


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
        warnings = [plain_text(w) for w in m.warnings]
        if m.superseded_by:
            warnings.append(f"đã bị thay thế bởi {m.superseded_by}")
        rows.append([m.doc_id, m.number, m.doc_type, m.title, _date(m.date), m.pages, m.articles, m.chunks,
                     "; ".join(warnings)])
    return nfc_rows(rows)


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
        rows.append([Path(r.path).name, status, r.chunks, "; ".join(plain_text(n) for n in notes)])
    return nfc_rows(rows)


def _count(n: int, t: Texts) -> str:
    """A count with thousands grouped as the language writes them: 1.234 in Vietnamese, 1,234 in English."""
    grouped = f"{int(n):,}"
    return grouped if t.language == "en" else grouped.replace(",", ".")


def vector_status_line(status: dict[str, Any] | None, t: Texts) -> str:
    """The documents tab's line on search readiness: keywords ready; meaning search N/M passages and its state."""
    if not status or not status.get("passages"):
        return ""
    pending = int(status.get("pending") or 0)
    if status.get("working") and pending:
        state = t("docs.vectors.working")
    elif not pending:
        state = t("docs.vectors.done")
    elif status.get("error"):
        state = t("docs.vectors.failed")
    else:
        state = t("docs.vectors.waiting")
    return t("docs.vectors.line", done=_count(status.get("embedded") or 0, t), total=_count(status["passages"], t),
             state=state)


CHECK_COLUMNS = ("col.check", "col.ok", "col.detail", "col.hint")


def check_rows(checks: Iterable[Any], t: Texts) -> list[list[str]]:
    """One row per doctor check; a failed optional check reads differently from a failed required one."""
    rows = []
    for c in checks:
        state = t("check.ok") if c.ok else (t("check.fail") if c.required else t("check.optional"))
        rows.append([c.name, ("✔ " if c.ok else "✘ ") + state, c.detail, "" if c.ok else c.hint])
    return nfc_rows(rows)


def columns(t: Texts, keys: Iterable[str]) -> list[str]:
    """Translated column headers for a table whose columns are given as text keys."""
    return [t(k) for k in keys]


def _date(iso: str) -> str:
    """An ISO date as dd/mm/yyyy; anything else unchanged."""
    if iso and len(iso) == 10 and iso[4] == "-" and iso[7] == "-":
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
    return iso or ""


# -- study chat -------------------------------------------------------------------------------------------
def answer_markdown(answer: Any, t: Texts, lead_prefix: str = "") -> str:
    """The answer as the chat shows it: the model's verified lead in a marked box, then the verbatim part."""
    text = nfc(answer.text or "")
    lead = nfc(getattr(answer, "lead", "") or "")
    quoted = text
    if lead:
        # Answer.text is "<label> <lead>\n\n<quotes>": the lead is shown in its own box instead.
        head, sep, rest = text.partition("\n\n")
        quoted = rest if sep and lead in head else text.replace(lead, "", 1)
        if lead_prefix and quoted.startswith(lead_prefix):
            quoted = quoted[len(lead_prefix):].lstrip()
    parts = []
    if lead:
        parts.append(f'<div class="chibo-lead"><span class="chibo-lead-label">{html.escape(t("ask.lead_label"))}'
                     f'</span>{html.escape(lead)}</div>\n')
        parts.append(f"**{t('ask.quotes_label')}**\n")
    parts.append(quoted.strip())
    mode = getattr(answer, "mode", "")
    if mode in ("extractive", "generative", "refusal"):
        parts.append(f"\n*{t('ask.mode.' + mode)}*")
    return "\n".join(parts)


# -- documents --------------------------------------------------------------------------------------------
def document_detail_html(meta: Any, t: Texts) -> str:
    """One document's catalog entry as a small table of Vietnamese labels (no raw data)."""
    if meta is None:
        return f'<p class="chibo-note">{html.escape(t("docs.detail_empty"))}</p>'
    rows = [("doc.number", meta.number), ("doc.type", meta.doc_type), ("doc.title", meta.title),
            ("doc.issuer", meta.issuer), ("doc.date", _date(meta.date)), ("doc.pages", meta.pages),
            ("doc.articles", meta.articles), ("doc.chunks", meta.chunks), ("doc.file", meta.source_name),
            ("doc.superseded", meta.superseded_by)]
    cells = "".join(f"<tr><th>{html.escape(t(key))}</th><td>{html.escape(nfc(str(value)))}</td></tr>"
                    for key, value in rows if value not in ("", None, 0))
    warnings = [nfc(plain_text(w)) for w in getattr(meta, "warnings", []) or []]
    listed = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    warn = (f'<tr><th>{html.escape(t("doc.warnings"))}</th><td><ul class="chibo-items">{listed}</ul></td></tr>'
            if warnings else "")
    return f'<table class="chibo-facts">{cells}{warn}</table>'


# -- notes beside what was read from them ----------------------------------------------------------------
def notes_html(lines: list[str], prefix: str) -> str:
    """The notes as a numbered list; line N has the id ``{prefix}-line-N`` for the found items to point at."""
    if not lines:
        return ""
    items = "".join(f'<li id="{prefix}-line-{n}" value="{n}">{html.escape(nfc(line)) or "&nbsp;"}</li>'
                    for n, line in enumerate(lines, 1))
    return f'<ol class="chibo-notes">{items}</ol>'


def _line_link(line: int | None, prefix: str, t: Texts) -> str:
    if not line:
        return ""
    return (f'<a class="chibo-line" href="#{prefix}-line-{line}" data-line="{line}">'
            f'({html.escape(t("draft.line", line=line))})</a>')


def found_items_html(record: Any, t: Texts, prefix: str) -> str:
    """What was read from the notes, grouped, each item with a link to its source line."""
    if record is None:
        return f'<p class="chibo-note">{html.escape(t("draft.found_empty"))}</p>'
    lines = getattr(record, "field_lines", {}) or {}
    groups: list[tuple[str, list[tuple[str, int | None]]]] = []

    def person(p: Any) -> str:
        return p.label() if p is not None else ""

    header = [(f"{t('minutes.number')}: {record.number}", lines.get("number")) if record.number else None,
              (f"{t('minutes.date')}: {record.date.strftime('%d/%m/%Y')}", lines.get("date")) if record.date else None,
              (f"{t('minutes.start')}: {record.start_time.strftime('%H:%M')}", lines.get("start_time"))
              if record.start_time else None,
              (f"{t('minutes.end')}: {record.end_time.strftime('%H:%M')}", lines.get("end_time"))
              if record.end_time else None,
              (f"{t('minutes.place')}: {record.place}", lines.get("place")) if record.place else None,
              (f"{t('minutes.chair')}: {person(record.chair)}", lines.get("chair") or getattr(record.chair, "line", None))
              if record.chair else None,
              (f"{t('minutes.taker')}: {person(record.secretary)}",
               lines.get("secretary") or getattr(record.secretary, "line", None)) if record.secretary else None]
    groups.append(("draft.group.header", [h for h in header if h]))
    att = record.attendance
    counts = [f"{t(label)} {value}" for label, value in (("minutes.total", att.total), ("minutes.full", att.full),
                                                        ("minutes.probationary", att.probationary),
                                                        ("minutes.present", att.present)) if value is not None]
    attendance: list[tuple[str, int | None]] = []
    if counts:
        attendance.append(("; ".join(counts), lines.get("attendance") or att.line))
    attendance += [(f"{t('draft.absent_excused')}: {a.name}" + (f" ({a.reason})" if a.reason else ""), a.line)
                   for a in att.absent_excused]
    attendance += [(f"{t('draft.absent_unexcused')}: {a.name}", a.line) for a in att.absent_unexcused]
    groups.append(("draft.group.attendance", attendance))
    groups.append(("draft.group.agenda", [(i.text, i.line) for i in [*record.agenda, *record.proceedings]]))
    groups.append(("draft.group.opinions", [(f"{o.speaker}: {o.content}", o.line) for o in record.opinions]))
    groups.append(("draft.group.conclusions", [(i.text, i.line) for i in record.conclusions]))
    groups.append(("draft.group.votes", [(f"{v.question or '…'}: {v.in_favour if v.in_favour is not None else '…'}"
                                          f"/{v.out_of if v.out_of is not None else '…'}", v.line)
                                         for v in record.votes]))
    groups.append(("draft.group.tasks", [(f"{task.what} — {task.owner or '…'}"
                                          + (f", {task.deadline.strftime('%d/%m/%Y')}" if task.deadline
                                             else (f", {task.deadline_text}" if task.deadline_text else "")),
                                          task.line) for task in record.tasks]))
    out = []
    for key, items in groups:
        if not items:
            continue
        out.append(f"<h4>{html.escape(t(key))}</h4>")
        out += [f"<li>{html.escape(nfc(text))} {_line_link(line, prefix, t)}</li>" for text, line in items]
    if not out:
        return f'<p class="chibo-note">{html.escape(t("draft.nothing"))}</p>'
    return f'<ul class="chibo-items">{"".join(out)}</ul>'


# -- system -----------------------------------------------------------------------------------------------
def check_overview(checks: Iterable[Any], t: Texts) -> str:
    """One line a non-technical admin can read: how many components are ready, which required ones are not."""
    checks = list(checks)
    ok = sum(1 for c in checks if c.ok)
    failed = [c.name for c in checks if not c.ok and c.required]
    extra = t("system.failed_list", names=", ".join(failed)) if failed else ""
    return t("system.overview", ok=ok, total=len(checks), failed=extra)
