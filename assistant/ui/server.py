"""Serving the app to many users at once: sign-in, files, uploads, headers and concurrency.

:func:`serve` is what ``chibo ui`` (through ``app.launch``) runs. Around the Blocks the
interface built, it puts

- our login page and sessions (:mod:`assistant.ui.login`) in place of Gradio's form, with
  lock-outs (:mod:`assistant.ui.lockout`) and bcrypt in its own two threads;
- the gate and the security headers (:mod:`assistant.ui.security`);
- per-user generated files behind ``/downloads`` and the clean-up of rejected uploads
  (:mod:`assistant.ui.files`);
- concurrency limits chosen per kind of work (:data:`CONCURRENCY`, docs/security.md), and streamed
  answers sent in fewer, merged updates (:func:`coalesce`).
"""

from __future__ import annotations

import functools
import inspect
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from starlette.middleware import Middleware

from assistant.ui.files import OutputStore, Publisher, discard_rejected_uploads, download_routes, secure_outputs
from assistant.ui.i18n import Texts
from assistant.ui.lockout import LockoutPolicy, LoginGuard
from assistant.ui.login import LoginService, Sessions, login_routes, session_checker
from assistant.ui.security import Gate, SecurityHeaders

# Handler name -> (Gradio concurrency group, slots). Chosen, not defaulted (docs/security.md):
# - study: questions are answered side by side; retrieval and extractive answers are short Python
#   work, and any model call inside is serialised by the model's own FIFO queue (llm/queue.py), so
#   more slots cost nothing there. "ui.concurrency" sets it (None here = that setting).
# - drafting: notes → records → DOCX, a few seconds of CPU each: two at a time.
# - audio: espeak-ng takes a core while it speaks: two at a time on a 2-core machine.
# - index: ingest and remove write the index: strictly one at a time.
CONCURRENCY: dict[str, tuple[str, int | None]] = {
    "ask": ("study", None),
    "page_image": ("study", None),
    "new_conversation": ("study", None),
    "minutes": ("drafting", 2),
    "minutes_from_record": ("drafting", 2),
    "summarize": ("drafting", 2),
    "report": ("drafting", 2),
    "bulletin": ("audio", 2),
    "ingest": ("index", 1),
    "remove_document": ("index", 1),
}
# Everything else (page load, lists, the system tab): short reads, each handler up to this many at once.
DEFAULT_CONCURRENCY = 8
# Gradio's cache of uploads: swept hourly of files older than a day.
DELETE_CACHE = (3600, 24 * 3600)
UPLOADS = "uploads"


def set_concurrency(blocks: Any, study_slots: int) -> dict[str, int]:
    """Apply :data:`CONCURRENCY` to the Blocks' events; the resulting slots per group."""
    groups: dict[str, int] = {}
    for block_fn in blocks.fns.values():
        chosen = CONCURRENCY.get(block_fn.name or "")
        if chosen is None:
            continue
        group, slots = chosen
        block_fn.concurrency_id = group
        block_fn.concurrency_limit = slots or study_slots
        groups[group] = block_fn.concurrency_limit
    return groups


# A streamed answer re-renders the whole chat (and its other outputs) for every piece it yields: measured here,
# 174 updates made an extractive answer cost 1.04 s of server time against 0.18 s for its final state alone. So
# streamed events send their first updates at once (the question echoed, the first words), then at most one
# update per STREAM_INTERVAL, and always the last; updates in between are merged, none is lost.
STREAMED = ("ask",)
STREAM_INTERVAL = 0.2
STREAM_FIRST = 2
_NOTHING = object()


