"""The checks every written verifier set gets (evals/verifier_heldout5.jsonl onwards), run over each of them.

Each set is a generated-style Vietnamese sentence per item (what a small writing model might answer, citing passages
as [1], [2]) with the passages it may cite: verbatim cuts of corpus-src/*.txt and of the laws in
/work/shared/eval/alqac/docs (the law checks run only when that folder exists), written apart from the verifier and
the other sets. The table says how the shared checks read each set and what its own spec is: size and id prefix,
label, kind and source balance, the laws it must not reuse, the sets it must not repeat. What only set 9 has (the
writer's own kinds) is checked in test_verifier_heldout9.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

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


# The shapes small models really produce, and that are hardest to catch, carry more weight (sets 7 on).
HEAVY = ("invented_fact", "invented_body", "changed_modality", "changed_number", "changed_duration")


@dataclass(frozen=True)
class Balance:
    """A set's own spec: how many items, which labels, kinds and sources, in what proportions."""

    size: int
    prefix: str
    supported: tuple[int, int]
    unsupported: int  # at least
    per_kind: int  # at least, for each of the verifier's kinds
    laws: tuple[int, int]  # items whose first passage is a law
    heavy: tuple[tuple[str, ...], int, int] | None = None  # (kinds, at least, at most) each
    laws_last: bool = False  # Party-document items first, then law items
    two_passages: int = 0  # items citing two or more passages, at least
    other_laws: frozenset[str] | None = None  # laws of the previous set, none reused (and six laws at least)
    follows: frozenset[str] = frozenset()  # sets that must be there to check it repeats none of them


@dataclass(frozen=True)
class WrittenSet:
    """How the shared checks read one set, and its own spec."""

    name: str
    balance: Balance
    citation: re.Pattern[str] = LOOSE_CITATION
    units: bool = False  # the cited unit of each cut is checked (sets 7 on; 5 and 6 cite more loosely)
    kinds: frozenset[str] = VERIFIER_KINDS
    law: IsLaw = is_law
    short_cuts: frozenset[tuple[str, str]] = frozenset()  # cuts documented as starting inside their unit
    unique: bool = False  # each cut occurs once in its source
    wrong_article: bool = True  # a wrong_article sentence names a unit (set 5's were not checked for it)
    new_passages: bool = False  # no passage equals one of an earlier written set (sets 8 on)

    @property
    def path(self) -> Path:
        """The set's JSONL file."""
        return REPO / "evals" / f"{self.name}.jsonl"

    @cached_property
    def items(self) -> list[dict]:
        """The set's records (read once for all the checks)."""
        return load_jsonl(self.path)


SETS = [
    WrittenSet("verifier_heldout5", Balance(120, "VH5", (45, 60), 60, 3, (45, 75)), wrong_article=False),
    WrittenSet("verifier_heldout6", Balance(
        150, "VH6", (55, 70), 80, 5, (55, 85), heavy=(("wrong_article", *HEAVY), 8, 10), two_passages=15)),
    WrittenSet("verifier_heldout7", Balance(
        160, "VH7", (60, 70), 90, 5, (70, 90), heavy=(HEAVY, 10, 12), laws_last=True, two_passages=18,
        other_laws=frozenset({"Luật Cư trú", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy", "Luật Thanh niên",
                              "Luật Trọng tài thương mại", "Luật Điện ảnh", "Luật Viên chức"}),
        follows=frozenset({"verifier_sentences", "verifier_heldout6"})),
        citation_pattern(), units=True,
        short_cuts=frozenset({("12-bc-cb-bao-cao-thang-11", "mục 3 phần I Báo cáo 12-BC/CB")})),
    # each short cut starts at the second paragraph of a clause or point longer than 600 characters as a whole
    WrittenSet("verifier_heldout8", Balance(
        160, "VH8", (60, 70), 90, 5, (88, 100), heavy=(HEAVY, 10, 12), laws_last=True, two_passages=18,
        other_laws=frozenset({"Luật An ninh mạng", "Luật Bảo vệ môi trường", "Luật Chăn nuôi", "Luật Du lịch",
                              "Luật Giáo dục", "Luật Tiếp cận thông tin", "Luật Trồng trọt", "Luật Tố tụng hành chính"}),
        follows=frozenset({"verifier_sentences", "verifier_heldout6", "verifier_heldout7"})),
        citation_pattern(), units=True, new_passages=True,
        short_cuts=frozenset({("Luật Cư trú", "khoản 2 Điều 31 Luật Cư trú"),
                              ("Luật Điện ảnh", "điểm b khoản 4 Điều 27 Luật Điện ảnh")})),
    WrittenSet("verifier_heldout9", Balance(
        160, "VH9", (58, 70), 90, 5, (88, 100), heavy=(HEAVY, 10, 12), laws_last=True, two_passages=18,
        other_laws=frozenset({"Luật Cư trú", "Luật Thanh niên", "Luật Hôn nhân và gia đình", "Luật Phòng, chống ma túy",
                              "Luật Trọng tài thương mại", "Luật Viên chức", "Luật Điện ảnh"}),
        follows=frozenset({"verifier_sentences", "verifier_heldout7", "verifier_heldout8"})),
        citation_pattern(r"Bộ luật [^\d]+", r"Hiến pháp"), units=True, unique=True,
        kinds=VERIFIER_KINDS | {"echo", "garbled", "fragment", "heading"}, law=is_law_or_code, new_passages=True),
]


