"""JSON shapes of the output contract, shared by the CLI and the web API."""

from __future__ import annotations

from typing import Any

from .dedup import id_for_fingerprint
from .models import Article, Story
from .store import EntityRow, Store


def article_json(store: Store, article: Article, *, full: bool = False) -> dict[str, Any]:
    """An article as in ``contract/article.schema.json``; ``full`` adds text, analysis, copies, story."""
    data = article.to_json(with_text=full)
    if full:
        analysis = store.get_analysis(article.id)
        if analysis is not None:
            extra = analysis.to_json()
            extra.pop("article_id", None)
            extra["analysis_version"] = extra.pop("version")
            data.update(extra)
        data["copies"] = store.copies_of(article.id)
        data["story"] = store.story_of(article.id)
    return data


def story_json(store: Store, story: Story, articles: dict[str, Article] | None = None) -> dict[str, Any]:
    """A story as in ``contract/stories.schema.json`` (``articles``: its articles by id, when already read)."""
    by_id = articles if articles is not None else {a.id: a for a in store.list_articles(ids=story.article_ids)}
    copies: dict[str, list[dict[str, Any]]] = {}
    for copy in store.copies_of_articles([i for i in story.article_ids if i in by_id]):
        copies.setdefault(copy["original_id"], []).append(copy)
    listed: list[dict[str, Any]] = []
    for i in story.article_ids:
        if i in by_id:
            listed.append(article_json(store, by_id[i]))
            listed.extend(copy_json(c, by_id[i]) for c in copies.get(i, []))
    return story_record(story, listed)


def story_record(story: Story, articles: list[dict[str, Any]]) -> dict[str, Any]:
    """The record of ``contract/stories.schema.json``, the one shape of a story for the CLI, the API and
    ``rashomon batch``: ``articles`` are article JSON in the story's order (near-duplicates after their
    originals), the sources are the story's and the near-duplicates' outlets."""
    sources = sorted({*story.sources, *(a["source"] for a in articles if a["source"])})
    return {
        "id": story.id, "title": story.title, "event_date": story.event_date,
        "languages": story.languages, "sources": sources, "articles": articles,
    }


def copy_json(copy: dict[str, Any], original: Article) -> dict[str, Any]:
    """A near-duplicate listed in its original's story, marked ``copy_of`` (its text is the original's)."""
    return {
        "id": id_for_fingerprint(copy["fingerprint"]), "title": copy["title"], "source": copy["source"],
        "language": original.language, "published": None, "updated": None, "url": copy["url"],
        "path": copy["path"], "photo_credits": [], "copy_of": original.id,
        "similarity": round(float(copy["similarity"]), 4),
    }


def entity_json(entity: EntityRow) -> dict[str, Any]:
    """A global entity with its aliases (each: ``text``, ``language``, ``script``, ``count``), as the CLI's
    ``entities --json`` and the API's ``/api/entities`` give it."""
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": [
        {"text": text, "language": language, "script": script, "count": count}
        for text, language, script, count in entity.aliases
    ]}
