"""`chibo backup` / `chibo restore` and upgrading over an old data directory (issue 16)."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest

from assistant.cli.main import main
from assistant.embeddings.fake import FakeEmbedder
from assistant.errors import ValidationFailed
from tests.ui.conftest import NOTES, SAMPLE_MD

PASSWORD = "mat-khau-thu-nghiem"
SECOND_MD = """KẾ HOẠCH
về sinh hoạt chuyên đề năm 2026

Điều 1. Mục đích
Chi bộ tổ chức sinh hoạt chuyên đề mỗi quý một lần về chuyển đổi số.
"""
QUESTIONS = ["Ai phải cài đặt ứng dụng Sổ tay đảng viên điện tử?", "sinh hoạt chuyên đề mỗi quý",
             "trách nhiệm của chi bộ"]


def _services(data_dir: Path):
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(data_dir), "embedding": {"backend": "fake"},
                                        "llm": {"backend": "fake"}}, environ={})
    return Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())


def _state(services) -> dict:
    """Everything a restore must give back, as comparable data."""
    from assistant.ui.auth import UserStore

    users = UserStore(services.settings.data_dir, rounds=4)
    docs = {m.doc_id: (m.title, m.number, m.content_hash, m.chunks) for m in services.documents()}
    hits = {q: [(h.doc_id, h.citation, round(h.score, 6)) for h in services.search(q, k=3)] for q in QUESTIONS}
    records = [(r.id, r.date, r.number, r.tasks) for r in services.drafting.list_records()]
    records += [services.drafting.get_record(r[0]).to_data() for r in records]
    return {"docs": docs, "hits": hits, "users": [(u.name, u.role) for u in users.list()], "records": records}


@pytest.fixture
def populated(tmp_path) -> tuple:
    """A data directory in use: two documents (one uploaded), three users, a stored meeting record, audit, outputs."""
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore

    data = tmp_path / "data"
    services = _services(data)
    uploads = data / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "so-tay.md").write_text(SAMPLE_MD, encoding="utf-8")
    (tmp_path / "ke-hoach.md").write_text(SECOND_MD, encoding="utf-8")
    report = services.ingest([uploads / "so-tay.md", tmp_path / "ke-hoach.md"])
    assert report.counts["ingested"] == 2
    users = UserStore(data, rounds=4)
    for name, role in (("quantri", "admin"), ("bithu", "secretary"), ("dangvien", "member")):
        users.add(name, role, PASSWORD)
    record = services.drafting.summarize(NOTES).record
    services.drafting.save_record(record)
    AuditLog(data / "logs").record("bithu", "minutes", "04-BB", address="127.0.0.1")
    (data / "outputs" / "private" / "bithu" / "t").mkdir(parents=True)
    (data / "outputs" / "private" / "bithu" / "t" / "bien-ban.docx").write_bytes(b"PK\x03\x04 minutes")
    (data / "cache" / "gradio").mkdir(parents=True)
    (data / "cache" / "gradio" / "upload.bin").write_bytes(b"x" * 100)
    state = _state(services)
    services.index.close()
    return data, state


def test_restore_into_an_empty_directory_gives_the_same_state(populated, tmp_path) -> None:
    from assistant.backup import create_backup, restore_backup
    from assistant.ui.auth import UserStore

    data, before = populated
    archive = tmp_path / "sao-luu" / "chibo.tar.gz"
    report = create_backup(_services(data).settings, archive)
    assert report.documents == 2 and archive.is_file()
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600, "it holds password hashes"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "users.json" in names and "chibo.sqlite3" in names and "logs/audit.jsonl" in names
    assert any(n.startswith("index/") and n.endswith("catalog.sqlite3") for n in names)
    assert any(n.startswith("index/") and "chroma" in n for n in names), "vectors are kept"
    assert "outputs/private/bithu/t/bien-ban.docx" in names and "uploads/so-tay.md" in names
    assert not any(n.startswith("cache/") for n in names), "caches rebuild themselves"

    target = tmp_path / "may-moi" / "data"
    restored = restore_backup(_services(target).settings, archive)
    assert restored.paths_rewritten == 1, "the uploaded document's source now points into the new directory"
    services = _services(target)
    after = _state(services)
    assert after == before
    assert before["records"], "a meeting record was part of the state"
    assert UserStore(target, rounds=4).verify("bithu", PASSWORD)
    assert (target / "outputs/private/bithu/t/bien-ban.docx").read_bytes() == b"PK\x03\x04 minutes"
    assert json.loads((target / "logs/audit.jsonl").read_text(encoding="utf-8").splitlines()[0])["who"] == "bithu"
    meta = next(m for m in services.documents() if m.source_path.endswith("so-tay.md"))
    assert Path(meta.source_path) == target / "uploads" / "so-tay.md" and Path(meta.source_path).is_file()
    assert stat.S_IMODE((target / "users.json").stat().st_mode) == 0o600
    services.index.close()


def test_restore_refuses_an_occupied_directory_unless_forced(populated, tmp_path) -> None:
    from assistant.backup import create_backup, restore_backup

    data, _ = populated
    archive = tmp_path / "chibo.tar.gz"
    settings = _services(data).settings
    create_backup(settings, archive)
    with pytest.raises(ValidationFailed, match="không trống"):
        restore_backup(settings, archive)
    (data / "users.json").write_text("{}", encoding="utf-8")  # a later, unwanted change
    report = restore_backup(settings, archive, force=True)
    assert Path(report.moved_aside).is_dir() and (Path(report.moved_aside) / "users.json").read_text() == "{}"
    assert "bithu" in (data / "users.json").read_text(encoding="utf-8")


def test_a_damaged_or_hostile_archive_changes_nothing(populated, tmp_path) -> None:
    from assistant.backup import MANIFEST, create_backup, restore_backup

    data, _ = populated
    archive = tmp_path / "chibo.tar.gz"
    create_backup(_services(data).settings, archive)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}

    def rewrite(path: Path, files: dict[str, bytes]) -> Path:
        with tarfile.open(path, "w:gz") as tar:
            for name, content in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
        return path

    tampered = dict(members)
    tampered["users.json"] = b'{"version": 1, "users": {"ke-gian": {"role": "admin", "hash": "x"}}}'
    target = tmp_path / "khoi-phuc"
    with pytest.raises(ValidationFailed, match="không khớp mã kiểm tra"):
        restore_backup(_services(target).settings, rewrite(tmp_path / "a.tar.gz", tampered))
    assert not target.exists() or not any(target.iterdir())

    hostile = dict(members)
    manifest["files"].append({"path": "../../ngoai.txt", "size": 1, "sha256": "0"})
    hostile[MANIFEST] = json.dumps(manifest).encode()
    hostile["../../ngoai.txt"] = b"x"
    with pytest.raises(ValidationFailed, match="không an toàn"):
        restore_backup(_services(target).settings, rewrite(tmp_path / "b.tar.gz", hostile))
    assert not (tmp_path.parent / "ngoai.txt").exists()
    with pytest.raises(ValidationFailed, match="không phải bản sao lưu"):
        restore_backup(_services(target).settings, rewrite(tmp_path / "c.tar.gz", {"x.txt": b"x"}))


def test_backup_and_restore_from_the_command_line(populated, tmp_path, capsys) -> None:
    data, _ = populated
    archive = tmp_path / "chibo.tar.gz"
    assert main(["--data-dir", str(data), "backup", str(archive)]) == 0
    assert "Đã sao lưu" in capsys.readouterr().out
    target = tmp_path / "moi"
    assert main(["--data-dir", str(target), "--json", "restore", str(archive)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["data_dir"] == str(target.resolve()) and out["files"] > 5
    assert main(["--data-dir", str(target), "restore", str(archive)]) == 1
    assert "không trống" in capsys.readouterr().err
    audit = (target / "logs" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"restore"' in audit


def test_upgrading_over_an_old_data_directory_keeps_everything_and_reindexes(populated, monkeypatch) -> None:
    """An index made by an older pipeline: documents, users and records stay; documents are re-indexed."""
    from assistant.backup import reindex_outdated
    from assistant.ingest import pipeline

    data, before = populated
    services = _services(data)
    catalog = services.index.catalog
    with catalog._conn() as conn:  # what the previous release left: every document on pipeline "1"
        conn.execute("UPDATE documents SET pipeline_version = '1'")
    services.index.close()

    services = _services(data)
    assert {e.pipeline_version for e in services.index.manifest().values()} == {"1"}
    report = reindex_outdated(services)
    assert report is not None and report.counts["ingested"] == 2
    assert {e.pipeline_version for e in services.index.manifest().values()} == {pipeline.PIPELINE_VERSION}
    assert reindex_outdated(services) is None, "nothing left to re-index"
    after = _state(services)
    assert after["users"] == before["users"] and after["records"] == before["records"]
    assert set(after["docs"]) == set(before["docs"])
    assert {q: [h[0] for h in hits] for q, hits in after["hits"].items()} == \
        {q: [h[0] for h in hits] for q, hits in before["hits"].items()}
    services.index.close()


class RefusingEmbedder(FakeEmbedder):
    """Counts tokens but must not embed: what runs before the interface starts."""

    def embed_documents(self, texts: Any) -> list[list[float]]:
        """Fail the test: vectors are the interface's background work."""
        raise AssertionError("vectors were computed before the interface started")


