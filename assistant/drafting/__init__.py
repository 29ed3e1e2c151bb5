"""Drafting: meeting notes → meeting record → minutes (biên bản), monthly report; audio bulletins.

One subpackage per feature:

- ``notes``: notes → :class:`~assistant.drafting.notes.record.MeetingRecord`
  (``loader`` reads the file through the ingest loaders, ``extract`` with
  ``patterns`` and ``counts``, ``refine`` for optional verified model wording,
  ``record`` for the model and its checks, ``store`` for SQLite);
- ``documents``: record → :class:`~assistant.drafting.documents.draft.DraftDocument`
  (``minutes``, ``report``) → DOCX in the 36-HD/VPTW layout (``layout``);
- ``bulletin``: documents → spoken script (``script``) → audio (``speech``),
  with ``sources`` for documents read from plain files.

``templates`` holds the editable wording all three use. ``service.DraftingService``
is the feature's entry point; the application builds it as ``Services.drafting``.
Format and usage: docs/drafting.md.
"""
