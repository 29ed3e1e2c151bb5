"""Integrity checks for evals/verifier_heldout7.jsonl, the seventh held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. Half the items rest on verbatim cuts of
corpus-src/*.txt, the other half on laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt) that
set 6 did not use; the law checks run only when that folder exists. The set was written independently
of the verifier and of the other verifier sets: it is for reporting only, never for tuning.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.evals_data.sources import LAW_DIR, REPO, VERIFIER_KINDS, load_jsonl
from tests.evals_data.written_sets import (
    citation_pattern,
    corpus_unit_problems,
    counts_table,
    foreign_and_verdict_problems,
    is_law,
    law_problems,
    marker_problems,
    other_sets,
    passage_problems,
    shape_problems,
    shared_sentences,
    unsourced_numbers,
    wrong_article_problems,
)

DATASET = REPO / "evals" / "verifier_heldout7.jsonl"
DOC = REPO / "evals" / "verifier_heldout7.md"
OTHER_SETS = other_sets(DATASET)
KINDS = VERIFIER_KINDS
HEAVY = ("invented_fact", "invented_body", "changed_modality", "changed_number", "changed_duration")
CITATION = citation_pattern()
# Passages deliberately cut shorter than the start of their unit (documented in the .md).
SUB_CUTS = frozenset({("12-bc-cb-bao-cao-thang-11", "mục 3 phần I Báo cáo 12-BC/CB")})
SET6_LAWS = {"Luật Cư trú", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy", "Luật Thanh niên",
             "Luật Trọng tài thương mại", "Luật Điện ảnh", "Luật Viên chức"}
ITEMS = load_jsonl(DATASET)


def test_size_ids_and_shape():
    assert len(ITEMS) == 160
    assert [item["id"] for item in ITEMS] == [f"VH7-{n:03d}" for n in range(1, 161)]
    bad = shape_problems(ITEMS, KINDS)
    assert not bad, bad


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


def test_counts_table_matches_data():
    table, expected = counts_table(ITEMS, DOC)
    assert table == expected


def test_passages_shape_and_corpus_verbatim():
    bad = passage_problems(ITEMS, CITATION)
    assert not bad, bad


def test_corpus_units_match_citations():
    bad = corpus_unit_problems(ITEMS, CITATION, short_cuts=SUB_CUTS)
    assert not bad, bad


def test_law_passages_verbatim_and_units():
    if not LAW_DIR.is_dir():
        pytest.skip(f"{LAW_DIR} not available")
    bad = law_problems(ITEMS, citation=CITATION, short_cuts=SUB_CUTS)
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
    names = {path.name for path in OTHER_SETS}
    assert {"verifier_sentences.jsonl", "verifier_heldout6.jsonl"} <= names, names
    shared = shared_sentences(ITEMS, OTHER_SETS)
    assert not shared, shared

