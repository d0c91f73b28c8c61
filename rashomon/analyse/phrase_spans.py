"""Multi-word names the word-run rules of :mod:`rashomon.analyse.entities` cut short or miss.

Shapes common in Slavic news, each found from grammar rather than from a list of names:

* a name in quotation marks: ``«Укрводпостач»``, ``АТ «Сяйво»`` (an acronym before the quote belongs to
  the name); the quoted words are a proper name whatever the words are;
* lowercase adjectives between a capitalised adjective and the organisation word: ``Липецької
  міської ради``, ``Гарадзенскі абласны савет``; a place adjective and its region word the same way
  (``Черкаській області``);
* a street word and the name after it (``вул. Садова``, ``проспекте Мира``: ``street_words.txt``);
* an organisation word and the genitive words that depend on it: ``Міністерства охорони довкілля
  України``, ``Партии зелёных``, ``Міністэрства аховы здароўя Беларусі``.

Case and part of speech come from pymorphy3's Russian and Ukrainian dictionaries; Belarusian, which has
none, from the ending tables ``genitive_endings.txt`` and ``adjective_endings.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..names import morph_analyser
from .wordlists import words

_SLAVIC = ("ru", "uk", "be")
# «Name», „Name“; one nested opening quote without its own closing one: «Компанія «Назва»
_QUOTE = re.compile(r"[«„]\s*([^«»„“”\n]{1,80}?(?:[«„][^«»„“”\n]{1,80}?)?)\s*[»“”]")
_QUOTED_WORD = re.compile(r"[^\W_][\w'’.&-]*")
_MAX_QUOTED_WORDS = 6  # a longer quotation is speech or a title, not a name
_MAX_ADJECTIVES = 3  # lowercase adjectives between a capitalised one and the organisation word
_MAX_DEPENDENTS = 6  # genitive words an organisation word takes ("Міністерства лісового господарства ...")
_ACRONYM = re.compile(r"(?<![\w-])(\w{2,6})\s+$")
_NEXT = re.compile(r" ([^\W\d_][\w'’-]*)")
_ABBREVIATION = re.compile(r" [^\W\d_]{1,2}\.(?= \w)")  # "м. Києва", "с. Ясени"


def _tags(word: str, lang: str) -> list[set[str]]:
    morph = morph_analyser(lang)
    if morph is None:
        return []
    return [set(str(p.tag).replace(" ", ",").split(",")) for p in morph.parse(word.lower())]


@lru_cache(maxsize=8)
def _endings(lang: str, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(endings, exceptions: endings that make the word something else, such as a verb) of a table."""
    entries = words(lang, name, lower=False)
    yes = tuple(sorted((e for e in entries if not e.startswith("!")), key=len, reverse=True))
    return yes, tuple(e[1:] for e in entries if e.startswith("!"))


def _ends_like(word: str, lang: str, name: str) -> bool:
    yes, no = _endings(lang, name)
    low = word.lower()
    return len(low) > 3 and low.endswith(yes) and not low.endswith(no) if yes else False


@lru_cache(maxsize=65536)
def is_genitive(word: str, lang: str) -> bool:
    """Whether the word can be a noun, adjective or participle in the genitive (довкілля, можливостей, здароўя)."""
    if lang in ("ru", "uk"):
        return any("gent" in t and t & {"NOUN", "ADJF", "PRTF", "NUMR"} for t in _tags(word, lang))
    return lang == "be" and _ends_like(word, lang, "genitive_endings")


@lru_cache(maxsize=65536)
def is_adjective(word: str, lang: str) -> bool:
    """Whether the word can be a full adjective or participle (міської, обласного, абласны)."""
    if lang in ("ru", "uk"):
        return any(t & {"ADJF", "PRTF"} for t in _tags(word, lang))
    return lang == "be" and _ends_like(word, lang, "adjective_endings")


