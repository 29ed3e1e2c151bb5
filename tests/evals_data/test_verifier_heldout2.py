"""Shape checks for evals/verifier_heldout2.jsonl, the second held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what a small writing model might answer, citing
passages as [1], [2]) together with the passages it may cite, copied verbatim from corpus-src/. The
label says whether the cited passages fully support the sentence; for an unsupported sentence `error`
names the kind of mistake. The set was written independently of the verifier and of the other
verifier sets, so it can measure the verifier on data it was never tuned on.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "verifier_heldout2.jsonl"
CORPUS_SRC = REPO / "corpus-src"

KEYS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_KEYS = {"n", "doc_id", "citation", "text"}
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
    "foreign_words",
}
MARKER = re.compile(r"\[(\d+)\]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERDICT = re.compile(r"\b(đúng|sai|đáp án|câu trả lời là)\b", re.IGNORECASE)
CITATION = re.compile(r"^(?:(?:điểm [a-zđ] )?khoản \d+ )?Điều \d+ .+$|^(?:điểm [a-zđ] )?mục [\d.]+ (?:phần [IVX]+ )?.+$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _load() -> list[dict]:
    items = []
    with DATASET.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as exc:  # pragma: no cover - reported by the assertion
                    pytest.fail(f"line {number} is not JSON: {exc}")
    return items


ITEMS = _load()
SOURCES = {path.stem: _norm(path.read_text(encoding="utf-8")) for path in CORPUS_SRC.glob("*.txt")}


def _ids(item: dict) -> str:
    return item.get("id", "?")


def test_size_and_unique_ids():
    assert len(ITEMS) >= 100
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]
    assert all(re.fullmatch(r"VT-\d{3}", i) for i in ids)
    sentences = [_norm(item["sentence"]) for item in ITEMS]
    assert len(sentences) == len(set(sentences)), "duplicate sentences"


def test_label_and_kind_counts():
    labels = Counter(item["label"] for item in ITEMS)
    assert labels["supported"] >= 45, labels
    assert labels["unsupported"] >= 55, labels
    kinds = Counter(item["error"] for item in ITEMS if item["error"] is not None)
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    short = {kind: count for kind, count in kinds.items() if count < 3}
    assert not short, short


def test_every_document_is_used():
    used = {p["doc_id"] for item in ITEMS for p in item["passages"]}
    assert used == set(SOURCES), set(SOURCES) - used


@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_item_shape(item):
    assert set(item) == KEYS
    assert item["label"] in LABELS
    assert (item["label"] == "supported") == (item["error"] is None)
    assert item["error"] is None or item["error"] in KINDS
    sentence = item["sentence"]
    assert isinstance(sentence, str) and sentence.strip() and "\n" not in sentence
    assert sentence == unicodedata.normalize("NFC", sentence)
    assert isinstance(item["note"], str) and item["note"].strip()


@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_passages_are_verbatim(item):
    passages = item["passages"]
    assert passages, "no passages"
    assert [p["n"] for p in passages] == list(range(1, len(passages) + 1))
    for passage in passages:
        assert set(passage) == PASSAGE_KEYS
        assert passage["doc_id"] in SOURCES, passage["doc_id"]
        assert CITATION.match(passage["citation"]), passage["citation"]
        assert passage["text"] == unicodedata.normalize("NFC", passage["text"])
        assert _norm(passage["text"]) in SOURCES[passage["doc_id"]], (
            f"{item['id']}: passage [{passage['n']}] is not verbatim in {passage['doc_id']}.txt"
        )


@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_markers(item):
    markers = [int(m) for m in MARKER.findall(item["sentence"])]
    numbers = {p["n"] for p in item["passages"]}
    assert set(markers) <= numbers, f"markers {markers} refer to missing passages {numbers}"
    if item["error"] == "uncited_claim":
        assert not markers, "an uncited claim must carry no marker"
    else:
        assert markers, "the sentence must cite at least one marker"
    if item["error"] == "wrong_marker":
        assert len(item["passages"]) >= 2


@pytest.mark.parametrize("item", [i for i in ITEMS if i["label"] == "supported"], ids=_ids)
def test_supported_numbers_come_from_cited_passages(item):
    """Every digit group in a supported sentence occurs in a cited passage or its citation."""
    cited = {int(m) for m in MARKER.findall(item["sentence"])}
    source = " ".join(p["text"] + " " + p["citation"] for p in item["passages"] if p["n"] in cited)
    available = {int(d) for d in re.findall(r"\d+", source)}
    sentence = MARKER.sub("", item["sentence"])
    missing = [d for d in re.findall(r"\d+", sentence) if int(d) not in available]
    assert not missing, missing


@pytest.mark.parametrize("item", [i for i in ITEMS if i["error"] == "foreign_words"], ids=_ids)
def test_foreign_words_are_foreign(item):
    sentence = item["sentence"]
    if CJK.search(sentence):
        return
    passages = _norm(" ".join(p["text"] + " " + p["citation"] for p in item["passages"])).lower()
    ascii_words = [w for w in re.findall(r"[A-Za-z]{4,}", sentence) if w.lower() not in passages]
    assert ascii_words, "no foreign word found"


@pytest.mark.parametrize("item", [i for i in ITEMS if i["error"] == "verdict"], ids=_ids)
def test_verdicts_state_a_verdict(item):
    assert VERDICT.search(item["sentence"]) or re.search(r"\b[A-D]\b", item["sentence"])
