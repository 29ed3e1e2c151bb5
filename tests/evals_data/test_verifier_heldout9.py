"""Integrity checks for evals/verifier_heldout9.jsonl, the ninth held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. About 40% of the items rest on verbatim cuts of
corpus-src/*.txt, the other 60% on laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt) that
set 8 did not use; the law checks run only when that folder exists. Besides the error kinds of
evals/verifier_sentences.md the set has the four kinds the real writer showed (evals/verifier_leads.md):
echo, garbled, fragment and heading. The set was written independently of the verifier and of the other
verifier sets: it is for reporting only, never for tuning.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from tests.evals_data.sources import LAW_DIR, REPO, VERIFIER_KINDS, load_jsonl
from tests.evals_data.written_sets import (
    MARKER,
    citation_pattern,
    corpus_unit_problems,
    counts_table,
    foreign_and_verdict_problems,
    law_problems,
    marker_problems,
    other_sets,
    passage_problems,
    reused_passages,
    shape_problems,
    shared_sentences,
    unsourced_numbers,
    wrong_article_problems,
)

DATASET = REPO / "evals" / "verifier_heldout9.jsonl"
DOC = REPO / "evals" / "verifier_heldout9.md"
OTHER_SETS = other_sets(DATASET, written_only=True)
# The writer's own failure kinds, as named in evals/verifier_leads.md.
EXTRA_KINDS = frozenset({"echo", "garbled", "fragment", "heading"})
KINDS = VERIFIER_KINDS | EXTRA_KINDS
HEAVY = ("invented_fact", "invented_body", "changed_modality", "changed_number", "changed_duration")
LAW_NAMES = ("Luật", "Bộ luật", "Hiến pháp")
QUESTION = re.compile(r"\b(bao nhiêu|bao lâu|nào|gì|ai)\b|\bcó\b.*\bkhông\b", re.IGNORECASE)
CITATION = citation_pattern(r"Bộ luật [^\d]+", r"Hiến pháp")
# Laws used by set 8; this set uses none of them.
SET8_LAWS = {"Luật Cư trú", "Luật Thanh niên", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy",
             "Luật Trọng tài thương mại", "Luật Viên chức", "Luật Điện ảnh"}
ITEMS = load_jsonl(DATASET)


def is_law9(passage: dict) -> bool:
    """This set also cuts from the Civil Code and the Constitution."""
    return passage["doc_id"].startswith(LAW_NAMES)


def _plain(text: str) -> str:
    """Lower case without Vietnamese marks (đ → d): how an accent-free question spells a word."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_size_ids_and_shape():
    assert len(ITEMS) == 160
    assert [item["id"] for item in ITEMS] == [f"VH9-{n:03d}" for n in range(1, 161)]
    bad = shape_problems(ITEMS, KINDS)
    assert not bad, bad


def test_label_kind_and_source_balance():
    labels = Counter(item["label"] for item in ITEMS)
    assert 58 <= labels["supported"] <= 70 and labels["unsupported"] >= 90, labels
    kinds = Counter(item["error"] for item in ITEMS if item["error"])
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    assert min(kinds[kind] for kind in VERIFIER_KINDS) >= 5, kinds
    # the shapes small models really produce, and that are hardest to catch, carry more weight
    for kind in HEAVY:
        assert 10 <= kinds[kind] <= 12, (kind, kinds[kind])
    # the writer's own kinds: a handful each, about a dozen in all
    assert min(kinds[kind] for kind in EXTRA_KINDS) >= 2, kinds
    assert 8 <= sum(kinds[kind] for kind in EXTRA_KINDS) <= 14, kinds
    law = [is_law9(item["passages"][0]) for item in ITEMS]
    assert 88 <= sum(law) <= 100, sum(law)
    assert law == sorted(law), "Party-document items come first, then law items"
    two = sum(len(item["passages"]) >= 2 for item in ITEMS)
    assert two >= 18, two
    laws = {p["doc_id"] for item in ITEMS for p in item["passages"] if is_law9(p)}
    assert len(laws) >= 6 and not laws & SET8_LAWS, laws


def test_counts_table_matches_data():
    table, expected = counts_table(ITEMS, DOC)
    assert table == expected


def test_passages_shape_and_corpus_verbatim():
    bad = passage_problems(ITEMS, CITATION, is_law9)
    assert not bad, bad


def test_corpus_units_match_citations():
    bad = corpus_unit_problems(ITEMS, CITATION, is_law9, unique=True)
    assert not bad, bad


def test_law_passages_verbatim_and_units():
    if not LAW_DIR.is_dir():
        pytest.skip(f"{LAW_DIR} not available")
    bad = law_problems(ITEMS, is_law9, CITATION, unique=True)
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


def test_writer_kinds_have_their_shape():
    """echo asks back, garbled copies words without marks, fragment ends on 'sau:', heading is a bare heading."""
    bad = []
    for item in ITEMS:
        kind, sentence = item["error"], item["sentence"]
        bare = MARKER.sub("", sentence).strip()
        words = {w for p in item["passages"] for w in re.findall(r"\w+", p["text"].lower())}
        if kind == "echo" and not QUESTION.search(bare):
            bad.append((item["id"], "echo without a question word"))
        if kind == "garbled":
            stripped = [w for w in re.findall(r"\w+", bare.lower())
                        if w.isascii() and w not in words and any(_plain(v) == w != v for v in words)]
            if not stripped:
                bad.append((item["id"], "no word copied without its marks"))
        if kind == "fragment" and not re.search(r"\bsau(?: đây)?:$", bare):
            bad.append((item["id"], "fragment does not end on 'sau:'"))
        if kind == "heading":
            heads = {line.strip().rstrip(".") for p in item["passages"] for line in p["text"].splitlines()[:1]}
            heads |= {p["citation"] for p in item["passages"]}
            if bare.rstrip(".").strip() not in heads:
                bad.append((item["id"], "heading is not a passage heading or citation"))
    assert not bad, bad


def test_no_sentence_shared_with_other_sets():
    names = {path.name for path in OTHER_SETS}
    assert {"verifier_sentences.jsonl", "verifier_heldout7.jsonl", "verifier_heldout8.jsonl"} <= names, names
    shared = shared_sentences(ITEMS, OTHER_SETS)
    assert not shared, shared


def test_no_passage_copied_from_other_sets():
    """Every passage is a new cut: none equals a passage of another verifier set (only their texts are read)."""
    reused = reused_passages(ITEMS, OTHER_SETS)
    assert not reused, reused
