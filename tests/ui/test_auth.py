"""Users file, roles and the audit log, without a server."""

from __future__ import annotations

import json
import stat

import pytest

from assistant.errors import NotFound, PermissionDenied, ValidationFailed
from assistant.ui import auth
from assistant.ui.audit import AuditLog
from assistant.ui.auth import UserStore, allows


@pytest.fixture
def store(tmp_path):
    return UserStore(tmp_path, rounds=4)


def test_roles_are_ordered() -> None:
    assert allows("admin", "secretary") and allows("secretary", "member") and allows("member", "member")
    assert not allows("member", "secretary") and not allows("secretary", "admin")
    assert not allows(None, "member") and not allows("guest", "member")


def test_add_verify_and_only_hashes_on_disk(store, tmp_path) -> None:
    store.add("bithu", "secretary", "mat-khau-123")
    assert store.verify("bithu", "mat-khau-123")
    assert store.verify(" bithu ", "mat-khau-123"), "Gradio strips the login name; so do we"
    assert not store.verify("bithu", "sai-mat-khau")
    assert not store.verify("khongco", "mat-khau-123")
    raw = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert "mat-khau-123" not in raw
    assert json.loads(raw)["users"]["bithu"]["hash"].startswith("$2")
    assert stat.S_IMODE((tmp_path / "users.json").stat().st_mode) == 0o600
    assert [(u.name, u.role) for u in store.list()] == [("bithu", "secretary")]


def test_bad_names_roles_passwords_are_refused(store) -> None:
    with pytest.raises(ValidationFailed):
        store.add("bí thư", "member", "mat-khau-123")
    with pytest.raises(ValidationFailed):
        store.add("bithu", "chairman", "mat-khau-123")
    with pytest.raises(ValidationFailed):
        store.add("bithu", "member", "ngan")
    with pytest.raises(ValidationFailed):
        store.add("bithu", "member", "x" * 80)
    store.add("bithu", "member", "mat-khau-123")
    with pytest.raises(ValidationFailed):
        store.add("bithu", "admin", "mat-khau-123")


def test_over_long_password_never_raises_on_login(store) -> None:
    store.add("bithu", "member", "mat-khau-123")
    assert store.verify("bithu", "é" * 100) is False


def test_set_password_remove_and_last_admin_is_protected(store) -> None:
    store.add("quantri", "admin", "mat-khau-123")
    store.add("dangvien", "member", "mat-khau-123")
    store.set_password("dangvien", "mat-khau-moi-456")
    assert store.verify("dangvien", "mat-khau-moi-456") and not store.verify("dangvien", "mat-khau-123")
    with pytest.raises(PermissionDenied):
        store.remove("quantri")
    with pytest.raises(PermissionDenied):
        store.set_role("quantri", "member")
    with pytest.raises(NotFound):
        store.remove("khongco")
    store.remove("dangvien")
    assert store.role("dangvien") is None


def test_repeated_failures_lock_the_name_out(store, monkeypatch) -> None:
    store.add("bithu", "member", "mat-khau-123")
    for _ in range(auth.MAX_FAILURES):
        assert not store.verify("bithu", "sai")
    assert not store.verify("bithu", "mat-khau-123"), "locked out even with the right password"
    monkeypatch.setattr(auth, "LOCKOUT_SECONDS", 0.0)
    assert store.verify("bithu", "mat-khau-123")


def test_first_start_creates_one_admin_once(store) -> None:
    password = store.ensure_admin()
    assert password and len(password) >= 12
    assert store.role("admin") == "admin" and store.verify("admin", password)
    assert store.ensure_admin() is None


def test_audit_log_appends_json_lines(tmp_path) -> None:
    log = AuditLog(tmp_path / "logs")
    log.record("bithu", "ingest", "nq57.pdf", status="ingested", empty="")
    log.record("dangvien", "ask", "x" * 2000)
    lines = (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["who"] == "bithu" and first["action"] == "ingest" and first["what"] == "nq57.pdf"
    assert first["status"] == "ingested" and "empty" not in first and first["when"]
    assert len(second["what"]) < 600
    assert [e["action"] for e in log.tail(1)] == ["ask"]
