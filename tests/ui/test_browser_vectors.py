"""In a real browser, the documents tab's search-readiness line refreshes by itself, then stops polling (issue 15).

Vectors are left pending behind a shut gate before the secretary opens the page: the line says "đang xử lý";
once the gate opens it turns to "hoàn tất" with no click, and the page then sends no more events.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.browser import chromium_page, login, open_tab
from tests.ui.conftest import PASSWORD, start_ui, stop_ui
from tests.ui.test_vectors_background import GatedEmbedder

pytest.importorskip("playwright")

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow,
              pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")]


def test_the_line_refreshes_itself_then_the_page_stops_polling(tmp_path: Path) -> None:
    embedder = GatedEmbedder()
    ui = start_ui(tmp_path / "data", embedder=embedder)
    embedder.gate.clear()
    try:
        ui.services.ingest([ui.sample], vectors="later")
        ui.services.complete_vectors_in_background()
        with chromium_page(1400, 950) as (page, requested):
            login(page, ui.url, "bithu", PASSWORD)
            open_tab(page, "Tài liệu")
            line = page.locator("#docs-vector-status")
            line.get_by_text("đang xử lý").wait_for()
            assert "Tìm theo từ khóa: sẵn sàng. Tìm theo nghĩa: 0/" in line.inner_text()
            before = len([u for u in requested if "queue/join" in u])
            page.wait_for_timeout(4500)  # two ticks or more while pending (time.sleep would not see the requests)
            assert len([u for u in requested if "queue/join" in u]) > before, "the line is not refreshed"
            embedder.gate.set()
            line.get_by_text("hoàn tất").wait_for(timeout=30_000)
            page.wait_for_timeout(1000)  # the tick that said "hoàn tất" also stopped the timer
            settled = len([u for u in requested if "queue/join" in u])
            page.wait_for_timeout(6000)
            assert len([u for u in requested if "queue/join" in u]) == settled, "the timer kept polling"
    finally:
        embedder.gate.set()
        stop_ui(ui)
