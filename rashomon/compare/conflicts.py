"""A conflict is the same fact with incompatible values: figures of one quantity and of the same
counted things, dates of one slot, a negation, the one place or person filling one slot."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import combinations

import numpy as np

from ..models import NumberMention
from ..names import word_key
from .facts import _WORD, AGE_UNIT, _Claim, _fold, _mutual_best

# Sentences of different articles that are not aligned but related are checked for number conflicts
# when both carry a figure with the same explicit unit and are each other's best match among the
# sentences carrying it: "the hearing lasted about 4 hours" / "the session went on for about three
# hours" score 0.77-0.81. 0.77 sits just above the median of same-event, different-statement pairs
# (0.75 on the calibration pairs); the unit, mutual-best and magnitude tests supply the precision.
RELATED_THRESHOLD = 0.77


# Added there when both figures fill one role of the event (both "overnight", both requested): a
# slot signal like a shared entity ("the Odra rose 2.1 m overnight" / "Odra … podniosła się
# w nocy o 2,6 metra" scores 0.76 with the river's name missed by one side's NER).
ROLE_SUPPORT = 0.02


# A negation alone flips a statement only between near-copies: paraphrases often swap a negated verb
# for an antonym ("did not recognise" / "refused to recognise"), and two different statements about
# one meeting (a duration with "details were not disclosed" vs who sat at the table) score 0.885,
# while the same sentence with its negation removed scores 0.98. Cross-lingual flips (0.85-0.90) are
# left to the reader: a false "sources disagree" costs more trust than a missed one.
NEGATION_THRESHOLD = 0.93


# A different figure lowers the cosine of two reports of one fact: on the labelled pairs, conflicting
# pairs (same statement, another figure) score 0.77-0.88 against 0.79-0.93 for agreeing ones. With
# every figure masked ("Divers recovered the bodies of # passengers") conflicting pairs score
# 0.78-0.90 (median 0.85), and different statements with figures at most 0.85. Claims with figures
# that are each other's best masked match at this score are checked for a figure in the same unit.
MASKED_THRESHOLD = 0.83


# Figures are equal within 1% (rounding: 1.2 km vs 1,200 m), or within 10% when either side says
# "about"/"nearly" ("about 2,000" vs "2,100" agree; "about 4 hours" vs "about 3 hours" do not).
EXACT_TOLERANCE = 0.01


APPROX_TOLERANCE = 0.10


# Two figures further apart than this factor measure different things (330 kV vs 38,000 households,
# "thirty years" vs "three decades"); reported conflicts in news differ by less (3 vs 7, 18 vs 40 km).
MAX_CONFLICT_RATIO = 5.0


def _group_conflicts(
    members: list[_Claim], sims: np.ndarray, named: dict[str, set[str]], names: dict[str, str]
) -> list[str]:
    notes: list[str] = []
    for a, b in combinations(members, 2):
        notes.extend(_number_conflicts(a, b))
        dates = _date_conflict(a, b)
        if dates:
            notes.append(dates)
        if a.negated != b.negated and sims[a.row, b.row] >= NEGATION_THRESHOLD:
            notes.append(f"negated in one source only: “{(a if a.negated else b).text}”")
        notes.extend(_name_conflicts(a, b, named, names))
    return _merge_notes(notes)


def _close(a: NumberMention, b: NumberMention) -> bool:
    tolerance = APPROX_TOLERANCE if a.approximate or b.approximate else EXACT_TOLERANCE
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value))


def _comparable(a: NumberMention, b: NumberMention, kind_a: str | None = None, kind_b: str | None = None) -> bool:
    """Same unit, or one side without a unit (analysers miss some: "rund 18 Kilometer"); an age only
    with an age. A count of known things (``kind_a``/``kind_b``, :func:`_counted_kind`) only with a
    count of the same things or of unknown ones: "14 vessels" is not "60 trucks", nor "72 hours"."""
    if AGE_UNIT in (a.unit, b.unit):
        return a.unit == b.unit
    if kind_a and kind_b:
        return kind_a == kind_b
    if (kind_a and b.unit not in (None, "people")) or (kind_b and a.unit not in (None, "people")):
        return False
    return a.unit == b.unit or a.unit is None or b.unit is None


def _ratio(a: NumberMention, b: NumberMention) -> float:
    low, high = sorted((abs(a.value), abs(b.value)))
    return high / low if low else float("inf")


def _number_conflicts(a: _Claim, b: _Claim, *, unit: str | None = None, same_unit: bool = False) -> list[str]:
    """``"4.5 h vs 3 h"``: a figure of each sentence that matches none of the other's, of one quantity.

    With ``unit``, only figures in that unit count; with ``same_unit``, a figure without a unit is
    not compared with one that has a unit (claims aligned by masked figures only: "recount in 14
    districts" and "won 52%" share a shape, not a quantity).
    """
    if a.roles != b.roles:
        return []  # requested vs imposed, daily vs total: different facts that share a unit
    def comparable(n: NumberMention, m: NumberMention) -> bool:
        return _comparable(n, m, a.counted.get(n.start), b.counted.get(m.start))

    left = [n for n in a.numbers if unit is None or n.unit == unit]
    right = [n for n in b.numbers if unit is None or n.unit == unit]
    only_left = [n for n in left if not any(_close(n, m) for m in b.numbers if comparable(n, m))]
    only_right = [m for m in right if not any(_close(m, n) for n in a.numbers if comparable(n, m))]
    candidates = [
        (n.unit is None or m.unit is None, _ratio(n, m), n, m)
        for n in only_left for m in only_right
        if comparable(n, m) and _ratio(n, m) <= MAX_CONFLICT_RATIO and (n.unit == m.unit or not same_unit)
    ]
    if not candidates:
        return []
    _unitless, _r, n, m = min(candidates, key=lambda c: (c[0], c[1]))
    return [f"{_number(n)} vs {_number(m)}"]


def _number(n: NumberMention) -> str:
    value = f"{int(n.value):,}" if n.value.is_integer() else f"{n.value:,.2f}".rstrip("0").rstrip(".")
    prefix = "~" if n.approximate else ""
    if not n.unit:
        return prefix + value
    return f"{prefix}{value}{n.unit}" if n.unit == "%" else f"{prefix}{value} {n.unit}"


def _date_parts(value: str) -> tuple[str | None, str | None, str | None]:
    if value.startswith("--"):
        month, _, day = value[2:].partition("-")
        return None, month or None, day or None
    parts = value[:10].split("-")
    parts += [""] * (3 - len(parts))
    return parts[0] or None, parts[1] or None, parts[2] or None


def _dates_compatible(x: str, y: str) -> bool:
    return all(p is None or q is None or p == q for p, q in zip(_date_parts(x), _date_parts(y), strict=True))


def _date_conflict(a: _Claim, b: _Claim) -> str | None:
    """Dates of one fact that cannot be the same day; a running total's start ("since Sunday") and a
    daily figure's day ("on Friday alone") fill different slots (their roles differ). Without figures,
    "since" only dates the start of a state: "in custody since 4 May" is the day of "detained on 14 May"."""
    if not a.dates or not b.dates or not _same_date_slot(a, b):
        return None
    only_a = [d for d in a.dates if not any(_dates_compatible(d.value, e.value) for e in b.dates)]
    only_b = [e for e in b.dates if not any(_dates_compatible(e.value, d.value) for d in a.dates)]
    if not only_a or not only_b:
        return None
    x, y = max(((d, e) for d in only_a for e in only_b), key=lambda de: _shared_parts(de[0].value, de[1].value))
    return f"{x.value} vs {y.value}"


def _same_date_slot(a: _Claim, b: _Claim) -> bool:
    if a.roles == b.roles:
        return True
    return not a.numbers and not b.numbers and (a.roles ^ b.roles) <= {"cumulative"}


def _shared_parts(x: str, y: str) -> int:
    """How many of year, month and day both dates give alike: the two dates most likely of one slot."""
    return sum(p is not None and p == q for p, q in zip(_date_parts(x), _date_parts(y), strict=True))


# Names of one type both sentences give that fix the frame of a name slot when one sentence adds a
# name the other lacks: with one shared name ("fans from Lithuania came back from Augustów" / "fans
# from Lithuania crossed from Suwałki into Poland") the extra name is as likely another slot as a
# side detail.
MIN_SHARED_FRAME = 2


def _name_conflicts(a: _Claim, b: _Claim, named: dict[str, set[str]], names: dict[str, str]) -> list[str]:
    """The one place or person of each sentence, of one type, that the other sentence's article never
    names at all ("the crash happened near X" / "near Y"), in a frame both name alike: the other
    names of that type are the same in both sentences, or one sentence adds a side name to a frame
    of at least :data:`MIN_SHARED_FRAME` shared ones ("from A to Y, near C" / "from A, near the
    border with Z, to X, near C").

    Only resolved entities (those in ``names``) count: an unresolved one may be the other's spelling
    in another script. Neither is an adjective
    ("Беларускія", "польский") or another spelling of the same name.
    """

    def filled(x: _Claim, kind: str) -> set[str]:
        return {e for e, t in x.entities.items() if t == kind and e in names and not _adjective(names[e])}

    notes = []
    for kind in ("LOC", "PER"):
        left, right = filled(a, kind), filled(b, kind)
        only_left = [e for e in left if e not in named[b.article]]
        only_right = [e for e in right if e not in named[a.article]]
        if len(only_left) != 1 or len(only_right) != 1:
            continue  # two names the other article never gives fill two slots (a route, a list)
        rest_left, rest_right = left - {only_left[0]}, right - {only_right[0]}
        if rest_left != rest_right and not (
            (rest_left <= rest_right or rest_right <= rest_left) and len(rest_left & rest_right) >= MIN_SHARED_FRAME
        ):
            continue  # the other slots (a route's start, the town near which) must be filled alike
        x, y = only_left[0], only_right[0]
        if not _one_spelling(names[x], names[y]):
            notes.append(f"{names[x]} vs {names[y]}")
    return notes


# Endings of adjectives (and of Slavic place adjectives: "Літоўскія", "Шведский", "lubelskiego"),
# which NER sometimes tags as places; a surname with such an ending is a PER, not checked here.
_ADJECTIVE_END = re.compile(
    r"(?:ск|цк|зк)(?:ий|ія|ая|ое|ые|і|ый|ої|ого|ага|ую|ім|им)$|(?:sk|ck)(?:i|a|ie|iego|iej)$|isch\w*$", re.IGNORECASE
)


def _adjective(name: str) -> bool:
    words = name.split()
    return len(words) == 1 and bool(_ADJECTIVE_END.search(words[0]))


def _one_spelling(x: str, y: str) -> bool:
    """True when a word of each starts with the same three Latin letters ("Warsaw"/"Warszawa", "Kaniv"/"Канева")
    or shares its name key (:func:`rashomon.names.word_key`: "Grzegorz Wasilewski" / "Рыгор Васілеўскі")."""
    # The resolver leaves some cross-script spellings apart; two different places or people named in one
    # statement rarely share a word's first three letters, and a false "sources disagree" costs more.
    if {w[:3] for w in _fold(x).split() if len(w) > 2} & {w[:3] for w in _fold(y).split() if len(w) > 2}:
        return True
    keys_x = {word_key(w) for w in _WORD.findall(x) if len(w) > 3}
    keys_y = {word_key(w) for w in _WORD.findall(y) if len(w) > 3}
    return bool({k for k in keys_x if len(k) >= 3} & keys_y) or _acronym_of(x, y) or _acronym_of(y, x)


def _acronym_of(short: str, long: str) -> bool:
    """True when a word in capitals of ``short`` spells the initials of ``long``'s words ("ZEM" /
    "Zakładu Energetyki Miejskiej"; small words aside: "Służba Ochrony Państwa" / "SOP")."""
    words = [w for w in _WORD.findall(long) if w[:1].isupper()]
    initials = "".join(w[0] for w in words).upper()
    return len(words) >= 2 and any(len(w) >= 2 and w.isupper() and w == initials for w in _WORD.findall(short))


def _related_number_conflicts(
    by_article: dict[str, list[_Claim]], sims: np.ndarray, support: np.ndarray, group_of: dict[int, int]
) -> list[tuple[_Claim, _Claim, str]]:
    """Number conflicts between related, unaligned sentences of two articles that give figures in one unit."""
    found = []
    for left, right in combinations(by_article.values(), 2):
        units = {n.unit for c in left for n in c.numbers if n.unit} & {
            n.unit for c in right for n in c.numbers if n.unit
        }
        for unit in sorted(units, key=str):
            with_left = [c for c in left if any(n.unit == unit for n in c.numbers)]
            with_right = [c for c in right if any(n.unit == unit for n in c.numbers)]
            scores = support.copy()
            for a, b in ((a, b) for a in with_left for b in with_right if a.roles and a.roles == b.roles):
                scores[a.row, b.row] += ROLE_SUPPORT
                scores[b.row, a.row] += ROLE_SUPPORT
            for _score, a, b in _mutual_best({"l": with_left, "r": with_right}, scores, RELATED_THRESHOLD):
                if group_of[a.row] == group_of[b.row]:
                    continue
                for note in _number_conflicts(a, b, unit=unit):
                    found.append((a, b, note))
    return found


def _masked_pairs(
    by_article: dict[str, list[_Claim]], scores: np.ndarray, has: Callable[[_Claim], bool]
) -> Iterator[tuple[_Claim, _Claim]]:
    """Mutually best pairs of claims of two articles, both with ``has`` (figures, dates), scoring at
    least :data:`MASKED_THRESHOLD`."""
    for left, right in combinations(by_article.values(), 2):
        with_left = [c for c in left if has(c)]
        with_right = [c for c in right if has(c)]
        if with_left and with_right:
            for _score, a, b in _mutual_best({"l": with_left, "r": with_right}, scores, MASKED_THRESHOLD):
                yield a, b


def _masked_number_conflicts(
    by_article: dict[str, list[_Claim]], masked: np.ndarray, group_of: dict[int, int]
) -> list[tuple[_Claim, _Claim, str]]:
    """Number conflicts between unaligned claims that say the same once their figures are masked."""
    return [
        (a, b, note)
        for a, b in _masked_pairs(by_article, masked, lambda c: bool(c.numbers))
        if group_of[a.row] != group_of[b.row]
        for note in _number_conflicts(a, b, same_unit=True)
    ]


def _masked_date_conflicts(
    by_article: dict[str, list[_Claim]], masked: np.ndarray, support: np.ndarray, group_of: dict[int, int]
) -> list[tuple[_Claim, _Claim, str]]:
    """Date conflicts between unaligned claims that say the same, their dates masked or not ("was
    detained on # at his flat" / "sitzt seit dem # in Untersuchungshaft"), entity support included."""
    found: list[tuple[_Claim, _Claim, str]] = []
    for a, b in _masked_pairs(by_article, np.maximum(masked, support), lambda c: bool(c.dates)):
        note = _date_conflict(a, b) if group_of[a.row] != group_of[b.row] else None
        if note:
            found.append((a, b, note))
    return found


def _merge_notes(notes: list[str]) -> list[str]:
    """One note per kind of difference: ``38,000 vs 45,000`` and ``45,000 vs 38,000`` read as one."""
    seen: dict[frozenset[str], str] = {}
    for note in notes:
        seen.setdefault(frozenset(note.split(" vs ")), note)
    return list(seen.values())
