"""Ingest pipeline with the fake embedder: idempotence, replacement, bad input, crash safety."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.ingest.consistency import assert_consistent

SAMPLE = textwrap.dedent("""\
    [TÀI LIỆU MẪU – do nhóm phát triển Trợ lý Chi bộ soạn để thử nghiệm, không phải văn bản chính thức]
    BAN CHẤP HÀNH TRUNG ƯƠNG                         ĐẢNG CỘNG SẢN VIỆT NAM
    *
    Số 901-QĐ/TW                                     Hà Nội, ngày 05 tháng 3 năm 2026

    QUY ĐỊNH
    về thử nghiệm sổ tay học tập

    Chương I
    QUY ĐỊNH CHUNG

    Điều 1. Phạm vi điều chỉnh
    Quy định này áp dụng cho các chi bộ trực thuộc đảng bộ xã.

    Điều 2. Trách nhiệm của đảng viên
    1. Đảng viên phải đọc tài liệu trước kỳ sinh hoạt ít nhất 01 ngày.
    2. Đảng viên cập nhật thông tin cá nhân trong thời hạn 15 ngày kể từ khi có thay đổi.
    a) Thông tin về nơi cư trú;
    b) Thông tin về công tác.
    """)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def test_ingest_is_idempotent_and_replaces_changed_files(services, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    path = write(docs, "qd-901.txt", SAMPLE)
    report = services.ingest([docs])
    assert report.counts["ingested"] == 1, report.to_dict()
    meta = services.index.catalog.document("qd-901")
    assert meta.number == "901-QĐ/TW" and meta.articles == 2
    first_ids = services.index.catalog.chunk_ids()

    again = services.ingest([docs])
    assert again.counts == {"ingested": 0, "unchanged": 1, "skipped": 0, "failed": 0, "removed": 0}

    path.write_text(SAMPLE.replace("15 ngày", "30 ngày"), encoding="utf-8")
    changed = services.ingest([docs])
    assert changed.results[0].status == "replaced"
    new_ids = services.index.catalog.chunk_ids()
    assert new_ids.isdisjoint(first_ids)
    # Old vectors are gone, new ones present: the store matches the catalog.
    assert_consistent(services.index, expected_docs=1)
    hits = services.search("cập nhật thông tin cá nhân trong bao nhiêu ngày")
    assert "30 ngày" in hits[0].text


def test_duplicate_content_is_ingested_once(services, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", SAMPLE)
    write(tmp_path, "b.txt", SAMPLE)
    report = services.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    statuses = [r.status for r in report.results]
    assert statuses == ["ingested", "duplicate"]
    assert "a" in report.results[1].reason


def test_bad_files_are_reported_and_batch_continues(services, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", SAMPLE)
    empty = write(tmp_path, "empty.txt", "")
    weird = write(tmp_path, "data.xyz", "abc")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    secret = write(tmp_path, "mat.txt", "MẬT\n" + SAMPLE.replace("901-QĐ/TW", "902-QĐ/TW"))
    missing = tmp_path / "gone.pdf"
    report = services.ingest([good, empty, weird, broken, secret, missing])
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["good.txt"].status == "ingested"
    for name in ("empty.txt", "data.xyz", "broken.docx", "gone.pdf"):
        assert by_name[name].status == "failed" and by_name[name].reason, name
    assert by_name["mat.txt"].status == "skipped" and "MẬT" in by_name["mat.txt"].reason
    assert [m.doc_id for m in services.documents()] == ["good"]


def test_secret_document_goes_only_to_restricted_collection_when_allowed(settings, tmp_path: Path) -> None:
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.services import Services

    settings.store.allow_restricted = True
    svc = Services(settings, embedder=FakeEmbedder())
    secret = write(tmp_path, "mat.txt", "MẬT\n" + SAMPLE)
    report = svc.ingest([secret], restricted=True)
    assert report.results[0].status == "ingested" and report.results[0].collection == "restricted"
    assert svc.documents() == []
    assert [m.doc_id for m in svc.restricted_index.catalog.documents()] == ["mat"]


def test_restricted_ingest_refused_unless_enabled(services, tmp_path: Path) -> None:
    from assistant.errors import ConfidentialDocument

    with pytest.raises(ConfidentialDocument):
        services.ingest([write(tmp_path, "mat.txt", "MẬT\n" + SAMPLE)], restricted=True)


def test_sync_drops_removed_files_and_docs_remove(services, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    a = write(docs, "a.txt", SAMPLE)
    write(docs, "b.txt", SAMPLE.replace("901", "903").replace("sổ tay", "sổ ghi"))
    services.ingest([docs], sync=True)
    assert len(services.documents()) == 2
    a.unlink()
    report = services.ingest([docs], sync=True)
    assert report.counts["removed"] == 1
    assert [m.doc_id for m in services.documents()] == ["b"]
    assert services.remove_document("b") is True
    assert services.remove_document("b") is False
    assert services.index.vectors.count() == 0
    assert_consistent(services.index, expected_docs=0)


def test_superseded_documents_are_marked(services, tmp_path: Path) -> None:
    old = SAMPLE.replace("901-QĐ/TW", "124-QĐ/TW")
    new = SAMPLE.replace("901-QĐ/TW", "366-QĐ/TW").replace(
        "Điều 1. Phạm vi điều chỉnh", "Điều 1. Hiệu lực\nQuy định này thay thế Quy định số 124-QĐ/TW.\n\nĐiều 9. Phạm vi")
    write(tmp_path, "old.txt", old)
    write(tmp_path, "new.txt", new)
    services.ingest([tmp_path / "old.txt", tmp_path / "new.txt"])
    assert services.index.catalog.document("old").superseded_by == "366-QĐ/TW"
    hits = services.search("Quy định 124-QĐ/TW áp dụng cho ai")
    assert hits and hits[0].superseded_note == "124-QĐ/TW đã được thay thế bởi 366-QĐ/TW"


def test_new_pipeline_version_reindexes_unchanged_files(services, tmp_path: Path, monkeypatch) -> None:
    """Bug (issue 11): the content hash covers file bytes only, so a better parser never reached
    documents already ingested. A new PIPELINE_VERSION re-indexes them, with a visible message."""
    from assistant.ingest import pipeline

    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "a.txt", SAMPLE)
    write(docs, "b.txt", SAMPLE.replace("901", "903").replace("sổ tay", "sổ ghi"))
    assert services.ingest([docs]).counts["ingested"] == 2
    assert {e.pipeline_version for e in services.index.manifest().values()} == {pipeline.PIPELINE_VERSION}

    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", pipeline.PIPELINE_VERSION + "-next")
    report = services.ingest([docs])
    assert [r.status for r in report.results] == ["reindexed", "reindexed"], report.to_dict()
    assert all(r.reason == "Đã lập chỉ mục lại theo phiên bản xử lý mới" for r in report.results)
    assert report.counts["ingested"] == 2 and report.counts["unchanged"] == 0
    assert {e.pipeline_version for e in services.index.manifest().values()} == {pipeline.PIPELINE_VERSION}
    assert_consistent(services.index, expected_docs=2)
    assert services.ingest([docs]).counts["unchanged"] == 2


def test_catalog_from_before_version_stamps_is_upgraded_and_reindexed(settings, tmp_path: Path) -> None:
    """A catalog written before the pipeline version existed has no stamp: it is migrated and
    every document counts as outdated, so the next ingest re-indexes it."""
    import sqlite3

    from assistant.embeddings.fake import FakeEmbedder
    from assistant.ingest.pipeline import PIPELINE_VERSION
    from assistant.services import Services

    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "a.txt", SAMPLE)
    first = Services(settings, embedder=FakeEmbedder())
    first.ingest([docs])
    first.index.close()
    catalog = first.index.root / "catalog.sqlite3"
    with sqlite3.connect(catalog) as conn:  # the schema as the first version wrote it
        conn.execute("ALTER TABLE documents DROP COLUMN pipeline_version")

    again = Services(settings, embedder=FakeEmbedder())
    assert again.index.source_entry(str((docs / "a.txt").resolve())).pipeline_version == ""
    report = again.ingest([docs])
    assert [r.status for r in report.results] == ["reindexed"], report.to_dict()
    assert again.index.manifest()[str((docs / "a.txt").resolve())].pipeline_version == PIPELINE_VERSION
    assert again.ingest([docs]).counts["unchanged"] == 1
    again.index.close()


KILL_SCRIPT = """
import sys, time
from pathlib import Path
from assistant.embeddings.fake import FakeEmbedder
from assistant.retrieval import index
from assistant.services import Services
from assistant.settings import load_settings

