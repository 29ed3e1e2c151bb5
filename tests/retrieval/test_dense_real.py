"""Dense retrieval and fusion with the real packaged MiniLM and a real Chroma store."""

from __future__ import annotations

import pytest

from assistant.retrieval.search import Query

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_real_minilm_dense_and_fused_search(settings, real_embedder, tmp_path, no_network) -> None:
    from assistant.services import Services

    from .conftest import REG_901, REG_902

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "qd-901.txt").write_text(REG_901, encoding="utf-8")
    (folder / "qd-902.txt").write_text(REG_902, encoding="utf-8")
    svc = Services(settings, embedder=real_embedder)
    assert svc.ingest([folder]).counts["ingested"] == 2
    assert svc.index.vectors.count() == len(svc.index.catalog.passage_ids()) > 0
    dense_only = svc.settings.retrieval.model_copy(update={"bm25_weight": 0.0, "dense_weight": 1.0})
    from assistant.retrieval.search import Searcher

    hits, _ = Searcher(svc.index, dense_only).search(Query("chia sẻ tài khoản cho người khác", k=3))
    assert hits and all(h.scores.get("dense") is not None for h in hits)
    hybrid = svc.settings.retrieval.model_copy(update={"dense_weight": 0.3})
    fused, _ = Searcher(svc.index, hybrid).search(Query("Đảng viên cài đặt sổ tay học tập trong bao nhiêu ngày?", k=3))
    assert fused[0].citation == "khoản 1 Điều 2 Quy định 901-QĐ/TW"
    assert "bm25" in fused[0].scores and "dense" in fused[0].scores
    # Default: keywords rank; vectors only fill places keywords leave empty.
    default = svc.search("smartphone password sharing", k=3)
    assert default and all("dense" in h.scores and "bm25" not in h.scores for h in default)