def _is_update(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


def _merge_value(old: Any, new: Any) -> Any:
    """What an output shows after ``old`` then ``new`` (``gr.skip()`` keeps ``old``; a props update adds to it)."""
    if not _is_update(new) or old is _NOTHING:
        return new
    if len(new) == 1:  # gr.skip()
        return old
    if _is_update(old):
        return {**old, **new}
    return new if "value" in new else {**new, "value": old}


def _merge(old: Any, new: Any, several: bool) -> Any:
    if old is _NOTHING:
        return new
    if several and isinstance(old, (tuple, list)) and isinstance(new, (tuple, list)) and len(old) == len(new):
        return type(new)(_merge_value(a, b) for a, b in zip(old, new, strict=True))
    return _merge_value(old, new) if not several else new


def coalesce(fn: Callable[..., Iterator[Any]], several: bool, interval: float = STREAM_INTERVAL,
             first: int = STREAM_FIRST) -> Callable[..., Iterator[Any]]:
    """A generator handler that yields its first ``first`` updates, then at most one per ``interval``, then its last."""

    @functools.wraps(fn)
    def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
        pending: Any = _NOTHING
        sent, last = 0, 0.0
        for item in fn(*args, **kwargs):
            pending = _merge(pending, item, several)
            now = time.monotonic()
            if sent < first or now - last >= interval:
                yield pending
                pending, sent, last = _NOTHING, sent + 1, now
        if pending is not _NOTHING:
            yield pending

    return generator


def coalesce_streams(blocks: Any, names: tuple[str, ...] = STREAMED) -> int:
    """Apply :func:`coalesce` to the named generator handlers; how many were wrapped."""
    wrapped = 0
    for block_fn in blocks.fns.values():
        fn = block_fn.fn
        if block_fn.name in names and fn is not None and inspect.isgeneratorfunction(fn) \
                and not getattr(fn, "_chibo_coalesced", False):
            merged: Any = coalesce(fn, several=len(block_fn.outputs) > 1)
            merged._chibo_coalesced = True
            block_fn.fn = merged
            wrapped += 1
    return wrapped


def model_queue_notice(services: Any, texts: Texts) -> str | None:
    """"Đang chờ mô hình: vị trí N" for a request about to join the model queue, or None when it is free.

    Handlers call it before model work and show it (a status line or ``gr.Info``); the queue is
    the LLM's own (``assistant.llm.queue.ModelQueue``), present for the embedded backend.
    """
    queue = getattr(getattr(services, "_llm", None), "queue", None)
    if queue is None or not hasattr(queue, "waiting"):
        return None
    ahead = int(queue.waiting())
    return texts("queue.waiting", position=ahead + 1) if ahead else None


def upload_folder() -> Path:
    """Where Gradio stores uploads (``GRADIO_TEMP_DIR``, set by ``chibo ui`` under the data dir)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def serve(app: Any, *, host: str, port: int, prevent_thread_lock: bool = False, quiet: bool = False,
          css: str | None = None) -> tuple[Any, str, str]:
    """Serve a built :class:`~assistant.ui.app.ChiboApp` on host:port; Gradio's (app, local URL, share URL)."""
    blocks = app.blocks
    assert blocks is not None, "build the app first"
    settings = app.services.settings
    ui = settings.ui
    t: Texts = app.t
    for folder in (settings.output_dir, settings.data_dir / UPLOADS):
        folder.mkdir(parents=True, exist_ok=True)

    sessions = Sessions(ui.session_hours, still_valid=session_checker(app.users))
    login = LoginService(app.users, LoginGuard(settings.data_dir, LockoutPolicy.from_settings(ui)), sessions,
                         app.audit, t)
    set_concurrency(blocks, ui.concurrency)
    store = OutputStore(settings.output_dir / "private")
    secure_outputs(blocks, Publisher(store, [settings.output_dir]))
    discard_rejected_uploads(blocks, app.services, settings.data_dir / UPLOADS, app.audit)
    coalesce_streams(blocks)

    limit = ui.max_upload_mb * 1024 * 1024
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(Gate, sessions=sessions, users=app.users, audit=app.audit, texts=t,
                   data_dir=settings.data_dir, upload_dir=upload_folder(), max_upload_bytes=limit),
    ]
    routes = [*login_routes(login).routes, *download_routes(store, sessions, app.users, app.audit, t).routes]
    # Everything under the data dir is Gradio-blocked except its own cache (uploads live there when
    # `chibo ui` sets GRADIO_TEMP_DIR): generated files go through /downloads only.
    cache = os.path.realpath(settings.cache_dir)
    blocked = [str(p) for p in settings.data_dir.iterdir() if os.path.realpath(p) != cache] if \
        settings.data_dir.is_dir() else []
    blocked += [str(settings.output_dir), str(settings.data_dir / UPLOADS), str(settings.log_dir)]
    blocks.delete_cache = DELETE_CACHE
    blocks.queue(default_concurrency_limit=DEFAULT_CONCURRENCY)
    return blocks.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth_dependency=sessions.username,
        app_kwargs={"routes": routes, "middleware": middleware},
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        footer_links=[],
        allowed_paths=[],
        blocked_paths=sorted(set(blocked)),
        max_file_size=limit,
        css=css,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
        inbrowser=False,
    )
