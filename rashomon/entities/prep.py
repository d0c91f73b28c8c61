"""Records prepared for scoring: name keys, context, place words; records of one name collapsed."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rashomon.body_names import BodyKeys, body_keys, place_groups, place_words, same_stem
from rashomon.entities.records import EntityRecord, script_of
from rashomon.names import NameKeys, name_keys, nasal_variant, skeleton
from rashomon.place_forms import place_base_form


@dataclass(slots=True)
class Prep:
    rec: EntityRecord
    keys: NameKeys
    lang: str
    co: frozenset[str]
    desc: frozenset[str]
    body: BodyKeys | None = None
    places: frozenset[str] = frozenset()  # distinct words of the name that name places of the corpus
    known_places: frozenset[str] = frozenset()  # place_names.tsv groups the whole (LOC) name is a form of
    # Where the records this one stands for were found, and their mention count: several records
    # of one name are resolved as one (see :func:`collapse`).
    articles: frozenset[str] = frozenset()
    stories: frozenset[str] = frozenset()
    count: int = 1
    # name skeleton of an organisation or place name with Polish nasal vowels spelt out (Dęblin: Demblin)
    nasal: str | None = None

    @property
    def per(self) -> bool:
        return self.rec.type == "PER"

    @property
    def partial(self) -> bool:
        return self.per and self.keys.kind in ("surname", "initials", "given")


@lru_cache(maxsize=65536)
def _mention_key(name: str) -> str:
    keys = name_keys(name, "PER")
    return keys.surname_skeleton or keys.skeleton


def person_like(name: str) -> bool:
    """A name that reads as given name + surname (a person the per-article NER typed ORG or MISC)."""
    keys = name_keys(name, "PER")
    return keys.kind == "full" and any(not g.startswith("?") for g in keys.given_groups)


def _retyped(rec: EntityRecord) -> EntityRecord:
    """The record with the per-article NER's type slips corrected by the name tables.

    The NER leaves an unknown capitalised word MISC and guesses PER for a lone unknown word: a town
    of the place tables is a place, a known first name + surname typed MISC is a person. A lone word
    typed PER stays a person when its article names someone with that surname (Jan Lublin / Lublin).
    """
    if rec.type == "MISC" and place_groups(place_base_form(rec.name, language=rec.language)):
        return replace(rec, type="LOC")
    if rec.type == "MISC" and person_like(rec.name):
        return replace(rec, type="PER")
    if rec.type == "PER" and len(rec.name.split()) == 1 and place_groups(rec.name):
        own = _mention_key(rec.name)
        keys = name_keys(rec.name, "PER", language=rec.language)
        named = any(len(n.split()) > 1 and _mention_key(n) == own for n in rec.co_mentions)
        if keys.kind == "surname" and not named:
            return replace(rec, type="LOC")
    return rec


def prep(rec: EntityRecord) -> Prep:
    rec = _retyped(rec)
    # a place's keys come from its nominative (Tarnowie, Десні: Tarnów, Десна), whatever form named the record
    name = place_base_form(rec.name, language=rec.language) if rec.type == "LOC" else rec.name
    keys = name_keys(name, rec.type, language=rec.language)
    own = _mention_key(rec.name)
    co = frozenset(k for n in rec.co_mentions if (k := _mention_key(n)) and k != own)
    words = {w.lower() for d in rec.descriptors for w in d.split() if len(w) >= 4}
    body = None if rec.type == "PER" else body_keys(name, language=rec.language)
    places = frozenset(body.distinct) if body and rec.type == "LOC" else frozenset()
    nasal = nasal_variant(name) if body else None
    return Prep(
        rec,
        keys,
        rec.language or script_of(rec.name),
        co,
        frozenset(words),
        body,
        places,
        place_groups(name) if rec.type == "LOC" else frozenset(),
        frozenset([rec.article_id] if rec.article_id else []),
        frozenset([rec.story_id] if rec.story_id else []),
        rec.count,
        name_keys(nasal, rec.type, language=rec.language).skeleton if nasal else None,
    )


def collapse(preps: list[Prep], owners: Sequence[str | None], fixed: set[int]) -> list[list[int]]:
    """Group records of one name (type, name, language, and entity when already resolved).

    Records of one full person name or one particular organisation/place name score 0.9+ with each
    other (the same name skeleton) and only a veto between two *names* can keep them apart, so they
    always end in one entity; scoring them pairwise made resolution quadratic in the mentions of a
    popular name (1,000 articles: 930k pair scores, 60 s). Each group is resolved as one record whose
    context is its members' (articles, stories, co-mentions, descriptors), so a pair of names scores
    the best context bonus any pair of their records would have had. Partial person names and
    generic-only names stay single: they attach per article or story. Records a user decision names
    stay single too.
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, p in enumerate(preps):
        single = i in fixed or p.partial or not p.keys.tokens or (p.body is not None and p.body.generic_only)
        key = (i,) if single else (owners[i], p.rec.type, p.rec.name, p.rec.language)
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def merge_preps(preps: list[Prep]) -> Prep:
    """One record standing for several of one name, with their contexts joined."""
    if len(preps) == 1:
        return preps[0]
    first = preps[0]
    return Prep(
        first.rec,
        first.keys,
        first.lang,
        frozenset().union(*(p.co for p in preps)),
        frozenset().union(*(p.desc for p in preps)),
        first.body,
        first.places,
        first.known_places,
        frozenset().union(*(p.articles for p in preps)),
        frozenset().union(*(p.stories for p in preps)),
        sum(p.count for p in preps),
        first.nasal,
    )


