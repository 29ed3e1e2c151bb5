"""Screenshots of every tab for the README: ``python -m tests.ui.make_screenshots [OUT_DIR]``.

Starts the interface on a free loopback port over a temporary data dir (fake
embedder, non-capable fake LLM: answers are verbatim quotes), logs in as an
administrator in headless Debian Chromium, uses each tab once and saves a PNG
per tab (default ``docs/screenshots/``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from assistant.offline import enforce_offline

REPO = Path(__file__).resolve().parents[2]
CELL = {"cell": {"name": "CHI BỘ KHU PHỐ 2", "parent": "ĐẢNG BỘ PHƯỜNG AN HÒA", "place": "An Hòa"}}


def main(out_dir: Path) -> list[Path]:
    enforce_offline()
    from tests.ui.browser import chromium_page, login, open_tab
    from tests.ui.conftest import NOTES, PASSWORD, start_ui, stop_ui

    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        ui = start_ui(Path(tmp) / "data", extra=CELL)
        try:
            with chromium_page(width=1400, height=950) as (page, _):
                def shot(name: str) -> None:
                    path = out_dir / f"{name}.png"
                    page.wait_for_timeout(600)
                    page.screenshot(path=str(path), full_page=True)
                    shots.append(path)

                page.goto(ui.url)
                page.get_by_label("username").wait_for()
                shot("00-dang-nhap")
                login(page, ui.url, "quantri", PASSWORD)

                open_tab(page, "Tài liệu")
                page.locator("#docs-upload input[type=file]").set_input_files(str(ui.sample))
                page.locator("#docs-ingest").click()
                page.locator("#docs-ingest-summary strong").wait_for()
                shot("02-tai-lieu")

                open_tab(page, "Hỏi đáp")
                page.locator("#ask-question textarea").fill(
                    "Đảng viên dự bị có phải cài đặt ứng dụng Sổ tay đảng viên điện tử không?")
                page.locator("#ask-submit").click()
                page.locator("#ask-sources mark").first.wait_for()
                shot("01-hoi-dap")

                open_tab(page, "Biên bản")
                page.locator("#minutes-notes textarea").fill(NOTES)
                page.locator("#minutes-build").click()
                page.locator("#minutes-docx a").first.wait_for()
                shot("03-bien-ban")

                open_tab(page, "Tóm tắt họp")
                page.locator("#summary-notes textarea").fill(NOTES)
                page.locator("#summary-build").click()
                page.wait_for_function("document.querySelector('#summary-tasks').textContent.includes('Trần Văn Bảo')")
                shot("04-tom-tat-hop")

                open_tab(page, "Báo cáo")
                page.locator("#report-month textarea, #report-month input").first.fill("2026-04")
                page.locator("#report-build").click()
                page.locator("#report-docx a").first.wait_for()
                shot("05-bao-cao")

                open_tab(page, "Bản tin âm thanh")
                box = page.locator("#bulletin-docs input").first
                box.click()
                page.get_by_role("option").first.click()
                page.keyboard.press("Escape")
                page.locator("#bulletin-build").click()
                page.locator("#bulletin-files a").first.wait_for(timeout=120_000)
                shot("06-ban-tin")

                open_tab(page, "Hệ thống")
                page.locator("#system-refresh").click()
                page.locator("#system-models").get_by_text("Mô hình ngôn ngữ").wait_for()
                shot("07-he-thong")
        finally:
            stop_ui(ui)
    return shots


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    for path in main(target):
        print(path)
