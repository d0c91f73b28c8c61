"""Per-language word lists for the text analysers, read once from ``rashomon/data/lexicons``.

Each file holds one entry a line; ``#`` starts a comment; tab-separated columns where the file
needs them (see ``data/lexicons/README.md``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicons"
LANGUAGES = ("en", "ru", "be", "uk", "pl", "de")
_PLACE_COLUMNS = {"en": 0, "ru": 1, "be": 2, "uk": 3, "pl": 4, "de": 5}


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def language_key(language: str | None) -> str:
    """The lexicon folder to use for ``language`` (English for unknown languages)."""
    code = (language or "").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


@lru_cache(maxsize=256)
def rows(language: str | None, name: str) -> tuple[tuple[str, ...], ...]:
    """The tab-separated rows of ``<language>/<name>.txt`` (plus ``common/<name>.txt``)."""
    lang = language_key(language)
    out = []
    for path in (LEXICON_DIR / lang / f"{name}.txt", LEXICON_DIR / "common" / f"{name}.txt"):
        for line in _lines(path):
            out.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(out)


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
def places(language: str | None) -> frozenset[str]:
    """Place names: CLDR countries (via Babel), ``common/places.tsv`` and ``locations.txt``."""
    lang = language_key(language)
    names: set[str] = set()
    try:
        from babel import Locale

        for code, name in Locale.parse(lang).territories.items():
            if "(" not in name and not code.isdigit():
                names.add(name)
    except Exception:  # noqa: BLE001 - Babel missing or without this locale: the lists below still work
        pass
    for line in _lines(LEXICON_DIR / "common" / "places.tsv"):
        cells = line.split("\t")
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
