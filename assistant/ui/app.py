"""The Gradio Blocks app: tabs, components with stable ids, and their wiring.

The app is given its services, the user store and the audit log, and nothing
else: handlers (``handlers.py``, ``drafting.py``) call the services and check
the caller's role on the server for every event. Tabs a role cannot use are
hidden when the session starts, which is a convenience, never the check.
"""

from __future__ import annotations

import asyncio
from typing import Any

import gradio as gr

from assistant.ui import render
from assistant.ui.audit import AuditLog
from assistant.ui.auth import ROLES, UserStore, allows
from assistant.ui.drafting import DraftingTabs
from assistant.ui.handlers import Guard, Handlers
from assistant.ui.i18n import Texts

# The lowest role that may open each tab.
TAB_ROLES: dict[str, str] = {
    "ask": "member",
    "docs": "secretary",
    "minutes": "secretary",
    "summary": "secretary",
    "report": "secretary",
    "bulletin": "member",
    "system": "admin",
}

# Fonts with every Vietnamese glyph on Windows, Linux and Android: the theme's default
# web font lacks some stacked diacritics and the browser mixes in a fallback mid-word.
CSS = """
:root, .gradio-container {
  --font: "Segoe UI", Arial, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif;
  --font-mono: Consolas, "DejaVu Sans Mono", "Liberation Mono", "Courier New", monospace;
}
#chibo-header h1 { margin-bottom: 0; }
.chibo-source { border-left: 4px solid #b71c1c; padding: 6px 10px; margin: 8px 0; background: var(--block-background-fill); }
.chibo-citation { font-size: 1.02em; }
.chibo-unit { color: var(--body-text-color-subdued); font-size: 0.9em; }
.chibo-superseded { color: #b26a00; font-size: 0.9em; }
.chibo-passage { margin: 6px 0 0 0; font-size: 0.95em; white-space: normal; }
.chibo-passage mark { background: #ffe082; color: inherit; padding: 0 1px; }
.chibo-note, .chibo-sources-empty { color: var(--body-text-color-subdued); font-size: 0.9em; }
"""


def make_auth(users: UserStore, audit: AuditLog) -> Any:
    """The login check Gradio calls: bcrypt in a worker thread so the event loop stays free."""

    async def check(username: str, password: str) -> bool:
        ok = await asyncio.to_thread(users.verify, username, password)
        audit.record(username, "login" if ok else "login_failed", "")
        return ok

    return check


