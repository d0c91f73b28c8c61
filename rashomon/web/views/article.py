"""One article: clean text with entities, quotes and dates marked; its metadata."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..common import StoreDep, render
from ..highlight import highlight

router = APIRouter(include_in_schema=False)


def safe_link(url: str | None) -> str | None:
    """The URL when it is an http(s) link, else ``None`` (``javascript:`` and friends are never linked)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, store: StoreDep) -> Response:
    """The article page."""
    article = store.get_article(article_id)
    analysis = store.get_analysis(article.id)
    links = store.entity_links(article.id)
    story_id = store.story_of(article.id)
    story = store.get_story(story_id) if story_id else None
    counts = None
    if analysis is not None:
        counts = {"entities": len(analysis.entities), "quotes": len(analysis.quotes),
                  "dates": len(analysis.dates), "sentences": len(analysis.sentences)}
    return render(request, "article.html", {
        "title": article.title,
        "article": article,
        "analysis": analysis,
        "counts": counts,
        "text": highlight(article.text, analysis,
                          entity_url=lambda key: f"/entities/{links[key]}" if key in links else None),
        "story": story,
        "copies": store.copies_of(article.id),
        "link": safe_link(article.url),
        "file_name": os.path.basename(article.path) if article.path else None,
    })
