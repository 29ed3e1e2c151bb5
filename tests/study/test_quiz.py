from __future__ import annotations

import pytest

from assistant.errors import NotFound
from assistant.study.quiz import build_quiz


def test_quiz_items_are_linked_to_their_clause(indexed) -> None:
    items = build_quiz(indexed, "qd-901", count=6, seed=1)
    assert items
    text = indexed.index.catalog.document_text("qd-901")
    for item in items:
        assert "Quy định 901-QĐ/TW" in item.citation
        assert item.source_text in text
        assert item.answer in item.choices
        if item.kind == "true_false" and item.answer == "A":
            # A true statement is quoted verbatim from the clause.
            statement = item.question.split(": ", 1)[1].rsplit(" — ", 1)[0]
            assert statement in item.source_text
        if item.kind == "multiple_choice":
            assert "____" in item.question and len(item.choices) == 4
            assert item.choices[item.answer] in item.source_text


def test_false_variants_change_exactly_one_fact(indexed) -> None:
    items = [i for seed in range(8) for i in build_quiz(indexed, "qd-901", count=8, seed=seed)
             if i.kind == "true_false" and i.answer == "B"]
    assert items
    for item in items:
        statement = item.question.split(": ", 1)[1].rsplit(" — ", 1)[0]
        assert statement not in item.source_text


def test_same_seed_same_quiz(indexed) -> None:
    assert [i.question for i in build_quiz(indexed, "qd-901", seed=3)] == \
        [i.question for i in build_quiz(indexed, "qd-901", seed=3)]


def test_unknown_document(indexed) -> None:
    with pytest.raises(NotFound):
        build_quiz(indexed, "khong-co")
