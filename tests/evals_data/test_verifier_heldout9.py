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

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tests.evals_data.sources import LAW_DIR, VERIFIER_KINDS, law_text, load_jsonl, squash

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "verifier_heldout9.jsonl"
DOC = REPO / "evals" / "verifier_heldout9.md"
CORPUS_SRC = REPO / "corpus-src"
# The written sets; the writer's own leads (verifier_leads*.jsonl) quote whatever passage the search found, so a
# passage shared with them is no copy.
OTHER_SETS = sorted(p for p in (REPO / "evals").glob("verifier_*.jsonl")
                    if p.name != DATASET.name and not p.name.startswith("verifier_leads"))

KEYS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_KEYS = {"n", "doc_id", "citation", "text"}
# The writer's own failure kinds, as named in evals/verifier_leads.md.
EXTRA_KINDS = frozenset({"echo", "garbled", "fragment", "heading"})
KINDS = VERIFIER_KINDS | EXTRA_KINDS
HEAVY = ("invented_fact", "invented_body", "changed_modality", "changed_number", "changed_duration")
LAW_NAMES = ("Luật", "Bộ luật", "Hiến pháp")
MARKER = re.compile(r"\[(\d+)\]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERDICT = re.compile(r"\b(đúng|sai|đáp án|câu trả lời là)\b", re.IGNORECASE)
QUESTION = re.compile(r"\b(bao nhiêu|bao lâu|nào|gì|ai)\b|\bcó\b.*\bkhông\b", re.IGNORECASE)
DOC_NAME = (r"(?:(?:Quy định|Hướng dẫn|Chỉ thị|Nghị quyết|Kế hoạch|Thông báo|Quyết định|Báo cáo|Biên bản)"
            r" \d+-[A-ZĐ]+/[A-ZĐ]+|Luật [^\d]+|Bộ luật [^\d]+|Hiến pháp)")
CITATION = re.compile(
    r"^(?:điểm (?P<point>[a-zđ]) )?(?:khoản (?P<clause>\d+) )?(?:Điều (?P<article>\d+) |mục (?P<item>[\d.]+) )?"
    r"(?:phần (?:[IVX]+|mở đầu|căn cứ) )?" + DOC_NAME + r"$"
)
HEADING = re.compile(r"^\W*Điều (\d+)\.")
# Laws used by set 8; this set uses none of them.
SET8_LAWS = {"Luật Cư trú", "Luật Thanh niên", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy",
             "Luật Trọng tài thương mại", "Luật Viên chức", "Luật Điện ảnh"}


ITEMS = load_jsonl(DATASET)
CORPUS_RAW = {path.stem: unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
              for path in CORPUS_SRC.glob("*.txt")}
CORPUS = {stem: squash(text) for stem, text in CORPUS_RAW.items()}


def _is_law(passage: dict) -> bool:
    return passage["doc_id"].startswith(LAW_NAMES)


@cache
def _law_raw(doc_id: str) -> str:
    matches = [p for p in LAW_DIR.iterdir() if unicodedata.normalize("NFC", p.stem) == doc_id]
    assert len(matches) == 1, f"law file for {doc_id!r} not found"
    return law_text(matches[0])


def _law(doc_id: str) -> str:
    return squash(_law_raw(doc_id))


def _article_at(raw: str, passage_text: str) -> int | None:
    """Number of the nearest "Điều N." heading at or before the passage (headings are line starts)."""
    position = squash(raw).find(squash(passage_text))
    assert position >= 0
    article, offset = None, 0
    for line in raw.splitlines():
        piece = squash(line)
        if not piece:
            continue
        if offset > position:
            break
        match = HEADING.match(piece)
        if match:
            article = int(match.group(1))
        offset += len(piece) + 1
    return article


def _plain(text: str) -> str:
    """Lower case without Vietnamese marks (đ → d): how an accent-free question spells a word."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_size_ids_and_shape():
    assert len(ITEMS) == 160
    ids = [item["id"] for item in ITEMS]
    assert ids == [f"VH9-{n:03d}" for n in range(1, 161)]
    sentences = [squash(item["sentence"]) for item in ITEMS]
    assert len(sentences) == len(set(sentences)), "duplicate sentences"
    bad = []
    for item in ITEMS:
        ok = (
            set(item) == KEYS
            and item["label"] in {"supported", "unsupported"}
            and (item["label"] == "supported") == (item["error"] is None)
            and (item["error"] is None or item["error"] in KINDS)
            and isinstance(item["sentence"], str)
            and item["sentence"].strip()
            and "\n" not in item["sentence"]
            and item["sentence"] == unicodedata.normalize("NFC", item["sentence"])
            and isinstance(item["note"], str)
            and item["note"].strip()
        )
        if not ok:
            bad.append(item.get("id"))
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
    law = [_is_law(item["passages"][0]) for item in ITEMS]
    assert 88 <= sum(law) <= 100, sum(law)
    assert law == sorted(law), "Party-document items come first, then law items"
    two = sum(len(item["passages"]) >= 2 for item in ITEMS)
    assert two >= 18, two
    laws = {p["doc_id"] for item in ITEMS for p in item["passages"] if _is_law(p)}
    assert len(laws) >= 6 and not laws & SET8_LAWS, laws


def test_counts_table_matches_data():
    text = DOC.read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", text, re.MULTILINE))
    expected = Counter(item["error"] or "supported" for item in ITEMS)
    assert {k: int(v) for k, v in table.items()} == dict(expected)


def test_passages_shape_and_corpus_verbatim():
    bad = []
    for item in ITEMS:
        passages = item["passages"]
        if not passages or [p["n"] for p in passages] != list(range(1, len(passages) + 1)):
            bad.append((item["id"], "numbering"))
        for p in passages:
            if set(p) != PASSAGE_KEYS or not CITATION.match(p["citation"]) or len(p["text"]) > 600:
                bad.append((item["id"], p.get("n"), "shape"))
            if p["text"] != unicodedata.normalize("NFC", p["text"]):
                bad.append((item["id"], p["n"], "not NFC"))
            if _is_law(p):
                if not p["citation"].endswith(p["doc_id"]):
                    bad.append((item["id"], p["n"], "citation names another law"))
            elif p["doc_id"] not in CORPUS or squash(p["text"]) not in CORPUS[p["doc_id"]]:
                bad.append((item["id"], p["n"], "not verbatim in corpus-src"))
    assert not bad, bad


def _unit_problems(passage: dict, raw: str | None) -> list[str]:
    """The cited article is the nearest heading before the cut; the cut starts with the cited clause/point."""
    match = CITATION.match(passage["citation"])
    problems = []
    if raw is not None and squash(raw).count(squash(passage["text"])) != 1:
        problems.append("cut is not unique in its source")
    if match["article"] and raw is not None and _article_at(raw, passage["text"]) != int(match["article"]):
        problems.append("article")
    lines = [line.strip() for line in passage["text"].splitlines() if line.strip()]
    first = lines[1] if lines[0].startswith("Điều ") and len(lines) > 1 else lines[0]
    if match["point"]:
        expected = f"{match['point']})"
    elif match["clause"]:
        expected = f"{match['clause']}."
    elif match["item"]:
        expected = f"{match['item']}."
    else:
        return problems
    if not first.startswith(expected):
        problems.append(f"starts {first[:8]!r}, cited {expected!r}")
    return problems


def test_corpus_units_match_citations():
    bad = []
    for item in ITEMS:
        for p in item["passages"]:
            if not _is_law(p):
                bad.extend((item["id"], p["n"], problem) for problem in _unit_problems(p, CORPUS_RAW[p["doc_id"]]))
    assert not bad, bad


def test_law_passages_verbatim_and_units():
    if not LAW_DIR.is_dir():
        pytest.skip(f"{LAW_DIR} not available")
    bad = []
    for item in ITEMS:
        for p in item["passages"]:
            if not _is_law(p):
                continue
            if squash(p["text"]) not in _law(p["doc_id"]):
                bad.append((item["id"], p["n"], p["doc_id"], "not verbatim"))
                continue
            bad.extend((item["id"], p["n"], problem) for problem in _unit_problems(p, _law_raw(p["doc_id"])))
    assert not bad, bad


def test_markers():
    bad = []
    for item in ITEMS:
        markers = {int(m) for m in MARKER.findall(item["sentence"])}
        numbers = {p["n"] for p in item["passages"]}
        if not markers <= numbers:
            bad.append((item["id"], "marker out of range"))
        if (item["error"] == "uncited_claim") == bool(markers):
            bad.append((item["id"], "uncited_claim iff no marker"))
        if item["error"] == "wrong_marker" and len(numbers) < 2:
            bad.append((item["id"], "wrong_marker needs two passages"))
    assert not bad, bad


def test_supported_numbers_come_from_cited_passages():
    bad = []
    for item in ITEMS:
        if item["label"] != "supported":
            continue
        cited = {int(m) for m in MARKER.findall(item["sentence"])}
        source = " ".join(p["text"] + " " + p["citation"] for p in item["passages"] if p["n"] in cited)
        available = {int(d) for d in re.findall(r"\d+", source)}
        missing = [d for d in re.findall(r"\d+", MARKER.sub("", item["sentence"])) if int(d) not in available]
        if missing:
            bad.append((item["id"], missing))
    assert not bad, bad


UNIT = re.compile(r"(?:điểm [a-zđ] )?(?:khoản \d+ )?(?:Điều \d+|mục [\d.]+(?: phần [IVX]+)?)")


def test_wrong_article_names_another_unit():
    bad = []
    for item in ITEMS:
        if item["error"] != "wrong_article":
            continue
        named = UNIT.search(item["sentence"])
        citations = " | ".join(p["citation"] for p in item["passages"])
        if not named or named.group(0) in citations:
            bad.append((item["id"], named and named.group(0)))
    assert not bad, bad


def test_foreign_words_and_verdicts():
    bad = []
    for item in ITEMS:
        sentence = item["sentence"]
        if item["error"] == "foreign_words" and not CJK.search(sentence):
            passages = squash(" ".join(p["text"] + " " + p["citation"] for p in item["passages"])).lower()
            if not [w for w in re.findall(r"[A-Za-z]{4,}", sentence) if w.lower() not in passages]:
                bad.append((item["id"], "no foreign word"))
        if item["error"] == "verdict" and not (VERDICT.search(sentence) or re.search(r"\b[A-D]\b", sentence)):
            bad.append((item["id"], "no verdict"))
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
    mine = {squash(item["sentence"]) for item in ITEMS}
    shared = []
    for path in OTHER_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sentence = json.loads(line).get("sentence", "")
                if squash(sentence) in mine:
                    shared.append((path.name, sentence))
    assert not shared, shared


def test_no_passage_copied_from_other_sets():
    """Every passage is a new cut: none equals a passage of another verifier set (only their texts are read)."""
    earlier = set()
    for path in OTHER_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                earlier.update(squash(p.get("text", "")) for p in json.loads(line).get("passages", []))
    reused = sorted({(p["doc_id"], p["citation"]) for item in ITEMS for p in item["passages"]
                     if squash(p["text"]) in earlier})
    assert not reused, reused
