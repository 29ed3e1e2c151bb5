"""Lock-outs after failed logins, per client address and per user name.

Rules (settings ``ui.*``, reasons in docs/security.md):

- ``address_failures`` failures from one address within ``failure_window_minutes`` lock that
  address out; ``user_failures`` failures for one name (from any addresses) lock that name out.
  The address limit is the lower one, so a single address is stopped before it can lock anyone's
  account, and a refused attempt is not counted again.
- Each lock lasts ``lockout_seconds``, doubled for every further lock within the window, at most
  ``lockout_max_seconds``; a quiet window forgets the failures and the doubling (it decays).
- A name's lock does not apply on an address the user signed in from successfully before: an
  attacker elsewhere cannot keep the administrator out of their own machine.
- ``chibo users unlock NAME`` (or ``--address``) lifts a lock at once, from another process: the
  state lives in ``<data_dir>/logins.sqlite3``, which only this module reads and writes.

Unknown names are counted and locked exactly like real ones, so a lock-out tells nothing about
which names exist.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOGINS_FILE = "logins.sqlite3"
ADDRESS = "address"
USER = "user"
# A sign-in from an address makes it trusted for that user for this long.
TRUST_SECONDS = 90 * 24 * 3600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (scope TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (scope, key, at);
CREATE TABLE IF NOT EXISTS locks (scope TEXT NOT NULL, key TEXT NOT NULL, until REAL NOT NULL,
    level INTEGER NOT NULL, last REAL NOT NULL, PRIMARY KEY (scope, key));
CREATE TABLE IF NOT EXISTS trusted (user TEXT NOT NULL, address TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (user, address));
"""


@dataclass(frozen=True)
class LockoutPolicy:
    """Thresholds and durations; :meth:`from_settings` reads them from ``settings.ui``."""

    address_failures: int = 5
    user_failures: int = 10
    lockout_seconds: float = 30.0
    lockout_max_seconds: float = 900.0
    window_seconds: float = 900.0

    @classmethod
    def from_settings(cls, ui: Any) -> LockoutPolicy:
        """The policy configured in a ``UISettings``."""
        return cls(ui.address_failures, ui.user_failures, ui.lockout_seconds, ui.lockout_max_seconds,
                   ui.failure_window_minutes * 60.0)


