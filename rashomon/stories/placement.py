"""Stories over the store: place new articles in stories (``add``) and rebuild them (``recluster``).

:func:`place_in_stories` runs after new articles are stored: each joins the best recent story or opens
one (:class:`.index.StoryIndex` seeded only with the stories dated near it, so the cost does not grow
with the archive). :func:`rebuild_stories` regroups every article from scratch, honouring the user's
move/split/merge decisions (made with :mod:`rashomon.decisions`).
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
from typing import Any

import numpy as np

from ..errors import NotFound
from ..models import Analysis, Article, Story
from ..store import Store
from .cluster import cluster
from .features import ArticleFeatures, features_from
from .index import StoryIndex

__all__ = [
    "place_in_stories",
    "rebuild_stories",
    "refresh_story",
    "save_story_vectors",
    "story_event_date",
    "story_id_for",
]

# Embeddings of an article's title and lead, cached per article under this name; bumped when the
# embedded text changes, so stored vectors are made again (v2: the lead is cut by the analysis's
# sentence splitter, which knows abbreviations and ordinals).
_VECTOR_MODEL = "story.v2"
# Undated articles are compared with the stories of this many most recently added articles.
_RECENT_FOR_UNDATED = 500
# A batch (with its nearby stories) up to this size is clustered as a whole (order-independent,
# n² pair scores: 2,000 articles ≈ 4M scores, a few seconds); larger ones are assigned one by one.
_BATCH_CLUSTER_MAX = 2000


def _features(
    store: Store, articles: Sequence[Article], *, analyses: dict[str, Analysis] | None = None
) -> list[ArticleFeatures]:
    """Story features of stored articles, embedding only those with no cached vectors (analyses read unless given)."""
    cached = store.get_vectors([a.id for a in articles], _VECTOR_MODEL)
    missing = [a for a in articles if a.id not in cached]
    fresh: dict[str, dict[str, np.ndarray]] = {}
    if missing:
        from ..embeddings import article_embeddings

        embedded = article_embeddings(missing)
        for i, article in enumerate(missing):
            made = {model: matrix[i] for model, matrix in embedded.items()}
            fresh[article.id] = made
            with store.transaction():
                save_story_vectors(store, article.id, made)
    if analyses is None:
        analyses = store.get_analyses([a.id for a in articles])
    features = []
    for article in articles:
        vectors: dict[str, np.ndarray] | None = fresh.get(article.id)
        if vectors is None:
            vectors = _load_vectors(cached[article.id])
        features.append(features_from(article, analyses.get(article.id), embeddings=vectors))
    return features


def save_story_vectors(store: Store, article_id: str, vectors: dict[str, np.ndarray]) -> None:
    """Store an article's story embeddings (one per model), so that placing it embeds nothing."""
    buffer = io.BytesIO()
    arrays: dict[str, Any] = dict(vectors)
    np.savez(buffer, **arrays)
    store.save_vector(article_id, _VECTOR_MODEL, buffer.getvalue())


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
    """Put each new article in the best recent story or a new one; returns the stories touched.

    Placing one article may also regroup the nearby stories it links (see
    :class:`~rashomon.StoryIndex`); articles in a user decision stay where they are.
    """
    if not article_ids:
        return []
    new = _features(store, _articles(store, article_ids))
    seeds = _nearby_members(store, new)
    for article_id in article_ids:
        seeds.pop(article_id, None)
    known = _features(store, _articles(store, sorted(seeds)))
    decided = _decided_articles(store) if seeds else set()
    assignment = _assign(new, known, seeds, pinned=decided)
    existing = set(seeds.values())
    taken = set(existing)
    ids: dict[str, str] = {}  # the key of each group _assign made -> its story id
    for key in sorted(set(assignment.values())):
        if key not in existing:
            ids[key] = _unused_story_id(store, [a for a, k in assignment.items() if k == key], taken)
    touched: set[str] = set()
    with store.transaction():
        for article_id, key in sorted(assignment.items()):
            if article_id not in seeds and store.story_of(article_id) is not None:
                continue  # placed meanwhile by another process
            story_id = ids.get(key, key)
            if story_id in ids.values() and story_id not in touched:
                store.save_story(Story(id=story_id, title="", event_date=None))
            store.assign_article(article_id, story_id)
            touched.add(story_id)
            if article_id in seeds:
                touched.add(seeds[article_id])
        if any(a in seeds for a in assignment):
            store.delete_empty_stories()
    for story_id in touched:
        with contextlib.suppress(NotFound):  # emptied by a regrouping
            refresh_story(store, story_id)
    return sorted(touched)


def _nearby_members(store: Store, new: Sequence[ArticleFeatures]) -> dict[str, str]:
    """``{article id: story id}`` of the stored articles a new one may share a story with.

    Those whose pages are dated within the scorer's window of the new articles' event days, and the
    recently added articles: a page stamp only bounds the event (a page updated years later still
    reports the old event), so an article whose text gives no event day can be the same event as
    any earlier one (:mod:`rashomon.stories.dates`).
    """
    days = [f.day for f in new if f.day is not None]
    seeds: dict[str, str] = {}
    if days:
        window = StoryIndex().scorer.window_days
        start = date.fromordinal(min(days) - window).isoformat()
        end = date.fromordinal(max(days) + window).isoformat()
        seeds.update(store.story_members_between(start, end))
    seeds.update(store.recent_story_members(_RECENT_FOR_UNDATED))
    return seeds


