"""Base (nominative) forms of one-word place names written in an oblique case.

``w Tarnowie`` -> ``Tarnów``, ``у Десні`` -> ``Десна``, ``в Гродне`` -> ``Гродно``: an article that names a
town only in the locative still names the entity by its nominative, and the name keys come from it.
"""

from __future__ import annotations

import re

from rashomon.body_names import place_groups, place_kind
from rashomon.names import _CYRILLIC, _SLAVIC_LETTERS, _case_endings, _swap, guess_cyrillic_language, morph_analyser

_PLACE_CASES = frozenset({"gent", "datv", "loct", "ablt"})
# Polish region nouns in an oblique case -> (nominative, adjective endings of the oblique cases -> nominative)
_PL_MASCULINE = (("iego", "i"), ("ego", "y"), ("im", "i"), ("ym", "y"), ("emu", "y"))
_PL_NEUTER = (("iego", "ie"), ("ego", "e"), ("im", "ie"), ("ym", "e"), ("emu", "e"))
_PL_REGION_NOUNS = {
    **dict.fromkeys(("obwodu", "obwodzie", "obwodem", "obwodowi"), ("obwód", _PL_MASCULINE)),
    **dict.fromkeys(("województwa", "województwie", "województwem", "województwu"), ("województwo", _PL_NEUTER)),
}
_INFLECTING = frozenset({"NOUN", "ADJF"})
# Belarusian: the region noun's oblique form, the feminine adjective's oblique ending, and the classical
# orthography's soft sign before a soft consonant (Берасьцейскай вобласьці: Берасцейская вобласць)
_BE_REGION_NOUNS = {"вобласці": "вобласць"}
_BE_SOFT_SIGN = re.compile(r"(?<=[сзцдтнл])ь(?=[сзцдтнлвбмпк])")


def _morph_place_lemmas(word: str, language: str) -> tuple[list[str], bool]:
    """(pymorphy3 nominatives of ``word`` read as an inanimate noun in an oblique case, not a person's name,
    those in the case of its most likely reading first; whether none of them is sure: no reading in that
    case, or the word may also be a nominative)."""
    morph = morph_analyser(language)
    if morph is None:
        return [], True
    parses = morph.parse(word.lower())
    readings = [(str(p.normal_form), set(str(p.tag).replace(" ", ",").split(","))) for p in parses]
    if not readings:
        return [], True
    first_cases = readings[0][1] & _PLACE_CASES  # Липовому: an adjective first, its noun in the same case
    nouns = [
        (lemma, tags)
        for lemma, tags in sorted(readings, key=lambda r: "Geox" not in r[1])  # a dictionary's place first
        if {"NOUN", "inan"} <= tags and tags & _PLACE_CASES and not tags & {"Name", "Surn", "Patr"}
    ]
    likely = [lemma for lemma, tags in nouns if tags & first_cases]
    return likely + [lemma for lemma, _ in nouns], not likely or any("nomn" in tags for _, tags in readings)


def place_base_form(name: str, *, language: str | None = None) -> str:
    """The nominative of a one-word place name written in an oblique case, else ``name`` unchanged.

    ``Tarnowie`` -> ``Tarnów``, ``Podkarpaciu`` -> ``Podkarpacie``, ``Десні`` -> ``Десна``, ``Вишневому`` ->
    ``Вишневе``, ``Гродне`` -> ``Гродна``/``Гродно``. Candidates come from pymorphy3 (ru/uk: an
    inanimate noun in an oblique case, not a person's name) and the ``place`` rows of
    ``data/names/case_endings.tsv`` (pl/be/ru/uk). A candidate the place tables or GeoNames know wins;
    otherwise the first dictionary reading when the word has no nominative or adjective reading, else
    the first ``place`` rule (an ending that tells the nominative alone); ``place-known`` rules only
    ever give known places. Names the tables already know, and names of several words, stay as they are.
    """
    word = name.strip()
    if " " in word and not place_groups(word):
        phrase = _region_phrase_base(word, language)
        return phrase if phrase and place_groups(phrase) else name
    if not word or " " in word or place_groups(word):
        return name
    if _CYRILLIC.search(word):
        lang = language if language in ("ru", "uk", "be") else guess_cyrillic_language(word)
    elif language == "pl" or (language is None and _SLAVIC_LETTERS.search(word)):
        lang = "pl"
    else:
        return name
    lemmas, unsure = _morph_place_lemmas(word, lang) if lang in ("ru", "uk") else ([], True)
    lemmas = [word[:1] + lemma[1:] if word[:1].isupper() else lemma for lemma in lemmas]
    table = _case_endings()
    sure = [c for *_, ob, nom in table.get((lang, "place"), []) if (c := _swap(word, ob, nom))]
    known_only = [c for *_, ob, nom in table.get((lang, "place-known"), []) if (c := _swap(word, ob, nom))]
    for candidate in (*lemmas, *sure, *known_only):
        if candidate != word and place_groups(candidate):
            return candidate
    if lemmas and not unsure:
        return lemmas[0]
    return sure[0] if sure else name


def _region_phrase_base(name: str, language: str | None) -> str | None:
    """The nominative of a region's name of two or three words in an oblique case, or None.

    ``Закарпатській області`` -> ``Закарпатська область``, ``obwodu lwowskiego`` -> ``obwód lwowski``,
    ``Берасьцейскай вобласьці`` -> ``Берасцейская вобласць``: pymorphy3 for ru/uk, ending rules for pl/be.
    Only names with a word for region (``place_kind``) are read.
    """
    words = name.split()
    if not 2 <= len(words) <= 3 or not any(place_kind(w) == "region" for w in words):
        return None
    if _CYRILLIC.search(name):
        lang = language if language in ("ru", "uk", "be") else guess_cyrillic_language(name)
    else:
        lang = "pl"  # the rules need a Polish region noun (obwodu, województwa) anyway
    if lang in ("ru", "uk"):
        morph = morph_analyser(lang)
        if morph is None:
            return None
        out = []
        for w in words:
            parses = morph.parse(w.lower())
            parse = next((p for p in parses if _INFLECTING & set(str(p.tag).replace(" ", ",").split(","))), None)
            form = parse.inflect({"nomn"}) if parse is not None else None
            base = str(form.word) if form is not None else w.lower()
            out.append(w[:1] + base[1:] if w[:1].isupper() else base)
        return " ".join(out)
    if lang == "be":
        words = [_BE_SOFT_SIGN.sub("", w) for w in words]
        return " ".join(_BE_REGION_NOUNS.get(w.lower(), w[:-2] + "ая" if w.endswith("ай") else w) for w in words)
    if lang == "pl":
        noun = next((_PL_REGION_NOUNS[w.lower()] for w in words if w.lower() in _PL_REGION_NOUNS), None)
        if noun is None:
            return None
        nominative, endings = noun
        out = []
        for w in words:
            if w.lower() in _PL_REGION_NOUNS:
                out.append(nominative)
                continue
            out.append(next((w[: -len(ob)] + nom for ob, nom in endings if w.endswith(ob)), w))
        return " ".join(out)
    return None
