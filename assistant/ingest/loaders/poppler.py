"""Poppler's ``pdftotext`` (Debian package poppler-utils), an optional helper.

Plain mode (no ``-layout``): ``-layout`` pads lines with spaces to mimic
columns and adds blank lines between blocks, which helps tables but breaks
the sentence flow the structure parser and chunker rely on.

A failed run is described in Vietnamese (:attr:`PopplerResult.error`, shown in
warnings); pdftotext's own English message goes to the log.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass

from assistant.ingest.loaders.files import clean_page

log = logging.getLogger(__name__)

_BASE_TIMEOUT = 60.0
_PER_PAGE_TIMEOUT = 0.5


def find_pdftotext() -> str | None:
    """Path of the pdftotext executable, or None when poppler-utils is missing."""
    return shutil.which("pdftotext")


@dataclass(frozen=True)
class PopplerResult:
    """What one pdftotext run gave: page texts, or why it failed."""

    pages: list[str] | None  # cleaned text per page; None when pdftotext failed
    error: str = ""  # why it failed, in Vietnamese
    password: bool = False  # failed because the file needs a password


def pdftotext_pages(executable: str, data: bytes, expected_pages: int | None = None) -> PopplerResult:
    """Extract every page of the PDF in ``data`` with one pdftotext run.

    pdftotext ends each page with a form feed, which gives the page split. If
    the count disagrees with ``expected_pages`` (a form feed inside the
    text), fall back to one run per page.
    """
    timeout = _BASE_TIMEOUT + _PER_PAGE_TIMEOUT * (expected_pages or 200)
    result = _run([executable, "-enc", "UTF-8", "-", "-"], data, timeout)
    if result.pages is None:
        return result
    output = result.pages[0]
    if output.endswith("\f"):
        output = output[:-1]
    pages = output.split("\f")
    if expected_pages is not None and len(pages) != expected_pages:
        return _page_by_page(executable, data, expected_pages)
    return PopplerResult([clean_page(page) for page in pages])


def _page_by_page(executable: str, data: bytes, count: int) -> PopplerResult:
    pages: list[str] = []
    for number in range(1, count + 1):
        args = [executable, "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-", "-"]
        result = _run(args, data, _BASE_TIMEOUT)
        if result.pages is None:
            return result
        pages.append(clean_page(result.pages[0].replace("\f", "")))
    return PopplerResult(pages)


def _run(args: list[str], data: bytes, timeout: float) -> PopplerResult:
    """One pdftotext call reading the PDF from stdin; raw output as the only page."""
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return PopplerResult(None, f"pdftotext quá thời gian ({timeout:.0f} giây)")
    except OSError as exc:
        log.warning("could not run pdftotext: %s", exc)
        return PopplerResult(None, "không chạy được pdftotext")
    if done.returncode != 0:
        # Not run with -q: the messages on stderr are the only way to tell a
        # wrong password from a damaged file.
        stderr = done.stderr.decode("utf-8", "replace").strip()
        log.info("pdftotext exited with %d: %s", done.returncode, stderr)
        password = "incorrect password" in stderr.lower()
        reason = "tệp cần mật khẩu" if password else f"pdftotext báo lỗi {done.returncode}, tệp có thể bị hỏng"
        return PopplerResult(None, reason, password)
    return PopplerResult([done.stdout.decode("utf-8", "replace")])
