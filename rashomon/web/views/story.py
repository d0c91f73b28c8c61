"""One story: its articles side by side, statements aligned in rows, quotes, descriptors, timeline,
and the forms that move an article, split the story or merge it with another.

The comparison comes from ``rashomon.compare.compare_story`` behind the stored-comparison cache; the
decisions are :mod:`rashomon.decisions`' own, as the CLI's ``stories move|split|merge``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...annotate import annotate
from ...decisions import merge_stories, move_article, source_label, split_story
from ...errors import UsageError
from ...models import Analysis, Article
from ...origin import spread_lines
from ...store import Store
from ..common import StoreDep, coverage, load_compare, render, show_date, story_articles
from ..security import require_csrf

router = APIRouter(include_in_schema=False)

STATUSES = ("conflict", "shared", "unique")
STATUS_LABELS = {"shared": "Shared", "unique": "Unique", "conflict": "Conflict"}
STATUS_HELP = {
    "shared": "two or more articles state it",
    "unique": "only one article states it",
    "conflict": "the articles state incompatible things",
}
DONE_MESSAGES = {
    "move": "The article is moved here",
    "split": "These articles are split off into this new story",
    "merge": "The stories are merged into this one",
}
# The move and merge targets are picked from a list of the newest stories, shown in two forms on every
# story page: 200 of them (~100 bytes each) add ~40 kB; any other story's id can be typed in.
STORY_CHOICES = 200


def _columns(articles: list[Article]) -> list[dict[str, Any]]:
    labels = [source_label(a) for a in articles]
    columns = []
    for article, label in zip(articles, labels, strict=True):
        if labels.count(label) > 1:  # two articles of one outlet: tell them apart by language/date
            label = f"{label} ({article.language or show_date(article.published)})"
        columns.append({"article": article, "label": label})
    return columns


def statement_rows(
    result: dict[str, Any], article_ids: list[str], status: str | None
) -> list[dict[str, Any]]:
    """Statements as rows with one cell (a list of claims) per article column."""
    rows = []
    for statement in result.get("statements", []):
        if status and statement.get("status") != status:
            continue
        cells: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for claim in statement.get("claims", []):
            cells[claim["article"]].append(claim)
        rows.append({
            "id": statement.get("id", ""),
            "status": statement.get("status", "unique"),
            "note": statement.get("note"),
            "cells": [cells.get(a, []) for a in article_ids],
            "count": len({c["article"] for c in statement.get("claims", [])}),
        })
    return rows


def descriptor_rows(result: dict[str, Any], article_ids: list[str]) -> list[dict[str, Any]]:
    """One row per entity, one cell per article: how each source labels it."""
    names = {e["id"]: e for e in result.get("entities", [])}
    by_entity: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for d in result.get("descriptors", []):
        texts = by_entity[d["entity"]][d["article"]]
        if d["text"] not in texts:
            texts.append(d["text"])
    rows = []
    for entity_id, per_article in by_entity.items():
        entity = names.get(entity_id)
        rows.append({
            "id": entity_id,
            "name": entity["name"] if entity else entity_id,
            "type": entity["type"] if entity else None,
            "cells": [per_article.get(a, []) for a in article_ids],
        })
    return sorted(rows, key=lambda r: (-sum(bool(c) for c in r["cells"]), r["name"].casefold()))


def timeline(articles: list[Article], analyses: dict[str, Analysis | None]) -> list[dict[str, Any]]:
    """Dates of the story: when each article was published/updated and the dates the articles mention."""
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    labels = {c["article"].id: c["label"] for c in _columns(articles)}
    for article in articles:
        for kind, stamp in (("published", article.published), ("updated", article.updated)):
            if stamp:
                events[stamp[:10]].append({"kind": kind, "article": article, "label": labels[article.id],
                                           "time": stamp, "text": None, "sentence": None})
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        seen: set[str] = set()
        for date in analysis.dates:
            if date.value in seen:
                continue
            seen.add(date.value)
            events[date.value[:10]].append({
                "kind": "mentioned", "article": article, "label": labels[article.id], "time": None,
                "text": date.text, "sentence": date.sentence, "uncertain": date.uncertain,
            })
    order = {"published": 0, "updated": 1, "mentioned": 2}

    def sort_key(day: str) -> str:
        return "~" + day if day.startswith("--") else day  # year unknown: last

    return [
        {"day": day, "display": show_date(day),
         "events": sorted(events[day], key=lambda e: (order[e["kind"]], e["time"] or "", e["label"]))}
        for day in sorted(events, key=sort_key)
    ]


def _other_stories(store: Store, story_id: str) -> list[dict[str, str]]:
    """The newest stories but this one, as choices of the move and merge forms."""
    found = [s for s in store.list_stories(limit=STORY_CHOICES + 1) if s.id != story_id][:STORY_CHOICES]
    return [{"id": s.id, "label": f"{s.title} ({len(s.article_ids)})"} for s in found]


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, store: StoreDep, status: str = "", done: str = "") -> Response:
    """The comparison page of one story."""
    story = store.get_story(story_id)
    articles = story_articles(store, story)
    columns = _columns(articles)
    article_ids = [a.id for a in articles]
    analyses = {a.id: store.get_analysis(a.id) for a in articles}
    status = status if status in STATUSES else ""

    result = load_compare(request)(store, story.id)
    context: dict[str, Any] = {
        "title": story.title,
        "story": story,
        "coverage": coverage(story),
        "columns": columns,
        "timeline": timeline(articles, analyses),
        "status": status,
        "status_labels": STATUS_LABELS,
        "status_help": STATUS_HELP,
        "done": DONE_MESSAGES.get(done, ""),
        "other_stories": _other_stories(store, story.id),
        "copies": [
            {**copy, "original": next((c for c in columns if c["article"].id == copy["original_id"]), None)}
            for copy in store.copies_of_articles(article_ids)
        ],
    }
    extra = annotate(store, result)
    context["brief"] = extra["brief"]
    context["origin"] = extra["origin"]
    labels_by_id = {c["article"].id: c["label"] for c in columns}
    context["spread"] = spread_lines(extra["origin"], labels_by_id)
    context["first_by_statement"] = {s["statement"]: labels_by_id.get(s["article"], s["article"])
                                     for s in extra["origin"]["statements"] if s["article"]}
    all_rows = statement_rows(result, article_ids, None)
    labels = {c["article"].id: c["label"] for c in columns}
    context.update({
        "rows": [r for r in all_rows if not status or r["status"] == status],
        "counts": {s: sum(r["status"] == s for r in all_rows) for s in STATUSES},
        "quotes": [
            {**group, "variants": [{**v, "label": labels.get(v["article"], v["article"])}
                                   for v in group.get("variants", [])]}
            for group in result.get("quotes", [])
        ],
        "descriptors": descriptor_rows(result, article_ids),
        "entities": result.get("entities", []),
    })
    return render(request, "story.html", context)


def _chosen_story(picked: str, typed: str, what: str) -> str:
    """The story id typed in, else the one picked from the list; a usage error when neither."""
    chosen = typed.strip() or picked.strip()
    if not chosen:
        raise UsageError(f"choose the story to {what}, or type its id")
    return chosen


@router.post("/stories/{story_id}/move", dependencies=[Depends(require_csrf)])
def move_story_article(
    story_id: str, store: StoreDep, article: Annotated[str, Form()] = "",
    story: Annotated[str, Form()] = "", story_id_typed: Annotated[str, Form(alias="story_id")] = "",
) -> Response:
    """Move one of this story's articles into another story now (kept by later rebuilds)."""
    current = store.get_story(story_id)
    if not article.strip():
        raise UsageError("choose the article to move")
    moved = store.get_article(article.strip())
    if moved.id not in current.article_ids:
        raise UsageError(f"article {moved.id} is not in story {current.id}")
    target = _chosen_story(story, story_id_typed, "move the article to")
    move_article(store, moved.id, target, by="web")
    return RedirectResponse(f"/stories/{target}?done=move", status_code=303)


@router.post("/stories/{story_id}/split", dependencies=[Depends(require_csrf)])
def split_story_articles(
    story_id: str, store: StoreDep, article: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Split the ticked articles off this story into a new story now (kept by later rebuilds)."""
    new_id = split_story(store, story_id, [a.strip() for a in article or []], by="web")
    return RedirectResponse(f"/stories/{new_id}?done=split", status_code=303)


@router.post("/stories/{story_id}/merge", dependencies=[Depends(require_csrf)])
def merge_story(
    story_id: str, store: StoreDep, story: Annotated[str, Form()] = "",
    story_id_typed: Annotated[str, Form(alias="story_id")] = "",
) -> Response:
    """Merge another story into this one now (kept by later rebuilds)."""
    current = store.get_story(story_id)
    kept = merge_stories(store, [current.id, _chosen_story(story, story_id_typed, "merge with")], by="web")
    return RedirectResponse(f"/stories/{kept}?done=merge", status_code=303)
