"""Integrity checks for evals/verifier_heldout6.jsonl, the sixth held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. About half the passages are verbatim cuts of
corpus-src/*.txt, the other half of the laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt);
the law checks run only when that folder exists. The set was written independently of the verifier
and of the other verifier sets: it is for reporting only, never for tuning.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.evals_data.sources import LAW_DIR, REPO, VERIFIER_KINDS, load_jsonl
from tests.evals_data.written_sets import (
    counts_table,
    foreign_and_verdict_problems,
    law_problems,
    marker_problems,
    other_sets,
    passage_problems,
    shape_problems,
    shared_sentences,
    unsourced_numbers,
    wrong_article_problems,
)

DATASET = REPO / "evals" / "verifier_heldout6.jsonl"
DOC = REPO / "evals" / "verifier_heldout6.md"
OTHER_SETS = other_sets(DATASET)
KINDS = VERIFIER_KINDS
CITATION = re.compile(r"^(?:điểm [a-zđ] )?(?:khoản \d+ )?(?:Điều \d+ |mục [\d.]+ )?(?:phần [IVX]+ )?\S.+$")
ITEMS = load_jsonl(DATASET)


def test_size_ids_and_shape():
    assert len(ITEMS) == 150
    assert [item["id"] for item in ITEMS] == [f"VH6-{n:03d}" for n in range(1, 151)]
    bad = shape_problems(ITEMS, KINDS)
    assert not bad, bad


def test_label_kind_and_source_balance():
    labels = Counter(item["label"] for item in ITEMS)
    assert 55 <= labels["supported"] <= 70 and labels["unsupported"] >= 80, labels
    kinds = Counter(item["error"] for item in ITEMS if item["error"])
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    assert min(kinds.values()) >= 5, kinds
    # the shapes small models really produce carry more weight
    for kind in ("invented_fact", "invented_body", "wrong_article", "changed_modality", "changed_number",
                 "changed_duration"):
        assert 8 <= kinds[kind] <= 10, (kind, kinds[kind])
    law = sum(item["passages"][0]["doc_id"].startswith("Luật") for item in ITEMS)
    assert 55 <= law <= 85, law
    two = sum(len(item["passages"]) >= 2 for item in ITEMS)
    assert two >= 15, two


def test_counts_table_matches_data():
    table, expected = counts_table(ITEMS, DOC)
    assert table == expected


def test_passages_shape_and_corpus_verbatim():
    bad = passage_problems(ITEMS, CITATION)
    assert not bad, bad


def test_law_passages_verbatim():
    if not LAW_DIR.is_dir():
        pytest.skip(f"{LAW_DIR} not available")
    bad = law_problems(ITEMS)
    assert not bad, bad


def test_markers():
    bad = marker_problems(ITEMS)
    assert not bad, bad


def test_supported_numbers_come_from_cited_passages():
    bad = unsourced_numbers(ITEMS)
    assert not bad, bad


def test_wrong_article_names_another_unit():
    bad = wrong_article_problems(ITEMS)
    assert not bad, bad


def test_foreign_words_and_verdicts():
    bad = foreign_and_verdict_problems(ITEMS)
    assert not bad, bad


def test_no_sentence_shared_with_other_sets():
    shared = shared_sentences(ITEMS, OTHER_SETS)
    assert not shared, shared
