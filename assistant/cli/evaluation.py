"""Evaluation verb."""

from __future__ import annotations

from typing import Any

from assistant.cli.placeholder import register_placeholders


def register(subparsers: Any) -> None:
    register_placeholders(subparsers, {
        "eval": ("Đánh giá truy hồi, trích dẫn, câu trả lời và soạn thảo", "chibo eval evals/study_questions.jsonl --suite retrieval"),
    })
