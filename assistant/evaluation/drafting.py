"""Drafting suite: notes → meeting record → minutes, against hand-written expectations.

A sample set is a folder with ``notes/NAME.txt`` and ``expected/NAME.yaml``
(``evals/drafting/``, plus its ``heldout/`` set). For each sample the
drafting service extracts a record (refined by the model when it is
that may write Vietnamese), :func:`assistant.evaluation.extraction.compare` counts tasks (owner + deadline),
votes, attendance, speakers and header facts as true/false positives, and
the generated minutes are checked for completeness:

- every required part of a biên bản is there (title, sections I–VI, both
  signatures, as worded by the minutes template);
- every fact the expectation gives appears in its section (date, times,
  chair, secretary, present count, absentees, speakers, votes "13/14", task
  owners and deadlines, documents);
- every fact the expectation marks as unknown (``null``) is shown as a
  visible placeholder rather than invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.drafting.service import drafting_service
from assistant.errors import AssistantError
from assistant.evaluation.extraction import compare
from assistant.evaluation.metrics import Counts, rate
from assistant.evaluation.results import SuiteResult
from assistant.llm.capabilities import writes
from assistant.text.vietnamese import strip_accents

Progress = Callable[[str], None]
CATEGORIES = ("tasks", "votes", "attendance", "speakers", "header", "documents", "guests")
STRUCTURE_KEYS = ("title", "section_members", "section_content", "section_opinions", "section_conclusions",
                  "section_votes", "section_tasks", "signature_secretary", "signature_chair")
SECTIONS = ("section_members", "section_content", "section_opinions", "section_conclusions", "section_votes",
            "section_tasks")
# Expectation field → the placeholder label the minutes must show when the notes do not say it.
UNKNOWN_LABELS = {"date": "ngày họp", "start_time": "giờ bắt đầu", "end_time": "giờ kết thúc",
                  "chair": "người chủ trì", "secretary": "thư ký", "place": "địa điểm"}


@dataclass
class Sample:
    """One sample: its notes file and its expectation."""

    name: str
    set_name: str
    notes: Path
    expected: Path


@dataclass
class Completeness:
    """Which required parts and facts the minutes show, and which unknown facts they flag."""

    required: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # facts the notes lack
    unflagged: list[str] = field(default_factory=list)  # ... that the minutes did not mark as missing

    @property
    def score(self) -> float | None:
        """Share of required parts and facts present, None when nothing is required."""
        return rate(len(self.required) - len(self.missing), len(self.required))


def find_samples(folder: Path) -> list[Sample]:
    """Samples of ``folder`` and of its sub-folders that have notes/ and expected/ (e.g. heldout/)."""
    sets = [folder, *sorted(p for p in folder.iterdir() if p.is_dir())] if folder.is_dir() else []
    samples = []
    for root in sets:
        notes, expected = root / "notes", root / "expected"
        if not (notes.is_dir() and expected.is_dir()):
            continue
        set_name = "main" if root == folder else root.name
        for note in sorted(p for p in notes.iterdir() if p.is_file() and not p.name.startswith(".")):
            for suffix in (".yaml", ".yml", ".json"):
                truth = expected / f"{note.stem}{suffix}"
                if truth.is_file():
                    samples.append(Sample(note.stem, set_name, note, truth))
                    break
    return samples


def _key(text: Any) -> str:
    return strip_accents(str(text or "")).strip()


def _sections(markdown: str, texts: Any) -> dict[str, str]:
    """Text of each numbered section of the minutes, keyed by template key."""
    positions = []
    for key in SECTIONS:
        heading = texts(key)
        at = markdown.find(heading)
        if at >= 0:
            positions.append((at, key))
    positions.sort()
    out = {}
    for i, (at, key) in enumerate(positions):
        end = positions[i + 1][0] if i + 1 < len(positions) else len(markdown)
        out[key] = markdown[at:end]
    return out


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _clock(value: Any) -> str:
    if isinstance(value, int):  # YAML 1.1 reads 19:30 as minutes
        return f"{value // 60:02d} giờ {value % 60:02d} phút"
    hh, _, mm = str(value).partition(":")
    return f"{int(hh):02d} giờ {int(mm or 0):02d} phút"


def check_minutes(markdown: str, expected: dict[str, Any], texts: Any) -> Completeness:
    """Which required parts and expected facts the minutes show; which unknown facts they flag."""
    out = Completeness()
    plain = _key(markdown)
    sections = {k: _key(v) for k, v in _sections(markdown, texts).items()}

    def need(label: str, present: bool) -> None:
        out.required.append(label)
        if not present:
            out.missing.append(label)

    for key in STRUCTURE_KEYS:
        need(f"part: {key}", _key(texts(key)) in plain)
    members = sections.get("section_members", "")
    if expected.get("date"):
        need("date", _date(expected["date"]) in markdown)
    for name in ("start_time", "end_time"):
        if expected.get(name) not in (None, ""):
            need(name, _key(_clock(expected[name])) in plain)
    for name in ("chair", "secretary"):
        if expected.get(name):
            need(name, _key(expected[name]) in members)
    attendance = expected.get("attendance") or {}
    if attendance.get("present") is not None:
        need("present", f" {attendance['present']}" in members)
    for group in ("absent_excused", "absent_unexcused"):
        for person in attendance.get(group) or []:
            need(f"{group}: {person}", _key(person) in members)
    for speaker in expected.get("speakers") or []:
        need(f"speaker: {speaker}", _key(speaker) in sections.get("section_opinions", ""))
    for vote in expected.get("votes") or []:
        count = vote.get("for")
        if count is not None:
            wanted = f"{count}/{vote['out_of']}" if vote.get("out_of") is not None else str(count)
            need(f"vote: {wanted}", wanted in sections.get("section_votes", ""))
    tasks_text = sections.get("section_tasks", "")
    for task in expected.get("tasks") or []:
        if task.get("owner"):
            need(f"task owner: {task['owner']}", _key(task["owner"]) in tasks_text)
        if task.get("deadline"):
            need(f"task deadline: {task['deadline']}", _date(task["deadline"]) in tasks_text)
    for number in expected.get("documents") or []:
        need(f"document: {number}", _key(number) in sections.get("section_content", ""))
    for name, label in UNKNOWN_LABELS.items():
        if name in expected and expected[name] in (None, ""):
            out.unknown.append(name)
            if f"[chưa có: {label}" not in markdown:
                out.unflagged.append(name)
    return out


def run_drafting(folder: Path | None, settings: Any, llm: Any, progress: Progress | None = None) -> SuiteResult:
    """Score every sample of ``folder`` with the drafting service built on ``settings`` and ``llm``."""
    progress = progress or (lambda message: None)
    result = SuiteResult("drafting")
    samples = find_samples(folder) if folder is not None else []
    if not samples:
        result.available = False
        result.notes.append(f"not available: no notes/ + expected/ samples under {folder}")
        return result
    service = drafting_service(settings, llm)
    texts = service.texts("minutes")
    refine = writes(llm)
    totals: dict[str, dict[str, Counts]] = {}
    completeness: dict[str, list[float]] = {}
    fields_right: dict[str, list[int]] = {}
    unknown = unflagged = 0
    for sample in samples:
        expected = yaml.safe_load(sample.expected.read_text(encoding="utf-8")) or {}
        row: dict[str, Any] = {"id": f"{sample.set_name}/{sample.name}", "set": sample.set_name,
                               "notes": str(sample.notes)}
        try:
            # Scored as extracted (the cell settings must not fill what the notes do not say), then
            # rendered as the secretary would get it (the settings filling the header).
            summary = service.summarize_file(sample.notes, refine=refine, use_settings=False)
            filled = summary.record.model_copy(deep=True)
            service.fill_from_settings(filled)
            draft = service.minutes(filled, markdown_only=True)
        except AssistantError as exc:
            row["error"] = str(exc)
            result.items[row["id"]] = row
            continue
        comparison = compare(expected, summary.record)
        check = check_minutes(draft.markdown, expected, texts)
        for set_name in (sample.set_name, "all"):
            fields_right.setdefault(set_name, [0, 0])
            fields_right[set_name][0] += comparison.right
            fields_right[set_name][1] += len(comparison.checks)
        for set_name in (sample.set_name, "all"):
            bucket = totals.setdefault(set_name, {})
            for name, tally in comparison.tallies.items():
                bucket.setdefault(name, Counts()).add(tally.tp, tally.fp, tally.fn)
            if check.score is not None:
                completeness.setdefault(set_name, []).append(check.score)
        unknown += len(check.unknown)
        unflagged += len(check.unflagged)
        row.update({
            "tallies": {k: {"tp": t.tp, "fp": t.fp, "fn": t.fn} for k, t in comparison.tallies.items()},
            "mismatches": comparison.mismatches, "minutes_completeness": check.score,
            "minutes_missing": check.missing, "unknown_facts": check.unknown, "unflagged": check.unflagged,
            "placeholders": len(draft.document.placeholders()),
            "llm_refined": None if summary.refined is None else {"accepted": summary.refined.accepted,
                                                                 "rejected": summary.refined.rejected},
        })
        result.items[row["id"]] = row
        progress(f"drafting {row['id']}: completeness {check.score}")
    result.metrics = {
        "samples": len(samples), "errors": sum(1 for r in result.items.values() if "error" in r),
        "refined_by_llm": refine,
        "sets": {name: {"categories": {k: bucket[k].as_row() for k in CATEGORIES if k in bucket},
                        "minutes_completeness": round(sum(completeness.get(name, [])) /
                                                      len(completeness[name]), 4) if completeness.get(name) else None,
                        "fields_right": rate(*fields_right[name]) if name in fields_right else None,
                        "samples": sum(1 for r in result.items.values() if r.get("set") == name or name == "all")}
                 for name, bucket in sorted(totals.items(), key=lambda kv: kv[0] == "all")},
        "unknown_facts": unknown, "unknown_flagged": unknown - unflagged,
        "unknown_flag_rate": rate(unknown - unflagged, unknown),
    }
    return result
