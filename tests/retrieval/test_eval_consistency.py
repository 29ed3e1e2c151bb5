"""One measure: `chibo eval --suite retrieval` scores exactly what `chibo search --batch` returns."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation.dataset import load_dataset
from assistant.evaluation.gold import unit_of_hit
from assistant.evaluation.retrieval import DEPTH, item_query, our_system, run_retrieval

RECORD = {"id": "mc-1", "question": "Theo Quy định 901-QĐ/TW, thời hạn nào sau đây là đúng?",
          "type": "multiple_choice", "choices": {"A": "cài đặt sổ tay học tập trong 30 ngày",
                                                 "B": "rà soát hồ sơ đảng viên mỗi năm một lần"},
          "answer": "A", "gold": [{"doc": "901-QĐ/TW", "article": "2", "clause": "1"}]}


def _batch_citations(indexed, tmp_path: Path, capsys) -> list[str]:
    from assistant.cli import knowledge
    from assistant.cli.base import Context
    from assistant.cli.main import build_parser

    batch = tmp_path / "q.jsonl"
    batch.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    args = build_parser().parse_args(["search", "--batch", str(batch), "-k", str(DEPTH)])
    assert knowledge._search(Context(settings=indexed.settings, json=True, _services=indexed), args) == 0
    hits = json.loads(capsys.readouterr().out.splitlines()[0])["hits"]
    return [h["citation"] for h in hits]


def test_eval_searches_what_search_batch_searches(indexed, tmp_path: Path, capsys) -> None:
    dataset = tmp_path / "d.jsonl"
    dataset.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    item = load_dataset(dataset)[0]
    assert item_query(item) == ("Theo Quy định 901-QĐ/TW, thời hạn nào sau đây là đúng?\n"
                                "A. cài đặt sổ tay học tập trong 30 ngày\nB. rà soát hồ sơ đảng viên mỗi năm một lần")
    system = our_system(indexed)
    evaluated = [u.citation for u in system.search(item_query(item))]
    assert evaluated == _batch_citations(indexed, tmp_path, capsys) and len(evaluated) > 3
    suite = run_retrieval([item], [system])
    assert suite.metrics["systems"]["ours"]["Acc@1"] == 1.0
    assert suite.metrics["question_only"]["n"] == 1 and "rank_question_only" in suite.items["mc-1"]["ours"]
    assert any("question alone" in note for note in suite.notes)


def test_units_of_hits_are_the_citations_shown(indexed) -> None:
    hits = indexed.search("khoản 3 Điều 2 Quy định 901-QĐ/TW", k=3)
    unit = unit_of_hit(hits[0], True)
    assert unit.key == ("qd-901", "2")


def test_cached_evaluation_index_follows_the_pipeline_version(tmp_path: Path, monkeypatch) -> None:
    import assistant.ingest.pipeline as pipeline
    from assistant.evaluation.runner import index_key

    doc = tmp_path / "a.txt"
    doc.write_text("Điều 1. Phạm vi\nÁp dụng cho chi bộ.", encoding="utf-8")
    before = index_key([doc], "fake:fake-hash-64")
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", pipeline.PIPELINE_VERSION + "-next")
    assert index_key([doc], "fake:fake-hash-64") != before
