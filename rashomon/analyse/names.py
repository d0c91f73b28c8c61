"""Name forms: stems of inflected names, given names, titles and grammatical gender.

Slavic languages inflect names ("Лукашэнка", "Лукашэнку", "Łukaszence"); cutting the longest case
ending listed in ``name_endings.txt`` gives a stem shared by all forms of one name, and the ending
often tells the gender ("Ціханоўская" F, "Ціханоўскі" M).
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from ..models import Entity
from ..names import morph_analyser
from .wordlists import language_key, rows, tagged, words

Gender = str  # "M", "F", "P" (plural) or "-" (unknown)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
_MIN_STEM = 3
# a fleeting vowel drops in inflection (Wróbel -> Wróbla, Павел -> Павла): compare stems without it
_FLEETING = re.compile(r"(?<=\w\w)[eoеоё](?=[лкцнрlłkcnrz]$)")
_SLAVIC = ("ru", "be", "uk", "pl")
# Ukrainian і in a closed last syllable alternates with о/е (Харків -> Харкова, Львів -> Львова)
_UK_IKAVISM = re.compile(r"і(?=[^аеєиіїоуюяь'’]$)")


@lru_cache(maxsize=16)
def _endings(language: str) -> tuple[tuple[str, str, str, str | None], ...]:
    table = [
        (r[0], r[1] if len(r) > 1 else "", r[2] if len(r) > 2 and r[2] else "-", r[3] if len(r) > 3 else None)
        for r in rows(language, "name_endings")
    ]
    return tuple(sorted(table, key=lambda e: -len(e[0])))


@lru_cache(maxsize=65536)
def stem(token: str, language: str | None) -> tuple[str, Gender]:
    """The comparable stem of one name token and the gender its ending marks.

    Args:
        token: a capitalised word ("Лукашэнкам", "Lukashenka’s").
        language: ISO 639-1 code.

    Returns:
        ``(stem, gender)``; ``gender`` is ``"-"`` when the ending does not tell.
    """
    lang = language_key(language)
    word = _POSSESSIVE.sub("", token) if lang == "en" else token
    lowered = word.lower().replace("’", "'")
    base, gender = lowered, "-"
    for ending, tail, marked, _nominative in _endings(lang):
        if lowered.endswith(ending) and len(lowered) - len(ending) >= _MIN_STEM:
            base, gender = lowered[: len(lowered) - len(ending)] + tail, marked
            break
    if lang == "uk":
        base = _UK_IKAVISM.sub("о", base)
    return (_FLEETING.sub("", base) if lang in _SLAVIC else base), gender


def stems(token: str, language: str | None) -> set[str]:
    """Every stem ``token`` could have (each listed ending cut), for lenient matching of places."""
    lang = language_key(language)
    lowered = token.lower().replace("’", "'")
    found = {lowered}
    for ending, tail, _gender, _nominative in _endings(lang):
        if lowered.endswith(ending) and len(lowered) - len(ending) >= _MIN_STEM:
            found.add(lowered[: len(lowered) - len(ending)] + tail)
    if lang == "uk":
        found = {_UK_IKAVISM.sub("о", f) for f in found}
    return {_FLEETING.sub("", f) for f in found} if lang in _SLAVIC else found


def nominative(token: str, language: str | None, gender: Gender = "-") -> str:
    """A nominative guess for an inflected surname (``Ціханоўскую`` -> ``Ціханоўская``), else ``token``.

    Endings whose nominative depends on the person's gender ("Лебедева": M "Лебедев", F itself) are
    only rewritten when ``gender`` is known.
    """
    lang = language_key(language)
    for ending, _tail, _gender, nom in _endings(lang):
        if nom is None or not token.lower().endswith(ending) or len(token) - len(ending) < _MIN_STEM:
            continue
        if "|" in nom:
            if gender not in ("M", "F"):
                return token
            nom = nom.split("|")[0 if gender == "M" else 1]
        return token[: len(token) - len(ending)] + nom
    return token


@lru_cache(maxsize=16)
def _first_names(language: str) -> dict[str, tuple[str, Gender]]:
    """Stem of a given name -> (nominative form, gender)."""
    table: dict[str, tuple[str, Gender]] = {}
    for name, gender in tagged(language, "first_names").items():
        table.setdefault(stem(name, language)[0], (name.title(), gender))
    if language == "en":  # the press transliterates East Slavic given names (Аляксандр -> Alyaksandr)
        for other in ("be", "ru", "uk"):
            for name, gender in tagged(other, "first_names").items():
                latin = anyascii(name).replace("'", "").title()
                table.setdefault(stem(latin, "en")[0], (latin, gender))
    return table


@lru_cache(maxsize=65536)
def first_name(token: str, language: str | None) -> tuple[str, Gender] | None:
    """``(nominative, gender)`` when ``token`` is a given name in any case form, else ``None``."""
    if not token[:1].isupper():
        return None
    lang = language_key(language)
    table = _first_names(lang)
    found = table.get(token.lower().replace("’", "'")) or table.get(stem(token, lang)[0])
    return found


@lru_cache(maxsize=65536)
def is_title(token: str, language: str | None) -> bool:
    """Whether ``token`` is a title or role word that precedes names ("President", "прэзідэнта")."""
    lang = language_key(language)
    lowered = token.lower().rstrip(".")
    titles = words(lang, "titles")
    if lowered in titles:
        return True
    if lang == "en":
        return False
    if lang == "de":  # "Regierungschefin", "Naftogaz-Chef": compounds and feminine forms of a title
        return any(len(t) >= 4 and lowered.endswith((t, t + "in")) for t in titles)
    base = stem(lowered, lang)[0]
    return any(
        len(t) >= 4 and (stem(t, lang)[0] == base or _feminine_of(lowered, t)) for t in titles if " " not in t
    )


def _feminine_of(word: str, title: str) -> bool:
    """ "адвакатка" of "адвакат", "кіраўніца" of "кіраўнік", "міністарка" of "міністр"."""
    if len(title) < 5 or len(word) - len(title) > 4 or len(word) < len(title):
        return False
    shared = 0
    for a, b in zip(word, title, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= len(title) - 1 and word.endswith(("ка", "ця", "ца", "ica", "ka", "ina"))


@lru_cache(maxsize=16)
def _shapes(language: str) -> re.Pattern[str]:
    endings = set(words(language, "surname_shapes"))
    endings |= {stem("xxx" + e, language)[0][3:] for e in endings} - {""}  # "энка" -> "энк"
    ordered = sorted(endings, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(map(re.escape, ordered)) + r")$") if ordered else re.compile(r"(?!)")


@lru_cache(maxsize=65536)
def looks_like_surname(token: str, language: str | None) -> bool:
    """Whether ``token`` has a typical surname ending ("-enka", "-ская", "-ski") and is long enough."""
    lang = language_key(language)
    word = _POSSESSIVE.sub("", token) if lang == "en" else token
    if len(word) < 5 or not word[:1].isupper() or word.isupper():
        return False
    return bool(_shapes(lang).search(word.lower()) or _shapes(lang).search(stem(word, lang)[0]))


def person_gender(entity: Entity, language: str | None) -> Gender:
    """The gender of a person entity from its given name or its surname ending, ``"-"`` if unknown."""
    tokens = entity.name.split()
    if not tokens:
        return "-"
    given = first_name(tokens[0], language) if len(tokens) > 1 else None
    if given and given[1] in ("M", "F"):
        return given[1]
    lang = language_key(language)
    last = tokens[-1]
    if lang == "en":
        lowered = last.lower()
        if lowered.endswith(("aya", "ava", "ova", "eva", "ina", "ska", "skaja")):
            return "F"
        return "M" if lowered.endswith(("ski", "sky", "ov", "ev", "in", "enka", "enko", "ich")) else "-"
    return stem(last, lang)[1]


PERSON_TAGS = ("Name", "Surn", "Patr")


@lru_cache(maxsize=65536)
def dictionary_reading(token: str, language: str | None, tags: tuple[str, ...], *, only: bool = False) -> bool:
    """Whether pymorphy3's Russian or Ukrainian dictionary reads ``token`` first of all with one of ``tags``.

    The dictionaries tag given names, surnames and patronymics (:data:`PERSON_TAGS`) in every case
    form (Ірми, Михайлини); a word whose most likely reading is
    another noun (Надія "hope") is not one. ``only``: every reading must be (a sentence's first word).
    """
    lang = language_key(language)
    morph = morph_analyser(lang) if lang in ("ru", "uk") else None
    if morph is None or not token[:1].isupper():
        return False
    parses = morph.parse(token.lower())
    readings = parses if only else parses[:1]
    return bool(parses) and all(set(tags) & set(str(p.tag).replace(" ", ",").split(",")) for p in readings)


_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})


@lru_cache(maxsize=65536)
def _person_cases(token: str, lang: str, tag: str) -> frozenset[str]:
    """The cases in which pymorphy3 can read ``token`` as a word with ``tag`` (Name, Surn), any reading."""
    morph = morph_analyser(lang) if lang in ("ru", "uk") else None
    if morph is None:
        return frozenset()
    found = set()
    for p in morph.parse(token.lower()):
        grams = set(str(p.tag).replace(" ", ",").split(","))
        if tag in grams:
            found |= grams & _CASES
    return frozenset(found)


def given_and_surname(given: str, surname: str, language: str | None) -> bool:
    """Whether the ru/uk dictionary can read the two words as a given name and a surname in one case, even
    when neither is its first reading ("Марини Карафорової": Марина, genitive; "Костянтину Хмаринічу")."""
    lang = language_key(language)
    if not given[:1].isupper() or not surname[:1].isupper():
        return False
    return bool(_person_cases(given, lang, "Name") & _person_cases(surname, lang, "Surn"))
