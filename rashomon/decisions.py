"""User decisions: the one library API the CLI and the web call to correct stories and entities.

Every decision is recorded in the store (``Store.add_decision``) in one format, so that later rebuilds
(``recluster``, ``reanalyse``, ``add``) honour it, and takes effect at once: a story decision moves the
articles now, an entity decision re-resolves the entity registry now.

Decision records (``kind``: ``data``); ``by`` says who decided (``cli``, ``web``, ``api``, ...):

- ``story_move``: ``{"article", "story", "with": [ids already in the story], "by"}``
- ``story_merge``: ``{"articles": [ids], "by"}``
- ``story_split``: ``{"articles": [ids split off], "rest": [ids left], "by"}``
- ``entity_merge``: ``{"entities": [id, id], "names": [name, name], "aliases": [...], "by"}``
- ``entity_split``: ``{"entity", "name", "aliases": [split off], "keep": [kept], "by"}``
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .errors import NotFound, UsageError
from .linking import resolve_entities
from .models import Article, Story
from .store import EntityRow, Store
from .stories.placement import refresh_story, story_id_for

__all__ = [
    "ENTITY_KINDS", "STORY_KINDS", "article_date", "entity_decisions", "entity_details", "find_entity",
    "get_entity", "merge_entities", "merge_stories", "move_article", "source_label", "split_entity",
    "split_story",
]

STORY_KINDS = ("story_move", "story_merge", "story_split")
ENTITY_KINDS = ("entity_merge", "entity_split")
# Scripts by their ISO 15924 code, as a reader names them.
SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew",
                "Hani": "Chinese", "Geor": "Georgian", "Armn": "Armenian"}


# -- stories -----------------------------------------------------------------------------------------


def move_article(store: Store, article_id: str, story_id: str, *, by: str = "api") -> None:
    """Move an article into another story and record the decision for later rebuilds."""
    article = store.get_article(article_id)
    target = store.get_story(story_id)
    source = store.story_of(article.id)
    if source == target.id:
        raise UsageError(f"article {article.id} is already in story {target.id}")
    with store.transaction():
        store.add_decision("story_move", {"article": article.id, "story": target.id,
                                          "with": [a for a in target.article_ids if a != article.id], "by": by})
        store.assign_article(article.id, target.id)
        store.delete_empty_stories()
    refresh_story(store, target.id)
    if source and source != target.id:
        with contextlib.suppress(NotFound):  # the move emptied and removed it
            refresh_story(store, source)


def merge_stories(store: Store, story_ids: Sequence[str], *, by: str = "api") -> str:
    """Merge stories into the first one and record the decision; returns the surviving id."""
    if len(set(story_ids)) < 2:
        raise UsageError("a merge needs at least two different stories (a story cannot be merged with itself)")
    found = [store.get_story(s) for s in story_ids]
    target = found[0]
    members = [a for s in found for a in s.article_ids]
    with store.transaction():
        store.add_decision("story_merge", {"articles": members, "by": by})
        for article_id in members:
            store.assign_article(article_id, target.id)
        store.delete_empty_stories()
    refresh_story(store, target.id)
    return target.id


def split_story(store: Store, story_id: str, article_ids: Sequence[str], *, by: str = "api") -> str:
    """Move some articles of a story into a new story and record the decision; returns its id."""
    story = store.get_story(story_id)
    chosen = list(dict.fromkeys(store.get_article(a).id for a in article_ids))
    outside = [a for a in chosen if a not in story.article_ids]
    if outside:
        raise UsageError(f"article {outside[0]} is not in story {story_id}")
    rest = [a for a in story.article_ids if a not in chosen]
    if not chosen or not rest:
        raise UsageError("a split needs some of the story's articles, not none or all")
    new_id = story_id_for(chosen)
    with store.transaction():
        store.add_decision("story_split", {"articles": chosen, "rest": rest, "by": by})
        store.save_story(Story(id=new_id, title="", event_date=None))
        for article_id in chosen:
            store.assign_article(article_id, new_id)
    refresh_story(store, story_id)
    refresh_story(store, new_id)
    return new_id


# -- entities ----------------------------------------------------------------------------------------


def get_entity(store: Store, entity_id: str) -> EntityRow:
    """One global entity by id (:class:`~rashomon.errors.NotFound` when there is none)."""
    return store.get_entity(entity_id)


def find_entity(store: Store, key: str) -> EntityRow:
    """An entity by id, else by its name, else by one of its aliases; a name shared by several is refused."""
    with contextlib.suppress(NotFound):
        return store.get_entity(key)
    rows = store.list_entities()
    named = [r for r in rows if r.name == key] or [r for r in rows if any(a[0] == key for a in r.aliases)]
    if len(named) == 1:
        return named[0]
    if named:
        raise UsageError(f"{key!r} names {len(named)} entities: use an id ({', '.join(r.id for r in named)})")
    raise NotFound(f"no entity with id or name {key!r}")


def _entity_naming(store: Store, alias: str, fallback: str) -> EntityRow:
    """After a re-resolution: the entity that now carries ``alias`` (the registry's ids may change)."""
    rows = store.list_entities()
    return (next((r for r in rows if r.name == alias), None)
            or next((r for r in rows if any(a[0] == alias for a in r.aliases)), None)
            or store.get_entity(fallback))


def merge_entities(store: Store, first: str, second: str, *, by: str = "api", embeddings: bool = True) -> EntityRow:
    """Record that two entities (ids or names) are one, re-resolve the registry, return the merged entity."""
    a, b = find_entity(store, first), find_entity(store, second)
    if a.id == b.id:
        raise UsageError(f"{first!r} and {second!r} name the same entity already")
    with store.transaction():
        store.add_decision("entity_merge", {
            "entities": [a.id, b.id],
            "names": [a.name, b.name],
            "aliases": sorted({x[0] for x in a.aliases} | {x[0] for x in b.aliases}),
            "by": by,
        })
    resolve_entities(store, embeddings=embeddings)
    return _entity_naming(store, a.name, a.id)


def split_entity(
    store: Store, entity: str, aliases: Sequence[str], *, by: str = "api", embeddings: bool = True
) -> EntityRow:
    """Record that some aliases of an entity (id or name) name someone else, re-resolve the registry,
    and return the entity that keeps the other aliases."""
    row = find_entity(store, entity)
    known = list(dict.fromkeys(a[0] for a in row.aliases))
    chosen = list(dict.fromkeys(aliases))
    if not chosen:
        raise UsageError("choose the aliases that belong to a different entity")
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise UsageError(f"{unknown[0]!r} is not an alias of {row.name}")
    keep = [a for a in known if a not in chosen]
    if not keep:
        raise UsageError("leave at least one alias with the entity; to split off all of them, merge instead")
    with store.transaction():
        store.add_decision("entity_split", {"entity": row.id, "name": row.name, "aliases": chosen,
                                            "keep": keep, "by": by})
    resolve_entities(store, embeddings=embeddings)
    return _entity_naming(store, keep[0], row.id)


def entity_decisions(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Merge/split decisions recorded for this entity."""
    return [{"kind": kind, **data} for kind, data in store.decisions(*ENTITY_KINDS)
            if entity_id == data.get("entity") or entity_id in data.get("entities", [])]


def source_label(article: Article | None) -> str:
    """The outlet's name, or a placeholder when the page did not say."""
    if article is None:
        return "unknown article"
    return article.source or "Unknown source"


def article_date(article: Article) -> str | None:
    """The date a reader would put on the article: published, else updated, else when it was added."""
    return article.published or article.updated or article.added_at


def entity_details(store: Store, entity: EntityRow) -> dict[str, Any]:
    """Aliases by script and language, the stories and articles that mention it, descriptors by source."""
    by_script: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alias, language, script, count in entity.aliases:
        name = SCRIPT_NAMES.get(script or "", script or "Unknown script")
        by_script[name].append({"alias": alias, "language": language, "count": count})
    articles = store.list_articles(ids=store.entity_articles(entity.id))
    stories: dict[str, dict[str, Any]] = {}
    descriptors: list[dict[str, Any]] = []
    for article in articles:
        story_id = store.story_of(article.id)
        key = story_id or ""
        if key not in stories:
            stories[key] = {"story": store.get_story(story_id) if story_id else None, "articles": []}
        stories[key]["articles"].append(article)
        analysis = store.get_analysis(article.id)
        if analysis is None:
            continue
        keys = {k for k, v in store.entity_links(article.id).items() if v == entity.id}
        for found in analysis.descriptors:
            if found.entity in keys:
                descriptors.append({"text": found.text, "article": article, "source": source_label(article),
                                    "date": article_date(article), "sentence": found.sentence})
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in sorted(descriptors, key=lambda d: d["date"] or ""):
        by_source[item["source"]].append(item)
    return {
        "aliases": dict(sorted(by_script.items())),
        "stories": sorted(stories.values(), key=lambda s: (s["story"] is None, -(len(s["articles"])))),
        "articles": articles,
        "descriptors": dict(sorted(by_source.items(), key=lambda kv: kv[0].casefold())),
        "descriptor_timeline": sorted(descriptors, key=lambda d: d["date"] or ""),
    }
