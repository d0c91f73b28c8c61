"""CLI commands over stories, entities and same-event similarity (registered by :mod:`rashomon.cli.main`)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .. import decisions, export, linking
from ..errors import InputError, NotFound
from ..models import Article
from ..settings import Settings
from ..store import EntityRow, Store
from .common import err, out, print_json, store_for

stories_app = typer.Typer(help="List stories, and move, split or merge them.", invoke_without_command=True)
entities_app = typer.Typer(help="List entities across articles, and merge or split them.",
                           invoke_without_command=True)


@stories_app.callback()
def stories(
    ctx: typer.Context,
    lang: Annotated[str | None, typer.Option("--lang", help="Only stories with an article in this language.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only stories this outlet covered.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only articles from YYYY-MM-DD on.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database path or URL.")] = None,
) -> None:
    """List stories: reports of one event, across outlets and languages."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    with store_for(db) as store:
        found = store.list_stories(language=lang, source=source, since=since)
        if as_json:
            print_json([export.story_json(store, s) for s in found])
            return
    table = Table("id", "event date", "articles", "sources", "languages", "title", box=None)
    for s in found:
        table.add_row(s.id, s.event_date or "", str(len(s.article_ids)), str(len(s.sources)),
                      ",".join(s.languages), s.title)
    out.print(table)


@stories_app.command("move")
def stories_move(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(help="Article to move.")],
    story_id: Annotated[str, typer.Argument(help="Story to move it into.")],
) -> None:
    """Move an article into another story (kept by `rashomon recluster`)."""
    with store_for(ctx.obj) as store:
        decisions.move_article(store, article_id, story_id, by="cli")
    out.print(f"moved {article_id} to {story_id}", markup=False)


@stories_app.command("split")
def stories_split(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="Story to split.")],
    article_ids: Annotated[list[str], typer.Argument(help="Articles that form the new story.")],
) -> None:
    """Split articles off a story into a new one (kept by `rashomon recluster`)."""
    with store_for(ctx.obj) as store:
        new_id = decisions.split_story(store, story_id, article_ids, by="cli")
    out.print(f"new story {new_id}", markup=False)


@stories_app.command("merge")
def stories_merge(
    ctx: typer.Context,
    story_ids: Annotated[list[str], typer.Argument(help="Stories to merge into the first.")],
) -> None:
    """Merge stories into one (kept by `rashomon recluster`)."""
    with store_for(ctx.obj) as store:
        kept = decisions.merge_stories(store, story_ids, by="cli")
    out.print(f"merged into {kept}", markup=False)


def story(
    story_id: Annotated[str, typer.Argument(help="Story id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database path or URL.")] = None,
) -> None:
    """Show one story: its articles, languages, sources, event date and most mentioned entities."""
    with store_for(db) as store:
        data = export.story_json(store, store.get_story(story_id))
        entity_rows = store.list_entities(article_ids=[a["id"] for a in data["articles"]])
        counts = Counter({e.id: len(set(store.entity_articles(e.id)) & {a["id"] for a in data["articles"]})
                          for e in entity_rows})
        data["entities"] = [{"id": e.id, "name": e.name, "type": e.type, "articles": counts[e.id]}
                            for e in sorted(entity_rows, key=lambda e: (-counts[e.id], e.name))]
        from .origin import story_origin_json

        data["origin"], origin_lines = story_origin_json(store, story_id)
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{data['title']}[/bold]", highlight=False)
    out.print(f"event date: {data['event_date'] or 'unknown'}; {len(data['articles'])} articles, "
                  f"{len(data['sources'])} sources, languages {', '.join(data['languages'])}", markup=False)
    table = Table("id", "published", "lang", "source", "title", box=None)
    for a in data["articles"]:
        table.add_row(a["id"], (a["published"] or a["updated"] or "")[:10], a["language"] or "",
                      a["source"] or "", a["title"])
    out.print(table)
    top = ", ".join(f"{e['name']} ({e['articles']})" for e in data["entities"][:12])
    out.print(f"entities: {top}", markup=False, highlight=False)
    for line in origin_lines:
        out.print(line, markup=False, highlight=False)


def recluster(db: Annotated[str | None, typer.Option("--db", help="Database path or URL.")] = None) -> None:
    """Rebuild all stories from scratch, keeping the moves, splits and merges you made."""
    with store_for(db) as store:
        count = linking.recluster(store)
    out.print(f"{count} stories", markup=False)


