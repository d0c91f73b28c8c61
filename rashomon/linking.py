"""Cross-article links kept in the store: stories (same-event clusters) and the entity registry.

:func:`update_links` runs after new articles are stored: each joins the best recent story or opens
one (:class:`~rashomon.stories.StoryIndex` seeded only with the stories dated near it, so the cost
does not grow with the archive), then the entity registry is rebuilt. :func:`recluster` rebuilds
every story from scratch, honouring the user's move/split/merge decisions.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from . import entities, stories
from .errors import NotFound, UsageError
from .models import Article, Story
from .store import EntityRow, Store

# Embeddings of an article's title and lead, cached per article under this name.
_VECTOR_MODEL = "story.v1"
# Undated articles are compared with the stories of this many most recently added articles.
_RECENT_FOR_UNDATED = 500
# A batch (with its nearby stories) up to this size is clustered as a whole (order-independent,
# n² pair scores: 2,000 articles ≈ 4M scores, a few seconds); larger ones are assigned one by one.
_BATCH_CLUSTER_MAX = 2000


def update_links(store: Store, article_ids: Iterable[str]) -> None:
    """Place new articles in stories, then resolve entities across the archive."""
    place_in_stories(store, list(article_ids))
    resolve_entities(store)


def _features(store: Store, articles: Sequence[Article]) -> list[stories.ArticleFeatures]:
    """Story features of stored articles, embedding only those with no cached vectors."""
    cached = store.get_vectors([a.id for a in articles], _VECTOR_MODEL)
    missing = [a for a in articles if a.id not in cached]
    fresh: dict[str, dict[str, np.ndarray]] = {}
    if missing:
        from .embeddings import article_embeddings

        embedded = article_embeddings(missing)
        for i, article in enumerate(missing):
            made = {model: matrix[i] for model, matrix in embedded.items()}
            fresh[article.id] = made
            buffer = io.BytesIO()
            np.savez(buffer, **made)
            with store.transaction():
                store.save_vector(article.id, _VECTOR_MODEL, buffer.getvalue())
    analyses = store.get_analyses([a.id for a in articles])
    features = []
    for article in articles:
        vectors: dict[str, np.ndarray] | None = fresh.get(article.id)
        if vectors is None:
            vectors = _load_vectors(cached[article.id])
        features.append(stories.features_from(article, analyses.get(article.id), embeddings=vectors))
    return features


# The header of a 1-D little-endian float32 .npy file as np.savez writes story vectors.
_NPY_FLOAT32 = re.compile(rb"\{'descr': '<f4', 'fortran_order': False, 'shape': \((\d+),\), \}")


def _load_vectors(blob: bytes) -> dict[str, np.ndarray]:
    """The arrays of an ``np.savez`` blob.

    The vectors of a few hundred nearby articles are read on every add; ``np.load`` parses each
    array header with ``ast.literal_eval`` (a third of the cost of an add), so the one header shape
    rashomon writes is read directly and anything else goes through ``np.load``.
    """
    out: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            found = _NPY_FLOAT32.search(data, 0, 128) if data[:8] == b"\x93NUMPY\x01\x00" else None
            if found is None:
                with np.load(io.BytesIO(blob)) as loaded:
                    return {key: loaded[key] for key in loaded.files}
            offset = 10 + int.from_bytes(data[8:10], "little")
            out[name.removesuffix(".npy")] = np.frombuffer(data, dtype="<f4", count=int(found[1]), offset=offset)
    return out


def place_in_stories(store: Store, article_ids: Sequence[str]) -> list[str]:
    """Put each new article in the best recent story or a new one; returns the stories touched."""
    if not article_ids:
        return []
    new = _features(store, _articles(store, article_ids))
    days = [f.day for f in new if f.day is not None]
    seeds: dict[str, str] = {}
    if days:
        window = stories.StoryIndex().scorer.window_days
        start = date.fromordinal(min(days) - window).isoformat()
        end = date.fromordinal(max(days) + window).isoformat()
        seeds.update(store.story_members_between(start, end))
    if len(days) < len(new):
        seeds.update(store.recent_story_members(_RECENT_FOR_UNDATED))
    for article_id in article_ids:
        seeds.pop(article_id, None)
    known = _features(store, _articles(store, sorted(seeds)))
    assignment = _assign(new, known, seeds)
    touched: set[str] = set()
    with store.transaction():
        for article_id, story_id in sorted(assignment.items()):
            if store.story_of(article_id) is not None:
                continue  # placed meanwhile by another process
            if story_id not in seeds.values() and story_id not in touched:
                store.save_story(Story(id=story_id, title="", event_date=None))
            store.assign_article(article_id, story_id)
            touched.add(story_id)
    for story_id in touched:
        refresh_story(store, story_id)
    return sorted(touched)


def _articles(store: Store, article_ids: Sequence[str]) -> list[Article]:
    """Stored articles in the order given, read a few hundred per query."""
    by_id: dict[str, Article] = {}
    for start in range(0, len(article_ids), 500):
        by_id.update((a.id, a) for a in store.list_articles(ids=article_ids[start : start + 500]))
    return [by_id[i] if i in by_id else store.get_article(i) for i in article_ids]


def _assign(
    new: Sequence[stories.ArticleFeatures], known: Sequence[stories.ArticleFeatures], seeds: dict[str, str]
) -> dict[str, str]:
    """Story id for each new article, given nearby stored articles and their stories.

    One new article joins the best nearby story (:class:`~rashomon.stories.StoryIndex`). A batch is
    clustered together with the nearby stories' articles, each story kept whole and apart, so the
    result does not depend on the order of the files in the batch.
    """
    if len(new) == 1 or len(new) + len(known) > _BATCH_CLUSTER_MAX:
        index = stories.StoryIndex()
        for features in known:
            index.add(features, story_key=seeds[features.article_id])
        existing = set(seeds.values())
        # Oldest first, so a story grows in the order its reports appeared.
        for features in sorted(new, key=lambda f: (f.published or date.max, f.article_id)):
            index.add(features)
        return {
            f.article_id: key if key in existing else story_id_for(index.stories()[key])
            for f in new
            for key in [index.story_of(f.article_id) or f.article_id]
        }
    groups = stories.cluster([*known, *new], pinned=seeds)
    assignment: dict[str, str] = {}
    for group in groups:
        nearby = Counter(seeds[a] for a in group if a in seeds)
        story_id = nearby.most_common(1)[0][0] if nearby else story_id_for(group)
        assignment.update({a: story_id for a in group if a not in seeds})
    return assignment


def story_id_for(article_ids: Iterable[str]) -> str:
    """A story id derived from its smallest article id: the same group gets the same id on any engine."""
    return "st_" + hashlib.sha1(min(article_ids).encode("ascii")).hexdigest()[:10]


def story_event_date(values: Iterable[str | None]) -> str | None:
    """The date most articles give for the event; a dated value wins over a year-less ``--MM-DD``."""
    counted = Counter(v for v in values if v)
    if not counted:
        return None
    full = Counter({v: n for v, n in counted.items() if not v.startswith("--")})
    best = full or counted
    return max(best, key=lambda v: (best[v], len(v), v))


def refresh_story(store: Store, story_id: str) -> Story:
    """Recompute a story's title (its earliest report's) and event date from its articles."""
    story = store.get_story(story_id)
    articles = store.list_articles(ids=story.article_ids)
    if not articles:
        return story
    earliest = min(articles, key=lambda a: (a.published or a.updated or a.added_at or "", a.id))
    events = []
    for article in articles:
        analysis = store.get_analysis(article.id)
        events.append(analysis.event_date if analysis else None)
    story.title = earliest.title
    story.event_date = story_event_date(events)
    with store.transaction():
        store.save_story(story)
    return story


def recluster(store: Store) -> int:
    """Rebuild every story from scratch, honouring user decisions; returns the number of stories."""
    articles = store.list_articles()
    features = _features(store, articles)
    pinned, merge, split = _story_constraints(store)
    groups = stories.cluster(features, pinned=pinned, merge=merge, split=split)
    with store.transaction():
        store.clear_stories()
        for group in groups:
            story_id = story_id_for(group)
            store.save_story(Story(id=story_id, title="", event_date=None))
            for article_id in group:
                store.assign_article(article_id, story_id)
    for group in groups:
        refresh_story(store, story_id_for(group))
    resolve_entities(store)
    return len(groups)


def _story_constraints(
    store: Store,
) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Pinned articles, must-link and cannot-link pairs from the user's decisions, later ones winning."""
    pinned: dict[str, str] = {}
    together: set[frozenset[str]] = set()
    apart: set[frozenset[str]] = set()

    def link(
        pairs: set[frozenset[str]], undo: set[frozenset[str]], left: Iterable[str], right: Iterable[str]
    ) -> None:
        for a in left:
            for b in right:
                if a != b:
                    pair = frozenset((a, b))
                    pairs.add(pair)
                    undo.discard(pair)

    for kind, data in store.decisions("story_move", "story_merge", "story_split"):
        if kind == "story_move":
            pinned[data["article"]] = data["story"]
            link(together, apart, [data["article"]], data.get("with", []))
        elif kind == "story_merge":
            link(together, apart, data["articles"], data["articles"])
        else:
            link(apart, together, data["articles"], data["rest"])
            keys = {pinned[a] for a in data["rest"] if a in pinned}
            for a in data["articles"]:
                if a in pinned and pinned[a] in keys:
                    del pinned[a]
    return pinned, _pairs(together), _pairs(apart)