def quoted_names(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of names in quotation marks (the quotes left out) and of an acronym with its quoted name
    (``ТОВ «Назва»``, ``БФ „Назва“``: the quotes kept, as a legal form's). Russian, Ukrainian and
    Belarusian only: elsewhere quotation marks mostly hold speech."""
    if lang not in _SLAVIC:
        return []
    stop = words(lang, "stopwords")
    out: list[tuple[int, int]] = []
    for m in _QUOTE.finditer(text):
        inner = m.group(1)
        names = _QUOTED_WORD.findall(inner)
        if not names or not names[0][0].isupper() or names[0].lower() in stop or len(names) > _MAX_QUOTED_WORDS:
            continue  # «про державну службу», «Про освіту»: a law's title, not a name
        if re.search(r"[,;:!?]|\.\s", inner) or inner.rstrip().endswith(".") or _has_verb(names, lang):
            continue  # a quoted sentence or a title: «Повернуся до Львова»
        start = m.start()
        while (acr := _ACRONYM.search(text, 0, start)) and is_acronym(acr.group(1)):
            start = acr.start(1)  # "ТОВ НПП «Назва»"
        if start < m.start():  # "ТОВ «Назва»": the quotes kept, as after a legal form
            out.append((start, m.end()))
        elif re.search("[«„]", inner):  # «Компанія «Назва»: the inner quotes kept
            out.append((m.start(1), m.end()))
        else:
            out.append((m.start(1), m.start(1) + len(inner.rstrip())))
    return out


def _has_verb(names: list[str], lang: str) -> bool:
    """Whether the dictionary reads one of the words first as a verb (ru/uk)."""
    for word in names:
        tags = _tags(word, lang)
        if tags and tags[0] & {"VERB", "INFN"}:
            return True
    return False


def is_acronym(token: str) -> bool:
    """An all-capital token of 2+ letters (PKP, БЧ, ТОВ), never a name's word."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def adjectives_then(
    text: str, end: int, lang: str, head: Callable[[str, str], bool], *, adjectives: bool = True
) -> int | None:
    """The end of a lowercase ``head`` word (an organisation or region word) after up to three lowercase
    adjectives that follow ``end`` ("[Липецької] міської ради", "[Приморська] селищна рада"), else None."""
    if lang not in _SLAVIC:
        return None
    at = end
    for _ in range(_MAX_ADJECTIVES + 1 if adjectives else 1):
        m = _NEXT.match(text, at)
        if m is None or not m.group(1)[0].islower():
            return None
        word = m.group(1)
        if head(word, lang):
            return m.end()
        if not is_adjective(word, lang):
            return None
        at = m.end()
    return None


def genitive_tail(
    text: str, end: int, lang: str, following: list[tuple[int, int, str]], *, lowercase: bool = True
) -> int:
    """The end of the genitive words that depend on an organisation word ending at ``end``: lowercase
    nouns and adjectives in the genitive ("Міністерства охорони довкілля"), then a place or another body in the
    genitive that ``following`` (start, end, type of the spans found after it) holds ("... України",
    "... Волинської області"; a ``TOWN`` only after an abbreviation: "... м. Тернополя", not "суд Лиды",
    where the town stays a place of its own); ``end`` itself when there are none. The tail ends on a noun, not on an
    adjective of a word that is not in it. ``lowercase`` false: the place or body only (after an acronym)."""
    if lang not in _SLAVIC:
        return end
    stop = words(lang, "stopwords") | words(lang, "date_words")
    conjunctions = words(lang, "conjunctions")
    starts = {s: (e, t) for s, e, t in following}
    best, at, before, adjective_last, abbreviated = end, end, end, False, False
    for _ in range(_MAX_DEPENDENTS):
        if abbreviation := _ABBREVIATION.match(text, at):
            at, abbreviated = abbreviation.end(), True
            continue
        m = _NEXT.match(text, at)
        if m is None:
            break
        word, begin = m.group(1), m.start(1)
        kind = starts[begin][1] if begin in starts else ""
        closes = kind in ("LOC", "ORG") or (kind == "TOWN" and abbreviated)  # "суду м. Тернополя"
        if closes and (is_genitive(word, lang) if not is_acronym(word) else lowercase):  # "... комітету ЦВК"
            return starts[begin][0]  # a country, region or parent body closes the name
        if best > end and word in conjunctions and at == best:
            at = m.end()  # "Міністерства молоді та спорту"
            continue
        if not lowercase or not word[0].islower() or word.lower() in stop or not is_genitive(word, lang):
            if word.lower() in stop and adjective_last:
                best = before  # "... минулого року": the adjective goes with the date word
            break
        at = m.end()
        adjective_last = is_adjective(word, lang)
        if not adjective_last or _noun_too(word, lang):
            before, best = best, at
    return best


def _noun_too(word: str, lang: str) -> bool:
    """An adjective form that is also a genitive noun (ru/uk: "минулого" reads both ways)."""
    if lang not in ("ru", "uk"):
        return _ends_like(word, lang, "genitive_endings") and not _ends_like(word, lang, "adjective_endings")
    return any("NOUN" in t and "gent" in t for t in _tags(word, lang))


def region_word(word: str, lang: str) -> bool:
    """An administrative-unit word of ``region_words.txt`` (області, району, вобласці)."""
    return any(word.startswith(w) for w in words(lang, "region_words"))


_STREET_WORD = re.compile(r"(?<![\w.])[^\W\d_][\w-]*\.?(?= )")
_NAME_WORD = re.compile(r" ([^\W\d_][\w'’-]*)")


def street_names(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of a street word of ``street_words.txt`` with the capitalised name after it, one or two words
    ("вул. Садовій", "проспекта Победы"); none for languages without the table."""
    streets = words(lang, "street_words")
    if not streets:
        return []
    out = []
    for m in _STREET_WORD.finditer(text):  # word by word: "по вул. Липова" must not hide "вул." in "по вул"
        first = _NAME_WORD.match(text, m.end()) if m.group(0).lower() in streets else None
        if first is None or not first.group(1)[:1].isupper():
            continue
        second = _NAME_WORD.match(text, first.end())
        out.append((m.start(), second.end() if second and second.group(1)[:1].isupper() else first.end()))
    return out
