"""Cross-article, cross-script entity resolution: one global entity per person, organisation or place.

Input is one :class:`EntityRecord` per entity per article (what per-article analysis found). Records
are clustered in three passes:

1. **Full names** (and every non-person name) are scored pairwise (:func:`match_score`) inside
   blocks (equal surname skeleton, equal name skeleton, cross-lingual embedding neighbours) and merged
   best-first when the score reaches :data:`MERGE_THRESHOLD` and no *veto* holds between any members of
   the two clusters (different first-name group, different surname gender, incompatible initial, user
   split): complete-link vetoes, so Viktar and Eduard of one family never meet through a shared
   surname-only mention. Organisation and place names have their own complete-link vetoes
   (:func:`~rashomon.entities.bodies.body_veto`: generic words only, different kinds of body,
   different place qualifiers, different names in one language, place names sharing no word;
   generic words per language in ``data/names/org_generic_words.tsv``), and a merge on embedding
   alone needs comparable names (``bodies._embedding_veto``).
2. **Partial person names** (surname only, initials + surname, given name only) attach to the one
   compatible full-name entity in the same article, else the same story, else (surname and initials
   only) the whole registry; with two or more candidates they stay apart.
3. Partial names left over merge with equal partial names of the same story.

:func:`extend` adds records to already resolved entities without recomputing them; :func:`resolve`
is ``extend([], records)``. Every merge is kept as a :class:`MergeDecision` with score and evidence.

Cost: records of one name (type, name, language; one resolved entity) are resolved as one record with
their joined context (:func:`~rashomon.entities.prep.collapse`), so pairs are scored between distinct
*names* in a block, not between mentions: the work grows with the vocabulary of names, not with how
often a name is reported
(synthetic archives, ``benchmarks/bench_scale.py``: 1,000 articles 4,000 records ~2 s, 10,000 articles
40,000 records ~8 s; before, 1,000 articles took 60 s and grew with the square of a name's mentions).

Modules: ``records`` (what goes in and comes out), ``prep`` (keys and context of a record, records of
one name collapsed), ``person`` (person vetoes and name weights), ``bodies`` (organisation and place
rules and weights), ``score`` (the pair score and context bonus), ``registry`` (clustering, the name
embedder).
"""

from rashomon.entities.bodies import ACRONYM_SCORE, EMBED_THRESHOLD, ORG_RATIO, PLACE_WORD_RATIO
from rashomon.entities.person import SURNAME_JW
from rashomon.entities.records import (
    Alias,
    Embedder,
    EntityRecord,
    MatchEvidence,
    MergeDecision,
    ResolvedEntity,
    UserDecision,
    records_from_analysis,
)
from rashomon.entities.registry import E5_MODEL, e5_embedder, extend, resolve
from rashomon.entities.score import MERGE_THRESHOLD, match_score

__all__ = [
    "ACRONYM_SCORE",
    "E5_MODEL",
    "EMBED_THRESHOLD",
    "MERGE_THRESHOLD",
    "ORG_RATIO",
    "PLACE_WORD_RATIO",
    "SURNAME_JW",
    "Alias",
    "Embedder",
    "EntityRecord",
    "MatchEvidence",
    "MergeDecision",
    "ResolvedEntity",
    "UserDecision",
    "e5_embedder",
    "extend",
    "match_score",
    "records_from_analysis",
    "resolve",
]
