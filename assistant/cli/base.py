"""Shared pieces for CLI verbs: the context object and output helpers."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.settings import Settings

Handler = Callable[["Context", argparse.Namespace], int | None]


@dataclass
class Context:
    """What a verb gets: effective settings and how to print."""

    settings: Settings
    json: bool = False
    debug: bool = False
    llm_name: str | None = None
    _services: Any = field(default=None, repr=False)

    @property
    def services(self) -> Any:
        # Built on first use so `chibo --help` and `chibo config` stay instant.
        if self._services is None:
            from assistant.services import Services

            self._services = Services(self.settings, llm_name=self.llm_name)
        return self._services

    def emit(self, payload: Any, text: str | None = None) -> None:
        """JSON on stdout in --json mode, else the human text."""
        if self.json:
            print(json.dumps(payload, ensure_ascii=False, default=str, indent=None))
        elif text is not None:
            print(text)

    @staticmethod
    def log(message: str) -> None:
        """Progress and notes go to stderr so --json stdout stays clean."""
        print(message, file=sys.stderr, flush=True)


def add_verb(subparsers: Any, name: str, help_text: str, example: str, handler: Handler) -> argparse.ArgumentParser:
    """Register a verb with help, an example in the epilog, and its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"Ví dụ / Example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser
