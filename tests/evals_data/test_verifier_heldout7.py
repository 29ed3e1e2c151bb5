"""Integrity checks for evals/verifier_heldout7.jsonl, the seventh held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. Half the items rest on verbatim cuts of
corpus-src/*.txt, the other half on laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt) that
set 6 did not use; the law checks run only when that folder exists. The set was written independently
of the verifier and of the other verifier sets: it is for reporting only, never for tuning.
The checks every written set gets are in test_verifier_written.py; these are this set's own.
"""

from __future__ import annotations

from collections import Counter

from tests.evals_data.sources import REPO, VERIFIER_KINDS, load_jsonl
from tests.evals_data.written_sets import is_law, other_sets

DATASET = REPO / "evals" / "verifier_heldout7.jsonl"
KINDS = VERIFIER_KINDS
HEAVY = ("invented_fact", "invented_body", "changed_modality", "changed_number", "changed_duration")
SET6_LAWS = {"Luật Cư trú", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy", "Luật Thanh niên",
             "Luật Trọng tài thương mại", "Luật Điện ảnh", "Luật Viên chức"}
ITEMS = load_jsonl(DATASET)


def test_size_and_ids():
    assert len(ITEMS) == 160
    assert [item["id"] for item in ITEMS] == [f"VH7-{n:03d}" for n in range(1, 161)]


def test_label_kind_and_source_balance():
    labels = Counter(item["label"] for item in ITEMS)
    assert 60 <= labels["supported"] <= 70 and labels["unsupported"] >= 90, labels
    kinds = Counter(item["error"] for item in ITEMS if item["error"])
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    assert min(kinds.values()) >= 5, kinds
    # the shapes small models really produce, and that are hardest to catch, carry more weight
    for kind in HEAVY:
        assert 10 <= kinds[kind] <= 12, (kind, kinds[kind])
    law = [is_law(item["passages"][0]) for item in ITEMS]
    assert 70 <= sum(law) <= 90, sum(law)
    assert law == sorted(law), "Party-document items come first, then law items"
    two = sum(len(item["passages"]) >= 2 for item in ITEMS)
    assert two >= 18, two
    laws = {p["doc_id"] for item in ITEMS for p in item["passages"] if is_law(p)}
    assert len(laws) >= 6 and not laws & SET6_LAWS, laws


def test_the_sets_it_must_not_repeat_are_there():
    names = {path.name for path in other_sets(DATASET, written_only=False)}
    assert {"verifier_sentences.jsonl", "verifier_heldout6.jsonl"} <= names, names