index.EMBED_GROUP = 2  # many small vector steps, so kills land between them too

class SlowEmbedder(FakeEmbedder):
    def embed_documents(self, texts):
        time.sleep(0.15)
        return super().embed_documents(texts)

def progress(event, info):
    if event in ("searchable", "done"):
        print(event.upper(), flush=True)

settings = load_settings(overrides={"data_dir": sys.argv[1], "embedding": {"backend": "fake"}}, environ={})
services = Services(settings, embedder=SlowEmbedder())
services.index.vectors.count()  # open Chroma before the clock starts
print("READY", flush=True)
services.ingest([Path(sys.argv[2])], sync=True, progress=progress)
"""


def _law(number: int, variant: str = "") -> str:
    """A small regulation with enough articles for several dense passages."""
    articles = "\n\n".join(
        f"Điều {i}. Nội dung thứ {i} {variant}\n1. Đảng viên thực hiện nhiệm vụ {i} trong thời hạn {i + 10} ngày."
        f"\n2. Chi ủy kiểm tra việc thực hiện nhiệm vụ {i} và báo cáo đảng ủy xã hằng quý."
        for i in range(1, 13))
    return SAMPLE.replace("901", str(number)).split("Chương I")[0] + "Chương I\nQUY ĐỊNH CHUNG\n\n" + articles


def _run_killed(settings: Any, docs: Path, delay: float | None) -> tuple[int, list[str], float]:
    """Run an ingest in a child and SIGKILL it ``delay`` seconds in (None: let it finish); (code, output, seconds)."""
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(settings.data_dir), str(docs)],
                            stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    started = time.perf_counter()
    if delay is not None:
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
    out = proc.stdout.read().split()
    proc.wait(timeout=60)
    return proc.returncode, out, time.perf_counter() - started


@pytest.mark.slow
def test_kill_9_at_ten_random_moments_then_rerun_is_consistent(settings, tmp_path: Path) -> None:
    """kill -9 at 10 random moments of an ingest (catalog phase and vector phase, documents added, changed and
    removed): the previous index stays searchable, and the next run leaves documents, passages and vectors
    consistent, with no duplicates and no orphans."""
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.services import Services

    rng = random.Random(15)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(8):
        write(docs, f"qd-{930 + i}.txt", _law(930 + i))
    Services(settings, embedder=FakeEmbedder()).ingest([docs])

    # How long an unkilled run of one round's changes takes, to spread the kills over it.
    for i in range(3):
        write(docs, f"qd-{930 + i}.txt", _law(930 + i, "sửa"))
    write(docs, "qd-949.txt", _law(949))
    code, out, span = _run_killed(settings, docs, None)
    assert code == 0 and out[-1] == "DONE", out
    phases: Counter[str] = Counter()
    for round_ in range(10):
        names = sorted(p.name for p in docs.iterdir())
        for name in rng.sample(names, 3):  # change three documents, one of them only slightly
            write(docs, name, _law(int(name[3:6]), f"vòng {round_}" if name != names[0] else ""))
        write(docs, f"qd-{950 + round_}.txt", _law(950 + round_))
        if round_ % 3 == 2:
            (docs / rng.choice(names)).unlink()
        code, out, _ = _run_killed(settings, docs, rng.uniform(0.0, span))
        phases["vectors" if "SEARCHABLE" in out else "catalog"] += code == -signal.SIGKILL
        phases["finished"] += code != -signal.SIGKILL

        survivor = Services(settings, embedder=FakeEmbedder())
        assert survivor.search("Chi ủy kiểm tra việc thực hiện nhiệm vụ", k=3), "usable after a crash"
        report = survivor.ingest([docs], sync=True)
        assert report.counts["failed"] == 0, report.to_dict()
        assert_consistent(survivor.index, expected_docs=len(list(docs.iterdir())))
        survivor.index.close()
    assert phases["catalog"] + phases["vectors"] >= 6, phases  # most kills hit a running ingest
    assert phases["catalog"] and phases["vectors"], phases


@pytest.mark.slow
@pytest.mark.integration
def test_scanned_page_is_ocred_and_marked_through_the_pipeline(services, tmp_path: Path) -> None:
    from tests.ingest.test_ocr import REGULATION, image_pdf, ocr_ready, scan

    if ocr_ready.args[0]:
        pytest.skip(ocr_ready.kwargs["reason"])
    pdf = image_pdf([scan(REGULATION)], tmp_path / "ban-quet.pdf")
    report = services.ingest([pdf])
    assert report.counts["ingested"] == 1, report.to_dict()
    meta = services.index.catalog.document("ban-quet")
    assert meta.ocr_pages == [1] and meta.ocr_confidence and meta.ocr_confidence > 60
    assert meta.articles == 3
    hits = services.search("Đảng viên được miễn sinh hoạt khi nào?", k=2)
    assert hits[0].article == "1" and hits[0].ocr is True
    again = services.ingest([pdf])
    assert again.counts["unchanged"] == 1
