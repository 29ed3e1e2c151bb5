"""Web interface and users."""

from __future__ import annotations

from typing import Any

from assistant.cli.placeholder import register_placeholders


def register(subparsers: Any) -> None:
    register_placeholders(subparsers, {
        "ui": ("Mở giao diện web trên 127.0.0.1", "chibo ui --port 7860"),
        "users": ("Quản lý người dùng và vai trò", "chibo users add bithu --role secretary"),
    })
