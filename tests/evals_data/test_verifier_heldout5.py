"""Integrity checks for evals/verifier_heldout5.jsonl, the fifth held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. About half the passages are verbatim cuts of
corpus-src/*.txt, the other half of the laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt);
the law checks run only when that folder exists. The set was written independently of the verifier
and of the other verifier sets: it is for reporting only, never for tuning.
The checks every written set gets are in test_verifier_written.py; these are this set's own.
"""

from __future__ import annotations

from collections import Counter

from tests.evals_data.sources import REPO, VERIFIER_KINDS, load_jsonl

DATASET = REPO / "evals" / "verifier_heldout5.jsonl"
KINDS = VERIFIER_KINDS
ITEMS = load_jsonl(DATASET)


def test_size_and_ids():
    assert len(ITEMS) == 120
    assert [item["id"] for item in ITEMS] == [f"VH5-{n:03d}" for n in range(1, 121)]


def test_label_kind_and_source_balance():
    labels = Counter(item["label"] for item in ITEMS)
    assert 45 <= labels["supported"] <= 60 and labels["unsupported"] >= 60, labels
    kinds = Counter(item["error"] for item in ITEMS if item["error"])
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    assert min(kinds.values()) >= 3, kinds
    law = sum(item["passages"][0]["doc_id"].startswith("Luật") for item in ITEMS)
    assert 45 <= law <= 75, law
