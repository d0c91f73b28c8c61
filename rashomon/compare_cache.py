"""Stored story comparisons: :func:`~rashomon.compare.compare_story` once per state of a story.

A comparison aligns every statement of the story's articles (their vectors are stored when they are
added, :mod:`rashomon.sentence_vectors`; up to seconds per story when they must be embedded), and
nothing it reads changes between two views of a page unless an article joins or leaves the story,
is re-analysed under another analyser version, or the entity registry relinks its entities.
:func:`cached_compare` keys the stored result on exactly those inputs, so a page view costs
a few small queries until one of them changes. One comparison is kept per story (a newer key
replaces it); the rows go with their story (``ON DELETE CASCADE``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .compare import Embedder, compare_story
from .store import Store

__all__ = ["cached_compare", "comparison_key"]

# Bumped when what compare_story returns for the same inputs changes (its shape, or its statements,
# conflicts or quote groups) in a way old rows must not survive.
_FORMAT = "compare-cache.v4"


def comparison_key(store: Store, story_id: str) -> str:
    """A digest of what a comparison of the story reads: its articles, their analysis versions, title,
    event date, and each article's entity links with the linked entities' names and types.

    Raises:
        NotFound: no story with this id.
    """
    story = store.get_story(story_id)
    analyses = store.get_analyses(story.article_ids)
    entities = {e.id: (e.type, e.name) for e in store.list_entities(article_ids=story.article_ids)}
    parts: list[Any] = [_FORMAT, story.id, story.title, story.event_date]
    for article_id in story.article_ids:
        analysis = analyses.get(article_id)
        links = sorted(store.entity_links(article_id).items())
        parts.append(
            [
                article_id,
                analysis.version if analysis else None,
                [(key, entity, entities.get(entity)) for key, entity in links],
            ]
        )
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def cached_compare(store: Store, story_id: str, *, embedder: Embedder | None = None) -> dict[str, Any]:
    """:func:`~rashomon.compare.compare_story`, reusing the stored result while its inputs are unchanged.

    Args:
        store: an open store.
        story_id: the story's id.
        embedder: passed to :func:`~rashomon.compare.compare_story` when the comparison is made.

    Returns:
        A dict following ``compare.schema.json``.

    Raises:
        NotFound: no story with this id.
    """
    key = comparison_key(store, story_id)
    found = store.cached_comparison(story_id, key)
    if found is not None:
        return found
    result = compare_story(store, story_id, embedder=embedder)
    with store.transaction():
        store.save_comparison(story_id, key, result)
    return result
