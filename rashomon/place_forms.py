"""Base (nominative) forms of one-word place names written in an oblique case.

``w Tarnowie`` -> ``Tarnów``, ``у Десні`` -> ``Десна``, ``в Гродне`` -> ``Гродно``: an article that names a
town only in the locative still names the entity by its nominative, and the name keys come from it.
"""

from __future__ import annotations

from rashomon.body_names import place_groups
from rashomon.names import _CYRILLIC, _SLAVIC_LETTERS, _case_endings, _swap, guess_cyrillic_language, morph_analyser

_PLACE_CASES = frozenset({"gent", "datv", "loct", "ablt"})


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
