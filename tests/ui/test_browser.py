"""Headless Chromium drives the real page: login, a cited answer, minutes to DOCX, tabs by role."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.browser import chromium_page, login, open_tab
from tests.ui.conftest import NOTES, PASSWORD, start_ui, stop_ui

pytest.importorskip("playwright")

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow,
              pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")]


@pytest.fixture
def ui(tmp_path):
    live = start_ui(tmp_path / "data")
    live.services.ingest([live.sample])
    try:
        yield live
    finally:
        stop_ui(live)


def _only_loopback(requested: list[str]) -> None:
    outside = [u for u in requested if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert not outside, f"the page requested outside addresses: {outside[:5]}"


def test_secretary_asks_sees_citation_and_downloads_minutes(ui, tmp_path) -> None:
    with chromium_page() as (page, requested):
        login(page, ui.url, "bithu", PASSWORD)
        page.screenshot(path=str(tmp_path / "01-login.png"))

        page.locator("#ask-question textarea").fill("Đảng viên dự bị có phải cài đặt ứng dụng Sổ tay đảng viên không?")
        page.locator("#ask-submit").click()
        mark = page.locator("#ask-sources mark").first
        mark.wait_for()
        assert "dự bị" in mark.inner_text()
        assert "Điều 2" in page.locator("#ask-sources .chibo-citation").first.inner_text()
        page.locator("#ask-chat").get_by_text("Sổ tay đảng viên").first.wait_for()
        page.screenshot(path=str(tmp_path / "02-ask.png"), full_page=True)

        open_tab(page, "Biên bản")
        page.locator("#minutes-notes textarea").fill(NOTES)
        page.locator("#minutes-build").click()
        link = page.locator("#minutes-docx a").first
        link.wait_for()
        assert "BIÊN BẢN" in page.locator("#minutes-preview").inner_text()
        page.screenshot(path=str(tmp_path / "03-minutes.png"), full_page=True)
        with page.expect_download() as info:
            link.click()
        target = tmp_path / "bien-ban.docx"
        info.value.save_as(str(target))
        _only_loopback(requested)

    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "BIÊN BẢN" in text and "Lê Văn An" in text
    assert any(e["action"] == "minutes" and e["who"] == "bithu" for e in ui.audit())


def test_member_sees_only_study_and_bulletin_tabs(ui, tmp_path) -> None:
    with chromium_page() as (page, requested):
        login(page, ui.url, "dangvien", PASSWORD)
        tabs = page.get_by_role("tab").all_inner_texts()
        assert tabs == ["Hỏi đáp", "Bản tin âm thanh"]
        page.screenshot(path=str(tmp_path / "member.png"))
        _only_loopback(requested)


def test_wrong_password_stays_on_the_login_form(ui) -> None:
    with chromium_page() as (page, _):
        page.goto(ui.url)
        page.get_by_label("username").fill("bithu")
        page.get_by_label("password").fill("sai-mat-khau")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Incorrect", exact=False).wait_for()
        assert page.locator("#tab-ask").count() == 0
