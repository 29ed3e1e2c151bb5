"""The assistant's error hierarchy.

Every expected failure raises a subclass of :class:`AssistantError`; the CLI
prints its message on one line and exits non-zero, the UI shows it in a
message box. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for expected, user-facing failures."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class ConfigError(AssistantError):
    """Settings are invalid or name something that does not exist."""

    exit_code = 2


class BackendUnavailable(AssistantError):
    """A model backend, server or optional dependency cannot be used."""

    exit_code = 3


class ModelIntegrityError(BackendUnavailable):
    """A packaged model file has the wrong size or SHA-256 and must not be loaded."""


class IngestError(AssistantError):
    """A single document cannot be ingested (reported and skipped)."""


class UnsupportedFormat(IngestError):
    """The file type is not one we read."""


class ConfidentialDocument(IngestError):
    """The document carries a secrecy mark and may not enter a shared index."""


class NeedsOCR(IngestError):
    """The document has no usable text layer."""


class NotFound(AssistantError):
    """A document, record or other named object does not exist."""

    exit_code = 4


class ValidationFailed(AssistantError):
    """User-supplied data (a meeting record, a dataset) is malformed."""

    def __init__(self, message: str, problems: list[str] | None = None, **kw: str) -> None:
        super().__init__(message, **kw)
        self.problems = problems or []

    def __str__(self) -> str:
        base = super().__str__()
        if self.problems:
            return base + ": " + "; ".join(self.problems)
        return base


class PermissionDenied(AssistantError):
    """The current user's role does not allow the action."""

    exit_code = 5
