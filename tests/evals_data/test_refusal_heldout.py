"""Shape checks for evals/refusal_heldout.jsonl, the held-out refusal and answer set (issue 14).

The set mixes questions the documents do not answer (``answerable: false``, with a ``why``) and
questions they do answer (``answerable: true``, with ``gold`` and ``answer``), over the sample corpus
(``corpus/``, sources in ``corpus-src/``) and over the 17 ALQAC laws. It is only for reporting: nothing
may be tuned on it. See evals/refusal_heldout.md.

These tests check the data, not the assistant: JSON validity, ids, the fields each label needs, the
counts per kind and corpus against the table in the .md, that every gold reference points at a real
document (and, for the sample corpus, at a real article, clause or numbered section), that the
nonexistent articles really do not exist, and that no question repeats one of the tuning sets.

Standard library and pytest only. The ALQAC texts are not needed: the law names and their last article
numbers are listed here (names and numbers only). The checks that look at /work/shared/eval/alqac are
skipped when that folder is absent (as in CI).
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "evals" / "refusal_heldout.jsonl"
DOC = REPO / "evals" / "refusal_heldout.md"
REFUSAL = REPO / "evals" / "refusal_questions.jsonl"
STUDY = REPO / "evals" / "study_questions.jsonl"
CORPUS = REPO / "corpus"
CORPUS_SRC = REPO / "corpus-src"
ALQAC = Path("/work/shared/eval/alqac")

COMMON = {"id", "question", "corpus", "kind", "answerable", "type", "near"}
UNANSWERABLE_FIELDS = COMMON | {"why"}
ANSWERABLE_FIELDS = COMMON | {"gold", "answer"}
OPTIONAL = {"choices", "note"}
CORPORA = {"sample", "alqac"}
REFUSAL_KINDS = {
    "near_phrase",
    "figure_absent",
    "party_rule_absent",
    "other_law",
    "wrong_doc_kind",
    "out_of_domain",
    "nonexistent_unit",
    "study_unanswerable",
}
KINDS = REFUSAL_KINDS | {"answerable"}
TYPES = {"free_text", "true_false", "multiple_choice"}
GOLD_KEYS = {"doc", "article", "clause"}
GOLD_OPTIONAL = {"doc_id", "section", "point"}
# The 17 laws of the external check, by file stem, with the number of their last article.
# Names and numbers only; the texts stay outside the project.
ALQAC_LAST_ARTICLE = {
    "Bộ luật dân sự": 689,
    "Hiến pháp": 120,
    "Luật An ninh mạng": 43,
    "Luật Bảo vệ môi trường": 171,
    "Luật Chăn nuôi": 83,
    "Luật Cư trú": 38,
    "Luật Du lịch": 78,
    "Luật Giáo dục": 115,
    "Luật Hôn nhân và gia đình": 133,
    "Luật Phòng, chống ma túy": 55,
    "Luật Thanh niên": 41,
    "Luật Tiếp cận thông tin": 37,
    "Luật Trọng tài thương mại": 82,
    "Luật Trồng trọt": 85,
    "Luật Tố tụng hành chính": 372,
    "Luật Viên chức": 62,
    "Luật Điện ảnh": 50,
}
ID_RE = re.compile(r"RH-\d{3}")
ARTICLE_IN_QUESTION = re.compile(r"\b(?:điều|dieu)\s+(\d+)\b")
ARTICLE_HEADING = re.compile(r"^Điều (\d+)\.", re.MULTILINE)
DOC_NUMBER = re.compile(r"^(?:Số|Luật số:)\s*(\S+)\s*$", re.MULTILINE)
ROMAN_HEADING = re.compile(r"^([IVX]+)- ", re.MULTILINE)
KIND_ROW = re.compile(r"^\|\s*`(\w+)`\s*\|.*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$", re.MULTILINE)
MIN_ASCII_SHARE = 0.10
MAX_RUN = 12


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def norm_question(text: str) -> str:
    return " ".join(nfc(text).lower().split())


def fold_question(text: str) -> str:
    """Lower case, no diacritics, no punctuation: catches an accent-free copy of a question."""
    text = unicodedata.normalize("NFD", nfc(text).lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(re.findall(r"\w+", text))


def load_jsonl(path: Path) -> list[dict]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported by the failure
            pytest.fail(f"{path.name} line {lineno}: invalid JSON ({exc})")
    return items


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_jsonl(DATASET)


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    """corpus-src file stem -> NFC text."""
    return {path.stem: nfc(path.read_text(encoding="utf-8")) for path in sorted(CORPUS_SRC.glob("*.txt"))}


@pytest.fixture(scope="module")
def doc_numbers(sources: dict[str, str]) -> dict[str, str]:
    """corpus-src file stem -> document number as in its header (339-QĐ/TW, 20/2023/QH15)."""
    out = {}
    for stem, text in sources.items():
        match = DOC_NUMBER.search(text)
        assert match, f"no document number in {stem}"
        out[stem] = match.group(1)
    return out


def article_text(text: str, number: str) -> str | None:
    """The text of `Điều <number>.` up to the next article or chapter heading."""
    match = re.search(rf"^Điều {re.escape(number)}\.", text, re.MULTILINE)
    if not match:
        return None
    end = re.search(r"^(?:Điều \d+\.|Chương [IVX]+\s*$)", text[match.end():], re.MULTILINE)
    return text[match.start(): match.end() + end.start()] if end else text[match.start():]


def item_span(text: str, label: str) -> str | None:
    """The text of a numbered item (`3.1.`), a clause (`2.`) or a point (`c)`) up to the next sibling."""
    match = re.search(rf"^{re.escape(label)} ", text, re.MULTILINE)
    if not match:
        return None
    rest = text[match.end():]
    if label.endswith(")"):
        stop = re.search(r"^(?:[a-zđ]\) |\d+(?:\.\d+)*\. |[IVX]+- )", rest, re.MULTILINE)
    else:
        stop = re.search(r"^(?:\d+(?:\.\d+)*\. |[IVX]+- )", rest, re.MULTILINE)
    return text[match.start(): match.end() + stop.start()] if stop else text[match.start():]


def section_text(text: str, path: str) -> str | None:
    """Resolve a path such as `II.1.1.2`, `III.1`, `V` (Roman section first) or `3` (no sections)."""
    parts = path.split(".")
    if re.fullmatch(r"[IVX]+", parts[0]):
        heads = list(ROMAN_HEADING.finditer(text))
        for i, head in enumerate(heads):
            if head.group(1) == parts[0]:
                end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
                scope = text[head.start(): end]
                break
        else:
            return None
        rest = parts[1:]
    else:
        scope, rest = text, parts
    if not rest:
        return scope
    return item_span(scope, ".".join(rest) + ".")


def test_ids_unique(items: list[dict]) -> None:
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    assert all(ID_RE.fullmatch(i) for i in ids), ids


def test_fields_per_label(items: list[dict]) -> None:
    for item in items:
        keys = set(item)
        required = ANSWERABLE_FIELDS if item.get("answerable") is True else UNANSWERABLE_FIELDS
        assert isinstance(item.get("answerable"), bool), item["id"]
        assert keys >= required, (item["id"], required - keys)
        assert keys <= required | OPTIONAL, (item["id"], keys - required - OPTIONAL)
        assert item["corpus"] in CORPORA, item["id"]
        assert item["kind"] in KINDS, item["id"]
        assert item["type"] in TYPES, item["id"]
        assert (item["kind"] == "answerable") == item["answerable"], item["id"]
        for field in ("question", "near"):
            assert isinstance(item[field], str) and item[field].strip(), (item["id"], field)
        if item["answerable"]:
            assert isinstance(item["answer"], str) and item["answer"].strip(), item["id"]
            assert isinstance(item["gold"], list) and item["gold"], item["id"]
        else:
            assert isinstance(item["why"], str) and item["why"].strip(), item["id"]
            assert len(item["why"]) <= 220, f"{item['id']}: 'why' is one short sentence"
        if "note" in item:
            assert isinstance(item["note"], str) and item["note"].strip(), item["id"]


def test_types_choices_and_answers(items: list[dict]) -> None:
    for item in items:
        question = nfc(item["question"]).lower()
        if item["type"] == "multiple_choice":
            choices = item.get("choices")
            assert isinstance(choices, dict) and sorted(choices) == ["A", "B", "C", "D"], item["id"]
            assert all(isinstance(v, str) and v.strip() for v in choices.values()), item["id"]
            assert len(set(choices.values())) == 4, f"{item['id']}: duplicate choices"
            if item["answerable"]:
                assert item["answer"] in choices, item["id"]
        else:
            assert "choices" not in item, item["id"]
        if item["type"] == "true_false":
            assert "đúng hay sai" in question or "dung hay sai" in question, item["id"]
            if item["answerable"]:
                assert item["answer"] in {"Đúng", "Sai"}, item["id"]


def test_counts_match_the_table(items: list[dict]) -> None:
    rows = {kind: (int(s), int(a), int(t)) for kind, s, a, t in KIND_ROW.findall(DOC.read_text(encoding="utf-8"))}
    assert set(rows) == KINDS, set(rows) ^ KINDS
    counts = Counter((item["kind"], item["corpus"]) for item in items)
    for kind, (sample, alqac, total) in rows.items():
        assert counts[(kind, "sample")] == sample, (kind, "sample", counts[(kind, "sample")], sample)
        assert counts[(kind, "alqac")] == alqac, (kind, "alqac", counts[(kind, "alqac")], alqac)
        assert sample + alqac == total, kind
    assert sum(total for _, _, total in rows.values()) == len(items)
    # the shape the set was asked to have
    labels = Counter(item["answerable"] for item in items)
    assert labels[False] >= 55 and labels[True] >= 45, labels
    kinds = Counter(item["kind"] for item in items)
    assert kinds["near_phrase"] == max(kinds[k] for k in REFUSAL_KINDS), "near_phrase is the largest kind"
    for corpus in CORPORA:
        per = Counter(item["answerable"] for item in items if item["corpus"] == corpus)
        assert per[False] >= 25 and per[True] >= 20, (corpus, per)


def test_style_mix(items: list[dict]) -> None:
    types = Counter(item["type"] for item in items)
    assert types["true_false"] >= 8 and types["multiple_choice"] >= 5, types
    tf_answers = Counter(item["answer"] for item in items if item["answerable"] and item["type"] == "true_false")
    assert tf_answers["Đúng"] >= 2 and tf_answers["Sai"] >= 2, tf_answers
    ascii_share = sum(item["question"].isascii() for item in items) / len(items)
    assert ascii_share >= MIN_ASCII_SHARE, ascii_share
    for corpus in CORPORA:
        assert any(i["question"].isascii() for i in items if i["corpus"] == corpus), corpus


def test_order_is_mixed(items: list[dict]) -> None:
    labels = [item["answerable"] for item in items]
    longest = max(len(list(run)) for _, run in itertools.groupby(labels))
    assert longest <= MAX_RUN, f"{longest} questions in a row share a label"
    half = len(items) // 2
    assert 0 < sum(labels[:half]) < half, "first half is not mixed"


def test_near_names_a_known_document(items: list[dict], doc_numbers: dict[str, str]) -> None:
    known_sample = set(doc_numbers.values())
    for item in items:
        if item["kind"] == "out_of_domain":
            assert item["near"] == "none", item["id"]
        elif item["near"] == "none":
            assert item["kind"] == "study_unanswerable", item["id"]
        elif item["corpus"] == "sample":
            assert item["near"] in known_sample, (item["id"], item["near"])
        else:
            assert item["near"] in ALQAC_LAST_ARTICLE, (item["id"], item["near"])


def test_sample_gold_points_at_real_text(items: list[dict], sources: dict[str, str],
                                         doc_numbers: dict[str, str]) -> None:
    stems = {path.stem for path in CORPUS.iterdir() if path.is_file() and path.name != "README.md"}
    for item in items:
        if not item["answerable"] or item["corpus"] != "sample":
            continue
        for gold in item["gold"]:
            keys = set(gold)
            assert keys >= GOLD_KEYS | {"doc_id"}, (item["id"], keys)
            assert keys <= GOLD_KEYS | GOLD_OPTIONAL, (item["id"], keys)
            stem = gold["doc_id"]
            assert stem in stems, (item["id"], stem)
            assert gold["doc"] == doc_numbers[stem], (item["id"], gold["doc"], doc_numbers[stem])
            text = sources[stem]
            has_articles = bool(ARTICLE_HEADING.search(text))
            if gold["article"] is not None:
                assert has_articles, (item["id"], stem, "has no articles; use section")
                scope = article_text(text, gold["article"])
                assert scope, (item["id"], stem, "Điều", gold["article"])
                if gold["clause"] is not None:
                    scope = item_span(scope, f"{gold['clause']}.")
                    assert scope, (item["id"], stem, gold["article"], "khoản", gold["clause"])
            else:
                assert gold["clause"] is None, item["id"]
                assert not has_articles, (item["id"], stem, "has articles; give one")
                assert gold.get("section"), (item["id"], "section needed when article is null")
                scope = section_text(text, gold["section"])
                assert scope, (item["id"], stem, "section", gold["section"])
            if gold.get("point"):
                assert item_span(scope, f"{gold['point']})"), (item["id"], stem, "điểm", gold["point"])


def test_alqac_gold_names_a_law(items: list[dict]) -> None:
    for item in items:
        if not item["answerable"] or item["corpus"] != "alqac":
            continue
        for gold in item["gold"]:
            keys = set(gold)
            assert keys >= GOLD_KEYS and keys <= GOLD_KEYS | GOLD_OPTIONAL, (item["id"], keys)
            assert "doc_id" not in gold and "section" not in gold, item["id"]
            assert gold["doc"] in ALQAC_LAST_ARTICLE, (item["id"], gold["doc"])
            assert gold["article"] and gold["article"].isdigit(), item["id"]
            assert 1 <= int(gold["article"]) <= ALQAC_LAST_ARTICLE[gold["doc"]], (item["id"], gold)
            assert gold["clause"] is None or gold["clause"].isdigit(), item["id"]


def test_alqac_law_files_exist(items: list[dict]) -> None:
    docs = ALQAC / "docs"
    if not docs.is_dir():
        pytest.skip("ALQAC documents not available here")
    stems = {nfc(path.stem) for path in docs.iterdir() if path.is_file()}
    assert stems == set(ALQAC_LAST_ARTICLE), stems ^ set(ALQAC_LAST_ARTICLE)
    used = {g["doc"] for i in items if i["answerable"] and i["corpus"] == "alqac" for g in i["gold"]}
    used |= {i["near"] for i in items if i["corpus"] == "alqac" and i["near"] != "none"}
    assert used <= stems, used - stems


def test_nonexistent_articles_do_not_exist(items: list[dict], sources: dict[str, str],
                                           doc_numbers: dict[str, str]) -> None:
    stem_of = {number: stem for stem, number in doc_numbers.items()}
    checked = Counter()
    for item in items:
        if item["kind"] != "nonexistent_unit":
            continue
        numbers = {int(n) for n in ARTICLE_IN_QUESTION.findall(nfc(item["question"]).lower())}
        assert numbers, f"{item['id']}: a nonexistent_unit question names an article"
        if item["corpus"] == "sample":
            existing = {int(n) for n in ARTICLE_HEADING.findall(sources[stem_of[item["near"]]])}
            assert existing, (item["id"], item["near"], "has no articles to compare with")
            assert not numbers & existing, (item["id"], sorted(numbers & existing))
        else:
            assert min(numbers) > ALQAC_LAST_ARTICLE[item["near"]], (item["id"], numbers)
        checked[item["corpus"]] += 1
    assert checked["sample"] >= 2 and checked["alqac"] >= 2, checked


def test_questions_unique_and_new(items: list[dict]) -> None:
    exact = [norm_question(item["question"]) for item in items]
    folded = [fold_question(item["question"]) for item in items]
    assert len(set(exact)) == len(exact), "duplicate questions"
    assert len(set(folded)) == len(folded), "duplicate questions (ignoring accents and punctuation)"
    for path in (REFUSAL, STUDY):
        if not path.exists():
            continue
        theirs = load_jsonl(path)
        assert not {norm_question(q["question"]) for q in theirs} & set(exact), f"repeats {path.name}"
        assert not {fold_question(q["question"]) for q in theirs} & set(folded), f"repeats {path.name}"


def test_no_alqac_question_is_copied() -> None:
    dev = ALQAC / "dev_questions.jsonl"
    if not dev.exists():
        pytest.skip("ALQAC questions not available here")
    theirs = {fold_question(q["question"]) for q in load_jsonl(dev)}
    ours = {fold_question(item["question"]) for item in load_jsonl(DATASET)}
    assert not theirs & ours, "a question is copied from the ALQAC data"
