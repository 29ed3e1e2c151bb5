"""Integrity checks for evals/verifier_heldout9.jsonl, the ninth held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. About 40% of the items rest on verbatim cuts of
corpus-src/*.txt, the other 60% on laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt) that
set 8 did not use; the law checks run only when that folder exists. Besides the error kinds of
evals/verifier_sentences.md the set has the four kinds the real writer showed (evals/verifier_leads.md):
echo, garbled, fragment and heading. The set was written independently of the verifier and of the other
verifier sets: it is for reporting only, never for tuning.
The checks every written set gets are in test_verifier_written.py; these are this set's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from tests.evals_data.sources import REPO, VERIFIER_KINDS, load_jsonl
from tests.evals_data.written_sets import MARKER, is_law_or_code, other_sets

DATASET = REPO / "evals" / "verifier_heldout9.jsonl"
# The writer's own failure kinds, as named in evals/verifier_leads.md.
EXTRA_KINDS = frozenset({"echo", "garbled", "fragment", "heading"})
KINDS = VERIFIER_KINDS | EXTRA_KINDS
HEAVY = ("invented_fact", "invented_body", "changed_modality", "changed_number", "changed_duration")
QUESTION = re.compile(r"\b(bao nhiêu|bao lâu|nào|gì|ai)\b|\bcó\b.*\bkhông\b", re.IGNORECASE)
# Laws used by set 8; this set uses none of them.
SET8_LAWS = {"Luật Cư trú", "Luật Thanh niên", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy",
             "Luật Trọng tài thương mại", "Luật Viên chức", "Luật Điện ảnh"}
ITEMS = load_jsonl(DATASET)


def _plain(text: str) -> str:
    """Lower case without Vietnamese marks (đ → d): how an accent-free question spells a word."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_size_and_ids():
    assert len(ITEMS) == 160
    assert [item["id"] for item in ITEMS] == [f"VH9-{n:03d}" for n in range(1, 161)]


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
    law = [is_law_or_code(item["passages"][0]) for item in ITEMS]
    assert 88 <= sum(law) <= 100, sum(law)
    assert law == sorted(law), "Party-document items come first, then law items"
    two = sum(len(item["passages"]) >= 2 for item in ITEMS)
    assert two >= 18, two
    laws = {p["doc_id"] for item in ITEMS for p in item["passages"] if is_law_or_code(p)}
    assert len(laws) >= 6 and not laws & SET8_LAWS, laws


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


def test_the_sets_it_must_not_repeat_are_there():
    names = {path.name for path in other_sets(DATASET, written_only=True)}
    assert {"verifier_sentences.jsonl", "verifier_heldout7.jsonl", "verifier_heldout8.jsonl"} <= names, names
