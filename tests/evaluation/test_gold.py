"""Gold matching: documents by id, number or title; articles; item paths of documents without articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import ValidationFailed
from assistant.evaluation.dataset import GoldRef, load_dataset, parse_item
from assistant.evaluation.gold import GoldMatcher, distinct_units, doc_key, make_unit, path_key


def unit(doc_id: str, article: str, section: str = "", has_articles: bool = True, names: tuple[str, ...] = ()):
    return make_unit(doc_id, article, section=section, has_articles=has_articles, names=names)


QD = ("339-QĐ/TW", "Quy định về sử dụng ứng dụng Sổ tay đảng viên điện tử")


def test_doc_matches_id_number_or_title_ignoring_accents_and_case() -> None:
    m = GoldMatcher()
    hit = unit("339-qd-tw-so-tay", "5", names=QD)
    assert m.matches(GoldRef("339-QĐ/TW", article="5"), hit)
    assert m.matches(GoldRef("339-qd/tw", article="5"), hit)
    assert m.matches(GoldRef("", doc_id="339-qd-tw-so-tay", article="5"), hit)
    assert m.matches(GoldRef("quy dinh ve su dung ung dung so tay dang vien dien tu", article="5"), hit)
    assert not m.matches(GoldRef("338-QĐ/TW", article="5"), hit)


def test_law_named_by_file_stem() -> None:
    hit = unit("Luật Du lịch", "12", names=("", "LUẬT DU LỊCH"))
    assert GoldMatcher().matches(GoldRef("Luật Du Lịch", article="12"), hit)
    assert not GoldMatcher().matches(GoldRef("Luật Du lịch", article="1"), hit)


def test_article_level_ignores_clause_and_reads_dieu_prefix() -> None:
    m = GoldMatcher()
    assert m.matches(GoldRef("339-QĐ/TW", article="8", clause="3", point="a"), unit("x", "8", names=QD))
    assert m.matches(GoldRef("339-QĐ/TW", article="Điều 8"), unit("x", "8", names=QD))
    assert not m.matches(GoldRef("339-QĐ/TW", article="8"), unit("x", "18", names=QD))
    assert path_key("II.1.1.2.") == "ii.1.1.2" and doc_key(" 339 - QĐ / TW ") == "339-qd/tw"


def test_gold_without_article_matches_any_passage_of_the_document() -> None:
    assert GoldMatcher().matches(GoldRef("57-NQ/TW"), unit("57", "", names=("57-NQ/TW",)))


SECTIONED = {"hd": {"", "i", "ii.1", "ii.1.1", "ii.1.2", "ii.2", "iii"}}


@pytest.mark.parametrize(("gold", "section", "article", "expected"), [
    ("II.1.1", "II", "1.1", True),  # same item
    ("II.1", "II", "1.2", True),  # the passage lies inside the gold item
    ("III", "III", "", True),  # whole section
    ("II.1.1.2", "II", "1.1", True),  # II.1.1 was kept whole (nothing indexed below it)
    ("II.1.2", "II", "1", False),  # II.1 was split: its own passage is only a lead-in
    ("II.2.3", "II", "", False),  # section II was split too
    ("III.2", "III", "", True),  # section III kept whole: it holds item 2
    ("II.1", "I", "1", False),  # another section
    ("II.1", "", "1", False),
])
def test_section_paths(gold: str, section: str, article: str, expected: bool) -> None:
    m = GoldMatcher(SECTIONED)
    hit = unit("hd", article, section=section, has_articles=False, names=("42-HD/BTCTW",))
    assert m.matches(GoldRef("42-HD/BTCTW", article=gold), hit) is expected


def test_enclosing_item_never_matches_without_index_paths() -> None:
    hit = unit("hd", "1.1", section="II", has_articles=False, names=("42-HD/BTCTW",))
    assert not GoldMatcher().matches(GoldRef("42-HD/BTCTW", article="II.1.1.2"), hit)
    assert GoldMatcher().matches(GoldRef("42-HD/BTCTW", article="II.1"), hit)


def test_path_without_roman_sections() -> None:
    m = GoldMatcher({"ct": {"1", "2", "3"}})
    assert m.matches(GoldRef("50-CT/TW", article="3"), unit("ct", "3", has_articles=False, names=("50-CT/TW",)))
    assert not m.matches(GoldRef("50-CT/TW", article="3"), unit("ct", "13", has_articles=False,
                                                               names=("50-CT/TW",)))


def test_rank_credits_each_gold_once() -> None:
    """One passage spanning two gold items must not count twice (nDCG would pass 1)."""
    m = GoldMatcher({"hd": {"ii"}})
    units = [unit("hd", "", section="II", has_articles=False, names=("HD",)),
             unit("hd", "", section="II", has_articles=False, names=("HD",)),
             unit("other", "1"),
             unit("hd", "", section="I", has_articles=False, names=("HD",))]
    gold = [GoldRef("HD", article="II.1"), GoldRef("HD", article="II.2"), GoldRef("HD", article="II.1", clause="2")]
    found = m.rank(units, gold)
    assert (found.first, found.ranks, found.gold_count) == (1, [1], 2)
    assert len(distinct_units(units)) == 3


def test_dataset_accepts_alqac_shape(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    rows = [{"id": "A-1", "question": "…?", "type": "open", "gold": [{"doc": "Luật Du lịch", "article": "5"}]},
            {"id": "A-2", "question": "…, đúng hay sai?", "type": "true_false", "answer": "sai",
             "gold": [{"doc": "Luật Du lịch", "article": "6"}]}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    items = load_dataset(tmp_path)  # a folder with one .jsonl
    assert [i.type for i in items] == ["free_text", "true_false"]
    assert items[1].answer == "Sai" and items[0].answerable


def test_dataset_problems_are_listed() -> None:
    problems: list[str] = []
    assert parse_item({"id": "X", "question": "q", "type": "multiple_choice", "answer": "E",
                       "choices": {"A": "a"}, "gold": [{"article": "1"}]}, "f:1", problems) is None
    assert any("gold[0]" in p for p in problems) and any("'E'" in p for p in problems)


def test_dataset_rejects_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "1", "question": "a"}\n{"id": "1", "question": "b"}\n', encoding="utf-8")
    with pytest.raises(ValidationFailed, match="không hợp lệ"):
        load_dataset(path)


def test_prompt_lists_choices() -> None:
    item = parse_item({"id": "1", "question": "Chọn?", "type": "multiple_choice", "answer": "b",
                       "choices": {"B": "hai", "A": "một"}, "gold": [{"doc": "X"}]}, "f", [])
    assert item is not None and item.answer == "B"
    assert item.prompt == "Chọn?\nA. một\nB. hai"
