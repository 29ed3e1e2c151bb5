"""Users, roles and passwords for the web interface.

Users live in ``<data_dir>/users.json`` with bcrypt hashes only; the file is
rewritten atomically and readable by its owner alone. Roles are ordered:
member < secretary < admin, and every check asks "at least this role". The
store is re-read on every call so a user added or removed with ``chibo users``
takes effect in a running server at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bcrypt

from assistant.errors import NotFound, PermissionDenied, ValidationFailed

ROLES = ("member", "secretary", "admin")
ROLE_LABELS = {"member": "Đảng viên", "secretary": "Bí thư / cấp ủy", "admin": "Quản trị"}
USERS_FILE = "users.json"
FIRST_ADMIN = "admin"
MIN_PASSWORD = 8
# bcrypt only reads the first 72 bytes; bcrypt>=5 refuses longer input outright.
MAX_PASSWORD_BYTES = 72
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$")
# bcrypt cost of new hashes. Measured on the 2-core target with other work running: cost 12 takes
# 0.22-0.36 s a check, so 50 people signing in at once waited ~9 s with two login threads; cost 11
# (0.09-0.17 s) keeps such a burst under the clients' 5 s timeout. Hashes of another cost are
# re-hashed at the next successful login (docs/security.md).
BCRYPT_ROUNDS = 11


def role_rank(role: str) -> int:
    """Position of ``role`` in ROLES (member < secretary < admin); -1 for an unknown role."""
    return ROLES.index(role) if role in ROLES else -1


def allows(role: str | None, needed: str) -> bool:
    """True when ``role`` is at least ``needed``."""
    return role is not None and role_rank(role) >= role_rank(needed) >= 0


@dataclass
class User:
    """A user as listed and shown: the password hash never leaves the store."""

    name: str
    role: str
    created: str = ""
    password_changed: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The user as plain data for JSON output (``chibo users list --json``)."""
        return asdict(self)


