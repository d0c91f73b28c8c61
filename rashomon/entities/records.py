"""The records entity resolution works on, and what it returns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from rashomon.models import Analysis, Entity
from rashomon.names import NameKeys, guess_cyrillic_language, name_keys, script

# The script of a name is asked for in every pair score; names repeat across thousands of records.
script_of = lru_cache(maxsize=65536)(script)

Embedder = Callable[[Sequence[str]], Any]
"""Texts -> L2-normalised vectors, shape (n, d)."""


@dataclass(slots=True, kw_only=True)
class EntityRecord:
    """One entity as found in one article (the unit of resolution)."""

    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    language: str | None = None
    article_id: str | None = None
    story_id: str | None = None
    co_mentions: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    count: int = 1


@dataclass(slots=True)
class Alias:
    """A surface form of a resolved entity."""

    text: str
    language: str | None
    script: str
    count: int = 1


@dataclass(slots=True)
class MatchEvidence:
    """How well two records match: ``score`` in 0..1 and the reasons; ``veto`` forbids a merge."""

    score: float
    reasons: list[str] = field(default_factory=list)
    veto: bool = False


@dataclass(slots=True)
class MergeDecision:
    """Why record ``a`` and record ``b`` ended up in one entity."""

    a: str
    b: str
    score: float
    evidence: list[str]
    rule: str  # why: "shared key", "acronym", "embedding + key agreement", "surname-only", "partial", "user"


@dataclass(slots=True)
class UserDecision:
    """A forced merge or split; ``a``/``b`` are record ids, entity ids or alias texts."""

    action: Literal["merge", "split"]
    a: str
    b: str


@dataclass(slots=True)
class ResolvedEntity:
    """A global entity: canonical name, aliases, member records and the decisions that built it."""

    id: str
    type: str
    name: str
    aliases: list[Alias]
    record_ids: list[str]
    decisions: list[MergeDecision]
    records: list[EntityRecord]


def records_from_analysis(
    analysis: Analysis, *, language: str | None = None, story_id: str | None = None
) -> list[EntityRecord]:
    """One :class:`EntityRecord` per entity of an article's analysis (id ``article_id:key``)."""
    names = {e.key: e.name for e in analysis.entities}
    people = {e.key: name_keys(e.name, "PER", language=name_language(e.name, language))
              for e in analysis.entities if e.type == "PER"}  # fmt: skip
    descriptors: dict[str, list[str]] = defaultdict(list)
    for d in analysis.descriptors:
        descriptors[d.entity].append(d.text)
    return [
        EntityRecord(
            id=f"{analysis.article_id}:{e.key}",
            type=e.type,
            name=e.name,
            aliases=_aliases_of(e, [k for key, k in people.items() if key != e.key], name_language(e.name, language)),
            language=name_language(e.name, language),
            article_id=analysis.article_id,
            story_id=story_id,
            co_mentions=[n for k, n in names.items() if k != e.key],
            descriptors=descriptors.get(e.key, []),
            count=max(1, len(e.mentions)),
        )
        for e in analysis.entities
    ]


def _aliases_of(entity: Entity, others: list[NameKeys], language: str | None) -> list[str]:
    """The mention texts of one article's entity, less person mentions that may be someone else's.

    Per-article coreference may put a husband's surname (``Кавалёў``) among his wife's mentions: a form
    whose gender is certain and differs from the name's is dropped. A lone ``Корнеева`` is a woman's
    nominative and a man's genitive; when the article names a person of the other gender with that
    surname (``others``: the keys of its other person names), it is nobody's alias for certain.
    """
    texts = sorted({m.text for m in entity.mentions} | {entity.name})
    if entity.type != "PER":
        return texts
    gender = name_keys(entity.name, "PER", language=language).any_gender
    if gender is None:
        return texts
    rivals = {k.surname_skeleton for k in others if k.any_gender and k.any_gender != gender}
    out = []
    for text in texts:
        keys = name_keys(text, "PER", language=language)
        ambiguous = keys.any_gender is None and not (keys.kind == "surname" and keys.surname_skeleton in rivals)
        if text == entity.name or keys.any_gender == gender or ambiguous:
            out.append(text)
    return out


_CYRILLIC_LANGUAGES = frozenset({"ru", "be", "uk", "bg", "sr", "mk", "kk", "ky", "mn"})


def name_language(name: str, article_language: str | None) -> str | None:
    """The article's language, unless the name is written in another script ("Пул Первого" in English)."""
    name_script = script_of(name)
    if article_language is None or name_script == "Other":
        return article_language
    article_script = "Cyrl" if article_language in _CYRILLIC_LANGUAGES else "Latn"
    if name_script == article_script:
        return article_language
    return guess_cyrillic_language(name) if name_script == "Cyrl" else None
