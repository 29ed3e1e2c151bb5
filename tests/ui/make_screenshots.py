"""Screenshots of every tab for the docs: ``python -m tests.ui.make_screenshots [OUT_DIR]``.

Starts the interface on a free loopback port over a temporary data dir (fake
embedder, non-capable fake LLM: answers are verbatim quotes), signs in through
the app's own login page in headless Debian Chromium, uses each tab once and
saves a PNG per tab at desktop width (1400 px), then the member's and the
secretary's main screens at phone width (390×844) (default ``docs/screenshots/``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from assistant.offline import enforce_offline

REPO = Path(__file__).resolve().parents[2]
CELL = {"cell": {"name": "CHI BỘ KHU PHỐ 2", "parent": "ĐẢNG BỘ PHƯỜNG AN HÒA", "place": "An Hòa"}}
QUESTION = "Đảng viên dự bị có phải cài đặt ứng dụng Sổ tay đảng viên điện tử không?"
PHONE = (390, 844)


def _shooter(page: Any, out_dir: Path, shots: list[Path]) -> Any:
    def shot(name: str, full_page: bool = True) -> None:
        path = out_dir / f"{name}.png"
        page.wait_for_timeout(700)
        page.screenshot(path=str(path), full_page=full_page)
        shots.append(path)

    return shot


def ask(page: Any) -> None:
    """Ask the sample question and wait for the cited passages."""
    page.locator("#ask-question textarea").fill(QUESTION)
    page.locator("#ask-submit").click()
    page.locator("#ask-sources mark").first.wait_for()


def read_and_build_minutes(page: Any, notes: str) -> None:
    """Paste notes, read them, draft the minutes, wait for the download."""
    page.locator("#minutes-notes textarea").fill(notes)
    page.locator("#minutes-read").click()
    page.locator("#minutes-found a.chibo-line").first.wait_for()
    page.locator("#minutes-build").click()
    page.locator("#minutes-docx a").first.wait_for()


def bulletin(page: Any) -> None:
    """Pick the first document and make a bulletin."""
    box = page.locator("#bulletin-docs input").first
    box.click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.locator("#bulletin-build").click()
    page.locator("#bulletin-files a").first.wait_for(timeout=120_000)


def main(out_dir: Path) -> list[Path]:
    """Take every screenshot into ``out_dir``; the paths written."""
    enforce_offline()
    from tests.ui.browser import chromium_page, login, open_tab
    from tests.ui.conftest import NOTES, PASSWORD, start_ui, stop_ui

    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        ui = start_ui(Path(tmp) / "data", extra=CELL)
        try:
            with chromium_page(width=1400, height=950) as (page, _):
                shot = _shooter(page, out_dir, shots)
                page.goto(ui.url)
                page.locator("#username").wait_for()
                shot("00-dang-nhap")
                login(page, ui.url, "quantri", PASSWORD)

                open_tab(page, "Tài liệu")
                page.locator("#docs-upload input[type=file]").set_input_files(str(ui.sample))
                page.locator("#docs-ingest").click()
                page.locator("#docs-ingest-summary strong").wait_for()
                shot("02-tai-lieu")

                open_tab(page, "Hỏi đáp")
                ask(page)
                shot("01-hoi-dap")

                open_tab(page, "Biên bản")
                read_and_build_minutes(page, NOTES)
                page.locator("#minutes-found a.chibo-line").nth(2).click()
                shot("03-bien-ban")

                open_tab(page, "Tóm tắt họp")
                page.locator("#summary-notes textarea").fill(NOTES)
                page.locator("#summary-build").click()
                page.locator("#summary-tasks .body-cell", has_text="Trần Văn Bảo").first.wait_for()
                shot("04-tom-tat-hop")

                open_tab(page, "Báo cáo")
                page.locator("#report-month input").first.fill("tháng 4/2026")
                page.keyboard.press("Enter")
                page.locator("#report-build").click()
                page.locator("#report-docx a").first.wait_for()
                shot("05-bao-cao")

                open_tab(page, "Bản tin âm thanh")
                bulletin(page)
                shot("06-ban-tin")

                open_tab(page, "Hệ thống")
                page.locator("#system-refresh").click()
                page.locator("#system-models").get_by_text("Mô hình ngôn ngữ").wait_for()
                page.locator("#system-audit").get_by_text("Nhật ký").first.click()
                shot("07-he-thong")

            with chromium_page(width=PHONE[0], height=PHONE[1]) as (page, _):
                shot = _shooter(page, out_dir, shots)
                page.goto(ui.url)
                page.locator("#username").wait_for()
                shot("10-dien-thoai-dang-nhap", full_page=False)
                login(page, ui.url, "dangvien", PASSWORD)
                ask(page)
                shot("11-dien-thoai-hoi-dap")
                open_tab(page, "Bản tin âm thanh")
                bulletin(page)
                shot("12-dien-thoai-ban-tin")

            with chromium_page(width=PHONE[0], height=PHONE[1]) as (page, _):
                shot = _shooter(page, out_dir, shots)
                login(page, ui.url, "bithu", PASSWORD)
                open_tab(page, "Biên bản")
                read_and_build_minutes(page, NOTES)
                shot("13-dien-thoai-bien-ban")
        finally:
            stop_ui(ui)
    return shots


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    for path in main(target):
        print(path)
