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
import re
import shutil
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
            raise gr.Error(self.t("error.login"), title="⛔")
        if not allows(role, needed):
            self.audit.record(name, "refused", action, role=role, needed=needed)
            raise gr.Error(self.t("error.role", name=name, role=self.t.role(role), action=action), title="⛔")
        return name

    @contextlib.contextmanager
    def friendly(self) -> Iterator[None]:
        """Turn expected errors into a Vietnamese ``gr.Error``; log and hide unexpected ones."""
        try:
            yield
        except gr.Error:
            raise
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc
        except Exception as exc:  # keep the traceback in the server log, show a plain message
            log.exception("unexpected error in a UI handler")
            raise gr.Error(self.t("error.unexpected", kind=type(exc).__name__)) from exc


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
        """Stream the answer into the chat; the sources panel fills when it is complete."""
        user = self.guard.require(request, "member", self.t("tab.ask"))
        with self.guard.friendly():
            question = (question or "").strip()
            if not question:
                raise ValidationFailed(self.t("ask.empty"))
            if not self.services.documents():
                raise NotFound(self.t("ask.no_docs"))
            from assistant.study.chat import Conversation

            conversation = conversation if isinstance(conversation, Conversation) else Conversation()
            selected = self._doc_filter(doc_ids, types)
            messages = [*(history or []), {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
            yield messages, gr.skip(), gr.skip(), conversation, gr.skip()
            answer = None
            for event in self.services.chat.ask_stream(question, conversation=conversation, doc_ids=selected):
                if event.kind == "token":
                    messages[-1]["content"] += event.text
                    yield messages, gr.skip(), gr.skip(), conversation, gr.skip()
                elif event.kind == "answer":
                    answer = event.answer
            if answer is None:
                raise AssistantError("Không nhận được câu trả lời")
            messages[-1]["content"] = f"{answer.text}\n\n*{self.t('ask.mode.' + answer.mode)}*"
            self.audit.record(user, "ask", question, mode=answer.mode, doc_ids=selected,
                              cited=[s.hit.citation for s in answer.sources])
            yield (messages, render.sources_html(answer, self.t), "", conversation,
                   render.answer_payload(answer))

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

            report = self.services.ingest(kept, progress=on_progress)
            for result in report.results:
                self.audit.record(user, "ingest", Path(result.path).name, status=result.status,
                                  doc_id=result.doc_id, reason=result.reason)
            counts = report.counts
            summary = t("docs.summary", seconds=report.seconds, **counts)
            if counts["failed"] or counts["skipped"]:
                gr.Warning(summary)
            else:
                gr.Info(summary)
            return (f"**{summary}**", render.ingest_rows(report, t), *self._docs_outputs())

    def list_documents(self, query: str, request: gr.Request) -> list[list[Any]]:
        """Rows of the documents table, filtered by ``query``."""
        self.guard.require(request, "secretary", self.t("tab.docs"))
        with self.guard.friendly():
            return render.document_rows(self.services.documents(), query or "")

    def document_detail(self, doc_id: str, request: gr.Request) -> dict[str, Any]:
        """Everything the catalog knows about one document."""
        self.guard.require(request, "secretary", self.t("tab.docs"))
        with self.guard.friendly():
            metas = {m.doc_id: m for m in self.services.documents()}
            if not doc_id or doc_id not in metas:  # e.g. the id just removed
                return {}
            data = metas[doc_id].to_dict()
            data.pop("content_hash", None)
            return data

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
            gr.Info(message)
            return (message, *self._docs_outputs(query or "", clear_selection=True))

    # -- system and users ------------------------------------------------------------
    def system_status(self, load_models: bool, request: gr.Request) -> tuple[Any, ...]:
        """Model, index and drafting state, component checks, settings, users and audit log."""
        user = self.guard.require(request, "admin", self.t("tab.system"))
        with self.guard.friendly():
            from assistant.doctor import run_checks

            t = self.t
            lines = []
            try:
                info = self.services.llm.describe()
                capable = t("system.capable") if (info.get("capabilities") or {}).get("writes_vietnamese") else t("system.not_capable")
                lines.append(t("system.llm", model=info.get("model", "?"), backend=info.get("backend", "?"),
                               capable=capable))
            except AssistantError as exc:
                lines.append(t("system.llm", model="—", backend=self.services.settings.llm.backend,
                               capable=t("system.unavailable", error=exc)))
            try:
                lines.append(t("system.embedder", model=self.services.embedder.model_id))
                stats = self.services.index.catalog.stats()
                lines.append(t("system.index", documents=stats["documents"], chunks=stats["chunks"]))
            except AssistantError as exc:
                lines.append(t("system.unavailable", error=exc))
            lines.append(t("system.drafting", state=t("check.ok")))
            checks = run_checks(self.services.settings, self.services, load_models=bool(load_models))
            self.audit.record(user, "system_status", "doctor", load_models=bool(load_models))
            settings = self.services.settings.model_dump(mode="json")
            settings.get("llm", {}).get("openai", {}).pop("api_key", None)
            return ("\n\n".join(f"- {line}" for line in lines), render.check_rows(checks, t), settings,
                    self._user_rows(), self._audit_rows())

    def _user_rows(self) -> list[list[str]]:
        return [[u.name, self.t.role(u.role), u.created] for u in self.users.list()]

    def _audit_rows(self) -> list[list[str]]:
        return [[e.get("when", ""), e.get("who", ""), e.get("action", ""), e.get("what", "")]
                for e in reversed(self.audit.tail(50))]

    def add_user(self, name: str, role: str, password: str, request: gr.Request) -> tuple[Any, ...]:
        """Create a user with a role (admins only)."""
        admin = self.guard.require(request, "admin", self.t("users.add"))
        with self.guard.friendly():
            if role not in ROLES:
                raise ValidationFailed(f"Vai trò '{role}' không có")
            user = self.users.add(name, role, password)
            self.audit.record(admin, "user_add", user.name, role=role)
            gr.Info(self.t("users.added", name=user.name, role=self.t.role(role)))
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
            gr.Info(self.t("users.removed", name=name))
            return self._user_rows(), ""

    def set_password(self, name: str, password: str, request: gr.Request) -> tuple[Any, ...]:
        """Set a user's password (admins only)."""
        admin = self.guard.require(request, "admin", self.t("users.set_password"))
        with self.guard.friendly():
            name = (name or "").strip()
            self.users.set_password(name, password)
            self.audit.record(admin, "user_password", name)
            gr.Info(self.t("users.password_set", name=name))
            return self._user_rows(), ""
