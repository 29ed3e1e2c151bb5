"""Users file, roles and the audit log, without a server."""

from __future__ import annotations

import json
import stat

import pytest

from assistant.errors import NotFound, PermissionDenied, ValidationFailed
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


def _median_seconds(fn, runs: int = 7) -> float:
    import statistics
    import time

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_unknown_and_known_names_take_the_same_time(tmp_path) -> None:
    """Regression (issue 16): a wrong password for a real user took ~218 ms, for an unknown name ~3 ms."""
    store = UserStore(tmp_path, rounds=9)
    store.add("bithu", "member", "mat-khau-123")
    store.verify("khongco", "x")  # the dummy hash is made on first use
    known = _median_seconds(lambda: store.verify("bithu", "sai-mat-khau"))
    unknown = _median_seconds(lambda: store.verify("khongco", "sai-mat-khau"))
    too_long = _median_seconds(lambda: store.verify("bithu", "é" * 100))
    assert known > 0.005, "bcrypt ran for the real user"
    assert 0.5 < unknown / known < 2.0, (known, unknown)
    assert 0.5 < too_long / known < 2.0, (known, too_long)


def test_a_hash_of_another_cost_is_replaced_at_login(tmp_path) -> None:
    UserStore(tmp_path, rounds=4).add("bithu", "member", "mat-khau-123")
    store = UserStore(tmp_path, rounds=5)
    assert store.verify("bithu", "mat-khau-123")
    stored = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))["users"]["bithu"]["hash"]
    assert stored.startswith("$2b$05$") and store.verify("bithu", "mat-khau-123")
    assert not store.verify("bithu", "sai-mat-khau")


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


# -- lock-outs (assistant/ui/lockout.py) and the login service ---------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def guard(tmp_path):
    from assistant.ui.lockout import LockoutPolicy, LoginGuard

    clock = Clock()
    policy = LockoutPolicy(address_failures=5, user_failures=10, lockout_seconds=30, lockout_max_seconds=900,
                           window_seconds=900)
    return LoginGuard(tmp_path, policy, clock=clock), clock


def test_one_address_is_locked_before_it_can_lock_the_account(guard) -> None:
    guard, _ = guard
    for i in range(4):
        assert guard.failed("quantri", "10.0.0.9") == [], i
    started = guard.failed("quantri", "10.0.0.9")
    assert [(lock.scope, lock.key) for lock in started] == [("address", "10.0.0.9")]
    assert guard.locked("quantri", "10.0.0.9").scope == "address"
    assert guard.locked("quantri", "10.0.0.7") is None, "the admin elsewhere is not locked out"


def test_many_addresses_lock_the_name_but_not_where_the_user_signed_in_before(guard) -> None:
    guard, _ = guard
    guard.succeeded("quantri", "10.0.0.2")  # the admin's own machine
    for i in range(10):
        guard.failed("quantri", f"10.0.1.{i // 4}")
    lock = guard.locked("quantri", "10.0.2.1")
    assert lock is not None and lock.scope == "user"
    assert guard.locked("quantri", "10.0.0.2") is None, "a trusted address is not locked by the name's lock-out"


def test_unknown_names_are_locked_like_real_ones(guard) -> None:
    guard, _ = guard
    for i in range(10):
        guard.failed("khong-ai-co-ten-nay", f"10.0.3.{i}")
    assert guard.locked("khong-ai-co-ten-nay", "10.0.4.1").scope == "user"


def test_lockouts_grow_then_decay_and_expire(guard) -> None:
    guard, clock = guard
    lengths = []
    for _ in range(4):
        for _ in range(5):
            started = guard.failed("bithu", "10.0.0.9")
        lengths.append(round(started[0].until - clock.now))
        clock.now = started[0].until + 1  # wait it out, fail again
        assert guard.locked("bithu", "10.0.0.9") is None
    assert lengths == [30, 60, 120, 240]
    clock.now += 3600  # a quiet hour: the doubling is forgotten
    for _ in range(5):
        started = guard.failed("bithu", "10.0.0.9")
    assert round(started[0].until - clock.now) == 30
    for _ in range(12):  # never longer than the maximum
        clock.now = started[0].until + 1
        for _ in range(5):
            started = guard.failed("bithu", "10.0.0.9")
    assert round(started[0].until - clock.now) == 900


def test_unlock_lifts_a_lock_from_another_process(guard, tmp_path) -> None:
    from assistant.ui.lockout import LoginGuard

    guard, _ = guard
    for i in range(10):
        guard.failed("quantri", f"10.0.1.{i}")
    assert guard.locked("quantri", "10.0.9.9") is not None
    assert LoginGuard(tmp_path).unlock("quantri") == 1  # what `chibo users unlock quantri` does
    assert guard.locked("quantri", "10.0.9.9") is None


