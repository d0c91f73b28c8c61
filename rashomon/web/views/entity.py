"""Entities: the registry list and one entity's page with aliases, stories, descriptors, merge/split."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...decisions import entity_decisions, entity_details, get_entity, merge_entities
from ...decisions import split_entity as split_aliases
from ...errors import UsageError
from ...store import EntityRow
from ..common import StoreDep, render
from ..security import require_csrf

router = APIRouter(include_in_schema=False)

TYPE_NAMES = {"PER": "Person", "ORG": "Organisation", "LOC": "Place", "MISC": "Other"}
# The merge target is picked from a list; beyond this many same-type entities the list would be
# unusable anyway, and the id can still be typed in.
MERGE_CHOICES = 500


def matches(row: EntityRow, needle: str) -> bool:
    """Whether a casefolded search string is in the entity's name or one of its aliases."""
    return needle in row.name.casefold() or any(needle in a[0].casefold() for a in row.aliases)


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
    """Merge another entity into this one now (the decision is kept by later rebuilds)."""
    entity = get_entity(store, entity_id)
    if not other.strip():
        raise UsageError("choose the entity to merge with")
    merged = merge_entities(store, entity.id, get_entity(store, other.strip()).id, by="web")
    return RedirectResponse(f"/entities/{merged.id}?done=merge", status_code=303)


@router.post("/entities/{entity_id}/split", dependencies=[Depends(require_csrf)])
def split_entity(
    entity_id: str, store: StoreDep, alias: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Split some aliases off this entity now (the decision is kept by later rebuilds)."""
    entity = get_entity(store, entity_id)
    kept = split_aliases(store, entity.id, alias or [], by="web")
    return RedirectResponse(f"/entities/{kept.id}?done=split", status_code=303)
