"""Append-only audit log: who signed in, asked, drafted, uploaded, downloaded or removed what, when, from where.

One JSON object per line in ``<data_dir>/logs/audit.jsonl``. Lines are only
ever appended; nothing in the assistant rewrites or truncates the file.
Entries made for a web request carry the client's ``address``.

:func:`audit_table_vi` turns the newest entries into rows for the admin's
table, with local times (Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM) and actions in
words.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.jsonl"
# Long inputs (a whole transcript) are cut so the log stays readable.
MAX_WHAT = 500
# Vietnam keeps UTC+7 all year; the fixed offset is the fallback when no tz database is installed.
try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: dt.tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # pragma: no cover - tzdata ships with the venv
    LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

# action -> (Vietnamese, English)
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "login": ("Đăng nhập", "Signed in"),
    "login_failed": ("Đăng nhập sai", "Failed sign-in"),
    "lockout": ("Bị khóa đăng nhập", "Locked out"),
    "login_locked": ("Đăng nhập khi đang bị khóa", "Sign-in while locked"),
    "logout": ("Đăng xuất", "Signed out"),
    "unlock": ("Mở khóa đăng nhập", "Unlocked"),
    "refused": ("Bị từ chối (vượt quyền)", "Refused (role)"),
    "upload": ("Tải tệp lên", "Upload"),
    "upload_refused": ("Từ chối tệp tải lên", "Upload refused"),
    "upload_discarded": ("Xóa tệp tải lên bị loại", "Rejected upload deleted"),
    "download": ("Tải tệp về", "Download"),
    "download_refused": ("Từ chối tải tệp", "Download refused"),
    "file_refused": ("Chặn truy cập tệp", "File access blocked"),
    "ask": ("Hỏi đáp", "Question"),
    "ingest": ("Nạp tài liệu", "Document ingested"),
    "remove_document": ("Gỡ tài liệu", "Document removed"),
    "minutes": ("Soạn biên bản", "Minutes"),
    "minutes_edit": ("Sửa biên bản", "Minutes edited"),
    "summarize": ("Tóm tắt họp", "Meeting summary"),
    "report": ("Soạn báo cáo", "Report"),
    "bulletin": ("Bản tin âm thanh", "Audio bulletin"),
    "page_image": ("Xem ảnh trang gốc", "Page image"),
    "system_status": ("Xem hệ thống", "System status"),
    "user_add": ("Thêm người dùng", "User added"),
    "user_remove": ("Xóa người dùng", "User removed"),
    "user_password": ("Đổi mật khẩu", "Password changed"),
    "user_role": ("Đổi vai trò", "Role changed"),
    "backup": ("Sao lưu", "Backup"),
    "restore": ("Khôi phục", "Restore"),
}
COLUMNS: dict[str, tuple[str, str]] = {
    "when": ("Thời gian", "Time"),
    "who": ("Người dùng", "User"),
    "action": ("Hành động", "Action"),
    "what": ("Nội dung", "Detail"),
    "address": ("Địa chỉ máy", "Address"),
}


def local_time(moment: dt.datetime | str, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A time as people here read it: Asia/Ho_Chi_Minh, ``dd/mm/yyyy HH:MM`` by default.

    An ISO string is parsed first; one without an offset is taken as local already; an
    unreadable one is returned unchanged.
    """
    if isinstance(moment, str):
        try:
            when = dt.datetime.fromisoformat(moment)
        except ValueError:
            return moment
    else:
        when = moment
    if when.tzinfo is None:
        when = when.replace(tzinfo=LOCAL_TZ)
    return when.astimezone(LOCAL_TZ).strftime(fmt)


class AuditLog:
    """Appends entries to ``<log_dir>/audit.jsonl`` (one writer at a time, O_APPEND) and reads back the newest."""

    def __init__(self, log_dir: Path) -> None:
        self.path = Path(log_dir) / AUDIT_FILE
        self._lock = threading.Lock()

    def record(self, who: str | None, action: str, what: str = "", **details: Any) -> dict[str, Any]:
        """Append one entry and return it; empty details are left out."""
        text = what if len(what) <= MAX_WHAT else what[:MAX_WHAT] + "…"
        entry: dict[str, Any] = {
            "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "who": who or "(không rõ)",
            "action": action,
            "what": text,
        }
        entry.update({k: v for k, v in details.items() if v not in (None, "", [], {})})
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line)
        return entry

    def _lines_backwards(self, block: int = 1 << 16) -> Iterator[bytes]:
        # Newest first without reading a long log whole.
        with self.path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            position = handle.tell()
            rest = b""
            while position > 0:
                step = min(block, position)
                position -= step
                handle.seek(position)
                chunk = handle.read(step) + rest
                lines = chunk.split(b"\n")
                rest = lines.pop(0)
                for line in reversed(lines):
                    if line.strip():
                        yield line
            if rest.strip():
                yield rest

    def newest(self, count: int = 50, *, who: str | None = None, actions: set[str] | None = None) -> list[dict[str, Any]]:
        """Up to ``count`` entries, newest first, optionally only one user's or only some actions."""
        if not self.path.is_file():
            return []
        out: list[dict[str, Any]] = []
        for line in self._lines_backwards():
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if not isinstance(entry, dict):
                continue
            if who and entry.get("who") != who:
                continue
            if actions and entry.get("action") not in actions:
                continue
            out.append(entry)
            if len(out) >= count:
                break
        return out

    def tail(self, count: int = 50) -> list[dict[str, Any]]:
        """The last ``count`` entries, newest last; unreadable lines are skipped."""
        return list(reversed(self.newest(count)))


def action_label(action: str, language: str = "vi") -> str:
    """An action in words ("login_failed" → "Đăng nhập sai"); an unknown action as it is."""
    labels = ACTION_LABELS.get(action)
    return labels[1 if language == "en" else 0] if labels else action


def _detail(entry: dict[str, Any]) -> str:
    what = str(entry.get("what", "") or "")
    extra = [f"{k}: {entry[k]}" for k in ("status", "owner", "scope", "until", "reason", "bytes") if entry.get(k)]
    return "; ".join(part for part in [what, *extra] if part)


def audit_table_vi(log: AuditLog, count: int = 50, *, language: str = "vi", who: str | None = None,
                   actions: set[str] | None = None) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of the newest ``count`` entries for the admin's table (newest first).

    Columns: Thời gian (dd/mm/yyyy HH:MM, giờ Việt Nam), Người dùng, Hành động (in words),
    Nội dung, Địa chỉ máy. ``language="en"`` gives English headers and actions.
    """
    column = 1 if language == "en" else 0
    headers = [COLUMNS[key][column] for key in ("when", "who", "action", "what", "address")]
    rows = [[local_time(str(e.get("when", ""))), str(e.get("who", "")), action_label(str(e.get("action", "")), language),
             _detail(e), str(e.get("address", ""))] for e in log.newest(count, who=who, actions=actions)]
    return headers, rows
