"""Integrity checks for evals/verifier_heldout3.jsonl, the third held-out set for the sentence verifier.

Each item is one generated-style Vietnamese sentence (what the small writing model might write above the
quoted clauses, citing passages as [1], [2]) with the passages it was given and a gold label. Passages
come from two sources:

- the sample Party documents in corpus-src/ (``doc_id`` = file stem), and
- the laws of the external retrieval check in /work/shared/eval/alqac/docs (``doc_id`` = the law's file
  name without extension). Those laws are read-only and outside the repository; when the folder is
  missing the checks that need their text are skipped, the rest still run.

The set was written without looking at the verifier or its tuning data; see evals/verifier_heldout3.md.
Run only this file: ``python -m pytest -q tests/evals_data/test_verifier_heldout3.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tests.evals_data.sources import LAW_DIR, VERIFIER_KINDS, law_text, load_jsonl, squash

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "verifier_heldout3.jsonl"
DOC = REPO / "evals" / "verifier_heldout3.md"
CORPUS_SRC = REPO / "corpus-src"
OTHER_SETS = [REPO / "evals" / f"{name}.jsonl" for name in ("verifier_sentences", "verifier_heldout", "verifier_heldout2")]

FIELDS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_FIELDS = {"n", "doc_id", "citation", "text"}
KINDS = VERIFIER_KINDS
MIN_ITEMS = 140
MIN_PER_KIND = 3
MAX_LAW_PASSAGE = 600

MARKER_RE = re.compile(r"\[(\d+)\]")
ID_RE = re.compile(r"VH3-\d{3}")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERDICT_RE = re.compile(r"\b(đúng|sai|đáp án|câu trả lời là)\b", re.IGNORECASE)
VERDICT_OPENING_RE = re.compile(r"^(Đúng|Sai|Đáp án|Câu trả lời|Nhận định|Khẳng định|Phát biểu|Câu này)\b")
UNIT_RE = re.compile(r"\b(Điều|khoản|điểm|mục)\s+[0-9a-zđ]", re.IGNORECASE)
CITATION_RE = re.compile(
    r"^(?:(?:điểm [a-zđ] )?khoản \d+ )?Điều \d+ .+$"
    r"|^(?:điểm [a-zđ] )?mục [\d.]+ (?:phần [IVX]+ )?.+$"
    r"|^phần [IVX]+ .+$"
)
ARTICLE_HEADING_RE = re.compile(r"^[#\s]*Điều\s+(\d+)\.", re.MULTILINE)


ITEMS = load_jsonl(DATASET)
CORPUS_DOCS = {path.stem for path in CORPUS_SRC.glob("*.txt")}
LAW_FILES = {path.stem: path for path in LAW_DIR.iterdir()} if LAW_DIR.is_dir() else {}


def _ids(item: dict) -> str:
    return item.get("id", "?")


def is_law(doc_id: str) -> bool:
    return doc_id not in CORPUS_DOCS


@cache
def raw_text(doc_id: str) -> str:
    """The document's text, NFC, line structure kept (corpus-src file or extracted law file)."""
    if not is_law(doc_id):
        return unicodedata.normalize("NFC", (CORPUS_SRC / f"{doc_id}.txt").read_text(encoding="utf-8-sig"))
    if doc_id not in LAW_FILES:
        pytest.skip(f"law file for {doc_id!r} not available")
    return law_text(LAW_FILES[doc_id])


@cache
def squashed(doc_id: str) -> str:
    return squash(raw_text(doc_id))


@cache
def articles(doc_id: str) -> tuple[tuple[str, str], ...]:
    """(article number, squashed article text) for every "Điều N." heading at the start of a line."""
    text = raw_text(doc_id)
    heads = list(ARTICLE_HEADING_RE.finditer(text))
    return tuple(
        (head.group(1), squash(text[head.start(): heads[k + 1].start() if k + 1 < len(heads) else len(text)]))
        for k, head in enumerate(heads)
    )


def markers(sentence: str) -> set[int]:
    return {int(m) for m in MARKER_RE.findall(sentence)}


# ---------------------------------------------------------------- Vietnamese number words
_UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _number_words(n: int) -> set[str]:
    """Spellings of 1..100 as they appear in legal text ("mười lăm", "hai mươi mốt", "sáu mươi")."""
    if n < 10:
        return {_UNITS[n]}
    if n == 10:
        return {"mười"}
    if n == 100:
        return {"một trăm"}
    tens, unit = divmod(n, 10)
    head = "mười" if tens == 1 else f"{_UNITS[tens]} mươi"
    if unit == 0:
        return {head}
    tails = {_UNITS[unit]}
    if unit == 5:
        tails = {"lăm", "nhăm"}
    elif unit == 1 and tens > 1:
        tails = {"mốt", "một"}
    elif unit == 4 and tens > 1:
        tails = {"tư", "bốn"}
    return {f"{head} {tail}" for tail in tails}


