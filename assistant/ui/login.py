"""Our own sign-in: a Vietnamese login page, sessions, lock-outs, and sign-out.

Gradio's login form is English and says nothing but "Incorrect credentials"; its page embeds
the API description before anyone signs in. So the server answers ``/login`` itself:

- ``GET /login`` is a small self-contained page (no script, nothing about the API).
- ``POST /login`` takes ``username`` and ``password`` as a form, like Gradio's, so
  ``gradio_client.Client(url, auth=(name, password))`` works unchanged. The check runs in a
  small thread pool of its own: bcrypt never blocks the event loop and never waits behind model
  work. Success sets an HttpOnly, SameSite=Lax session cookie; a browser is sent on to ``/``.
- ``GET /logout`` ends the session.

Gradio learns who is signed in through ``auth_dependency`` (:meth:`Sessions.username`), so
``gr.Request.username`` keeps working in every handler.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from assistant.ui.audit import AuditLog, local_time
from assistant.ui.auth import UserStore
from assistant.ui.i18n import Texts
from assistant.ui.lockout import ADDRESS, Lock, LoginGuard

COOKIE = "chibo_session"
LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
# bcrypt threads: two keep a 2-core machine responsive while a burst of logins is checked.
LOGIN_WORKERS = 2
# A login form is tiny; anything bigger is refused before it is read (security.Gate).
MAX_LOGIN_BODY = 16 * 1024
MAX_NAME = 64


@dataclass(frozen=True)
class Outcome:
    """What a login attempt came to: ``ok`` (``value`` is the session token), ``failed`` or ``locked``
    (``value`` is the message to show; ``retry_after`` the seconds until a lock lifts)."""

    kind: str
    value: str
    retry_after: int = 0


@dataclass
class Session:
    """A signed-in browser or client: who, from where, since when."""

    user: str
    address: str
    created: float
    expires: float


class Sessions:
    """Session tokens in memory (a restart signs everyone out); 32 random bytes each.

    ``still_valid(user, created)`` is asked on every API call (:meth:`username`): with a user
    store it ends the sessions opened before the user's password changed.
    """

    def __init__(self, hours: float = 12.0, still_valid: Any = None) -> None:
        self.seconds = hours * 3600.0
        self.still_valid = still_valid
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str, address: str) -> str:
        """A new session for ``user``; its token."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self._lock:
            for old in [t for t, s in self._sessions.items() if s.expires <= now]:
                del self._sessions[old]
            self._sessions[token] = Session(user, address, now, now + self.seconds)
        return token

    def get(self, token: str | None) -> Session | None:
        """The live session of ``token`` (expired ones are dropped)."""
        if not token:
            return None
        with self._lock:
            session = self._sessions.get(token)
            if session is not None and session.expires <= time.time():
                del self._sessions[token]
                session = None
        return session

    def end(self, token: str | None) -> Session | None:
        """Forget a session; the one ended, if any."""
        with self._lock:
            return self._sessions.pop(token, None) if token else None

    def end_user(self, user: str) -> int:
        """Sign a user out everywhere (e.g. after a password change); how many sessions ended."""
        with self._lock:
            tokens = [t for t, s in self._sessions.items() if s.user == user]
            for token in tokens:
                del self._sessions[token]
        return len(tokens)

    def username(self, request: Any) -> str | None:
        """The signed-in user of a request (Gradio's ``auth_dependency``)."""
        token = request.cookies.get(COOKIE)
        session = self.get(token)
        if session is None:
            return None
        if self.still_valid is not None and not self.still_valid(session.user, session.created):
            self.end(token)
            return None
        return session.user

    def count(self) -> int:
        """Live sessions now."""
        with self._lock:
            return sum(1 for s in self._sessions.values() if s.expires > time.time())