class ChiboApp:
    """Builds the Blocks app; keeps the components the tests and screenshots refer to."""

    def __init__(self, services: Any, users: UserStore, audit: AuditLog, texts: Texts | None = None) -> None:
        self.services = services
        self.users = users
        self.audit = audit
        self.t = texts or Texts(services.settings.ui.language)
        self.guard = Guard(users, audit, self.t)
        self.handlers = Handlers(services, self.guard)
        self.drafting = DraftingTabs(services, self.guard)
        self.tabs: dict[str, gr.Tab] = {}
        self.blocks: gr.Blocks | None = None

    # -- layout ------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        """Lay out the header and every tab with its events; tabs above member are revealed per session on load."""
        t = self.t
        with gr.Blocks(title=t("app.title"), analytics_enabled=False, fill_width=True) as blocks:
            with gr.Row(elem_id="chibo-header"):
                with gr.Column(scale=4):
                    gr.Markdown(f"# {t('app.title')}\n{t('app.tagline')}")
                with gr.Column(scale=2, min_width=220):
                    self.user_md = gr.Markdown("", elem_id="user-info")
                    gr.Button(t("app.logout"), link="/logout", size="sm", elem_id="logout")
            with gr.Tabs(elem_id="tabs"):
                with self._tab("ask"):
                    self._ask_tab()
                with self._tab("docs"):
                    self._docs_tab()
                with self._tab("minutes"):
                    self.drafting.minutes_tab()
                with self._tab("summary"):
                    self.drafting.summary_tab()
                with self._tab("report"):
                    self.drafting.report_tab()
                with self._tab("bulletin"):
                    self.bulletin_docs = self.drafting.bulletin_tab()
                with self._tab("system"):
                    self._system_tab()
            blocks.load(self.on_load, inputs=None,
                        outputs=[self.user_md, *self.tabs.values(), self.ask_docs, self.ask_types,
                                 self.bulletin_docs, self.docs_table, self.remove_id],
                        api_visibility="private")
        self.blocks = blocks
        return blocks

    def _tab(self, key: str) -> gr.Tab:
        # Tabs above the lowest role start hidden and are shown per session: Gradio 6 can
        # reveal a tab from an event but does not hide one reliably.
        tab = gr.Tab(self.t(f"tab.{key}"), id=key, elem_id=f"tab-{key}", visible=TAB_ROLES[key] == "member")
        self.tabs[key] = tab
        return tab

    def _ask_tab(self) -> None:
        t, h = self.t, self.handlers
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = gr.Chatbot(label=t("ask.chat"), elem_id="ask-chat", height=460, buttons=["copy"],
                                  feedback_options=None)
                question = gr.Textbox(label=t("ask.question"), placeholder=t("ask.placeholder"), lines=2,
                                      elem_id="ask-question")
                with gr.Row():
                    send = gr.Button(t("ask.send"), variant="primary", elem_id="ask-submit")
                    new = gr.Button(t("ask.new"), elem_id="ask-new")
                with gr.Accordion(t("ask.filters"), open=False, elem_id="ask-filters"):
                    self.ask_docs = gr.Dropdown([], value=[], multiselect=True, allow_custom_value=True,
                                                label=t("ask.docs"), elem_id="ask-docs")
                    self.ask_types = gr.Dropdown([], value=[], multiselect=True, allow_custom_value=True,
                                                 label=t("ask.types"), elem_id="ask-types")
            with gr.Column(scale=2):
                gr.Markdown(f"### {t('ask.sources')}")
                sources = gr.HTML(render.sources_html(None, t), elem_id="ask-sources")
                with gr.Accordion(t("ask.page_image"), open=False, elem_id="ask-page-image"):
                    with gr.Row():
                        marker = gr.Number(1, precision=0, minimum=1, label=t("ask.source_number"),
                                           elem_id="ask-page-marker")
                        show_page = gr.Button(t("ask.page_image"), elem_id="ask-page-show")
                    page_image = gr.Image(type="filepath", interactive=False, elem_id="ask-page-img",
                                          show_label=False)
                with gr.Accordion(t("ask.details"), open=False):
                    details = gr.JSON(label=t("ask.details"), elem_id="ask-json")
        conversation = gr.State(None)
        outputs = [chat, sources, question, conversation, details]
        inputs = [question, self.ask_docs, self.ask_types, chat, conversation]
        send.click(h.ask, inputs, outputs, api_name="ask", concurrency_id="llm")
        question.submit(h.ask, inputs, outputs, api_visibility="private", concurrency_id="llm")
        new.click(h.new_conversation, None, [chat, sources, conversation, details], api_visibility="private")
        show_page.click(h.page_image, [marker, conversation], page_image, api_name="page_image")

    def _docs_tab(self) -> None:
        t, h = self.t, self.handlers
        with gr.Row(equal_height=False):
            with gr.Column(scale=2):
                upload = gr.File(label=t("docs.upload"), file_count="multiple", type="filepath",
                                 file_types=[".pdf", ".docx", ".txt", ".md", ".html", ".htm"], elem_id="docs-upload")
                ingest = gr.Button(t("docs.ingest"), variant="primary", elem_id="docs-ingest")
                summary = gr.Markdown("", elem_id="docs-ingest-summary")
                results = gr.Dataframe(headers=render.columns(t, render.INGEST_COLUMNS), interactive=False,
                                       label=t("docs.ingest_result"), elem_id="docs-ingest-result", wrap=True)
            with gr.Column(scale=3):
                with gr.Row():
                    query = gr.Textbox(label=t("docs.filter"), elem_id="docs-filter", scale=3)
                    refresh = gr.Button(t("docs.refresh"), elem_id="docs-refresh", scale=1)
                self.docs_table = gr.Dataframe(headers=render.columns(t, render.DOC_COLUMNS), interactive=False,
                                               label=t("docs.list"), elem_id="docs-table", wrap=True)
                with gr.Row():
                    self.remove_id = gr.Dropdown([], label=t("docs.remove_id"), allow_custom_value=True,
                                                 elem_id="docs-remove-id", scale=3)
                    remove = gr.Button(t("docs.remove"), variant="stop", elem_id="docs-remove", scale=1)
                removed = gr.Markdown("", elem_id="docs-remove-status")
                detail = gr.JSON(label=t("docs.detail"), elem_id="docs-detail")
        choices = [self.ask_docs, self.ask_types]
        ingest.click(h.ingest, [upload], [summary, results, self.docs_table, *choices, self._bulletin_docs_ref(),
                                          self.remove_id], api_name="ingest", concurrency_id="index",
                     show_progress_on=[results])
        refresh.click(h.list_documents, [query], [self.docs_table], api_name="list_documents")
        query.submit(h.list_documents, [query], [self.docs_table], api_visibility="private")
        self.docs_table.select(h.pick_document, [self.docs_table], [self.remove_id], api_visibility="private")
        self.remove_id.change(h.document_detail, [self.remove_id], [detail], api_visibility="private")
        remove.click(h.remove_document, [self.remove_id, query],
                     [removed, self.docs_table, *choices, self._bulletin_docs_ref(), self.remove_id],
                     api_name="remove_document", concurrency_id="index", show_progress_on=[removed])

    def _bulletin_docs_ref(self) -> gr.Dropdown:
        # The bulletin tab is built after this one; the drafting tabs own that dropdown.
        return self.drafting.bulletin_docs

    def _system_tab(self) -> None:
        t, h = self.t, self.handlers
        with gr.Row():
            load_models = gr.Checkbox(False, label=t("system.load_models"), elem_id="system-load-models")
            refresh = gr.Button(t("system.refresh"), variant="primary", elem_id="system-refresh")
        models = gr.Markdown("", elem_id="system-models")
        checks = gr.Dataframe(headers=render.columns(t, render.CHECK_COLUMNS), interactive=False, wrap=True,
                              label=t("system.checks"), elem_id="system-checks")
        with gr.Accordion(t("users.title"), open=True, elem_id="system-users"):
            users = gr.Dataframe(headers=[t("col.user"), t("col.role"), t("col.created")], interactive=False,
                                 elem_id="users-table")
            with gr.Row():
                name = gr.Textbox(label=t("users.name"), elem_id="users-name")
                role = gr.Dropdown([(t.role(r), r) for r in ROLES], value="member", label=t("users.role"),
                                   elem_id="users-role")
                password = gr.Textbox(label=t("users.password"), type="password", elem_id="users-password")
            with gr.Row():
                add = gr.Button(t("users.add"), elem_id="users-add")
                reset = gr.Button(t("users.set_password"), elem_id="users-set-password")
                delete = gr.Button(t("users.remove"), variant="stop", elem_id="users-remove")
        with gr.Accordion(t("audit.title"), open=False, elem_id="system-audit"):
            audit = gr.Dataframe(headers=[t("col.when"), t("col.who"), t("col.action"), t("col.what")],
                                 interactive=False, wrap=True, elem_id="audit-table")
        with gr.Accordion(t("system.settings"), open=False):
            settings = gr.JSON(elem_id="system-settings")
        refresh.click(h.system_status, [load_models], [models, checks, settings, users, audit],
                      api_name="system_status")
        add.click(h.add_user, [name, role, password], [users, password], api_visibility="private")
        reset.click(h.set_password, [name, password], [users, password], api_visibility="private")
        delete.click(h.remove_user, [name], [users, password], api_visibility="private")

    # -- session start -----------------------------------------------------------
    def on_load(self, request: gr.Request) -> tuple[Any, ...]:
        """Show who is logged in, hide the tabs their role cannot use, fill the document choices."""
        role = self.handlers.role_of(request)
        name = getattr(request, "username", None) or "?"
        tabs = [gr.update(visible=allows(role, needed)) for needed in TAB_ROLES.values()]
        choices, types = self.handlers.document_choices() if role else ([], [])
        rows: list[list[Any]] = []
        if allows(role, "secretary"):
            rows = render.document_rows(self.services.documents())
        return (self.t("app.user", name=name, role=self.t.role(role)), *tabs, gr.update(choices=choices),
                gr.update(choices=types), gr.update(choices=choices), rows,
                gr.update(choices=[doc_id for _, doc_id in choices]))


def build_app(services: Any, users: UserStore, audit: AuditLog, texts: Texts | None = None) -> ChiboApp:
    """Build (not launch) the interface for these services."""
    app = ChiboApp(services, users, audit, texts)
    app.build()
    return app


def launch(app: ChiboApp, *, host: str, port: int, prevent_thread_lock: bool = False,
           quiet: bool = False) -> tuple[Any, str, str]:
    """Serve on host:port behind the login form; nothing is shared outside this machine."""
    assert app.blocks is not None
    settings = app.services.settings
    settings.output_dir.mkdir(parents=True, exist_ok=True)
    app.blocks.queue(default_concurrency_limit=1)
    return app.blocks.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=make_auth(app.users, app.audit),
        auth_message=app.t("app.login_message"),
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        footer_links=[],
        allowed_paths=[str(settings.output_dir)],
        max_file_size="200mb",
        css=CSS,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
        inbrowser=False,
    )
