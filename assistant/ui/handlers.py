"""Server-side handlers behind every tab and API endpoint.

Each handler starts with :meth:`Guard.require`, which looks the logged-in
user up in the user store and refuses a role below the one needed, so hiding
a tab is only a convenience: a direct API call is checked the same way. Each
handler runs inside :meth:`Guard.friendly`, which turns an
:class:`AssistantError` into a Vietnamese ``gr.Error`` and leaves the user's
inputs untouched. Handlers only call the services.
"""

from __future__ import annotations

import contextlib
import logging
import queue as queues
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, NotFound, PermissionDenied, ValidationFailed
from assistant.ui import render
from assistant.ui.audit import AuditLog
from assistant.ui.auth import ROLES, UserStore, allows
from assistant.ui.i18n import Texts

log = logging.getLogger("chibo.ui")
UPLOADS = "uploads"
_SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)
# Hints written for the command line or the settings file ("chibo docs", "cell.parent", "pip install …") mean
# nothing to a member on a phone: the interface shows the message without them (the server log keeps them).
_TECHNICAL_HINT = re.compile(r"--\w|\bchibo\b|\bpip\b|apt-get|\.ya?ml\b|CHIBO_|\b[a-z_]+\.[a-z_]{2,}\b")
# How often the study chat looks at the model queue while a request waits.
QUEUE_POLL_SECONDS = 0.5


def user_message(exc: AssistantError) -> str:
    """An expected error as the interface shows it: the message, plus its hint when the hint is for people."""
    hint = exc.hint or ""
    problems = list(getattr(exc, "problems", []) or [])
    message = exc.message + (": " + "; ".join(problems) if problems else "")
    shown = render.plain_text(message)  # never a server folder or a library's English detail (log keeps them)
    if shown != message:
        log.info("error shown without its technical detail: %s", message)
    if hint and not _TECHNICAL_HINT.search(hint):
        return f"{shown} ({render.plain_text(hint)})"
    if hint:
        log.info("hint not shown in the interface: %s", hint)
    return shown


class Guard:
    """Role checks and error translation shared by every handler."""

    def __init__(self, users: UserStore, audit: AuditLog, texts: Texts) -> None:
        self.users = users
        self.audit = audit
        self.t = texts

    def require(self, request: gr.Request | None, needed: str, action: str) -> str:
        """The user's name when their role is at least ``needed``; otherwise gr.Error."""
        name = getattr(request, "username", None) if request is not None else None
        role = self.users.role(name)
        if not name or role is None:
            self.audit.record(name, "refused", action, reason="not-logged-in")
            raise gr.Error(self.t("error.login"), title=self.t("popup.error"))
        if not allows(role, needed):
            self.audit.record(name, "refused", action, role=role, needed=needed)
            raise gr.Error(self.t("error.role", name=name, role=self.t.role(role), action=action),
                           title=self.t("popup.error"))
        return name

    @contextlib.contextmanager
    def friendly(self) -> Iterator[None]:
        """Turn expected errors into a Vietnamese ``gr.Error``; log and hide unexpected ones."""
        try:
            yield
        except gr.Error:
            raise
        except AssistantError as exc:
            raise gr.Error(user_message(exc), title=self.t("popup.error")) from exc
        except Exception as exc:  # keep the traceback in the server log, show a plain message
            log.exception("unexpected error in a UI handler")
            raise gr.Error(self.t("error.unexpected_short"), title=self.t("popup.error")) from exc

    def info(self, message: str) -> None:
        """A notice pop-up titled in the interface language."""
        gr.Info(message, title=self.t("popup.info"))

    def warning(self, message: str) -> None:
        """A warning pop-up titled in the interface language."""
        gr.Warning(message, title=self.t("popup.warning"))


