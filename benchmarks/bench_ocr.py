"""OCR quality and speed on scans we make from real law text (default ../shared/eval/alqac/docs).

For each law (plain text or Markdown, read in place through the project's
loader, never copied), the first ``--pages`` pages are typeset on A4 in
DejaVu Serif 13 pt with bold article headings, then "scanned" at each
resolution and profile (``scan``: turned by a random 0.5-2 degrees, grey
noise, specks, JPEG artefacts; ``hard``: a poor copy or phone photo, also
blurred and darker towards one edge). Each scan is saved as an image-only PDF (and, with ``--images``,
as PNG files) in a temporary folder and ingested with
``load_document(..., ocr=OCROptions(...))``.

Reported per law and resolution: character error rate (Levenshtein on NFC
text with whitespace runs made single spaces, against the typeset lines),
article headings ("Điều N" at a line start) recovered by ``parse_structure``
out of those typeset, mean OCR confidence, and pages per minute with
``--workers`` tesseract processes. ``--baseline`` also reads every page
with plain tesseract (no preprocessing, no line filter) for comparison.

    .venv/bin/python benchmarks/bench_ocr.py [--docs DIR] [--laws NAME ...] [--pages 3]
        [--dpis 150 300] [--profiles scan hard] [--images] [--baseline] [--out benchmarks/results/ocr.md]

Aims: CER <= 2% at 300 dpi, <= 5% at 150 dpi, every heading recovered.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.ingest.loaders import OCROptions, load_document  # noqa: E402
from assistant.ingest.structure import parse_structure  # noqa: E402

DEFAULT_DOCS = REPO.parent / "shared" / "eval" / "alqac" / "docs"
DEFAULT_LAWS = ("Luật Cư trú.txt", "Luật Thanh niên.md")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_HEADING = re.compile(r"(?m)^Điều\s+(\d{1,4})(?!\d)")
AIMS = {150: 0.05, 300: 0.02}


# -- measuring -------------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance, one numpy row at a time (a few seconds for 10,000-character pages).

    Insertions chain along the row; ``min.accumulate`` over ``row - j``
    applies them all at once: row[j] = min over k <= j of (row[k] + j - k).
    """
    import numpy as np

    left = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    right = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    columns = np.arange(len(right) + 1)
    row = columns.copy()
    for i, ch in enumerate(left, 1):
        step = np.empty_like(row)
        step[0] = i
        step[1:] = np.minimum(row[1:] + 1, row[:-1] + (right != ch))
        row = np.minimum.accumulate(step - columns) + columns
    return int(row[-1])


def errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference length) on normalised text."""
    reference, hypothesis = _normalised(reference), _normalised(hypothesis)
    return levenshtein(reference, hypothesis), len(reference)


# -- typesetting and scanning ---------------------------------------------------------


@dataclass
class Page:
    lines: list[tuple[str, bool]]  # (text, bold)

    @property
    def text(self) -> str:
        return "\n".join(line for line, _ in self.lines)


def typeset(text: str, pages: int) -> list[Page]:
    """Wrap paragraphs into A4 pages (13 pt, 1.4 line spacing, 2.5/2 cm margins)."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), 100)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 100)
    width_pt = (8.27 - 1.0 - 0.8) * 72
    lines_per_page = int((11.69 - 1.6) * 72 // (13 * 1.4))
    out: list[Page] = [Page([])]
    for paragraph in (p.strip() for p in text.split("\n")):
        if not paragraph:
            continue
        heavy = bool(_HEADING.match(paragraph))
        face = bold if heavy else font
        line = ""
        wrapped: list[str] = []
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and face.getlength(candidate) * 13 / 100 > width_pt:
                wrapped.append(line)
                line = word
            else:
                line = candidate
        wrapped.append(line)
        for piece in wrapped:
            if len(out[-1].lines) >= lines_per_page:
                if len(out) == pages:
                    return out
                out.append(Page([]))
            out[-1].lines.append((piece, heavy))
    return out


@dataclass(frozen=True)
class Profile:
    """How bad the scan is."""

    name: str
    max_skew: float  # degrees, either way (at least 0.5)
    noise: float  # grey noise sigma
    specks: float  # share of pixels turned black
    quality: int  # JPEG quality
    blur: float  # Gaussian blur radius in pixels at 300 dpi (0 = none)
    shadow: float  # darkening towards one edge, 0-1 (a photo or a copy with a dark margin)


PROFILES = {
    "scan": Profile("scan", 2.0, 10.0, 0.002, 50, 0.0, 0.0),
    "hard": Profile("hard", 3.0, 20.0, 0.005, 35, 1.2, 0.45),
}


def scan(page: Page, dpi: int, rng: random.Random, profile: Profile = PROFILES["scan"]):
    """The page as a colour scan: slightly turned, noisy, specked, JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    size = round(13 / 72 * dpi)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), size)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), size)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    paper = (248, 246, 238)
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    y = 0.8 * dpi
    for text, heavy in page.lines:
        draw.text((1.0 * dpi, y), text, fill=(25, 25, 25), font=bold if heavy else font)
        y += 13 * 1.4 / 72 * dpi
    angle = rng.uniform(0.5, profile.max_skew) * rng.choice((-1, 1))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    if profile.blur:
        image = image.filter(ImageFilter.GaussianBlur(profile.blur * dpi / 300))
    pixels = np.asarray(image).astype(np.float32)
    if profile.shadow:
        fade = np.linspace(1.0 - profile.shadow, 1.0, width, dtype=np.float32)
        pixels *= fade[None, :, None]
    generator = np.random.default_rng(rng.randrange(1 << 30))
    pixels += generator.normal(0.0, profile.noise, pixels.shape[:2])[..., None]
    pixels[generator.random(pixels.shape[:2]) < profile.specks] = 0.0
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=profile.quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


# -- running -----------------------------------------------------------------------------


@dataclass
class Row:
    law: str
    profile: str
    route: str  # "pdf" or "png"
    dpi: int
    pages: int
    edits: int
    length: int
    headings: int
    recovered: int
    missing: list[str]
    confidence: float | None
    seconds: float
    baseline: float | None = None

    @property
    def cer(self) -> float:
        return self.edits / max(1, self.length)


def baseline_cer(images, reference: str, dpi: int) -> float:
    """Plain tesseract on the scan as it is: what preprocessing and filtering buy."""
    edits = length = 0
    parts = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, "PNG", dpi=(dpi, dpi))
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "vie", "--dpi", str(dpi)],
                              input=buffer.getvalue(), capture_output=True, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        parts.append(done.stdout.decode("utf-8", "replace"))
    edits, length = errors(reference, "\n".join(parts))
    return edits / max(1, length)


def run_one(law: str, profile: str, pages: list[Page], images, dpi: int, route: str, folder: Path,
            options: OCROptions, baseline: bool) -> Row:
    reference = "\n".join(page.text for page in pages)
    stem = f"{Path(law).stem}-{profile}-{dpi}"
    if route == "pdf":
        paths = [folder / f"{stem}.pdf"]
        images[0].save(paths[0], "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    else:
        paths = [folder / f"{stem}-{number}.png" for number in range(1, len(images) + 1)]
        for path, image in zip(paths, images, strict=True):
            image.save(path, dpi=(dpi, dpi))
    started = time.perf_counter()
    loaded = [load_document(path, ocr=options) for path in paths]
    seconds = time.perf_counter() - started
    text = "\n".join(item.text for item in loaded)
    edits, length = errors(reference, text)
    expected = [m.group(1) for m in _HEADING.finditer(reference)]
    found = {u.label for u in parse_structure(text) if u.kind == "dieu"}
    missing = [n for n in expected if n not in found]
    spans = [span for item in loaded for span in item.pages if span.ocr and span.confidence is not None]
    confidence = sum(span.confidence for span in spans) / len(spans) if spans else None  # type: ignore[misc]
    return Row(law, profile, route, dpi, len(images), edits, length, len(expected), len(expected) - len(missing), missing,
               confidence, seconds, baseline_cer(images, reference, dpi) if baseline else None)


def tesseract_version() -> str:
    try:
        return subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                              check=False).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "tesseract (unknown)"


def report(rows: list[Row], args: argparse.Namespace, total_seconds: float) -> str:
    lines = [
        "# OCR benchmark: scans made from law text",
        "",
        f"`benchmarks/bench_ocr.py` on {time.strftime('%Y-%m-%d')}: {tesseract_version()}, "
        f"{os.cpu_count()} cores, {args.workers} workers, pages rendered at {args.render_dpi} dpi for OCR. "
        f"Load average at the end {os.getloadavg()[0]:.1f} (other work on the machine slows the timings).",
        f"Laws: {', '.join(args.laws)} (first {args.pages} pages of each, typeset in DejaVu Serif 13 pt, bold "
        "article headings). Scan profiles: `scan` turned 0.5-2°, grey noise σ=10, 0.2% specks, JPEG quality 50; "
        "`hard` (a poor copy or phone photo) turned 0.5-3°, blurred (1.2 px at 300 dpi), 45% darker towards "
        "one edge, noise σ=20, 0.5% specks, JPEG quality 35.",
        "CER: Levenshtein distance on NFC text with whitespace runs made single spaces, over the typeset "
        "characters. Headings: \"Điều N\" line starts typeset on those pages that `parse_structure` finds "
        "in the OCR text.",
        "",
        "| law | profile | route | scan dpi | pages | CER | baseline CER | headings | confidence | s | pages/min |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        base = f"{row.baseline:.2%}" if row.baseline is not None else "–"
        conf = f"{row.confidence:.1f}" if row.confidence is not None else "–"
        lines.append(f"| {row.law} | {row.profile} | {row.route} | {row.dpi} | {row.pages} | {row.cer:.2%} | {base} | "
                     f"{row.recovered}/{row.headings} | {conf} | {row.seconds:.1f} | "
                     f"{60 * row.pages / row.seconds:.1f} |")
    lines += ["", "| profile | route | scan dpi | CER (all pages) | aim | headings | pages/min |",
              "|---|---|---:|---:|---:|---:|---:|"]
    verdicts = []
    for profile in dict.fromkeys(row.profile for row in rows):
        for route in dict.fromkeys(row.route for row in rows):
            for dpi in dict.fromkeys(row.dpi for row in rows):
                group = [r for r in rows if (r.profile, r.route, r.dpi) == (profile, route, dpi)]
                if not group:
                    continue
                cer = sum(r.edits for r in group) / max(1, sum(r.length for r in group))
                headings, recovered = sum(r.headings for r in group), sum(r.recovered for r in group)
                speed = 60 * sum(r.pages for r in group) / sum(r.seconds for r in group)
                aim = AIMS.get(dpi) if profile == "scan" else None
                if aim is not None:
                    verdicts.append(cer <= aim and recovered == headings)
                lines.append(f"| {profile} | {route} | {dpi} | {cer:.2%} | {f'≤ {aim:.0%}' if aim else '–'} | "
                             f"{recovered}/{headings} | {speed:.1f} |")
    missing = [f"{r.law} {r.profile} {r.route} {r.dpi} dpi: Điều {', '.join(r.missing)}" for r in rows if r.missing]
    lines += ["", "Missing headings: " + ("; ".join(missing) if missing else "none."),
              f"Aims (profile `scan`) met: {'yes' if verdicts and all(verdicts) else 'no'}. "
              f"Total run {total_seconds:.0f} s.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--laws", nargs="+", default=list(DEFAULT_LAWS), help="file names in --docs (.txt/.md)")
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--dpis", type=int, nargs="+", default=[150, 300], help="scan resolutions")
    parser.add_argument("--render-dpi", type=int, default=300, help="resolution PDF pages are rendered at for OCR")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--images", action="store_true", help="also ingest the scans as PNG files")
    parser.add_argument("--baseline", action="store_true", help="also read the scans with plain tesseract")
    parser.add_argument("--profiles", nargs="+", choices=sorted(PROFILES), default=["scan"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "ocr.md")
    args = parser.parse_args()
    if not (FONT_DIR / "DejaVuSerif.ttf").exists():
        print(f"needs DejaVu fonts in {FONT_DIR} (fonts-dejavu-core)", file=sys.stderr)
        return 1
    options = OCROptions(dpi=args.render_dpi, workers=args.workers)
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as temporary:
        folder = Path(temporary)
        for law in args.laws:
            source = args.docs / law
            if source.suffix.lower() not in (".txt", ".md"):
                print(f"skip {law}: only .txt and .md are read for the reference text", file=sys.stderr)
                continue
            pages = typeset(load_document(source).text, args.pages)
            for profile in args.profiles:
                for dpi in args.dpis:
                    rng = random.Random(f"{args.seed}/{law}/{profile}/{dpi}")
                    images = [scan(page, dpi, rng, PROFILES[profile]) for page in pages]
                    for route in ("pdf", "png") if args.images else ("pdf",):
                        row = run_one(law, profile, pages, images, dpi, route, folder, options,
                                      args.baseline and route == "pdf")
                        rows.append(row)
                        print(f"{law} {profile} {route} {dpi} dpi: CER {row.cer:.2%}, "
                              f"headings {row.recovered}/{row.headings}, {row.seconds:.1f} s"
                              + (f", baseline CER {row.baseline:.2%}" if row.baseline is not None else ""),
                              flush=True)
    text = report(rows, args, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
