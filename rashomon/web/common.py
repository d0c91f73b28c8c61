"""Helpers shared by the views: the per-request store, rendering, cached pages, labels and date display."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ..models import Article, Story
from ..store import Store
from .pool import PageCache, StorePool

LANGUAGE_NAMES = {
    "be": "Belarusian", "de": "German", "en": "English", "fr": "French", "lt": "Lithuanian",
    "pl": "Polish", "ru": "Russian", "uk": "Ukrainian",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def get_store(request: Request) -> Iterator[Store]:
    """Dependency: an open store from the app's pool, lent to this request alone and returned after it."""
    pool: StorePool = request.app.state.stores
    with pool.borrow() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """Render a page template with the shared helpers in its context."""
    templates: Jinja2Templates = request.app.state.templates
    context = {"token_mode": request.app.state.token is not None, **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


async def cached_page(request: Request, build: Callable[[Store], Response]) -> Response:
    """``build(store)``'s page, reused for the same address until anyone writes to the database.

    Only for pages that show nothing but the database and the address: no form tokens, nothing per user.
    A page served from the cache costs one trip to the thread pool (the version check), not three.
    """
    pool: StorePool = request.app.state.stores
    cache: PageCache[tuple[bytes, int]] = request.app.state.pages

    def fresh() -> tuple[bytes, int]:
        with pool.borrow() as store:
            response = build(store)
        return bytes(response.body), response.status_code

    # Read before the page's data: a commit landing while the page is built changes it, so the page is
    # rebuilt on the next request, and no one is shown data older than their request.
    version = await run_in_threadpool(pool.data_version)
    body, status = await cache.get((request.url.path, request.url.query), version,
                                   lambda: run_in_threadpool(fresh))
    return HTMLResponse(body, status_code=status)


def wants_json(request: Request, *, by_accept: bool = False) -> bool:
    """Whether to answer in JSON: a request under ``/api/``, or (``by_accept``) one whose Accept header asks
    for JSON, as a script does before any route is known (the access-token check)."""
    if request.url.path.startswith("/api/"):
        return True
    return by_accept and "application/json" in request.headers.get("accept", "")


def language_name(code: str | None) -> str:
    """``be`` -> ``Belarusian``; unknown codes are shown as they are."""
    if not code:
        return "unknown language"
    return LANGUAGE_NAMES.get(code, code)


def show_date(value: str | None, *, time: bool = False) -> str:
    """An ISO date(-time) for people: ``2023-03-14T08:40`` -> ``14 Mar 2023`` (``08:40`` with ``time``)."""
    if not value:
        return ""
    if value.startswith("--") and len(value) == 7:  # --MM-DD: no year known
        month, day = int(value[2:4]), int(value[5:7])
        return f"{day} {_MONTHS[month - 1]} (year unknown)" if 1 <= month <= 12 else value
    try:
        if len(value) == 4:
            return value
        if len(value) == 7:
            parsed = datetime.strptime(value, "%Y-%m")
            return f"{_MONTHS[parsed.month - 1]} {parsed.year}"
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    text = f"{parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"
    if time and len(value) > 10 and (parsed.hour or parsed.minute):
        text += f", {parsed.hour:02d}:{parsed.minute:02d}"
    return text


def coverage(story: Story) -> str:
    """``covered by 5 sources in 3 languages``."""
    sources = len(story.sources) or (1 if story.article_ids else 0)
    languages = len(story.languages)
    text = f"covered by {sources} source{'s' if sources != 1 else ''}"
    if languages:
        text += f" in {languages} language{'s' if languages != 1 else ''}"
    return text


def story_articles(store: Store, story: Story) -> list[Article]:
    """A story's articles in the story's order (oldest first)."""
    by_id = {a.id: a for a in store.list_articles(ids=story.article_ids)}
    return [by_id[i] for i in story.article_ids if i in by_id]


def load_compare(request: Request) -> Callable[[Store, str], dict[str, Any]]:
    """``rashomon.compare.compare_story`` behind the stored-comparison cache (or the app's stand-in)."""
    seam = request.app.state.compare_story
    if seam is not None:
        return seam  # type: ignore[no-any-return]
    from ..compare_cache import cached_compare  # loads the embedding stack on the first comparison only

    return cached_compare
