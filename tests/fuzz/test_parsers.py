"""Parsers under random Vietnamese text, broken numbering, huge lines and control characters: no crash."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.strategies import short_text, vietnamese_text


@given(vietnamese_text)
def test_structure_parser_never_crashes_and_spans_stay_inside(text: str) -> None:
    from assistant.ingest.structure import parse_structure

    units = parse_structure(text)
    for unit in units:
        assert 0 <= unit.start <= unit.end <= len(text), unit
        assert unit.kind and isinstance(unit.label, str)


@given(vietnamese_text)
def test_notes_extractor_never_crashes_and_lines_point_into_the_notes(text: str) -> None:
    from assistant.drafting.notes.extract import extract_record

    result = extract_record(text, source="fuzz.txt")
    data = result.record.to_data()
    assert isinstance(data, dict)
    count = len(result.lines)
    for item in [*result.record.tasks, *result.record.votes, *result.record.conclusions]:
        line = getattr(item, "line", None)
        assert line is None or 1 <= line <= count, (item, count)


@given(short_text)
def test_citation_and_query_parsers_never_crash(text: str) -> None:
    from assistant.retrieval.query import parse_question
    from assistant.text.references import parse_citation, parse_query_refs

    titles = ["Luật Viên chức", "Bộ luật Dân sự"]
    assert isinstance(parse_citation(text, titles), list)
    assert isinstance(parse_query_refs(text, titles), list)
    parsed = parse_question(text)
    assert isinstance(parsed.search_text, str)
