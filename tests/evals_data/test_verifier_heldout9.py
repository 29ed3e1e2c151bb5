"""Integrity checks for evals/verifier_heldout9.jsonl, the ninth held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) with the passages it may cite. About 40% of the items rest on verbatim cuts of
corpus-src/*.txt, the other 60% on laws in /work/shared/eval/alqac/docs (docx / pdf / md / txt) that
set 8 did not use; the law checks run only when that folder exists. Besides the error kinds of
evals/verifier_sentences.md the set has the four kinds the real writer showed (evals/verifier_leads.md):
echo, garbled, fragment and heading. The set was written independently of the verifier and of the other
verifier sets: it is for reporting only, never for tuning.
The checks every written set gets, and this set's size and balance, are in test_verifier_written.py; these are
the writer's own kinds.
"""

from __future__ import annotations

import re
from collections import Counter

from tests.evals_data.sources import REPO, load_jsonl, plain
from tests.evals_data.written_sets import MARKER

DATASET = REPO / "evals" / "verifier_heldout9.jsonl"
# The writer's own failure kinds, as named in evals/verifier_leads.md.
EXTRA_KINDS = frozenset({"echo", "garbled", "fragment", "heading"})
QUESTION = re.compile(r"\b(bao nhiêu|bao lâu|nào|gì|ai)\b|\bcó\b.*\bkhông\b", re.IGNORECASE)
ITEMS = load_jsonl(DATASET)


def test_the_writers_kinds_are_a_dozen_in_all():
    """A handful of each of the writer's own kinds (the rest of the balance is in test_verifier_written.py)."""
    kinds = Counter(item["error"] for item in ITEMS if item["error"])
    assert min(kinds[kind] for kind in EXTRA_KINDS) >= 2, kinds
    assert 8 <= sum(kinds[kind] for kind in EXTRA_KINDS) <= 14, kinds


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
                        if w.isascii() and w not in words and any(plain(v) == w != v for v in words)]
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
