"""The app's stylesheet: Vietnamese-safe fonts everywhere (tables included) and a layout that fits a phone.

Gradio's tables use its monospace font, whose combining marks do not join the letter before them
("Sô ́hiệu"), so every table cell and header is set in the same proportional font as the rest of the page.
Below 640 px the columns stack (Gradio wraps a row whose columns no longer fit), long words and file names
wrap instead of pushing the page sideways, and the header shrinks.
"""

from __future__ import annotations

# Fonts with every Vietnamese glyph on Windows, Linux and Android: the theme's default web font lacks some
# stacked diacritics and the browser mixes in a fallback mid-word.
FONT_STACK = '"Segoe UI", Roboto, Arial, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif'

CSS = """
:root, .gradio-container {
  --font: __FONT__;
  --font-mono: Consolas, "DejaVu Sans Mono", "Liberation Mono", "Courier New", monospace;
}
html, body { max-width: 100%; }
.gradio-container { overflow-wrap: anywhere; }
/* Tables: proportional font, wrapped cells, never wider than the screen. */
.gradio-container table, .gradio-container table th, .gradio-container table td,
.gradio-container table th *, .gradio-container table td *, .gradio-container [role="grid"] *,
.gradio-container .cell-wrap, .gradio-container .cell-wrap * {
  font-family: var(--font) !important;
  font-variant-ligatures: normal;
}
.gradio-container .table-wrap { max-width: 100%; }
.gradio-container table td, .gradio-container table th { white-space: normal; overflow-wrap: anywhere; }
/* File names in download boxes are shown whole, wrapped, not cut with an ellipsis ("bao-cao-20… .docx"). */
.gradio-container .file-preview .filename { display: block !important; overflow: visible !important; }
.gradio-container .file-preview .filename .stem { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere; }
.gradio-container .file-preview .filename .ext { white-space: nowrap; }
#chibo-header h1 { margin-bottom: 0; }
.chibo-section-title h3, .chibo-section-title p { margin: 4px 0; }
/* Gradio 6.31 titles its pop-ups with the English type name whatever the title given: the words shown are
   the page's own (toast_titles), English when none are set. */
.toast-title { font-size: 0 !important; }
.toast-title .toast-count { font-size: var(--text-md); }
.toast-title::before { font-size: var(--text-lg); font-weight: var(--weight-semibold); }
.toast-title.error::before { content: var(--chibo-toast-error, "Error"); }
.toast-title.warning::before { content: var(--chibo-toast-warning, "Warning"); }
.toast-title.info::before { content: var(--chibo-toast-info, "Info"); }
.toast-title.success::before { content: var(--chibo-toast-success, "Success"); }
/* Study chat: the model's wording is marked apart from the verbatim quotes below it. */
.chibo-lead { border-left: 4px solid #1565c0; background: #e3f2fd; color: #0d2a4a; padding: 6px 10px; margin: 0 0 8px 0;
  border-radius: 4px; }
.chibo-lead-label { font-size: 0.85em; font-weight: 600; color: #1565c0; display: block; }
.chibo-waiting { color: #8a5a00; font-style: italic; }
.chibo-source { border-left: 4px solid #b71c1c; padding: 6px 10px; margin: 8px 0; background: var(--block-background-fill); }
.chibo-citation { font-size: 1.02em; }
.chibo-unit { color: var(--body-text-color-subdued); font-size: 0.9em; }
.chibo-superseded { color: #b26a00; font-size: 0.9em; }
.chibo-passage { margin: 6px 0 0 0; font-size: 0.95em; white-space: normal; }
.chibo-passage mark { background: #ffe082; color: inherit; padding: 0 1px; }
.chibo-note, .chibo-sources-empty { color: var(--body-text-color-subdued); font-size: 0.9em; }
/* Notes beside what was read from them: a clicked item lights up its line. */
.chibo-notes { font-family: var(--font); font-size: 0.95em; margin: 0; padding-left: 3.2em; max-height: 420px; overflow-y: auto; }
.chibo-notes li { padding: 1px 4px; border-radius: 3px; scroll-margin-top: 60px; }
.chibo-notes li::marker { color: var(--body-text-color-subdued); font-size: 0.85em; }
.chibo-notes li:target, .chibo-notes li.chibo-lit { background: #ffe082; }
.chibo-items { margin: 0; padding-left: 1.2em; }
.chibo-items li { margin: 2px 0; }
.chibo-items a.chibo-line { font-size: 0.85em; white-space: nowrap; margin-left: 4px; }
.chibo-items h4 { margin: 8px 0 2px -1.2em; font-size: 0.95em; }
.chibo-facts { border-collapse: collapse; width: 100%; }
.chibo-facts th { text-align: left; font-weight: 600; padding: 2px 8px 2px 0; vertical-align: top; width: 38%; }
.chibo-facts td { padding: 2px 0; }
.chibo-ok { color: #1b5e20; }
.chibo-bad { color: #b71c1c; }
@media (max-width: 640px) {
  .gradio-container { padding-left: 6px !important; padding-right: 6px !important; }
  #chibo-header h1 { font-size: 1.4em; }
  #chibo-header .chibo-tagline { display: none; }
  .gradio-container table { font-size: 0.9em; }
  .chibo-notes { max-height: 300px; }
  /* The document list keeps id, number, title and warnings on a phone; type, date and counts are in the detail. */
  #docs-table th:nth-child(3), #docs-table td:nth-child(3), #docs-table .virtual-row > .body-cell:nth-child(3),
  #docs-table th:nth-child(n+5):nth-child(-n+8), #docs-table td:nth-child(n+5):nth-child(-n+8),
  #docs-table .virtual-row > .body-cell:nth-child(n+5):nth-child(-n+8) { display: none !important; }
  #docs-table th:nth-child(1), #docs-table .virtual-row > .body-cell:nth-child(1) { width: 30% !important;
    min-width: 30% !important; max-width: 30% !important; }
  #docs-table th:nth-child(2), #docs-table .virtual-row > .body-cell:nth-child(2),
  #docs-table th:nth-child(9), #docs-table .virtual-row > .body-cell:nth-child(9) { width: 20% !important;
    min-width: 20% !important; max-width: 20% !important; }
  #docs-table th:nth-child(4), #docs-table .virtual-row > .body-cell:nth-child(4) { width: 30% !important;
    min-width: 30% !important; max-width: 30% !important; }
}
""".replace("__FONT__", FONT_STACK)


def toast_titles(t: object) -> str:
    """A ``<style>`` setting the pop-up titles (Lỗi, Lưu ý, Thông báo) in the interface language."""
    words = {"error": t("popup.error"), "warning": t("popup.warning"), "info": t("popup.info"),  # type: ignore[operator]
             "success": t("popup.info")}  # type: ignore[operator]
    values = " ".join(f'--chibo-toast-{kind}: "{text}";' for kind, text in words.items())
    # On a line of its own after a blank line: Markdown passes an HTML block through raw (inline, it escapes quotes).
    return f"\n\n<style>:root {{ {values} }}</style>\n"
