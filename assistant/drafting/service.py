"""DraftingService: the drafting feature's entry point, given to the CLI and the UI by ``Services.drafting``.

Cheap to construct. The record store opens SQLite per call; the LLM is
created on first need and used only when it writes Vietnamese (``assistant.llm.capabilities``); a document
provider (the index, wired by ``Services``) supplies bulletin sources. The
service keeps no per-call state: what a call has to tell its caller (e.g.
"the model could not be used") comes back in that call's result.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.drafting.bulletin.script import BulletinScript, BulletinSource, build_script
from assistant.drafting.bulletin.sources import DocumentProvider
from assistant.drafting.bulletin.speech import encode_mp3, mp3_encoder, synthesize, wav_duration
from assistant.drafting.documents.draft import DraftDocument, display_name, to_markdown
from assistant.drafting.documents.layout import render_docx
from assistant.drafting.documents.minutes import build_minutes
from assistant.drafting.documents.report import build_report, parse_month
from assistant.drafting.notes.extract import extract_record
from assistant.drafting.notes.loader import NOTES_SUFFIXES, read_notes
from assistant.drafting.notes.numbers import fold
from assistant.drafting.notes.propose import Proposal, propose_record
from assistant.drafting.notes.record import Issue, MeetingRecord, check_record, load_record, record_from_data
from assistant.drafting.notes.refine import RefineReport, refine_record
from assistant.drafting.notes.store import RecordStore, RecordSummary, StoredTask
from assistant.drafting.templates import Texts, load_texts
from assistant.errors import AssistantError, BackendUnavailable, NotFound, ValidationFailed
from assistant.llm.base import LLM
from assistant.llm.capabilities import writes
from assistant.prompts import load_prompt
from assistant.settings import Settings

RECORD_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Summary:
    """Notes turned into a record, with what the checks and the model said."""

    record: MeetingRecord
    issues: list[Issue]
    lines: list[str]
    refined: RefineReport | None = None
    record_id: str | None = None
    proposed: Proposal | None = None  # the writing model's proposal: what was kept (with its line) and refused
    remarks: list[str] = field(default_factory=list)  # non-fatal, for this call only (model unavailable)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form ``chibo summarize --json`` prints."""
        return {
            "id": self.record_id,
            "record": self.record.to_data(),
            "issues": [{"level": i.level, "field": i.field, "message": i.message} for i in self.issues],
            "llm": None if self.refined is None else {"accepted": self.refined.accepted,
                                                      "rejected": self.refined.rejected,
                                                      "reasons": self.refined.reasons},
            "proposal": None if self.proposed is None else self.proposed.to_dict(),
        }


@dataclass
class DraftResult:
    """A rendered minutes or report: the document, its DOCX path and a Markdown preview."""

    document: DraftDocument
    path: Path | None
    markdown: str
    record_id: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Facts the document had to leave as placeholders."""
        return self.document.warnings

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the CLI prints."""
        return {"path": str(self.path) if self.path else None, "record_id": self.record_id,
                "warnings": self.warnings, "placeholders": self.document.placeholders()}


@dataclass
class BulletinResult:
    """A bulletin script, its audio files and what the caller should be told."""

    script: BulletinScript
    audio: list[Path]
    seconds: float | None
    warnings: list[str]
    remarks: list[str] = field(default_factory=list)  # non-fatal, for this call only (model unavailable)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form ``chibo bulletin --json`` prints."""
        s = self.script
        return {"documents": [i.doc_id for i in s.items], "dropped_documents": s.dropped_documents,
                "words": s.words, "estimated_minutes": round(s.estimated_minutes, 2),
                "target_minutes": round(s.target_words / s.words_per_minute, 2) if s.target_words else None,
                "audio": [str(p) for p in self.audio], "seconds": self.seconds, "used_llm": s.used_llm,
                "warnings": self.warnings, "script": s.text(), "spoken": s.spoken()}


LLMSource = LLM | Callable[[], LLM] | None


