"""Headless Chromium drives the real page at phone and desktop widths, as a member and a secretary would.

On every screen a member sees: no English word (a word list), nothing wider than the screen, no table cell in a
monospace font. A member on a 390×844 phone signs in, asks, reads the answer with its citations below it, plays
and downloads a bulletin; a secretary pastes notes, reads them into the form and downloads the minutes.
Screenshots go to the test's folder (``python -m tests.ui.make_screenshots`` writes the ones in docs/).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.ui.browser import (
    HORIZONTAL_OVERFLOW_JS,
    MONOSPACE_CELLS_JS,
    VISIBLE_TEXT_JS,
    chromium_page,
    login,
    open_tab,
)
from tests.ui.conftest import NOTES, PASSWORD, start_ui, stop_ui

pytest.importorskip("playwright")

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow,
              pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 950}
QUESTION = "Đảng viên dự bị có phải cài đặt ứng dụng Sổ tay đảng viên không?"
# Words of Gradio's own interface, of the login form it replaced, and of the machinery a member must not see.
ENGLISH = ("Drop", "File", "Here", "Click", "Upload", "Error", "Info", "Warning", "Loading", "Submit", "Clear",
           "Login", "username", "password", "Incorrect", "Credentials", "queue", "JSON", "YAML", "backend",
           "tiktoken", "Chroma", "embedded", "Download", "Copy", "Play", "Pause", "Settings", "Search", "Built",
           "Gradio", "API", "Remove", "Retry", "Undo", "Share", "Empty", "Answer", "Question", "Sources", "the",
           "and", "of", "with", "Record", "Stop", "Progress", "Processing", "Waiting")
ENGLISH_RE = re.compile(r"(?<![\w/.-])(" + "|".join(ENGLISH) + r")(?![\w/.-])")


@pytest.fixture
def ui(tmp_path):
    live = start_ui(tmp_path / "data",
                    extra={"cell": {"name": "CHI BỘ KHU PHỐ 2", "parent": "ĐẢNG BỘ PHƯỜNG AN HÒA", "place": "An Hòa"}})
    live.services.ingest([live.sample])
    try:
        yield live
    finally:
        stop_ui(live)


def _only_loopback(requested: list[str]) -> None:
    outside = [u for u in requested if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert not outside, f"the page requested outside addresses: {outside[:5]}"


def check_screen(page: Any, where: str) -> None:
    """What a member must never meet: English words, a page wider than the screen, monospace table cells."""
    page.wait_for_timeout(400)
    english = sorted(set(ENGLISH_RE.findall(page.evaluate(VISIBLE_TEXT_JS))))
    assert not english, f"{where}: English words on screen: {english}"
    overflow = page.evaluate(HORIZONTAL_OVERFLOW_JS)
    assert overflow <= 1, f"{where}: the page scrolls sideways by {overflow} px"
    mono = page.evaluate(MONOSPACE_CELLS_JS)
    assert not mono, f"{where}: table cells in a monospace font: {mono[:3]}"


def ask(page: Any) -> None:
    page.locator("#ask-question textarea").fill(QUESTION)
    page.locator("#ask-submit").click()
    page.locator("#ask-sources mark").first.wait_for()


def bulletin(page: Any) -> None:
    page.locator("#bulletin-docs input").first.click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.locator("#bulletin-build").click()
    page.locator("#bulletin-files a").first.wait_for(timeout=120_000)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_member_asks_reads_citations_and_gets_a_bulletin(ui, tmp_path, size) -> None:
    with chromium_page(**size) as (page, requested):
        page.goto(ui.url)
        page.locator("#username").wait_for()
        check_screen(page, "login page")
        login(page, ui.url, "dangvien", PASSWORD)
        assert page.get_by_role("tab").all_inner_texts() == ["Hỏi đáp", "Bản tin âm thanh"]
        check_screen(page, "study chat, empty")

        ask(page)
        page.wait_for_timeout(500)
        check_screen(page, "study chat, answered")
        answer = page.locator("#ask-chat .message").last.bounding_box()
        sources = page.locator("#ask-sources .chibo-source").first.bounding_box()
        assert "Điều 2" in page.locator("#ask-sources .chibo-citation").first.inner_text()
        if size is PHONE:
            assert sources["y"] > answer["y"] + answer["height"] - 1, "citations come below the answer on a phone"
        # Regression: the chat's floating label covered the first line once scrolled.
        assert page.locator("#ask-chat [data-testid='block-label'], #ask-chat label.block-label").count() == 0
        assert page.locator("#ask-advanced").is_hidden(), "a member sees no answer data panel"
        page.screenshot(path=str(tmp_path / f"ask-{size['width']}.png"), full_page=True)

        open_tab(page, "Bản tin âm thanh")
        check_screen(page, "bulletin, empty")
        bulletin(page)
        script = page.locator("#bulletin-script textarea").input_value()
        assert "Kính thưa" in script and "ĐẢNG CỘNG SẢN VIỆT NAM" not in script and "-----" not in script
        assert page.locator("#bulletin-audio audio, #bulletin-audio [data-testid='waveform-x']").count() >= 1 or \
            page.locator("#bulletin-audio button").count() >= 1, "the bulletin can be played"
        check_screen(page, "bulletin, made")
        with page.expect_download() as info:
            page.locator("#bulletin-files a").first.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(str(target))
        assert target.stat().st_size > 1000
        page.screenshot(path=str(tmp_path / f"bulletin-{size['width']}.png"), full_page=True)
        _only_loopback(requested)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_secretary_reads_notes_corrects_the_form_and_downloads_minutes(ui, tmp_path, size) -> None:
    with chromium_page(**size) as (page, requested):
        login(page, ui.url, "bithu", PASSWORD)
        open_tab(page, "Tài liệu")
        page.locator("#docs-table .body-cell", has_text="so-tay-dang-vien").first.wait_for()
        check_screen(page, "documents")  # regression: the document table was cut off on the right
        table = page.locator("#docs-table table").first.bounding_box()
        assert table["x"] >= 0 and table["x"] + table["width"] <= size["width"] + 1, "the table fits the screen"
        open_tab(page, "Biên bản")
        check_screen(page, "minutes, empty")
        page.locator("#minutes-notes textarea").fill(NOTES)
        page.locator("#minutes-read").click()
        link = page.locator("#minutes-found a.chibo-line", has_text="dòng 4")
        link.first.wait_for()
        assert page.locator("#minutes-chair input, #minutes-chair textarea").first.input_value() == "Lê Văn An"
        # Clicking an item lights up its line in the notes.
        link.first.click()
        page.wait_for_timeout(300)
        lit = page.locator("#minutes-line-4")
        assert "Lê Văn An" in lit.inner_text()
        assert lit.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")

        page.locator("#minutes-place textarea, #minutes-place input").first.fill("Nhà văn hóa khu phố 2")
        page.locator("#minutes-build").click()
        docx = page.locator("#minutes-docx a").first
        docx.wait_for()
        preview = page.locator("#minutes-preview").inner_text()
        assert "Nhà văn hóa khu phố 2" in preview and "ĐẢNG BỘ PHƯỜNG AN HÒA" in preview
        check_screen(page, "minutes, drafted")
        page.screenshot(path=str(tmp_path / f"minutes-{size['width']}.png"), full_page=True)
        with page.expect_download() as info:
            docx.click()
        target = tmp_path / "bien-ban.docx"
        info.value.save_as(str(target))
        _only_loopback(requested)

    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "BIÊN BẢN" in text and "Lê Văn An" in text
    assert any(e["action"] == "minutes" and e["who"] == "bithu" for e in ui.audit())


def test_a_wrong_month_keeps_the_report_and_what_was_typed(ui, tmp_path) -> None:
    """Regression: "tháng 5/2026" gave two red "Error" badges and wiped the previous report."""
    with chromium_page(**DESKTOP) as (page, _):
        login(page, ui.url, "bithu", PASSWORD)
        open_tab(page, "Báo cáo")
        month = page.locator("#report-month input").first
        month.fill("tháng 4/2026")
        page.keyboard.press("Enter")
        page.locator("#report-build").click()
        page.locator("#report-docx a").first.wait_for()
        assert "tháng 04 năm 2026" in page.locator("#report-preview").inner_text()
        name = page.locator("#report-docx .filename").first
        assert re.sub(r"\s", "", name.inner_text()) == "bao-cao-thang-2026-04.docx", "the file name is whole"
        assert name.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "and not cut"

        month.fill("tháng mười ba")
        page.keyboard.press("Enter")
        page.locator("#report-build").click()
        page.locator(".toast-body").first.wait_for()
        page.wait_for_timeout(500)
        title = page.locator(".toast-title").first.evaluate("el => getComputedStyle(el, '::before').content")
        assert title == '"Lỗi"'
        assert "5/2026" in page.locator(".toast-body").first.inner_text()
        assert "tháng 04 năm 2026" in page.locator("#report-preview").inner_text(), "the previous report stays"
        assert month.input_value() == "tháng mười ba", "what was typed stays"
        check_screen(page, "report after an error")
        page.screenshot(path=str(tmp_path / "report-error.png"), full_page=True)


def test_system_tab_speaks_vietnamese_and_keeps_the_machinery_under_advanced(ui, tmp_path) -> None:
    with chromium_page(**DESKTOP) as (page, _):
        login(page, ui.url, "quantri", PASSWORD)
        open_tab(page, "Hệ thống")
        page.locator("#system-refresh").click()
        page.locator("#system-models").get_by_text("Mô hình ngôn ngữ").wait_for()
        assert "backend" not in page.locator("#system-models").inner_text()
        assert page.locator("#system-advanced").get_by_text("Chroma").count() == 0 or \
            not page.locator("#system-checks").is_visible(), "component names only under Nâng cao"
        page.locator("#system-audit").get_by_text("Nhật ký").first.click()
        audit = page.locator("#audit-table").inner_text()
        assert "Xem hệ thống" in audit and "system_status" not in audit
        assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", audit), "local dd/mm/yyyy HH:MM times"
        check_screen(page, "system tab")
        page.screenshot(path=str(tmp_path / "system.png"), full_page=True)
