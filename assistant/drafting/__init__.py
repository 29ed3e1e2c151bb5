"""Drafting: notes → meeting record → minutes (biên bản), monthly report, audio bulletin.

Stages: ``extract`` (notes → :class:`record.MeetingRecord`, with ``counts`` and
``patterns``), ``refine`` (optional model wording, verified), ``store``
(SQLite), ``minutes`` / ``report`` (record → :class:`draft.DraftDocument`),
``layout`` (DOCX in the 36-HD/VPTW layout), ``bulletin`` + ``speech`` (script,
text for listening, espeak-ng). ``service.DraftingService`` is what the CLI and
the UI call. Format and usage: docs/drafting.md.
"""
