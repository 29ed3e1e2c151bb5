"""What every request passes through before Gradio sees it: headers, the login gate, files, uploads.

Two plain ASGI middlewares (no response buffering, so streamed answers stay streamed):

- :class:`SecurityHeaders` adds a Content-Security-Policy Gradio works under, ``frame-ancestors``
  and ``X-Frame-Options``, ``nosniff``, a referrer policy and a permissions policy to every response.
- :class:`Gate` lets nothing but the login page through without a session: a browser is sent to
  ``/login``, anything else gets a 401 with a Vietnamese message, so neither the page nor its
  embedded API description nor any ``/gradio_api`` route is reachable before login. Signed in, it
  keeps Gradio's ``/gradio_api/file=`` route away from the data directory (generated files are
  served only by ``/downloads``, see :mod:`assistant.ui.files`), and it checks uploads: role
  (secretary and up), the one size limit from the declared length before any byte is stored,
  and an audit entry for each upload, refused or kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from assistant.ui.audit import AuditLog
from assistant.ui.auth import UserStore, allows
from assistant.ui.files import DOWNLOAD_PREFIX
from assistant.ui.i18n import Texts
from assistant.ui.login import COOKIE, LOGIN_PATH, LOGOUT_PATH, MAX_LOGIN_BODY, Sessions

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Gradio's page runs inline bootstrap scripts and injects styles, so 'unsafe-inline' stays for
# scripts and styles (checked in a real browser: tests/ui/test_security.py); everything else is
# this origin only, and no one may frame the app.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}
# Gradio calls startup-events on itself while launching (it only starts the queue, once).
PUBLIC_PATHS = {LOGIN_PATH, LOGIN_PATH + "/", LOGOUT_PATH, LOGOUT_PATH + "/", "/favicon.ico",
                "/gradio_api/startup-events"}
UPLOAD_PATH = "/gradio_api/upload"
FILE_MARKERS = ("/file=", "/gradio_api/file/", "/gradio_api/proxy=")
# Multipart boundaries and headers around the files themselves.
UPLOAD_SLACK = 64 * 1024


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; stamp the headers on the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = set(HEADERS)
                kept = [(k, v) for k, v in message.get("headers", []) if k.decode("latin-1").lower() not in names]
                message["headers"] = kept + self._raw
            await send(message)

        await self.app(scope, receive, stamped)


async def _respond(send: Send, status: int, body: bytes, content_type: str,
                   headers: list[tuple[bytes, bytes]] | None = None) -> None:
    raw = [(b"content-type", content_type.encode("latin-1")), (b"content-length", str(len(body)).encode()),
           (b"cache-control", b"no-store"), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, detail: str) -> None:
    await _respond(send, status, json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _cookie(scope: Scope, name: str) -> str | None:
    for part in _header(scope, b"cookie").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Gate:
    """The login gate, the file-route guard and the upload check (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, sessions: Sessions, users: UserStore, audit: AuditLog, texts: Texts,
                 data_dir: Path, upload_dir: Path, max_upload_bytes: int) -> None:
        self.app = app
        self.sessions = sessions
        self.users = users
        self.audit = audit
        self.t = texts
        self.data_dir = Path(os.path.realpath(data_dir))
        self.upload_dir = Path(os.path.realpath(upload_dir))
        self.max_upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or pass on one request."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if path in PUBLIC_PATHS:
            if path.startswith(LOGIN_PATH) and self._declared(scope) > MAX_LOGIN_BODY:
                await _json(send, 413, self.t("login.too_large"))
                return
            await self.app(scope, receive, send)
            return
        session = self.sessions.get(_cookie(scope, COOKIE))
        if session is None:
            await self._refuse_anonymous(scope, send)
            return
        address = (scope.get("client") or ("?",))[0]
        if any(marker in path for marker in FILE_MARKERS):
            served = await self._file_route(scope, path, session.user, address, send)
            if served is None:
                return
            scope = served
        elif path == UPLOAD_PATH and scope.get("method") == "POST":
            await self._upload(scope, receive, send, session.user, address)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _declared(scope: Scope) -> int:
        value = _header(scope, b"content-length")
        return int(value) if value.isdigit() else 0

    async def _refuse_anonymous(self, scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        root = str(scope.get("root_path") or "").rstrip("/")
        if scope.get("method") in ("GET", "HEAD") and "text/html" in _header(scope, b"accept"):
            await _respond(send, 303, b"", "text/plain", [(b"location", (root + LOGIN_PATH).encode("latin-1"))])
            return
        await _json(send, 401, self.t("login.required"))

    # -- /gradio_api/file= -------------------------------------------------------
    async def _file_route(self, scope: Scope, path: str, user: str, address: str, send: Send) -> Scope | None:
        """The scope to serve, or None when refused (already answered)."""
        marker = next(m for m in FILE_MARKERS if m in path)
        target = path.split(marker, 1)[1]
        if marker == "/gradio_api/file/":
            target = "/" + target if not target.startswith("/") else target
        if target.startswith(("http:/", "https:/")):
            # gradio_client fetches outputs as file=<url>: our own download links are served by our
            # route (which checks the session again); we never fetch anything else.
            url = urlsplit(target.replace(":/", "://", 1) if "://" not in target else target)
            if marker != "/gradio_api/proxy=" and url.path.startswith(DOWNLOAD_PREFIX + "/"):
                local = url.path
                return {**scope, "path": local, "raw_path": quote(local).encode("latin-1"), "query_string": b""}
            await self._refuse_file(send, user, address, target)
            return None
        if marker == "/gradio_api/proxy=":
            await self._refuse_file(send, user, address, target)
            return None
        candidates = {Path(os.path.abspath(target)), Path(os.path.realpath(target))}
        for candidate in candidates:
            if _inside(candidate, self.data_dir) and not _inside(candidate, self.upload_dir):
                await self._refuse_file(send, user, address, target)
                return None
        return scope

    async def _refuse_file(self, send: Send, user: str, address: str, target: str) -> None:
        self.audit.record(user, "file_refused", target[:300], address=address)
        await _json(send, 404, self.t("download.missing"))

    # -- /gradio_api/upload --------------------------------------------------------
    async def _upload(self, scope: Scope, receive: Receive, send: Send, user: str, address: str) -> None:
        limit_mb = self.max_upload // (1024 * 1024)
        if not allows(self.users.role(user), "secretary"):
            self.audit.record(user, "upload_refused", "", address=address, reason="role")
            await _json(send, 403, self.t("upload.role"))
            return
        declared = _header(scope, b"content-length")
        if not declared.isdigit():
            self.audit.record(user, "upload_refused", "", address=address, reason="no length")
            await _json(send, 411, self.t("upload.length", limit=limit_mb))
            return
        size = int(declared)
        if size > self.max_upload + UPLOAD_SLACK:
            self.audit.record(user, "upload_refused", "", address=address, bytes=size, reason="too large")
            await _json(send, 413, self.t("upload.too_large", size=-(-size // (1024 * 1024)), limit=limit_mb))
            return
        state: dict[str, Any] = {"status": 0, "body": b"", "swallow": False}

        def record() -> None:
            # Before the last byte goes out, so the entry exists when the client has its answer.
            if state["status"] == 200:
                try:
                    names = [Path(p).name for p in json.loads(state["body"] or b"[]")]
                except (ValueError, TypeError):
                    names = []
                self.audit.record(user, "upload", ", ".join(names), address=address, bytes=size)
            else:
                self.audit.record(user, "upload_refused", "", address=address, bytes=size, status=state["status"])

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                if message["status"] == 413:  # Gradio's own per-file limit, in English: say it in Vietnamese
                    state["swallow"] = True
                    record()
                    await _json(send, 413, self.t("upload.too_large", size="?", limit=limit_mb))
                    return
            elif message["type"] == "http.response.body":
                if state["swallow"]:
                    return
                if len(state["body"]) < 65536:
                    state["body"] += message.get("body", b"")
                if not message.get("more_body", False):
                    record()
            await send(message)

        await self.app(scope, receive, watched)
