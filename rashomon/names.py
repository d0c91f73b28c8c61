"""Person and organisation names reduced to script-independent keys.

A name in Cyrillic (Belarusian, Russian, Ukrainian) or in any Latin spelling (English press,
BGN/PCGN, passport, Polish, Belarusian Łacinka, German) becomes:

* ``latin``: one ASCII transliteration (Belarusian ``Ціханоўская`` -> ``Tsikhanouskaya``);
* a **phonetic skeleton** per token that absorbs the differences between transliteration systems and
  between Belarusian and Russian spelling. Rules, in order (see :func:`skeleton`):

  1. a word-initial ``u`` before a consonant is ``v`` (Belarusian ``Ул-`` = Russian ``Вл-``);
  2. ``a``/``e``/``o`` + ``u`` before a consonant or at the end is ``+v`` (Belarusian ``ў``:
     ``-ou`` = ``-ov``, ``-au`` = ``-av``);
  3. digraphs become one symbol: shch, dzh, zh, kh, ch, sh; ``ts`` -> ``t`` and ``dz`` -> ``d``
     (Belarusian tsekanne/dzekanne: ``Ц`` for Russian ``Т``); ``g``, ``h``, ``kh`` -> ``H``
     (Belarusian/Ukrainian ``Г`` = Russian ``Г``); ``x`` -> ``ks``, ``w`` -> ``v``, ``c``/``q`` -> ``k``;
  4. repeated symbols collapse (``ll`` -> ``l``; before vowels go, so Babaryka keeps ``b-b``);
  5. a word-initial vowel becomes ``A``; every other vowel (a e i o u y, and ``j``) is dropped
     (akanne, и/ы/і, passport ``ia`` vs ``ya``).

  Lossy by design (Galina and Khalina share a skeleton): one signal among several.
* a **loose skeleton** (:func:`loose_skeleton`) for names written in German transcription, which does
  not tell ``с`` from ``з`` nor ``ш`` from ``ж`` (Sacharowa = Захарова) and writes a silent ``h``
  (Kohl = Коль); and the **nasal variant** of a Polish surname (Wałęsa = Валенса: ``ę`` = ``en``).
* given-name groups from ``data/names/given_names.tsv``; the surname's gender-neutral stem and
  gender from ``data/names/surname_endings.tsv``; initials.
* base forms of person names written in another case (:func:`person_base_form`; places:
  :mod:`rashomon.place_forms`), from pymorphy3 (ru/uk) and ``data/names/case_endings.tsv``.

Organisation and place names (generic words, acronyms, place tables) are in :mod:`rashomon.body_names`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from anyascii import anyascii

Gender = Literal["m", "f"]
NameKind = Literal["full", "surname", "given", "initials", "other"]

_VOWELS = "aeiouy"
_QUOTES = "«»“”„‟\"'’‘`()[]"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$", re.IGNORECASE)
_PATRONYMIC = re.compile(r"(?:vich|vych|vna|ichna|ivna|yevna|ievna|auna|euna|ouna)$")
# surname endings that are a woman's nominative and a man's genitive/accusative (Корнеева, Kavaliova)
_MALE_OBLIQUE = re.compile(r"(?:v|n)a$")
_SLAVIC_LETTERS = re.compile(r"[ąęłńśźżćčšžŭ]", re.IGNORECASE)
_SLAVIC_LATIN = re.compile(r"[ąęłńśźżćčšžŭ]|sz|cz|rz", re.IGNORECASE)
_GERMAN = re.compile(r"[äöüß]|sch", re.IGNORECASE)
_SKELETON_RULES = {
    "shch": "SC", "dzh": "J", "zh": "Z", "kh": "H", "tch": "C", "ch": "C", "sh": "S", "ts": "t",
    "tz": "t", "dz": "d", "ph": "f", "ck": "k", "x": "ks", "q": "k", "w": "v", "g": "H", "h": "H",
    "c": "k", "j": "y",
}  # fmt: skip
_SKELETON_RE = re.compile("|".join(sorted(_SKELETON_RULES, key=len, reverse=True)))


def _data(name: str) -> list[list[str]]:
    """Rows of a tab-separated file in ``rashomon/data/names`` (comments and blanks skipped)."""
    text = resources.files("rashomon").joinpath("data", "names", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _cyrillic_table() -> dict[str, dict[str, tuple[str, str]]]:
    """language -> letter -> (after consonant, word-initial or after vowel)."""
    table: dict[str, dict[str, tuple[str, str]]] = {"ru": {}, "be": {}, "uk": {}}
    for row in _data("cyrillic_latin.tsv"):
        letter, cells = row[0], (row[1:] + ["", "", ""])[:3]
        ru = cells[0]
        for lang, cell in zip(("ru", "be", "uk"), cells, strict=True):
            value = cell if cell else ru
            plain, _, initial = value.partition("|")
            table[lang][letter] = (plain, initial or plain)
    return table


@cache
def _latin_rules() -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """mode -> (one single-pass regex over the "all" rules plus the mode's, replacement map)."""
    modes: dict[str, dict[str, str]] = {"en": {}}
    for mode, src, dst in _data("latin_rewrites.tsv"):
        modes.setdefault(mode, {})[src] = dst
    common = modes.pop("all", {})
    out = {}
    for mode, rules in modes.items():
        merged = {**common, **rules}
        pattern = re.compile("|".join(re.escape(k) for k in sorted(merged, key=len, reverse=True)))
        out[mode] = (pattern, merged)
    return out


def script(text: str) -> str:
    """``Cyrl``, ``Latn`` or ``Other`` by the majority of letters."""
    cyr = len(_CYRILLIC.findall(text))
    lat = sum(1 for ch in text if ch.isascii() and ch.isalpha()) + sum(
        1 for ch in text if not ch.isascii() and ch.isalpha() and "LATIN" in unicodedata.name(ch, "")
    )
    if not cyr and not lat:
        return "Other"
    return "Cyrl" if cyr >= lat else "Latn"


def guess_cyrillic_language(text: str) -> str:
    """``be``, ``uk`` or ``ru`` from the letters only Belarusian or Ukrainian use."""
    low = text.lower()
    if "ў" in low or ("і" in low and re.search("[ыэ]", low)):
        return "be"
    if re.search("[їєґ]", low) or ("і" in low and "и" in low):
        return "uk"
    return "be" if "і" in low else "ru"


def _translit_cyrillic(word: str, lang: str) -> str:
    table = _cyrillic_table()[lang]
    out: list[str] = []
    previous = ""
    for ch in word.lower():
        if ch in table:
            plain, initial = table[ch]
            out.append(initial if (not previous or previous in "аеёиоуыэюяіїєў'’ьъ") else plain)
        else:
            out.append(anyascii(ch).lower())
        previous = ch
    return "".join(out)


def _latin_mode(text: str, language: str | None) -> str:
    if language in ("pl", "cs", "sk", "be-Latn") or _SLAVIC_LETTERS.search(text):
        return "slavic"
    if language == "de":  # German has rz and sz of its own (Merz, Herz): only Polish letters say Polish
        return "de"
    if _SLAVIC_LATIN.search(text):
        return "slavic"
    return "de" if _GERMAN.search(text) else "en"


def _rewrite(word: str, mode: str) -> str:
    pattern, table = _latin_rules()[mode]
    return pattern.sub(lambda m: table[m.group(0)], word)


def to_ascii(word: str, *, language: str | None = None, mode: str | None = None) -> str:
    """One word as lowercase ASCII in the English-press convention (``Łukašenka`` -> ``lukashenka``)."""
    word = unicodedata.normalize("NFC", word.strip(_QUOTES + ".,;:!?"))
    word = _POSSESSIVE.sub("", word)
    if _CYRILLIC.search(word):
        lang = language if language in ("ru", "be", "uk") else guess_cyrillic_language(word)
        ascii_word = _translit_cyrillic(word, lang)
    else:
        ascii_word = anyascii(_rewrite(word.lower(), mode or _latin_mode(word, language))).lower()
    return re.sub(r"[^a-z-]", "", ascii_word)


def skeleton(word: str) -> str:
    """The phonetic skeleton of one ASCII word (rules in the module docstring)."""
    s = re.sub(r"^u(?=[^aeiouy])", "v", word.lower().replace("-", ""))
    s = re.sub(r"([aeo])u(?=[^aeiouy]|$)", r"\1v", s)
    s = _SKELETON_RE.sub(lambda m: _SKELETON_RULES[m.group(0)], s)
    if not s:
        return ""
    s = re.sub(r"(.)\1+", r"\1", s)
    head = "A" if s[0] in _VOWELS else s[0]
    return head + "".join(ch for ch in s[1:] if ch not in _VOWELS)


def _initial(ascii_word: str) -> str:
    """Initial letter folded over transliteration variants (Ю/Yu/Iu, Г/G/H, У/U/V)."""
    first = ascii_word[:1]
    return {"i": "y", "j": "y", "e": "y", "g": "h", "u": "v", "w": "v", "c": "k"}.get(first, first)


def loose_skeleton(skel: str) -> str:
    """A skeleton with sibilants folded (s z sh zh) and ``H`` dropped after the first symbol.

    German transcription writes both ``с`` and ``з`` as ``s`` and both ``ш`` and ``ж`` as ``sch``
    (Sacharowa / Захарова, Prigoschin / Пригожин), and Russian renders German ``St``/``Sp`` as
    ``Шт``/``Шп`` (Steinmeier / Штайнмайер) and drops the silent ``h`` (Kohl / Коль).
    """
    folded = re.sub("[zSZ]", "s", skel)
    return folded[:1] + re.sub(r"(?<! )H", "", folded[1:])


# Polish nasal vowels as Russian, Belarusian and Ukrainian render them before a consonant
# (Wałęsa -> Валенса, Dąbrowski -> Домбровский; before b/p: ем/ом); at the end of a word they are
# plain vowels (Kuleszę -> Кулешу), as the primary key already has them.
_NASAL = re.compile(r"[ąę](?=[^\W\daeiouyąęó])", re.IGNORECASE)


def nasal_variant(word: str) -> str | None:
    """``word`` with Polish nasal vowels before consonants spelt out (``Wałęsa`` -> ``Walensa``), or None."""
    if not _NASAL.search(word):
        return None

    def spell(m: re.Match[str]) -> str:
        vowel = "o" if m.group(0).lower() == "ą" else "e"
        after = word[m.end() : m.end() + 1].lower()
        return vowel + ("m" if after in ("b", "p") else "n")

    return _NASAL.sub(spell, word)


def given_key(ascii_word: str) -> str:
    """Skeleton plus a final-``a`` marker, so Aleksandr and Aleksandra stay apart."""
    return skeleton(ascii_word) + ("+a" if ascii_word.endswith("a") else "")


@dataclass(frozen=True, slots=True)
class GivenName:
    """A given-name group: canonical English form, gender and the initials of all its variants."""

    group: str
    gender: Gender
    initials: frozenset[str]


@cache
def _given_names() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, GivenName]]:
    """(exact ascii form -> groups, phonetic key -> groups, group -> GivenName)."""
    exact: dict[str, set[str]] = {}
    keyed: dict[str, set[str]] = {}
    variants: dict[str, list[str]] = {}
    genders: dict[str, Gender] = {}
    for group, gender, forms in _data("given_names.tsv"):
        genders[group] = "f" if gender.strip() == "f" else "m"
        for form in re.split(r"[,|]", forms):
            if not form.strip():
                continue
            word = to_ascii(form.strip())
            spellings = {word}
            if not _CYRILLIC.search(form):  # as each Latin convention reads it (Christian in German: khristian)
                spellings |= {to_ascii(form.strip(), mode=m) for m in ("en", "slavic", "de")}
            for spelling in spellings:
                exact.setdefault(spelling, set()).add(group)
                keyed.setdefault(given_key(spelling), set()).add(group)
            variants.setdefault(group, []).append(word)
    info = {g: GivenName(g, genders[g], frozenset(_initial(w) for w in ws)) for g, ws in variants.items()}
    return (
        {k: frozenset(v) for k, v in exact.items()},
        {k: frozenset(v) for k, v in keyed.items()},
        info,
    )


