"""The verifier test set (evals/verifier_sentences.jsonl) is well formed and honest to the corpus.

Every passage must be a verbatim cut of its source in corpus-src/ (after NFC and whitespace
collapsing), labels must agree with error kinds, every error kind must be represented, and the
counts in evals/verifier_sentences.md must match the data. Stdlib and pytest only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "evals" / "verifier_sentences.jsonl"
DOC = ROOT / "evals" / "verifier_sentences.md"
SRC = ROOT / "corpus-src"

KINDS = (
    "changed_number", "changed_duration", "changed_date", "flipped_negation", "changed_modality",
    "wrong_article", "uncited_claim", "invented_body", "invented_document", "verdict", "wrong_marker",
    "invented_fact",
)
# The kinds the issue names or the brief calls main: at least 4 items each.
MAIN_KINDS = (
    "changed_number", "flipped_negation", "changed_modality", "wrong_article", "uncited_claim",
    "invented_body", "invented_document", "verdict", "wrong_marker", "invented_fact",
)
FIELDS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_FIELDS = {"n", "doc_id", "citation", "text"}
MARKER_RE = re.compile(r"\[(\d+)\]")


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def load() -> list[dict]:
    rows = []
    for number, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - message only
                raise AssertionError(f"line {number} is not JSON: {exc}") from exc
    return rows


ROWS = load()
_SOURCES: dict[str, str] = {}


def source(doc_id: str) -> str:
    if doc_id not in _SOURCES:
        _SOURCES[doc_id] = squash((SRC / f"{doc_id}.txt").read_text(encoding="utf-8-sig"))
    return _SOURCES[doc_id]


def test_size_and_unique_ids():
    assert len(ROWS) >= 100
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]
    assert all(re.fullmatch(r"VS-\d{3}", i) for i in ids)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["id"])
def test_row_shape(row):
    assert set(row) == FIELDS
    assert isinstance(row["sentence"], str) and row["sentence"].strip()
    assert row["sentence"] == unicodedata.normalize("NFC", row["sentence"])
    assert isinstance(row["note"], str) and row["note"].strip()
    assert 1 <= len(row["passages"]) <= 3
    assert [p["n"] for p in row["passages"]] == list(range(1, len(row["passages"]) + 1))
    for passage in row["passages"]:
        assert set(passage) == PASSAGE_FIELDS
        assert passage["citation"].strip() and passage["text"].strip()


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["id"])
def test_passages_are_verbatim(row):
    for passage in row["passages"]:
        path = SRC / f"{passage['doc_id']}.txt"
        assert path.is_file(), f"no source {path.name}"
        assert squash(passage["text"]) in source(passage["doc_id"]), (
            f"{row['id']} passage {passage['n']} is not a verbatim cut of {path.name}")
        # The citation names the passage's own document ("339-…" -> "339-QĐ/TW", "20-2023-…" -> "20/2023/QH15").
        assert passage["doc_id"].split("-")[0] in passage["citation"]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["id"])
def test_label_agrees_with_error(row):
    assert row["label"] in {"supported", "unsupported"}
    if row["label"] == "supported":
        assert row["error"] is None
    else:
        assert row["error"] in KINDS


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["id"])
def test_markers(row):
    marks = [int(m) for m in MARKER_RE.findall(row["sentence"])]
    count = len(row["passages"])
    assert all(1 <= m <= count for m in marks), f"marker beyond the {count} passages"
    if row["label"] == "supported":
        assert marks, "a supported sentence cites its passage"
    if row["error"] == "uncited_claim":
        assert not marks
    if row["error"] == "wrong_marker":
        assert count >= 2 and marks


def test_mix():
    counts = Counter(row["error"] or "supported" for row in ROWS)
    assert counts["supported"] >= 45
    assert sum(v for k, v in counts.items() if k != "supported") >= 50
    for kind in KINDS:
        assert counts[kind] >= 3, kind
    for kind in MAIN_KINDS:
        assert counts[kind] >= 4, kind
    assert set(counts) <= set(KINDS) | {"supported"}


def test_spread_over_documents():
    docs = {p["doc_id"] for row in ROWS for p in row["passages"]}
    assert len(docs) >= 10


def test_doc_counts_match_data():
    text = DOC.read_text(encoding="utf-8")
    table = dict(re.findall(r"^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|", text, re.MULTILINE))
    counts = Counter(row["error"] or "supported" for row in ROWS)
    assert {k: int(v) for k, v in table.items()} == dict(counts)
    total = re.search(r"(\d+) sentences", text)
    assert total and int(total.group(1)) == len(ROWS)


def test_doc_examples_exist():
    ids = {row["id"] for row in ROWS}
    mentioned = set(re.findall(r"VS-\d{3}", DOC.read_text(encoding="utf-8")))
    assert mentioned <= ids, sorted(mentioned - ids)