def _entity_json(store: Store, entity: EntityRow) -> dict[str, Any]:
    merges = store.merge_evidence(entity.id)
    scores = [m["score"] for m in merges if m["score"] is not None]
    return {
        **export.entity_json(entity),
        "articles": store.entity_articles(entity.id),
        "confidence": round(min(scores), 3) if scores else 1.0,
        # why each merge was made (shared key, acronym, embedding + key agreement, ...): the rule comes first
        "merges": [{**m, "why": m["evidence"][0] if m["evidence"] else m["decided_by"]} for m in merges],
    }


@entities_app.callback()
def entities(
    ctx: typer.Context,
    story_id: Annotated[str | None, typer.Option("--story", help="Only entities of this story.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database path or URL.")] = None,
) -> None:
    """List entities merged across articles, scripts and spellings, with aliases and confidence."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    with store_for(db) as store:
        ids = store.get_story(story_id).article_ids if story_id else None
        found = [_entity_json(store, e) for e in store.list_entities(article_ids=ids)]
    if as_json:
        print_json(found)
        return
    table = Table("id", "type", "name", "articles", "confidence", "aliases", box=None)
    for e in found:
        table.add_row(e["id"], e["type"], e["name"], str(len(e["articles"])), f"{e['confidence']:.2f}",
                      ", ".join(a["text"] for a in e["aliases"][:8]))
    out.print(table)


@entities_app.command("merge")
def entities_merge(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(help="Entity id or name.")],
    second: Annotated[str, typer.Argument(help="Entity id or name to merge with it.")],
) -> None:
    """Record that two entities are the same (kept by reanalyse and recluster)."""
    with store_for(ctx.obj) as store:
        a, b = decisions.find_entity(store, first), decisions.find_entity(store, second)
        decisions.merge_entities(store, a.id, b.id, by="cli")
    out.print(f"merged {a.name} and {b.name}", markup=False)


@entities_app.command("split")
def entities_split(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="Entity id or name.")],
    aliases: Annotated[list[str], typer.Argument(help="Aliases that name a different entity.")],
) -> None:
    """Record that some aliases of an entity name someone else (kept by reanalyse and recluster)."""
    with store_for(ctx.obj) as store:
        entity = decisions.find_entity(store, entity_id)
        decisions.split_entity(store, entity.id, aliases, by="cli")
    out.print(f"split {', '.join(aliases)} from {entity.name}", markup=False)


def _article_for(store: Store | None, ref: str) -> Article:
    """An article from a file (its first article) or, failing that, from the database by id."""
    from ..ingest import read_path

    path = Path(ref)
    if path.exists():
        for record in read_path(path, max_bytes=Settings().max_file_bytes):
            if isinstance(record, Article):
                record.id = record.id or path.name
                return record
        raise InputError(f"{path}: no readable article")
    if store is None:
        raise NotFound(f"{ref} is neither a file nor, without --db, an article id")
    return store.get_article(ref)


def similarity(
    first: Annotated[str | None, typer.Argument(help="File or article id.")] = None,
    second: Annotated[str | None, typer.Argument(help="File or article id.")] = None,
    pairs: Annotated[
        Path | None, typer.Option("--pairs", help="JSONL of {pair_id, text1, text2[, lang1, lang2]}.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write scores here (with --pairs).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database holding the article ids.")] = None,
) -> None:
    """Same-event similarity (0..1) of two articles, or of every pair in a JSONL file."""
    from .. import stories
    from ..analyse import analyse

    if pairs is not None:
        if first or second:
            raise typer.BadParameter("give either two articles or --pairs, not both")
        _score_pairs(pairs, output)
        return
    if not first or not second:
        raise typer.BadParameter("give two files or article ids, or --pairs FILE")
    with store_for(db) if db else nullcontext(None) as store:
        a, b = _article_for(store, first), _article_for(store, second)
        features = [stories.features_from(x, (store.get_analysis(x.id) if store and x.added_at else None)
                                          or analyse(x)) for x in (a, b)]
    score = stories.same_event_score(features[0], features[1])
    out.print(f"{score:.3f}", markup=False)


def _score_pairs(pairs: Path, output: Path | None) -> None:
    from .. import stories

    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        with pairs.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    score = stories.similarity_of_texts(item["text1"], item["text2"], item.get("lang1"),
                                                        item.get("lang2"))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    failed += 1
                    err.print(f"failed: {pairs} (line {number}): {type(exc).__name__}: {exc}",
                                  markup=False, highlight=False)
                    continue
                out.write(json.dumps({"pair_id": item.get("pair_id"), "similarity": round(score, 4)}) + "\n")
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {pairs}: {exc.strerror or exc}") from None
    finally:
        if output:
            out.close()
    if failed:
        raise typer.Exit(1)