def _pairs(links: set[frozenset[str]]) -> list[tuple[str, str]]:
    return sorted((min(p), max(p)) for p in links)


def move_article(store: Store, article_id: str, story_id: str) -> None:
    """Move an article into another story and record the decision for later rebuilds."""
    article = store.get_article(article_id)
    target = store.get_story(story_id)
    source = store.story_of(article.id)
    with store.transaction():
        store.add_decision("story_move", {"article": article.id, "story": target.id,
                                          "with": [a for a in target.article_ids if a != article.id]})
        store.assign_article(article.id, target.id)
        store.delete_empty_stories()
    refresh_story(store, target.id)
    if source and source != target.id:
        with contextlib.suppress(NotFound):  # the move emptied and removed it
            refresh_story(store, source)


def merge_stories(store: Store, story_ids: Sequence[str]) -> str:
    """Merge stories into the first one and record the decision; returns the surviving id."""
    if len(set(story_ids)) < 2:
        raise UsageError("name at least two different stories to merge")
    found = [store.get_story(s) for s in story_ids]
    target = found[0]
    members = [a for s in found for a in s.article_ids]
    with store.transaction():
        store.add_decision("story_merge", {"articles": members})
        for article_id in members:
            store.assign_article(article_id, target.id)
        store.delete_empty_stories()
    refresh_story(store, target.id)
    return target.id


