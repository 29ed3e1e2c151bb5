"""Headless Debian Chromium driven by Playwright, with no outbound connection and no browser download."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
# From shared/MODELS.md: without the last two flags Chromium looks up Google services.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate",
]


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator[tuple[Any, list[str]]]:
    """A page and the list of every URL it requested."""
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                          accept_downloads=True)
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.set_default_timeout(60_000)
            yield page, requested
        finally:
            browser.close()


def login(page: Any, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()
    page.locator("#user-info").get_by_text(user).wait_for()


def open_tab(page: Any, label: str) -> None:
    page.get_by_role("tab", name=label).click()