def numbers_in(text: str) -> set[int]:
    """Numbers written in the text, as digits or as words ("năm" is skipped: it also means "year")."""
    found = {int(d) for d in re.findall(r"\d+", text)}
    low = f" {squash(text).lower()} "
    # Longest spellings first, each match consumed, so "hai mươi mốt" yields 21 and not also 2.
    spellings = sorted(((w, n) for n in range(1, 101) for w in _number_words(n)), key=lambda p: -len(p[0]))
    for word, n in spellings:
        pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
        if re.search(pattern, low):
            low = re.sub(pattern, " # ", low)
            if n != 5:  # "năm" also means "year"; a bare "năm" proves nothing
                found.add(n)
    return found


# ---------------------------------------------------------------- set-level checks
def test_size_ids_and_unique_sentences():
    assert len(ITEMS) >= MIN_ITEMS, len(ITEMS)
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids)), [i for i, c in Counter(ids).items() if c > 1]
    assert all(ID_RE.fullmatch(i) for i in ids), [i for i in ids if not ID_RE.fullmatch(i)]
    assert ids == [f"VH3-{k:03d}" for k in range(1, len(ids) + 1)], "ids are VH3-001 … in order"
    sentences = [squash(item["sentence"]) for item in ITEMS]
    assert len(sentences) == len(set(sentences)), [s for s, c in Counter(sentences).items() if c > 1]


def test_no_sentence_copied_from_the_other_sets():
    other = {squash(row["sentence"]) for path in OTHER_SETS if path.is_file() for row in load_jsonl(path)}
    copied = [item["id"] for item in ITEMS if squash(item["sentence"]) in other]
    assert not copied, copied


def test_label_balance_and_kinds():
    labels = Counter(item["label"] for item in ITEMS)
    share = labels["supported"] / len(ITEMS)
    assert 0.40 <= share <= 0.50, f"supported share {share:.2f}"
    kinds = Counter(item["error"] for item in ITEMS if item["label"] == "unsupported")
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    short = {kind: count for kind, count in kinds.items() if count < MIN_PER_KIND}
    assert not short, short


def test_law_and_corpus_split():
    law_items = [item for item in ITEMS if is_law(item["passages"][0]["doc_id"])]
    assert 0.35 <= len(law_items) / len(ITEMS) <= 0.45, len(law_items)
    corpus_docs = {p["doc_id"] for item in ITEMS for p in item["passages"] if not is_law(p["doc_id"])}
    assert corpus_docs == CORPUS_DOCS, CORPUS_DOCS - corpus_docs
    law_docs = {p["doc_id"] for item in law_items for p in item["passages"]}
    assert len(law_docs) >= 10, sorted(law_docs)
    if LAW_FILES:
        assert law_docs <= set(LAW_FILES), law_docs - set(LAW_FILES)


# ---------------------------------------------------------------- per-item checks
@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_item_shape(item):
    assert set(item) == FIELDS, set(item) ^ FIELDS
    assert item["label"] in {"supported", "unsupported"}
    assert (item["label"] == "supported") == (item["error"] is None)
    assert item["error"] is None or item["error"] in KINDS, item["error"]
    sentence = item["sentence"]
    assert isinstance(sentence, str) and sentence.strip() and "\n" not in sentence
    assert sentence == unicodedata.normalize("NFC", sentence)
    assert isinstance(item["note"], str) and item["note"].strip()
    passages = item["passages"]
    assert 1 <= len(passages) <= 3
    assert [p["n"] for p in passages] == list(range(1, len(passages) + 1))
    for passage in passages:
        assert set(passage) == PASSAGE_FIELDS, set(passage) ^ PASSAGE_FIELDS
        assert passage["text"].strip() and passage["text"] == unicodedata.normalize("NFC", passage["text"])
        assert not any(unicodedata.category(c) == "Cf" for c in passage["text"]), "format character in passage"
        assert CITATION_RE.match(passage["citation"]), passage["citation"]
    kinds = {is_law(p["doc_id"]) for p in passages}
    assert len(kinds) == 1, "an item takes its passages either from the laws or from corpus-src, not both"


@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_citation_names_the_passage(item):
    for passage in item["passages"]:
        doc_id, citation, text = passage["doc_id"], passage["citation"], passage["text"]
        if is_law(doc_id):
            assert citation.endswith(doc_id), f"{citation!r} does not name {doc_id!r}"
            assert len(text) <= MAX_LAW_PASSAGE, f"law passage of {len(text)} characters"
        else:
            # "339-…" -> "339-QĐ/TW", "20-2023-…" -> "20/2023/QH15"
            assert doc_id.split("-")[0] in citation
        # The passage opens with the unit its citation names.
        if m := re.match(r"điểm ([a-zđ]) ", citation):
            assert text.startswith(f"{m.group(1)})"), (citation, text[:20])
        elif m := re.match(r"khoản (\d+) ", citation):
            assert text.startswith(f"{m.group(1)}."), (citation, text[:20])
        elif m := re.match(r"Điều (\d+) ", citation):
            assert text.startswith(f"Điều {m.group(1)}."), (citation, text[:20])
        elif m := re.match(r"mục ([\d.]+) ", citation):
            assert text.startswith(f"{m.group(1)}."), (citation, text[:20])
        elif m := re.match(r"phần ([IVX]+) ", citation):
            assert text.startswith(f"{m.group(1)}-"), (citation, text[:20])