def session_checker(users: UserStore) -> Any:
    """``still_valid`` for :class:`Sessions`: the password has not changed since signing in.

    A removed user keeps the session but every handler refuses them, with a message in Vietnamese
    (``handlers.Guard.require`` reads the user store on each call).
    """

    def still_valid(user: str, created: float) -> bool:
        info = users.get(user)
        if info is None:
            return True
        try:
            changed = dt.datetime.fromisoformat(info.password_changed).timestamp() if info.password_changed else 0.0
        except ValueError:
            return True
        return changed <= created  # stamps are whole seconds, rounded down: a change before login never ends it

    return still_valid


def client_address(request: Any) -> str:
    """The TCP peer's address ("?" when unknown). Behind a reverse proxy this is the proxy (docs/security.md)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "?"


def lock_message(t: Texts, lock: Lock) -> str:
    """'Tạm khóa … thử lại lúc 14:32 (còn khoảng 3 phút).' for a user or an address lock."""
    seconds = lock.seconds_left()
    wait = t("login.wait_minutes", minutes=-(-seconds // 60)) if seconds >= 60 else t("login.wait_seconds",
                                                                                        seconds=seconds)
    key = "login.locked_address" if lock.scope == ADDRESS else "login.locked_user"
    return t(key, time=local_time(dt.datetime.fromtimestamp(lock.until).astimezone(), "%H:%M"), wait=wait)


_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: #f4f1ec; color: #1f2937;
  font-family: "Segoe UI", Arial, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif; }}
main {{ background: #fff; border-top: 6px solid #b71c1c; border-radius: 8px; padding: 28px 28px 20px;
  width: min(92vw, 380px); box-shadow: 0 2px 12px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.45em; margin: 0 0 4px; }}
p.intro {{ margin: 0 0 18px; color: #4b5563; }}
label {{ display: block; font-weight: 600; margin: 12px 0 4px; }}
input {{ width: 100%; box-sizing: border-box; font-size: 1.05em; padding: 10px; border: 1px solid #9ca3af;
  border-radius: 6px; }}
button {{ margin-top: 18px; width: 100%; font-size: 1.05em; padding: 11px; border: 0; border-radius: 6px;
  background: #b71c1c; color: #fff; font-weight: 600; cursor: pointer; }}
#login-error {{ margin-top: 14px; padding: 10px; border-radius: 6px; background: #fdecea; color: #8a1414; }}
</style></head>
<body><main>
<h1>{title}</h1>
<p class="intro">{intro}</p>
<form method="post" action="{action}" autocomplete="on">
<label for="username">{user_label}</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="{username}" autofocus>
<label for="password">{password_label}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit" id="login-submit">{submit}</button>
</form>
{error}
</main></body></html>
"""


def login_page(t: Texts, *, error: str = "", username: str = "", root: str = "/") -> str:
    """The sign-in page in the interface language: no script, nothing about the API."""
    box = f'<div id="login-error" role="alert">{html.escape(error)}</div>' if error else ""
    return _PAGE.format(lang=t.language, action=html.escape(root.rstrip("/") + LOGIN_PATH), title=html.escape(t("app.title")), intro=html.escape(t("login.intro")),
                        user_label=html.escape(t("login.user")), password_label=html.escape(t("login.password")),
                        submit=html.escape(t("login.submit")), username=html.escape(username), error=box)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path") or "").rstrip("/") + "/"


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _same_origin(request: Request) -> bool:
    # A form posted from another site is a login-CSRF attempt. Browsers say where a request comes from in
    # Sec-Fetch-Site (no page script can set it); older ones send Origin. Clients without either (gradio_client,
    # curl) are not browsers and carry no one else's cookies.
    site = request.headers.get("sec-fetch-site")
    if site:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == request.headers.get("host", "")


