"""The checks every written verifier set gets (evals/verifier_heldout5.jsonl onwards), run over each of them.

Each set's own module (test_verifier_heldoutN.py) checks what is only its own: its size and id prefix, its label,
kind and source balance, which laws it may use; this table says how the shared checks read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.evals_data.sources import LAW_DIR, REPO, VERIFIER_KINDS, load_jsonl
from tests.evals_data.written_sets import (
    IsLaw,
    citation_pattern,
    corpus_unit_problems,
    counts_table,
    foreign_and_verdict_problems,
    is_law,
    is_law_or_code,
    law_problems,
    marker_problems,
    other_sets,
    passage_problems,
    reused_passages,
    shape_problems,
    shared_sentences,
    unsourced_numbers,
    wrong_article_problems,
)

# Sets 5 and 6 were checked with a looser citation form, without the unit of a cut.
LOOSE_CITATION = re.compile(r"^(?:điểm [a-zđ] )?(?:khoản \d+ )?(?:Điều \d+ |mục [\d.]+ )?(?:phần [IVX]+ )?\S.+$")


@dataclass(frozen=True)
class WrittenSet:
    """How the shared checks read one set."""

    name: str
    citation: re.Pattern[str] = LOOSE_CITATION
    units: bool = False  # the cited unit of each cut is checked (sets 7 on; 5 and 6 cite more loosely)
    kinds: frozenset[str] = VERIFIER_KINDS
    law: IsLaw = is_law
    short_cuts: frozenset[tuple[str, str]] = frozenset()  # cuts documented as starting inside their unit
    unique: bool = False  # each cut occurs once in its source
    wrong_article: bool = True  # a wrong_article sentence names a unit (set 5's were not checked for it)
    new_passages: bool = False  # no passage equals one of an earlier written set (sets 8 on)

    @property
    def items(self) -> list[dict]:
        """The set's records."""
        return load_jsonl(REPO / "evals" / f"{self.name}.jsonl")


SETS = [
    WrittenSet("verifier_heldout5", wrong_article=False),
    WrittenSet("verifier_heldout6"),
    WrittenSet("verifier_heldout7", citation_pattern(), units=True,
               short_cuts=frozenset({("12-bc-cb-bao-cao-thang-11", "mục 3 phần I Báo cáo 12-BC/CB")})),
    # each short cut starts at the second paragraph of a clause or point longer than 600 characters as a whole
    WrittenSet("verifier_heldout8", citation_pattern(), units=True, new_passages=True,
               short_cuts=frozenset({("Luật Cư trú", "khoản 2 Điều 31 Luật Cư trú"),
                                     ("Luật Điện ảnh", "điểm b khoản 4 Điều 27 Luật Điện ảnh")})),
    WrittenSet("verifier_heldout9", citation_pattern(r"Bộ luật [^\d]+", r"Hiến pháp"), units=True, unique=True,
               kinds=VERIFIER_KINDS | {"echo", "garbled", "fragment", "heading"}, law=is_law_or_code,
               new_passages=True),
]


def _each(sets: list[WrittenSet]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("written", sets, ids=[s.name for s in sets])


BY_NAME = _each(SETS)


@BY_NAME
def test_records_are_well_formed(written: WrittenSet) -> None:
    bad = shape_problems(written.items, written.kinds)
    assert not bad, bad


@BY_NAME
def test_counts_table_matches_data(written: WrittenSet) -> None:
    table, expected = counts_table(written.items, REPO / "evals" / f"{written.name}.md")
    assert table == expected


@BY_NAME
def test_passages_shape_and_corpus_verbatim(written: WrittenSet) -> None:
    bad = passage_problems(written.items, written.citation, written.law)
    assert not bad, bad


@_each([s for s in SETS if s.units])
def test_corpus_units_match_citations(written: WrittenSet) -> None:
    bad = corpus_unit_problems(written.items, written.citation, written.law, short_cuts=written.short_cuts,
                               unique=written.unique)
    assert not bad, bad


@BY_NAME
def test_law_passages_verbatim_and_units(written: WrittenSet) -> None:
    if not LAW_DIR.is_dir():
        pytest.skip(f"{LAW_DIR} not available")
    bad = law_problems(written.items, written.law, written.citation if written.units else None,
                       short_cuts=written.short_cuts, unique=written.unique)
    assert not bad, bad


@BY_NAME
def test_markers(written: WrittenSet) -> None:
    bad = marker_problems(written.items)
    assert not bad, bad


@BY_NAME
def test_supported_numbers_come_from_cited_passages(written: WrittenSet) -> None:
    bad = unsourced_numbers(written.items)
    assert not bad, bad


@_each([s for s in SETS if s.wrong_article])
def test_wrong_article_names_another_unit(written: WrittenSet) -> None:
    bad = wrong_article_problems(written.items)
    assert not bad, bad


@BY_NAME
def test_foreign_words_and_verdicts(written: WrittenSet) -> None:
    bad = foreign_and_verdict_problems(written.items)
    assert not bad, bad


@BY_NAME
def test_no_sentence_shared_with_other_sets(written: WrittenSet) -> None:
    dataset = REPO / "evals" / f"{written.name}.jsonl"
    shared = shared_sentences(written.items, other_sets(dataset, written_only=written.new_passages))
    assert not shared, shared


@_each([s for s in SETS if s.new_passages])
def test_no_passage_copied_from_other_sets(written: WrittenSet) -> None:
    """Every passage is a new cut: none equals a passage of another written set (only their texts are read)."""
    reused = reused_passages(written.items, other_sets(REPO / "evals" / f"{written.name}.jsonl", written_only=True))
    assert not reused, reused
