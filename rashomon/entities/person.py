"""Person names: the vetoes that keep two people apart and the name part of a pair score.

The weights below add up to a score compared with :data:`~rashomon.entities.score.MERGE_THRESHOLD`
(0.8): a full-name pair merges on its names alone when the surname skeletons are equal (0.75) and the
first names agree (+0.15/0.2) or an initial fits (+0.05); a weaker surname match needs the context
bonus of :func:`~rashomon.entities.score.context_bonus` (same story, co-mentions, descriptors).
"""

from __future__ import annotations

from rapidfuzz.distance import JaroWinkler

from rashomon.names import NameKeys, given_initials, given_key, loose_skeleton

# Jaro-Winkler of two surname stems that differ in skeleton (a spelling outside the rewrite tables).
SURNAME_JW = 0.9
# Equal surname skeletons: one surname in two scripts or cases; with any agreeing first name or
# initial it reaches the threshold, alone (surname-only mentions) it does not.
SURNAME_EQUAL = 0.75
# A surname equal up to German transcription, a Polish nasal vowel or missing diacritics: one notch
# below equal, so with a first name that agrees it merges, with an initial it needs context.
SURNAME_VARIANT = 0.7
# Surname stems similar by Jaro-Winkler only: a spelling outside the tables needs the same first-name
# group (0.55 + 0.2) and context to merge.
SURNAME_SIMILAR = 0.55
# Two given names without surnames ("Ольга" / "Olga"): never enough without a lot of context.
GIVEN_ONLY = 0.3
# One name has a surname and the other none (an initial only, a given name only).
ONE_SURNAME = 0.4
# First names of one equivalence group of given_names.tsv (Аляксей / Алексей / Aleksiej).
SAME_GIVEN_GROUP = 0.2
# First names that agree otherwise (equal unknown names, German transcription): a little less sure.
SAME_GIVEN_OTHER = 0.15
# A first name in one and a fitting initial in the other (the veto already checked that it fits).
INITIAL_FITS = 0.05


def person_base(ka: NameKeys, kb: NameKeys, reasons: list[str]) -> float | None:
    """The name part of the score of two person names (reasons appended); None when surnames differ."""
    if ka.surname_skeleton and kb.surname_skeleton:
        variant = None if ka.surname_skeleton == kb.surname_skeleton else _surname_variant(ka, kb)
        if ka.surname_skeleton == kb.surname_skeleton:
            base = SURNAME_EQUAL
            reasons.append(f"surname skeleton equal ({ka.surname_skeleton})")
        elif variant:
            base = SURNAME_VARIANT
            reasons.append(variant)
        else:
            jw = JaroWinkler.normalized_similarity(ka.surname_stem or "", kb.surname_stem or "")
            if jw < SURNAME_JW:
                reasons.append(f"surnames differ ({ka.surname}/{kb.surname})")
                return None
            base = SURNAME_SIMILAR
            reasons.append(f"surname spelling similar {jw:.2f}")
    elif ka.given and kb.given and not (ka.surname or kb.surname):
        base = GIVEN_ONLY
        reasons.append("given names only")
    else:
        base = ONE_SURNAME if (ka.surname or kb.surname) else 0.0
        reasons.append("one name lacks a surname")
    if ka.given and kb.given:
        given = _given_match(ka, kb) or ""
        base += SAME_GIVEN_GROUP if given.startswith("same first-name group") else SAME_GIVEN_OTHER
        reasons.append(given)
    elif (ka.given or kb.given) and (ka.initials or kb.initials):
        base += INITIAL_FITS
        reasons.append("initial fits")
    if ka.gender and ka.gender == kb.gender:
        reasons.append(f"surname gender agrees ({ka.gender})")
    return base


def person_veto(ka: NameKeys, kb: NameKeys) -> str | None:
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