class LoginService:
    """The checks behind ``POST /login``: lock-outs, bcrypt off the event loop, audit."""

    def __init__(self, users: UserStore, guard: LoginGuard, sessions: Sessions, audit: AuditLog, texts: Texts,
                 workers: int = LOGIN_WORKERS) -> None:
        self.users = users
        self.guard = guard
        self.sessions = sessions
        self.audit = audit
        self.t = texts
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chibo-login")
        self._refusals_logged: set[tuple[str, str, float]] = set()

    def attempt(self, name: str, password: str, address: str) -> Outcome:
        """Check one attempt (blocking: bcrypt), record it, and say how it went."""
        lock = self.guard.locked(name, address)
        if lock is not None:
            self._log_refusal(name, address, lock)
            return Outcome("locked", lock_message(self.t, lock), lock.seconds_left())
        if self.users.verify(name, password):
            self.guard.succeeded(name, address)
            self.audit.record(name, "login", "", address=address)
            return Outcome("ok", self.sessions.create(name, address))
        started = self.guard.failed(name, address)
        self.audit.record(name, "login_failed", "", address=address)
        for new in started:
            self.audit.record(name, "lockout", new.key, address=address, scope=new.scope,
                              until=local_time(dt.datetime.fromtimestamp(new.until).astimezone()))
        if started:
            return Outcome("locked", lock_message(self.t, started[0]), started[0].seconds_left())
        return Outcome("failed", self.t("login.failed"))

    def _log_refusal(self, name: str, address: str, lock: Lock) -> None:
        # One entry per lock and key: a flood of attempts must not flood the log.
        key = (lock.scope, lock.key, lock.until)
        if key in self._refusals_logged:
            return
        if len(self._refusals_logged) > 10_000:
            self._refusals_logged.clear()
        self._refusals_logged.add(key)
        self.audit.record(name, "login_locked", lock.key, address=address, scope=lock.scope)

    def close(self) -> None:
        """Stop the login threads."""
        self.pool.shutdown(wait=False, cancel_futures=True)


def login_routes(service: LoginService) -> APIRouter:
    """``GET/POST /login`` and ``GET /logout``; registered before Gradio's own routes so they take precedence."""
    router = APIRouter()
    t = service.t

    def page(request: Request, status: int, error: str = "", username: str = "",
             headers: dict[str, str] | None = None) -> Response:
        return HTMLResponse(login_page(t, error=error, username=username, root=_root(request)), status_code=status,
                            headers={"Cache-Control": "no-store", **(headers or {})})

    @router.get(LOGIN_PATH, include_in_schema=False)
    @router.get(LOGIN_PATH + "/", include_in_schema=False)
    async def show(request: Request) -> Response:
        if service.sessions.username(request):
            return RedirectResponse(_root(request), status_code=303)
        return page(request, 200)

    @router.post(LOGIN_PATH, include_in_schema=False)
    @router.post(LOGIN_PATH + "/", include_in_schema=False)
    async def submit(request: Request) -> Response:
        browser = _wants_html(request)
        if not _same_origin(request):
            return JSONResponse({"detail": t("login.cross_site")}, status_code=403)
        form = await request.form()
        name = str(form.get("username") or "").strip()[:MAX_NAME]
        password = str(form.get("password") or "")
        address = client_address(request)
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(service.pool, service.attempt, name, password, address)
        if outcome.kind == "ok":
            response: Response = (RedirectResponse(_root(request), status_code=303) if browser
                                  else JSONResponse({"success": True}))
            response.set_cookie(COOKIE, outcome.value, max_age=int(service.sessions.seconds), httponly=True,
                                samesite="lax", secure=request.url.scheme == "https", path="/")
            return response
        status = 429 if outcome.kind == "locked" else 401
        headers = {"Retry-After": str(outcome.retry_after)} if outcome.kind == "locked" else None
        if browser:
            return page(request, status, outcome.value, name, headers)
        return JSONResponse({"detail": outcome.value}, status_code=status, headers=headers)

    @router.get(LOGOUT_PATH, include_in_schema=False)
    @router.get(LOGOUT_PATH + "/", include_in_schema=False)
    async def logout(request: Request) -> Response:
        session = service.sessions.end(request.cookies.get(COOKIE))
        if session is not None:
            service.audit.record(session.user, "logout", "", address=client_address(request))
        response = RedirectResponse(_root(request).rstrip("/") + LOGIN_PATH, status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    return router
