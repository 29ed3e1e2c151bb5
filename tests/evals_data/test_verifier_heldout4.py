"""Integrity checks for evals/verifier_heldout4.jsonl, the fourth held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence with the 1–2 passages it may cite as [1], [2].
Passages are verbatim cuts of corpus-src/*.txt (Party sample documents) or of the laws in
/work/shared/eval/alqac/docs (docx / pdf / md / txt). The law checks run only when that folder exists.
The set is held out: it is for reporting, never for tuning. The checks loop over the items inside a
few tests so that the file stays fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from tests.evals_data.sources import LAW_DIR, VERIFIER_KINDS, law_text, load_jsonl, squash

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "evals" / "verifier_heldout4.jsonl"
DOC = ROOT / "evals" / "verifier_heldout4.md"
CORPUS_SRC = ROOT / "corpus-src"
OTHER_SETS = [ROOT / "evals" / f"{name}.jsonl" for name in (
    "verifier_sentences", "verifier_heldout", "verifier_heldout2", "verifier_heldout3")]

KINDS = VERIFIER_KINDS
FIELDS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_FIELDS = {"n", "doc_id", "citation", "text"}
MARKER = re.compile(r"\[(\d+)\]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERDICT = re.compile(r"(?:^|\W)(đúng|sai|đáp án|câu trả lời là)(?:\W|$)", re.IGNORECASE)


ROWS = load_jsonl(DATA)
CORPUS_IDS = {path.stem for path in CORPUS_SRC.glob("*.txt")}


def is_law(doc_id: str) -> bool:
    return doc_id not in CORPUS_IDS


def test_shape_ids_labels():
    assert len(ROWS) == 160
    ids = [row["id"] for row in ROWS]
    assert ids == [f"VH4-{n:03d}" for n in range(1, len(ROWS) + 1)]
    sentences = [squash(row["sentence"]) for row in ROWS]
    assert len(sentences) == len(set(sentences)), "duplicate sentence inside the set"
    problems = []
    for row in ROWS:
        rid = row["id"]
        if set(row) != FIELDS:
            problems.append(f"{rid}: fields {sorted(row)}")
            continue
        sentence = row["sentence"]
        if not (isinstance(sentence, str) and sentence.strip() and "\n" not in sentence):
            problems.append(f"{rid}: bad sentence")
        if sentence != unicodedata.normalize("NFC", sentence):
            problems.append(f"{rid}: sentence not NFC")
        if not (isinstance(row["note"], str) and row["note"].strip()):
            problems.append(f"{rid}: empty note")
        if row["label"] == "supported":
            if row["error"] is not None:
                problems.append(f"{rid}: supported with error {row['error']}")
        elif row["label"] == "unsupported":
            if row["error"] not in KINDS:
                problems.append(f"{rid}: unknown error {row['error']}")
        else:
            problems.append(f"{rid}: label {row['label']}")
        passages = row["passages"]
        if not (1 <= len(passages) <= 3) or [p.get("n") for p in passages] != list(range(1, len(passages) + 1)):
            problems.append(f"{rid}: passage numbering")
        for p in passages:
            if set(p) != PASSAGE_FIELDS or not p["text"].strip() or len(p["text"]) > 600:
                problems.append(f"{rid}: passage {p.get('n')} shape or length")
            elif p["text"] != unicodedata.normalize("NFC", p["text"]):
                problems.append(f"{rid}: passage {p['n']} not NFC")
    assert not problems, problems


def test_markers_agree_with_kinds():
    problems = []
    for row in ROWS:
        marks = [int(m) for m in MARKER.findall(row["sentence"])]
        count = len(row["passages"])
        if not all(1 <= m <= count for m in marks):
            problems.append(f"{row['id']}: marker beyond {count} passages")
        if row["error"] == "uncited_claim":
            if marks:
                problems.append(f"{row['id']}: uncited claim carries a marker")
        elif not marks:
            problems.append(f"{row['id']}: no marker")
        if row["error"] == "wrong_marker" and count < 2:
            problems.append(f"{row['id']}: wrong_marker needs two passages")
        if row["error"] == "verdict" and not (VERDICT.search(row["sentence"]) or re.search(r"\b[A-D]\b", row["sentence"])):
            problems.append(f"{row['id']}: verdict without a verdict word")
        if row["error"] == "foreign_words" and not CJK.search(row["sentence"]):
            passages = squash(" ".join(p["text"] + " " + p["citation"] for p in row["passages"])).lower()
            if not [w for w in re.findall(r"[A-Za-z]{4,}", row["sentence"]) if w.lower() not in passages]:
                problems.append(f"{row['id']}: no foreign word")
    assert not problems, problems


def test_supported_numbers_come_from_cited_passages():
    """Every digit group in a supported sentence occurs in a cited passage or its citation."""
    problems = []
    for row in (r for r in ROWS if r["label"] == "supported"):
        cited = {int(m) for m in MARKER.findall(row["sentence"])}
        source = " ".join(p["text"] + " " + p["citation"] for p in row["passages"] if p["n"] in cited)
        available = {int(d) for d in re.findall(r"\d+", source)}
        missing = [d for d in re.findall(r"\d+", MARKER.sub("", row["sentence"])) if int(d) not in available]
        if missing:
            problems.append(f"{row['id']}: {missing}")
    assert not problems, problems


def test_corpus_passages_are_verbatim():
    sources = {stem: squash((CORPUS_SRC / f"{stem}.txt").read_text(encoding="utf-8-sig")) for stem in CORPUS_IDS}
    problems = []
    for row in ROWS:
        for p in row["passages"]:
            if is_law(p["doc_id"]):
                continue
            if squash(p["text"]) not in sources[p["doc_id"]]:
                problems.append(f"{row['id']} [{p['n']}] not verbatim in {p['doc_id']}.txt")
            # The citation names the passage's own document ("339-…" -> "339-QĐ/TW").
            if p["doc_id"].split("-")[0] not in p["citation"]:
                problems.append(f"{row['id']} [{p['n']}] citation {p['citation']!r}")
    assert not problems, problems


def test_law_passages_are_verbatim():
    law_ids = {p["doc_id"] for row in ROWS for p in row["passages"] if is_law(p["doc_id"])}
    problems = []
    for row in ROWS:
        for p in row["passages"]:
            if is_law(p["doc_id"]) and not re.match(r"^(?:điểm [a-zđ] )?(?:khoản \d+ )?Điều \d+ ", p["citation"]):
                problems.append(f"{row['id']} [{p['n']}] citation {p['citation']!r}")
            if is_law(p["doc_id"]) and not p["citation"].endswith(p["doc_id"]):
                problems.append(f"{row['id']} [{p['n']}] citation does not name {p['doc_id']}")
    assert not problems, problems
    if not LAW_DIR.is_dir():
        pytest.skip(f"{LAW_DIR} not available")
    files = {unicodedata.normalize("NFC", path.stem): path for path in LAW_DIR.iterdir()}
    assert law_ids <= set(files), sorted(law_ids - set(files))
    sources = {doc_id: squash(law_text(files[doc_id])) for doc_id in law_ids}
    for row in ROWS:
        for p in row["passages"]:
            if is_law(p["doc_id"]) and squash(p["text"]) not in sources[p["doc_id"]]:
                problems.append(f"{row['id']} [{p['n']}] not verbatim in {files[p['doc_id']].name}")
    assert not problems, problems


def test_mix_and_split():
    counts = Counter(row["error"] or "supported" for row in ROWS)
    assert set(counts) == KINDS | {"supported"}, set(counts) ^ (KINDS | {"supported"})
    assert 0.40 <= counts["supported"] / len(ROWS) <= 0.50
    short = {kind: n for kind, n in counts.items() if n < 4}
    assert not short, short
    law = sum(1 for row in ROWS if is_law(row["passages"][0]["doc_id"]))
    assert 0.40 <= law / len(ROWS) <= 0.50, law
    docs = {p["doc_id"] for row in ROWS for p in row["passages"]}
    assert docs >= CORPUS_IDS, sorted(CORPUS_IDS - docs)


def test_no_sentence_from_other_sets():
    # Only the "sentence" field of the other sets is read, and only for this check.
    others = {squash(row["sentence"]) for path in OTHER_SETS if path.is_file() for row in load_jsonl(path)}
    dup = [row["id"] for row in ROWS if squash(row["sentence"]) in others]
    assert not dup, dup


def test_doc_counts_match_data():
    text = DOC.read_text(encoding="utf-8")
    table = {k: int(v) for k, v in re.findall(r"^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|", text, re.MULTILINE)}
    counts = Counter(row["error"] or "supported" for row in ROWS)
    assert table == dict(counts)
    total = re.search(r"(\d+) sentences", text)
    assert total and int(total.group(1)) == len(ROWS)
    law = sum(1 for row in ROWS if is_law(row["passages"][0]["doc_id"]))
    split = re.search(r"(\d+) items on law passages and (\d+) on corpus passages", text)
    assert split and (int(split.group(1)), int(split.group(2))) == (law, len(ROWS) - law)
    mentioned = set(re.findall(r"VH4-\d{3}", text))
    assert mentioned <= {row["id"] for row in ROWS}, sorted(mentioned - {row["id"] for row in ROWS})