def test_login_service_audits_failures_and_lockouts_with_the_address(tmp_path) -> None:
    from assistant.ui.i18n import Texts
    from assistant.ui.lockout import LockoutPolicy, LoginGuard
    from assistant.ui.login import LoginService, Sessions

    users = UserStore(tmp_path, rounds=4)
    users.add("bithu", "secretary", "mat-khau-123")
    log = AuditLog(tmp_path / "logs")
    service = LoginService(users, LoginGuard(tmp_path, LockoutPolicy(address_failures=3, user_failures=6)),
                           Sessions(), log, Texts("vi"))
    assert service.attempt("bithu", "sai", "10.0.0.5").kind == "failed"
    assert service.attempt("bithu", "sai", "10.0.0.5").value == "Sai tên đăng nhập hoặc mật khẩu."
    third = service.attempt("bithu", "sai", "10.0.0.5")
    assert third.kind == "locked" and "Máy này tạm bị khóa" in third.value and "thử lại lúc" in third.value
    assert 25 <= third.retry_after <= 30
    locked = service.attempt("bithu", "mat-khau-123", "10.0.0.5")
    assert locked.kind == "locked", "the right password does not get through a lock"
    ok = service.attempt("bithu", "mat-khau-123", "10.0.0.6")
    assert ok.kind == "ok" and service.sessions.get(ok.value).user == "bithu"
    actions = [(e["action"], e.get("address")) for e in log.tail(10)]
    assert actions == [("login_failed", "10.0.0.5")] * 3 + [("lockout", "10.0.0.5"), ("login_locked", "10.0.0.5"),
                                                            ("login", "10.0.0.6")]
    service.close()


def test_sessions_expire_and_end() -> None:
    import time

    from assistant.ui.login import Sessions

    sessions = Sessions(hours=1e-9)  # 3.6 µs: over by the time it is read, once the clock has moved at all
    token = sessions.create("bithu", "127.0.0.1")
    time.sleep(0.01)
    assert sessions.get(token) is None, "expired at once"
    sessions = Sessions()
    token = sessions.create("bithu", "127.0.0.1")
    assert sessions.get(token).user == "bithu" and sessions.get("forged") is None
    assert sessions.end_user("bithu") == 1 and sessions.get(token) is None


def test_audit_table_shows_local_times_and_actions_in_vietnamese(tmp_path) -> None:
    from assistant.ui.audit import audit_table_vi

    log = AuditLog(tmp_path / "logs")
    log.path.parent.mkdir(parents=True)
    log.path.write_text('{"when": "2026-03-05T13:15:02+00:00", "who": "bithu", "action": "login", "what": "", '
                        '"address": "10.0.0.5"}\nnot json\n', encoding="utf-8")
    log.record("dangvien", "download_refused", "bien-ban-04.docx", address="10.0.0.6", owner="bithu")
    headers, rows = audit_table_vi(log)
    assert headers == ["Thời gian", "Người dùng", "Hành động", "Nội dung", "Địa chỉ máy"]
    assert rows[0][1:] == ["dangvien", "Từ chối tải tệp", "bien-ban-04.docx; owner: bithu", "10.0.0.6"]
    assert rows[1] == ["05/03/2026 20:15", "bithu", "Đăng nhập", "", "10.0.0.5"]
    assert audit_table_vi(log, language="en")[1][1][2] == "Signed in"
    assert [r[1] for r in audit_table_vi(log, who="bithu")[1]] == ["bithu"]


def test_a_password_change_ends_open_sessions(tmp_path) -> None:
    import time
    from types import SimpleNamespace

    from assistant.ui.login import COOKIE, Sessions, session_checker

    users = UserStore(tmp_path, rounds=4)
    users.add("bithu", "secretary", "mat-khau-123")
    users.add("dangvien", "member", "mat-khau-123")
    time.sleep(1.1)
    sessions = Sessions(still_valid=session_checker(users))

    def request(token: str) -> SimpleNamespace:
        return SimpleNamespace(cookies={COOKIE: token})

    secretary, member = sessions.create("bithu", "10.0.0.1"), sessions.create("dangvien", "10.0.0.2")
    assert sessions.username(request(secretary)) == "bithu"
    time.sleep(1.1)
    users.set_password("bithu", "mat-khau-moi-456")
    assert sessions.username(request(secretary)) is None, "signed in before the password changed"
    assert sessions.username(request(member)) == "dangvien"
    assert sessions.username(request(sessions.create("bithu", "10.0.0.1"))) == "bithu"