@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_passages_are_verbatim(item):
    for passage in item["passages"]:
        doc_id = passage["doc_id"]
        if is_law(doc_id) and not LAW_FILES:
            pytest.skip(f"{LAW_DIR} not available")
        assert squash(passage["text"]) in squashed(doc_id), (
            f"{item['id']}: passage [{passage['n']}] is not a verbatim cut of {doc_id}"
        )
        # A cited article must hold the passage.
        if m := re.search(r"Điều (\d+) ", passage["citation"]):
            number = m.group(1)
            assert any(
                n == number and squash(passage["text"]) in body for n, body in articles(doc_id)
            ), f"{item['id']}: passage [{passage['n']}] is not inside Điều {number} of {doc_id}"


@pytest.mark.parametrize("item", ITEMS, ids=_ids)
def test_markers(item):
    cited = markers(item["sentence"])
    known = {p["n"] for p in item["passages"]}
    assert cited <= known, f"markers {sorted(cited - known)} refer to no passage"
    error = item["error"]
    if error == "uncited_claim":
        assert not cited, "an uncited claim carries no marker"
    elif error != "verdict":
        assert cited, "the sentence cites at least one passage"
    if error == "wrong_marker":
        assert len(known) >= 2 and cited and cited != known, "the supporting passage must be given and uncited"
    if error == "wrong_article":
        assert UNIT_RE.search(item["sentence"]), "wrong_article names an article, clause, point or item"
    if error == "verdict":
        assert VERDICT_RE.search(item["sentence"]) or re.search(r"\b[A-D]\b", item["sentence"])
    else:
        assert not VERDICT_OPENING_RE.match(item["sentence"]), "only verdict items open with a verdict"


@pytest.mark.parametrize("item", [i for i in ITEMS if i["label"] == "supported"], ids=_ids)
def test_supported_numbers_come_from_cited_passages(item):
    """Every number in a supported sentence is in a cited passage or its citation (as digits or words)."""
    cited = markers(item["sentence"])
    source = " ".join(p["text"] + " " + p["citation"] for p in item["passages"] if p["n"] in cited)
    available = numbers_in(source)
    sentence = MARKER_RE.sub("", item["sentence"])
    missing = [d for d in re.findall(r"\d+", sentence) if int(d) not in available]
    assert not missing, missing


@pytest.mark.parametrize("item", [i for i in ITEMS if i["error"] == "foreign_words"], ids=_ids)
def test_foreign_words_are_foreign(item):
    sentence = item["sentence"]
    if CJK_RE.search(sentence):
        return
    passages = squash(" ".join(p["text"] + " " + p["citation"] for p in item["passages"])).lower()
    ascii_words = [w for w in re.findall(r"\b[A-Za-z]{4,}\b", sentence) if w.lower() not in passages]
    assert ascii_words, "no foreign word found"


# ---------------------------------------------------------------- the documentation
def test_doc_counts_match_data():
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", text, re.MULTILINE)
    law = Counter(item["error"] or "supported" for item in ITEMS if is_law(item["passages"][0]["doc_id"]))
    corpus = Counter(item["error"] or "supported" for item in ITEMS if not is_law(item["passages"][0]["doc_id"]))
    total = law + corpus
    assert {k: int(v) for k, v, _, _ in rows} == dict(total)
    assert {k: int(v) for k, _, v, _ in rows if int(v)} == dict(law)
    assert {k: int(v) for k, _, _, v in rows if int(v)} == dict(corpus)
    stated = re.search(r"(\d+) sentences", text)
    assert stated and int(stated.group(1)) == len(ITEMS)


def test_doc_split_matches_data():
    text = DOC.read_text(encoding="utf-8")
    law_items = sum(is_law(item["passages"][0]["doc_id"]) for item in ITEMS)
    law_passages = {(p["doc_id"], squash(p["text"])) for i in ITEMS for p in i["passages"] if is_law(p["doc_id"])}
    corpus_passages = {(p["doc_id"], squash(p["text"])) for i in ITEMS for p in i["passages"] if not is_law(p["doc_id"])}
    law = re.search(r"(\d+) items on (\d+) distinct law passages", text)
    corpus = re.search(r"(\d+) items on (\d+) distinct corpus passages", text)
    assert law and (int(law.group(1)), int(law.group(2))) == (law_items, len(law_passages))
    assert corpus and (int(corpus.group(1)), int(corpus.group(2))) == (len(ITEMS) - law_items, len(corpus_passages))


def test_doc_examples_exist():
    ids = {item["id"] for item in ITEMS}
    mentioned = set(re.findall(r"VH3-\d{3}", DOC.read_text(encoding="utf-8")))
    assert mentioned <= ids, sorted(mentioned - ids)