def split_story(store: Store, story_id: str, article_ids: Sequence[str]) -> str:
    """Move some articles of a story into a new story and record the decision; returns its id."""
    story = store.get_story(story_id)
    chosen = [store.get_article(a).id for a in article_ids]
    outside = [a for a in chosen if a not in story.article_ids]
    if outside:
        raise UsageError(f"article {outside[0]} is not in story {story_id}")
    rest = [a for a in story.article_ids if a not in chosen]
    if not chosen or not rest:
        raise UsageError("a split needs some of the story's articles, not none or all")
    new_id = story_id_for(chosen)
    with store.transaction():
        store.add_decision("story_split", {"articles": chosen, "rest": rest})
        store.save_story(Story(id=new_id, title="", event_date=None))
        for article_id in chosen:
            store.assign_article(article_id, new_id)
    refresh_story(store, story_id)
    refresh_story(store, new_id)
    return new_id


def resolve_entities(store: Store, *, embeddings: bool = True) -> int:
    """Rebuild the global entity registry from every stored analysis; returns the entity count.

    User merges and splits recorded with ``entity_merge``/``entity_split`` decisions are honoured.
    """
    records: list[entities.EntityRecord] = []
    for article in store.list_articles():
        analysis = store.get_analysis(article.id)
        if analysis is not None:
            records.extend(entities.records_from_analysis(
                analysis, language=article.language, story_id=store.story_of(article.id)
            ))
    decisions = _entity_decisions(store)
    embedder = _cached_name_embedder(store) if embeddings else None
    resolved = entities.resolve(records, decisions=decisions, embeddings=embeddings, embedder=embedder)
    rows: list[EntityRow] = []
    mentions: list[tuple[str, str, str]] = []
    merges: list[tuple[str, str, float | None, list[str]]] = []
    for entity in resolved:
        aliases: dict[str, tuple[str, str | None, str | None, int]] = {}
        for alias in entity.aliases:
            seen = aliases.get(alias.text)
            count = alias.count + (seen[3] if seen else 0)
            aliases[alias.text] = (alias.text, alias.language, alias.script, count)
        row = EntityRow(id=entity.id, type=entity.type, name=entity.name, aliases=list(aliases.values()))
        rows.append(row)
        for record in entity.records:
            article_id, _, key = record.id.partition(":")
            mentions.append((article_id, key, entity.id))
        merges.extend((entity.id, d.b, d.score, [d.rule, *d.evidence]) for d in entity.decisions)
    with store.transaction():
        store.replace_entities(rows, mentions, merges)
    return len(rows)


def _cached_name_embedder(store: Store) -> entities.Embedder:
    """:func:`entities.e5_embedder` behind the store's ``name_vectors`` cache: each name is embedded once."""
    model = entities.E5_MODEL

    def embed(texts: Sequence[str]) -> np.ndarray:
        vectors = {name: np.frombuffer(blob, dtype=np.float32) for name, blob in
                   store.name_vectors(texts, model).items()}  # fmt: skip
        missing = [t for t in dict.fromkeys(texts) if t not in vectors]
        if missing:
            fresh = np.asarray(entities.e5_embedder(missing), dtype=np.float32)
            vectors.update(zip(missing, fresh, strict=True))
            with store.transaction():
                store.save_name_vectors([(t, vectors[t].tobytes()) for t in missing], model)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([vectors[t] for t in texts])

    return embed


def _entity_decisions(store: Store) -> list[entities.UserDecision]:
    """User merges (``names``: two entity names) and splits (``aliases`` split off from ``keep``)."""
    decisions: list[entities.UserDecision] = []
    for kind, data in store.decisions("entity_merge", "entity_split"):
        if kind == "entity_merge":
            first, second = data["names"][:2]
            decisions.append(entities.UserDecision("merge", first, second))
        elif data.get("keep"):
            anchor = data["keep"][0]
            decisions.extend(entities.UserDecision("split", alias, anchor) for alias in data["aliases"])
    return decisions
