"""Service-level behaviour not owned by one stage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import NotFound

from .conftest import CORPUS


def test_page_image_of_a_cited_pdf_page(services, tmp_path: Path) -> None:
    pdf = tmp_path / "339.pdf"
    shutil.copy(CORPUS / "339-qd-tw-so-tay-dang-vien.pdf", pdf)
    services.ingest([pdf])
    png = services.page_image("339", 2)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    with pytest.raises(NotFound):
        services.page_image("khong-co", 1)


def test_corpus_staleness_drives_the_main_job(services, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "27-tb-du-so-tay-dang-vien.md", corpus / "27.md")
    (corpus / "README.md").write_text("not a document", encoding="utf-8")
    services.settings.corpus_dir = corpus
    assert services.corpus_is_stale()
    report = services.prepare_corpus()
    assert report is not None and report.counts["ingested"] == 1
    assert not services.corpus_is_stale() and services.prepare_corpus() is None
    (corpus / "27.md").unlink()
    assert services.corpus_is_stale()
    services.prepare_corpus()
    assert services.documents() == []


def test_outdated_pipeline_version_makes_the_corpus_stale(services, tmp_path: Path, monkeypatch) -> None:
    """`ui --prepare` re-indexes documents stamped by an older pipeline (issue 11)."""
    from assistant.ingest import pipeline

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "27-tb-du-so-tay-dang-vien.md", corpus / "27.md")
    services.settings.corpus_dir = corpus
    services.prepare_corpus()
    assert not services.corpus_is_stale()
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", pipeline.PIPELINE_VERSION + "-next")
    assert services.corpus_is_stale()
    report = services.prepare_corpus()
    assert report is not None and [r.status for r in report.results] == ["reindexed"]
    assert not services.corpus_is_stale()
