"""Cross-article links kept in the store: stories (same-event clusters) and the entity registry.

:func:`update_links` runs after new articles are stored: each is placed in a story
(:func:`rashomon.stories.placement.place_in_stories`), then the entity registry is rebuilt.
:func:`recluster` rebuilds every story from scratch, honouring the user's decisions, then the registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from . import entities
from .store import EntityRow, Store
from .stories.placement import place_in_stories, rebuild_stories


def update_links(store: Store, article_ids: Iterable[str]) -> None:
    """Place new articles in stories, then resolve entities across the archive."""
    place_in_stories(store, list(article_ids))
    resolve_entities(store)


def recluster(store: Store) -> int:
    """Rebuild every story from scratch, honouring user decisions, then the entity registry.

    Returns:
        The number of stories.
    """
    count = rebuild_stories(store)
    resolve_entities(store)
    return count


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
