"""Entities: the registry list and one entity's page with aliases, stories, descriptors, merge/split."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import NotFound, UsageError
from ...store import EntityRow, Store
from ..common import StoreDep, article_date, render, source_label
from ..security import require_csrf

router = APIRouter(include_in_schema=False)

SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew",
                "Hani": "Chinese", "Geor": "Georgian", "Armn": "Armenian"}
TYPE_NAMES = {"PER": "Person", "ORG": "Organisation", "LOC": "Place", "MISC": "Other"}
# The merge target is picked from a list; beyond this many same-type entities the list would be
# unusable anyway, and the id can still be typed in.
MERGE_CHOICES = 500


def get_entity(store: Store, entity_id: str) -> EntityRow:
    """One global entity by id."""
    for row in store.list_entities():
        if row.id == entity_id:
            return row
    raise NotFound(f"no entity with id {entity_id!r}")


def matches(row: EntityRow, needle: str) -> bool:
    """Whether a casefolded search string is in the entity's name or one of its aliases."""
    return needle in row.name.casefold() or any(needle in a[0].casefold() for a in row.aliases)


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
        "stories": sorted(stories.values(), key=lambda s: (s["story"] is None,
                                                            -(len(s["articles"])))),
        "articles": articles,
        "descriptors": dict(sorted(by_source.items(), key=lambda kv: kv[0].casefold())),
        "descriptor_timeline": sorted(descriptors, key=lambda d: d["date"] or ""),
    }


def entity_decisions(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Merge/split decisions recorded for this entity."""
    found = []
    for kind, data in store.decisions("entity_merge", "entity_split"):
        if entity_id == data.get("entity") or entity_id in data.get("entities", []):
            found.append({"kind": kind, **data})
    return found


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, store: StoreDep, q: str = "", type: str = "") -> Response:
    """All entities, most mentioned first, with a name filter."""
    rows = store.list_entities()
    needle = q.strip().casefold()
    if needle:
        rows = [r for r in rows if matches(r, needle)]
    if type:
        rows = [r for r in rows if r.type == type]
    return render(request, "entities.html", {
        "title": "Entities", "entities": rows[:500], "total": len(rows), "q": q, "type": type,
        "type_names": TYPE_NAMES,
    })


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, store: StoreDep, done: str = "") -> Response:
    """One entity."""
    entity = get_entity(store, entity_id)
    candidates = [r for r in store.list_entities() if r.type == entity.type and r.id != entity.id]
    candidates.sort(key=lambda r: r.name.casefold())
    return render(request, "entity.html", {
        "title": entity.name,
        "entity": entity,
        "type_name": TYPE_NAMES.get(entity.type, entity.type),
        **entity_details(store, entity),
        "candidates": candidates[:MERGE_CHOICES],
        "decisions": entity_decisions(store, entity.id),
        "done": done if done in ("merge", "split") else "",
    })


@router.post("/entities/{entity_id}/merge", dependencies=[Depends(require_csrf)])
def merge_entity(
    entity_id: str, store: StoreDep, other: Annotated[str, Form()] = "",
) -> Response:
    """Record that another entity is the same as this one (applied by the next entity rebuild)."""
    entity = get_entity(store, entity_id)
    if not other.strip():
        raise UsageError("choose the entity to merge with")
    target = get_entity(store, other.strip())
    if target.id == entity.id:
        raise UsageError("an entity cannot be merged with itself")
    with store.transaction():
        store.add_decision("entity_merge", {
            "entities": [entity.id, target.id],
            "names": [entity.name, target.name],
            "aliases": sorted({a[0] for a in entity.aliases} | {a[0] for a in target.aliases}),
            "by": "web",
        })
    return RedirectResponse(f"/entities/{entity.id}?done=merge", status_code=303)


@router.post("/entities/{entity_id}/split", dependencies=[Depends(require_csrf)])
def split_entity(
    entity_id: str, store: StoreDep, alias: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Record that some aliases name a different entity (applied by the next entity rebuild)."""
    entity = get_entity(store, entity_id)
    known = [a[0] for a in entity.aliases]
    chosen = [a for a in dict.fromkeys(alias or []) if a in known]
    if not chosen:
        raise UsageError("choose the aliases that belong to a different entity")
    if len(chosen) == len(set(known)):
        raise UsageError("leave at least one alias with the entity; to split off all of them, merge instead")
    with store.transaction():
        store.add_decision("entity_split", {
            "entity": entity.id,
            "name": entity.name,
            "aliases": chosen,
            "keep": [a for a in known if a not in chosen],
            "by": "web",
        })
    return RedirectResponse(f"/entities/{entity.id}?done=split", status_code=303)
