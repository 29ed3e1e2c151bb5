"""Records and tasks persist in SQLite under the data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.drafting.notes.extract import extract_record
from assistant.drafting.notes.store import RecordStore
from assistant.errors import NotFound, ValidationFailed

from .conftest import SAMPLES


def _record(name: str) -> Any:
    path = next(p for p in SAMPLES if p.stem.startswith(name))
    return extract_record(path.read_text(encoding="utf-8"), source=path.name).record


def test_save_list_get_delete(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "db.sqlite3")
    first = store.save(_record("01"))
    second = store.save(_record("02"))
    assert first == "2026-03-05-03" and second == "2026-04-07"
    assert [r.id for r in store.list_records()] == [second, first]
    assert [r.id for r in store.list_records("2026-03")] == [first]
    got = store.get(first)
    assert got.id == first and got.tasks == _record("01").tasks
    assert store.list_records()[0].tasks == 2
    store.delete(first)
    assert [r.id for r in store.list_records()] == [second]
    assert store.tasks("2026-03") == []  # tasks go with their record
    with pytest.raises(NotFound):
        store.get(first)
    with pytest.raises(NotFound):
        store.delete(first)


def test_saving_the_same_meeting_again_replaces_it(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "db.sqlite3")
    record_id = store.save(_record("01"))
    task = store.tasks()[0]
    store.set_task_status(task.id, "done")
    again = _record("01")
    again.place = "Hội trường ấp"
    assert store.save(again) == record_id
    assert len(store.list_records()) == 1 and store.get(record_id).place == "Hội trường ấp"
    assert [t.status for t in store.tasks()] == ["done", "open"]  # status survives a re-save


def test_task_queries(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "db.sqlite3")
    store.save(_record("01"))
    store.save(_record("02"))
    assert len(store.tasks("2026-03")) == 2
    assert [t.owner for t in store.tasks("2026-05")] == ["Nguyễn Thị Mai"]  # due in May
    store.set_task_status(store.tasks()[0].id, "done")
    assert len(store.tasks(status="open")) == 3
    with pytest.raises(ValidationFailed):
        store.tasks(status="late")
    with pytest.raises(ValidationFailed):
        store.list_records("2026-13")
    with pytest.raises(NotFound):
        store.set_task_status(999, "done")


def test_records_without_date_get_distinct_ids(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "db.sqlite3")
    a = store.save(_record("04"))
    b = store.save(_record("04"))
    assert a != b and a.startswith("nodate-")
