"""The web app: server-rendered pages over the library, plus a JSON API under ``/api/``.

:func:`create_app` builds the FastAPI application; ``rashomon serve`` runs it with uvicorn, in one or
several worker processes (:mod:`rashomon.web.server`). Each request borrows an open store from the app's
pool (one request at a time per store), and every :class:`~rashomon.errors.RashomonError` becomes a
404/400 page or JSON error, never a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..decisions import source_label
from ..errors import InputError, NotFound, RashomonError, StoreError, UsageError
from ..settings import Settings
from .common import language_name, show_date, wants_json
from .pool import PageCache, StorePool
from .security import FORM_OVERHEAD_BYTES, SecurityMiddleware, Signer, login_router

__all__ = ["create_app"]

_HERE = Path(__file__).parent
_STATUS_TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Refused", 404: "Not found",
                  405: "Not allowed", 413: "Too large", 422: "Bad request", 503: "Unavailable"}


def create_app(
    *, db: str, token: str | None = None, settings: Settings | None = None, signing_key: bytes | None = None
) -> FastAPI:
    """Build the web application.

    Args:
        db: database path or URL, opened with :func:`~rashomon.store.open_store` into a pool of stores.
        token: when set, every request needs it (``Authorization: Bearer``, ``X-Rashomon-Token`` or
            the session cookie from ``/login``); when not, only loopback Host names are served.
        settings: limits (upload size) and pipeline switches; defaults when omitted.
        signing_key: the key of CSRF tokens and session cookies; apps given the same key (the workers
            of one ``rashomon serve``) accept each other's. A fresh random key when omitted.

    Returns:
        A FastAPI application.
    """
    from .views import api, article, entity, stories, story, upload

    settings = settings or Settings()
    stores = StorePool(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        title="rashomon",
        summary="Cross-check news: stories, statement-by-statement comparison, entities, articles.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the stock docs load scripts from a CDN; /api/docs is rendered here instead
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.stores = stores
    app.state.pages = PageCache()
    app.state.token = token
    app.state.settings = settings
    app.state.signer = Signer(signing_key)
    app.state.templates = _templates()
    app.state.compare_story = None  # seam: a callable replacing the lazy import of rashomon.compare
    app.add_middleware(
        SecurityMiddleware, signer=app.state.signer, token=token,
        max_body_bytes=settings.max_file_bytes + FORM_OVERHEAD_BYTES,
    )
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    for router in (login_router, stories.router, story.router, entity.router, article.router,
                   upload.router, api.router):
        app.include_router(router)
    _add_error_handlers(app)
    return app


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(language_name=language_name, show_date=show_date, source_label=source_label)
    return Jinja2Templates(env=env)


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as JSON for the API, as a page for a browser."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    title = _STATUS_TITLES.get(status, "Error")
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "status": status, "message": message}, status_code=status
    )


def status_for(exc: RashomonError) -> int:
    """The HTTP status of a library error: unknown ids 404, bad input 400, an unusable database 503."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InputError | UsageError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    return 400


def _add_error_handlers(app: FastAPI) -> None:
    async def on_rashomon_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RashomonError)
        return error_response(request, status_for(exc), str(exc))

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = "There is no page at this address."
        response = error_response(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if wants_json(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors())
        return error_response(request, 400, f"Some values are missing or not valid: {fields or 'request'}.")

    app.add_exception_handler(RashomonError, on_rashomon_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Validation errors without the raw input (which may be large or binary)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()]
