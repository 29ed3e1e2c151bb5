"""Integrity checks for evals/refusal_dev2.jsonl, the second refusal calibration (training) set.

It mixes answerable questions asked the way members and citizens really ask (heavy paraphrase,
no diacritics, typos, conditions, exceptions) with hard unanswerable near misses.
See evals/refusal_dev2.md for the fields, the counts and how the set was verified.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "refusal_dev2.jsonl"
DOC = REPO / "evals" / "refusal_dev2.md"
REFUSAL = REPO / "evals" / "refusal_questions.jsonl"
STUDY = REPO / "evals" / "study_questions.jsonl"
CORPUS_SRC = REPO / "corpus-src"
ALQAC = Path("/work/shared/eval/alqac")
ALQAC_DOCS = ALQAC / "docs"
ALQAC_DEV = ALQAC / "dev_questions.jsonl"

COMMON = {"id", "question", "corpus", "kind", "answerable", "type"}
OPTIONAL = {"choices", "near"}
CORPORA = {"sample", "alqac"}
REFUSAL_KINDS = {
    "other_law",
    "party_rule_absent",
    "figure_absent",
    "wrong_doc_kind",
    "nonexistent_unit",
    "out_of_domain",
    "near_phrase",
}
TYPES = {"free_text", "true_false", "multiple_choice"}
TRUE_FALSE_MARKERS = ("đúng hay sai", "đúng không", "phải không", "dung hay sai", "dung khong")
ALQAC_LAWS = {
    "Bộ luật dân sự",
    "Hiến pháp",
    "Luật An ninh mạng",
    "Luật Bảo vệ môi trường",
    "Luật Chăn nuôi",
    "Luật Cư trú",
    "Luật Du lịch",
    "Luật Giáo dục",
    "Luật Hôn nhân và gia đình",
    "Luật Phòng, chống ma túy",
    "Luật Thanh niên",
    "Luật Tiếp cận thông tin",
    "Luật Trọng tài thương mại",
    "Luật Trồng trọt",
    "Luật Tố tụng hành chính",
    "Luật Viên chức",
    "Luật Điện ảnh",
}
ARTICLE_HEADING = re.compile(r"^Điều (\d+)\.", re.MULTILINE)
DOC_NUMBER = re.compile(r"^(?:Số|Luật số:)\s*(\S+)\s*$", re.MULTILINE)
ROMAN_HEADING = re.compile(r"^([IVX]+)- ", re.MULTILINE)
TABLE_ROW = re.compile(r"^\|\s*`(\w+)`\s*\|[^|]*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$", re.MULTILINE)
TOTAL_ROW = re.compile(r"^\|\s*\*\*total\*\*\s*\|[^|]*\|\s*\*\*(\d+)\*\*\s*\|\s*\*\*(\d+)\*\*\s*\|\s*\*\*(\d+)\*\*\s*\|",
                       re.MULTILINE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces: for duplicate checks."""
    text = nfc(text).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return read_jsonl(DATASET)


@pytest.fixture(scope="module")
def sample_docs() -> dict[str, tuple[str, str]]:
    """File stem -> (document number as in its header, NFC text)."""
    out = {}
    for path in sorted(CORPUS_SRC.glob("*.txt")):
        text = nfc(path.read_text(encoding="utf-8"))
        match = DOC_NUMBER.search(text)
        assert match, f"no document number in {path.name}"
        out[path.stem] = (match.group(1), text)
    return out


def article_text(text: str, number: str) -> str | None:
    matches = list(ARTICLE_HEADING.finditer(text))
    for i, m in enumerate(matches):
        if m.group(1) == number:
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            return text[m.start():end]
    return None


def section_text(text: str, path: str) -> str | None:
    """Text of an item path such as II.1.1, III, IV.2 or 3 in a document without articles."""
    parts = path.split(".")
    if re.fullmatch(r"[IVX]+", parts[0]):
        heads = list(ROMAN_HEADING.finditer(text))
        for i, m in enumerate(heads):
            if m.group(1) == parts[0]:
                end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
                body, rest = text[m.start():end], parts[1:]
                break
        else:
            return None
    else:
        body, rest = text, parts
    if not rest:
        return body
    number = ".".join(rest)
    m = re.search(rf"^{re.escape(number)}\.\s", body, re.MULTILINE)
    return body[m.start():] if m else None


def test_ids_and_size(items: list[dict]) -> None:
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert all(re.fullmatch(r"RD-\d{3}", i) for i in ids), ids
    assert ids == [f"RD-{n:03d}" for n in range(1, len(ids) + 1)], "ids are RD-001 … in order"
    assert len(items) >= 100