class Handlers:
    """Study chat, documents and system: the handlers app.py wires to components."""

    def __init__(self, services: Any, guard: Guard) -> None:
        self.services = services
        self.guard = guard
        self.t = guard.t
        self.audit = guard.audit
        self.users = guard.users

    # -- session start ---------------------------------------------------------
    def role_of(self, request: gr.Request | None) -> str | None:
        """The logged-in user's role, None when not logged in."""
        return self.users.role(getattr(request, "username", None))

    def document_choices(self) -> tuple[list[tuple[str, str]], list[str]]:
        """Choices for the document and type filters (empty when the index is unavailable)."""
        try:
            metas = self.services.documents()
        except AssistantError:
            return [], []
        return render.document_choices(metas), render.document_types(metas)

    # -- study chat --------------------------------------------------------------
    def _doc_filter(self, doc_ids: list[str] | None, types: list[str] | None) -> list[str]:
        doc_ids = [d for d in (doc_ids or []) if d]
        types = [t for t in (types or []) if t]
        if not doc_ids and not types:
            return []
        metas = {m.doc_id: m for m in self.services.documents()}
        unknown = [d for d in doc_ids if d not in metas]
        if unknown:
            raise NotFound(f"Không có tài liệu: {', '.join(unknown)}")
        chosen = set(doc_ids or metas)
        if types:
            wanted = {t.lower() for t in types}
            chosen = {d for d in chosen if metas[d].doc_type.lower() in wanted or metas[d].type_code.lower() in wanted}
            if not chosen:
                raise NotFound(f"Không có tài liệu thuộc loại: {', '.join(types)}")
        return sorted(chosen)

    def page_image(self, marker: float | None, conversation: Any, request: gr.Request) -> str:
        """The original page of cited source [marker] of the last answer, as a PNG file."""
        self.guard.require(request, "member", self.t("tab.ask"))
        with self.guard.friendly():
            turns = getattr(conversation, "turns", None) or []
            sources = turns[-1].sources if turns else []
            index = int(marker or 0) - 1
            if not 0 <= index < len(sources):
                raise NotFound(self.t("ask.sources_empty"))
            hit = sources[index].hit
            if not hit.page:
                raise NotFound(self.t("ask.no_page"))
            png = self.services.page_image(hit.doc_id, hit.page)
            folder = self.services.settings.output_dir / "pages"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{hit.doc_id}-p{hit.page}.png"
            path.write_bytes(png)
            return str(path)

    def ask(self, question: str, doc_ids: list[str] | None, types: list[str] | None,
            history: list[dict[str, Any]] | None, conversation: Any,
            request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the chat; the sources panel fills when it is complete.

        While a writer-model request waits its turn the reply says "Đang chờ mô hình: vị trí N"; the model's
        draft streams marked as not yet checked; the final reply shows the verified lead in a marked box
        above the verbatim quotes.
        """
        user = self.guard.require(request, "member", self.t("tab.ask"))
        t = self.t
        with self.guard.friendly():
            question = (question or "").strip()
            if not question:
                raise ValidationFailed(t("ask.empty"))
            if not self.services.documents():
                raise NotFound(t("ask.no_docs"))
            from assistant.study.chat import LEAD_LABEL_VI, Conversation

            conversation = conversation if isinstance(conversation, Conversation) else Conversation()
            selected = self._doc_filter(doc_ids, types)
            messages = [*(history or []), {"role": "user", "content": question},
                        {"role": "assistant", "content": f'<span class="chibo-waiting">{t("ask.searching")}</span>'}]
            yield messages, gr.skip(), gr.skip(), conversation, gr.skip()
            answer = None
            draft = ""
            writer = self._writes()
            for event in self._chat_events(question, conversation, selected):
                if isinstance(event, int):
                    messages[-1]["content"] = f'<span class="chibo-waiting">⏳ {t("ask.waiting", position=event)}</span>'
                    yield messages, gr.skip(), gr.skip(), conversation, gr.skip()
                elif event.kind == "token":
                    draft += event.text
                    messages[-1]["content"] = (f'<span class="chibo-waiting">{t("ask.writing")}</span> {draft}'
                                               if writer else draft)
                    yield messages, gr.skip(), gr.skip(), conversation, gr.skip()
                elif event.kind == "answer":
                    answer = event.answer
            if answer is None:
                raise AssistantError("Không nhận được câu trả lời")
            messages[-1]["content"] = render.answer_markdown(answer, t, LEAD_LABEL_VI)
            self.audit.record(user, "ask", question, mode=answer.mode, doc_ids=selected,
                              cited=[s.hit.citation for s in answer.sources])
            yield (messages, render.sources_html(answer, t), "", conversation,
                   render.answer_payload(answer))

    def _model(self) -> Any:
        """The configured model object when it is already built or can be (None when it cannot)."""
        try:
            return self.services.llm
        except AssistantError:
            return None

    def _writes(self) -> bool:
        from assistant.llm.capabilities import writes

        model = self._model()
        return bool(model is not None and writes(model))

    def _chat_events(self, question: str, conversation: Any, doc_ids: list[str]) -> Iterator[Any]:
        """The chat's events, plus an ``int`` (requests ahead) whenever the place in the model queue changes.

        The embedded backend serves one request at a time through its :class:`ModelQueue`; the chat runs in a
        worker thread so this generator can report the place while the request waits.
        """
        from assistant.llm.queue import ModelQueue

        stream = self.services.chat.ask_stream(question, conversation=conversation, doc_ids=doc_ids)
        model_queue = getattr(self._model(), "queue", None)
        if not isinstance(model_queue, ModelQueue):
            yield from stream
            return
        box: queues.Queue[tuple[str, Any]] = queues.Queue()

        def run() -> None:
            try:
                for item in stream:
                    box.put(("event", item))
            except BaseException as exc:  # handed to the request's own thread, which raises it
                box.put(("error", exc))
            finally:
                box.put(("done", None))

        threading.Thread(target=run, name="chibo-ask", daemon=True).start()
        shown: int | None = None
        started = False
        while True:
            try:
                kind, item = box.get(timeout=QUEUE_POLL_SECONDS)
            except queues.Empty:
                ahead = model_queue.waiting() - 1  # every request queued or running but this one
                if not started and ahead >= 1 and ahead != shown:
                    shown = ahead
                    yield ahead
                continue
            if kind == "done":
                return
            if kind == "error":
                raise item
            started = started or getattr(item, "kind", "") == "token"
            yield item

    def new_conversation(self, request: gr.Request) -> tuple[Any, ...]:
        """Clear the chat, its sources and the conversation state."""
        self.guard.require(request, "member", self.t("tab.ask"))
        return [], render.sources_html(None, self.t), None, None

    # -- documents -----------------------------------------------------------------
    def _upload_dir(self) -> Path:
        folder = self.services.settings.data_dir / UPLOADS
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _keep_upload(self, path: Path) -> Path:
        """Copy an upload under data_dir/uploads/<its name>: a stable source path makes re-uploads idempotent."""
        name = _SAFE_NAME.sub("_", path.name).strip(" .") or "tai-lieu.txt"
        target = self._upload_dir() / name
        shutil.copyfile(path, target)
        return target

    def _docs_outputs(self, query: str = "", clear_selection: bool = False) -> tuple[Any, ...]:
        metas = self.services.documents()
        choices = render.document_choices(metas)
        types = render.document_types(metas)
        rows = render.document_rows(metas, query)
        ids = [doc_id for _, doc_id in choices]
        selection = gr.update(choices=ids, value=None) if clear_selection else gr.update(choices=ids)
        return (rows, gr.update(choices=choices), gr.update(choices=types), gr.update(choices=choices), selection)

    def ingest(self, files: list[Any] | None, request: gr.Request,
               progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008 - Gradio's injection idiom
        """Ingest uploaded files with progress; the summary, per-file rows and refreshed document lists."""
        user = self.guard.require(request, "secretary", self.t("tab.docs"))
        with self.guard.friendly():
            paths = [Path(getattr(f, "name", f)) for f in (files or []) if f]
            if not paths:
                raise ValidationFailed(self.t("docs.no_files"))
            kept = [self._keep_upload(p) for p in paths]
            t = self.t
            state = {"files": len(kept)}

            def on_progress(event: str, info: dict[str, Any]) -> None:
                if event == "start":
                    state["files"] = info["files"] or 1
                    progress(0.0, desc=t("docs.progress.start", files=info["files"]))
                elif event == "file":
                    progress((info["index"], state["files"]), desc=t("docs.progress.file", **info))
                elif event == "embed" and info.get("total"):
                    progress((info["done"], info["total"]), desc=t("docs.progress.embed", **info))

            # Back as soon as keyword search has every document; the vectors follow in a background thread.
            report = self.services.ingest(kept, progress=on_progress, vectors="later")
            if report.pending_vectors:
                self.services.complete_vectors_in_background()
            self._audit_ingest(user, report)
            counts = report.counts
            summary = t("docs.summary", seconds=report.seconds, **counts)
            if counts["failed"] or counts["skipped"]:
                self.guard.warning(summary)
            else:
                self.guard.info(summary)
            return (f"**{summary}**", render.ingest_rows(report, t), *self._docs_outputs(), *self._vector_outputs())

    def _audit_ingest(self, user: str, report: Any) -> None:
        """One audit entry per file; warnings (a document talking to the assistant, among others) included."""
        from assistant.ingest.pipeline import INSTRUCTIONS_WARNING

        for result in report.results:
            extra: dict[str, Any] = {"warnings": result.warnings} if result.warnings else {}
            if INSTRUCTIONS_WARNING in result.warnings:
                extra["instructions"] = True
            self.audit.record(user, "ingest", Path(result.path).name, status=result.status,
                              doc_id=result.doc_id, reason=result.reason, **extra)

    # -- vectors completing in the background ----------------------------------------------------
    def _vector_outputs(self) -> tuple[str, Any]:
        """The search-readiness line and the timer that refreshes it: ticking only while vectors are being made."""
        try:
            status = self.services.vector_status()
        except Exception:  # a status line is never worth an error pop-up: log it, stop the timer
            log.exception("vector status unavailable")
            return "", gr.Timer(active=False)
        busy = bool(status.get("pending")) and bool(status.get("working"))
        return render.vector_status_line(status, self.t), gr.Timer(active=busy)

    def vector_progress(self, request: gr.Request) -> tuple[str, Any]:
        """Timer tick of the documents tab: the readiness line; the timer stops once nothing is being embedded.

        Outside a secretary's session the timer just stops (no error pop-up, no audit entry every tick).
        """
        if not allows(self.role_of(request), "secretary"):
            return "", gr.Timer(active=False)
        return self._vector_outputs()

    def list_documents(self, query: str, request: gr.Request) -> list[list[Any]]:
        """Rows of the documents table, filtered by ``query``."""
        self.guard.require(request, "secretary", self.t("tab.docs"))
        with self.guard.friendly():
            return render.document_rows(self.services.documents(), query or "")

    def document_detail(self, doc_id: str, request: gr.Request) -> str:
        """What the catalog knows about one document, with Vietnamese labels."""
        self.guard.require(request, "secretary", self.t("tab.docs"))
        with self.guard.friendly():
            metas = {m.doc_id: m for m in self.services.documents()}
            return render.document_detail_html(metas.get(doc_id) if doc_id else None, self.t)

    def pick_document(self, rows: Any, evt: gr.SelectData, request: gr.Request) -> str:
        """Clicking a row of the documents table selects its id for removal."""
        self.guard.require(request, "secretary", self.t("tab.docs"))
        try:
            row = evt.index[0]
            return str(rows.iloc[row, 0]) if hasattr(rows, "iloc") else str(rows[row][0])
        except (IndexError, KeyError, TypeError, AttributeError):
            return ""

    def remove_document(self, doc_id: str, query: str, request: gr.Request) -> tuple[Any, ...]:
        """Remove a document from the index; the message and refreshed document lists."""
        user = self.guard.require(request, "secretary", self.t("docs.remove"))
        with self.guard.friendly():
            doc_id = (doc_id or "").strip()
            if not doc_id:
                raise ValidationFailed(self.t("docs.none_selected"))
            if not self.services.remove_document(doc_id):
                raise NotFound(f"Không có tài liệu '{doc_id}'")
            self.audit.record(user, "remove_document", doc_id)
            message = self.t("docs.removed", doc_id=doc_id)
            self.guard.info(message)
            return (message, *self._docs_outputs(query or "", clear_selection=True))

    # -- system and users ------------------------------------------------------------
    def system_status(self, load_models: bool, request: gr.Request) -> tuple[Any, ...]:
        """Model and index in plain words, then (under "advanced") component checks and settings; users; the log."""
        user = self.guard.require(request, "admin", self.t("tab.system"))
        with self.guard.friendly():
            from assistant.doctor import run_checks

            t = self.t
            lines = []
            try:
                info = self.services.llm.describe()
                capable = t("system.capable") if (info.get("capabilities") or {}).get("writes_vietnamese") else t("system.not_capable")
                lines.append(t("system.llm", model=info.get("model", "?"), capable=capable))
            except AssistantError as exc:
                lines.append(t("system.llm", model="—", capable=t("system.unavailable", error=user_message(exc))))
            try:
                lines.append(t("system.embedder", model=self.services.embedder.model_id))
                stats = self.services.index.catalog.stats()
                lines.append(t("system.index", documents=stats["documents"], chunks=stats["chunks"]))
            except AssistantError as exc:
                lines.append(t("system.unavailable", error=user_message(exc)))
            lines.append(t("system.drafting", state=t("check.ok")))
            checks = run_checks(self.services.settings, self.services, load_models=bool(load_models))
            lines.append(render.check_overview(checks, t))
            self.audit.record(user, "system_status", t("system.refresh"), load_models=bool(load_models))
            settings = self.services.settings.model_dump(mode="json")
            settings.get("llm", {}).get("openai", {}).pop("api_key", None)
            return ("\n\n".join(f"- {line}" for line in lines), render.check_rows(checks, t), settings,
                    self._user_rows(), self._audit_rows())

    def _user_rows(self) -> list[list[str]]:
        from assistant.ui.audit import local_time

        return render.nfc_rows([u.name, self.t.role(u.role), local_time(u.created) if u.created else ""]
                               for u in self.users.list())

    def audit_headers(self) -> list[str]:
        """The activity log's column headers in the interface language."""
        from assistant.ui.audit import COLUMNS

        column = 1 if self.t.language == "en" else 0
        return [COLUMNS[key][column] for key in ("when", "who", "action", "what", "address")]

    def _audit_rows(self) -> list[list[str]]:
        """The newest entries: local time (dd/mm/yyyy HH:MM), actions in words."""
        from assistant.ui.audit import audit_table_vi

        _, rows = audit_table_vi(self.audit, 50, language=self.t.language)
        return render.nfc_rows(rows)

    # -- the cell's standing details -------------------------------------------------------------------
    def cell_values(self) -> tuple[str, str, str, str]:
        """The cell's name, parent body, place name and symbol as configured now."""
        cell = self.services.settings.cell
        return cell.name, cell.parent, cell.place, cell.symbol

    def save_cell(self, name: str, parent: str, place: str, symbol: str, request: gr.Request) -> tuple[Any, ...]:
        """Save the cell's standing details (admins only) into the data directory's settings file."""
        admin = self.guard.require(request, "admin", self.t("cell.save"))
        with self.guard.friendly():
            if not (name or "").strip():
                raise ValidationFailed(self.t("cell.empty"))
            path = self.services.drafting.save_cell_settings(name=name or "", parent=parent or "", place=place or "",
                                                             symbol=symbol or "CB")
            self.audit.record(admin, "cell_settings", str(path.name), name=name, parent=parent, place=place)
            self.guard.info(self.t("cell.saved"))
            return self.cell_values()

    def add_user(self, name: str, role: str, password: str, request: gr.Request) -> tuple[Any, ...]:
        """Create a user with a role (admins only)."""
        admin = self.guard.require(request, "admin", self.t("users.add"))
        with self.guard.friendly():
            if role not in ROLES:
                raise ValidationFailed(f"Vai trò '{role}' không có")
            user = self.users.add(name, role, password)
            self.audit.record(admin, "user_add", user.name, role=role)
            self.guard.info(self.t("users.added", name=user.name, role=self.t.role(role)))
            return self._user_rows(), ""

    def remove_user(self, name: str, request: gr.Request) -> tuple[Any, ...]:
        """Delete a user (admins only)."""
        admin = self.guard.require(request, "admin", self.t("users.remove"))
        with self.guard.friendly():
            name = (name or "").strip()
            if name == admin:
                raise PermissionDenied("Không thể tự xóa tài khoản đang đăng nhập")
            self.users.remove(name)
            self.audit.record(admin, "user_remove", name)
            self.guard.info(self.t("users.removed", name=name))
            return self._user_rows(), ""

    def set_password(self, name: str, password: str, request: gr.Request) -> tuple[Any, ...]:
        """Set a user's password (admins only)."""
        admin = self.guard.require(request, "admin", self.t("users.set_password"))
        with self.guard.friendly():
            name = (name or "").strip()
            self.users.set_password(name, password)
            self.audit.record(admin, "user_password", name)
            self.guard.info(self.t("users.password_set", name=name))
            return self._user_rows(), ""
