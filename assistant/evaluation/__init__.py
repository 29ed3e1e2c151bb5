"""Evaluation harness behind ``chibo eval`` (see docs/evaluation.md).

``dataset`` (questions and gold) → ``runner`` (private index, suites) →
``retrieval`` / ``answers`` / ``drafting`` (one suite each, matching gold with
``gold`` and scoring with ``metrics``) → ``report`` (report.md, metrics.json,
items.jsonl, chart.png; comparing runs). ``baseline`` is the naive LangChain
pipeline the reports put side by side; ``judge`` the optional LLM judge.
"""