def test_fields_per_label(items: list[dict]) -> None:
    for item in items:
        iid, keys = item["id"], set(item)
        assert keys >= COMMON, (iid, COMMON - keys)
        assert item["corpus"] in CORPORA, iid
        assert item["type"] in TYPES, iid
        assert isinstance(item["question"], str) and item["question"].strip(), iid
        if item["answerable"] is True:
            assert item["kind"] == "answerable", iid
            assert keys <= COMMON | OPTIONAL | {"gold", "answer"}, (iid, keys)
            assert "why" not in item, iid
            assert isinstance(item["answer"], str) and item["answer"].strip(), iid
            assert isinstance(item["gold"], list) and item["gold"], iid
        else:
            assert item["answerable"] is False, iid
            assert item["kind"] in REFUSAL_KINDS, iid
            assert keys <= COMMON | OPTIONAL | {"why"}, (iid, keys)
            assert not {"gold", "answer"} & keys, iid
            assert isinstance(item["why"], str) and item["why"].strip(), iid
            assert len(item["why"]) <= 200, f"{iid}: 'why' is one short sentence"
        if item["type"] == "multiple_choice":
            choices = item.get("choices")
            assert isinstance(choices, dict) and sorted(choices) == ["A", "B", "C", "D"], iid
            assert all(isinstance(v, str) and v.strip() for v in choices.values()), iid
            if item["answerable"]:
                assert item["answer"] in choices, iid
        else:
            assert "choices" not in item, iid
        if item["type"] == "true_false":
            question = nfc(item["question"]).lower()
            assert any(m in question for m in TRUE_FALSE_MARKERS), iid
            if item["answerable"]:
                assert item["answer"] in {"Đúng", "Sai"}, iid


def test_counts_match_the_doc_table(items: list[dict]) -> None:
    text = DOC.read_text(encoding="utf-8")
    table = {kind: (int(s), int(a), int(t)) for kind, s, a, t in TABLE_ROW.findall(text)}
    assert "answerable" in table and "near_phrase" in table, "table rows not found in refusal_dev2.md"
    counts = Counter((item["kind"], item["corpus"]) for item in items)
    kinds = {item["kind"] for item in items}
    assert kinds == set(table), (kinds, set(table))
    for kind, (sample, alqac, total) in table.items():
        assert counts[(kind, "sample")] == sample, (kind, "sample", counts[(kind, "sample")])
        assert counts[(kind, "alqac")] == alqac, (kind, "alqac", counts[(kind, "alqac")])
        assert sample + alqac == total, kind
    total_row = TOTAL_ROW.search(text)
    assert total_row, "no total row"
    per_corpus = Counter(item["corpus"] for item in items)
    assert (per_corpus["sample"], per_corpus["alqac"], len(items)) == tuple(int(n) for n in total_row.groups())


def test_mix(items: list[dict]) -> None:
    answerable = [i for i in items if i["answerable"]]
    assert len(answerable) >= 60 and len(items) - len(answerable) >= 30
    kinds = Counter(i["kind"] for i in items if not i["answerable"])
    assert kinds["near_phrase"] >= 0.4 * sum(kinds.values()), kinds
    assert {i["corpus"] for i in answerable} == CORPORA
    ascii_share = sum(i["question"].isascii() for i in items) / len(items)
    assert 0.10 <= ascii_share <= 0.20, ascii_share
    tf = [i for i in answerable if i["type"] == "true_false"]
    assert {i["answer"] for i in tf} == {"Đúng", "Sai"}, "true and false claims both present"
    assert sum(i["type"] == "multiple_choice" for i in answerable) >= 3
    words = [len(i["question"].split()) for i in answerable]
    assert sum(n <= 8 for n in words) >= 5, "short questions"
    assert sum(n >= 30 for n in words) >= 3, "long questions with context"
    # Mixed order: neither corpus nor label comes in one block.
    labels = [(i["corpus"], i["answerable"]) for i in items]
    runs = sum(1 for a, b in zip(labels, labels[1:], strict=False) if a != b)
    assert runs >= len(items) // 4, runs


