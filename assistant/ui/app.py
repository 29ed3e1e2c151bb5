"""The Gradio Blocks app: tabs, components with stable ids, and their wiring.

The app is given its services, the user store and the audit log, and nothing
else: handlers (``handlers.py``, ``drafting.py``) call the services and check
the caller's role on the server for every event. Tabs a role cannot use are
hidden when the session starts, which is a convenience, never the check.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.ui import render
from assistant.ui.audit import AuditLog
from assistant.ui.auth import ROLES, UserStore, allows
from assistant.ui.drafting import DraftingTabs
from assistant.ui.gradio_strings import gradio_i18n
from assistant.ui.handlers import Guard, Handlers
from assistant.ui.i18n import Texts
from assistant.ui.style import CSS, toast_titles

__all__ = ["CSS", "TAB_ROLES", "ChiboApp", "build_app", "launch"]

# Seconds between refreshes of the documents tab's search-readiness line while vectors are being made.
VECTOR_REFRESH_SECONDS = 2.0
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
        self.admin_only: list[Any] = []  # "advanced" sections: shown to administrators only
        self.blocks: gr.Blocks | None = None
        # Gradio's own words ("Drop File Here", "Error", "In queue") in the interface language.
        self.i18n = gradio_i18n(self.t.language)

    # -- layout ------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        """Lay out the header and every tab with its events; tabs above member are revealed per session on load."""
        t = self.t
        with gr.Blocks(title=t("app.title"), analytics_enabled=False, fill_width=True) as blocks:
            with gr.Row(elem_id="chibo-header", equal_height=False):
                with gr.Column(scale=4, min_width=220):
                    gr.Markdown(f"# {t('app.title')}\n<span class=\"chibo-tagline\">{t('app.tagline')}</span>"
                                f"{toast_titles(t)}", sanitize_html=False)
                with gr.Column(scale=2, min_width=160):
                    self.user_md = gr.Markdown("", elem_id="user-info")
                    gr.Button(t("app.logout"), link="/logout", size="sm", elem_id="logout")
            with gr.Tabs(elem_id="tabs"):
                with self._tab("ask"):
                    self._ask_tab()
                with self._tab("docs"):
                    self._docs_tab()
                with self._tab("minutes"):
                    self.drafting.minutes_tab()
                    self.admin_only.append(self.drafting.minutes.advanced)
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
                                 self.bulletin_docs, self.docs_table, self.remove_id, *self.admin_only,
                                 *self.cell_fields, self.vector_md, self.vector_timer],
                        api_visibility="private")
        self._keep_translations(blocks)
        self.blocks = blocks
        return blocks

    def _keep_translations(self, blocks: gr.Blocks) -> None:
        # mount_gradio_app keeps the Blocks' translations unless given others; launch() replaces them with its
        # own ``i18n`` argument (None when not given), so ours are passed on unless the caller gives some.
        blocks.i18n_instance = self.i18n
        launch = blocks.launch

        def launch_with_translations(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("i18n", self.i18n)
            return launch(*args, **kwargs)

        blocks.launch = launch_with_translations  # type: ignore[method-assign]

    def _tab(self, key: str) -> gr.Tab:
        # Tabs above the lowest role start hidden and are shown per session: Gradio 6 can
        # reveal a tab from an event but does not hide one reliably.
        tab = gr.Tab(self.t(f"tab.{key}"), id=key, elem_id=f"tab-{key}", visible=TAB_ROLES[key] == "member")
        self.tabs[key] = tab
        return tab

    def _ask_tab(self) -> None:
        t, h = self.t, self.handlers
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                # The chat's label is a heading above it, not Gradio's floating label over the first line.
                gr.Markdown(f"### {t('ask.chat')}", elem_classes=["chibo-section-title"])
                chat = gr.Chatbot(show_label=False, elem_id="ask-chat", height=460, buttons=["copy"],
                                  feedback_options=None, sanitize_html=True)
                question = gr.Textbox(label=t("ask.question"), placeholder=t("ask.placeholder"), lines=2,
                                      elem_id="ask-question")
                with gr.Row():
                    send = gr.Button(t("ask.send"), variant="primary", elem_id="ask-submit", min_width=120)
                    new = gr.Button(t("ask.new"), elem_id="ask-new", min_width=120)
                with gr.Accordion(t("ask.filters"), open=False, elem_id="ask-filters"):
                    self.ask_docs = gr.Dropdown([], value=[], multiselect=True, allow_custom_value=True,
                                                label=t("ask.docs"), elem_id="ask-docs")
                    self.ask_types = gr.Dropdown([], value=[], multiselect=True, allow_custom_value=True,
                                                 label=t("ask.types"), elem_id="ask-types")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown(f"### {t('ask.sources')}", elem_classes=["chibo-section-title"])
                # Markdown passing our escaped HTML through: gr.HTML needs 'unsafe-eval', which the CSP refuses.
                sources = gr.Markdown(render.sources_html(None, t), sanitize_html=False, elem_id="ask-sources")
                with gr.Accordion(t("ask.page_image"), open=False, elem_id="ask-page-image"):
                    with gr.Row():
                        marker = gr.Number(1, precision=0, minimum=1, label=t("ask.source_number"),
                                           elem_id="ask-page-marker", min_width=120)
                        show_page = gr.Button(t("ask.page_image"), elem_id="ask-page-show", min_width=120)
                    page_image = gr.Image(type="filepath", interactive=False, elem_id="ask-page-img",
                                          show_label=False)
                with gr.Accordion(t("app.advanced"), open=False, visible=False, elem_id="ask-advanced") as advanced:
                    details = gr.JSON(label=t("ask.details"), elem_id="ask-json")
                self.admin_only.append(advanced)
        conversation = gr.State(None)
        outputs = [chat, sources, question, conversation, details]
        inputs = [question, self.ask_docs, self.ask_types, chat, conversation]
        send.click(h.ask, inputs, outputs, api_name="ask", concurrency_id="llm", show_progress_on=[sources])
        question.submit(h.ask, inputs, outputs, api_visibility="private", concurrency_id="llm",
                        show_progress_on=[sources])
        new.click(h.new_conversation, None, [chat, sources, conversation, details], api_visibility="private")
        show_page.click(h.page_image, [marker, conversation], page_image, api_name="page_image")

    def _docs_tab(self) -> None:
        t, h = self.t, self.handlers
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                # No file_types: Gradio would refuse other files in the browser with an English message; the
                # server refuses them in Vietnamese instead ("Không hỗ trợ định dạng .doc…, hãy lưu lại dạng .docx").
                upload = gr.File(label=t("docs.upload"), file_count="multiple", type="filepath", elem_id="docs-upload")
                ingest = gr.Button(t("docs.ingest"), variant="primary", elem_id="docs-ingest")
                summary = gr.Markdown("", elem_id="docs-ingest-summary")
                # "Tìm theo từ khóa: sẵn sàng. Tìm theo nghĩa: 1.234/3.215 đoạn (đang xử lý)", refreshed by a
                # timer that ticks only while vectors are being made (started by an upload or at page load).
                self.vector_md = gr.Markdown("", elem_id="docs-vector-status")
                self.vector_timer = gr.Timer(VECTOR_REFRESH_SECONDS, active=False)
                results = gr.Dataframe(buttons=[], headers=render.columns(t, render.INGEST_COLUMNS), interactive=False,
                                       label=t("docs.ingest_result"), elem_id="docs-ingest-result", wrap=True)
            with gr.Column(scale=3, min_width=300):
                with gr.Row():
                    query = gr.Textbox(label=t("docs.filter"), elem_id="docs-filter", scale=3, min_width=180)
                    refresh = gr.Button(t("docs.refresh"), elem_id="docs-refresh", scale=1, min_width=100)
                self.docs_table = gr.Dataframe(buttons=[], headers=render.columns(t, render.DOC_COLUMNS), interactive=False,
                                               label=t("docs.list"), elem_id="docs-table", wrap=True,
                                               column_widths=["14%", "11%", "9%", "26%", "9%", "6%", "6%", "6%",
                                                              "13%"])
                with gr.Row():
                    self.remove_id = gr.Dropdown([], label=t("docs.remove_id"), allow_custom_value=True,
                                                 elem_id="docs-remove-id", scale=3, min_width=180)
                    remove = gr.Button(t("docs.remove"), variant="stop", elem_id="docs-remove", scale=1,
                                       min_width=100)
                removed = gr.Markdown("", elem_id="docs-remove-status")
                detail = gr.Markdown(render.document_detail_html(None, t), label=t("docs.detail"), show_label=True,
                                     container=True, sanitize_html=False, elem_id="docs-detail")
        choices = [self.ask_docs, self.ask_types]
        ingest.click(h.ingest, [upload], [summary, results, self.docs_table, *choices, self._bulletin_docs_ref(),
                                          self.remove_id, self.vector_md, self.vector_timer], api_name="ingest",
                     concurrency_id="index", show_progress_on=[results])
        self.vector_timer.tick(h.vector_progress, None, [self.vector_md, self.vector_timer],
                               api_visibility="private", show_progress="hidden")
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
        with gr.Accordion(t("cell.title"), open=True, elem_id="system-cell"):
            with gr.Row():
                cell_name = gr.Textbox(label=t("cell.name"), elem_id="cell-name", min_width=200)
                cell_parent = gr.Textbox(label=t("cell.parent"), elem_id="cell-parent", min_width=200)
            with gr.Row():
                cell_place = gr.Textbox(label=t("cell.place"), elem_id="cell-place", min_width=200)
                cell_symbol = gr.Textbox(label=t("cell.symbol"), elem_id="cell-symbol", min_width=120)
            save_cell = gr.Button(t("cell.save"), variant="primary", elem_id="cell-save")
        self.cell_fields = [cell_name, cell_parent, cell_place, cell_symbol]
        with gr.Accordion(t("users.title"), open=True, elem_id="system-users"):
            users = gr.Dataframe(buttons=[], headers=[t("col.user"), t("col.role"), t("col.created")], interactive=False,
                                 elem_id="users-table")
            with gr.Row():
                name = gr.Textbox(label=t("users.name"), elem_id="users-name", min_width=160)
                role = gr.Dropdown([(t.role(r), r) for r in ROLES], value="member", label=t("users.role"),
                                   elem_id="users-role", min_width=160)
                password = gr.Textbox(label=t("users.password"), type="password", elem_id="users-password",
                                      min_width=160)
            with gr.Row():
                add = gr.Button(t("users.add"), elem_id="users-add", min_width=120)
                reset = gr.Button(t("users.set_password"), elem_id="users-set-password", min_width=120)
                delete = gr.Button(t("users.remove"), variant="stop", elem_id="users-remove", min_width=120)
        with gr.Accordion(t("audit.title"), open=False, elem_id="system-audit"):
            audit = gr.Dataframe(buttons=[], headers=h.audit_headers(), interactive=False, wrap=True, elem_id="audit-table")
        with gr.Accordion(t("app.advanced"), open=False, elem_id="system-advanced"):
            checks = gr.Dataframe(buttons=[], headers=render.columns(t, render.CHECK_COLUMNS), interactive=False, wrap=True,
                                  label=t("system.checks"), elem_id="system-checks")
            settings = gr.JSON(label=t("system.settings"), elem_id="system-settings")
        refresh.click(h.system_status, [load_models], [models, checks, settings, users, audit],
                      api_name="system_status")
        save_cell.click(h.save_cell, self.cell_fields, self.cell_fields, api_name="save_cell")
        add.click(h.add_user, [name, role, password], [users, password], api_visibility="private")
        reset.click(h.set_password, [name, password], [users, password], api_visibility="private")
        delete.click(h.remove_user, [name], [users, password], api_visibility="private")

    # -- session start -----------------------------------------------------------
    def on_load(self, request: gr.Request) -> tuple[Any, ...]:
        """Show who is logged in, hide the tabs their role cannot use, fill the document choices and forms."""
        role = self.handlers.role_of(request)
        name = getattr(request, "username", None) or "?"
        tabs = [gr.update(visible=allows(role, needed)) for needed in TAB_ROLES.values()]
        choices, types = self.handlers.document_choices() if role else ([], [])
        rows: list[list[Any]] = []
        vectors: tuple[str, Any] = ("", gr.Timer(active=False))
        if allows(role, "secretary"):
            rows = render.document_rows(self.services.documents())
            vectors = self.handlers.vector_progress(request)
        admin = allows(role, "admin")
        cell = self.handlers.cell_values() if admin else ("", "", "", "")
        return (self.t("app.user", name=name, role=self.t.role(role)), *tabs, gr.update(choices=choices),
                gr.update(choices=types), gr.update(choices=choices), rows,
                gr.update(choices=[doc_id for _, doc_id in choices]),
                *(gr.update(visible=admin) for _ in self.admin_only), *cell, *vectors)


def build_app(services: Any, users: UserStore, audit: AuditLog, texts: Texts | None = None) -> ChiboApp:
    """Build (not launch) the interface for these services."""
    app = ChiboApp(services, users, audit, texts)
    app.build()
    return app


# -- serving (launch/mount/server code: assistant/ui/server.py) ----------------------
def launch(app: ChiboApp, *, host: str, port: int, prevent_thread_lock: bool = False,
           quiet: bool = False) -> tuple[Any, str, str]:
    """Serve on host:port behind our login page, gate, per-user downloads and headers (ui/server.py)."""
    from assistant.ui.server import serve

    return serve(app, host=host, port=port, prevent_thread_lock=prevent_thread_lock, quiet=quiet, css=CSS)