def _each(sets: list[WrittenSet]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("written", sets, ids=[s.name for s in sets])


BY_NAME = _each(SETS)


@BY_NAME
def test_size_and_ids(written: WrittenSet) -> None:
    spec = written.balance
    assert [item["id"] for item in written.items] == [f"{spec.prefix}-{n:03d}" for n in range(1, spec.size + 1)]


@BY_NAME
def test_label_kind_and_source_balance(written: WrittenSet) -> None:
    spec, items = written.balance, written.items
    labels = Counter(item["label"] for item in items)
    low, high = spec.supported
    assert low <= labels["supported"] <= high and labels["unsupported"] >= spec.unsupported, labels
    kinds = Counter(item["error"] for item in items if item["error"])
    assert set(kinds) == written.kinds, set(kinds) ^ written.kinds
    assert min(kinds[kind] for kind in VERIFIER_KINDS) >= spec.per_kind, kinds
    if spec.heavy:
        heavy, least, most = spec.heavy
        for kind in heavy:
            assert least <= kinds[kind] <= most, (kind, kinds[kind])
    law = [written.law(item["passages"][0]) for item in items]
    assert spec.laws[0] <= sum(law) <= spec.laws[1], sum(law)
    if spec.laws_last:
        assert law == sorted(law), "Party-document items come first, then law items"
    two = sum(len(item["passages"]) >= 2 for item in items)
    assert two >= spec.two_passages, two
    if spec.other_laws is not None:
        laws = {p["doc_id"] for item in items for p in item["passages"] if written.law(p)}
        assert len(laws) >= 6 and not laws & spec.other_laws, laws


@_each([s for s in SETS if s.balance.follows])
def test_the_sets_it_must_not_repeat_are_there(written: WrittenSet) -> None:
    names = {path.stem for path in other_sets(written.path, written_only=written.new_passages)}
    assert written.balance.follows <= names, names


@BY_NAME
def test_records_are_well_formed(written: WrittenSet) -> None:
    bad = shape_problems(written.items, written.kinds)
    assert not bad, bad


@BY_NAME
def test_counts_table_matches_data(written: WrittenSet) -> None:
    table, expected = counts_table(written.items, written.path.with_suffix(".md"))
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
    shared = shared_sentences(written.items, other_sets(written.path, written_only=written.new_passages))
    assert not shared, shared


@_each([s for s in SETS if s.new_passages])
def test_no_passage_copied_from_other_sets(written: WrittenSet) -> None:
    """Every passage is a new cut: none equals a passage of another written set (only their texts are read)."""
    reused = reused_passages(written.items, other_sets(written.path, written_only=True))
    assert not reused, reused
