"""Append-only audit log: who asked, drafted, ingested or removed what, and when.

One JSON object per line in ``<data_dir>/logs/audit.jsonl``. Lines are only
ever appended; nothing in the assistant rewrites or truncates the file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections import deque
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.jsonl"
# Long inputs (a whole transcript) are cut so the log stays readable.
MAX_WHAT = 500


class AuditLog:
    """Appends entries to ``<log_dir>/audit.jsonl`` (one writer at a time, O_APPEND) and reads back the tail."""

    def __init__(self, log_dir: Path) -> None:
        self.path = Path(log_dir) / AUDIT_FILE
        self._lock = threading.Lock()

    def record(self, who: str | None, action: str, what: str = "", **details: Any) -> dict[str, Any]:
        """Append one entry and return it."""
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

    def tail(self, count: int = 50) -> list[dict[str, Any]]:
        """The last ``count`` entries, newest last; unreadable lines are skipped."""
        if not self.path.is_file():
            return []
        out: deque[dict[str, Any]] = deque(maxlen=count)
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return list(out)
