"""The JSON API under ``/api/``: what the CLI prints with ``--json``, plus the story comparison.

Shapes follow ``contract/*.schema.json``; the OpenAPI description is at ``/api/openapi.json`` and
readable at ``/api/docs``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from ...decisions import entity_decisions, entity_details, get_entity
from ...errors import NotFound
from ...export import article_json, entity_json, story_json
from ...models import Article
from ..common import StoreDep, render
from ..highlight import sentence_context
from .entity import matches
from .stories import page_of_stories

router = APIRouter(prefix="/api")
# Databases take 64-bit integers: a larger offset made the driver fail (a 500) instead of an empty page.
MAX_OFFSET = 2**62
# Ids per look-up: below SQLite's oldest bound-parameter limit (999).
_ID_BATCH = 500


class ArticleOut(BaseModel):
    """An article's metadata (``contract/article.schema.json``)."""

    id: str
    title: str
    source: str | None
    language: str | None = Field(description="ISO 639-1 code")
    published: str | None
    updated: str | None
    url: str | None
    path: str | None
    author: str | None = None
    photo_credits: list[str]
    format: str | None = None
    encoding: str | None = None
    added_at: str | None = None
    copy_of: str | None = Field(default=None, description="id of the original, when this is a near-duplicate copy")
    similarity: float | None = None


class StoryOut(BaseModel):
    """A story with its articles (``contract/stories.schema.json``)."""

    id: str
    title: str
    event_date: str | None = Field(description="date of the event reported, not of the pages")
    languages: list[str]
    sources: list[str]
    articles: list[ArticleOut]


class AliasOut(BaseModel):
    """A surface form of an entity and where it was seen."""

    text: str
    language: str | None
    script: str | None
    count: int


class EntityOut(BaseModel):
    """A global entity with its aliases."""

    id: str
    type: str
    name: str
    aliases: list[AliasOut]


class DescriptorOut(BaseModel):
    """How one article labels the entity."""

    text: str
    article: str
    source: str
    date: str | None


class EntityDetailOut(EntityOut):
    """An entity with the articles and stories that mention it and its descriptors over time."""

    articles: list[str]
    stories: list[str]
    descriptors: list[DescriptorOut]
    decisions: list[dict[str, Any]]


class ContextOut(BaseModel):
    """A sentence of an article with its neighbours."""

    article: str
    sentence: int
    before: list[str]
    text: str
    after: list[str]


class SearchHitOut(ArticleOut):
    """An article found by full-text search."""

    snippet: str


@router.get("/stories", response_model=list[StoryOut], tags=["stories"])
def api_stories(
    store: StoreDep,
    q: Annotated[str | None, Query(description="full-text search over the articles")] = None,
    lang: Annotated[str | None, Query(description="only stories with an article in this language")] = None,
    source: Annotated[str | None, Query(description="only stories with an article from this outlet")] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD: an article on/after this date")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: an article on/before this date")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Stories, newest event first (``rashomon stories --json``)."""
    found, _total = page_of_stories(store, q=q, lang=lang, source=source, since=since, until=until, limit=limit)
    ids = [i for s in found for i in s.article_ids]
    articles: dict[str, Article] = {}
    for start in range(0, len(ids), _ID_BATCH):  # a query per batch, not one per story
        articles.update((a.id, a) for a in store.list_articles(ids=ids[start : start + _ID_BATCH]))
    return [story_json(store, s, articles) for s in found]


@router.get("/stories/{story_id}", response_model=StoryOut, tags=["stories"])
def api_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    """One story with its articles."""
    return story_json(store, store.get_story(story_id))


@router.get("/stories/{story_id}/compare", tags=["stories"])
def api_compare(story_id: str, request: Request, store: StoreDep) -> dict[str, Any]:
    """The statement-by-statement comparison of a story (``contract/compare.schema.json``)."""
    from ...annotate import annotate
    from ..common import load_compare

    story = store.get_story(story_id)
    return annotate(store, load_compare(request)(store, story.id))


@router.get("/entities", response_model=list[EntityOut], tags=["entities"])
def api_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(description="part of a name or alias")] = None,
    type: Annotated[str | None, Query(description="PER, ORG, LOC or MISC")] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 500,
) -> list[dict[str, Any]]:
    """Entities, most mentioned first."""
    rows = store.list_entities()
    if q:
        needle = q.casefold()
        rows = [r for r in rows if matches(r, needle)]
    if type:
        rows = [r for r in rows if r.type == type]
    return [entity_json(r) for r in rows[:limit]]


@router.get("/entities/{entity_id}", response_model=EntityDetailOut, tags=["entities"])
def api_entity(entity_id: str, store: StoreDep) -> dict[str, Any]:
    """One entity: aliases, the articles and stories that mention it, its descriptors over time."""
    entity = get_entity(store, entity_id)
    details = entity_details(store, entity)
    return {
        **entity_json(entity),
        "articles": [a.id for a in details["articles"]],
        "stories": [s["story"].id for s in details["stories"] if s["story"] is not None],
        "descriptors": [
            {"text": d["text"], "article": d["article"].id, "source": d["source"], "date": d["date"]}
            for d in details["descriptor_timeline"]
        ],
        "decisions": entity_decisions(store, entity.id),
    }


@router.get("/articles", response_model=list[ArticleOut], tags=["articles"])
def api_articles(
    store: StoreDep,
    lang: Annotated[str | None, Query(description="only this language")] = None,
    source: Annotated[str | None, Query(description="only this outlet")] = None,
    since: Annotated[str | None, Query(description="only published on/after YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[dict[str, Any]]:
    """Stored articles, newest first (``rashomon articles --json``)."""
    found = store.list_articles(language=lang, source=source, since=since, limit=limit, offset=offset)
    return [article_json(store, a) for a in found]


@router.get("/articles/{article_id}", tags=["articles"])
def api_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """One article with its text and analysis (``rashomon show --json``)."""
    data = article_json(store, store.get_article(article_id), full=True)
    return data


@router.get("/articles/{article_id}/context", response_model=ContextOut, tags=["articles"])
def api_context(
    article_id: str,
    store: StoreDep,
    sentence: Annotated[int, Query(ge=0)],
    around: Annotated[int, Query(ge=0, le=5)] = 1,
) -> dict[str, Any]:
    """A sentence of an article with the sentences around it."""
    article = store.get_article(article_id)
    analysis = store.get_analysis(article.id)
    context = sentence_context(analysis, article.text, sentence, around=around) if analysis else None
    if context is None or context["sentence"] is None:
        raise NotFound(f"article {article.id} has no sentence {sentence}")
    return {"article": article.id, "sentence": sentence, "before": context["before"],
            "text": context["sentence"], "after": context["after"]}


@router.get("/search", response_model=list[SearchHitOut], tags=["articles"])
def api_search(
    store: StoreDep, q: Annotated[str, Query(description="words to find")],
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[dict[str, Any]]:
    """Full-text search over titles and bodies (``rashomon search --json``)."""
    return [{**article_json(store, h.article), "snippet": h.snippet} for h in store.search(q, limit=limit)]


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> Response:
    """The API reference, rendered from the OpenAPI description (no external scripts)."""
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or ["other"])[0],
                "parameters": op.get("parameters", []),
                "responses": sorted(op.get("responses", {}).keys()),
            })
    return render(request, "api_docs.html", {"title": "API", "operations": operations, "spec": spec})