@dataclass(frozen=True)
class Lock:
    """An active lock-out: what is locked (``scope`` address or user, ``key``) and until when (epoch seconds)."""

    scope: str
    key: str
    until: float

    def seconds_left(self, now: float | None = None) -> int:
        """Whole seconds until the lock lifts (at least 1)."""
        return max(1, int(round(self.until - (time.time() if now is None else now))))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` output."""
        return {"scope": self.scope, "key": self.key, "until": self.until}


class LoginGuard:
    """Counts failures and answers "is this attempt locked out?"; safe across threads and processes."""

    def __init__(self, data_dir: Path, policy: LockoutPolicy | None = None, *,
                 clock: Any = time.time) -> None:
        self.path = Path(data_dir) / LOGINS_FILE
        self.policy = policy or LockoutPolicy()
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        # One connection kept open (callers hold self._lock): opening and closing a WAL database per login
        # checkpoints it each time, ~25 ms of disk work a login. Other processes (chibo users unlock) use their own.
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            # Lock-out state is not worth an fsync per login: a crash forgets at most the last failures.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        with self._conn:
            yield self._conn

    def close(self) -> None:
        """Close the database connection (it reopens on next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- checks ------------------------------------------------------------------
    def locked(self, name: str, address: str) -> Lock | None:
        """The lock refusing this attempt: the address's first, then the name's (unless the address is trusted)."""
        now = self._clock()
        with self._lock, self._db() as db:
            lock = self._active(db, ADDRESS, address, now)
            if lock is None and not self._trusted(db, name, address, now):
                lock = self._active(db, USER, name, now)
            return lock

    @staticmethod
    def _active(db: sqlite3.Connection, scope: str, key: str, now: float) -> Lock | None:
        row = db.execute("SELECT until FROM locks WHERE scope = ? AND key = ?", (scope, key)).fetchone()
        return Lock(scope, key, row[0]) if row and row[0] > now else None

    @staticmethod
    def _trusted(db: sqlite3.Connection, name: str, address: str, now: float) -> bool:
        row = db.execute("SELECT at FROM trusted WHERE user = ? AND address = ?", (name, address)).fetchone()
        return bool(row and now - row[0] < TRUST_SECONDS)

    # -- outcomes ----------------------------------------------------------------
    def failed(self, name: str, address: str) -> list[Lock]:
        """Count a failure for the address and the name; the locks it starts (empty, one or both)."""
        now = self._clock()
        started = []
        with self._lock, self._db() as db:
            for scope, key, limit in ((ADDRESS, address, self.policy.address_failures),
                                      (USER, name, self.policy.user_failures)):
                lock = self._count(db, scope, key, limit, now)
                if lock is not None:
                    started.append(lock)
        return started

    def _count(self, db: sqlite3.Connection, scope: str, key: str, limit: int, now: float) -> Lock | None:
        window = self.policy.window_seconds
        db.execute("DELETE FROM failures WHERE at < ?", (now - window,))
        db.execute("INSERT INTO failures (scope, key, at) VALUES (?, ?, ?)", (scope, key, now))
        count = db.execute("SELECT COUNT(*) FROM failures WHERE scope = ? AND key = ?", (scope, key)).fetchone()[0]
        if count < limit:
            return None
        row = db.execute("SELECT level, last FROM locks WHERE scope = ? AND key = ?", (scope, key)).fetchone()
        # The doubling decays: a lock long enough ago starts again from the first length.
        level = row[0] + 1 if row and now - row[1] < window + self.policy.lockout_max_seconds else 0
        seconds = min(self.policy.lockout_seconds * (2 ** min(level, 30)), self.policy.lockout_max_seconds)
        until = now + seconds
        db.execute("INSERT OR REPLACE INTO locks (scope, key, until, level, last) VALUES (?, ?, ?, ?, ?)",
                   (scope, key, until, level, now))
        db.execute("DELETE FROM failures WHERE scope = ? AND key = ?", (scope, key))
        return Lock(scope, key, until)

    def succeeded(self, name: str, address: str) -> None:
        """A correct password: forget this address's failures and trust the address for the name."""
        now = self._clock()
        with self._lock, self._db() as db:
            if db.execute("SELECT 1 FROM failures WHERE scope = ? AND key = ? LIMIT 1", (ADDRESS, address)).fetchone():
                db.execute("DELETE FROM failures WHERE scope = ? AND key = ?", (ADDRESS, address))
            row = db.execute("SELECT at FROM trusted WHERE user = ? AND address = ?", (name, address)).fetchone()
            if row is None or now - row[0] > 3600:  # refreshed hourly at most: most logins write nothing
                db.execute("INSERT OR REPLACE INTO trusted (user, address, at) VALUES (?, ?, ?)",
                           (name, address, now))

    # -- administration -----------------------------------------------------------
    def unlock(self, name: str | None = None, address: str | None = None) -> int:
        """Lift the locks (and forget the failures) of a name and/or an address; how many locks were lifted."""
        lifted = 0
        with self._lock, self._db() as db:
            for scope, key in ((USER, name), (ADDRESS, address)):
                if key is None:
                    continue
                lifted += db.execute("DELETE FROM locks WHERE scope = ? AND key = ? AND until > ?",
                                     (scope, key, self._clock())).rowcount
                db.execute("DELETE FROM locks WHERE scope = ? AND key = ?", (scope, key))
                db.execute("DELETE FROM failures WHERE scope = ? AND key = ?", (scope, key))
        return lifted

    def active_locks(self) -> list[Lock]:
        """Every lock in force now, soonest to lift first."""
        now = self._clock()
        with self._lock, self._db() as db:
            rows = db.execute("SELECT scope, key, until FROM locks WHERE until > ? ORDER BY until", (now,)).fetchall()
        return [Lock(*row) for row in rows]
