"""Page images for OCR: render PDF pages and image frames, then clean them
(grey, denoise, deskew, threshold).

Rendering uses pypdfium2 (poppler's ``pdftoppm`` when it is missing); image
files are opened with Pillow, upright by their EXIF orientation. Cleaning is
numpy and Pillow only (no OpenCV). What real scans need:

* **noise**: lone specks are removed after thresholding and then a 3x3
  majority vote (the median filter of a black-and-white image) smooths the
  rest; left in, tesseract reads specks as "-", "_", "." and "'" around the
  words (CER 5% -> under 1% on our noisy renders). Done on the thresholded
  page it costs a tenth of a grey median filter;
* **seals**: clearly red pixels (the cell's seal over the signature) become
  paper before thresholding in a colour scan; a photocopied seal is left to
  the OCR stage, which drops lines that read as garbage;
* **uneven paper**: a background estimate (the brightest pixels of each
  neighbourhood) divides out shadows and yellowed paper before a global
  Otsu threshold, which would otherwise black out a dark corner;
* **skew**: the angle whose projection profile of ink rows is sharpest
  (text lines become thin dense bands) over +-6 degrees; the same score on
  columns tells a page lying on its side (90 or 270 degrees) from an
  upright one. Telling upright from upside down is left to tesseract's
  orientation detection, which the OCR stage runs only when a page reads
  badly, since it costs as much as reading the page;
* **small print**: text whose lines are under 45 px tall (a 150-200 dpi
  scan of 12 pt type) is enlarged to ~300 dpi size; tesseract's models are
  trained on larger text, and the specks grow with the text, so a second,
  coarser speck filter can remove them without touching strokes.

A file or page that cannot be drawn is refused with a Vietnamese reason; the
library's English text goes to the log.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from assistant.errors import IngestError

log = logging.getLogger(__name__)

MAX_SKEW = 6.0  # degrees searched either side of level
_COARSE_STEP = 0.5
_FINE_STEP = 0.05
_ANALYSIS_SIZE = 1200  # longest side of the copy the angle is measured on
_SIDEWAYS_RATIO = 1.5  # column profile this much sharper than rows: the page lies on its side
_MIN_CONTRAST = 40  # grey levels between ink and paper; below it the page is blank
_LARGE_LINE_PX = 45  # line bands of 12-13 pt print at 250 dpi and more
_TARGET_LINE_PX = 60  # ~300 dpi
_MAX_UPSCALE = 3.0
_MAX_PIXELS = 60_000_000
_MAX_RENDER_PIXELS = 60_000_000
_RENDER_TIMEOUT = 300.0
_DEFAULT_IMAGE_DPI = 300
# Red seals over the signature: clearly red pixels become paper.
_SEAL_MIN_RED = 120
_SEAL_MIN_MARGIN = 60


@dataclass(frozen=True)
class Prepared:
    """The page ready for tesseract, and what was done to it."""

    image: Image.Image  # mode "L", black text (0) on white (255)
    skew: float  # degrees the page was turned back to level (counter-clockwise positive)
    sideways: bool  # the page was turned by 90 degrees first
    scale: float  # enlargement applied for small print
    blank: bool  # no ink worth reading


def to_gray(image: Image.Image) -> Image.Image:
    """8-bit grey of any Pillow image; transparency becomes white paper and
    red ink (seals) is dropped, since it is never the text of the document."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.full(values.shape, 255.0)
        return Image.fromarray(scaled.astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    if image.mode in ("1", "L"):
        return image.convert("L")
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    gray = np.asarray(image.convert("L")).copy()
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    seal = (red > _SEAL_MIN_RED) & (red - np.maximum(green, blue) > _SEAL_MIN_MARGIN)
    gray[seal] = 255
    return Image.fromarray(gray)


def otsu_threshold(gray: np.ndarray) -> tuple[int, float]:
    """Otsu's threshold of an 8-bit array, and the distance between the two class means."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128, 0.0
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist) / total
    mean = np.cumsum(hist * levels) / total
    overall = mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (overall * weight - mean) ** 2 / (weight * (1.0 - weight))
    between = np.nan_to_num(between, nan=-1.0, posinf=-1.0)
    threshold = int(np.argmax(between))
    dark, light = weight[threshold], 1.0 - weight[threshold]
    if dark <= 0 or light <= 0:
        return threshold, 0.0
    dark_mean = mean[threshold] / dark
    light_mean = (overall - mean[threshold]) / light
    return threshold, float(light_mean - dark_mean)


def flatten_background(gray: Image.Image) -> Image.Image:
    """Divide out uneven paper brightness (shadows, yellowing, a dark fold)."""
    width, height = gray.size
    factor = max(1, min(width, height) // 200)
    small = gray.reduce(factor) if factor > 1 else gray
    # The brightest pixel around each point is paper; blur it into a smooth field.
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.BoxBlur(3)).resize(
        gray.size, Image.Resampling.BILINEAR
    )
    page = np.asarray(gray, dtype=np.float32)
    paper = np.maximum(np.asarray(background, dtype=np.float32), 1.0)
    return Image.fromarray(np.clip(page * 255.0 / paper, 0, 255).astype(np.uint8))


def binarize(gray: Image.Image) -> tuple[Image.Image, bool]:
    """Black text on white by Otsu's threshold; also whether the page is blank."""
    pixels = np.asarray(gray)
    threshold, contrast = otsu_threshold(pixels)
    if contrast < _MIN_CONTRAST:
        return Image.new("L", gray.size, 255), True
    paper = pixels > threshold
    if paper.mean() < 0.5:
        paper = ~paper  # light text on a dark ground
    return Image.fromarray(np.where(paper, 255, 0).astype(np.uint8)), False


def _ink_points(binary: Image.Image) -> tuple[np.ndarray, np.ndarray, float]:
    """Coordinates of ink pixels on a reduced copy, and the reduction factor."""
    longest = max(binary.size)
    factor = max(1, math.ceil(longest / _ANALYSIS_SIZE))
    small = binary.reduce(factor) if factor > 1 else binary
    ys, xs = np.nonzero(np.asarray(small) < 128)
    return ys.astype(np.float64), xs.astype(np.float64), float(factor)


def _profile_score(along: np.ndarray, across: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Sharpness of the ink profile projected at each angle (degrees).

    Sum of squared differences between neighbouring bins: highest when text
    lines fall into few bins with white gaps between them.
    """
    scores = np.empty(len(angles))
    for i, angle in enumerate(angles):
        bins = np.round(along - across * math.tan(math.radians(angle))).astype(np.int64)
        bins -= bins.min()
        profile = np.bincount(bins).astype(np.float64)
        scores[i] = float(np.sum(np.diff(profile) ** 2))
    return scores


def _best_angle(along: np.ndarray, across: np.ndarray) -> tuple[float, float]:
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, _COARSE_STEP)
    scores = _profile_score(along, across, coarse)
    centre = float(coarse[int(np.argmax(scores))])
    fine = np.arange(centre - _COARSE_STEP, centre + _COARSE_STEP + 1e-9, _FINE_STEP)
    fine_scores = _profile_score(along, across, fine)
    best = int(np.argmax(fine_scores))
    return round(float(fine[best]), 2) + 0.0, float(fine_scores[best])


def estimate_skew(binary: Image.Image) -> tuple[float, bool]:
    """(angle in degrees to turn the page counter-clockwise, lies on its side).

    Too little ink to measure gives (0, False).
    """
    ys, xs, _ = _ink_points(binary)
    if len(ys) < 200:
        return 0.0, False
    row_angle, row_score = _best_angle(ys, xs)
    column_angle, column_score = _best_angle(xs, ys)
    if column_score > _SIDEWAYS_RATIO * row_score:
        return -column_angle + 0.0, True
    # Rows tilted down to the right (y grows with x) need a counter-clockwise turn.
    return row_angle, False


def line_height(binary: Image.Image) -> float | None:
    """Median height in pixels of the bands of ink rows (text lines)."""
    rows = np.asarray(binary) < 128
    inked = rows.sum(axis=1) > max(2, rows.shape[1] // 400)
    if not inked.any():
        return None
    edges = np.diff(np.concatenate(([0], inked.astype(np.int8), [0])))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    heights = ends - starts
    # Specks and rules are a few pixels tall; a text line is not.
    heights = heights[heights >= 6]
    return float(np.median(heights)) if len(heights) else None


def _neighbours(binary: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """Ink mask and, per pixel, the ink count of its 3x3 neighbourhood (itself included)."""
    ink = (np.asarray(binary) < 128).astype(np.uint8)
    padded = np.pad(ink, 1)
    height, width = ink.shape
    counts = np.zeros(ink.shape, dtype=np.uint8)
    for dy in range(3):
        for dx in range(3):
            counts += padded[dy:dy + height, dx:dx + width]
    return ink, counts


def _box_counts(ink: np.ndarray, radius: int) -> np.ndarray:
    """Ink pixels in the (2r+1)-square around each pixel, by an integral image."""
    size = 2 * radius + 1
    padded = np.pad(ink.astype(np.int32), radius)
    integral = np.pad(padded.cumsum(axis=0).cumsum(axis=1), ((1, 0), (1, 0)))
    height, width = ink.shape
    return (integral[size:size + height, size:size + width] - integral[:height, size:size + width]
            - integral[size:size + height, :width] + integral[:height, :width])


def despeckle(binary: Image.Image, radius: int = 1) -> Image.Image:
    """Remove lone specks of ink and fill pinholes.

    ``radius`` 1 removes single pixels and pairs and keeps the 2x2 dots of
    diacritics at low resolution; radius 2 removes blobs up to about 2x3
    pixels, the specks of a low-resolution scan rendered larger, and is only
    safe when strokes are at least 3 pixels wide (lines of 45 px and more).
    """
    ink = (np.asarray(binary) < 128).astype(np.uint8)
    if radius == 1:
        _, counts = _neighbours(binary)
        keep = (ink & (counts >= 3)) | ((1 - ink) & (counts >= 8))
    else:
        counts = _box_counts(ink, radius)
        keep = ink.astype(bool) & (counts > (radius + 1) * 3)
    return Image.fromarray(np.where(keep, 0, 255).astype(np.uint8))


def smooth(binary: Image.Image) -> Image.Image:
    """3x3 majority vote: the binary median filter, for text at OCR size (lines of 30 px and more)."""
    _, counts = _neighbours(binary)
    return Image.fromarray(np.where(counts >= 5, 0, 255).astype(np.uint8))


def _turn(image: Image.Image, angle: float) -> Image.Image:
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)


def _rethreshold(image: Image.Image) -> Image.Image:
    return Image.fromarray(np.where(np.asarray(image) >= 128, 255, 0).astype(np.uint8))


def prepare(image: Image.Image) -> Prepared:
    """Grey, flatten, threshold, denoise, straighten, enlarge small print."""
    gray = to_gray(image)
    if gray.width * gray.height > _MAX_PIXELS:
        shrink = math.sqrt(_MAX_PIXELS / (gray.width * gray.height))
        gray = gray.resize((int(gray.width * shrink), int(gray.height * shrink)), Image.Resampling.LANCZOS)
    gray = flatten_background(gray)
    binary, blank = binarize(gray)
    if blank:
        return Prepared(binary, 0.0, False, 1.0, True)
    # Lone specks go first: they blur the profiles and fill every row,
    # hiding the line bands that tell the print size.
    binary = despeckle(binary)
    angle, sideways = estimate_skew(binary)
    if sideways:
        # Which of 90/270 is decided later together with upside down.
        gray = gray.transpose(Image.Transpose.ROTATE_90)
        binary = binary.transpose(Image.Transpose.ROTATE_90)
        angle, _ = estimate_skew(binary)
    if abs(angle) < 0.1:
        angle = 0.0
    else:
        # Turning the thresholded page is three times faster than the grey
        # one and reads the same once thresholded again.
        binary = _rethreshold(_turn(binary, angle))
    scale = 1.0
    height = line_height(binary)
    if height is not None and height < _LARGE_LINE_PX:
        # Small print (a 150 dpi scan) is enlarged in grey and thresholded
        # again, like a PDF page rendered at 300 dpi; its specks grow with
        # it and are removed at the larger size below.
        scale = min(_MAX_UPSCALE, _TARGET_LINE_PX / height)
        if angle:
            gray = _turn(gray, angle)
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.Resampling.BICUBIC)
        binary, blank = binarize(gray)
        if blank:
            return Prepared(binary, angle, sideways, scale, True)
        binary = despeckle(binary)
        height *= scale
    if height is not None and height >= _LARGE_LINE_PX:
        binary = despeckle(binary, radius=2)
    return Prepared(smooth(binary), angle, sideways, scale, False)


# -- page images ----------------------------------------------------------------------


def _pdfium() -> Any | None:
    try:
        import pypdfium2
    except ImportError:
        return None
    return pypdfium2


def _render_scale(width_pt: float, height_pt: float, dpi: int) -> float:
    scale = dpi / 72.0
    pixels = width_pt * scale * height_pt * scale
    if pixels > _MAX_RENDER_PIXELS:  # posters and A0 plans
        scale *= (_MAX_RENDER_PIXELS / pixels) ** 0.5
    return scale


class PdfPages:
    """Page renderer: pypdfium2, else poppler's pdftoppm."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.module: Any = _pdfium()
        self.document: Any = None
        if self.module is not None:
            try:
                self.document = self.module.PdfDocument(data)
            except self.module.PdfiumError as exc:
                log.info("pdfium could not open a PDF: %s", exc)
                raise IngestError("Không mở được tệp PDF để dựng ảnh trang: tệp bị hỏng hoặc có mật khẩu") from exc
        elif shutil.which("pdftoppm") is None:
            raise IngestError("Cần pypdfium2 hoặc pdftoppm (poppler-utils) để dựng ảnh trang PDF",
                              hint="pip install pypdfium2, hoặc sudo apt-get install poppler-utils")

    def __len__(self) -> int:
        if self.document is not None:
            return len(self.document)
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(self.data)).pages)

    def render(self, number: int, dpi: int) -> tuple[Image.Image, int]:
        """Page ``number`` (1-based) in colour, and the resolution it was drawn at."""
        if self.document is not None:
            try:
                page = self.document[number - 1]
                try:
                    width, height = page.get_size()
                    scale = _render_scale(width, height, dpi)
                    image = page.render(scale=scale, may_draw_forms=True).to_pil()
                finally:
                    page.close()
            except self.module.PdfiumError as exc:
                log.info("pdfium could not render page %d: %s", number, exc)
                raise IngestError(f"Không dựng được ảnh trang {number} của tệp PDF: trang bị hỏng") from exc
            return image, round(scale * 72)
        return _pdftoppm(self.data, number, dpi), dpi

    def image_coverage(self, number: int) -> float:
        """Share of the page's area under image objects (0 when unknown)."""
        if self.document is None:
            return 0.0
        try:
            page = self.document[number - 1]
        except self.module.PdfiumError as exc:  # a damaged page: not known to be a scan
            log.info("pdfium could not open page %d: %s", number, exc)
            return 0.0
        try:
            width, height = page.get_size()
            area = 0.0
            for item in page.get_objects(filter=(self.module.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
                left, bottom, right, top = item.get_bounds()
                left, right = max(0.0, left), min(width, right)
                bottom, top = max(0.0, bottom), min(height, top)
                area += max(0.0, right - left) * max(0.0, top - bottom)
            return min(1.0, area / (width * height)) if width and height else 0.0
        finally:
            page.close()

    def close(self) -> None:
        """Release the open PDF."""
        if self.document is not None:
            self.document.close()


def _pdftoppm(data: bytes, number: int, dpi: int) -> Image.Image:
    args = ["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-png", "-"]
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=_RENDER_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not run pdftoppm: %s", exc)
        raise IngestError(f"Không dựng được ảnh trang {number}: không chạy được pdftoppm") from exc
    if done.returncode != 0 or not done.stdout:
        log.info("pdftoppm exited with %d: %s", done.returncode, done.stderr.decode("utf-8", "replace").strip())
        raise IngestError(f"pdftoppm không dựng được trang {number}: tệp PDF có thể bị hỏng")
    try:
        return Image.open(io.BytesIO(done.stdout))
    except (UnidentifiedImageError, OSError) as exc:
        log.info("pdftoppm gave no readable image: %s", exc)
        raise IngestError(f"pdftoppm không dựng được trang {number}: tệp PDF có thể bị hỏng") from exc


def open_image(data: bytes) -> Image.Image:
    """A Pillow image of a PNG/JPEG/TIFF file, or :class:`IngestError` when it is not one."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise IngestError("Ảnh quá lớn để nhận dạng chữ", hint="hãy quét lại ở độ phân giải 300 dpi") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        log.info("unreadable image: %s: %s", type(exc).__name__, exc)
        if not data:
            raise IngestError("Tệp ảnh rỗng (0 byte): không có nội dung") from exc
        raise IngestError("Tệp ảnh bị hỏng hoặc không đúng định dạng (PNG, JPEG, TIFF)") from exc
    return image


def image_frame(image: Image.Image, index: int) -> tuple[Image.Image, int]:
    """Frame ``index`` (0-based) upright by its EXIF orientation, and its resolution."""
    image.seek(index)
    frame = ImageOps.exif_transpose(image.copy()) or image.copy()
    dpi = image.info.get("dpi")
    try:
        resolution = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        resolution = 0
    # Cameras write 72 or nothing; a page photographed is nearer 300.
    return frame, resolution if resolution >= 100 else _DEFAULT_IMAGE_DPI
