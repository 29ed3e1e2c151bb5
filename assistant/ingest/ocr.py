"""Offline OCR of scanned pages: tesseract with the Vietnamese model.

A loader hands over the pages that have no usable text layer; each page is
rendered (pypdfium2, else poppler's ``pdftoppm``), cleaned
(:mod:`assistant.ingest.ocr_preprocess`), read by ``tesseract`` as TSV (words
with confidences) and turned back into lines. Lines that are OCR garbage
(stamps, signatures, specks) are dropped by confidence and letter share, so
they cannot become clauses in the structure parser.

Cost and control:

* pages are read in parallel by ``workers`` tesseract processes, each held
  to one thread (``OMP_THREAD_LIMIT=1``: tesseract's own threading only
  fights a second process for the same cores);
* results are cached by page: the key is the sha256 of the rendered page's
  pixels with the language, resolution and :data:`CACHE_VERSION`, so a
  re-ingest, or a second file with the same pages, never reads a page twice;
* ``progress(done, total)`` is called from the calling thread after each page
  (and once with ``done=0``); setting ``cancel`` stops the running tesseract
  processes and raises :class:`IngestError` ("đã hủy"), keeping finished
  pages in the cache;
* a page that reads badly (mean word confidence under 70) is checked for
  orientation with tesseract's OSD and read again turned, keeping the better
  reading. OSD costs about as much as reading the page, so upright pages
  never pay for it.

A page or file that cannot be read gets a Vietnamese reason (tesseract's and
Pillow's English text goes to the log). Importing this module is cheap: numpy,
Pillow and pypdfium2 load on first use.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import IngestError, UnsupportedFormat
from assistant.ingest.ocr_text import LOW_CONFIDENCE, OCRPage, assemble, parse_tsv

if TYPE_CHECKING:
    from PIL import Image

    from assistant.settings import OCRSettings

PageProgress = Callable[[int, int], None]
log = logging.getLogger(__name__)

CACHE_VERSION = "1"  # bump when preprocessing or text assembly changes what a page reads as
_CHECK_ORIENTATION_BELOW = 70.0  # upright print reads at 85-97; upside down at ~45
_MIN_OSD_CONFIDENCE = 1.0
_PAGE_TIMEOUT = 300.0
_POLL_SECONDS = 0.2
INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"


@dataclass(frozen=True)
class OCROptions:
    """How scanned pages are read; ``OCROptions.from_settings`` builds it from ``settings.ocr``."""

    enabled: bool = True
    language: str = "vie"  # tesseract model(s), "vie" or "vie+eng"
    dpi: int = 300  # resolution PDF pages are rendered at
    workers: int = 2  # pages read in parallel (one tesseract process each)
    cache_dir: Path | None = None  # page results by image hash; None = no cache
    progress: PageProgress | None = None  # progress(done, total), per page
    cancel: threading.Event | None = None  # set it to stop; the load raises IngestError

    @classmethod
    def from_settings(
        cls,
        settings: OCRSettings,
        *,
        cache_dir: Path | None = None,
        progress: PageProgress | None = None,
        cancel: threading.Event | None = None,
    ) -> OCROptions:
        """Options from the OCR settings, with a page cache folder and hooks."""
        return cls(enabled=settings.enabled, language=settings.language, dpi=settings.dpi,
                   workers=settings.workers, cache_dir=cache_dir, progress=progress, cancel=cancel)


# -- availability ---------------------------------------------------------------


def find_tesseract() -> str | None:
    """Path of the tesseract executable, or None."""
    return shutil.which("tesseract")


@lru_cache(maxsize=8)
def _languages(executable: str) -> frozenset[str]:
    try:
        done = subprocess.run([executable, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # The first line is a header ("List of available languages in ...").
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def ocr_unavailable(options: OCROptions | None) -> str | None:
    """Why OCR cannot run with these options (a Vietnamese phrase), or None when it can."""
    if options is None:
        return "chưa bật nhận dạng chữ (OCR) cho lần nạp này"
    if not options.enabled:
        return "nhận dạng chữ (OCR) đang tắt trong cấu hình (ocr.enabled)"
    executable = find_tesseract()
    if executable is None:
        return f"máy chưa cài tesseract ({INSTALL_HINT})"
    missing = [code for code in options.language.split("+") if code not in _languages(executable)]
    if missing:
        return f"tesseract thiếu dữ liệu ngôn ngữ '{'+'.join(missing)}' ({INSTALL_HINT})"
    return None


# -- cache ------------------------------------------------------------------------


def page_key(image: Image.Image, language: str, dpi: int) -> str:
    """Cache key of a rendered page: its pixels, the language, the resolution."""
    digest = hashlib.sha256(f"chibo-ocr/{CACHE_VERSION}/{language}/{dpi}/{image.mode}/{image.size}/".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


class _Cache:
    """One JSON file per page; a damaged or unwritable cache only costs time."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> OCRPage | None:
        if self.root is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return OCRPage(text=str(data["text"]), confidence=data["confidence"], words=int(data["words"]),
                           turned=int(data.get("turned", 0)), skew=float(data.get("skew", 0.0)), cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, page: OCRPage) -> None:
        if self.root is None or page.error:
            return
        path = self._path(key)
        record = {k: v for k, v in asdict(page).items() if k not in ("cached", "error")}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            pass


