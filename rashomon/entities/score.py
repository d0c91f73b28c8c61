"""The pair score of two records: type check, person or body name part, context bonus."""

from __future__ import annotations

from rashomon.entities.bodies import body_base, body_veto
from rashomon.entities.person import person_base, person_veto
from rashomon.entities.prep import Prep, mark_places, prep
from rashomon.entities.records import EntityRecord, MatchEvidence

# A full-name pair needs surname skeleton equal (0.75) plus at least an initial that fits (0.05);
# a similar-but-not-equal surname (0.55) plus the same first-name group (0.2) needs context too.
MERGE_THRESHOLD = 0.8
# MISC is the per-article NER's "unknown": an unknown body or an unknown town ("Bilky district",
# "каля горада Мелец") is often left MISC. A MISC record may join either; an ORG and a LOC record
# still never meet (the complete-link veto keeps them apart inside one cluster too).
_COMPATIBLE_TYPES = {frozenset({"ORG", "MISC"}), frozenset({"LOC", "MISC"})}
# Context of two records: one story, each shared co-mentioned name (at most two count) and a shared
# descriptor each add a notch, enough to lift a near match (0.75) over the threshold, never a
# non-match (a different surname scores 0, a different first-name group is vetoed).
SAME_STORY = 0.05
PER_CO_MENTION = 0.05
MAX_CO_MENTIONS = 0.1
SHARED_DESCRIPTOR = 0.05


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
    preps = [prep(a), prep(b)]
    mark_places(preps)
    return score_pair(*preps, cosine=cosine, mutual_best=mutual_best)


def types_compatible(a: str, b: str) -> bool:
    """Whether records of these two types may be one entity."""
    return a == b or frozenset({a, b}) in _COMPATIBLE_TYPES


def context_bonus(a: Prep, b: Prep, reasons: list[str]) -> float:
    """What the records' context adds to a name score (same story, co-mentions, descriptors)."""
    bonus = 0.0
    if a.stories & b.stories:
        bonus += SAME_STORY
        reasons.append("same story")
    shared = a.co & b.co
    if shared:
        bonus += min(MAX_CO_MENTIONS, PER_CO_MENTION * len(shared))
        reasons.append("co-mentioned: " + ",".join(sorted(shared)[:5]))
    if a.desc & b.desc:
        bonus += SHARED_DESCRIPTOR
        reasons.append("shared descriptor: " + ",".join(sorted(a.desc & b.desc)[:3]))
    return bonus


def score_pair(a: Prep, b: Prep, *, cosine: float | None = None, mutual_best: bool = False) -> MatchEvidence:
    """:func:`match_score` of two prepared records."""
    if not types_compatible(a.rec.type, b.rec.type):
        return MatchEvidence(0.0, [f"type differs ({a.rec.type}/{b.rec.type})"], veto=True)
    reasons: list[str] = []
    if a.per and b.per:
        veto = person_veto(a.keys, b.keys)
        if veto:
            return MatchEvidence(0.0, [veto], veto=True)
        base = person_base(a.keys, b.keys, reasons)
        if base is None:
            return MatchEvidence(0.0, reasons)
        return MatchEvidence(min(1.0, base + context_bonus(a, b, reasons)), reasons)
    if a.per or b.per:
        return MatchEvidence(0.0, ["person vs non-person"], veto=True)
    veto = body_veto(a, b)
    if veto:
        return MatchEvidence(0.0, [veto], veto=True)
    base = body_base(a, b, reasons, cosine=cosine, mutual_best=mutual_best)
    if base == 0.0:
        return MatchEvidence(0.0, reasons or ["names differ"])
    return MatchEvidence(min(1.0, base + context_bonus(a, b, reasons)), reasons)
