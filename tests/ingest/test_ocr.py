"""OCR of scanned documents: our own Vietnamese regulation, typeset, "scanned"
(noise, skew, JPEG artefacts, a seal and a signature), then read back.

The fixtures are made here from text written for the test; nothing is
downloaded. Tests that run tesseract are marked slow and integration and are
skipped with the reason when tesseract or its Vietnamese model is missing.
"""

from __future__ import annotations

import io
import math
import random
import shutil
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from assistant.errors import IngestError, NeedsOCR, UnsupportedFormat
from assistant.ingest import ocr as ocr_module
from assistant.ingest.loaders import OCROptions, load_document, ocr_confidence, render_page_image
from assistant.ingest.loaders.pdf import unreadable_text
from assistant.ingest.ocr import assemble, ocr_unavailable, parse_tsv
from assistant.ingest.ocr_preprocess import estimate_skew, otsu_threshold, prepare, to_gray
from assistant.ingest.structure import parse_structure

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
DPI = 200

REGULATION = """CHI BỘ ẤP TÂN HÒA
QUY ĐỊNH
về sinh hoạt chi bộ và trách nhiệm của đảng viên
Điều 1. Phạm vi và đối tượng áp dụng
1. Quy định này quy định nội dung, hình thức sinh hoạt định kỳ của chi bộ ấp Tân Hòa.
2. Đảng viên được miễn sinh hoạt trong các trường hợp sau đây:
a) Ốm đau có xác nhận của cơ sở y tế;
b) Đi công tác theo sự phân công của tổ chức;
c) Có việc gia đình đột xuất và được bí thư chi bộ đồng ý.
Điều 2. Nội dung sinh hoạt
1. Đánh giá việc thực hiện nhiệm vụ trong tháng, nêu rõ ưu điểm, khuyết điểm và nguyên nhân.
2. Quán triệt nghị quyết, chỉ thị của cấp trên; thảo luận biện pháp thực hiện ở địa phương.
3. Phân công nhiệm vụ cho từng đảng viên và kiểm tra việc thực hiện nhiệm vụ được giao.
Điều 3. Hiệu lực thi hành
1. Quy định này có hiệu lực kể từ ngày ký.
2. Chi ủy và đảng viên trong chi bộ chịu trách nhiệm thi hành Quy định này.
T/M CHI BỘ
BÍ THƯ
Nguyễn Văn An"""

SHORT = """Điều 5. Khen thưởng
1. Đảng viên hoàn thành xuất sắc nhiệm vụ được biểu dương.
2. Chi bộ đề nghị cấp trên khen thưởng theo quy định."""

ocr_ready = pytest.mark.skipif(
    ocr_unavailable(OCROptions()) is not None or not SERIF.exists(),
    reason=f"needs tesseract with the 'vie' model and {SERIF} "
           "(sudo apt-get install tesseract-ocr tesseract-ocr-vie fonts-dejavu-core)",
)


# -- measuring ---------------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate on NFC text with whitespace runs made single spaces."""
    reference, hypothesis = _normalised(reference), _normalised(hypothesis)
    return levenshtein(reference, hypothesis) / max(1, len(reference))


def test_cer_counts_edits_on_normalised_text():
    assert cer("Điều 1.\n  Phạm vi", "Điều 1. Phạm vi") == 0.0
    assert cer("Đie\u0302\u0300u", "Điều") == 0.0  # NFD and NFC are the same text
    assert cer("chi bộ", "chỉ bộ") == pytest.approx(1 / 6)


# -- making scans ------------------------------------------------------------------


def _wrap(text: str, font, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _seal(draw, centre: tuple[int, int], radius: int, colour, font) -> None:
    """A round seal: two rings, text around the ring, a star in the middle."""
    x, y = centre
    for r in (radius, radius - 6):
        draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=4)
    label = "ĐẢNG ỦY XÃ TÂN HÒA * CHI BỘ ẤP TÂN HÒA * "
    for i, ch in enumerate(label):
        angle = 2 * math.pi * i / len(label)
        cx, cy = x + (radius - 24) * math.cos(angle), y + (radius - 24) * math.sin(angle)
        draw.text((cx, cy), ch, fill=colour, font=font, anchor="mm")
    star = [(x + (radius / 3 if k % 2 == 0 else radius / 7) * math.cos(math.pi / 2 + k * math.pi / 5),
             y - (radius / 3 if k % 2 == 0 else radius / 7) * math.sin(math.pi / 2 + k * math.pi / 5))
            for k in range(10)]
    draw.polygon(star, fill=colour)


