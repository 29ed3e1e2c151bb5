"""Render the sample corpus: corpus-src/<id>.txt -> corpus/<id>.{pdf,docx,txt,md}.

Every document in corpus-src was written by the project team for testing; none is an
official text. The sources are plain UTF-8 text in reading order (see corpus/README.md for
the conventions); this script lays them out the way a Party document looks in each format,
so the ingest pipeline meets PDF, Word, plain-text (UTF-8 and Windows-1258) and Markdown
files with the same structure.

Deterministic: fixed metadata, no timestamps, fixed zip entry dates, so a rebuild with the
same fonts and library versions gives the same bytes.

    .venv/bin/python scripts/build_corpus.py            # writes into corpus/
    .venv/bin/python scripts/build_corpus.py --out /tmp/c
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "corpus-src"
OUT_DIR = ROOT / "corpus"

MARKER = "[TÀI LIỆU MẪU – do nhóm phát triển Trợ lý Chi bộ soạn để thử nghiệm, không phải văn bản chính thức]"
FORMATS = ("pdf", "docx", "txt", "md")
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
AUTHOR = "Nhóm phát triển Trợ lý Chi bộ (tài liệu mẫu)"
SUBJECT = "Tài liệu mẫu – không phải văn bản chính thức"


@dataclass(frozen=True)
class Output:
    """How one document is rendered."""

    fmt: str
    encoding: str = "utf-8"  # txt only: "utf-8", "utf-8-sig" or "cp1258"
    newline: str = "\n"  # txt only
    header_table: bool = True  # docx: header in a borderless table (as Word templates do)
    word_numbered_dashes: bool = False  # docx: "- " body lines become Word auto-numbered paragraphs


DOCS: dict[str, Output] = {
    "339-qd-tw-so-tay-dang-vien": Output("pdf"),
    "57-nq-tw-khoa-hoc-cong-nghe": Output("pdf"),
    "42-hd-btctw-sinh-hoat-chi-bo": Output("pdf"),
    "15-nq-du-chuyen-doi-so": Output("pdf"),
    "124-qd-tw-kiem-diem-cu": Output("pdf"),
    "366-qd-tw-danh-gia-xep-loai": Output("docx"),
    "50-ct-tw-sinh-hoat-chi-bo": Output("docx", header_table=False),
    "168-kh-vptw-trien-khai-so-tay": Output("docx", word_numbered_dashes=True),
    "05-bb-cb-sinh-hoat-thang-12": Output("docx", word_numbered_dashes=True),
    "09-qd-du-bai-bo-tai-lieu-giay": Output("docx", header_table=False),
    "12-bc-cb-bao-cao-thang-11": Output("txt", encoding="cp1258", newline="\r\n"),
    "372-qd-tw-sua-doi-338": Output("txt"),
    "08-hd-du-su-dung-so-tay": Output("txt", encoding="utf-8-sig"),
    "338-qd-tw-thu-tuc-truc-tuyen": Output("md"),
    "27-tb-du-so-tay-dang-vien": Output("md"),
    "20-2023-qh15-luat-giao-dich-dien-tu": Output("md"),
}


# --------------------------------------------------------------------------- parsing


@dataclass
class Parsed:
    """A source document split into the parts the layout treats differently."""

    doc_id: str
    text: str
    left: list[str] = field(default_factory=list)  # parent body ..., issuing body
    national: list[str] = field(default_factory=list)  # "ĐẢNG CỘNG SẢN VIỆT NAM" (+ motto)
    star: bool = False
    number: str = ""
    place_date: str = ""
    title: list[str] = field(default_factory=list)  # type name, then the summary line(s)
    body: list[str] = field(default_factory=list)
    signatures: list[list[str]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


CLOSING_RE = re.compile(r"^(T/M |K/T |T/L |THƯ KÝ$|CHỦ TRÌ$|CHỦ TỊCH QUỐC HỘI$|Nơi nhận:)")


def parse(doc_id: str, text: str) -> Parsed:
    lines = text.split("\n")
    if lines[0] != MARKER:
        raise ValueError(f"{doc_id}: first line must be the sample marker")
    doc = Parsed(doc_id, text)
    i = 1
    header: list[str] = []
    while lines[i].strip():
        header.append(lines[i])
        i += 1
    nat = next(k for k, h in enumerate(header) if h == "ĐẢNG CỘNG SẢN VIỆT NAM" or h.startswith("CỘNG HÒA"))
    doc.left = header[:nat]
    for h in header[nat:]:
        if h == "*":
            doc.star = True
        elif h.startswith(("Số ", "Luật số")):
            doc.number = h
        elif ", ngày " in h:
            doc.place_date = h
        else:
            doc.national.append(h)
    i += 1
    while lines[i].strip():
        doc.title.append(lines[i])
        i += 1
    rest = lines[i + 1 :]
    end = next((k for k, line in enumerate(rest) if CLOSING_RE.match(line)), len(rest))
    doc.body = rest[:end]
    group: list[str] = []
    for line in [*rest[end:], ""]:
        if line.strip():
            group.append(line)
        elif group:
            if group[0] == "Nơi nhận:":
                doc.recipients = group[1:]
            else:
                doc.signatures.append(group)
            group = []
    return doc


@dataclass(frozen=True)
class Block:
    kind: str  # chapter, chapter_title, article, section, heading, item, point, dash, basis, decree, para, table
    text: str = ""
    depth: int = 0  # heading depth: "1." = 1, "1.1." = 2 ...
    rows: tuple[tuple[str, ...], ...] = ()


NUM_RE = re.compile(r"^(\d+(?:\.\d+)*)\.\s")


def blocks(body: list[str]) -> Iterator[Block]:
    """Classify body lines; the same classification drives every output format."""
    table: list[tuple[str, ...]] = []
    after_chapter = False
    for line in [*body, ""]:
        if line.startswith("|"):
            cells = tuple(c.strip() for c in line.strip().strip("|").split("|"))
            if not all(set(c) <= {"-", ":"} for c in cells):
                table.append(cells)
            continue
        if table:
            yield Block("table", rows=tuple(table))
            table = []
        if not line.strip():
            continue
        if after_chapter:
            after_chapter = False
            yield Block("chapter_title", line)
        elif re.match(r"^Chương [IVXLC]+$", line):
            after_chapter = True
            yield Block("chapter", line)
        elif re.match(r"^Điều \d+\.", line):
            yield Block("article", line)
        elif re.match(r"^[IVXLC]+- ", line):
            yield Block("section", line)
        elif m := NUM_RE.match(line):
            is_heading = len(line) < 160 and not line.rstrip().endswith((".", ";", ":", ","))
            yield Block("heading" if is_heading else "item", line, depth=m.group(1).count(".") + 1)
        elif re.match(r"^[a-zđ]\) ", line):
            yield Block("point", line)
        elif re.match(r"^- (Căn cứ|Xét đề nghị)|^Căn cứ ", line):
            yield Block("basis", line)
        elif line.startswith("- "):
            yield Block("dash", line)
        elif line.endswith(":") and line == line.upper():
            yield Block("decree", line)
        else:
            yield Block("para", line)


def article_head(text: str) -> tuple[str, str]:
    """Split "Điều 3. Quyết định này ..." into the bold part and the rest (untitled articles)."""
    m = re.match(r"^(Điều \d+\.)\s*(.*)$", text)
    assert m
    if text.rstrip().endswith("."):
        return m.group(1), m.group(2)
    return text, ""


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 holds only some precomposed Vietnamese letters: the rest need the base letter
    (with its circumflex, breve or horn) followed by a combining tone mark, as Vietnamese
    Windows software writes them."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        marks = "".join(c for c in decomposed if c in tones)
        out += (base + marks).encode("cp1258")
    data = bytes(out)
    if unicodedata.normalize("NFC", data.decode("cp1258")) != unicodedata.normalize("NFC", text):
        raise ValueError("text does not round-trip through cp1258")
    return data


def render_txt(doc: Parsed, out: Output) -> bytes:
    text = doc.text.replace("\n", out.newline)
    if out.encoding == "cp1258":
        return encode_cp1258(text)
    return text.encode(out.encoding)


def render_md(doc: Parsed, out: Output) -> bytes:
    parts: list[str] = [MARKER]
    head = [*doc.left[:-1], f"**{doc.left[-1]}**"] if doc.left else []
    head += [f"**{n}**" if n.isupper() else n for n in doc.national]
    head += ["*"] if doc.star else []
    head += [doc.number] if doc.number else []
    head += [f"*{doc.place_date}*"] if doc.place_date else []
    parts.append("  \n".join(head))
    kind, summary = doc.title[0], doc.title[1:]
    parts.append(f"# {kind}")
    if summary:
        parts.append("  \n".join(f"**{s}**" for s in summary))
    dashes: list[str] = []
    for b in blocks(doc.body):
        if b.kind in ("dash", "basis") and b.text.startswith("- "):
            dashes.append(b.text)
            continue
        if dashes:
            parts.append("\n".join(dashes))
            dashes = []
        if b.kind in ("chapter", "section"):
            parts.append(f"## {b.text}")
        elif b.kind == "chapter_title":
            parts.append(f"**{b.text}**")
        elif b.kind == "article":
            bold, rest = article_head(b.text)
            parts.append(f"### {bold}" if not rest else f"**{bold}** {rest}")
        elif b.kind == "heading":
            parts.append(f"{'#' * min(6, 2 + b.depth)} {b.text}")
        elif b.kind == "decree":
            parts.append(f"**{b.text}**")
        elif b.kind == "basis":
            parts.append(f"*{b.text}*")
        elif b.kind == "table":
            header, *rows = b.rows
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(r) + " |" for r in rows]
            parts.append("\n".join(lines))
        else:
            parts.append(b.text)
    if dashes:
        parts.append("\n".join(dashes))
    for sig in doc.signatures:
        parts.append("  \n".join(f"*{s}*" if s.startswith("(") else f"**{s}**" for s in sig))
    if doc.recipients:
        parts.append("**Nơi nhận:**\n" + "\n".join(doc.recipients))
    return ("\n\n".join(parts) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- PDF


def _find_font(names: list[str]) -> str:
    for directory in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"):
        for name in names:
            path = Path(directory) / name
            if path.exists():
                return str(path)
    raise SystemExit(
        f"font {names[0]} not found: install the Debian package fonts-dejavu-core "
        "(Liberation fonts in older Debian releases lack Vietnamese glyphs)"
    )


def _register_fonts() -> str:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    family = "DejaVuSerif"
    if family in pdfmetrics.getRegisteredFontNames():
        return family
    variants = {
        family: "DejaVuSerif.ttf",
        f"{family}-Bold": "DejaVuSerif-Bold.ttf",
        f"{family}-Italic": "DejaVuSerif-Italic.ttf",
        f"{family}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    }
    for name, file in variants.items():
        pdfmetrics.registerFont(TTFont(name, _find_font([file])))
    addMapping(family, 0, 0, family)
    addMapping(family, 1, 0, f"{family}-Bold")
    addMapping(family, 0, 1, f"{family}-Italic")
    addMapping(family, 1, 1, f"{family}-BoldItalic")
    return family


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_pdf(doc: Parsed, out: Output) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1
    font = _register_fonts()
    size = 12.5

    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {"fontName": font, "fontSize": size, "leading": size * 1.35}
        base.update(kw)
        return ParagraphStyle(name, **base)  # type: ignore[arg-type]

    body = style("body", alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=3)
    center = style("center", alignment=TA_CENTER)
    head_center = style("head_center", alignment=TA_CENTER, fontSize=11.5, leading=15)
    bold_center = style("bold_center", alignment=TA_CENTER, fontName=f"{font}-Bold")
    chapter = style("chapter", alignment=TA_CENTER, fontName=f"{font}-Bold", spaceBefore=8)
    article = style("article", alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceBefore=5, spaceAfter=3)
    section = style("section", fontName=f"{font}-Bold", spaceBefore=6, spaceAfter=3)
    small = style("small", fontSize=10, leading=12.5, alignment=TA_LEFT)
    red = colors.HexColor("#7a0000")
    marker_box = {"textColor": red, "borderColor": red, "borderWidth": 0.5, "borderPadding": 3, "spaceAfter": 10}
    marker = style("marker", fontName=f"{font}-Italic", fontSize=7.5, leading=10, alignment=TA_CENTER, **marker_box)

    width = A4[0] - 3 * cm - 1.5 * cm
    story: list[object] = [Paragraph(_esc(MARKER), marker)]

    left = [Paragraph(_esc(t), head_center) for t in doc.left[:-1]]
    if doc.left:
        left.append(Paragraph(f"<b>{_esc(doc.left[-1])}</b>", head_center))
    if doc.star:
        left.append(Paragraph("*", head_center))
    right = [
        Paragraph(f"<b><u>{_esc(n)}</u></b>" if n.isupper() else f"<i>{_esc(n)}</i>", center) for n in doc.national
    ]
    number = Paragraph(_esc(doc.number), head_center)
    date = Paragraph(f"<i>{_esc(doc.place_date)}</i>", style("date", alignment=TA_CENTER, fontSize=12))
    head = Table([[left, right], [number, date]], colWidths=[0.44 * width, 0.56 * width])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [head, Spacer(1, 14)]

    kind, summary = doc.title[0], doc.title[1:]
    kind_style = style("kind", alignment=TA_CENTER, fontName=f"{font}-Bold", fontSize=15, leading=20)
    story.append(Paragraph(f"<b>{_esc(kind)}</b>", kind_style))
    for s in summary:
        story.append(Paragraph(f"<b>{_esc(s)}</b>", bold_center))
    story += [Paragraph("-----", center), Spacer(1, 8)]

    for b in blocks(doc.body):
        if b.kind in ("chapter", "chapter_title"):
            story.append(Paragraph(f"<b>{_esc(b.text)}</b>", chapter if b.kind == "chapter" else bold_center))
        elif b.kind == "article":
            bold, rest = article_head(b.text)
            story.append(Paragraph(f"<b>{_esc(bold)}</b> {_esc(rest)}".rstrip(), article))
        elif b.kind in ("section", "decree"):
            story.append(Paragraph(f"<b>{_esc(b.text)}</b>", section))
        elif b.kind == "heading":
            tag = ("<b>", "</b>") if b.depth == 1 else ("<b><i>", "</i></b>")
            story.append(Paragraph(f"{tag[0]}{_esc(b.text)}{tag[1]}", body))
        elif b.kind == "basis":
            story.append(Paragraph(f"<i>{_esc(b.text)}</i>", body))
        elif b.kind == "table":
            cell = style("cell", fontSize=10.5, leading=13)
            data = [
                [Paragraph(f"<b>{_esc(c)}</b>" if r == 0 else _esc(c), cell) for c in row]
                for r, row in enumerate(b.rows)
            ]
            t = Table(data, repeatRows=1, hAlign="CENTER")
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [t, Spacer(1, 6)]
        else:
            story.append(Paragraph(_esc(b.text), body))

    def sig_cell(sig: list[str]) -> list[object]:
        cell: list[object] = []
        for s in sig:
            if s.startswith("("):
                cell += [Spacer(1, 10), Paragraph(f"<i>{_esc(s)}</i>", center), Spacer(1, 10)]
            else:
                cell.append(Paragraph(f"<b>{_esc(s)}</b>", center))
        return cell

    recip: list[object] = []
    if doc.recipients:
        recip = [Paragraph("<b><i>Nơi nhận:</i></b>", small)] + [Paragraph(_esc(r), small) for r in doc.recipients]
    sigs = [sig_cell(s) for s in doc.signatures]
    # Recipients sit left of the signature; minutes have no recipients but two signatures side by side.
    row = [recip, [x for s in sigs for x in s]] if recip or len(sigs) != 2 else [sigs[0], sigs[1]]
    closing = Table([row], colWidths=[0.5 * width, 0.5 * width])
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 12), KeepTogether([closing])]

    def page_number(canvas: object, _doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 10)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, str(canvas.getPageNumber()))  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    buf = io.BytesIO()
    margins = {"leftMargin": 3 * cm, "rightMargin": 1.5 * cm, "topMargin": 2 * cm, "bottomMargin": 2 * cm}
    meta = {"title": f"{kind} {doc.number}", "author": AUTHOR, "subject": SUBJECT, "creator": "scripts/build_corpus.py"}
    template = SimpleDocTemplate(buf, pagesize=A4, invariant=1, **margins, **meta)
    # Vietnamese practice: no number on the first page, page numbers at the top from page 2.
    template.build(story, onLaterPages=page_number)
    return buf.getvalue()


# --------------------------------------------------------------------------- DOCX


def _set_font(run_or_style: object, name: str = "Times New Roman") -> None:
    from docx.oxml.ns import qn

    run_or_style.font.name = name  # type: ignore[attr-defined]
    rpr = run_or_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    rpr.get_or_add_rFonts().set(qn("w:cs"), name)


def render_docx(doc: Parsed, out: Output) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN
    from docx.shared import Cm, Pt, RGBColor

    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin = Cm(21), Cm(29.7), Cm(2), Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(1.5)
    normal = d.styles["Normal"]
    normal.font.size, normal.paragraph_format.space_after = Pt(14), Pt(3)
    for name in ("Normal", "List Number", "Table Grid"):
        _set_font(d.styles[name])

    def para(container: Any, text: str = "", style: str | None = None, first: bool = False, **fmt: Any) -> Any:
        """Add a paragraph (or fill the cell's empty first one) holding one formatted run."""
        p = container.paragraphs[0] if first else container.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold, run.italic, run.underline = fmt.get("bold") or None, fmt.get("italic") or None, fmt.get("u") or None
        if "size" in fmt:
            run.font.size = Pt(fmt["size"])
        if "align" in fmt:
            p.alignment = fmt["align"]
        if fmt.get("indent"):
            p.paragraph_format.first_line_indent = Cm(1)
        return p

    c, j = ALIGN.CENTER, ALIGN.JUSTIFY
    para(d, MARKER, italic=True, size=10, align=c).runs[0].font.color.rgb = RGBColor(0x7A, 0x00, 0x00)

    last = len(doc.left) - 1
    if out.header_table:
        t = d.add_table(rows=2, cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        (tl, tr), (bl, br) = t.rows[0].cells, t.rows[1].cells
        for k, line in enumerate(doc.left + (["*"] if doc.star else [])):
            para(tl, line, first=k == 0, bold=k == last, size=13, align=c)
        for k, line in enumerate(doc.national):
            caps = line.isupper()
            para(tr, line, first=k == 0, bold=caps, u=caps, size=14 if caps else 13, align=c)
        para(bl, doc.number, first=True, size=13, align=c)
        para(br, doc.place_date, first=True, italic=True, align=c)
    else:
        # A plainer Word file: header lines as separate paragraphs, as many cells type them.
        for k, line in enumerate(doc.left):
            para(d, line, bold=k == last, size=13)
        for line in doc.national:
            para(d, line, bold=line.isupper(), align=ALIGN.RIGHT)
        for line in (["*"] if doc.star else []) + [doc.number]:
            para(d, line, size=13)
        para(d, doc.place_date, italic=True, align=ALIGN.RIGHT)

    kind, summary = doc.title[0], doc.title[1:]
    para(d)
    para(d, kind, bold=True, align=c, size=15)
    for s in summary:
        para(d, s, bold=True, align=c)
    para(d, "-----", align=c)

    for b in blocks(doc.body):
        if b.kind in ("chapter", "chapter_title"):
            para(d, b.text, bold=True, align=c)
        elif b.kind == "article":
            bold, rest = article_head(b.text)
            p = para(d, bold, bold=True, align=j, indent=True)
            if rest:
                p.add_run(" " + rest)
        elif b.kind in ("section", "decree"):
            para(d, b.text, bold=True, align=j)
        elif b.kind in ("heading", "basis"):
            para(d, b.text, bold=b.kind == "heading", italic=b.kind == "basis" or b.depth > 1, align=j, indent=True)
        elif b.kind == "dash" and out.word_numbered_dashes:
            # Word's own numbering: the number lives in numbering.xml, not in the text.
            para(d, b.text[2:], style="List Number", align=j)
        elif b.kind == "table":
            t = d.add_table(rows=len(b.rows), cols=len(b.rows[0]), style="Table Grid")
            for r, row in enumerate(b.rows):
                for k, text in enumerate(row):
                    para(t.cell(r, k), text, first=True, bold=r == 0, size=12)
        else:
            para(d, b.text, align=j, indent=True)

    para(d)
    left_cell, right_cell = d.add_table(rows=1, cols=2).rows[0].cells
    sigs = doc.signatures
    # Recipients sit left of the signature; minutes have no recipients but two signatures side by side.
    slots = (
        [(right_cell, sigs)] if doc.recipients or len(sigs) != 2 else [(left_cell, sigs[:1]), (right_cell, sigs[1:])]
    )
    if doc.recipients:
        para(left_cell, "Nơi nhận:", first=True, bold=True, italic=True, size=12)
        for rec in doc.recipients:
            para(left_cell, rec, size=11)
    for cell, group in slots:
        for k, line in enumerate(x for sig in group for x in sig):
            para(cell, line, first=k == 0, italic=line.startswith("("), bold=not line.startswith("("), align=c)

    props = d.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.title, props.subject = f"{kind} {doc.number}", SUBJECT
    props.comments = "Sinh bởi scripts/build_corpus.py từ corpus-src"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    return _fix_zip_dates(buf.getvalue())


def _fix_zip_dates(data: bytes) -> bytes:
    """python-docx stamps zip entries with the current time; pin them so rebuilds are identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return buf.getvalue()


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "txt": render_txt, "md": render_md}


def build(src_dir: Path = SRC_DIR, out_dir: Path = OUT_DIR) -> list[Path]:
    sources = {p.stem: p for p in sorted(src_dir.glob("*.txt"))}
    unknown = sorted(set(sources) ^ set(DOCS))
    if unknown:
        raise SystemExit(f"sources and DOCS table disagree on: {', '.join(unknown)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_id, out in DOCS.items():
        text = unicodedata.normalize("NFC", sources[doc_id].read_text(encoding="utf-8")).rstrip("\n") + "\n"
        doc = parse(doc_id, text)
        for fmt in FORMATS:  # a document that changed format must not leave its old file behind
            (out_dir / f"{doc_id}.{fmt}").unlink(missing_ok=True)
        target = out_dir / f"{doc_id}.{out.fmt}"
        target.write_bytes(RENDERERS[out.fmt](doc, out))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=SRC_DIR, help="folder of source texts (default corpus-src)")
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default corpus/)")
    args = ap.parse_args(argv)
    for path in build(args.src, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