def test_sample_gold_exists(items: list[dict], sample_docs: dict[str, tuple[str, str]]) -> None:
    checked = 0
    for item in items:
        if not item["answerable"] or item["corpus"] != "sample":
            continue
        for gold in item["gold"]:
            iid = item["id"]
            assert gold.get("doc_id") in sample_docs, (iid, gold)
            number, text = sample_docs[gold["doc_id"]]
            assert gold["doc"] == number, (iid, gold["doc"], number)
            article, clause, point = gold.get("article"), gold.get("clause"), gold.get("point")
            assert article, (iid, "sample gold names its article or item")
            if ARTICLE_HEADING.search(text):
                body = article_text(text, article)
                assert body, (iid, gold["doc"], "Điều", article)
                if clause:
                    m = re.search(rf"^{clause}\.\s", body, re.MULTILINE)
                    assert m, (iid, gold["doc"], article, "khoản", clause)
                    body = body[m.start():]
            else:
                assert clause is None, (iid, "documents without articles use the item path only")
                body = section_text(text, article)
                assert body, (iid, gold["doc"], "item", article)
            if point:
                assert re.search(rf"^{point}\)\s", body, re.MULTILINE), (iid, gold["doc"], article, point)
            checked += 1
    assert checked >= 30


def test_alqac_gold_names(items: list[dict]) -> None:
    for item in items:
        if item["corpus"] != "alqac":
            continue
        if item["answerable"]:
            for gold in item["gold"]:
                assert gold["doc"] in ALQAC_LAWS, (item["id"], gold["doc"])
                assert "doc_id" not in gold, item["id"]
                assert re.fullmatch(r"\d+", gold["article"] or ""), (item["id"], gold)
                assert gold.get("clause") is None or re.fullmatch(r"\d+", gold["clause"]), (item["id"], gold)
        else:
            assert item.get("near") in ALQAC_LAWS, (item["id"], item.get("near"))


def test_sample_near_names_a_document(items: list[dict], sample_docs: dict[str, tuple[str, str]]) -> None:
    numbers = {number for number, _ in sample_docs.values()}
    for item in items:
        if item["corpus"] == "sample" and not item["answerable"]:
            assert item.get("near") in numbers, (item["id"], item.get("near"))


@cache
def law_text(name: str) -> str | None:
    """Plain text of one ALQAC law, or None when it cannot be read here."""
    for path in ALQAC_DOCS.glob(f"{name}.*"):
        suffix = path.suffix.lower()
        if suffix in {".txt", ".md"}:
            return nfc(path.read_text(encoding="utf-8"))
        if suffix == ".docx":
            docx = pytest.importorskip("docx")
            return nfc("\n".join(p.text for p in docx.Document(str(path)).paragraphs))
        if suffix == ".pdf":
            pypdf = pytest.importorskip("pypdf")
            return nfc("\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages))
    return None


def law_article(text: str, number: str) -> str | None:
    heads = list(re.finditer(r"^[#*\s]*Điều\s+(\d+)\b", text, re.MULTILINE))
    for i, m in enumerate(heads):
        if m.group(1) == number:
            end = len(text)
            for later in heads[i + 1:]:
                if later.group(1) != number:
                    end = later.start()
                    break
            return text[m.start():end]
    return None


@pytest.mark.skipif(not ALQAC_DOCS.is_dir(), reason="ALQAC laws not available here")
def test_alqac_gold_articles_exist(items: list[dict]) -> None:
    checked = 0
    for item in items:
        if item["corpus"] != "alqac" or not item["answerable"]:
            continue
        for gold in item["gold"]:
            text = law_text(gold["doc"])
            assert text, (item["id"], gold["doc"], "law file not found")
            body = law_article(text, gold["article"])
            assert body, (item["id"], gold["doc"], "Điều", gold["article"])
            if gold.get("clause"):
                assert re.search(rf"^\s*{gold['clause']}\.\s", body, re.MULTILINE), (item["id"], gold)
            checked += 1
    assert checked >= 30


def test_no_repeats_of_other_sets(items: list[dict]) -> None:
    questions = [fold(item["question"]) for item in items]
    assert len(set(questions)) == len(questions), "duplicate questions"
    others: dict[str, str] = {}
    for path in (REFUSAL, STUDY, ALQAC_DEV):
        if path.exists():
            for row in read_jsonl(path):
                others[fold(row["question"])] = row.get("id", path.name)
    assert others, "no other set found to compare with"
    for item, q in zip(items, questions, strict=True):
        assert q not in others, (item["id"], others.get(q))
        words = set(q.split())
        for other, oid in others.items():
            owords = set(other.split())
            overlap = len(words & owords) / len(words | owords)
            assert overlap < 0.6, (item["id"], oid, round(overlap, 2))
