"""The minutes tab: notes → what was read (each item with its source line) → a form to correct → the biên bản.

1. "Đọc ghi chép" extracts the meeting record and fills the form with it; beside the numbered notes, each
   item read is listed with its line, and clicking the line number lights that line up in the notes.
2. The secretary corrects or completes any field of the Party layout (cell, parent body, place name of
   the date line, number, date, times, place, chair and minute-taker, attendance, tasks).
3. "Soạn biên bản" applies the form to the record read in step 1 (or reads the notes now when step 1 was
   skipped, as API callers do), saves it and renders the DOCX.

An error leaves the notes, the form and the previous result where they were.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import gradio as gr
import yaml

from assistant.drafting.notes.loader import NOTES_SUFFIXES
from assistant.errors import ValidationFailed
from assistant.ui import forms, render
from assistant.ui.handlers import Guard
from assistant.ui.i18n import Texts

PREFIX = "minutes"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def notes_file_path(notes_file: Any, t: Texts) -> Path:
    """The uploaded notes file, refused (naming the accepted kinds) unless the notes loader reads its kind.

    The upload boxes take any file (Gradio's ``file_types`` refuses others in the browser with a fixed English
    sentence); the server refuses them here, in the interface's language.
    """
    path = Path(getattr(notes_file, "name", notes_file))
    suffix = path.suffix.lower()
    if suffix not in NOTES_SUFFIXES:
        raise ValidationFailed(t("notes.refused", suffix=suffix or t("notes.no_extension")))
    return path


class MinutesTab:
    """Layout and handlers of the minutes tab, given only the services and the guard."""

    def __init__(self, services: Any, guard: Guard) -> None:
        self.services = services
        self.guard = guard
        self.t = guard.t
        self.audit = guard.audit
        self.fields: dict[str, Any] = {}
        self.advanced: gr.Accordion | None = None

    def service(self) -> Any:
        """The drafting service of the application's services."""
        return self.services.drafting

    # -- layout ----------------------------------------------------------------------------------------
    def build(self) -> None:
        """Build the tab and wire its endpoints (``/minutes_read``, ``/minutes``, ``/minutes_from_record``)."""
        t = self.t
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                notes = gr.Textbox(label=t("draft.notes"), placeholder=t("draft.notes_placeholder"), lines=12,
                                   elem_id="minutes-notes")
                notes_file = gr.File(label=t("draft.notes_file"), type="filepath", elem_id="minutes-file")
                read = gr.Button(t("minutes.read"), variant="secondary", elem_id="minutes-read")
                status = gr.Markdown("", elem_id="minutes-read-status")
            with gr.Column(scale=3, min_width=300):
                # Markdown passing our escaped HTML through (gr.HTML needs 'unsafe-eval', refused by the CSP); a
                # line link is a fragment link, and the CSS lights up the ``:target`` line of the notes.
                gr.Markdown(f"**{t('draft.found')}**")
                found = gr.Markdown(render.found_items_html(None, t, PREFIX), container=True, sanitize_html=False,
                                    elem_id="minutes-found")
                gr.Markdown(f"**{t('draft.notes_lines')}**")
                numbered = gr.Markdown("", container=True, sanitize_html=False, elem_id="minutes-lines")
        with gr.Accordion(t("minutes.form"), open=True, elem_id="minutes-form"):
            self.fields = self._form()
        build = gr.Button(t("minutes.build_step"), variant="primary", elem_id="minutes-build")
        problems = gr.Markdown("", elem_id="minutes-problems")
        docx = gr.File(label=t("download"), elem_id="minutes-docx", interactive=False)
        preview = gr.Markdown("", elem_id="minutes-preview", label=t("minutes.preview"), container=True,
                              min_height=120)
        with gr.Accordion(t("app.advanced"), open=False, visible=False, elem_id="minutes-advanced") as advanced:
            gr.Markdown(t("minutes.record"))
            record = gr.Code(language="yaml", interactive=True, elem_id="minutes-record", lines=16)
            save = gr.Button(t("minutes.save"), elem_id="minutes-save")
        self.advanced = advanced
        state = gr.State(None)
        fields = list(self.fields.values())
        read.click(self.read, [notes, notes_file], [status, found, numbered, *fields, state], api_name="minutes_read",
                   concurrency_id="llm", show_progress_on=[status])
        outputs = [preview, record, problems, docx]
        build.click(self.minutes, [notes, notes_file, *fields, state], outputs, api_name="minutes",
                    concurrency_id="llm", show_progress_on=[problems])
        save.click(self.minutes_from_record, [record], outputs, api_name="minutes_from_record",
                   show_progress_on=[problems])

    def _form(self) -> dict[str, Any]:
        t = self.t
        out: dict[str, Any] = {}

        def text(name: str, **kw: Any) -> None:
            label = next(f.label for f in forms.MINUTES_FIELDS if f.name == name)
            out[name] = gr.Textbox(label=t(label), elem_id=f"minutes-{name.replace('_', '-')}", min_width=140, **kw)

        def count(name: str) -> None:
            label = next(f.label for f in forms.MINUTES_FIELDS if f.name == name)
            out[name] = gr.Number(None, label=t(label), precision=0, minimum=0, min_width=100,
                                  elem_id=f"minutes-{name}")

        gr.Markdown(f"**{t('minutes.section.header')}**")
        with gr.Row():
            text("cell")
            text("parent")
            text("locality")
        with gr.Row():
            text("number")
            text("date")
            text("start")
            text("end")
        with gr.Row():
            text("place")
        gr.Markdown(f"**{t('minutes.section.people')}**")
        with gr.Row():
            text("chair")
            text("chair_title")
        with gr.Row():
            text("taker")
            text("taker_title")
        gr.Markdown(f"**{t('minutes.section.attendance')}**")
        with gr.Row():
            for name in ("total", "full", "probationary", "exempt", "present"):
                count(name)
        with gr.Row():
            text("absent_excused", lines=2)
            text("absent_unexcused", lines=2)
        out["tasks"] = gr.Dataframe(buttons=[], headers=render.columns(t, forms.TASK_COLUMNS), datatype="str", type="array",
                                    interactive=True, wrap=True, column_count=3,
                                    row_count=1, label=t("minutes.tasks"), elem_id="minutes-tasks")
        return out

    # -- handlers ----------------------------------------------------------------------------------------
    def _notes_text(self, notes: str, notes_file: Any) -> tuple[str, str]:
        """The typed notes, or the uploaded file's text, and a source name."""
        if notes_file:
            path = notes_file_path(notes_file, self.t)
            return self.service().read_notes(path), path.name
        if not (notes or "").strip():
            raise ValidationFailed(self.t("draft.empty"))
        return notes, ""

    def read(self, notes: str, notes_file: Any, request: gr.Request) -> tuple[Any, ...]:
        """Read the notes: what was found (with source lines), the numbered notes, and the form filled in."""
        self.guard.require(request, "secretary", self.t("tab.minutes"))
        with self.guard.friendly():
            text, source = self._notes_text(notes, notes_file)
            summary = self.service().summarize(text, source=source)
            values = forms.form_values(summary.record)
            state = {"notes": _digest(text), "record": summary.record.to_data()}
            issues = render.nfc("\n".join(f"- ⚠ {i.message}" for i in summary.issues))
            status = self.t("minutes.read_done") + ("\n\n" + issues if issues else "")
            return (status, render.found_items_html(summary.record, self.t, PREFIX),
                    render.notes_html(summary.lines or text.splitlines(), PREFIX),
                    *(values[f.name] for f in forms.MINUTES_FIELDS), state)

    def minutes(self, notes: str, notes_file: Any, cell: str | None = None, parent: str | None = None,
                locality: str | None = None, number: str | None = None, date: str | None = None,
                start: str | None = None, end: str | None = None, place: str | None = None,
                chair: str | None = None, chair_title: str | None = None, taker: str | None = None,
                taker_title: str | None = None, total: float | None = None, full: float | None = None,
                probationary: float | None = None, exempt: float | None = None, present: float | None = None,
                absent_excused: str | None = None, absent_unexcused: str | None = None, tasks: Any = None,
                state: Any = None, request: gr.Request | None = None) -> tuple[Any, ...]:
        """Notes plus the form (filled fields win over the notes) → a stored record, its preview and the DOCX.

        The parameters after ``notes_file`` are the form's fields (:data:`forms.MINUTES_FIELDS`), all optional.
        """
        given = dict(locals())
        values = [given[f.name] for f in forms.MINUTES_FIELDS]
        user = self.guard.require(request, "secretary", self.t("tab.minutes"))
        with self.guard.friendly():
            service = self.service()
            text, source = self._notes_text(notes, notes_file)
            if isinstance(state, dict) and state.get("notes") == _digest(text) and state.get("record"):
                record = service.record_from_data(state["record"])  # as read in step 1
            else:
                record = service.summarize(text, source=source).record
            filled = dict(zip([f.name for f in forms.MINUTES_FIELDS], values, strict=True))
            data = forms.apply_form(record, filled, self.t)
            try:
                record = service.record_from_data(data)
            except ValidationFailed as exc:
                raise ValidationFailed(exc.message, forms.field_problems(exc.problems, self.t)) from exc
            return self._outputs(service, record, user, "minutes")

    def minutes_from_record(self, text: str, request: gr.Request) -> tuple[Any, ...]:
        """The edited record (YAML, advanced) → saved again, previewed and rendered."""
        user = self.guard.require(request, "secretary", self.t("tab.minutes"))
        with self.guard.friendly():
            service = self.service()
            try:
                data = yaml.safe_load(text or "")
            except yaml.YAMLError as exc:
                raise ValidationFailed(f"Dữ liệu biên bản không đọc được: {exc}") from exc
            record = service.record_from_data(data)
            return self._outputs(service, record, user, "minutes_edit")

    def _outputs(self, service: Any, record: Any, user: str, action: str) -> tuple[Any, ...]:
        record_id = service.save_record(record)
        result = service.minutes(record, service.settings.output_dir / f"bien-ban-{record_id}.docx")
        self.audit.record(user, action, record_id, path=str(result.path), issues=[str(i) for i in result.issues])
        text = yaml.safe_dump(record.to_data(), allow_unicode=True, sort_keys=False)
        lines = [f"- {'⛔' if i.level == 'error' else '⚠'} {i.message}" for i in result.issues]
        lines += [f"- ⚠ {w}" for w in result.warnings if not w.startswith(("Lỗi:", "Lưu ý:"))]
        if any(w.startswith("Thiếu") for w in result.warnings):
            lines.append(f"\n{self.t('minutes.problems_fix')}")
        return render.nfc(result.markdown), text, render.nfc("\n".join(lines)), str(result.path)
