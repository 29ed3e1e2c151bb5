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
    """Sign in through the app's own login page (``/login``: #username, #password, #login-submit)."""
    page.goto(url)
    page.locator("#username").wait_for()
    page.locator("#username").fill(user)
    page.locator("#password").fill(password)
    page.locator("#login-submit").click()
    page.locator("#user-info").get_by_text(user).wait_for()


def open_tab(page: Any, label: str) -> None:
    """Click the tab called ``label`` (on a phone Gradio may fold extra tabs into its "…" menu)."""
    tab = page.get_by_role("tab", name=label)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
        return
    page.locator(".tab-container button.overflow-menu, button[aria-label*='more' i], .overflow-menu").first.click()
    page.get_by_role("tab", name=label).or_(page.get_by_role("button", name=label)).first.click()


# JavaScript run in the page: everything a reader sees, as text, for the English word check.
VISIBLE_TEXT_JS = r"""
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('script, style, noscript, template, [aria-hidden="true"], textarea, code, pre')) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
    if (parseFloat(style.fontSize) === 0) continue;  // e.g. Gradio's English pop-up title, replaced by a ::before
    if (el.closest('[hidden], .hidden, .hide')) continue;
    out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder], [aria-label], [title]')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    for (const attr of ['placeholder', 'title']) if (el.getAttribute(attr)) out.push(el.getAttribute(attr));
  }
  return out.join('\n');
}
"""

# Every table cell and header whose computed font family is a monospace one.
MONOSPACE_CELLS_JS = r"""
() => {
  const mono = /mono|courier|consolas|menlo/i;
  const bad = [];
  for (const cell of document.querySelectorAll('td, th, .body-cell, [role="gridcell"], [role="columnheader"]')) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const targets = [cell, ...cell.querySelectorAll('*')];
    for (const el of targets) {
      if (!el.textContent.trim()) continue;
      const family = getComputedStyle(el).fontFamily;
      if (mono.test(family.split(',')[0])) { bad.push(`${el.textContent.trim().slice(0, 30)} → ${family}`); break; }
    }
  }
  return bad;
}
"""

# How far the page scrolls sideways (0 when everything fits the screen's width).
HORIZONTAL_OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
