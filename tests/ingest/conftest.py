"""Fixtures that build real (and deliberately bad) documents in tmp_path."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SANS = FONT_DIR / "DejaVuSans.ttf"
SERIF = FONT_DIR / "DejaVuSerif.ttf"

# A page is a list of lines, or None for a page that is only a picture.
PageSpec = Sequence[str] | None


@pytest.fixture
def vietnamese_font() -> str:
    """Register DejaVu Sans with reportlab (base-14 fonts have no Vietnamese)."""
    if not SANS.exists():
        pytest.skip(f"needs {SANS} for Vietnamese glyphs (Debian: fonts-dejavu-core)")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("VnSans", str(SANS)))
    return "VnSans"


def _draw_picture(canvas: object) -> None:
    """A scanned-looking page: an image and nothing in the text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 300, 30):
        draw.rectangle((20, y, 380, y + 10), fill="black")  # lines of "text" as pixels
    canvas.drawImage(ImageReader(image), 72, 400, width=400, height=300)  # type: ignore[attr-defined]


@pytest.fixture
def make_pdf(tmp_path: Path, vietnamese_font: str) -> Callable[..., Path]:
    """make_pdf([["line", ...], None, ...], name="x.pdf") -> path."""

    def build(pages: Sequence[PageSpec], name: str = "doc.pdf") -> Path:
        from reportlab.pdfgen import canvas as pdf_canvas

        path = tmp_path / name
        canvas = pdf_canvas.Canvas(str(path), pageCompression=1)
        for lines in pages:
            if lines is None:
                _draw_picture(canvas)
            else:
                canvas.setFont(vietnamese_font, 12)
                y = 800
                for line in lines:
                    canvas.drawString(72, y, line)
                    y -= 16
            canvas.showPage()
        canvas.save()
        return path

    return build


@pytest.fixture
def make_split_font_pdf(tmp_path: Path) -> Callable[..., Path]:
    """A PDF that pypdf reads as "NGH Ị QUY Ế T".

    It reproduces what Chromium does when its first font lacks Vietnamese
    glyphs: every accented letter is drawn in a fallback font, in its own
    text object. pdftotext reads it cleanly.
    """
    if not (SANS.exists() and SERIF.exists()):
        pytest.skip(f"needs DejaVu fonts in {FONT_DIR}")

    def build(pages: Sequence[Sequence[str]], name: str = "split.pdf") -> Path:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas as pdf_canvas

        pdfmetrics.registerFont(TTFont("SplitBase", str(SANS)))
        pdfmetrics.registerFont(TTFont("SplitFallback", str(SERIF)))
        path = tmp_path / name
        canvas = pdf_canvas.Canvas(str(path))
        for lines in pages:
            y = 800.0
            for line in lines:
                x = 72.0
                for font, run in _font_runs(line):
                    canvas.setFont(font, 12)
                    canvas.drawString(x, y, run)
                    x += pdfmetrics.stringWidth(run, font, 12)
                y -= 18
            canvas.showPage()
        canvas.save()
        return path

    return build


def _font_runs(line: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for ch in line:
        font = "SplitBase" if ch.isascii() else "SplitFallback"
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def encrypt_pdf(source: Path, target: Path, *, user_password: str) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(source))
    # RC4: pypdf writes and reads it without the optional cryptography package.
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def cp1258_bytes(text: str) -> bytes:
    """Encode like Windows-1258 editors: precomposed base letters (ê, ơ, đ)
    with the tone as a separate combining mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        tones = [m for m in decomposed if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
        out.append(base + "".join(tones))
    return "".join(out).encode("cp1258")


# -- DOCX ---------------------------------------------------------------------

# Level 0 "1.", level 1 "a)" (Vietnamese letters), level 2 "1.1." style.
ABSTRACT_NUM_XML = """
<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/></w:lvl>
</w:abstractNum>
"""
ROMAN_NUM_XML = """
<w:abstractNum {ns} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
"""


def add_numbering(document: object) -> dict[str, int]:
    """Add two list definitions to a python-docx Document; returns their numIds."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    # abstractNum elements must come before num elements in numbering.xml.
    numbering.insert(0, parse_xml(ABSTRACT_NUM_XML.format(ns=nsdecls("w"))))
    numbering.insert(1, parse_xml(ROMAN_NUM_XML.format(ns=nsdecls("w"))))
    for num_id, abstract_id in ((90, 90), (91, 91)):
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        ))
    return {"clauses": 90, "roman": 91}


def numbered(document: object, text: str, num_id: int, level: int = 0) -> None:
    paragraph = document.add_paragraph(text)  # type: ignore[attr-defined]
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def zip_with(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
