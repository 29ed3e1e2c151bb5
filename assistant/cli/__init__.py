"""The ``chibo`` command line: one verb per capability."""

from assistant.cli.main import main

__all__ = ["main"]