class DraftingService:
    """Summaries, minutes, reports and bulletins for one installation; shared by every session."""

    def __init__(self, settings: Settings, *, llm: LLMSource = None, llm_name: str | None = None,
                 document_provider: DocumentProvider | None = None) -> None:
        self.settings = settings
        self._llm_source = llm
        self._llm_name = llm_name
        self._llm: LLM | None = None
        self._llm_error = ""
        self._llm_ready = False
        self._lock = threading.Lock()
        self.document_provider = document_provider
        self.store = RecordStore(settings.database_path)

    # -- model -----------------------------------------------------------------
    def capable_llm(self, remarks: list[str] | None = None) -> LLM | None:
        """The configured model when it may write Vietnamese for users, else None (deterministic output).

        When the model cannot be created, the reason is added to ``remarks``: the caller's own list,
        so one call's remark never reaches another call or session.
        """
        with self._lock:
            if not self._llm_ready:
                self._llm_ready = True
                source = self._llm_source
                try:
                    if source is None:
                        from assistant.llm import create_llm

                        self._llm = create_llm(self.settings, self._llm_name)
                    elif callable(source) and not hasattr(source, "generate"):
                        self._llm = source()
                    else:
                        self._llm = source  # type: ignore[assignment]
                except AssistantError as exc:
                    self._llm_error = f"Không dùng được mô hình ngôn ngữ ({exc}); dùng cách trích xuất cố định"
                    self._llm = None
        if self._llm_error and remarks is not None:
            remarks.append(self._llm_error)
        return self._llm if self._llm is not None and writes(self._llm) else None

    def texts(self, name: str) -> Texts:
        """Wording of ``name`` (minutes, report, bulletin), with the installation's own templates on top."""
        return load_texts(name, self.settings.language, [self.settings.data_dir / "templates"])

    # -- records -----------------------------------------------------------------
    def summarize(self, notes: str, *, source: str = "", refine: bool = True, propose: bool | None = None,
                  propose_mode: str = "gaps", use_settings: bool = True) -> Summary:
        """Notes or a transcript → a checked meeting record (not saved).

        The rules extract the record; with a model that writes Vietnamese, ``refine`` lets it smooth the
        wording and ``propose`` lets it propose the fields the rules left empty (``propose_mode="full"``: all
        fields), each value kept only when the notes bear it out (:mod:`assistant.drafting.notes.propose`);
        ``propose`` follows ``refine`` unless given, so ``refine=False`` alone never creates a model.
        ``use_settings`` fills the cell, parent and place name the notes do not give from ``settings.cell``.
        """
        if not notes.strip():
            raise ValidationFailed("Ghi chép trống")
        result = extract_record(notes, source=source)
        propose = refine if propose is None else propose
        refined = proposed = None
        remarks: list[str] = []
        llm = self.capable_llm(remarks) if refine or propose else None
        if llm is not None and refine:
            prompt = load_prompt("drafting_summary", self.settings.language)
            refined = refine_record(result.record, "\n".join(result.lines), llm, prompt,
                                    max_tokens=max(self.settings.llm.max_tokens, 1024))
        if llm is not None and propose:
            cell = self.settings.cell
            skip = [name for name, value in (("cell", cell.name), ("parent", cell.parent)) if use_settings and value]
            proposed = propose_record(result.record, result.lines, llm,
                                      load_prompt("notes_record", self.settings.language), mode=propose_mode,
                                      skip=skip, max_tokens=max(self.settings.llm.max_tokens, 700))
            if proposed.error:
                remarks.append(f"Mô hình không đề xuất được biên bản ({proposed.error}); dùng kết quả trích xuất")
        if use_settings:
            self._fill_cell(result.record)
        return Summary(result.record, check_record(result.record), result.lines, refined, remarks=remarks,
                       proposed=proposed)

    def read_notes(self, path: Path | str) -> str:
        """A notes file (.txt/.md/.docx) as text, decoded and in document order."""
        return read_notes(path)

    def summarize_file(self, path: Path | str, *, refine: bool = True, propose: bool | None = None,
                       propose_mode: str = "gaps", use_settings: bool = True) -> Summary:
        """A notes file → a checked meeting record (not saved)."""
        path = Path(path)
        return self.summarize(read_notes(path), source=path.name, refine=refine, propose=propose,
                              propose_mode=propose_mode, use_settings=use_settings)

    def fill_from_settings(self, record: MeetingRecord) -> None:
        """Fill the cell, parent and place name the record lacks from ``settings.cell`` (in place)."""
        self._fill_cell(record)

    def _fill_cell(self, record: MeetingRecord) -> None:
        """The cell settings fill what the notes are silent about; when the notes name the same cell or parent
        without diacritics ("CHI BO AP 3"), the settings' spelling is used."""
        cell = self.settings.cell
        for attr, configured in (("cell", cell.name), ("parent", cell.parent)):
            value = getattr(record, attr)
            if configured and (not value or _same_name(value, configured)):
                setattr(record, attr, configured.upper() if not value else configured)
        record.locality = record.locality or cell.place

    def correct(self, record: MeetingRecord, edits: dict[str, Any]) -> MeetingRecord:
        """``record`` with the secretary's corrections applied, validated again (errors name each field).

        ``edits`` maps field paths to values as typed: ``"chair"`` or ``"chair.name"``, ``"date"``
        ("05/03/2026"), ``"attendance.present"``, ``"tasks.0.deadline"``, ``"votes"`` (a whole list) …;
        ``None`` or ``""`` clears a field. Line numbers of what was not edited are kept.
        """
        data = record.model_dump(mode="json", by_alias=True)
        problems = []
        for path, value in edits.items():
            try:
                _set_path(data, path, value)
            except (KeyError, IndexError, TypeError):
                problems.append(f"{path}: trường không có trong biên bản")
        if problems:
            raise ValidationFailed("Không sửa được biên bản", problems)
        corrected = record_from_data(data, source="Biên bản đã sửa")
        for path, value in edits.items():
            if value in (None, "") and path.split(".")[0] in corrected.field_lines:
                corrected.field_lines.pop(path.split(".")[0])
        return corrected

    def open_record(self, ref: str | Path, *, refine: bool = True) -> tuple[MeetingRecord, Summary | None]:
        """A record from a YAML/JSON file, notes (.txt/.md/.docx) or a stored id."""
        path = Path(ref)
        if path.suffix.lower() in RECORD_SUFFIXES and path.is_file():
            record = load_record(path)
            self._fill_cell(record)
            return record, None
        if path.suffix.lower() in NOTES_SUFFIXES and path.is_file():
            summary = self.summarize_file(path, refine=refine)
            return summary.record, summary
        if self.store.exists(str(ref)):
            return self.store.get(str(ref)), None
        if path.is_file():
            raise ValidationFailed(f"Không rõ loại tệp {path.name}",
                                   hint="biên bản: .yaml/.json; ghi chép: .txt/.md/.docx")
        raise NotFound(f"Không có tệp hay biên bản đã lưu nào tên '{ref}'", hint="xem: chibo records list")

    def record_from_data(self, data: Any) -> MeetingRecord:
        """A record from parsed YAML/JSON (e.g. edited in the UI), validated with messages in Vietnamese."""
        return record_from_data(data)

    def save_record(self, record: MeetingRecord) -> str:
        """Store a record; consistency errors in hand-written records are reported, not silently kept."""
        return self.store.save(record)

    def check(self, record: MeetingRecord) -> list[Issue]:
        """Consistency checks of a record (attendance adds up, votes fit the room, 90 minutes)."""
        return check_record(record)

    def get_record(self, record_id: str) -> MeetingRecord:
        """A stored record by id."""
        return self.store.get(record_id)

    def delete_record(self, record_id: str) -> None:
        """Remove a stored record and its tasks."""
        self.store.delete(record_id)

    def list_records(self, month: str | None = None) -> list[RecordSummary]:
        """Stored records, optionally of one month (YYYY-MM)."""
        return self.store.list_records(month)

    def list_tasks(self, month: str | None = None, status: str | None = None) -> list[StoredTask]:
        """Assigned tasks, optionally by month and status."""
        return self.store.tasks(month, status)

    def set_task_status(self, task_id: int, status: str) -> None:
        """Mark a task done or open again."""
        self.store.set_task_status(task_id, status)

    # -- documents ---------------------------------------------------------------
    def minutes_document(self, record: MeetingRecord) -> DraftDocument:
        """The biên bản of ``record`` as a document model (not rendered)."""
        return build_minutes(record, self.texts("minutes"), self.settings.cell)

    def minutes(self, record: MeetingRecord, out_path: Path | str | None = None, *,
                markdown_only: bool = False) -> DraftResult:
        """Render the biên bản; DOCX unless ``markdown_only``. Default path under the output directory."""
        doc = self.minutes_document(record)
        path = None
        if not markdown_only:
            path = Path(out_path) if out_path else self.settings.output_dir / f"bien-ban-{record.id or 'moi'}.docx"
            render_docx(doc, path)
        return DraftResult(doc, path, to_markdown(doc), record.id, check_record(record))

    def monthly_report(self, month: str, out_path: Path | str | None = None, *, number: str = "",
                       report_date: dt.date | None = None, markdown_only: bool = False, issuer: str = "",
                       parent: str = "", locality: str = "", signer: str = "") -> DraftResult:
        """The cell's report for ``month`` from stored records and tasks.

        ``month`` as people write it: "2026-03", "3/2026", "03-2026", "tháng 3/2026". ``issuer``, ``parent``,
        ``locality`` and ``signer`` correct the header and signature (empty: from the records, then the settings).
        """
        month = parse_month(month)
        records = self.store.records_in_month(month)
        tasks = self.store.tasks(month)
        cell = self.settings.cell.name.strip().upper()
        if cell:  # an installation serves one cell; records of other cells stay out of its report
            records = [r for r in records if not r.cell or r.cell.upper() == cell]
            kept = {r.id for r in records}
            tasks = [t for t in tasks if t.record_id in kept]
        doc = build_report(month, records, tasks, self.texts("report"), self.settings.cell,
                           number=number, report_date=report_date, issuer=issuer, parent=parent,
                           locality=locality, signer=signer)
        path = None
        if not markdown_only:
            path = Path(out_path) if out_path else self.settings.output_dir / f"bao-cao-{month}.docx"
            render_docx(doc, path)
        return DraftResult(doc, path, to_markdown(doc))

    # -- bulletin ----------------------------------------------------------------
    def bulletin_sources(self, doc_ids: list[str] | None = None, since: dt.date | None = None,
                         provider: DocumentProvider | None = None) -> list[BulletinSource]:
        """Documents for the bulletin from ``provider`` (default: the one this service was given)."""
        provider = provider or self.document_provider
        if provider is None:
            raise BackendUnavailable("Chưa nối kho văn bản cho bản tin",
                                     hint="dùng --from-files TỆP.txt để đọc trực tiếp từ tệp")
        sources = provider(doc_ids, since)
        if not sources:
            raise ValidationFailed("Không có văn bản nào phù hợp để làm bản tin",
                                   hint="kiểm tra --docs / --since")
        return sources

    def bulletin_script(self, sources: list[BulletinSource], *, minutes: float | None = None,
                        today: dt.date | None = None, use_llm: bool = True,
                        remarks: list[str] | None = None) -> BulletinScript:
        """The spoken script for ``sources``, within ``minutes`` when given; a model that writes Vietnamese may smooth it."""
        if not sources:
            raise ValidationFailed("Không có văn bản nào để làm bản tin")
        if minutes is not None and minutes <= 0:
            raise ValidationFailed("Độ dài bản tin phải lớn hơn 0 phút")
        llm = self.capable_llm(remarks) if use_llm else None
        prompt = load_prompt("drafting_bulletin", self.settings.language) if llm is not None else None
        cell = display_name(self.settings.cell.name).removeprefix("Chi bộ ").strip() if self.settings.cell.name else ""
        return build_script(sources, self.texts("bulletin"), minutes=minutes,
                            words_per_minute=self.settings.speech.words_per_minute, cell=cell, today=today,
                            llm=llm, smooth_prompt=prompt)

    def bulletin(self, sources: list[BulletinSource], out_path: Path | str | None = None, *,
                 minutes: float | None = None, script_only: bool = False, mp3: bool = True,
                 today: dt.date | None = None, use_llm: bool = True) -> BulletinResult:
        """Script and, unless ``script_only``, speech: WAV (or MP3 by suffix) plus an MP3 copy when possible."""
        remarks: list[str] = []
        script = self.bulletin_script(sources, minutes=minutes, today=today, use_llm=use_llm, remarks=remarks)
        warnings: list[str] = []
        if script.dropped_documents:
            warnings.append(f"Bỏ bớt {len(script.dropped_documents)} văn bản để vừa {minutes} phút: "
                            + ", ".join(script.dropped_documents))
        if script.dropped_points:
            warnings.append(f"Đã lược {script.dropped_points} ý để vừa độ dài yêu cầu")
        if script.target_words and script.words > script.target_words:
            warnings.append(f"Bản tin ngắn nhất có thể vẫn dài {script.estimated_minutes:.1f} phút, "
                            f"hơn độ dài yêu cầu {minutes} phút")
        audio: list[Path] = []
        seconds = None
        if not script_only:
            path = Path(out_path) if out_path else self.settings.output_dir / f"ban-tin-{dt.date.today()}.wav"
            speech = self.settings.speech
            if path.suffix.lower() == ".mp3" and mp3_encoder() is None:
                warnings.append("Không có bộ mã hóa MP3 (lame/lameenc): ghi tệp WAV")
                path = path.with_suffix(".wav")
            synthesize(script.spoken(), path, voice=speech.voice, words_per_minute=speech.words_per_minute)
            audio.append(path)
            if path.suffix.lower() == ".wav":
                seconds = round(wav_duration(path), 1)
                if mp3 and mp3_encoder():
                    audio.append(encode_mp3(path, path.with_suffix(".mp3")))
        return BulletinResult(script, audio, seconds, warnings, remarks)


    # -- the cell's standing details (report/bulletin owner's block) -------------------------------------------
    def save_cell_settings(self, *, name: str, parent: str, place: str, symbol: str = "CB") -> Path:
        """Set the cell's name, parent body, place name and symbol, and keep them in ``<data dir>/settings.yaml``.

        Only the file's ``cell:`` section is rewritten (other settings and their comments stay); the
        running service uses the new values at once. An environment variable (``CHIBO_CELL__NAME``) still
        wins over the file at the next start.
        """
        values = {"name": " ".join(name.split()).upper(), "parent": " ".join(parent.split()).upper(),
                  "place": " ".join(place.split()), "symbol": symbol.strip() or "CB"}
        if "HUYỆN" in values["parent"] or "HUYEN" in values["parent"]:
            raise ValidationFailed("Cấp huyện đã bỏ (Quy định 294-QĐ/TW): đảng bộ cấp trên là đảng bộ xã, phường "
                                   "hoặc cơ quan, không phải huyện")
        if not re.fullmatch(r"[A-ZĐ0-9]{1,10}", values["symbol"].upper()):
            raise ValidationFailed(f"Ký hiệu '{values['symbol']}' không hợp lệ: viết tắt bằng chữ in hoa, ví dụ CB")
        values["symbol"] = values["symbol"].upper()
        path = self.settings.data_dir / "settings.yaml"
        section = {**self.settings.cell.model_dump(), **values}
        write_cell_section(path, {k: v for k, v in section.items() if v not in ("", None) or k in values})
        for key, value in values.items():
            setattr(self.settings.cell, key, value)
        return path


_TOP_KEY = re.compile(r"^[^\s#]")


def write_cell_section(path: Path, cell: dict[str, Any]) -> None:
    """Replace (or add) the top-level ``cell:`` block of a YAML settings file, keeping every other line."""
    import os

    import yaml

    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept: list[str] = []
    inside = False
    for line in lines:
        if _TOP_KEY.match(line):
            inside = bool(re.match(r"^cell\s*:", line))
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    block = yaml.safe_dump({"cell": cell}, allow_unicode=True, sort_keys=False, default_flow_style=False)
    text = "\n".join(kept) + ("\n" if kept else "") + block
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    if path.is_file():
        os.chmod(tmp, path.stat().st_mode & 0o777)
    os.replace(tmp, path)


def _same_name(a: str, b: str) -> bool:
    """Names equal without case, diacritics, tone placement or a leading "CB"/"ĐB"."""
    def key(text: str) -> str:
        text = " ".join(fold(text).split())
        return re.sub(r"^cb\b", "chi bo", re.sub(r"^db\b", "dang bo", text))

    return key(a) == key(b)


def _set_path(data: Any, path: str, value: Any) -> None:
    """Set ``data[path]`` for a dotted path ("attendance.present", "tasks.0.owner"); unknown keys raise KeyError."""
    parts = path.split(".")
    target = data
    for part in parts[:-1]:
        if isinstance(target, list):
            target = target[int(part)]
        else:
            if part not in target:
                raise KeyError(part)
            if target[part] is None:
                target[part] = {}
            target = target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    elif last in target:
        current = target[last]
        if value in (None, ""):  # cleared: empty text stays text, anything else becomes unknown
            value = "" if isinstance(current, str) and last not in ("date", "start_time", "end_time") else None
        target[last] = value
    else:
        raise KeyError(last)


def drafting_service(settings: Settings, llm: LLMSource = None, *, llm_name: str | None = None,
                     document_provider: DocumentProvider | None = None) -> DraftingService:
    """The drafting service for ``settings``; ``llm`` may be a model or a factory, created lazily."""
    return DraftingService(settings, llm=llm, llm_name=llm_name, document_provider=document_provider)