def _signature(draw, start: tuple[int, int], rng: random.Random, colour) -> None:
    x, y = start
    points = [(x + 12 * k, y + rng.randint(-30, 30)) for k in range(18)]
    draw.line(points, fill=colour, width=3, joint="curve")


def scan(text: str, *, dpi: int = DPI, skew: float = 1.5, seed: int = 1, noise: float = 12.0,
         seal: bool = False, seal_colour=(200, 30, 40), quality: int = 45):
    """An A4 page of ``text`` as a noisy, slightly turned, JPEG-compressed colour scan.

    With ``seal`` the last three lines are a signature block on the right
    ("T/M ...", title, name) with a scribbled signature between title and
    name, and a round seal stamped over its left half (ink multiplies, so the
    print under it stays readable, as on paper).
    """
    import numpy as np
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    rng = random.Random(seed)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    paper = (250, 248, 240)
    page = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(SERIF), round(12 / 72 * dpi))
    small = ImageFont.truetype(str(SERIF), round(7 / 72 * dpi))
    left = top = dpi
    step = round(18 / 72 * dpi)
    body, block = text.split("\n"), []
    if seal:
        body, block = body[:-3], body[-3:]
    y = top
    for line in _wrap("\n".join(body), font, width - 2 * left):
        draw.text((left, y), line, fill=(20, 20, 20), font=font)
        y += step
    if block:
        centre = int(0.72 * width)
        y += step
        for i, line in enumerate(block):
            if i == 2:
                _signature(draw, (centre - dpi // 2, y + dpi // 3), rng, (20, 30, 120))
                y += dpi
            draw.text((centre, y), line, fill=(20, 20, 20), font=font, anchor="ma")
            y += step
        stamp = Image.new("RGB", page.size, "white")
        _seal(ImageDraw.Draw(stamp), (centre - dpi // 2, y - dpi), int(0.7 * dpi), seal_colour, small)
        page = ImageChops.multiply(page, stamp)
    page = page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    pixels = np.asarray(page).astype(np.float32)
    generator = np.random.default_rng(seed)
    pixels += generator.normal(0.0, noise, pixels.shape[:2])[..., None]
    specks = generator.random(pixels.shape[:2]) < 0.002
    pixels[specks] = 0.0
    page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def image_pdf(images, path: Path, dpi: int = DPI) -> Path:
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=list(images[1:]))
    return path


# -- fast checks, no tesseract ---------------------------------------------------------


def _tsv(rows: list[tuple[tuple[int, int, int], str, float]]) -> str:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    body = [f"5\t1\t{b}\t{p}\t{ln}\t{i}\t0\t0\t10\t10\t{conf}\t{text}"
            for i, ((b, p, ln), text, conf) in enumerate(rows, 1)]
    return "\n".join([header, *body])


def test_assemble_drops_seal_and_signature_garbage_and_fixes_markers():
    tsv = _tsv([
        ((1, 1, 1), "Điều", 96), ((1, 1, 1), "1.", 96), ((1, 1, 1), "Phạm", 95), ((1, 1, 1), "vi", 93),
        ((1, 1, 2), "1:", 88), ((1, 1, 2), "Quy", 96), ((1, 1, 2), "định", 96),
        ((1, 1, 3), "-2.", 80), ((1, 1, 3), "Đảng", 95), ((1, 1, 3), "viên", 95),
        ((1, 1, 4), "_", 12), ((1, 1, 4), "a)", 90), ((1, 1, 4), "Ốm", 70), ((1, 1, 4), "đau;", 92),
        ((2, 1, 1), "*©.~", 20), ((2, 1, 1), "#ÐẢ", 15), ((2, 1, 1), "«‹", 25),  # seal ring
        ((2, 1, 2), "Vv", 31),  # signature scribble
        ((2, 1, 3), "~—", 40), ((2, 1, 3), "|", 30),
        ((3, 1, 1), "Ðảng", 91), ((3, 1, 1), "ủy", 90),
        ((3, 1, 2), "Điểu", 90), ((3, 1, 2), "5.", 96), ((3, 1, 2), "Hiệu", 95),  # bold "Điều" misread
        ((3, 1, 3), "điểu", 90), ((3, 1, 3), "5", 96),  # lower case: a reference, left alone
        ((3, 1, 4), "Điều", 96), ((3, 1, 4), "7?.", 80), ((3, 1, 4), "Các", 95),  # a speck after the number
        ((3, 1, 5), "Điều", 96), ((3, 1, 5), "8,", 95), ((3, 1, 5), "9", 95),  # a reference list stays
        ((3, 1, 6), "..", 88), ((3, 1, 6), "Điều", 95), ((3, 1, 6), "9.", 95), ((3, 1, 6), "Tháng", 95),
        ((3, 1, 6), "ˆ", 75),  # specks in the margins, read with confidence
        ((3, 1, 7), "-", 95), ((3, 1, 7), "Căn", 95), ((3, 1, 7), "cứ", 95),  # a real dash bullet
    ])

    page = assemble(parse_tsv(tsv))

    assert page.text.split("\n") == ["Điều 1. Phạm vi", "1. Quy định", "2. Đảng viên", "a) Ốm đau;", "Đảng ủy",
                                     "Điều 5. Hiệu", "điểu 5", "Điều 7. Các", "Điều 8, 9",
                                     "Điều 9. Tháng", "- Căn cứ"]
    assert page.words == 33  # the dropped speck and garbage lines are not counted
    assert 85 < page.confidence < 95


def test_otsu_separates_ink_from_paper():
    import numpy as np

    pixels = np.array([30] * 100 + [220] * 900, dtype=np.uint8)
    threshold, contrast = otsu_threshold(pixels)
    assert 30 <= threshold < 220
    assert contrast == pytest.approx(190)


def _lines_image(angle: float):
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(image)
    rng = random.Random(3)
    for row in range(17):  # lines of 48 px: print big enough not to be enlarged
        x = 100
        while x < 1050:
            word = rng.randint(40, 150)
            draw.rectangle((x, 120 + row * 80, x + word, 120 + row * 80 + 48), fill=0)
            x += word + 24
    return image.rotate(angle, fillcolor=255, expand=True)


@pytest.mark.parametrize("angle", [0.0, 1.5, -2.0, 4.0])
def test_skew_is_measured_from_the_line_profile(angle):
    measured, sideways = estimate_skew(_lines_image(angle).convert("L"))

    assert not sideways
    assert measured == pytest.approx(-angle, abs=0.15)


@pytest.mark.parametrize("turn", [90, 270])
def test_page_on_its_side_is_detected_and_turned(turn):
    image = _lines_image(1.0).rotate(turn, expand=True)

    prepared = prepare(image)

    assert prepared.sideways
    # Upright or upside down now (OSD settles which): a portrait page again,
    # its lines running across.
    assert prepared.image.width < prepared.image.height
    residual, sideways = estimate_skew(prepared.image)
    assert not sideways and abs(residual) <= 0.1


def test_red_seal_is_dropped_before_thresholding():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 90, 90), fill=(210, 30, 40))  # seal red
    draw.rectangle((110, 10, 190, 90), fill=(20, 30, 120))  # signature blue
    gray = to_gray(image)

    assert gray.getpixel((50, 50)) == 255
    assert gray.getpixel((150, 50)) < 100


def test_blank_page_is_not_sent_to_ocr():
    from PIL import Image

    assert prepare(Image.new("L", (800, 1000), 245)).blank


@pytest.mark.parametrize(("text", "unreadable"), [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc", True),  # TCVN3 font
    ("Ñaûng Coäng saûn Vieät Nam, Ñieàu 1. Phaïm vi ñieàu chænh", True),  # VNI font
    ("(cid:12)(cid:45)(cid:3)(cid:88)(cid:19)(cid:7) Điều 1", True),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam. Điều 1. Phạm vi điều chỉnh à á ã", False),
    ("Hội nghị ở München, ông Müller phát biểu về Điều 3 của Quy định", False),
])
def test_text_layers_that_cannot_be_read_are_told_apart(text, unreadable):
    assert unreadable_text(text) is unreadable


def test_page_key_depends_on_pixels_language_and_resolution():
    from PIL import Image

    page = Image.new("L", (50, 50), 255)
    other = page.copy()
    other.putpixel((3, 3), 0)
    key = ocr_module.page_key(page, "vie", 300)

    assert key == ocr_module.page_key(page.copy(), "vie", 300)
    assert len({key, ocr_module.page_key(other, "vie", 300), ocr_module.page_key(page, "vie+eng", 300),
                ocr_module.page_key(page, "vie", 200)}) == 4


def test_render_page_image_of_pdf_and_tiff_pages(tmp_path):
    from PIL import Image

    first = Image.new("RGB", (170, 240), "white")
    second = Image.new("RGB", (170, 240), "black")
    tiff = tmp_path / "hai.tiff"
    first.save(tiff, save_all=True, append_images=[second])
    pdf = image_pdf([first.copy(), second.copy()], tmp_path / "hai.pdf", dpi=20)

    for path in (pdf, tiff):
        png = Image.open(io.BytesIO(render_page_image(path, 2)))
        assert png.format == "PNG"
        assert png.convert("L").getpixel((png.width // 2, png.height // 2)) < 30
    assert Image.open(io.BytesIO(render_page_image(pdf, 1, dpi=72))).size == (612, 864)
    with pytest.raises(IngestError, match="Không có trang 3"):
        render_page_image(pdf, 3)
    with pytest.raises(UnsupportedFormat):
        render_page_image(tmp_path / "a.docx", 1)


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_pages_render_with_pdftoppm_when_pypdfium2_is_missing(tmp_path, monkeypatch):
    from PIL import Image

    from assistant.ingest import ocr_preprocess

    monkeypatch.setattr(ocr_preprocess, "_pdfium", lambda: None)
    pdf = image_pdf([Image.new("RGB", (170, 240), "white"), Image.new("RGB", (170, 240), "black")],
                    tmp_path / "hai.pdf", dpi=20)

    png = Image.open(io.BytesIO(render_page_image(pdf, 2, dpi=72)))
    assert png.size == (612, 864)
    assert png.convert("L").getpixel((300, 400)) < 30


def test_options_come_from_settings():
    from assistant.settings import Settings

    settings = Settings(data_dir=Path("/tmp/chibo-test"))
    settings.ocr.workers = 1
    cancel = threading.Event()

    options = OCROptions.from_settings(settings.ocr, cache_dir=settings.cache_dir / "ocr", cancel=cancel)

    assert (options.enabled, options.language, options.dpi, options.workers) == (True, "vie", 300, 1)
    assert options.cache_dir == Path("/tmp/chibo-test/cache/ocr")
    assert options.cancel is cancel and options.progress is None


def test_warnings_list_confidence_poor_failed_and_blank_pages():
    from assistant.ingest.loaders.files import page_list
    from assistant.ingest.ocr import OCRPage, document_confidence, ocr_warnings

    results = {1: OCRPage("Điều 1.", 90.0, 30), 2: OCRPage("mờ", 45.0, 10), 3: OCRPage("", None, 0),
               4: OCRPage("", None, 0, error="tesseract lỗi 1"), 5: OCRPage("Điều 2.", 92.0, 60)}

    summary, poor, failed, blank = ocr_warnings(results, page_list)

    assert document_confidence(results.values()) == 86.7  # weighted by words
    assert summary.startswith("Trang 1-2, 5 là ảnh quét") and "87%" in summary
    assert "trang 2 (45%)" in poor
    assert "trang 4" in failed and "tesseract lỗi 1" in failed
    assert blank.startswith("Trang 3 ")


# -- OCR unavailable or off: the old, clear "needs OCR" --------------------------------


def _plain_scan_pdf(tmp_path: Path) -> Path:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (400, 560), "white")
    ImageDraw.Draw(page).rectangle((40, 40, 360, 60), fill="black")
    return image_pdf([page], tmp_path / "quet.pdf", dpi=50)


def test_without_tesseract_scans_need_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    options = OCROptions(cache_dir=tmp_path / "cache")
    image = tmp_path / "anh.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")

    with pytest.raises(NeedsOCR, match="OCR") as caught:
        load_document(_plain_scan_pdf(tmp_path), ocr=options)
    assert "tesseract" in str(caught.value)
    with pytest.raises(NeedsOCR, match="tesseract"):
        load_document(image, ocr=options)


def test_missing_language_model_needs_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr_module, "_languages", lambda executable: frozenset({"eng", "osd"}))

    with pytest.raises(NeedsOCR, match="vie"):
        load_document(_plain_scan_pdf(tmp_path), ocr=OCROptions())


