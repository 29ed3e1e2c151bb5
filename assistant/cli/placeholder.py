"""Verbs whose capability has not landed yet fail clearly."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli.base import Context, add_verb
from assistant.errors import NotYetAvailable


def not_yet(capability: str) -> Any:
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        raise NotYetAvailable(f"Chức năng '{capability}' chưa có trong phiên bản này")

    return handler


def register_placeholders(subparsers: Any, verbs: dict[str, tuple[str, str]]) -> None:
    for name, (help_text, example) in verbs.items():
        parser = add_verb(subparsers, name, help_text + " (chưa có)", example, not_yet(name))
        parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
