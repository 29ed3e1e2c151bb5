"""Backup and restore of the data directory: ``chibo backup FILE`` / ``chibo restore FILE``.

A backup is one ``.tar.gz`` holding what cannot be rebuilt: the catalogs and vectors
(``index/``), users (``users.json``), meeting records (``chibo.sqlite3``), the audit log
(``logs/``), generated files (``outputs/``), kept uploads (``uploads/``), ``settings.yaml`` and
measured model capabilities, plus ``chibo-backup.json``: format, app and pipeline versions, the
original data directory, and the size and SHA-256 of every file. Caches (``cache/``: OCR pages,
Gradio's upload copies) and login lock-outs are left out: they rebuild themselves.

SQLite files are copied with SQLite's own online backup, so a backup taken while the server runs
is consistent for the catalogs and records; take it when no ingest is running so the vector files
match the catalog.

Restore refuses a non-empty target unless ``force`` (the old directory is then kept beside it as
``<dir>.before-restore-<time>``), refuses archive members that are absolute, climb out with
``..`` or are links, checks every checksum before anything is moved into place, and rewrites
document source paths that pointed into the old data directory. Documents indexed by an older
pipeline are re-indexed afterwards by :func:`reindex_outdated` (the same rule as an upgrade in place).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.errors import ValidationFailed
from assistant.hashing import sha256_file
from assistant.settings import Settings

MANIFEST = "chibo-backup.json"
FORMAT = 1
# What a backup holds, relative to the data directory; everything else there is rebuilt.
INCLUDED = ("index", "chibo.sqlite3", "users.json", "logs", "outputs", "uploads", "settings.yaml",
            "capabilities.json")
SQLITE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
_SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal", ".tmp")


@dataclass
class BackupReport:
    """What went into a backup."""

    archive: str
    files: int
    bytes: int
    documents: int
    pipeline_version: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return asdict(self)


@dataclass
class RestoreReport:
    """What a restore put back, and what it moved aside."""

    data_dir: str
    files: int
    source_data_dir: str
    backup_created: str
    moved_aside: str = ""
    paths_rewritten: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return asdict(self)


def _is_sqlite(path: Path) -> bool:
    if path.suffix not in SQLITE_SUFFIXES:
        return False
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite(source):
        # The online backup API gives a consistent copy even while another process writes.
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        shutil.copy2(source, target)


def _snapshot(data_dir: Path, staging: Path) -> list[Path]:
    """Copy what a backup holds into ``staging``; the relative paths copied."""
    copied = []
    for name in INCLUDED:
        root = data_dir / name
        if root.is_symlink():
            continue
        sources = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()) \
            if root.is_dir() else []
        for source in sources:
            if source.name.endswith(_SKIPPED_SUFFIXES):
                continue
            relative = source.relative_to(data_dir)
            _copy(source, staging / relative)
            copied.append(relative)
    return copied


def _document_count(data_dir: Path) -> int:
    total = 0
    for catalog in (data_dir / "index").rglob("catalog.sqlite3") if (data_dir / "index").is_dir() else []:
        db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
        try:
            total += db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            pass
        finally:
            db.close()
    return total


def create_backup(settings: Settings, archive: Path) -> BackupReport:
    """Write the data directory's lasting state to ``archive`` (.tar.gz), with a checksummed manifest."""
    from assistant.ingest.pipeline import PIPELINE_VERSION

    data_dir = settings.data_dir
    if not data_dir.is_dir():
        raise ValidationFailed(f"Không có thư mục dữ liệu {data_dir}")
    archive = Path(archive).expanduser().resolve()
    if data_dir in archive.parents:
        raise ValidationFailed("Không ghi bản sao lưu vào trong chính thư mục dữ liệu",
                               hint=f"chọn một nơi khác {data_dir}")
    archive.parent.mkdir(parents=True, exist_ok=True)
    created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="chibo-backup-", dir=archive.parent) as tmp:
        staging = Path(tmp) / "data"
        staging.mkdir()
        files = _snapshot(data_dir, staging)
        entries = [{"path": str(rel), "size": (staging / rel).stat().st_size, "sha256": sha256_file(staging / rel)}
                   for rel in files]
        documents = _document_count(staging)
        total_bytes = sum((staging / rel).stat().st_size for rel in files)
        manifest = {"format": FORMAT, "created": created, "app_version": __version__,
                    "pipeline_version": PIPELINE_VERSION, "data_dir": str(data_dir),
                    "documents": documents, "files": entries}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging / MANIFEST, arcname=MANIFEST)
            for rel in files:
                tar.add(staging / rel, arcname=str(rel))
        os.chmod(partial, 0o600)  # it holds password hashes and the audit log
        os.replace(partial, archive)
    return BackupReport(str(archive), len(files), total_bytes, documents, PIPELINE_VERSION, created)


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of a backup archive (refuses a file that is not one)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise ValidationFailed(f"{archive} không phải bản sao lưu của Trợ lý Chi bộ: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise ValidationFailed(f"Bản sao lưu định dạng {manifest.get('format')} không đọc được (cần {FORMAT})")
    return dict(manifest)


def _safe_members(tar: tarfile.TarFile, expected: set[str]) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = member.name
        if name == MANIFEST:
            continue
        if os.path.isabs(name) or ".." in Path(name).parts or not member.isfile() or name not in expected:
            raise ValidationFailed(f"Bản sao lưu có mục không an toàn hoặc lạ: {name}")
        members.append(member)
    return members


def _rewrite_sources(data_dir: Path, old: str) -> int:
    """Point document source paths that were inside the old data directory into the new one."""
    if not old or os.path.realpath(old) == str(data_dir):
        return 0
    changed = 0
    prefix = old.rstrip("/") + "/"
    for catalog in (data_dir / "index").rglob("catalog.sqlite3") if (data_dir / "index").is_dir() else []:
        db = sqlite3.connect(catalog)
        try:
            with db:
                rows = db.execute("SELECT doc_id, source_path, meta_json FROM documents "
                                  "WHERE substr(source_path, 1, ?) = ?", (len(prefix), prefix)).fetchall()
                for doc_id, source, meta_json in rows:
                    new = str(data_dir) + "/" + source[len(prefix):]
                    meta = json.loads(meta_json)
                    meta["source_path"] = new
                    db.execute("UPDATE documents SET source_path = ?, meta_json = ? WHERE doc_id = ?",
                               (new, json.dumps(meta, ensure_ascii=False), doc_id))
                    changed += 1
        finally:
            db.close()
    return changed


def restore_backup(settings: Settings, archive: Path, *, force: bool = False) -> RestoreReport:
    """Put a backup back into ``settings.data_dir`` (see the module docstring for the checks)."""
    archive = Path(archive).expanduser().resolve()
    manifest = read_manifest(archive)
    data_dir = settings.data_dir
    if data_dir.exists() and not data_dir.is_dir():
        raise ValidationFailed(f"{data_dir} không phải thư mục")
    occupied = data_dir.is_dir() and any(data_dir.iterdir())
    if occupied and not force:
        raise ValidationFailed(f"Thư mục dữ liệu {data_dir} không trống",
                               hint="khôi phục vào thư mục trống (--data-dir), hoặc thêm --force để giữ bản cũ "
                                    "bên cạnh rồi thay")
    files = {str(e["path"]): e for e in manifest.get("files", [])}
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".chibo-restore-", dir=data_dir.parent) as tmp:
        staging = Path(tmp) / "data"
        staging.mkdir()
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar, set(files))
            tar.extractall(staging, members=members, filter="data")
        for rel, entry in files.items():
            path = staging / rel
            if not path.is_file() or path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
                raise ValidationFailed(f"Bản sao lưu hỏng: {rel} không khớp mã kiểm tra", hint="không có gì bị thay đổi")
        moved = ""
        if occupied:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = data_dir.with_name(f"{data_dir.name}.before-restore-{stamp}")
            os.replace(data_dir, aside)
            moved = str(aside)
        elif data_dir.is_dir():
            data_dir.rmdir()
        os.replace(staging, data_dir)
    os.chmod(data_dir, 0o700)
    if (data_dir / "users.json").is_file():
        os.chmod(data_dir / "users.json", 0o600)
    rewritten = _rewrite_sources(data_dir, str(manifest.get("data_dir", "")))
    return RestoreReport(str(data_dir), len(files), str(manifest.get("data_dir", "")), str(manifest.get("created", "")),
                         moved, rewritten)


def reindex_outdated(services: Any, progress: Any = None, *, vectors: str = "wait") -> Any:
    """Re-index every document an older pipeline indexed whose source file is still there; the report or None.

    ``prepare_corpus`` does this for the corpus; this also covers uploaded documents, after an upgrade
    or a restore of an older backup. ``vectors`` as for ``Services.ingest``: ``"wait"`` returns once every
    passage has its vector, ``"later"`` once keyword search has every document (``chibo ui --prepare``: the
    interface completes the vectors in the background, see ``Services.resume_vectors``).
    """
    from assistant.ingest.pipeline import PIPELINE_VERSION

    if not services.index.exists():
        return None
    stale = [Path(src) for src, entry in services.index.manifest().items()
             if entry.pipeline_version != PIPELINE_VERSION and Path(src).is_file()]
    return services.ingest(stale, progress=progress, vectors=vectors) if stale else None