def given_groups(ascii_word: str) -> frozenset[str]:
    """Groups a given name belongs to (exact spelling first, then phonetic key); empty if unknown."""
    exact, keyed, _ = _given_names()
    return exact.get(ascii_word) or keyed.get(given_key(ascii_word), frozenset())


def given_name_info(group: str) -> GivenName | None:
    """The :class:`GivenName` of a group id."""
    return _given_names()[2].get(group)


def listed_given_gender(word: str, *, language: str | None = None) -> Gender | None:
    """The gender of a word spelt exactly as a given name of ``given_names.tsv`` (any script), else None."""
    genders = {info.gender for g in _given_names()[0].get(to_ascii(word, language=language), ())
               if (info := given_name_info(g))}  # fmt: skip
    return genders.pop() if len(genders) == 1 else None


@cache
def _titles() -> frozenset[str]:
    return frozenset(row[0].strip().lower() for row in _data("titles.tsv"))


# longest first; Russian/Belarusian/Ukrainian/Polish case endings of given names, as ASCII
_CASE_ENDINGS = (
    *("iem", "em", "om", "am", "ym", "im", "oy", "ey", "oi"),
    *("ei", "ie", "ya", "yu", "a", "u", "e", "y", "i"),
)
_LEMMA_TAILS = ("", "a", "y", "ya", "iy", "i", "o")


