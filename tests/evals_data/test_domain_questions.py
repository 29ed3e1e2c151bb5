"""The in-domain / out-of-domain question sets (evals/domain_questions.md): shape, balance, no shared wording."""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

import pytest

from tests.evals_data.sources import REPO, load_jsonl, plain

FILES = {"domain_dev.jsonl": "DD", "domain_heldout.jsonl": "DH"}


@pytest.mark.parametrize("name", sorted(FILES))
def test_shape_and_balance(name: str) -> None:
    rows = load_jsonl(REPO / "evals" / name)
    assert len(rows) == 100
    assert all(set(r) == {"id", "question", "in_domain", "topic", "hard"} for r in rows)
    assert sorted(r["id"] for r in rows) == [f"{FILES[name]}-{n:03d}" for n in range(1, 101)]
    assert sum(r["in_domain"] for r in rows) == 50
    assert all(isinstance(r["in_domain"], bool) and isinstance(r["hard"], bool) for r in rows)
    assert all(unicodedata.is_normalized("NFC", r["question"]) and r["question"].strip() for r in rows)
    # Members type without diacritics too; the hard out-of-domain questions share words with the domain.
    assert sum(r["question"].isascii() for r in rows) >= 10
    assert sum(r["hard"] for r in rows if not r["in_domain"]) >= 20


def test_sets_share_no_question() -> None:
    dev = [" ".join(plain(r["question"]).split()) for r in load_jsonl(REPO / "evals" / "domain_dev.jsonl")]
    held = [" ".join(plain(r["question"]).split()) for r in load_jsonl(REPO / "evals" / "domain_heldout.jsonl")]
    assert len(set(dev)) == len(set(held)) == 100
    closest = max(SequenceMatcher(None, a, b).ratio() for a in dev for b in held)
    assert closest < 0.85, closest
