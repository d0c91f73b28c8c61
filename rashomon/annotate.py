"""The comparison of a story with its origin and brief: what the CLI, the web and the exports show.

:func:`annotate` adds two optional fields to the compare JSON (``contract/compare.schema.json`` allows
added fields; their shape is in ``docs/origin.md`` and ``data/contract/compare-additions.json``):
``origin`` (:mod:`rashomon.origin`) and ``brief`` (:mod:`rashomon.brief`).
"""

from __future__ import annotations

from typing import Any

from .brief import Brief, make_brief
from .origin import Origin, story_origin
from .store import Store

__all__ = ["annotate", "brief_for", "origin_for"]


def origin_for(store: Store, comparison: dict[str, Any]) -> Origin:
    """The origin of a compared story, with the first article to state each shared statement."""
    return story_origin(store, comparison["story"]["id"], comparison=comparison)


def brief_for(comparison: dict[str, Any], origin: Origin, *, language: str | None = None) -> Brief:
    """The brief of a compared story; an article's syndicated copies count as its own source."""
    copies = {c.article: c.original for c in origin.copies if c.article}
    return make_brief(comparison, language=language, copies=copies)


def annotate(store: Store, comparison: dict[str, Any], *, language: str | None = None) -> dict[str, Any]:
    """The compare JSON with ``origin`` and ``brief`` added (a new dict; the input is not changed).

    Raises:
        NotFound: the compared story is no longer stored.
    """
    origin = origin_for(store, comparison)
    brief = brief_for(comparison, origin, language=language)
    return {**comparison, "origin": origin.to_json(), "brief": brief.to_json()}
