"""The minutes form: every field of the Party layout, filled from the notes and corrected by the secretary.

:data:`MINUTES_FIELDS` lists the form's fields in the order the ``/minutes`` endpoint takes them.
:func:`form_values` fills the form from a meeting record (what was read from the notes);
:func:`apply_form` puts what the secretary typed back on the record: a filled field wins over the
notes, an empty one leaves the notes' value. Wrong values (a date that does not exist, a count that is
not a number) are reported field by field in the interface language, and nothing the user typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.errors import ValidationFailed
from assistant.ui.i18n import Texts


@dataclass(frozen=True)
class Field:
    """One form field: its name (the endpoint's parameter), its label key and its kind."""

    name: str
    label: str
    kind: str = "text"  # text | count | lines | tasks
    section: str = "header"


MINUTES_FIELDS: tuple[Field, ...] = (
    Field("cell", "minutes.cell"),
    Field("parent", "minutes.parent"),
    Field("locality", "minutes.locality"),
    Field("number", "minutes.number"),
    Field("date", "minutes.date"),
    Field("start", "minutes.start"),
    Field("end", "minutes.end"),
    Field("place", "minutes.place"),
    Field("chair", "minutes.chair", section="people"),
    Field("chair_title", "minutes.chair_title", section="people"),
    Field("taker", "minutes.taker", section="people"),
    Field("taker_title", "minutes.taker_title", section="people"),
    Field("total", "minutes.total", "count", "attendance"),
    Field("full", "minutes.full", "count", "attendance"),
    Field("probationary", "minutes.probationary", "count", "attendance"),
    Field("exempt", "minutes.exempt", "count", "attendance"),
    Field("present", "minutes.present", "count", "attendance"),
    Field("absent_excused", "minutes.absent_excused", "lines", "attendance"),
    Field("absent_unexcused", "minutes.absent_unexcused", "lines", "attendance"),
    Field("tasks", "minutes.tasks", "tasks", "tasks"),
)
TASK_COLUMNS = ("col.what", "col.owner", "col.deadline_text")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def form_values(record: Any) -> dict[str, Any]:
    """The form's fields filled from ``record`` (a :class:`MeetingRecord`)."""
    att = record.attendance
    chair, taker = record.chair, record.secretary
    return {
        "cell": record.cell, "parent": record.parent, "locality": record.locality, "number": record.number,
        "date": record.date.strftime("%d/%m/%Y") if record.date else "",
        "start": record.start_time.strftime("%H:%M") if record.start_time else "",
        "end": record.end_time.strftime("%H:%M") if record.end_time else "",
        "place": record.place,
        "chair": chair.name if chair else "", "chair_title": chair.title if chair else "",
        "taker": taker.name if taker else "", "taker_title": taker.title if taker else "",
        "total": att.total, "full": att.full, "probationary": att.probationary, "exempt": att.exempt,
        "present": att.present,
        "absent_excused": "\n".join(f"{a.name} - {a.reason}" if a.reason else a.name for a in att.absent_excused),
        "absent_unexcused": "\n".join(a.name for a in att.absent_unexcused),
        "tasks": [[task.what, task.owner, task.deadline.strftime("%d/%m/%Y") if task.deadline else task.deadline_text]
                  for task in record.tasks],
    }


def _rows(value: Any) -> list[list[str]]:
    """Table rows from what Gradio hands over (a list of lists, a pandas frame, or {"data": …})."""
    if value is None:
        return []
    if hasattr(value, "values") and hasattr(value, "columns"):  # pandas
        value = value.values.tolist()
    elif isinstance(value, dict):
        value = value.get("data") or []
    rows = []
    for row in value:
        cells = [_text(c) for c in list(row)[:3]] + [""] * (3 - len(list(row)[:3]))
        if any(cells):
            rows.append(cells)
    return rows


def _count(value: Any, label: str, t: Texts, problems: list[str]) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = -1
    if number < 0 or number != int(number):
        problems.append(t("minutes.bad_field", field=t(label), problem=t("minutes.bad_number")))
        return None
    return int(number)


_ABSENCE = re.compile(r"^(?P<name>[^-–:(]+?)\s*(?:[-–:]\s*(?P<reason>.*)|\((?P<paren>[^)]*)\)?)?$")


def _absences(text: str) -> list[dict[str, str]]:
    """"Võ Thị Hoa - ốm" lines (or "Võ Thị Hoa (ốm)") as names and reasons."""
    out = []
    for raw in _text(text).splitlines():
        line = re.sub(r"^\s*(?:[-–•+*]|\d+[.)])\s*", "", raw).strip()
        line = re.sub(r"^(?:đồng chí|đ/c)\s+", "", line, flags=re.IGNORECASE)
        m = _ABSENCE.match(line)
        if line and m:
            out.append({"name": m.group("name").strip(), "reason": (m.group("reason") or m.group("paren") or "").strip()})
    return out


def apply_form(record: Any, values: dict[str, Any], t: Texts) -> Any:
    """``record`` with the filled form fields on top; ValidationFailed naming each wrong field."""
    data = record.to_data()
    data.pop("id", None)
    problems: list[str] = []
    simple = {"cell": "cell", "parent": "parent", "locality": "locality", "number": "number", "date": "date",
              "start": "start_time", "end": "end_time", "place": "place"}
    for name, key in simple.items():
        text = _text(values.get(name))
        if text:
            data[key] = text.upper() if name in ("cell", "parent") else text
    for who, title, key in (("chair", "chair_title", "chair"), ("taker", "taker_title", "secretary")):
        name, role = _text(values.get(who)), _text(values.get(title))
        if name or role:
            person = dict(data.get(key) or {})
            if name:
                person["name"] = name
            if role:
                person["title"] = role
            data[key] = person
    attendance = dict(data.get("attendance") or {})
    for name in ("total", "full", "probationary", "exempt", "present"):
        label = next(f.label for f in MINUTES_FIELDS if f.name == name)
        count = _count(values.get(name), label, t, problems)
        if count is not None:
            attendance[name] = count
    for name, key, count_key in (("absent_excused", "absent_excused", "absent_excused_count"),
                                 ("absent_unexcused", "absent_unexcused", "absent_unexcused_count")):
        people = _absences(values.get(name) or "")
        if people:
            attendance[key] = [{"name": p["name"], "reason": p["reason"]} if key == "absent_excused"
                               else {"name": p["name"]} for p in people]
            attendance.pop(count_key, None)  # the names now say how many
    data["attendance"] = attendance
    rows = _rows(values.get("tasks"))
    if rows:
        lines = {task.what: task.line for task in record.tasks}
        data["tasks"] = [_task(what, owner, deadline, lines.get(what)) for what, owner, deadline in rows if what]
    if problems:
        raise ValidationFailed("; ".join(problems))
    return data


def _task(what: str, owner: str, deadline: str, line: int | None) -> dict[str, Any]:
    task: dict[str, Any] = {"what": what, "owner": owner}
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}", deadline):
        task["deadline"] = deadline
    elif deadline:
        task["deadline_text"] = deadline
    if line:
        task["line"] = line
    return task


# Record keys as the form names them, for messages about a wrong value.
_FIELD_LABELS = {"date": "minutes.date", "start_time": "minutes.start", "end_time": "minutes.end",
                 "number": "minutes.number", "place": "minutes.place", "cell": "minutes.cell",
                 "parent": "minutes.parent", "locality": "minutes.locality", "chair": "minutes.chair",
                 "secretary": "minutes.taker", "attendance.total": "minutes.total", "attendance.full": "minutes.full",
                 "attendance.probationary": "minutes.probationary", "attendance.exempt": "minutes.exempt",
                 "attendance.present": "minutes.present", "attendance": "minutes.section.attendance",
                 "tasks": "minutes.tasks"}


def field_problems(problems: list[str], t: Texts) -> list[str]:
    """Validation messages ("date: ngày không tồn tại …") with the form's label instead of the record key."""
    out = []
    for problem in problems:
        key, sep, message = problem.partition(": ")
        path = key.split(".")
        label = next((_FIELD_LABELS[".".join(path[:n])] for n in range(len(path), 0, -1)
                      if ".".join(path[:n]) in _FIELD_LABELS), "")
        out.append(t("minutes.bad_field", field=t(label), problem=message) if sep and label else problem)
    return out
