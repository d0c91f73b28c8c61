"""Compare how the articles of one story report it (``contract/compare.schema.json``).

* **statements**: each article's sentences (headlines, captions and fragments skipped), embedded and
  aligned across articles by mutual-best cosine above a calibrated threshold, with shared entities as a
  support signal. A group of aligned sentences is ``shared``; a sentence no other article echoes is
  ``unique``; aligned sentences that disagree on a number with the same unit, a date, a negation or a
  place/person are a ``conflict``, with a ``note`` such as ``4.5 h vs 3 h``. Sentences of different
  articles that are related but not aligned (same entities, same unit, different figure) are checked
  for number conflicts too, and so are claims that say the same once their figures and dates are
  masked. Counts are compared only when they count the same kind of thing ("14 vessels" is not
  "60 trucks").
* **quotes**: grouped by what was said (embedding cosine, across languages), then given the speaker
  the variants agree on, so one saying quoted in different words or languages is one group.
* **descriptors**: how each article labels each entity; **entities**: the story's entities merged
  across articles, with every surface form seen.

Modules: ``facts`` (claims, entities), ``alignment`` (embedding, statements), ``conflicts``, ``quotes``,
``render`` (entities, articles, descriptors, event date). Only the Store API and stored
:class:`~rashomon.models.Analysis` objects are read; nothing is written.
The statements' vectors are those stored when the articles were added (:mod:`rashomon.sentence_vectors`);
only statements with none stored (older databases, changed analyses) are embedded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..models import Analysis, Article
from ..store import Store
from .alignment import (
    ALIGN_THRESHOLD,
    E5_WEIGHT,
    ENTITY_SUPPORT,
    FOCUS_SUPPORT,
    Embedder,
    _details,
    _statements,
    _stored_embedder,
    _support,
    _texts,
    default_embedder,
)
from .conflicts import (
    APPROX_TOLERANCE,
    EXACT_TOLERANCE,
    MASKED_THRESHOLD,
    MAX_CONFLICT_RATIO,
    NEGATION_THRESHOLD,
    RELATED_THRESHOLD,
    ROLE_SUPPORT,
    _adjective,
    _comparable,
    _date_conflict,
    _name_conflicts,
    _number_conflicts,
    _one_spelling,
)
from .facts import (
    AGE_UNIT,
    MIN_STATEMENT_WORDS,
    _Claim,
    _claims,
    _counted_kind,
    _Doc,
    _doc,
    _fold,
    _load,
    _masked,
    _merge_entities,
    _quotes,
    _StoryEntity,
)
from .quotes import (
    QUOTE_ANY_SPEAKER,
    QUOTE_REPORTED,
    QUOTE_THRESHOLD,
    _quote_groups,
    _quote_sentences,
    _said_vectors,
)
from .render import _descriptors, _entities_json, _event_date

__all__ = [
    "ALIGN_THRESHOLD", "APPROX_TOLERANCE", "E5_WEIGHT", "ENTITY_SUPPORT", "EXACT_TOLERANCE", "FOCUS_SUPPORT",
    "MASKED_THRESHOLD", "MAX_CONFLICT_RATIO", "MIN_STATEMENT_WORDS", "NEGATION_THRESHOLD", "QUOTE_ANY_SPEAKER",
    "QUOTE_REPORTED", "QUOTE_THRESHOLD", "RELATED_THRESHOLD", "ROLE_SUPPORT", "AGE_UNIT",
    "Embedder", "compare_story", "default_embedder", "statement_texts", "syndicated_copies",
    # used by the tests and benchmarks, not a public API
    "_Claim", "_Doc", "_StoryEntity", "_adjective", "_claims", "_comparable", "_counted_kind", "_date_conflict",
    "_details", "_doc", "_masked", "_name_conflicts", "_number_conflicts", "_one_spelling", "_quote_groups",
    "_quote_sentences", "_said_vectors", "_support",
]


def compare_story(store: Store, story_id: str, *, embedder: Embedder | None = None) -> dict[str, Any]:
    """Compare the articles of one story.

    Args:
        store: an open store holding the story, its articles, analyses and entity links.
        story_id: the story's id.
        embedder: texts -> L2-normalised row vectors; when omitted, :func:`default_embedder`'s vectors
            as stored at add time, embedding only the statements that have none.

    Returns:
        A dict following ``compare.schema.json``.

    Raises:
        NotFound: no story with this id.
    """
    story = store.get_story(story_id)
    embed = embedder or _stored_embedder(store, story.article_ids)
    docs = [_load(store, article_id) for article_id in story.article_ids]
    entities = _merge_entities(store, docs)
    order = {d.article.id: i for i, d in enumerate(docs)}

    copies = syndicated_copies(story.article_ids, getattr(story, "copy_of", None) or {})
    sources = [d for d in docs if d.article.id not in copies]  # a copy's sentences do not count twice
    claims = [c for d in sources for c in _claims(d)]
    quotes = [(d, q) for d in sources for q in _quotes(d)]
    numbered = [c for c in claims if c.numbers or c.dates]
    texts = _texts(claims, [q for _d, q in quotes])
    vectors = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    for row, claim in enumerate(claims):
        claim.row = row
    sims = vectors[: len(claims)] @ vectors[: len(claims)].T if claims else np.zeros((0, 0))
    masked = sims.copy()
    if numbered:
        rows = [c.row for c in numbered]
        tail = vectors[len(claims) + len(quotes):len(claims) + len(quotes) + len(numbered)]
        masked[np.ix_(rows, rows)] = tail @ tail.T
    said = _said_vectors([q for _d, q in quotes], vectors, len(claims), len(claims) + len(quotes) + len(numbered))

    names = {e.id: e.names.most_common(1)[0][0] for e in entities.values() if e.resolved}
    labels = {d.article.id: d.article.source or d.article.title or d.article.id for d in docs}
    spellings = {e.id: frozenset(_fold(n) for n in [*e.names, *e.aliases]) for e in entities.values()}
    statements = _statements(claims, sims, masked, order, names, labels, spellings=spellings)
    quote_groups = _quote_groups(quotes, said, entities, order, statements=statements)
    languages = story.languages or sorted({d.article.language for d in docs if d.article.language})
    return {
        "story": {
            "id": story.id,
            "title": story.title,
            "event_date": _event_date([d.analysis.event_date for d in docs]) or story.event_date,
            "languages": languages,
            "articles": [d.article.to_json() for d in docs],
        },
        "entities": _entities_json(entities, order),
        "statements": statements,
        "quotes": quote_groups,
        "descriptors": _descriptors(docs),
    }



def syndicated_copies(article_ids: Sequence[str], copy_of: dict[str, str]) -> set[str]:
    """Members of a story that republish another member (hook for the story membership's ``copy_of``).

    Near-verbatim copies found at ingest are stored as copies, not articles, so they never reach a
    story; a syndicated copy with its own edits joins as an article, and story linking marks it with
    ``copy_of`` (article id -> original's id) when it knows. Until the story model carries that field
    :func:`compare_story` passes none.
    """
    members = set(article_ids)
    return {a for a, original in copy_of.items() if a in members and original in members and a != original}



def statement_texts(article: Article, analysis: Analysis) -> list[str]:
    """What :func:`compare_story` embeds for one article: its statements, quotes and statements with
    figures masked. They follow from the article and its analysis alone, not from entity links."""
    doc = _doc(article, analysis, {e.key: e.key for e in analysis.entities})
    return list(dict.fromkeys(_texts(_claims(doc), _quotes(doc))))
