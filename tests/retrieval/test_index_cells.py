"""Per-cell collections on one machine (fake embedder): a cell searches its own and the shared documents only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.embeddings.fake import FakeEmbedder
from assistant.errors import ConfigError

DOCS = {
    "": ("chung.txt", "HƯỚNG DẪN\n\nĐiều 1. Sinh hoạt\nChi bộ sinh hoạt định kỳ mỗi tháng một lần.\n"),
    "ap-1": ("ap-1.txt", "NGHỊ QUYẾT\n\nĐiều 1. Nuôi tôm\nChi bộ ấp 1 phát triển vùng nuôi tôm càng xanh.\n"),
    "ap-2": ("ap-2.txt", "NGHỊ QUYẾT\n\nĐiều 1. Trồng dừa\nChi bộ ấp 2 mở rộng diện tích trồng dừa sáp.\n"),
}


def test_cells_share_the_shared_collection_and_never_see_each_other(settings: Any, tmp_path: Path) -> None:
    from assistant.services import Services

    folder = tmp_path / "docs"
    folder.mkdir()
    workers = {}
    for cell, (name, text) in DOCS.items():
        cfg = settings.model_copy(deep=True)
        cfg.cell.id = cell
        workers[cell] = Services(cfg, embedder=FakeEmbedder())
        (folder / name).write_text(text, encoding="utf-8")
        report = workers[cell].ingest([folder / name])
        assert report.results[0].collection == ("shared" if not cell else f"cell-{cell}")
    assert (settings.index_dir / "cells" / "ap-1" / "catalog.sqlite3").is_file()
    one = workers["ap-1"]
    assert {m.doc_id for m in one.documents()} == {"ap-1", "chung"}
    assert all(h.doc_id != "ap-2" for h in one.search("trồng dừa sáp", k=5))
    assert workers["ap-2"].search("trồng dừa sáp", k=1)[0].doc_id == "ap-2"
    assert one.search("nuôi tôm càng xanh", k=1)[0].doc_id == "ap-1"
    assert one.search("sinh hoạt định kỳ mỗi tháng", k=1)[0].doc_id == "chung"
    dense = one.search_index.dense_search(FakeEmbedder().embed_query("trồng dừa sáp"), 10)
    chunks = one.search_index.chunk_map()
    assert dense and {chunks[cid].doc_id for cid, _ in dense} <= {"ap-1", "chung"}
    assert one.vector_status()["pending"] == 0
    assert {m.doc_id for m in workers[""].documents()} == {"chung"}
    for services in workers.values():
        services.index.close()


@pytest.mark.parametrize("bad", ["Ap 1", "ấp-1", "-x", "a" * 41])
def test_cell_id_must_be_a_plain_name(settings: Any, bad: str) -> None:
    from assistant.settings import load_settings

    with pytest.raises(ConfigError):
        load_settings(overrides={"data_dir": str(settings.data_dir), "cell": {"id": bad}}, environ={})