# -- tesseract ----------------------------------------------------------------------


class _Stopped(Exception):
    """The run was cancelled while this page was being read."""


class _PageFailed(Exception):
    pass


class _Tesseract:
    """Runs tesseract processes for the worker threads and can stop them all."""

    def __init__(self, executable: str, language: str) -> None:
        self.executable = executable
        self.language = language
        self.osd = "osd" in _languages(executable)
        self.env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            running = list(self._running)
        for process in running:
            process.kill()

    def _call(self, args: list[str], image: bytes) -> bytes:
        process = subprocess.Popen([self.executable, "stdin", "stdout", *args], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        with self._lock:
            if self._stopped:
                process.kill()
            self._running.add(process)
        try:
            out, err = process.communicate(image, timeout=_PAGE_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise _PageFailed(f"tesseract quá {_PAGE_TIMEOUT:.0f} giây") from None
        finally:
            with self._lock:
                self._running.discard(process)
        if self._stopped:
            raise _Stopped
        if process.returncode != 0:
            log.warning("tesseract exited with %d: %s", process.returncode, err.decode("utf-8", "replace").strip())
            raise _PageFailed(f"tesseract báo lỗi {process.returncode} khi đọc trang")
        return out

    def read_page(self, image: Image.Image, dpi: int) -> OCRPage:
        """Prepare and read one page (called in a worker thread)."""
        from assistant.ingest.ocr_preprocess import prepare

        if self._stopped:
            raise _Stopped
        prepared = prepare(image)
        if prepared.blank:
            return OCRPage("", None, 0)
        dpi = max(70, round(dpi * prepared.scale))
        turned = 90 if prepared.sideways else 0
        page = self._read(prepared.image, dpi)
        if self.osd and (page.confidence is None or page.confidence < _CHECK_ORIENTATION_BELOW):
            rotate = self._orientation(prepared.image, dpi)
            if rotate:
                # OSD's "Rotate" is clockwise; Pillow turns counter-clockwise.
                again = self._read(prepared.image.rotate(-rotate, expand=True), dpi)
                if (again.confidence or 0.0) > (page.confidence or 0.0):
                    page, turned = again, (turned - rotate) % 360
        return OCRPage(page.text, page.confidence, page.words, turned, round(prepared.skew, 2))

    def _read(self, image: Image.Image, dpi: int) -> OCRPage:
        out = self._call(["-l", self.language, "--dpi", str(dpi), "--psm", "3", "tsv"], _png(image, dpi))
        return assemble(parse_tsv(out.decode("utf-8", "replace")))

    def _orientation(self, image: Image.Image, dpi: int) -> int:
        """Clockwise degrees OSD says the page needs, 0 when unsure or too little text."""
        try:
            out = self._call(["-l", "osd", "--psm", "0", "--dpi", str(dpi)], _png(image, dpi))
        except _PageFailed:  # "Too few characters": nothing to orient by
            return 0
        text = out.decode("utf-8", "replace")
        rotate = re.search(r"Rotate:\s*(\d+)", text)
        confidence = re.search(r"Orientation confidence:\s*([\d.]+)", text)
        if rotate is None or confidence is None or float(confidence.group(1)) < _MIN_OSD_CONFIDENCE:
            return 0
        return int(rotate.group(1)) % 360


def _png(image: Image.Image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi), compress_level=1)
    return buffer.getvalue()


# -- running pages ---------------------------------------------------------------------

# A page source, called in the calling thread: (image, dpi of that image).
PageSource = Callable[[], "tuple[Image.Image, int]"]


def _cancelled(done: int, total: int) -> IngestError:
    return IngestError(f"Nhận dạng chữ (OCR) đã hủy theo yêu cầu (xong {done}/{total} trang)",
                       hint="các trang đã đọc được giữ lại, lần nạp sau không phải đọc lại")


def run_pages(sources: Sequence[PageSource], options: OCROptions) -> list[OCRPage]:
    """OCR every page source, in parallel, with cache, progress and cancellation.

    Sources are called one at a time in the calling thread (pdfium is not
    thread-safe), a page ahead of the free workers so they never wait for a
    render. Raises :class:`IngestError` when cancelled or when OCR is unavailable.
    """
    reason = ocr_unavailable(options)
    if reason is not None:
        raise IngestError(f"Không nhận dạng chữ được: {reason}")
    executable = find_tesseract()
    assert executable is not None
    engine = _Tesseract(executable, options.language)
    cache = _Cache(options.cache_dir)
    report = options.progress or (lambda done, total: None)
    cancel = options.cancel
    total = len(sources)
    results: list[OCRPage | None] = [None] * total
    workers = max(1, options.workers)
    done = 0
    report(0, total)
    pending: dict[Future[OCRPage], tuple[int, str]] = {}
    queued = 0
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr")
    finished_cleanly = False
    try:
        while queued < total or pending:
            if cancel is not None and cancel.is_set():
                raise _cancelled(done, total)
            if queued < total and len(pending) <= workers:
                image, dpi = sources[queued]()
                key = page_key(image, options.language, dpi)
                hit = cache.get(key)
                if hit is not None:
                    results[queued] = hit
                    done += 1
                    report(done, total)
                else:
                    pending[pool.submit(engine.read_page, image, dpi)] = (queued, key)
                queued += 1
                continue
            finished, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                index, key = pending.pop(future)
                page = _result(future)
                cache.put(key, page)
                results[index] = page
                done += 1
                report(done, total)
        finished_cleanly = True
    finally:
        if not finished_cleanly:
            # Running tesseracts are killed; a worker still preparing its
            # image finds the engine stopped and ends on its own, unwaited.
            engine.stop()
        pool.shutdown(wait=finished_cleanly, cancel_futures=True)
    return [page if page is not None else OCRPage("", None, 0, error="không đọc được") for page in results]


def _result(future: Future[OCRPage]) -> OCRPage:
    try:
        return future.result()
    except _PageFailed as exc:
        return OCRPage("", None, 0, error=str(exc))
    except (OSError, ValueError) as exc:  # tesseract vanished, an undecodable image
        log.warning("OCR of a page failed: %s: %s", type(exc).__name__, exc)
        reason = "không chạy được tesseract" if isinstance(exc, OSError) else "ảnh trang không đọc được"
        return OCRPage("", None, 0, error=reason)


def pdf_image_coverage(data: bytes, numbers: Iterable[int]) -> dict[int, float]:
    """For each page number, the share of the page covered by pictures (a scan is ~1.0)."""
    from assistant.ingest.ocr_preprocess import PdfPages

    pages = PdfPages(data)
    try:
        return {number: pages.image_coverage(number) for number in numbers}
    finally:
        pages.close()


def ocr_pdf_pages(data: bytes, numbers: Sequence[int], options: OCROptions) -> dict[int, OCRPage]:
    """OCR the given pages (1-based) of the PDF in ``data``."""
    from assistant.ingest.ocr_preprocess import PdfPages

    pages = PdfPages(data)
    try:
        sources = [_bind(pages.render, number, options.dpi) for number in numbers]
        return dict(zip(numbers, run_pages(sources, options), strict=True))
    finally:
        pages.close()


def _bind(render: Callable[[int, int], tuple[Image.Image, int]], number: int, dpi: int) -> PageSource:
    return lambda: render(number, dpi)


# -- image files -------------------------------------------------------------------------

def ocr_image(data: bytes, options: OCROptions) -> list[OCRPage]:
    """OCR every frame of an image file (a multi-page TIFF gives several pages)."""
    from assistant.ingest.ocr_preprocess import open_image

    image = open_image(data)
    count = getattr(image, "n_frames", 1)
    try:
        return run_pages([_frame_source(image, index) for index in range(count)], options)
    except (OSError, ValueError) as exc:  # a truncated frame inside a multi-page TIFF
        log.info("damaged image frame: %s", exc)
        raise IngestError("Tệp ảnh bị hỏng: có trang ảnh không đọc được") from exc


def _frame_source(image: Image.Image, index: int) -> PageSource:
    from assistant.ingest.ocr_preprocess import image_frame

    return lambda: image_frame(image, index)


# -- page images on request -----------------------------------------------------------------

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def render_page_image(path: Path, page_number: int, *, dpi: int = 150) -> bytes:
    """PNG of page ``page_number`` (1-based) of a PDF or image file, as it is in the source."""
    from assistant.ingest.loaders.files import read_source
    from assistant.ingest.ocr_preprocess import PdfPages, image_frame, open_image

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", *IMAGE_SUFFIXES):
        raise UnsupportedFormat(f"Chỉ xem được ảnh trang của tệp PDF hoặc tệp ảnh, không phải {suffix or path.name}")
    data = read_source(path)
    if suffix == ".pdf":
        pages = PdfPages(data)
        try:
            count = len(pages)
            _check_page(page_number, count)
            image, _ = pages.render(page_number, dpi)
        finally:
            pages.close()
    else:
        source = open_image(data)
        _check_page(page_number, getattr(source, "n_frames", 1))
        image, _ = image_frame(source, page_number - 1)
        if image.mode not in ("1", "L", "RGB", "RGBA"):
            image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _check_page(number: int, count: int) -> None:
    if not 1 <= number <= count:
        raise IngestError(f"Không có trang {number} (tệp có {count} trang)")


# -- reporting --------------------------------------------------------------------------------


def document_confidence(pages: Iterable[OCRPage]) -> float | None:
    """Mean word confidence over all OCR'd pages, weighted by their words."""
    weighted = [(page.confidence, page.words) for page in pages if page.confidence is not None and page.words]
    words = sum(count for _, count in weighted)
    return round(sum(conf * count for conf, count in weighted) / words, 1) if words else None


def ocr_warnings(results: dict[int, OCRPage], page_list: Callable[[list[int]], str]) -> list[str]:
    """User-facing notes on an OCR run: coverage and confidence, poor pages, failures."""
    warnings: list[str] = []
    read = sorted(number for number, page in results.items() if page.text)
    if read:
        confidence = document_confidence(results[number] for number in read)
        shown = f", độ tin cậy trung bình {confidence:.0f}%" if confidence is not None else ""
        warnings.append(f"Trang {page_list(read)} là ảnh quét, đã nhận dạng chữ (OCR){shown}; "
                        "trích dẫn từ các trang này cần đối chiếu với bản gốc")
    poor = [n for n in read if (results[n].confidence or 0.0) < LOW_CONFIDENCE]
    if poor:
        listed = ", ".join(f"{n} ({results[n].confidence or 0:.0f}%)" for n in poor)
        warnings.append(f"Nhận dạng chữ kém (độ tin cậy dưới {LOW_CONFIDENCE:.0f}%) ở trang {listed}: "
                        "nên quét lại rõ hơn (300 dpi, thẳng trang)")
    failed = sorted(number for number, page in results.items() if page.error)
    for number in failed:
        warnings.append(f"Không nhận dạng được chữ ở trang {number} ({results[number].error})")
    blank = sorted(n for n, page in results.items() if not page.text and not page.error)
    if blank:
        warnings.append(f"Trang {page_list(blank)} là ảnh nhưng không nhận ra chữ nào (trang trắng hoặc hình)")
    return warnings
