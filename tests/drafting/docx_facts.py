"""Read back the layout facts of a generated DOCX (shared by the DOCX tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.oxml.ns import qn


def open_docx(path: Path) -> Any:
    import docx

    return docx.Document(str(path))


def paragraph_texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def all_text(document: Any) -> str:
    parts = paragraph_texts(document)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def run_fonts(document: Any) -> set[str]:
    fonts = set()
    containers = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                containers += cell.paragraphs
    for paragraph in containers:
        for run in paragraph.runs:
            if run.text.strip():
                rfonts = run._element.rPr.find(qn("w:rFonts"))
                fonts.add(run.font.name)
                fonts.add(rfonts.get(qn("w:eastAsia")))
    return fonts


def has_bottom_rule(paragraph: Any) -> bool:
    ppr = paragraph._p.pPr
    if ppr is None:
        return False
    borders = ppr.find(qn("w:pBdr"))
    return borders is not None and borders.find(qn("w:bottom")) is not None


def bold_runs(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def italic_runs(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.italic for r in runs)