def given_lemma(ascii_word: str) -> tuple[str, frozenset[str]] | None:
    """Nominative of an inflected given name found in the table (``andreya`` -> ``andrey``), or None."""
    exact = _given_names()[0]
    if ascii_word in exact:
        return None
    for end in _CASE_ENDINGS:
        if ascii_word.endswith(end) and len(ascii_word) - len(end) >= 3:
            base = ascii_word[: -len(end)]
            for tail in _LEMMA_TAILS:
                if base + tail != ascii_word and base + tail in exact:
                    return base + tail, exact[base + tail]
    return None


_SURNAME_CASES = {
    "m": (("skogo", "ski"), ("skoho", "ski"), ("skaga", "ski"), ("skaha", "ski"), ("skiego", "ski"),
          ("skomu", "ski"), ("skamu", "ski"), ("skim", "ski"), ("skym", "ski"), ("skiem", "ski"),
          ("ym", ""), ("im", ""), ("om", ""), ("em", ""), ("am", ""), ("iem", "")),
    "f": (("skuyu", "skaya"), ("skuiu", "skaya"), ("skoy", "skaya"), ("skoi", "skaya"), ("skay", "skaya"),
          ("skaj", "skaya"), ("skiej", "ska"), ("skej", "skaya"), ("skoj", "skaya"), ("oy", "a"), ("ey", "a"),
          ("oi", "a"), ("ei", "a"), ("u", "a"), ("e", "a"), ("y", "a"), ("i", "a")),
}  # fmt: skip


