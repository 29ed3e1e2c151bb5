"""The refusal decision: rules first, then the calibrated model over cheap search features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.retrieval.search import Query
from assistant.study.relevance import (
    FEATURES,
    MODEL_FILE,
    SIGNS,
    RefusalModel,
    answer_probability,
    answers_question,
    load_refusal_model,
    missing_article,
    relevance_features,
    rule_decision,
)


def _search(indexed, question: str, k: int = 5):
    return indexed.searcher.search(Query(question, k=k))


def test_a_missing_article_or_clause_is_named(indexed) -> None:
    _, plan = _search(indexed, "Điều 20 Quy định 901-QĐ/TW quy định gì?")
    assert missing_article(indexed.index, plan) == "Quy định 901-QĐ/TW (bản đã nạp) không có Điều 20."
    _, plan = _search(indexed, "Khoản 5 Điều 2 Quy định 901-QĐ/TW quy định gì?")
    assert missing_article(indexed.index, plan) == "Điều 2 Quy định 901-QĐ/TW (bản đã nạp) không có khoản 5."
    _, plan = _search(indexed, "Khoản 3 Điều 2 Quy định 901-QĐ/TW quy định gì?")
    assert missing_article(indexed.index, plan) == ""


def test_rules_decide_before_the_model(indexed) -> None:
    hits, plan = _search(indexed, "Khoản 3 Điều 2 Quy định 901-QĐ/TW quy định gì?")
    assert rule_decision("Khoản 3 Điều 2 Quy định 901-QĐ/TW quy định gì?", hits, plan) is True
    hits, plan = _search(indexed, "zzqx wvvv")
    assert rule_decision("zzqx wvvv", hits, plan) is False  # no word the index knows
    hits, plan = _search(indexed, "là gì?")
    assert rule_decision("là gì?", hits, plan) is False  # no content word
    assert rule_decision("x", [], plan) is False


def test_features_separate_an_answer_from_a_near_miss(indexed) -> None:
    answered = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"
    near = "Mức phụ cấp hằng tháng cho đảng viên quản trị sổ tay học tập là bao nhiêu tiền lương?"
    good = relevance_features(answered, *_search(indexed, answered))
    bad = relevance_features(near, *_search(indexed, near))
    assert set(good) == set(FEATURES)
    assert good["sentence_coverage"] > bad["sentence_coverage"] and good["idf_coverage"] > bad["idf_coverage"]
    assert good["missing_rare"] < bad["missing_rare"]
    assert bad["number_gap"] == 1.0 or bad["sentence_coverage"] < 0.7  # "bao nhiêu tiền": no such figure
    model = load_refusal_model()
    assert model.probability(good) > model.probability(bad)
    assert answers_question(answered, *_search(indexed, answered), indexed.settings.retrieval)
    assert not answers_question(near, *_search(indexed, near), indexed.settings.retrieval)


def test_threshold_setting_overrides_the_calibrated_one(indexed) -> None:
    question = "Đảng viên phải cài đặt sổ tay học tập trong thời hạn bao nhiêu ngày?"
    hits, plan = _search(indexed, question)
    probability = answer_probability(question, hits, plan)
    assert 0.0 < probability < 1.0
    strict = indexed.settings.retrieval.model_copy(update={"refusal_threshold": min(1.0, probability + 0.01)})
    assert not answers_question(question, hits, plan, strict)
    lenient = indexed.settings.retrieval.model_copy(update={"refusal_threshold": probability})
    assert answers_question(question, hits, plan, lenient)


def test_stored_model_is_calibrated_and_keeps_its_signs() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and 0.0 < data["threshold"] < 1.0
    for name, weight in data["weights"].items():
        assert weight * SIGNS[name] >= 0, name  # e.g. more coverage never argues for refusing
    model = RefusalModel.from_dict(data)
    assert model.to_dict() == data


def test_model_round_trip_and_probability(tmp_path: Path) -> None:
    model = RefusalModel({"coverage": 2.0}, bias=-1.0, mean={"coverage": 0.5}, scale={"coverage": 0.25},
                         threshold=0.3)
    assert model.probability({"coverage": 0.5}) == pytest.approx(1 / (1 + 2.718281828 ** 1.0), rel=1e-6)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    again = load_refusal_model(path)
    assert again.threshold == 0.3 and again.probability({"coverage": 1.0}) == model.probability({"coverage": 1.0})
