"""Generated files (minutes, reports, audio, page images) kept per user and served only to those allowed.

Handlers write a file into ``<data_dir>/outputs`` and return its path, as before. Before the
server starts, :func:`secure_outputs` wraps every event whose outputs show files: the path a
handler returns is moved into ``<data_dir>/outputs/private/<user>/<token>/<name>`` (a 32-character
random token, folders 0700, files 0600) and replaced by a link to ``/downloads/<token>/<name>``.
That route (:func:`download_routes`) checks the session and the role again on every request: the
owner, or a secretary or admin of this installation (one installation serves one cell), may
download; everyone else gets a refusal, and both are audited. Gradio's ``/gradio_api/file=``
never serves these files: the data directory is in Gradio's ``blocked_paths`` and the gate
(:mod:`assistant.ui.security`) refuses any file URL inside it, outside Gradio's upload folder.

:func:`discard_rejected_uploads` deletes, right after an ingest, the uploaded files it did not
index (their copy under ``uploads/`` and Gradio's upload copy), so a refused 190 MB file does not
stay on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import json
import mimetypes
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import gradio as gr
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from gradio.data_classes import FileData, ImageData, ListFiles

from assistant.ui.audit import AuditLog
from assistant.ui.auth import UserStore, allows
from assistant.ui.i18n import Texts
from assistant.ui.login import Sessions, client_address

DOWNLOAD_PREFIX = "/downloads"
PRIVATE = "private"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_OWNER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
FILE_COMPONENTS: tuple[type, ...] = (gr.File, gr.Audio, gr.Image, gr.DownloadButton)
# Handlers that name their files per user and second (ban-tin-<time>-<user>.wav): no two calls share a path.
UNIQUE_OUTPUTS = {"bulletin"}
# Shown in the browser (audio player, page image); anything else downloads as an attachment.
INLINE_TYPES = {"audio/wav", "audio/x-wav", "audio/mpeg", "audio/ogg", "image/png", "image/jpeg"}


@dataclass(frozen=True)
class StoredFile:
    """A generated file in the private store."""

    token: str
    owner: str
    name: str
    kind: str
    created: str
    path: Path

    @property
    def url_path(self) -> str:
        """``/downloads/<token>/<name>`` (the name percent-encoded)."""
        return f"{DOWNLOAD_PREFIX}/{self.token}/{quote(self.name)}"


@dataclass(frozen=True)
class PublishedFile:
    """What a wrapped handler returns instead of a path: the link and what the component shows."""

    url: str
    name: str
    size: int
    mime_type: str | None


def file_kind(name: str) -> str:
    """minutes, report, audio, page_image or file, from the name the drafting code gives."""
    lower = name.lower()
    if lower.startswith("bien-ban"):
        return "minutes"
    if lower.startswith("bao-cao"):
        return "report"
    if lower.endswith((".wav", ".mp3", ".ogg")):
        return "audio"
    if lower.endswith((".png", ".jpg", ".jpeg")):
        return "page_image"
    return "file"


class OutputStore:
    """``<root>/<owner>/<token>/<name>`` plus ``meta.json``; looked up by token only."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(self, owner: str, source: Path) -> StoredFile:
        """Move ``source`` into ``owner``'s private folder under a fresh token."""
        if not _OWNER.match(owner):
            raise ValueError(f"invalid owner {owner!r}")
        token = secrets.token_urlsafe(24)
        folder = self.root / owner / token
        folder.mkdir(parents=True, mode=0o700)
        for parent in (self.root, self.root / owner):
            os.chmod(parent, 0o700)
        target = folder / source.name
        shutil.move(str(source), target)
        os.chmod(target, 0o600)
        entry = StoredFile(token, owner, source.name, file_kind(source.name),
                           dt.datetime.now().astimezone().isoformat(timespec="seconds"), target)
        meta = {"owner": owner, "name": entry.name, "kind": entry.kind, "created": entry.created}
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return entry

    def get(self, token: str) -> StoredFile | None:
        """The file of ``token`` (None for a malformed or unknown token)."""
        if not _TOKEN.match(token or "") or not self.root.is_dir():
            return None
        for owner_dir in self.root.iterdir():
            meta_path = owner_dir / token / "meta.json"
            if meta_path.is_file():
                try:
                    meta = json.loads(meta_path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    return None
                path = owner_dir / token / str(meta.get("name", ""))
                if meta.get("owner") != owner_dir.name or not path.is_file():
                    return None
                return StoredFile(token, owner_dir.name, path.name, str(meta.get("kind", "file")),
                                  str(meta.get("created", "")), path)
        return None

    @staticmethod
    def may_read(entry: StoredFile, user: str | None, role: str | None) -> bool:
        """The owner, or a secretary or admin (of this installation's cell), may download."""
        return bool(user) and role is not None and (entry.owner == user or allows(role, "secretary"))

    def owned_by(self, owner: str) -> list[StoredFile]:
        """A user's files, newest first."""
        folder = self.root / owner
        entries = [self.get(p.name) for p in folder.iterdir()] if folder.is_dir() else []
        return sorted((e for e in entries if e is not None), key=lambda e: e.created, reverse=True)


# -- publishing handler outputs ----------------------------------------------------
def _request_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> gr.Request | None:
    return next((a for a in [*args, *kwargs.values()] if isinstance(a, gr.Request)), None)


def _base_url(request: gr.Request) -> str:
    # Links are absolute: Gradio keeps an http(s) URL as it is instead of copying a file to its cache.
    inner = getattr(request, "request", None)
    base = getattr(inner, "base_url", None) if inner is not None else None
    if base:
        return str(base).rstrip("/")
    headers = getattr(request, "headers", {}) or {}
    return f"http://{headers.get('host', '127.0.0.1')}"


class Publisher:
    """Replaces paths under ``roots`` in a handler's outputs by download links of the caller's copy."""

    def __init__(self, store: OutputStore, roots: Iterable[Path]) -> None:
        self.store = store
        self.roots = [Path(os.path.realpath(r)) for r in roots]

    def _ours(self, value: Any) -> Path | None:
        if not isinstance(value, (str, Path)) or not str(value) or str(value).startswith(("http:", "https:")):
            return None
        path = Path(os.path.realpath(value))
        private = Path(os.path.realpath(self.store.root))
        if not path.is_file() or private in path.parents:
            return None
        return path if any(root in path.parents for root in self.roots) else None

    def publish(self, value: Any, user: str, base: str, seen: dict[Path, PublishedFile]) -> Any:
        """The value with each of our paths (also inside lists and ``gr.update`` dicts) made a link."""
        if isinstance(value, list):
            return [self.publish(v, user, base, seen) for v in value]
        if isinstance(value, dict) and "value" in value and value.get("__type__") == "update":
            return {**value, "value": self.publish(value["value"], user, base, seen)}
        if isinstance(value, (str, Path)) and Path(os.path.realpath(value)) in seen:
            return seen[Path(os.path.realpath(value))]  # the same file shown twice (player and download list)
        path = self._ours(value)
        if path is None:
            return value
        if path not in seen:
            size = path.stat().st_size
            entry = self.store.put(user, path)
            seen[path] = PublishedFile(base + entry.url_path, entry.name, size, mimetypes.guess_type(entry.name)[0])
        return seen[path]

    def wrap(self, fn: Callable[..., Any], indexes: list[int], single: bool,
             lock: threading.Lock | None = None) -> Callable[..., Any]:
        """``fn`` with its file outputs (positions ``indexes``) published for the calling user.

        Handlers write to shared names (``bien-ban-<record>.docx``, ``bao-cao-<month>.docx``,
        ``pages/<doc>-p<n>.png``): two calls at once could move each other's file. ``lock`` (one per
        group of handlers writing the same names) runs such calls one at a time, write to publish.
        """

        def convert(result: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            request = _request_of(args, kwargs)
            user = getattr(request, "username", None) if request is not None else None
            if request is None or not user:
                return result  # nothing published: Gradio refuses to serve the blocked outputs folder
            base = _base_url(request)
            seen: dict[Path, PublishedFile] = {}
            if single:
                return self.publish(result, user, base, seen)
            if isinstance(result, (tuple, list)):
                out = list(result)
                for i in indexes:
                    if i < len(out):
                        out[i] = self.publish(out[i], user, base, seen)
                return tuple(out) if isinstance(result, tuple) else out
            return result

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def generator(*args: Any, **kwargs: Any) -> Any:
                with lock or contextlib.nullcontext():
                    for item in fn(*args, **kwargs):
                        yield convert(item, args, kwargs)
            return generator

        @functools.wraps(fn)
        def plain(*args: Any, **kwargs: Any) -> Any:
            with lock or contextlib.nullcontext():
                return convert(fn(*args, **kwargs), args, kwargs)
        return plain


def _file_data(component: Any, item: PublishedFile) -> Any:
    model = ImageData if isinstance(component, gr.Image) else FileData
    return model(path=item.url, url=item.url, orig_name=item.name, size=item.size, mime_type=item.mime_type)


def _accept_published(cls: type) -> None:
    """Let a file component's postprocess take :class:`PublishedFile` values (class-wide, once)."""
    if getattr(cls, "_chibo_published", False):
        return
    original = cls.postprocess  # type: ignore[attr-defined]

    @functools.wraps(original)
    def postprocess(self: Any, value: Any) -> Any:
        if isinstance(value, PublishedFile):
            return _file_data(self, value)
        if isinstance(value, list) and value and all(isinstance(v, PublishedFile) for v in value):
            return ListFiles(root=[_file_data(self, v) for v in value])
        return original(self, value)

    cls.postprocess = postprocess  # type: ignore[attr-defined]
    cls._chibo_published = True  # type: ignore[attr-defined]


def secure_outputs(blocks: gr.Blocks, publisher: Publisher) -> int:
    """Wrap every event that shows files so its files are published per user; how many were wrapped.

    Handlers of one concurrency group share a lock (see :meth:`Publisher.wrap`), except those in
    :data:`UNIQUE_OUTPUTS`; set the groups first (``server.set_concurrency``).
    """
    for cls in FILE_COMPONENTS:
        _accept_published(cls)
    wrapped = 0
    locks: dict[str, threading.Lock] = {}
    for block_fn in blocks.fns.values():
        indexes = [i for i, c in enumerate(block_fn.outputs) if isinstance(c, FILE_COMPONENTS)]
        if not indexes or block_fn.fn is None or getattr(block_fn.fn, "_chibo_published", False):
            continue
        lock = None if block_fn.name in UNIQUE_OUTPUTS else locks.setdefault(str(block_fn.concurrency_id),
                                                                               threading.Lock())
        block_fn.fn = publisher.wrap(block_fn.fn, indexes, single=len(block_fn.outputs) == 1, lock=lock)
        block_fn.fn._chibo_published = True  # type: ignore[attr-defined]
        wrapped += 1
    return wrapped


# -- the download route -------------------------------------------------------------
def download_routes(store: OutputStore, sessions: Sessions, users: UserStore, audit: AuditLog,
                    texts: Texts) -> APIRouter:
    """``GET /downloads/<token>/<name>``: the only way to fetch a generated file."""
    router = APIRouter()

    @router.get(DOWNLOAD_PREFIX + "/{token}/{name}", include_in_schema=False)
    def download(token: str, name: str, request: Request) -> Response:
        user = sessions.username(request)
        role = users.role(user)
        address = client_address(request)
        if not user or role is None:
            return JSONResponse({"detail": texts("login.required")}, status_code=401)
        entry = store.get(token)
        if entry is None or entry.name != name:
            audit.record(user, "download_refused", name[:200], address=address, reason="not found")
            return JSONResponse({"detail": texts("download.missing")}, status_code=404)
        if not store.may_read(entry, user, role):
            audit.record(user, "download_refused", entry.name, address=address, owner=entry.owner, kind=entry.kind)
            return JSONResponse({"detail": texts("download.refused")}, status_code=403)
        # An audio player asks for ranges as it plays: one entry per download, not per range.
        if request.headers.get("range", "bytes=0-").startswith("bytes=0-"):
            audit.record(user, "download", entry.name, address=address, owner=entry.owner, kind=entry.kind)
        media = mimetypes.guess_type(entry.name)[0] or "application/octet-stream"
        inline = media in INLINE_TYPES
        return FileResponse(entry.path, media_type=media if inline else "application/octet-stream",
                            filename=entry.name, content_disposition_type="inline" if inline else "attachment",
                            headers={"Cache-Control": "private, no-store"})

    return router


# -- rejected uploads -----------------------------------------------------------------
def _indexed(services: Any) -> tuple[set[str], set[str]]:
    """(source paths, content hashes) of every indexed document, restricted ones included."""
    metas = list(services.index.metas().values())
    try:
        restricted = services.restricted_index
        if restricted.exists():
            metas += list(restricted.metas().values())
    except Exception:  # no restricted collection: nothing more to keep
        pass
    paths = {os.path.realpath(m.source_path) for m in metas if m.source_path}
    return paths, {m.content_hash for m in metas if m.content_hash}


def discard_rejected_uploads(blocks: gr.Blocks, services: Any, uploads_dir: Path, audit: AuditLog,
                             fn_name: str = "ingest") -> bool:
    """After each ingest, delete what it did not index: its new files under ``uploads_dir`` and Gradio's copies."""
    from assistant.hashing import sha256_file as file_hash

    def sweep(inputs: list[Path], started: float, user: str | None) -> None:
        paths, hashes = _indexed(services)
        removed = []
        if uploads_dir.is_dir():
            for item in uploads_dir.iterdir():
                if item.is_file() and item.stat().st_mtime >= started - 1 and os.path.realpath(item) not in paths:
                    item.unlink(missing_ok=True)
                    removed.append(item.name)
        for item in inputs:
            if item.is_file() and file_hash(item) not in hashes:
                item.unlink(missing_ok=True)
                with_parent = item.parent
                if with_parent.is_dir() and not any(with_parent.iterdir()):
                    with_parent.rmdir()
        if removed:
            audit.record(user, "upload_discarded", ", ".join(sorted(removed)))

    def sweeping(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def ingest(*args: Any, **kwargs: Any) -> Any:
            started = time.time()
            files = args[0] if args else kwargs.get("files")
            inputs = [Path(getattr(f, "name", f)) for f in (files or []) if f]
            request = _request_of(args, kwargs)
            try:
                return original(*args, **kwargs)
            finally:
                sweep(inputs, started, getattr(request, "username", None))

        ingest._chibo_sweeps = True  # type: ignore[attr-defined]
        return ingest

    for block_fn in blocks.fns.values():
        if block_fn.name != fn_name or block_fn.fn is None or getattr(block_fn.fn, "_chibo_sweeps", False):
            continue
        block_fn.fn = sweeping(block_fn.fn)
        return True
    return False