def _decided_articles(store: Store) -> set[str]:
    """Articles named in a user's story decision: a regrouping never moves them."""
    pinned, merge, split = _story_constraints(store)
    return set(pinned) | {a for pair in [*merge, *split] for a in pair}


def _unused_story_id(store: Store, article_ids: Sequence[str], taken: set[str]) -> str:
    """:func:`story_id_for` the group, or a variant of it when another story already has that id."""
    story_id, n = story_id_for(article_ids), 1
    while story_id in taken or store.story_article_ids(story_id):
        n += 1
        story_id = story_id_for([f"{min(article_ids)}#{n}"])
    taken.add(story_id)
    return story_id


def _articles(store: Store, article_ids: Sequence[str]) -> list[Article]:
    """Stored articles in the order given, read a few hundred per query."""
    by_id: dict[str, Article] = {}
    for start in range(0, len(article_ids), 500):
        by_id.update((a.id, a) for a in store.list_articles(ids=article_ids[start : start + 500]))
    return [by_id[i] if i in by_id else store.get_article(i) for i in article_ids]


def _assign(
    new: Sequence[ArticleFeatures],
    known: Sequence[ArticleFeatures],
    seeds: dict[str, str],
    *,
    pinned: set[str],
) -> dict[str, str]:
    """The story of each new article and of each nearby article that moved.

    One new article joins the best nearby story (:class:`~rashomon.StoryIndex`), which may
    regroup the nearby stories it links, except ``pinned`` articles. A batch is clustered together
    with the nearby stories' articles, each story kept whole and apart, so the result does not depend
    on the order of the files in the batch.

    Returns:
        ``{article id: key}``: an existing story id, or a new group's key (shared by its articles).
    """
    if len(new) == 1 or len(new) + len(known) > _BATCH_CLUSTER_MAX:
        index = StoryIndex()
        # Oldest first, so a story grows in the order its reports appeared.
        for features in sorted(known, key=_arrival_order):
            index.add(features, story_key=seeds[features.article_id], pinned=features.article_id in pinned)
        for features in sorted(new, key=_arrival_order):
            index.add(features)
        placed = {f.article_id: index.story_of(f.article_id) or f.article_id for f in [*known, *new]}
        return {a: key for a, key in placed.items() if seeds.get(a) != key}
    groups = cluster([*known, *new], pinned=seeds)
    assignment: dict[str, str] = {}
    for group in groups:
        nearby = Counter(seeds[a] for a in group if a in seeds)
        key = nearby.most_common(1)[0][0] if nearby else min(group)
        assignment.update({a: key for a in group if a not in seeds})
    return assignment


def _arrival_order(features: ArticleFeatures) -> tuple[date, str]:
    return features.published or date.max, features.article_id


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
    analyses = store.get_analyses([a.id for a in articles])
    events = {a: analysis.event_date for a, analysis in analyses.items()}
    story.title, story.event_date = _title_and_date(articles, events)
    with store.transaction():
        store.save_story(story)
    return story


def _title_and_date(articles: Sequence[Article], events: dict[str, str | None]) -> tuple[str, str | None]:
    """A story's title (its earliest report's) and event date, given its articles' event dates."""
    earliest = min(articles, key=lambda a: (a.published or a.updated or a.added_at or "", a.id))
    return earliest.title, story_event_date(events.get(a.id) for a in articles)


# Articles whose features a rebuild builds at a time: their analyses are read, then dropped.
_REBUILD_CHUNK = 2000


def rebuild_stories(store: Store) -> int:
    """Regroup every stored article with :func:`.cluster.cluster`; returns the number of stories.

    Only pairs dated within the scorer's window are scored (see :mod:`rashomon.stories.blocks`), so
    the time grows with the archive, not with its square.
    """
    articles = store.list_articles()
    features: list[ArticleFeatures] = []
    events: dict[str, str | None] = {}
    for start in range(0, len(articles), _REBUILD_CHUNK):
        chunk = articles[start : start + _REBUILD_CHUNK]
        analyses = store.get_analyses([a.id for a in chunk])
        features += _features(store, chunk, analyses=analyses)
        events.update((a, analysis.event_date) for a, analysis in analyses.items())
    pinned, merge, split = _story_constraints(store)
    groups = cluster(features, pinned=pinned, merge=merge, split=split)
    by_id = {a.id: a for a in articles}
    with store.transaction():
        store.clear_stories()
        for group in groups:
            title, event_date = _title_and_date([by_id[a] for a in group], events)
            story_id = story_id_for(group)
            store.save_story(Story(id=story_id, title=title, event_date=event_date))
            for article_id in group:
                store.assign_article(article_id, story_id)
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
