"""DOCX in the Party layout of Hướng dẫn 36-HD/VPTW (3 April 2018).

A4, Times New Roman; a borderless two-column header table: left the parent
body (capitals, not bold), the issuing body (bold), "*" and the number;
right "ĐẢNG CỘNG SẢN VIỆT NAM" (bold, 15 pt) with a rule beneath and the
place and date in italics. Then the title, the body (14 pt), and signature
blocks in a borderless table ("Nơi nhận" at bottom left for reports).
Placeholders for missing facts are highlighted so nobody signs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.drafting.documents.draft import PLACEHOLDER_RE, Block, DraftDocument
from assistant.errors import ValidationFailed
from assistant.text.vietnamese import strip_accents

FONT = "Times New Roman"
BODY_PT = 14
PARTY_LINE = "ĐẢNG CỘNG SẢN VIỆT NAM"
# Margins from 36-HD/VPTW: top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FORBIDDEN = ("huyen uy", "dang bo huyen")


def _force_font(rpr: Any) -> None:
    """Set the font for every script slot: Word picks "eastAsia"/"cs" for some Vietnamese glyphs."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _docx() -> Any:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a pinned dependency
        from assistant.errors import BackendUnavailable

        raise BackendUnavailable("Thiếu thư viện python-docx", hint="pip install python-docx") from exc
    return docx


def check_no_district(doc: DraftDocument) -> None:
    """The district level is abolished (Quy định 294-QĐ/TW): never print "Huyện ủy"."""
    key = strip_accents(doc.all_text())
    for word in FORBIDDEN:
        if word in key:
            raise ValidationFailed(
                "Văn bản có nhắc \"Huyện ủy\"/\"Đảng bộ huyện\": cấp huyện đã bỏ (Quy định 294-QĐ/TW)",
                hint="sửa tên cấp trên trong cấu hình cell.parent hoặc trong biên bản",
            )


def _set_run_font(run: Any, size: float | None = None, bold: bool | None = None,
                  italic: bool | None = None) -> None:
    from docx.shared import Pt

    run.font.name = FONT
    _force_font(run._element.get_or_add_rPr())
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _write(paragraph: Any, text: str, size: float = BODY_PT, bold: bool = False,
           italic: bool = False) -> None:
    """Add ``text`` as runs; placeholders get a yellow highlight."""
    from docx.enum.text import WD_COLOR_INDEX

    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > pos:
            _set_run_font(paragraph.add_run(text[pos:match.start()]), size, bold, italic)
        run = paragraph.add_run(match.group(0))
        _set_run_font(run, size, bold, True)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        pos = match.end()
    if pos < len(text) or not text:
        _set_run_font(paragraph.add_run(text[pos:]), size, bold, italic)


def _para(container: Any, text: str = "", *, size: float = BODY_PT, bold: bool = False,
          italic: bool = False, align: str = "justify", indent_cm: float = 0.0, after_pt: float = 4) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after_pt)
    if indent_cm:
        fmt.first_line_indent = Cm(indent_cm)
    _write(paragraph, text, size, bold, italic)
    return paragraph


def _bottom_rule(paragraph: Any, inset_cm: float) -> None:
    """A single rule under the paragraph, inset from both sides (the line under the Party name)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "6",
                                                  qn("w:space"): "1", qn("w:color"): "000000"})
    borders.append(bottom)
    ppr.append(borders)
    paragraph.paragraph_format.left_indent = Cm(inset_cm)
    paragraph.paragraph_format.right_indent = Cm(inset_cm)


def _clear_cell(cell: Any) -> None:
    for p in list(cell.paragraphs):
        p._element.getparent().remove(p._element)


def _set_widths(table: Any, widths_cm: list[float]) -> None:
    """Fix column widths in the grid and every cell (LibreOffice reads the grid, Word the cells)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _borderless_table(document: Any, cols: int, widths_cm: list[float]) -> Any:
    table = document.add_table(rows=1, cols=cols)
    _set_widths(table, widths_cm)
    for cell in table.rows[0].cells:
        _clear_cell(cell)
    return table


def _setup(document: Any) -> None:
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _force_font(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(4)


def _header(document: Any, doc: DraftDocument) -> None:
    h = doc.header
    table = _borderless_table(document, 2, [6.5, 10.0])
    left, right = table.rows[0].cells
    _para(left, h.parent, align="center", after_pt=0)
    _para(left, h.issuer, bold=True, align="center", after_pt=0)
    _para(left, "*", align="center", after_pt=2)
    _para(left, h.number, align="center", after_pt=0)
    party = _para(right, PARTY_LINE, size=15, bold=True, align="center", after_pt=6)
    _bottom_rule(party, 0.6)
    _para(right, h.place_date, italic=True, align="right", after_pt=0)


def _block(document: Any, block: Block) -> None:
    from docx.shared import Cm

    if block.kind == "heading":
        p = _para(document, block.text, bold=True, align="left", after_pt=4)
        p.paragraph_format.space_before = Cm(0.15)
    elif block.kind == "bullet":
        mark = "+ " if block.level else "- "
        _para(document, mark + block.text, indent_cm=1.0 + 0.75 * block.level, bold=block.bold, italic=block.italic)
    elif block.kind == "table":
        rows = block.rows
        if not rows:
            return
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        if len(rows[0]) == 4:
            _set_widths(table, [1.2, 8.0, 4.3, 3.0])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = table.rows[r].cells[c]
                _clear_cell(cell)
                _para(cell, value, size=13, bold=r == 0, align="center" if r == 0 or c == 0 else "left", after_pt=0)
        document.add_paragraph()
    else:
        _para(document, block.text, indent_cm=1.0, bold=block.bold, italic=block.italic)


def _signatures(document: Any, doc: DraftDocument) -> None:
    if doc.recipients:
        table = _borderless_table(document, 2, [7.5, 9.0])
        left, right = table.rows[0].cells
        p = _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after_pt=0)
        for recipient in doc.recipients:
            _para(left, f"- {recipient}", size=11, align="left", after_pt=0)
        cells = [right]
        del p
    else:
        table = _borderless_table(document, len(doc.signatures), [16.5 / len(doc.signatures)] * len(doc.signatures))
        cells = list(table.rows[0].cells)
    for cell, sig in zip(cells, doc.signatures, strict=False):
        _para(cell, sig.caption, bold=True, align="center", after_pt=0)
        if sig.title:
            _para(cell, sig.title, bold=True, align="center", after_pt=0)
        for _ in range(3):
            _para(cell, "", align="center", after_pt=0)
        _para(cell, sig.name, bold=True, align="center", after_pt=0)


def render_docx(doc: DraftDocument, path: Path | str) -> Path:
    """Write ``doc`` as a DOCX file; refuses text naming the abolished district level."""
    check_no_district(doc)
    docx = _docx()
    document = docx.Document()
    _setup(document)
    _header(document, doc)
    _para(document, "", after_pt=6)
    _para(document, doc.title, size=15, bold=True, align="center", after_pt=2)
    if doc.summary:
        _para(document, doc.summary, bold=True, align="center", after_pt=2)
    _para(document, "-----", align="center", after_pt=8)
    for block in doc.blocks:
        _block(document, block)
    _para(document, "", after_pt=6)
    _signatures(document, doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.core_properties.title = f"{doc.title} {doc.summary}".strip()
    document.core_properties.author = doc.header.issuer.title() if doc.header.issuer else "Trợ lý Chi bộ"
    document.save(str(path))
    return path
