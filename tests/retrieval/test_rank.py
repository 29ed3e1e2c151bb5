"""Unit ranking: chunks pooled per article, features, the stored weights."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.records import Chunk, DocumentMeta
from assistant.retrieval.rank import (
    DEFAULT_MODEL,
    FEATURES,
    WEIGHTS_FILE,
    RankModel,
    UnitRanker,
    load_model,
    ordered_chunks,
    unit_title,
)


def _chunk(cid: str, doc: str, article: str, text: str, ordinal: int, heading: list[str] | None = None) -> Chunk:
    return Chunk(cid, doc, text, 0, len(text), article=article, ordinal=ordinal, heading_path=heading or [])


CHUNKS = {c.chunk_id: c for c in (
    _chunk("a0", "luat-a", "", "QUỐC HỘI\nLUẬT DU LỊCH", 0),
    _chunk("a5-1", "luat-a", "5", "1. Hợp đồng lữ hành phải được lập thành văn bản.", 1,
           ["Điều 5. Hợp đồng lữ hành"]),
    _chunk("a5-2", "luat-a", "5", "2. Hợp đồng lữ hành gồm các nội dung chủ yếu sau đây.", 2,
           ["Điều 5. Hợp đồng lữ hành"]),
    _chunk("a6", "luat-a", "6", "Điều 6. Thẻ hướng dẫn viên\nThẻ có thời hạn 05 năm.", 3),
    _chunk("b1", "luat-b", "1", "Điều 1. Phạm vi\nLuật này quy định về hợp đồng dân sự.", 1),
)}
METAS = {"luat-a": DocumentMeta("luat-a", title="Luật Du lịch", articles=2),
         "luat-b": DocumentMeta("luat-b", title="Bộ luật Dân sự", articles=1)}


def _ranker(model: RankModel = DEFAULT_MODEL) -> UnitRanker:
    return UnitRanker(CHUNKS, METAS, lambda term: 1.0, model)


def test_chunks_of_one_article_are_one_unit() -> None:
    units = _ranker().rank("hợp đồng lữ hành lập thành văn bản", [("a5-1", 10.0), ("b1", 8.0), ("a5-2", 6.0)])
    assert [u.key for u in units] == [("luat-a", "", "5"), ("luat-b", "", "1")]
    first = units[0].features
    assert first["bm25"] == 1.0 and first["bm25_second"] == 0.6 and first["first_rank"] == 1.0
    assert first["title"] == 1.0  # every title word ("hợp đồng lữ hành") is in the question
    assert first["doc_title"] == 0.0  # "du lịch" is not in the question
    assert [cid for cid, _ in ordered_chunks(units, CHUNKS)] == ["a5-1", "a5-2", "b1"]


def test_features_read_names_options_and_the_header_block() -> None:
    model = RankModel({"bm25": 1.0, "named": 5.0})
    units = _ranker(model).rank("thời hạn thẻ", [("b1", 10.0), ("a0", 9.0)], [[("a6", 3.0)], [("a6", 1.0)]],
                                named_docs=["luat-a"], numbered_docs=[])
    by_key = {u.key: u for u in units}
    option_unit = by_key[("luat-a", "", "6")]
    assert option_unit.features["option_best"] == 1.0 and option_unit.features["option_mean"] == 1.0
    assert option_unit.features["bm25"] == 0.0 and option_unit.features["named"] == 1.0
    assert by_key[("luat-a", "", "")].features["preamble"] == 1.0
    assert units[0].key[0] == "luat-a"  # the named document outweighs a better keyword score
    assert "a6" in [cid for cid, _ in ordered_chunks(units, CHUNKS)]  # found by an option alone, still shown


def test_dense_weight_adds_vector_similarity() -> None:
    units = _ranker().rank("x", [], dense=[("b1", 0.9), ("a6", 0.45)], weights=(0.0, 1.0))
    assert [u.key for u in units[:2]] == [("luat-b", "", "1"), ("luat-a", "", "6")]
    assert units[0].score == 1.0 and units[1].score == 0.5


def test_unit_title_from_heading_path_or_first_line() -> None:
    assert unit_title([CHUNKS["a5-2"], CHUNKS["a5-1"]]) == "Hợp đồng lữ hành"
    assert unit_title([CHUNKS["a6"]]) == "Thẻ hướng dẫn viên"


def test_stored_weights_cover_the_features(tmp_path: Path) -> None:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and set(data["weights"]) == set(FEATURES)
    assert load_model().weights["bm25"] > 0
    assert load_model(tmp_path / "absent.json") is DEFAULT_MODEL
    custom = tmp_path / "w.json"
    custom.write_text(json.dumps(RankModel({"bm25": 2.0}).to_dict()), encoding="utf-8")
    assert load_model(custom).score({"bm25": 1.0, "title": 1.0}) == 2.0
