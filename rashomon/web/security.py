"""Security for the web app: headers (CSP), Host check, access token, body size, CSRF.

Article text, titles, sources and entity names are untrusted: templates autoescape everything, and the
Content-Security-Policy forbids inline scripts and styles, so an escaped payload that slipped through
could still not run. Forms that change data carry a signed double-submit token (cookie + field).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from .common import wants_json

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "rashomon_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "rashomon_session"
TOKEN_HEADER = "x-rashomon-token"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
# Without a token, only these Host headers are served: a page on another site that rebinds its DNS
# name to 127.0.0.1 sends its own name as Host and is refused (DNS rebinding).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Multipart framing, the CSRF field and the text options add a few kB to the files themselves.
FORM_OVERHEAD_BYTES = 64 * 1024
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PUBLIC_PREFIXES = ("/static/", "/login")


class Signer:
    """Makes and checks the app's signed tokens (CSRF and session); the key lives as long as the process."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or secrets.token_bytes(32)

    def _mac(self, value: str) -> str:
        return hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()[:32]

    def new_csrf(self) -> str:
        """A fresh CSRF token: random part + its signature."""
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._mac('csrf:' + nonce)}"

    def csrf_ok(self, value: str | None) -> bool:
        """Whether a CSRF token was made by this app."""
        if not value or value.count(".") != 1:
            return False
        nonce, mac = value.split(".")
        return hmac.compare_digest(mac, self._mac("csrf:" + nonce))

    def session_for(self, token: str) -> str:
        """The session cookie value proving a login with ``token`` (the token itself is never stored)."""
        return hmac.new(self.key, b"session:" + token.encode(), hashlib.sha256).hexdigest()


class SecurityMiddleware:
    """Pure ASGI middleware: Host check, token, body size limit, CSRF cookie, security headers."""

    def __init__(
        self, app: ASGIApp, *, signer: Signer, token: str | None, max_body_bytes: int
    ) -> None:
        self.app = app
        self.signer = signer
        self.token = token
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        rejection = self._reject(request)
        csrf = request.cookies.get(CSRF_COOKIE)
        new_csrf = None if self.signer.csrf_ok(csrf) else self.signer.new_csrf()
        scope.setdefault("state", {})["csrf_token"] = new_csrf or csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in names)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if new_csrf is not None:
                    headers.append((b"set-cookie", _cookie(CSRF_COOKIE, new_csrf, http_only=False)))
                message["headers"] = headers
            await send(message)

        if rejection is not None:
            await rejection(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _reject(self, request: Request) -> Response | None:
        """The response refusing this request, or ``None`` to let it through."""
        if self.token is None:
            if host_name(request.headers.get("host", "")) not in LOOPBACK_HOSTS:
                return PlainTextResponse("Host not allowed: rashomon serves loopback names only.", 400)
        elif not self.authenticated(request) and not request.url.path.startswith(_PUBLIC_PREFIXES):
            if wants_json(request, by_accept=True):
                return JSONResponse({"detail": "token required"}, 401,
                                    headers={"www-authenticate": 'Bearer realm="rashomon"'})
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", 303)
        if request.method in _UNSAFE_METHODS:
            length = request.headers.get("content-length")
            if length is None:
                if request.headers.get("transfer-encoding"):
                    return PlainTextResponse("A Content-Length header is required.", 411)
            elif not length.isdigit() or int(length) > self.max_body_bytes:
                limit_mb = self.max_body_bytes / 1024 / 1024
                return PlainTextResponse(f"Request too large: the limit is {limit_mb:.1f} MB.", 413)
        return None

    def authenticated(self, request: Request) -> bool:
        """Whether the request carries the token (header) or a session cookie from a token login."""
        if self.token is None:
            return True
        given = request.headers.get(TOKEN_HEADER)
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if given is not None:
            return hmac.compare_digest(given.encode(), self.token.encode())
        session = request.cookies.get(SESSION_COOKIE)
        return session is not None and hmac.compare_digest(session, self.signer.session_for(self.token))


def host_name(host: str) -> str:
    """The name part of a Host header: ``127.0.0.1:8000`` -> ``127.0.0.1``, ``[::1]:80`` -> ``[::1]``."""
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0].lower()


def _cookie(name: str, value: str, *, http_only: bool) -> bytes:
    # SameSite=Strict: no other site can make the browser send it; Secure is left to a TLS proxy.
    flags = "; Path=/; SameSite=Strict" + ("; HttpOnly" if http_only else "")
    return f"{name}={value}{flags}".encode("latin-1")


async def require_csrf(request: Request) -> None:
    """Dependency for every route that changes data: a same-origin request with the signed token."""
    if request.method not in _UNSAFE_METHODS:
        return
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, "cross-site request refused")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-origin request refused")
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form()
            field = form.get(CSRF_FIELD)
            given = field if isinstance(field, str) else None
    cookie = request.cookies.get(CSRF_COOKIE)
    signer: Signer = request.app.state.signer
    if not given or not cookie or not hmac.compare_digest(given, cookie) or not signer.csrf_ok(given):
        raise HTTPException(403, "The form has expired or did not come from this site. Reload the page "
                                 "and try again.")


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (other sites, ``//host``) becomes ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


login_router = APIRouter(include_in_schema=False)


@login_router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    """The token login page (only when the app runs with a token)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "login.html", {"next": safe_next(next), "error": None, "title": "Sign in"}
    )


@login_router.post("/login", response_class=HTMLResponse)
async def login(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    """Check the token and set a session cookie."""
    await require_csrf(request)
    expected: str | None = request.app.state.token
    if expected is None:
        return RedirectResponse(safe_next(next), 303)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "login.html",
            {"next": safe_next(next), "error": "That token is not right.", "title": "Sign in"},
            status_code=401,
        )
    response = RedirectResponse(safe_next(next), 303)
    signer: Signer = request.app.state.signer
    response.headers.append(
        "set-cookie", _cookie(SESSION_COOKIE, signer.session_for(expected), http_only=True).decode("latin-1")
    )
    return response
