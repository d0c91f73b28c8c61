"""The one loader of the word tables in ``rashomon/data/lexicons``, read once per file.

Each file holds one entry a line; ``#`` starts a comment; tab-separated columns where the file
needs them (see ``data/lexicons/README.md``). ``<lang>/`` holds a language's tables, ``common/`` the
ones every language shares. Two lookups, for two needs, and they differ on purpose where the language
is missing or unknown:

* :func:`rows` (and :func:`words`, :func:`tagged`, ...): the word lists of the analysers that need
  *one* language's vocabulary (stopwords, speech verbs); an unknown language falls back to English.
* :func:`table_rows`: the date and number tables, where a form of any language is still a date or a
  number (a month name of any language is still a month), so ``language=None`` reads every
  language's table, and an unknown language reads ``common/`` alone.
"""

from __future__ import annotations

from functools import lru_cache

from ..data import data_file, data_rows

LANGUAGES = ("en", "ru", "be", "uk", "pl", "de")
_PLACE_COLUMNS = {"en": 0, "ru": 1, "be": 2, "uk": 3, "pl": 4, "de": 5}


@lru_cache(maxsize=512)
def table(folder: str, filename: str) -> tuple[tuple[str, ...], ...]:
    """The rows (tab-separated cells, stripped) of ``<folder>/<filename>``; none when there is no such file."""
    if not data_file("lexicons", folder, filename).is_file():
        return ()
    return data_rows("lexicons", folder, filename)


@lru_cache(maxsize=1)
def table_languages() -> tuple[str, ...]:
    """The language folders (every one but ``common/``)."""
    return tuple(sorted(p.name for p in data_file("lexicons").iterdir() if p.is_dir() and p.name != "common"))


def language_key(language: str | None) -> str:
    """The lexicon folder to use for ``language`` (English for unknown languages)."""
    code = (language or "").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def base_language(language: str | None) -> str | None:
    """``"en-GB"`` -> ``"en"``; ``None`` stays ``None``."""
    if not language:
        return None
    return language.split("-")[0].split("_")[0].lower()


def table_rows(language: str | None, name: str) -> list[tuple[str, ...]]:
    """Rows of the date or number table ``name`` (``months.txt``): ``common/`` first, then ``language``'s;
    every language's when ``language`` is ``None``."""
    lang = base_language(language)
    folders = ["common", *([lang] if lang else table_languages())]
    return [row for folder in folders for row in table(folder, name)]


@lru_cache(maxsize=256)
def rows(language: str | None, name: str) -> tuple[tuple[str, ...], ...]:
    """The tab-separated rows of ``<language>/<name>.txt`` (plus ``common/<name>.txt``)."""
    lang = language_key(language)
    return table(lang, f"{name}.txt") + table("common", f"{name}.txt")


@lru_cache(maxsize=256)
def words(language: str | None, name: str, *, lower: bool = True) -> frozenset[str]:
    """The first column of a word list as a set, lowercased unless ``lower`` is false."""
    items = set()
    for row in rows(language, name):
        for item in row[0].split() if name == "stopwords" else [row[0]]:
            items.add(item.lower() if lower else item)
    return frozenset(items)


@lru_cache(maxsize=64)
def tagged(language: str | None, name: str) -> dict[str, str]:
    """A two-column list (``word<TAB>tag``) as a dict keyed by the lowercased word."""
    return {row[0].lower(): (row[1] if len(row) > 1 else "-") for row in rows(language, name)}


@lru_cache(maxsize=16)
def countries(language: str | None) -> frozenset[str]:
    """CLDR country and territory names in the language (via Babel); empty without Babel."""
    try:
        from babel import Locale

        territories = Locale.parse(language_key(language)).territories.items()
    except Exception:  # noqa: BLE001 - Babel missing or without this locale
        return frozenset()
    return frozenset(name for code, name in territories if "(" not in name and not code.isdigit())


@lru_cache(maxsize=16)
def places(language: str | None) -> frozenset[str]:
    """Place names: CLDR countries (via Babel), ``common/places.tsv`` and ``locations.txt``."""
    lang = language_key(language)
    names = set(countries(lang))
    for cells in table("common", "places.tsv"):
        column = _PLACE_COLUMNS[lang]
        if column < len(cells):
            names.update(alt.strip() for alt in cells[column].split("|") if alt.strip())
    names.update(row[0] for row in rows(lang, "locations"))
    return frozenset(names)


@lru_cache(maxsize=16)
def role_groups(language: str | None) -> tuple[frozenset[str], ...]:
    """Groups of equivalent role nouns (``head of state|president``)."""
    return tuple(
        frozenset(part.strip().lower() for part in row[0].split("|")) for row in rows(language, "roles")
    )
