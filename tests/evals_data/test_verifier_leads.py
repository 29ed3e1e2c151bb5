"""The writer's own sentences, labelled by hand (evals/verifier_leads.md): the files are what the verifier's
measure on real output rests on, so their shape is checked like the written sets'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EVALS = Path(__file__).resolve().parents[2] / "evals"
KINDS = {"changed_number", "changed_duration", "changed_date", "flipped_negation", "changed_modality", "wrong_article",
         "uncited_claim", "invented_body", "invented_document", "verdict", "wrong_marker", "invented_fact",
         "foreign_words", "echo", "garbled", "fragment", "heading"}


def _items(name: str) -> list[dict]:
    path = EVALS / name
    if not path.exists():
        pytest.skip(f"{name} is not there yet")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["verifier_leads.jsonl", "verifier_leads_heldout.jsonl",
                                  "verifier_leads_heldout2.jsonl", "verifier_leads_heldout3.jsonl",
                                  "verifier_leads_heldout4.jsonl", "verifier_leads_heldout5.jsonl"])
def test_records_are_labelled_sentences_with_the_passage_the_writer_saw(name: str) -> None:
    items = _items(name)
    assert len(items) >= 50
    assert len({i["id"] for i in items}) == len(items)
    assert len({(i["sentence"].strip(), i["passages"][0]["text"]) for i in items}) == len(items)
    for item in items:
        assert item["label"] in ("supported", "unsupported"), item["id"]
        assert (item["error"] is None) == (item["label"] == "supported"), item["id"]
        assert item["error"] is None or item["error"] in KINDS, item["id"]
        assert len(item["passages"]) == 1 and item["passages"][0]["text"].strip(), item["id"]
        assert item["sentence"].strip() and item["question"].strip(), item["id"]
    assert {i["label"] for i in items} == {"supported", "unsupported"}


def _question_ids(name: str) -> set[str]:
    return {json.loads(line)["id"] for line in (EVALS / name).read_text(encoding="utf-8").splitlines() if line.strip()}


def test_the_held_out_questions_are_not_calibration_questions() -> None:
    first, second, third, fourth, fifth = (_question_ids(f"lead_questions{n}.jsonl") for n in ("", "2", "3", "4", "5"))
    assert (len(first), len(second), len(third), len(fourth), len(fifth)) == (70, 80, 80, 80, 80)
    assert not first & second and not (first | second) & third and not (first | second | third) & fourth
    assert not (first | second | third | fourth) & fifth
    assert {i["question_id"] for i in _items("verifier_leads_heldout.jsonl")} <= first
    assert {i["question_id"] for i in _items("verifier_leads_heldout2.jsonl")} <= second
    assert {i["question_id"] for i in _items("verifier_leads_heldout3.jsonl")} <= third
    assert {i["question_id"] for i in _items("verifier_leads_heldout4.jsonl")} <= fourth
    assert {i["question_id"] for i in _items("verifier_leads_heldout5.jsonl")} <= fifth
    assert not {i["question_id"] for i in _items("verifier_leads.jsonl")} & (first | second | third | fourth | fifth)
