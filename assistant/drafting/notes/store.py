"""Meeting records and their tasks in SQLite under the data directory.

Two tables in the shared database (``settings.database_path``):
``drafting_records`` holds each record as JSON in the documented format, with
its date, number and kind as columns for listing; ``drafting_tasks`` holds one
row per assigned task so the monthly report and the UI can follow them up
(status ``open`` / ``done``). The connection is opened per call: the store is
cheap to construct and safe to use from the CLI and the UI.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.drafting.notes.record import MeetingRecord, Task, record_from_data
from assistant.errors import NotFound, ValidationFailed

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafting_records (
    id TEXT PRIMARY KEY,
    meeting_date TEXT,
    number TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'regular',
    cell TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drafting_records_date ON drafting_records(meeting_date);
CREATE TABLE IF NOT EXISTS drafting_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL REFERENCES drafting_records(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    what TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    deadline_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    UNIQUE(record_id, ordinal)
);
CREATE INDEX IF NOT EXISTS drafting_tasks_deadline ON drafting_tasks(deadline);
"""
TASK_STATUSES = ("open", "done")


@dataclass(frozen=True)
class RecordSummary:
    """One line of the record list."""

    id: str
    date: str | None
    number: str
    kind: str
    cell: str
    source: str
    updated_at: str
    tasks: int


@dataclass(frozen=True)
class StoredTask:
    """A task row of the store, with its meeting and status."""

    id: int
    record_id: str
    meeting_date: str | None
    what: str
    owner: str
    deadline: str | None
    deadline_text: str
    status: str

    def as_task(self) -> Task:
        """The task as a record :class:`Task`."""
        deadline = dt.date.fromisoformat(self.deadline) if self.deadline else None
        return Task(what=self.what, owner=self.owner, deadline=deadline, deadline_text=self.deadline_text)


