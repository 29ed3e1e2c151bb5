"""Shape checks for evals/refusal_questions.jsonl, the refusal calibration set.

Every item is a question the documents do not answer (a near miss in the same domain).
See evals/refusal_questions.md for what each field means and how the set may be used.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "refusal_questions.jsonl"
STUDY = REPO / "evals" / "study_questions.jsonl"
CORPUS_SRC = REPO / "corpus-src"

REQUIRED = {"id", "question", "corpus", "kind", "near", "why", "answerable", "type"}
OPTIONAL = {"choices"}
CORPORA = {"sample", "alqac"}
KINDS = {
    "other_law",
    "party_rule_absent",
    "figure_absent",
    "wrong_doc_kind",
    "nonexistent_unit",
    "out_of_domain",
    "near_phrase",
}
TYPES = {"free_text", "true_false", "multiple_choice"}
# The 17 laws of the external check, by file stem (names only; the texts stay outside the project).
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
ARTICLE_IN_QUESTION = re.compile(r"\b(?:điều|dieu)\s+(\d+)\b")
ARTICLE_HEADING = re.compile(r"^Điều (\d+)\.", re.MULTILINE)
DOC_NUMBER = re.compile(r"^(?:Số|Luật số:)\s*(\S+)\s*$", re.MULTILINE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def norm_question(text: str) -> str:
    return " ".join(nfc(text).lower().split())


@pytest.fixture(scope="module")
def items() -> list[dict]:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def sample_articles() -> dict[str, set[int]]:
    """Document number (as in the header) -> article numbers of that sample document."""
    out: dict[str, set[int]] = {}
    for path in sorted(CORPUS_SRC.glob("*.txt")):
        text = nfc(path.read_text(encoding="utf-8"))
        match = DOC_NUMBER.search(text)
        assert match, f"no document number in {path.name}"
        out[match.group(1)] = {int(n) for n in ARTICLE_HEADING.findall(text)}
    return out


def test_size_and_ids(items: list[dict]) -> None:
    assert len(items) >= 80
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert all(re.fullmatch(r"RQ-\d{3}", i) for i in ids)


def test_fields(items: list[dict]) -> None:
    for item in items:
        keys = set(item)
        assert keys >= REQUIRED, (item["id"], REQUIRED - keys)
        assert keys <= REQUIRED | OPTIONAL, (item["id"], keys - REQUIRED - OPTIONAL)
        assert item["answerable"] is False, item["id"]
        assert item["corpus"] in CORPORA, item["id"]
        assert item["kind"] in KINDS, item["id"]
        assert item["type"] in TYPES, item["id"]
        for field in ("question", "near", "why"):
            assert isinstance(item[field], str) and item[field].strip(), (item["id"], field)
        assert len(item["why"]) <= 200, f"{item['id']}: 'why' is one short sentence"
        if item["type"] == "multiple_choice":
            choices = item.get("choices")
            assert isinstance(choices, dict) and sorted(choices) == ["A", "B", "C", "D"], item["id"]
            assert all(isinstance(v, str) and v.strip() for v in choices.values()), item["id"]
        else:
            assert "choices" not in item, item["id"]
        if item["type"] == "true_false":
            assert "đúng hay sai" in nfc(item["question"]).lower(), item["id"]


def test_corpora_and_kinds(items: list[dict]) -> None:
    per_corpus = Counter(item["corpus"] for item in items)
    assert per_corpus["sample"] >= 40 and per_corpus["alqac"] >= 40, per_corpus
    kinds = Counter(item["kind"] for item in items)
    assert set(kinds) == KINDS, KINDS - set(kinds)
    for corpus in CORPORA:
        assert {i["kind"] for i in items if i["corpus"] == corpus} == KINDS, corpus
    assert kinds["near_phrase"] >= 20
    assert kinds["out_of_domain"] <= 0.10 * len(items)


def test_questions_unique_and_new(items: list[dict]) -> None:
    questions = [norm_question(item["question"]) for item in items]
    assert len(set(questions)) == len(questions), "duplicate questions"
    if STUDY.exists():
        study = {norm_question(json.loads(line)["question"])
                 for line in STUDY.read_text(encoding="utf-8").splitlines() if line.strip()}
        assert not study & set(questions), "repeats a question of study_questions.jsonl"


def test_style_mix(items: list[dict]) -> None:
    types = Counter(item["type"] for item in items)
    assert types["true_false"] >= 5 and types["multiple_choice"] >= 5, types
    assert sum(item["question"].isascii() for item in items) >= 8, "too few accent-free questions"


def test_near_names_a_known_document(items: list[dict], sample_articles: dict[str, set[int]]) -> None:
    for item in items:
        if item["kind"] == "out_of_domain":
            assert item["near"] == "none", item["id"]
        elif item["corpus"] == "sample":
            assert item["near"] in sample_articles, (item["id"], item["near"])
        else:
            assert item["near"] in ALQAC_LAWS, (item["id"], item["near"])


def test_nonexistent_articles_do_not_exist(items: list[dict], sample_articles: dict[str, set[int]]) -> None:
    checked = 0
    for item in items:
        if item["kind"] != "nonexistent_unit":
            continue
        numbers = {int(n) for n in ARTICLE_IN_QUESTION.findall(nfc(item["question"]).lower())}
        assert numbers, f"{item['id']}: a nonexistent_unit question names an article"
        if item["corpus"] != "sample":
            continue
        existing = sample_articles[item["near"]]
        assert existing, f"{item['id']}: {item['near']} has no articles to compare with"
        assert not numbers & existing, (item["id"], sorted(numbers & existing))
        checked += 1
    assert checked >= 5
