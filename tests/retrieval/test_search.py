from __future__ import annotations

import json
from pathlib import Path

from assistant.retrieval.search import Query, Searcher


def test_hits_carry_citation_fields(indexed) -> None:
    hits = indexed.search("cập nhật thông tin cá nhân trong thời hạn bao nhiêu ngày", k=3)
    top = hits[0]
    assert (top.doc_id, top.article, top.clause) == ("qd-901", "2", "2")
    assert top.citation == "khoản 2 Điều 2 Quy định 901-QĐ/TW"
    assert top.number == "901-QĐ/TW" and top.doc_type == "quy định" and top.page == 1
    assert top.focus_text.startswith("2. Đảng viên cập nhật")
    source = indexed.index.catalog.document_text("qd-901")
    assert source[top.start:top.end] == top.text  # provenance: span points at the quoted text


def test_accent_free_questions_work(indexed) -> None:
    hits = indexed.search("dang vien cai dat so tay hoc tap trong bao nhieu ngay", k=3)
    assert (hits[0].doc_id, hits[0].article, hits[0].clause) == ("qd-901", "2", "1")


def test_naming_a_document_steers_to_it(indexed) -> None:
    # Both 901 and 902 speak of updating personal information; the one named comes first.
    hits = indexed.search("Theo Quy định 902-QĐ/TW, thông tin cá nhân cập nhật khi nào?", k=5)
    assert hits[0].doc_id == "qd-902"
    hits = indexed.search("Theo Quy định 901-QĐ/TW, thông tin cá nhân cập nhật khi nào?", k=5)
    assert hits[0].doc_id == "qd-901"
    hits = indexed.search("nghi quyet 957 giao nhiem vu gi", k=3)
    assert hits[0].doc_id == "nq-957"


def test_steer_filter_searches_only_the_named_document(indexed) -> None:
    strict = indexed.settings.retrieval.model_copy(update={"steer": "filter"})
    hits, plan = Searcher(indexed.index, strict).search(
        Query("Theo Quy định 902-QĐ/TW, thông tin cá nhân cập nhật khi nào?", k=5))
    assert plan.named_docs == ["qd-902"] and {h.doc_id for h in hits} == {"qd-902"}


def test_a_question_naming_the_wrong_document_still_finds_the_right_one(indexed) -> None:
    """ALQAC-style trap: a true/false statement attributed to the wrong text (DS-20 names Luật Tố tụng hành chính
    for a definition of the arbitration law). A hard filter made the right article unreachable."""
    hits = indexed.search("Theo Nghị quyết 957-NQ/TW, đảng viên phải cài đặt sổ tay học tập trong thời hạn 30 ngày "
                          "kể từ ngày được cấp tài khoản, đúng hay sai?", k=5)
    assert ("qd-901", "2", "1") in {(h.doc_id, h.article, h.clause) for h in hits}


def test_named_article_is_looked_up_exactly(indexed) -> None:
    hits = indexed.search("khoản 3 Điều 2 Quy định 901-QĐ/TW nói gì?", k=3)
    assert (hits[0].article, hits[0].clause) == ("2", "3")
    assert hits[0].scores.get("exact") == 1.0
    hits = indexed.search("Điều 3 của Quy định số 901", k=2)
    assert hits[0].article == "3"


def test_filters_by_type_and_date(indexed) -> None:
    searcher = indexed.searcher
    hits, _ = searcher.search(Query("hồ sơ đảng viên", k=10, doc_types=["nghị quyết"]))
    assert hits and {h.doc_id for h in hits} == {"nq-957"}
    hits, _ = searcher.search(Query("hồ sơ đảng viên", k=10, date_from="2025-01-01"))
    assert {h.doc_id for h in hits} == {"qd-901"}


def test_documents_without_articles_are_cited_by_section(indexed) -> None:
    hits = indexed.search("số hóa hồ sơ đảng viên trước năm nào", k=2)
    top = hits[0]
    assert top.doc_id == "nq-957" and top.section == "II" and top.article == "1"
    assert top.citation == "mục 1 Nghị quyết 957-NQ/TW"


def test_nonsense_query_returns_nothing_useful(indexed) -> None:
    assert indexed.search("zzqx wvvv", k=3) == [] or all(h.scores.get("bm25") is None for h in
                                                         indexed.search("zzqx wvvv", k=3))


def test_batch_cli_writes_one_json_line_per_question(indexed, tmp_path: Path, capsys, monkeypatch) -> None:
    from assistant.cli import knowledge
    from assistant.cli.base import Context
    from assistant.cli.main import build_parser

    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "cài đặt sổ tay"}\n\n{"id": "b", "question": "rà soát hồ sơ"}\n',
                     encoding="utf-8")
    args = build_parser().parse_args(["search", "--batch", str(batch), "-k", "2"])
    ctx = Context(settings=indexed.settings, json=True, _services=indexed)
    assert knowledge._search(ctx, args) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    hit = lines[1]["hits"][0]
    for field in ("doc_id", "title", "number", "doc_type", "article", "clause", "point", "heading_path", "page",
                  "score", "text", "citation"):
        assert field in hit
    assert hit["doc_id"] == "qd-902"


def test_langchain_retriever(indexed) -> None:
    from assistant.integrations.langchain import ChiboRetriever

    docs = ChiboRetriever(searcher=indexed.searcher, k=2).invoke("chia sẻ tài khoản cho người khác")
    assert docs[0].metadata["citation"] == "khoản 3 Điều 2 Quy định 901-QĐ/TW"
    assert "chia sẻ tài khoản" in docs[0].page_content