def surname_nominative(ascii_word: str, gender: Gender) -> str:
    """Undo a case ending of a surname whose given name was inflected (``kavalyovym`` -> ``kavalyov``)."""
    for end, repl in _SURNAME_CASES[gender]:
        if ascii_word.endswith(end) and len(ascii_word) - len(end) >= 3:
            return ascii_word[: -len(end)] + repl
    if gender == "m" and ascii_word[-1:] in ("a", "u", "e") and not ascii_word.endswith(("ka", "ko")):
        return ascii_word[:-1]
    return ascii_word


@cache
def _surname_rules() -> list[tuple[re.Pattern[str], Gender]]:
    return [(re.compile(p), "f" if g.strip() == "f" else "m") for p, g in _data("surname_endings.tsv")]


def surname_stem(ascii_word: str) -> tuple[str, Gender | None]:
    """Gender-neutral stem and grammatical gender of a surname (``None`` when it does not inflect)."""
    for pattern, gender in _surname_rules():
        match = pattern.match(ascii_word)
        if match:
            return match.group(1), gender
    return ascii_word, None


_CASE_LANGS = ("pl", "ru", "uk", "be")
_PYMORPHY_CASES = {"gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}


@cache
def _case_endings() -> dict[tuple[str, str], list[tuple[Gender, str, str, str]]]:
    """(language, kind) -> [(gender, case, oblique ending, nominative ending)], longest ending first."""
    out: dict[tuple[str, str], list[tuple[Gender, str, str, str]]] = {}
    for row in _data("case_endings.tsv"):
        lang, kind, gender, case, oblique, nominative = (row + [""] * 6)[:6]
        out.setdefault((lang, kind), []).append(("f" if gender == "f" else "m", case, oblique, nominative.strip()))
    for rows in out.values():
        rows.sort(key=lambda r: -len(r[2]))
    return out


@cache
def morph_analyser(language: str) -> Any | None:
    """A pymorphy3 analyser with its Russian or Ukrainian dictionary, or None when not installed."""
    import pymorphy3  # pinned with both dictionaries: a broken install fails loudly

    try:
        return pymorphy3.MorphAnalyzer(lang=language)
    except ValueError:  # a language pymorphy3 has no dictionary for
        return None


def _known_given(word: str) -> Gender | None:
    """The gender of a given name of ``given_names.tsv`` (spelling or phonetic key, any script), else None."""
    genders = {info.gender for g in given_groups(to_ascii(word)) if (info := given_name_info(g))}
    return genders.pop() if len(genders) == 1 else None


def _swap(word: str, oblique: str, nominative: str) -> str | None:
    """``word`` with the ending ``oblique`` replaced (keeping a capital), or None when it does not end so."""
    low = word.lower()
    if not low.endswith(oblique) or len(low) - len(oblique) < 2:
        return None
    return word[: len(word) - len(oblique)] + nominative


def _given_nominative(word: str, gender: Gender, case: str, language: str, *, strong: bool) -> str | None:
    """Nominative of a given name in ``case``: a form of ``given_names.tsv`` of that gender, else a pymorphy3
    lemma (ru/uk), else (``strong``: the surname alone told the case) the first ending rule that fits."""
    if _known_given(word) == gender:
        return word  # already a nominative of that gender ("Jan Ostrowieckiego" written half-declined)
    fallback = None
    for g, c, oblique, nominative in _case_endings().get((language, "given"), []):
        if g != gender or c != case:
            continue
        candidate = _swap(word, oblique, nominative)
        if candidate is None:
            continue
        if _known_given(candidate) == gender:
            return candidate
        fallback = fallback or candidate
    morph = morph_analyser(language) if language in ("ru", "uk") else None
    if morph is not None:
        want = {_PYMORPHY_CASES[case], "masc" if gender == "m" else "femn"}
        for parse in morph.parse(word.lower()):
            if "Name" in parse.tag and want <= set(str(parse.tag).replace(" ", ",").split(",")):
                return str(parse.normal_form).capitalize()
    return fallback if strong else None


def person_base_form(given: str, surname: str, *, language: str | None = None) -> tuple[str, str]:
    """The nominative of "given name + surname" written in another case, for pl/ru/uk/be.

    The surname's ending names candidate cases and genders (adjectival ``-skiego``/``-ського`` alone is
    masculine genitive; ``-skiej``/``-ської`` feminine; a noun ending such as ``-a``/``-ова`` is also a
    woman's nominative, so it counts only when the given name is in the same case). The given name is
    then put in the nominative of that gender (``Alesia Kmitowskiego`` -> ``Aleś Kmitowski``, never the
    feminine Alesia; ``Алеся Кмітовського`` -> ``Алесь Кмітовський``). Names that agree in no oblique
    case come back unchanged (``Janina Ostrowiecka``). Rules: ``data/names/case_endings.tsv``; given
    names checked against ``given_names.tsv`` and, for Russian and Ukrainian, pymorphy3.
    """
    if _CYRILLIC.search(surname):
        lang = language if language in ("ru", "uk", "be") else guess_cyrillic_language(given + " " + surname)
    elif language == "pl" or (language is None and _SLAVIC_LATIN.search(given + surname)):
        lang = "pl"
    else:
        return given, surname
    table = _case_endings()
    # a woman's name whose surname has a feminine nominative shape (Инна Ступникова, Алеся Серпінська)
    feminine = _known_given(given) == "f" and surname_stem(to_ascii(surname, language=lang))[1] == "f"
    for kind in ("adj", "noun"):
        for gender, case, oblique, nominative in table.get((lang, kind), []):
            nominal = _swap(surname, oblique, nominative)
            if nominal is None or (kind == "noun" and feminine):
                continue
            first = _given_nominative(given, gender, case, lang, strong=kind == "adj")
            if first is None or (kind == "noun" and first == given):
                continue  # a noun surname needs a given name visibly in the same case
            return first, nominal
    return given, surname


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Normalised forms of one name; see the module docstring for the rules."""

    latin: str
    tokens: tuple[str, ...]
    skeleton: str
    kind: NameKind
    given: str | None = None
    given_groups: frozenset[str] = frozenset()
    given_gender: Gender | None = None
    initials: tuple[str, ...] = ()
    patronymic: str | None = None
    surname: str | None = None
    surname_stem: str | None = None
    surname_skeleton: str | None = None
    gender: Gender | None = None
    german: bool = False  # Latin text in German transcription: compare loose skeletons too
    surname_variant: str | None = None  # skeleton of the stem of the nasal variant (Wałęsa -> Walensa)
    surname_folded: str | None = None  # Latin surname read as Polish with diacritics dropped (Żurawiecki = Zurawiecki)

    @property
    def any_gender(self) -> Gender | None:
        """The surname's gender, else the given name's."""
        return self.gender or self.given_gender


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"(?:\w{1,2}\.)+|\w", token)) and token[:1].isupper()


@lru_cache(maxsize=65536)
def name_keys(name: str, type: str = "PER", *, language: str | None = None) -> NameKeys:
    """Normalised forms of ``name`` (an entity of ``type``) for cross-script matching.

    Args:
        name: the name as written, in any script.
        type: ``PER``, ``ORG``, ``LOC`` or ``MISC``; only ``PER`` is split into given name/surname.
        language: ISO code of the text it came from, if known (chooses Г -> g/h, Polish c = ts ...).

    Returns:
        The :class:`NameKeys`.
    """
    keys = _name_keys(name, type, language)
    german = _latin_mode(name, language) == "de" and not _CYRILLIC.search(name)
    variant = folded = None
    for token in re.split(r"[\s,]+", name) if keys.surname else ():
        if to_ascii(token, language=language) != keys.surname:
            continue
        nasal = nasal_variant(token)
        if nasal:
            variant = skeleton(surname_stem(to_ascii(nasal, language=language))[0])
        if not _CYRILLIC.search(token):  # an English or German text drops Polish diacritics, or reads cz/rz its way
            folded = skeleton(surname_stem(to_ascii(anyascii(token), mode="slavic"))[0])
    return _replace(keys, german=german, surname_variant=variant if variant != keys.surname_skeleton else None,
                    surname_folded=folded)  # fmt: skip


def _name_keys(name: str, type: str, language: str | None) -> NameKeys:
    clean = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip(" " + _QUOTES)
    surname_first = False
    if type == "PER" and clean.count(",") == 1:
        last, first = (part.strip() for part in clean.split(","))
        clean, surname_first = f"{first} {last}", False
    raw = [t for t in re.split(r"[\s,]+", clean) if t.strip(_QUOTES + ".,-")]
    if type == "PER":
        raw = [t for t in raw if t.lower().strip(".") not in _titles()] or raw
        if len(raw) == 2 and not surname_first and not any(_is_initial(t) or len(t) <= 2 for t in raw):
            raw = list(person_base_form(raw[0], raw[1], language=language))  # "Alesia X-skiego" -> "Aleś X-ski"
    mode = _latin_mode(clean, language)
    words = [to_ascii(t, language=language, mode=mode) for t in raw]
    pairs = [(r, w) for r, w in zip(raw, words, strict=True) if w.strip("-")]
    latin = " ".join(w.capitalize() for _, w in pairs)
    skel = " ".join(skeleton(w) for _, w in pairs)
    if type != "PER" or not pairs:
        return NameKeys(latin=latin, tokens=tuple(w for _, w in pairs), skeleton=skel, kind="other")
    initials = tuple(_initial(to_ascii(r[:1])) for r, _ in pairs if _is_initial(r) or len(r) == 1)
    full = [(r, w) for r, w in pairs if not (_is_initial(r) or len(r) == 1)]
    patronymic = None
    if len(full) >= 3 and _PATRONYMIC.search(full[1][1]) and given_groups(full[0][1]):
        patronymic = full.pop(1)[1]
    elif len(full) >= 3 and _PATRONYMIC.search(full[2][1]) and given_groups(full[1][1]):
        patronymic = full.pop(2)[1]
        surname_first = True
    if len(full) == 2 and not surname_first:
        # "Lukashenko Alexander" / "LUKASHENKO Alexander": surname first when only the last is a given name
        # the last word counts as a given name only if spelt as one (Мерц is not Marat by its skeleton)
        first_given, last_given = given_groups(full[0][1]), _given_names()[0].get(full[1][1])
        upper_first = full[0][0].isupper() and len(full[0][0]) > 1 and not full[1][0].isupper()
        surname_first = upper_first or (bool(last_given) and not first_given)
    if surname_first and len(full) >= 2:
        full = full[1:] + full[:1]
    tokens = tuple(w for _, w in full)
    if len(full) == 1:
        word = full[0][1]
        groups = given_groups(word)
        if groups and not initials:
            return _with_given(NameKeys(latin, tokens, skel, "given"), word, groups)
        keys = _with_surname(NameKeys(latin, tokens, skel, "initials" if initials else "surname",
                                      initials=initials), word)  # fmt: skip
        if keys.gender == "f" and _CYRILLIC.search(full[0][0]) and _MALE_OBLIQUE.search(word):
            # a lone Cyrillic Ковалёва/Карнеева may be the masculine genitive (Ковалёва = of Ковалёў)
            keys = _replace(keys, gender=None)
        return keys
    if not full:
        return NameKeys(latin=latin, tokens=tokens, skeleton=skel, kind="other", initials=initials)
    given_word, surname_word = full[0][1], full[-1][1]
    keys = NameKeys(latin, tokens, skel, "full", initials=initials, patronymic=patronymic)
    lemma = given_lemma(given_word)
    if lemma:  # an inflected name ("Андрэя Кавалёва"): the surname is in the same case
        keys = _with_given(keys, lemma[0], lemma[1])
        if keys.given_gender:
            keys = _with_surname(keys, surname_nominative(surname_word, keys.given_gender))
            if keys.gender and keys.gender != keys.given_gender:
                keys = _replace(keys, gender=keys.given_gender)
            return keys
        return _with_surname(keys, surname_word)
    keys = _with_surname(_with_given(keys, given_word, given_groups(given_word)), surname_word)
    if keys.given_gender == "m" and keys.gender == "f" and _MALE_OBLIQUE.search(surname_word):
        # "Андрій Корнєєва" (a man's name with the surname in the genitive/accusative): -ova/-eva/-ina
        # is also a man's oblique case, and the given name says which it is here
        keys = _with_surname(keys, surname_nominative(surname_word, "m"))
    return keys


def _with_given(keys: NameKeys, word: str, groups: frozenset[str]) -> NameKeys:
    genders = {info.gender for g in groups if (info := given_name_info(g))}
    own = groups or frozenset({"?" + given_key(word)})
    return _replace(keys, given=word, given_groups=own,
                    given_gender=genders.pop() if len(genders) == 1 else None)  # fmt: skip


def _with_surname(keys: NameKeys, word: str) -> NameKeys:
    stem, gender = surname_stem(word)
    return _replace(keys, surname=word, surname_stem=stem, surname_skeleton=skeleton(stem), gender=gender)


def _replace(keys: NameKeys, **changes: object) -> NameKeys:
    return replace(keys, **changes)  # type: ignore[arg-type]


def given_initials(keys: NameKeys) -> frozenset[str]:
    """Initials a given name may be abbreviated to (over all spellings of its groups)."""
    out: set[str] = set()
    for group in keys.given_groups:
        info = given_name_info(group)
        out |= info.initials if info else set()
    if keys.given:
        out.add(_initial(keys.given))
    return frozenset(out)


# The story stage's word key (kept as it was when it moved here from stories.py): plain anyascii, then
# one folding table; lossier than name_keys on purpose (a blocking key for whole articles).
_WORD_FOLDS = (
    ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("kh", "h"), ("ch", "h"), ("ts", "t"), ("tz", "t"),
    ("ph", "f"), ("th", "t"), ("w", "v"), ("x", "ks"), ("q", "k"), ("c", "k"), ("z", "s"), ("j", "i"),
    ("g", "h"),  # Belarusian/Ukrainian Г: Hrodna ~ Grodno, Halych ~ Галич
)  # fmt: skip


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """A lossy cross-script key of one name word: transliterate, trim inflection, keep 4 consonant sounds.

    The name-key algorithm stories compare articles with (``stories.name_key``). The rules are those of
    :func:`skeleton` in a coarser form: Belarusian initial ``у-``/``-ou`` as ``v``, digraphs and sibilants
    folded, doubled letters collapsed, vowels after the first letter dropped. A Latin word is first read
    in its transcription convention (German ``tsch``/``sch``/``w``/``j``, Polish ``cz``/``sz``/``w``/``c``:
    ``data/names/latin_rewrites.tsv``), so Tschernihiw, Chernihiv and Чернігів meet. Лукашэнка, Лукашенку,
    Lukashenko, Łukaszenka and Lukaschenko all give ``lksh``.
    """
    low = word.lower()
    if not _CYRILLIC.search(word):  # German and Polish conventions as latin_rewrites.tsv has them
        low = _rewrite(low, _latin_mode(word, None))
    s = re.sub(r"[^a-z]", "", anyascii(low).lower())
    if len(s) >= 6:  # case endings: Путиным/Putin, Лукашенку/Lukashenko
        s = s[:-2]
    s = re.sub(r"^u(?=[^aeiouy])", "v", s)  # Belarusian ў-/у-: Ulasava ~ Vlasova
    s = re.sub(r"^[ij](?=[aeou])", "y", s)  # Є/Ю/Я/Йо- as Ye/Ie/Je: Jewhen ~ Yevhen ~ Євген
    s = re.sub(r"([aeo])u(?=[^aeiouy]|$)", r"\1v", s)  # Belarusian ў: Саўчук ~ Савчук
    for old, new in _WORD_FOLDS:
        s = s.replace(old, new)
    s = re.sub(r"(.)\1+", r"\1", s)
    return (s[:1] + re.sub(r"[aeiouy]", "", s[1:]))[:4]