def _outdated(data: Path):
    """The populated directory as an older release left it (every document on pipeline "1", vectors of another
    layout, so all are made again), opened with a model that must not embed."""
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    services = _services(data)
    with services.index.catalog._conn() as conn:
        conn.execute("UPDATE documents SET pipeline_version = '1'")
    services.index.reset_vectors()
    services.index.close()
    empty = data.parent / "corpus-empty"
    empty.mkdir(exist_ok=True)
    settings = load_settings(overrides={"data_dir": str(data), "embedding": {"backend": "fake"},
                                        "llm": {"backend": "fake"}, "corpus_dir": str(empty)}, environ={})
    return Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=RefusingEmbedder())


def test_reindexing_outdated_documents_can_leave_the_vectors_for_later(populated) -> None:
    """``vectors="later"``: back once keyword search has the re-indexed documents; the vectors follow."""
    from assistant.backup import reindex_outdated
    from assistant.ingest import pipeline

    data, _ = populated
    services = _outdated(data)
    try:
        report = reindex_outdated(services, vectors="later")
        assert report is not None and report.counts["ingested"] == 2 and report.embedded == 0
        assert report.pending_vectors > 0 and services.vector_status()["pending"] == report.pending_vectors
        assert {e.pipeline_version for e in services.index.manifest().values()} == {pipeline.PIPELINE_VERSION}
        assert services.search("sinh hoạt chuyên đề mỗi quý", k=1)[0].doc_id == "ke-hoach"
    finally:
        services.index.close()


def test_ui_prepare_reindexes_uploads_without_waiting_for_vectors(populated, capsys) -> None:
    """`chibo ui --prepare` after an upgrade: uploaded documents are re-indexed for keyword search only; the
    interface's start then completes their vectors in the background (``resume_vectors``)."""
    from assistant.cli.base import Context
    from assistant.cli.interface import _prepare

    data, _ = populated
    services = _outdated(data)
    try:
        _prepare(Context(services.settings, _services=services))
        assert "Lập chỉ mục lại 2 tài liệu" in capsys.readouterr().err
        status = services.vector_status()
        assert status["pending"] > 0 and not status["working"]
        assert services.search("sinh hoạt chuyên đề mỗi quý", k=1)[0].doc_id == "ke-hoach"
    finally:
        services.index.close()