class RecordStore:
    """Meeting records and their tasks in SQLite; one connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(_SCHEMA)
            yield conn
            conn.commit()
        finally:
            conn.close()

    def _new_id(self, conn: sqlite3.Connection, record: MeetingRecord) -> str:
        base = record.date.isoformat() if record.date else dt.date.today().strftime("nodate-%Y%m%d")
        if record.number:
            base += "-" + re.sub(r"[^0-9A-Za-z]+", "", record.number.split("-")[0])
        candidate, n = base, 1
        while conn.execute("SELECT 1 FROM drafting_records WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def save(self, record: MeetingRecord) -> str:
        """Insert or replace; a record without an id reuses the one stored for the same meeting."""
        now = dt.datetime.now().isoformat(timespec="seconds")
        with self._connect() as conn:
            record_id = record.id
            if record_id is None and record.date:
                row = conn.execute(
                    "SELECT id FROM drafting_records WHERE meeting_date = ? AND number = ? AND cell = ? AND source = ?",
                    (record.date.isoformat(), record.number, record.cell, record.source),
                ).fetchone()
                record_id = row[0] if row else None
            record_id = record_id or self._new_id(conn, record)
            record.id = record_id
            data = json.dumps(record.to_data(), ensure_ascii=False)
            previous = {
                (r[0], r[1]): r[2]
                for r in conn.execute("SELECT what, owner, status FROM drafting_tasks WHERE record_id = ?", (record_id,))
            }
            conn.execute(
                "INSERT INTO drafting_records (id, meeting_date, number, kind, cell, source, data, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET meeting_date=excluded.meeting_date,"
                " number=excluded.number, kind=excluded.kind, cell=excluded.cell, source=excluded.source,"
                " data=excluded.data, updated_at=excluded.updated_at",
                (record_id, record.date.isoformat() if record.date else None, record.number, record.kind, record.cell,
                 record.source, data, now, now),
            )
            conn.execute("DELETE FROM drafting_tasks WHERE record_id = ?", (record_id,))
            for i, task in enumerate(record.tasks):
                # A task marked done keeps its status when the record is saved again.
                status = previous.get((task.what, task.owner), "open")
                conn.execute(
                    "INSERT INTO drafting_tasks (record_id, ordinal, what, owner, deadline, deadline_text, status)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (record_id, i, task.what, task.owner, task.deadline.isoformat() if task.deadline else None,
                     task.deadline_text, status),
                )
        return record_id

    def get(self, record_id: str) -> MeetingRecord:
        """The stored record ``record_id``; NotFound when there is none."""
        with self._connect() as conn:
            row = conn.execute("SELECT data FROM drafting_records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise NotFound(f"Không có biên bản '{record_id}'", hint="xem danh sách: chibo records list")
        record = record_from_data(json.loads(row[0]), source=f"Biên bản {record_id}")
        record.id = record_id
        return record

    def exists(self, record_id: str) -> bool:
        """Whether a record ``record_id`` is stored."""
        with self._connect() as conn:
            return conn.execute("SELECT 1 FROM drafting_records WHERE id = ?", (record_id,)).fetchone() is not None

    def delete(self, record_id: str) -> None:
        """Remove record ``record_id`` and its tasks; NotFound when there is none."""
        with self._connect() as conn:
            cur = conn.execute("DELETE FROM drafting_records WHERE id = ?", (record_id,))
            if cur.rowcount == 0:
                raise NotFound(f"Không có biên bản '{record_id}'")

    def list_records(self, month: str | None = None) -> list[RecordSummary]:
        """All records, newest meeting first; ``month`` is YYYY-MM."""
        query = ("SELECT r.id, r.meeting_date, r.number, r.kind, r.cell, r.source, r.updated_at,"
                 " (SELECT COUNT(*) FROM drafting_tasks t WHERE t.record_id = r.id) FROM drafting_records r")
        params: tuple[str, ...] = ()
        if month:
            _check_month(month)
            query += " WHERE substr(r.meeting_date, 1, 7) = ?"
            params = (month,)
        query += " ORDER BY r.meeting_date DESC, r.id DESC"
        with self._connect() as conn:
            return [RecordSummary(*row) for row in conn.execute(query, params)]

    def records_in_month(self, month: str) -> list[MeetingRecord]:
        """Full records of the meetings held in ``month`` (YYYY-MM), oldest first."""
        return [self.get(s.id) for s in reversed(self.list_records(month))]

    def tasks(self, month: str | None = None, status: str | None = None) -> list[StoredTask]:
        """Tasks assigned at meetings in ``month`` or due in it."""
        query = ("SELECT t.id, t.record_id, r.meeting_date, t.what, t.owner, t.deadline, t.deadline_text, t.status"
                 " FROM drafting_tasks t JOIN drafting_records r ON r.id = t.record_id")
        clauses, params = [], []
        if month:
            _check_month(month)
            clauses.append("(substr(r.meeting_date, 1, 7) = ? OR substr(t.deadline, 1, 7) = ?)")
            params += [month, month]
        if status:
            if status not in TASK_STATUSES:
                raise ValidationFailed(f"Trạng thái '{status}' không hợp lệ; chọn: {', '.join(TASK_STATUSES)}")
            clauses.append("t.status = ?")
            params.append(status)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        query += " ORDER BY t.deadline IS NULL, t.deadline, t.id"
        with self._connect() as conn:
            return [StoredTask(*row) for row in conn.execute(query, params)]

    def set_task_status(self, task_id: int, status: str) -> None:
        """Set a task "open" or "done"; NotFound for an unknown task."""
        if status not in TASK_STATUSES:
            raise ValidationFailed(f"Trạng thái '{status}' không hợp lệ; chọn: {', '.join(TASK_STATUSES)}")
        with self._connect() as conn:
            cur = conn.execute("UPDATE drafting_tasks SET status = ? WHERE id = ?", (status, task_id))
            if cur.rowcount == 0:
                raise NotFound(f"Không có nhiệm vụ số {task_id}")


def _check_month(month: str) -> None:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValidationFailed(f"Tháng '{month}' không hợp lệ (viết YYYY-MM, ví dụ 2026-03)")