def test_disabled_ocr_keeps_scans_unread(tmp_path):
    with pytest.raises(NeedsOCR, match="ocr.enabled"):
        load_document(_plain_scan_pdf(tmp_path), ocr=OCROptions(enabled=False))


def test_without_ocr_partly_scanned_pdf_warns_with_the_reason(make_pdf, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    path = make_pdf([["Trang có chữ"], None])

    loaded = load_document(path, ocr=OCROptions())

    [warning] = loaded.warnings
    assert "Trang 2" in warning and "OCR" in warning and "tesseract" in warning
    assert not any(page.ocr for page in loaded.pages)


# -- real OCR ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """A one-page scanned regulation with a red seal and a signature, read once."""
    if ocr_unavailable(OCROptions()) is not None or not SERIF.exists():
        pytest.skip("needs tesseract with the 'vie' model and DejaVu fonts")
    folder = tmp_path_factory.mktemp("scan")
    path = image_pdf([scan(REGULATION, seal=True)], folder / "quy_dinh_quet.pdf")
    cache = folder / "cache"
    calls: list[tuple[int, int]] = []
    started = time.perf_counter()
    loaded = load_document(path, ocr=OCROptions(dpi=DPI, cache_dir=cache), progress=lambda d, t: calls.append((d, t)))
    return {"path": path, "cache": cache, "loaded": loaded, "progress": calls,
            "seconds": time.perf_counter() - started}


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_scanned_pdf_is_read_with_few_character_errors(scanned):
    loaded = scanned["loaded"]

    assert loaded.format == "pdf"
    assert cer(REGULATION, loaded.text) <= 0.03, loaded.text


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_articles_clauses_and_points_are_recovered_despite_the_seal(scanned):
    units = parse_structure(scanned["loaded"].text)

    outline = [(u.kind, u.label) for u in units]
    assert outline == [
        ("dieu", "1"), ("khoan", "1"), ("khoan", "2"), ("diem", "a"), ("diem", "b"), ("diem", "c"),
        ("dieu", "2"), ("khoan", "1"), ("khoan", "2"), ("khoan", "3"),
        ("dieu", "3"), ("khoan", "1"), ("khoan", "2"),
    ], scanned["loaded"].text


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_ocr_pages_are_marked_with_confidence_and_progress(scanned):
    loaded = scanned["loaded"]

    [page] = loaded.pages
    assert page.ocr and page.confidence is not None and page.confidence >= 80
    assert ocr_confidence(loaded) == page.confidence
    assert any("OCR" in warning and "độ tin cậy" in warning for warning in loaded.warnings)
    assert scanned["progress"] == [(0, 1), (1, 1)]


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_second_ingest_reads_the_page_from_the_cache(scanned, monkeypatch):
    def no_tesseract(self, args, image):
        raise AssertionError("tesseract was called for a cached page")

    monkeypatch.setattr(ocr_module._Tesseract, "_call", no_tesseract)

    again = load_document(scanned["path"], ocr=OCROptions(dpi=DPI, cache_dir=scanned["cache"]))

    assert again.text == scanned["loaded"].text
    assert again.pages == scanned["loaded"].pages


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_cancel_stops_tesseract_and_raises(tmp_path):
    path = image_pdf([scan(REGULATION, seed=2), scan(REGULATION, seed=3)], tmp_path / "hai_trang.pdf")
    cancel = threading.Event()
    pressed: list[float] = []
    seen: list[int] = []

    def press_stop() -> None:
        pressed.append(time.perf_counter())
        cancel.set()

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 0:  # both pages are being read when the user presses stop
            threading.Timer(0.8, press_stop).start()

    with pytest.raises(IngestError, match="đã hủy"):
        load_document(path, ocr=OCROptions(dpi=DPI, cancel=cancel, cache_dir=tmp_path / "c"), progress=progress)

    # The running pages were stopped, not waited for (a page takes several seconds).
    assert time.perf_counter() - pressed[0] < 1.5
    assert seen == [0]


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
@pytest.mark.parametrize("turn", [90, 180])
def test_turned_page_is_read_upright(tmp_path, turn):
    image = scan(SHORT, skew=0.8, seed=4).rotate(turn, expand=True)
    path = tmp_path / f"xoay_{turn}.png"
    image.save(path, dpi=(DPI, DPI))

    loaded = load_document(path, ocr=OCROptions())

    assert cer(SHORT, loaded.text) <= 0.05, loaded.text
    assert [(u.kind, u.label) for u in parse_structure(loaded.text)] == [
        ("dieu", "5"), ("khoan", "1"), ("khoan", "2")]


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_image_files_are_documents(tmp_path):
    first, second = scan(SHORT, seed=5, skew=-1.0), scan(REGULATION.split("Điều 2.")[0], seed=6, skew=0.5)
    png, tiff = tmp_path / "trang.png", tmp_path / "hai_trang.tiff"
    first.save(png, dpi=(DPI, DPI))
    first.save(tiff, dpi=(DPI, DPI), save_all=True, append_images=[second], compression="tiff_lzw")

    single = load_document(png, ocr=OCROptions())
    double = load_document(tiff, ocr=OCROptions(cache_dir=tmp_path / "cache"))

    assert single.format == double.format == "image"
    assert [page.ocr for page in double.pages] == [True, True]
    assert cer(SHORT, single.text) <= 0.03
    assert double.page_at(double.text.index("Phạm vi")) == 2
    assert double.text.startswith(single.text[:20])


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_only_pages_without_text_are_read(tmp_path, vietnamese_font, monkeypatch):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as pdf_canvas

    path = tmp_path / "tron.pdf"
    canvas = pdf_canvas.Canvas(str(path))
    canvas.setFont(vietnamese_font, 12)
    canvas.drawString(72, 800, "Trang một có lớp chữ: Điều 4. Kỷ luật")
    canvas.showPage()
    canvas.drawImage(ImageReader(scan(SHORT, seed=7)), 0, 0, width=595, height=842)
    canvas.showPage()
    canvas.save()
    asked: list[list[int]] = []
    original = ocr_module.ocr_pdf_pages

    def spy(data, numbers, options):
        asked.append(list(numbers))
        return original(data, numbers, options)

    monkeypatch.setattr("assistant.ingest.loaders.pdf.ocr_pdf_pages", spy)
    loaded = load_document(path, ocr=OCROptions(dpi=DPI))

    assert asked == [[2]]
    assert [(p.number, p.ocr) for p in loaded.pages] == [(1, False), (2, True)]
    assert loaded.text.startswith("Trang một có lớp chữ")
    assert cer(SHORT, loaded.text[loaded.pages[1].start:]) <= 0.03


@pytest.mark.slow
@pytest.mark.integration
@ocr_ready
def test_photocopied_seal_and_signature_do_not_become_clauses(tmp_path):
    """A black-and-white copy keeps the seal as black ink: its ring text must
    not turn into numbered units or swallow the body."""
    path = tmp_path / "ban_sao.png"
    scan(REGULATION, seal=True, seal_colour=(70, 70, 70), seed=8).convert("L").save(path, dpi=(DPI, DPI))

    loaded = load_document(path, ocr=OCROptions())

    units = parse_structure(loaded.text)
    assert [u.label for u in units if u.kind == "dieu"] == ["1", "2", "3"]
    assert sum(u.kind == "khoan" for u in units) == 7
    assert cer(REGULATION, loaded.text) <= 0.05, loaded.text