def _cost(stored_hash: str) -> int | None:
    """The cost factor of a bcrypt hash (``$2b$12$...`` → 12)."""
    parts = stored_hash.split("$")
    return int(parts[2]) if len(parts) > 3 and parts[2].isdigit() else None


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def generate_password() -> str:
    """A random password good for one first login (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


class UserStore:
    """The users file: add, remove, list, verify and change passwords."""

    def __init__(self, data_dir: Path, *, rounds: int = BCRYPT_ROUNDS) -> None:
        self.path = Path(data_dir) / USERS_FILE
        self.rounds = rounds
        self._lock = threading.RLock()
        self._dummy_hash: bytes | None = None

    @property
    def _dummy(self) -> bytes:
        # Compared against when the user does not exist: at the same cost as real hashes, so a
        # wrong name takes as long as a wrong password (made on first use: it costs one hash).
        if self._dummy_hash is None:
            self._dummy_hash = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=self.rounds))
        return self._dummy_hash

    # -- file ----------------------------------------------------------------
    def _read(self) -> dict[str, dict[str, Any]]:
        if not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValidationFailed(f"Tệp người dùng {self.path} bị hỏng: {exc}") from exc
        users = data.get("users", {}) if isinstance(data, dict) else {}
        return users if isinstance(users, dict) else {}

    def _write(self, users: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        payload = json.dumps({"version": 1, "users": users}, ensure_ascii=False, indent=2)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    # -- validation ------------------------------------------------------------
    @staticmethod
    def _check_name(name: str) -> str:
        name = (name or "").strip()
        if not _NAME.match(name):
            raise ValidationFailed(
                f"Tên đăng nhập '{name}' không hợp lệ",
                hint="2–32 ký tự: chữ không dấu, số, dấu chấm, gạch nối, gạch dưới",
            )
        return name

    @staticmethod
    def _check_role(role: str) -> str:
        if role not in ROLES:
            raise ValidationFailed(f"Vai trò '{role}' không có; chọn một trong: {', '.join(ROLES)}")
        return role

    @staticmethod
    def _check_password(password: str) -> bytes:
        raw = (password or "").encode("utf-8")
        if len(password or "") < MIN_PASSWORD:
            raise ValidationFailed(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
        if len(raw) > MAX_PASSWORD_BYTES:
            raise ValidationFailed(f"Mật khẩu dài quá {MAX_PASSWORD_BYTES} byte")
        return raw

    def _hash(self, raw: bytes) -> str:
        return bcrypt.hashpw(raw, bcrypt.gensalt(rounds=self.rounds)).decode("ascii")

    # -- public ----------------------------------------------------------------
    def list(self) -> list[User]:
        """Every user, sorted by name."""
        with self._lock:
            users = self._read()
        return [User(name, info.get("role", "member"), info.get("created", ""), info.get("password_changed", ""))
                for name, info in sorted(users.items())]

    def get(self, name: str | None) -> User | None:
        """The user called ``name``, or None when there is none (or no name)."""
        if not name:
            return None
        info = self._read().get(name)
        if info is None:
            return None
        return User(name, info.get("role", "member"), info.get("created", ""), info.get("password_changed", ""))

    def role(self, name: str | None) -> str | None:
        """The role of ``name``, or None for an unknown user."""
        user = self.get(name)
        return user.role if user else None

    def is_empty(self) -> bool:
        """True before the first user exists: the first start then creates the admin."""
        return not self._read()

    def add(self, name: str, role: str, password: str) -> User:
        """Create a user with a bcrypt-hashed password; a taken name, bad role or short password fails."""
        name, role, raw = self._check_name(name), self._check_role(role), self._check_password(password)
        with self._lock:
            users = self._read()
            if name in users:
                raise ValidationFailed(f"Người dùng '{name}' đã có")
            stamp = _now()
            users[name] = {"role": role, "hash": self._hash(raw), "created": stamp, "password_changed": stamp}
            self._write(users)
        return User(name, role, stamp, stamp)

    def remove(self, name: str) -> None:
        """Delete a user; the last admin cannot be removed."""
        with self._lock:
            users = self._read()
            if name not in users:
                raise NotFound(f"Không có người dùng '{name}'")
            admins = [n for n, info in users.items() if info.get("role") == "admin"]
            if users[name].get("role") == "admin" and admins == [name]:
                raise PermissionDenied("Không thể xóa quản trị viên cuối cùng")
            del users[name]
            self._write(users)

    def set_role(self, name: str, role: str) -> None:
        """Change a user's role; the last admin cannot be demoted."""
        role = self._check_role(role)
        with self._lock:
            users = self._read()
            if name not in users:
                raise NotFound(f"Không có người dùng '{name}'")
            admins = [n for n, info in users.items() if info.get("role") == "admin"]
            if role != "admin" and admins == [name]:
                raise PermissionDenied("Không thể hạ quyền quản trị viên cuối cùng")
            users[name]["role"] = role
            self._write(users)

    def set_password(self, name: str, password: str) -> None:
        """Replace a user's password hash and stamp when it changed."""
        raw = self._check_password(password)
        with self._lock:
            users = self._read()
            if name not in users:
                raise NotFound(f"Không có người dùng '{name}'")
            users[name]["hash"] = self._hash(raw)
            users[name]["password_changed"] = _now()
            self._write(users)

    def verify(self, name: str, password: str) -> bool:
        """Check a login in constant time for known and unknown names; never raises.

        Lock-outs are the caller's (:class:`assistant.ui.lockout.LoginGuard`). A hash of another
        cost than ``rounds`` is replaced after a successful check.
        """
        name = (name or "").strip()
        raw = (password or "").encode("utf-8")
        try:
            info = self._read().get(name)
        except ValidationFailed:
            info = None
        stored = str((info or {}).get("hash", ""))
        ok = False
        try:
            if info is not None and stored and len(raw) <= MAX_PASSWORD_BYTES:
                ok = bcrypt.checkpw(raw, stored.encode("ascii"))
            else:
                # bcrypt>=5 refuses over 72 bytes before hashing: hash something so that costs the same.
                bcrypt.checkpw(raw[:MAX_PASSWORD_BYTES], self._dummy)
        except ValueError:  # malformed stored hash
            ok = False
        if ok and _cost(stored) != self.rounds:
            self._rehash(name, raw, stored)
        return ok

    def _rehash(self, name: str, raw: bytes, stored: str) -> None:
        with self._lock:
            users = self._read()
            if name in users and users[name].get("hash") == stored:  # unchanged since it was checked
                users[name]["hash"] = self._hash(raw)
                self._write(users)

    def ensure_admin(self) -> str | None:
        """With no users at all, create ``admin`` with a random password and return it (shown once)."""
        with self._lock:
            if not self.is_empty():
                return None
            password = generate_password()
            self.add(FIRST_ADMIN, "admin", password)
            return password