def mark_places(preps: list[Prep]) -> None:
    """Set ``places`` of organisation names: their words that are (a form of) a place name of the corpus.

    "Kaluga" in "Kaluga Regional Court" and "Гродненском" in "Гродненском областном суде" are place
    qualifiers because Kaluga and Гродно occur as places; they tell two courts apart. The one-word names
    of ``place_names.tsv`` count as places of every corpus ("Беларусі" / "України").
    """
    index: dict[str, set[str]] = defaultdict(set)
    for p in preps:
        if p.rec.type == "LOC" and p.body and not p.body.generic_only:
            for word in p.body.distinct:
                index[skeleton(word)[:1]].add(word)
    table = _table_place_index()
    for p in preps:
        if p.body and p.rec.type != "LOC":
            p.places = frozenset(
                w for w in p.body.distinct
                if any(_place_word(w, x) for x in index.get(skeleton(w)[:1], ()))
                or any(_table_place_word(w, x) for x in table.get(skeleton(w)[:1], ()))
                or w in p.body.located
            )  # fmt: skip


@lru_cache(maxsize=1)
def _table_place_index() -> dict[str, list[str]]:
    """One-word names of ``place_names.tsv`` by the first symbol of their skeleton."""
    out: dict[str, list[str]] = defaultdict(list)
    for word in place_words():
        out[skeleton(word)[:1]].append(word)
    return dict(out)


def _table_place_word(word: str, place: str) -> bool:
    """``word`` is an inflected or derived form of the table's ``place`` (Беларусі, Belarusian: Belarus).

    Stricter than :func:`_place_word`: the first letters agree, the place's whole skeleton begins the
    word's, which adds at most two symbols, and a skeleton of two symbols needs four shared letters
    (России: Россия), so a short word is not taken for a place (Just / Eesti).
    """
    sw, sp = skeleton(word), skeleton(place)
    if word[:1] != place[:1] or not sw.startswith(sp) or len(sw) - len(sp) > 2:
        return False
    return len(sp) >= 3 or len(os.path.commonprefix([word, place])) >= 4


def _place_word(word: str, place: str) -> bool:
    """``word`` is a form of the place name ``place``; a 2-3 symbol skeleton alone is not enough (Wolne/Vilno)."""
    if not same_stem(word, place):
        return False
    return len(skeleton(place)) >= 4 or len(os.path.commonprefix([word, place])) >= 3
