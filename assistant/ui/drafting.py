"""Drafting tabs: minutes, meeting summary, monthly report, audio bulletin.

The tabs call ``Services.drafting`` (built on first use) and nothing else of
the drafting package (besides its pure parsers of dates and months). Every
handler checks the caller's role first. The service is shared by all
sessions and keeps no per-call state. The minutes tab lives in
:mod:`assistant.ui.minutes`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import gradio as gr

from assistant.errors import ValidationFailed
from assistant.ui.handlers import Guard
from assistant.ui.minutes import MinutesTab, notes_file_path
from assistant.ui.render import nfc, nfc_rows

MONTHS_OFFERED = 18


def recent_months(today: dt.date, count: int = MONTHS_OFFERED) -> list[tuple[str, str]]:
    """("tháng 5/2026", "2026-05") for this month and the ones before it, newest first: the month picker."""
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        out.append((f"tháng {month}/{year}", f"{year:04d}-{month:02d}"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _user_slug(user: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "", user)[:32] or "user"


class DraftingTabs:
    """The four drafting tabs and their handlers, given only the services and the guard."""

    def __init__(self, services: Any, guard: Guard) -> None:
        self.services = services
        self.guard = guard
        self.t = guard.t
        self.audit = guard.audit
        self._bulletin_docs: gr.Dropdown | None = None
        self.minutes = MinutesTab(services, guard)

    @property
    def bulletin_docs(self) -> gr.Dropdown:
        """The bulletin's document picker."""
        # Created unrendered so the documents tab can update it before the bulletin tab places it.
        if self._bulletin_docs is None:
            self._bulletin_docs = gr.Dropdown([], value=[], multiselect=True, allow_custom_value=True,
                                              label=self.t("bulletin.docs"), elem_id="bulletin-docs", render=False)
        return self._bulletin_docs

    # -- the service -------------------------------------------------------------
    def service(self) -> Any:
        """The drafting service of the application's services."""
        return self.services.drafting

    def _notes_text(self, notes: str, notes_file: Any) -> tuple[str, str]:
        """The typed notes, or the uploaded file's text, and a source name."""
        if notes_file:
            path = notes_file_path(notes_file, self.t)
            return self.service().read_notes(path), path.name
        if not (notes or "").strip():
            raise ValidationFailed(self.t("draft.empty"))
        return notes, ""

    @staticmethod
    def _issues_md(issues: list[Any], warnings: list[str] | None = None) -> str:
        lines = [f"- {'⛔' if getattr(i, 'level', '') == 'error' else '⚠'} {getattr(i, 'message', i)}" for i in issues]
        lines += [f"- ⚠ {w}" for w in warnings or []]
        return nfc("\n".join(lines))

    def _notes_inputs(self, prefix: str) -> tuple[gr.Textbox, gr.File]:
        """Notes typed in, or a notes file."""
        notes = gr.Textbox(label=self.t("draft.notes"), placeholder=self.t("draft.notes_placeholder"), lines=14,
                           elem_id=f"{prefix}-notes")
        # No file_types: the server refuses other files in Vietnamese (see minutes.notes_file_path).
        notes_file = gr.File(label=self.t("draft.notes_file"), type="filepath", elem_id=f"{prefix}-file")
        return notes, notes_file

    # -- minutes -------------------------------------------------------------------
    def minutes_tab(self) -> None:
        """Build the minutes tab (notes → items with their lines → form → biên bản)."""
        self.minutes.build()

    # -- summary -------------------------------------------------------------------
    def summary_tab(self) -> None:
        """Build the meeting summary tab and wire its endpoint."""
        t = self.t
        with gr.Row(equal_height=False):
            with gr.Column(scale=2):
                notes, notes_file = self._notes_inputs("summary")
                build = gr.Button(t("summary.build"), variant="primary", elem_id="summary-build")
            with gr.Column(scale=3):
                problems = gr.Markdown("", elem_id="summary-problems")
                decisions = gr.Dataframe(buttons=[], headers=[t("col.what"), t("col.line")], label=t("summary.decisions"),
                                         interactive=False, wrap=True, elem_id="summary-decisions")
                tasks = gr.Dataframe(buttons=[], headers=[t("col.what"), t("col.owner"), t("col.deadline"), t("col.line")],
                                     label=t("summary.tasks"), interactive=False, wrap=True, elem_id="summary-tasks")
                votes = gr.Dataframe(buttons=[], headers=[t("col.question"), t("col.for"), t("col.against"), t("col.abstain"),
                                              t("col.out_of"), t("col.line")],
                                     label=t("summary.votes"), interactive=False, wrap=True, elem_id="summary-votes")
        build.click(self.summarize, [notes, notes_file], [decisions, tasks, votes, problems], api_name="summarize",
                    concurrency_id="llm")

    def summarize(self, notes: str, notes_file: Any, request: gr.Request) -> tuple[Any, ...]:
        """Notes (typed or a file) → decisions, tasks and votes tables, plus the checks."""
        user = self.guard.require(request, "secretary", self.t("tab.summary"))
        with self.guard.friendly():
            service = self.service()
            text, source = self._notes_text(notes, notes_file)
            summary = service.summarize(text, source=source)
            record = summary.record
            decisions = [[c.text, c.line or ""] for c in record.conclusions]
            tasks = [[task.what, task.owner, task.deadline.strftime("%d/%m/%Y") if task.deadline
                      else task.deadline_text, task.line or ""] for task in record.tasks]
            votes = [[v.question, v.in_favour, v.against, v.abstain, v.out_of, v.line or ""] for v in record.votes]
            self.audit.record(user, "summarize", source or text[:80], decisions=len(decisions), tasks=len(tasks),
                              votes=len(votes))
            return nfc_rows(decisions), nfc_rows(tasks), nfc_rows(votes), self._issues_md(summary.issues)

    # -- report --------------------------------------------------------------------
    def report_tab(self) -> None:
        """Build the monthly report tab and wire its endpoint."""
        t = self.t
        months = recent_months(dt.date.today())
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=280):
                month = gr.Dropdown(months, value=months[0][1], allow_custom_value=True, filterable=True,
                                    label=t("report.month"), elem_id="report-month")
                number = gr.Textbox(label=t("report.number"), elem_id="report-number")
                with gr.Accordion(t("report.form"), open=False, elem_id="report-form"):
                    report_date = gr.Textbox(label=t("report.date"), elem_id="report-date")
                    cell = gr.Textbox(label=t("report.cell"), elem_id="report-cell")
                    parent = gr.Textbox(label=t("report.parent"), elem_id="report-parent")
                    locality = gr.Textbox(label=t("report.locality"), elem_id="report-locality")
                    signer = gr.Textbox(label=t("report.signer"), elem_id="report-signer")
                build = gr.Button(t("report.build"), variant="primary", elem_id="report-build")
                problems = gr.Markdown("", elem_id="report-problems")
            with gr.Column(scale=3, min_width=300):
                docx = gr.File(label=t("download"), interactive=False, elem_id="report-docx")
                preview = gr.Markdown("", label=t("report.preview"), container=True, min_height=200,
                                      elem_id="report-preview")
        build.click(self.report, [month, number, report_date, cell, parent, locality, signer],
                    [preview, problems, docx], api_name="report", concurrency_id="llm", show_progress_on=[problems])

    def report(self, month: str, number: str, report_date: str, cell: str, parent: str, locality: str,
               signer: str, request: gr.Request) -> tuple[Any, ...]:
        """The month's report ("5/2026", "tháng 5/2026", "2026-05"): preview, what to check, the DOCX."""
        user = self.guard.require(request, "secretary", self.t("tab.report"))
        with self.guard.friendly():
            service = self.service()
            from assistant.drafting.documents.report import parse_month

            key = parse_month(month or "")
            when = None
            if (report_date or "").strip():
                from assistant.drafting.notes.record import parse_date

                try:
                    when = parse_date(report_date.strip())
                except ValueError as exc:
                    raise ValidationFailed(self.t("minutes.bad_field", field=self.t("report.date"),
                                                  problem=str(exc))) from exc
            result = service.monthly_report(key, service.settings.output_dir / f"bao-cao-thang-{key}.docx",
                                            number=(number or "").strip(), report_date=when, issuer=cell or "",
                                            parent=parent or "", locality=locality or "", signer=signer or "")
            self.audit.record(user, "report", key, path=str(result.path))
            return nfc(result.markdown), self._issues_md([], result.warnings), str(result.path)

    # -- bulletin ------------------------------------------------------------------
    def bulletin_tab(self) -> gr.Dropdown:
        """Build the audio bulletin tab; returns its document picker."""
        t = self.t
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=280):
                self.bulletin_docs.render()
                minutes = gr.Slider(1, 10, value=3, step=0.5, label=t("bulletin.minutes"), elem_id="bulletin-minutes")
                build = gr.Button(t("bulletin.build"), variant="primary", elem_id="bulletin-build")
                problems = gr.Markdown("", elem_id="bulletin-problems")
            with gr.Column(scale=3, min_width=280):
                audio = gr.Audio(label=t("bulletin.audio"), type="filepath", interactive=False,
                                 elem_id="bulletin-audio")
                files = gr.File(label=t("download"), file_count="multiple", interactive=False,
                                elem_id="bulletin-files")
                script = gr.Textbox(label=t("bulletin.script"), lines=14, elem_id="bulletin-script")
        build.click(self.bulletin, [self.bulletin_docs, minutes], [script, audio, files, problems],
                    api_name="bulletin", concurrency_id="llm", show_progress_on=[problems])
        return self.bulletin_docs

    def bulletin(self, doc_ids: list[str] | None, minutes: float | None, request: gr.Request,
                 progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008 - Gradio's injection idiom
        """A bulletin of the chosen documents: script, audio and warnings."""
        user = self.guard.require(request, "member", self.t("tab.bulletin"))
        with self.guard.friendly():
            service = self.service()
            doc_ids = [d for d in (doc_ids or []) if d]
            if not doc_ids:
                raise ValidationFailed(self.t("bulletin.no_docs"))
            known = {m.doc_id for m in self.services.documents()}
            unknown = [d for d in doc_ids if d not in known]
            if unknown:
                raise ValidationFailed(f"Không có tài liệu: {', '.join(unknown)}")
            progress(0.1, desc=self.t("bulletin.script"))
            sources = service.bulletin_sources(doc_ids)
            out = service.settings.output_dir / f"ban-tin-{_stamp()}-{_user_slug(user)}.wav"
            progress(0.4, desc=self.t("bulletin.audio"))
            result = service.bulletin(sources, out, minutes=float(minutes) if minutes else None)
            self.audit.record(user, "bulletin", ", ".join(doc_ids), audio=[str(p) for p in result.audio])
            audio = str(result.audio[0]) if result.audio else None
            return (nfc(result.script.text()), audio, [str(p) for p in result.audio],
                    self._issues_md([], result.warnings))
