"""Shape checks for evals/verifier_heldout.jsonl, the held-out sentence-verifier set.

Each line is one sentence a small writing model might produce when answering a member's question,
the passages it was given (quoted verbatim from corpus-src/), and a gold label: ``supported`` when the
cited passages fully support the sentence, ``unsupported`` otherwise, with the kind of error. The set
was written without looking at the tuning set (evals/verifier_sentences.jsonl) or at the verifier, so
it measures the verifier on data it was never tuned on.

Standard library and pytest only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "verifier_heldout.jsonl"
CORPUS_SRC = REPO / "corpus-src"

FIELDS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_FIELDS = {"n", "doc_id", "citation", "text"}
LABELS = {"supported", "unsupported"}
KINDS = {
    "changed_number",
    "changed_duration",
    "changed_date",
    "flipped_negation",
    "changed_modality",
    "wrong_article",
    "uncited_claim",
    "invented_body",
    "invented_document",
    "verdict",
    "wrong_marker",
    "invented_fact",
}
# Kinds whose sentence may lack a marker: the uncited claim by definition, and a bare verdict ("Đúng.").
MARKERLESS_KINDS = {"uncited_claim", "verdict"}
MARKER_RE = re.compile(r"\[(\d+)\]")
ID_RE = re.compile(r"^VH-\d{3}$")
UNIT_RE = re.compile(r"\b(Điều|khoản|điểm|mục)\s+[0-9a-zđ]", re.IGNORECASE)
VERDICT_RE = re.compile(r"(Đúng|Sai|Nhận định|Đáp án)", re.IGNORECASE)

MIN_ITEMS = 85
MIN_SUPPORTED = 40
MIN_UNSUPPORTED = 45
MIN_PER_KIND = 3
MIN_DOCUMENTS = 10


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def load() -> list[dict]:
    items = []
    with DATASET.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - reported by the assertion
                pytest.fail(f"line {lineno}: invalid JSON ({exc})")
    return items


ITEMS = load()
SOURCES: dict[str, str] = {}


def source(doc_id: str) -> str:
    if doc_id not in SOURCES:
        SOURCES[doc_id] = squash((CORPUS_SRC / f"{doc_id}.txt").read_text(encoding="utf-8"))
    return SOURCES[doc_id]


def markers(sentence: str) -> set[int]:
    return {int(m) for m in MARKER_RE.findall(sentence)}


def test_size_and_balance():
    labels = Counter(item["label"] for item in ITEMS)
    assert len(ITEMS) >= MIN_ITEMS
    assert labels["supported"] >= MIN_SUPPORTED, labels
    assert labels["unsupported"] >= MIN_UNSUPPORTED, labels


def test_every_error_kind_is_represented():
    kinds = Counter(item["error"] for item in ITEMS if item["label"] == "unsupported")
    missing = {k: kinds.get(k, 0) for k in KINDS if kinds.get(k, 0) < MIN_PER_KIND}
    assert not missing, f"kinds with fewer than {MIN_PER_KIND} items: {missing}"


def test_ids_and_sentences_are_unique():
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]
    sentences = [squash(item["sentence"]) for item in ITEMS]
    dupes = [s for s, c in Counter(sentences).items() if c > 1]
    assert not dupes, dupes


def test_passages_span_enough_documents():
    docs = {p["doc_id"] for item in ITEMS for p in item["passages"]}
    assert len(docs) >= MIN_DOCUMENTS, sorted(docs)


@pytest.mark.parametrize("item", ITEMS, ids=[item.get("id", "?") for item in ITEMS])
def test_item(item):
    assert set(item) == FIELDS, set(item) ^ FIELDS
    assert ID_RE.match(item["id"])
    assert item["label"] in LABELS
    assert isinstance(item["note"], str) and item["note"].strip()

    sentence = item["sentence"]
    assert isinstance(sentence, str) and sentence.strip()
    assert unicodedata.normalize("NFC", sentence) == sentence, "sentence is not NFC"

    # supported <=> no error; the error is one of the known kinds
    if item["label"] == "supported":
        assert item["error"] is None
    else:
        assert item["error"] in KINDS, item["error"]

    # passages: numbered 1..k, each a verbatim quote of its corpus-src document
    passages = item["passages"]
    assert isinstance(passages, list) and passages
    assert [p["n"] for p in passages] == list(range(1, len(passages) + 1))
    for p in passages:
        assert set(p) == PASSAGE_FIELDS, set(p) ^ PASSAGE_FIELDS
        assert (CORPUS_SRC / f"{p['doc_id']}.txt").is_file(), p["doc_id"]
        assert p["citation"].strip()
        assert p["text"].strip()
        assert squash(p["text"]) in source(p["doc_id"]), f"not verbatim in {p['doc_id']}: {p['text'][:60]}"

    # markers refer to given passages
    cited = markers(sentence)
    known = {p["n"] for p in passages}
    assert cited <= known, f"markers {sorted(cited - known)} refer to no passage"

    error = item["error"]
    if item["label"] == "supported":
        assert cited, "a supported sentence must cite at least one passage"
    elif error == "uncited_claim":
        assert not cited, "an uncited claim carries no marker"
    elif error not in MARKERLESS_KINDS:
        assert cited, f"a {error} sentence is written with a (valid) marker"
    if error == "wrong_marker":
        assert len(passages) >= 2, "wrong_marker needs a second passage that is the real support"
        assert cited != known, "wrong_marker must leave the supporting passage uncited"
    if error == "wrong_article":
        assert UNIT_RE.search(sentence), "wrong_article names an article, clause, point or item"
    if error == "verdict":
        assert VERDICT_RE.search(sentence), "verdict sentences state a verdict or an option"
