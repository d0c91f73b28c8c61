"""JSON shapes of the output contract, shared by the CLI and the web API."""

from __future__ import annotations

from typing import Any

from .models import Article, Story
from .store import Store


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
    return {
        "id": story.id, "title": story.title, "event_date": story.event_date,
        "languages": story.languages, "sources": story.sources,
        "articles": [article_json(store, by_id[i]) for i in story.article_ids if i in by_id],
    }
