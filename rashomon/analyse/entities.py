"""Named entities of one article (PER, ORG, LOC, MISC), each with all its mentions.

Candidate spans come from a model where one works offline (spaCy for English, natasha for Russian)
and from rules everywhere: capitalised word runs classified by given-name, title, organisation,
place and surname-ending lists (``data/lexicons/<lang>/``). Overlaps keep the better-evidenced
span. Person spans are then grouped: a full name and later bare, possibly inflected, surnames are
one entity ("Аляксандр Лукашэнка" ... "Лукашэнку"); coordinated given names share the surname
("Viktar and Eduard Babaryka" -> two people); titles are cut ("President X" -> "X") and end a run
("NATO Secretary General X" -> "NATO", "X"); English nationality adjectives ("Lithuanian minister")
are no entities. Last, every further occurrence of a known surname or one-word name in the text
becomes a mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from ..body_names import place_groups, place_kind, region_river_forms
from ..models import Entity, EntityType, Mention, Sentence
from ..names import listed_given_gender, morph_analyser, person_base_form
from ..place_forms import place_base_form
from .names import (
    PERSON_TAGS,
    dictionary_reading,
    first_name,
    given_and_surname,
    is_title,
    looks_like_surname,
    nominative,
    stem,
    stems,
)
from .nlp import english_doc, english_token_at, natasha_spans
from .phrase_spans import (
    adjectives_then,
    genitive_tail,
    is_acronym,
    is_adjective,
    quoted_names,
    region_word,
    street_names,
)
from .wordlists import countries, language_key, places, words

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_OPENING = re.compile(r"[«“„\"‘‚‹(:—–]\s*$")
_SPACY_TYPES: dict[str, EntityType] = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "PRODUCT": "MISC",
}  # fmt: skip
# span priorities: rule evidence from the lexicons beats a model guess, which beats a weak rule
_STRONG, _MODEL, _SHAPE, _WEAK = 3.0, 2.0, 2.5, 1.0
# a nationality word that modifies a noun ("Lithuanian minister") is an adjective, not a name; the
# plural noun ("Ukrainians") stays MISC
_MODIFIER_DEPS = frozenset({"amod", "compound"})
# pymorphy3 parts of speech no name's word has
_FUNCTION_TAGS = ("NPRO", "ADVB", "CONJ", "PRCL", "PREP", "INTJ", "PRED", "VERB", "INFN", "GRND", "PRTS")
_PLACE_KINDS = frozenset({"settlement", "river", "district", "region"})  # org_generic_words.tsv: a name's kind
_HEADLINE_CAPS = 0.7  # share of capitalised words above which a line is title case: rules skip it


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    type: EntityType
    priority: float
    implied: str | None = None  # the full name coordination implies ("Viktar" -> "Viktar Babaryka")


@dataclass(slots=True)
class _Group:
    type: EntityType
    first: str | None = None
    surname: str | None = None
    key: str | None = None
    spans: list[_Span] = field(default_factory=list)


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text, start, end)]


def _model_spans(text: str, lang: str) -> list[_Span]:
    if lang == "en":
        doc = english_doc(text)
        return [
            _Span(ent.start_char, ent.end_char, _SPACY_TYPES[ent.label_], _MODEL)
            for ent in doc.ents
            if ent.label_ in _SPACY_TYPES and not (ent.label_ == "NORP" and ent.root.dep_ in _MODIFIER_DEPS)
        ]
    if lang == "ru":
        types: dict[str, EntityType] = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
        return [_Span(s, e, types[t], _STRONG + 0.5) for s, e, t in natasha_spans(text) if t in types]
    return []


@lru_cache(maxsize=65536)
def _is_org_word(token: str, lang: str) -> bool:
    cased = words(lang, "org_keywords", lower=False)
    if token in cased and (token.isupper() or len(token) > 3):
        return True
    lowered = token.lower()
    keywords = [k for k in cased if k == k.lower() and len(k) >= 3]  # acronyms ("PiS") match exactly only
    if lang == "en":
        return lowered in keywords
    if lang == "de":  # also the genitive: "des Parlaments", "des Kohleterminals"
        return any(lowered.endswith(k) or lowered.endswith(k + "s") for k in keywords)
    return any(
        (lowered.startswith(k) and len(lowered) - len(k) <= 3) or (len(k) >= 6 and k in lowered[2:])
        for k in keywords
    )  # inflected ("радзе") or compound ("Еўрапарламент")


def _is_generic_org_word(token: str, lang: str) -> bool:
    """A listed kind of organisation as such ("Police", "Суд", an inflected "Компанією"), not a listed name
    ("Gazprom") nor an acronym."""
    if token in words(lang, "org_keywords", lower=False) and token.lower() != token:
        return False
    lowered = token.lower()
    if lowered in words(lang, "org_keywords"):
        return True
    stems = [k for k in words(lang, "org_keywords") if len(k) >= 4]  # Slavic stems: "компані" + case ending
    return lang in ("ru", "uk", "be") and any(lowered.startswith(k) and len(lowered) - len(k) <= 3 for k in stems)


@lru_cache(maxsize=16)
def _place_index(lang: str) -> dict[str, str]:
    """Stem (or stem phrase) of every known place -> the place's name as listed."""
    index: dict[str, str] = {}
    # regions and rivers of the place tables in the language's script (Cisa, Theiß, Закарпаття), unless a
    # form is a common word of the language (German "Oder") or a bare Polish adjective ("Pomorskie"),
    # whose stem would cut "Pomorskiego Terminalu" in two
    stop = words(lang, "stopwords")
    listed = region_river_forms("Cyrl" if lang in ("ru", "uk", "be") else "Latn")
    tables = {f for f in listed if f.lower() not in stop and not (" " not in f and f.endswith("kie"))}
    for place in sorted(places(lang) | tables):
        toks = place.split()
        if len(toks) == 1:
            for key in stems(place, lang):
                index.setdefault(key, place)
            for alt in _closed_syllable_stems(place.lower(), lang):  # Київ: Києва, Львів: Львові
                index.setdefault(alt, place)
        index.setdefault(" ".join(stem(t, lang)[0] for t in toks), place)
        index.setdefault(place.lower(), place)
    return index


def _closed_syllable_stems(name: str, lang: str) -> list[str]:
    """Ukrainian і/ї of a closed last syllable is о/е/є when the case ending opens it (Львів -> Львова,
    Київ -> Києва, Харків -> Харкова): the stems of the oblique forms."""
    if lang != "uk" or not re.search("[ії][^\\W\\d_]$", name):
        return []
    head, vowel, tail = name[:-2], name[-2], name[-1]
    return [head + v + tail for v in (("є",) if vowel == "ї" else ("о", "е"))]


def _place(tokens: list[str], lang: str) -> str | None:
    """The listed name of the place ``tokens`` name in any case form, else ``None``."""
    index = _place_index(lang)
    found = index.get(" ".join(tokens).lower()) or index.get(" ".join(stem(t, lang)[0] for t in tokens))
    if found is None and len(tokens) == 1:
        found = next((index[k] for k in stems(tokens[0], lang) if k in index), None)
    return found


def _is_place(tokens: list[str], lang: str) -> bool:
    return _place(tokens, lang) is not None


def _oblique_place(word: str, following: str, lang: str) -> bool:
    """A word after a place preposition reads as a place: a town of the place tables or GeoNames, or (pl,
    ru, uk, be) a noun whose place case ending or dictionary reading gives another nominative, that no
    dictionary reads first as a person's name (у Тячеві, w Dębicy; not у Шевченка) and that is no
    adjective of the next word (в Окружному адмінсуді)."""
    if place_groups(word):
        return True
    if lang not in ("pl", "ru", "uk", "be") or dictionary_reading(word, lang, PERSON_TAGS):
        return False
    return place_base_form(word, language=lang) != word and not _agrees_with_noun(word, following, lang)


def _common_word(word: str, lang: str) -> bool:
    """Whether the ru/uk dictionary has the word (a sentence's first "Воля" is the noun); true without one."""
    morph = morph_analyser(lang) if lang in ("ru", "uk") else None
    return morph is None or bool(morph.word_is_known(word.lower()))


@lru_cache(maxsize=65536)
def _known_town(word: str, lang: str) -> bool:
    """Whether the word, or its nominative, is a town of the place tables or GeoNames (Тернополя: Тернопіль)."""
    return bool(place_groups(word) or place_groups(place_base_form(word, language=lang)))


def _agrees_with_noun(word: str, following: str, lang: str) -> bool:
    """Whether the ru/uk dictionary reads ``word`` as an adjective and the lowercase ``following`` as a noun
    in a case the adjective can have ("Окружному адмінсуді")."""
    morph = morph_analyser(lang) if lang in ("ru", "uk") and following[:1].islower() else None
    if morph is None:
        return False

    def cases(token: str, pos: str) -> set[str]:
        readings = [str(p.tag) for p in morph.parse(token.lower()) if pos == p.tag.POS]
        return {g for tag in readings for g in tag.replace(" ", ",").split(",")}

    return bool(cases(word, "ADJF") & cases(following, "NOUN") & {"gent", "datv", "accs", "ablt", "loct"})


def _is_headline(sentence: Sentence, tokens: list[tuple[int, int, str]]) -> bool:
    if len(tokens) < 3 or sentence.text.rstrip("»”\"’')]").endswith((".", "!", "?", "…")):
        return False
    caps = sum(1 for *_, w in tokens if w[0].isupper())
    return caps / len(tokens) >= _HEADLINE_CAPS


def _classify(
    run: list[str], *, lang: str, titled: bool, initial: bool, prev: str, following: str = "", proper: bool = True
) -> tuple[EntityType, float] | None:
    if initial and len(run) == 1 and dictionary_reading(run[0], lang, _FUNCTION_TAGS, only=True):
        return None  # "Таким чином", "Відтак": a capitalised pronoun or adverb
    given = first_name(run[0], lang)
    if given is None and len(run) == 2 and (gender := listed_given_gender(run[0], language=lang)):
        given = (run[0], gender)  # "Ostap Hrabowezkyj": a given name the cross-language table spells so
    if given and (len(run) > 1 or not looks_like_surname(run[0], lang)) and not _is_place(run, lang):
        return "PER", _STRONG
    adjectives_acronym = len(run) >= 2 and is_acronym(run[-1]) and all(is_adjective(t, lang) for t in run[:-1])
    person_like = len(run) == 2 and looks_like_surname(run[-1], lang)  # "прафсаюза Кшыштаф Ламбіцкі"
    named_after_kind = prev.islower() and _is_org_word(prev, lang) and not person_like
    if adjectives_acronym or any(_is_org_word(t, lang) for t in run) or named_after_kind:
        if initial and all(_is_generic_org_word(t, lang) for t in run):
            return None  # "Police said": a kind of organisation, capitalised by its place
        return "ORG", _STRONG  # "Rada Miejska", or named after its kind: "агенцтва Інтэрфакс"
    if _is_place(run, lang):
        return "LOC", _STRONG  # before the acronym test: "US", "UK"
    after_abbreviation = prev in words(lang, "settlement_abbreviations")  # "м. Вербівка", "пгт Ильинка"
    if len(run) <= 2 and prev[:1].islower() and (after_abbreviation or place_kind(prev) in _PLACE_KINDS):
        return "LOC", _SHAPE  # "w miejscowości Wierzbna", "каля горада Мелец", "на річці Десна"
    after_preposition = not initial and prev in words(lang, "place_prepositions")
    if len(run) == 1 and after_preposition and _oblique_place(run[0], following, lang):
        return "LOC", _SHAPE  # "w Dębicy", "у Тячеві", "in Lwiw": a town the lists lack, or one GeoNames knows
    if len(run) == 1 and not initial and prev in words(lang, "route_prepositions") and _known_town(run[0], lang):
        return "LOC", _SHAPE  # "до Тернополя", "из Костромы": a town GeoNames knows in its base form
    if len(run) == 1 and run[0].isupper() and 2 <= len(run[0]) <= 6:
        return "ORG", _SHAPE  # an acronym (a common noun's, "ЗМІ", is dropped in find_entities)
    if titled:
        return "PER", _STRONG
    # German capitalises every noun and English is the model's: "die Lage" is no town there
    if 2 <= len(run) <= 3 and given_and_surname(run[0], run[-1], lang):
        return "PER", _SHAPE  # "Марини Карафорової": a given name and a surname in one case
    known_town = len(run) == 1 and lang not in ("en", "de") and _known_town(run[0], lang)
    # a sentence's first word only when no dictionary has it; after a dash mid-sentence ("Ковель — Щецин") too
    known_town = known_town and (not initial or bool(prev) or not _common_word(run[0], lang))
    if known_town and not dictionary_reading(run[0], lang, PERSON_TAGS):
        return "LOC", _SHAPE  # "Тлумач", "Снятині": a town GeoNames knows, not a surname the dictionary has
    if any(looks_like_surname(t, lang) for t in run[-1:]):
        return "PER", _SHAPE
    verbs = words(lang, "speech_verbs")
    if (prev.lower() in verbs or following.lower() in verbs) and proper:
        # "— заявіла Кавалёва", "Suchi sagte"; in English only a proper noun ("Orbán said", not
        # "Officials said") and below the model, which tells "Reuters reported" apart
        return "PER", _WEAK if lang == "en" else _SHAPE
    if len(run) <= 3 and all(dictionary_reading(t, lang, PERSON_TAGS, only=initial) for t in run):
        return "PER", _SHAPE  # "Ірма", "Михайлини Коваль": names the ru/uk dictionaries know
    if initial or lang in ("en", "de"):
        return None  # a capitalised first word, an English phrase spaCy did not take, a German noun
    if prev in words(lang, "place_prepositions"):
        return "LOC", _WEAK
    return "MISC", _WEAK


def _rule_spans(text: str, sentences: list[Sentence], lang: str) -> list[_Span]:
    stop = words(lang, "stopwords") | {w for w in words(lang, "according_to") if " " not in w}
    particles = words(lang, "name_particles")
    connectors = words(lang, "org_connectors")
    titles = words(lang, "titles")
    spans: list[_Span] = []
    for sentence in sentences:
        toks = _tokens(text, sentence.start, sentence.end)
        if lang == "en" and _is_headline(sentence, toks):
            continue
        i = 0
        while i < len(toks):
            if not toks[i][2][0].isupper():
                i += 1
                continue
            j = i + 1
            while j < len(toks):
                gap = text[toks[j - 1][1] : toks[j][0]]
                word = toks[j][2]
                if gap not in (" ", "-"):
                    break
                capital_next = j + 1 < len(toks) and toks[j + 1][2][0].isupper()
                if word[0].isupper() or (word in particles and capital_next):
                    j += 1
                    continue
                if word in connectors and capital_next and _is_org_word(toks[j - 1][2], lang):
                    j += 1  # "Council of Europe", "Ministry of Defence"
                    continue
                break
            for k in range(i + 1, j):  # "Belarus Svyatlana Tsikhanouskaya", "Францыі Эмануэль Макрон"
                named = any(not is_title(t[2], lang) for t in toks[k + 1 : j])  # not "Związek Dziennikarzy"
                if named and is_title(toks[k][2], lang) and toks[k - 1][2] not in connectors:
                    start = k - 1 if f"{toks[k - 1][2]} {toks[k][2]}".lower() in titles else k
                    if start > i:  # "NATO | Secretary General Jens Stoltenberg", "Deputy | Prime Minister X"
                        j = start
                        break
                starts_name = first_name(toks[k][2], lang) and not first_name(toks[k - 1][2], lang)
                after_place = (
                    k == i + 1
                    and _is_place([toks[i][2]], lang)
                    and not _is_place([t[2] for t in toks[i : k + 1]], lang)
                )
                if starts_name or after_place:
                    j = k
                    break
            run = toks[i:j]
            initial = i == 0 or bool(_OPENING.search(text[sentence.start : toks[i][0]]))
            prev = toks[i - 1][2] if i else ""
            titled = bool(prev) and is_title(prev, lang)
            while run:
                pair = len(run) > 1 and f"{run[0][2]} {run[1][2]}".lower() in titles  # "Prime Minister"
                title = pair or is_title(run[0][2], lang)
                # "Miasto Krosnów", "Bezirk Horliw": a capitalised word for a town or region is no part of the name
                kind = len(run) > 1 and place_kind(run[0][2]) in _PLACE_KINDS
                if not title and not kind and run[0][2].lower() not in stop:
                    break
                titled = titled or title
                initial = initial and title
                prev = run[1 if pair else 0][2].lower()
                run = run[2 if pair else 1 :]
            if run:
                spans.extend(
                    _run_span(text, toks, j, run, lang=lang, titled=titled, initial=initial, prev=prev)
                )
            i = j
    return spans


def _run_span(
    text: str, toks: list[tuple[int, int, str]], j: int, run: list[tuple[int, int, str]], **context: object
) -> list[_Span]:
    lang = str(context["lang"])
    if context["initial"] and dictionary_reading(run[0][2], lang, _FUNCTION_TAGS, only=True):
        if len(run) == 1:
            return []  # "Згодом суддя ...": a capitalised adverb, and no name after it
        run = run[1:]  # "Отже група", "Підтримано асоціацією": a sentence's first word is no name's
        context = {**context, "initial": False, "prev": run[0][2].lower()}
    names = [w for *_, w in run]
    plain = len(names) == 1 and not first_name(names[0], lang) and not looks_like_surname(names[0], lang)
    adjectival = len(names) <= 2 and all(is_adjective(w, lang) for w in names)
    if lang not in ("en", "de") and (plain or adjectival):
        # "Каардынацыйная рада", "Липецької міської ради": a Slavic name's keyword is lowercase, after
        # lowercase adjectives at most, and those only after an adjective ("Жука распавёў агенцтву",
        # "Довідка районної організації" are no names)
        org_end = adjectives_then(text, run[-1][1], lang, _is_org_word, adjectives=adjectival)
        if org_end is not None:
            return [_Span(run[0][0], org_end, "ORG", _STRONG)]
        region_end = adjectives_then(text, run[-1][1], lang, region_word)
        if region_end is not None and not plain:  # "Черкаській області"; a plain noun has no region word
            return [_Span(run[0][0], region_end, "LOC", _STRONG)]
        following = toks[j][2] if j < len(toks) and text[toks[j - 1][1] : toks[j][0]] == " " else ""
        landmark = len(names) == 1 and not context["initial"] and place_kind(following) is not None
        if landmark and _agrees_with_noun(names[0], following, lang):
            return [_Span(run[0][0], toks[j][1], "LOC", _SHAPE)]  # "Кленовий парк", "Білого озера"
    found = _classify(
        names,
        lang=lang,
        titled=bool(context["titled"]),
        initial=bool(context["initial"]),
        prev=str(context["prev"]),
        following=toks[j][2] if j < len(toks) else "",
        proper=lang != "en" or all(_proper_noun(text, start) for start, *_ in run),
    )
    if found is None:
        return []
    return [_Span(run[0][0], run[-1][1], found[0], found[1])]


def _proper_noun(text: str, start: int) -> bool:
    """Whether spaCy tags the English word at ``start`` a proper noun."""
    token = english_token_at(text, start)
    return token is not None and token.tag_ in ("NNP", "NNPS")


def _modifies_noun(text: str, start: int) -> bool:
    """Whether spaCy parses the English word at ``start`` as a modifier of a noun."""
    token = english_token_at(text, start)
    return token is not None and token.dep_ in _MODIFIER_DEPS


def _select(spans: list[_Span]) -> list[_Span]:
    """Keep the best of overlapping spans: higher priority, then longer."""
    chosen: list[_Span] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), s.start)):
        if all(span.end <= a or span.start >= b for a, b in taken):
            chosen.append(span)
            taken.append((span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


_DEMONYM = re.compile(r"(?:ian|an|ese|ish|i)$")


def _is_demonym(word: str, lang: str) -> bool:
    """English nationality words spaCy sometimes takes for people ("Belarusian", "Polish")."""
    match = _DEMONYM.search(word) if lang == "en" else None
    if match is None or match.start() < 4:
        return False
    base, named = word[: match.start()], (word, word + " ")
    # "Azerbaijan", "Tbilisi", "Vatican (City)" end like a demonym but name the place
    return not any(p.startswith(named) for p in places(lang)) and any(p.startswith(base) for p in places(lang))


def _clean(span: _Span, text: str, lang: str) -> _Span | None:
    """Cut leading determiners and titles and a trailing possessive from a span."""
    toks = _tokens(text, span.start, span.end)
    stop = words(lang, "stopwords")
    while toks and (toks[0][2].lower() in stop or (is_title(toks[0][2], lang) and len(toks) > 1)):
        toks = toks[1:]
    # an acronym before a person's name is their employer ("PKP PLK Эва Сапежынская"), not the name
    while span.type == "PER" and len(toks) > 2 and is_acronym(toks[0][2]):
        toks = toks[1:]
    if not toks:
        return None
    end = toks[-1][1]
    word = toks[-1][2]
    if lang == "en" and word.endswith(("'s", "’s")):
        end -= 2
    if span.type == "PER" and any(ch.isdigit() for ch in text[toks[0][0] : end]):
        return None
    if len(toks) == 1 and _is_demonym(word, lang):
        if _modifies_noun(text, toks[0][0]):
            return None  # "Moldovan President": an adjective (spaCy may call it a PERSON)
        return _Span(toks[0][0], end, "MISC", span.priority, span.implied)
    return _Span(toks[0][0], end, span.type, span.priority, span.implied)


def _coordinate(spans: list[_Span], text: str, lang: str) -> list[_Span]:
    """Split "A and B Surname" spans and give a lone given name the surname of the next name."""
    conj = words(lang, "conjunctions") | {","}
    out: list[_Span] = []
    for span in spans:
        toks = _tokens(text, span.start, span.end)
        cut = next((k for k, t in enumerate(toks) if k and t[2].lower() in conj), None)
        if span.type == "PER" and cut is not None:
            out.append(_Span(toks[0][0], toks[cut - 1][1], "PER", span.priority))
            out.append(
                _Span(toks[cut + 1][0], span.end, "PER", span.priority) if cut + 1 < len(toks) else span
            )
        else:
            out.append(span)
    for a, b in zip(out, out[1:], strict=False):
        if a.type != "PER" or b.type != "PER":
            continue
        between = text[a.end : b.start].strip().lower()
        a_toks, b_toks = _tokens(text, a.start, a.end), _tokens(text, b.start, b.end)
        if (
            between in conj
            and len(a_toks) == 1
            and len(b_toks) >= 2
            and first_name(a_toks[0][2], lang)
            and first_name(b_toks[0][2], lang)
        ):
            a.implied = a_toks[0][2] + " " + " ".join(t[2] for t in b_toks[1:])
    return out


def _parts(span: _Span, text: str, lang: str) -> tuple[str | None, str | None, str]:
    """(given-name stem, surname stem, gender) of a person span."""
    name = span.implied or text[span.start : span.end]
    toks = [w for w in re.split(r"\s+", name) if w]
    gender = "-"
    given = first_name(toks[0], lang) if toks else None
    if len(toks) == 1:
        if given and not looks_like_surname(toks[0], lang):
            return stem(toks[0], lang)[0], None, given[1]
        surname, gender = stem(toks[0], lang)
        return None, surname, gender
    surname, gender = stem(toks[-1], lang)
    if given and given[1] != "-":
        gender = given[1]
    first = toks[0].rstrip(".")
    return (first.lower() if len(first) == 1 else stem(first, lang)[0]), surname, gender


def _compatible_first(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _group_people(spans: list[_Span], text: str, lang: str) -> list[_Group]:
    groups: list[_Group] = []
    genders: dict[int, str] = {}
    parsed = [(s, *_parts(s, text, lang)) for s in spans if s.type == "PER"]
    for span, first, surname, gender in parsed:  # full names first: they define the people
        if first is None or surname is None:
            continue
        for g in groups:
            same_gender = gender == "-" or genders[id(g)] in ("-", gender)
            if g.surname == surname and _compatible_first(g.first, first) and same_gender:
                g.spans.append(span)
                if g.first is None or len(g.first) == 1:
                    g.first = first
                break
        else:
            group = _Group("PER", first=first, surname=surname, spans=[span])
            groups.append(group)
            genders[id(group)] = gender
    for span, first, surname, gender in parsed:
        if first is not None and surname is not None:
            continue
        if surname is not None:
            pool = [
                g
                for g in groups
                if g.surname == surname and (gender == "-" or genders[id(g)] in ("-", gender))
            ]
        else:
            pool = [g for g in groups if g.first == first and g.surname is not None]
            pool = pool if len(pool) == 1 else [g for g in groups if g.first == first and g.surname is None]
        if pool:  # the most often fully named candidate; among equals the one named last before

            def weight(g: _Group, at: int = span.start) -> tuple[int, int]:
                return len(g.spans), max((s.start for s in g.spans if s.start < at), default=-1)

            max(pool, key=weight).spans.append(span)
        else:
            group = _Group("PER", first=first, surname=surname, spans=[span])
            groups.append(group)
            genders[id(group)] = gender
    return groups


def _group_others(spans: list[_Span], people: list[_Group], text: str, lang: str) -> list[_Group]:
    by_surname = {g.surname: g for g in people if g.surname and g.first}
    groups: dict[str, _Group] = {}
    for span in spans:
        if span.type == "PER":
            continue
        toks = [w for *_, w in _tokens(text, span.start, span.end)]
        head = stem(toks[0], lang)[0]
        if head in by_surname and not _is_place(toks[:1], lang):  # "Latushka" GPE next to "Paval Latushka"
            first = next(_WORD.finditer(text, span.start, span.end))
            by_surname[head].spans.append(_Span(first.start(), first.end(), "PER", span.priority))
            rest = _tokens(text, first.end(), span.end)
            if not rest or not rest[0][2][0].isupper():  # "Korneev 120 million" (a LAW to spaCy)
                continue
            span, toks = _Span(rest[0][0], span.end, span.type, span.priority), [w for *_, w in rest]
        key = " ".join(stem(t, lang)[0] for t in toks)
        groups.setdefault(key, _Group(span.type, key=key)).spans.append(span)
    return list(groups.values())


def _propagate(groups: list[_Group], text: str, lang: str) -> None:
    """Add every further capitalised occurrence of a known surname or one-word name."""
    targets: dict[str, _Group] = {}
    for g in groups:
        if g.type == "PER" and g.surname and len(g.surname) >= 4:
            targets.setdefault(g.surname, g)
        elif g.type != "PER" and g.key and " " not in g.key and len(g.key) >= 3:
            targets.setdefault(g.key, g)
    taken = sorted((s.start, s.end) for g in groups for s in g.spans)
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))  # furthest end among spans starting up to here
    for m in _WORD.finditer(text):
        word = m.group(0)
        at = bisect_right(starts, m.start()) - 1
        if not word[0].isupper() or (at >= 0 and reach[at] > m.start()):
            continue  # inside a span already taken
        key = stem(word, lang)[0]
        group = targets.get(key)
        if group is not None and not (group.type == "PER" and len(word) < 4):
            end = m.end() - (2 if lang == "en" and word.endswith(("'s", "’s")) else 0)
            group.spans.append(_Span(m.start(), end, group.type, _WEAK))


def _best_name(group: _Group, text: str, lang: str) -> str:
    """The fullest, most nominative-looking form among the group's mentions."""
    forms = Counter(" ".join((s.implied or text[s.start : s.end]).split()) for s in group.spans)
    first_seen = {f: n for n, f in reversed(list(enumerate(forms)))}

    def is_nominative(form: str) -> bool:
        toks = form.split()
        given = first_name(toks[0], lang) if len(toks) > 1 else None
        return given is not None and given[0].lower() == toks[0].lower()

    def score(form: str) -> tuple[int, int, int, int]:
        return (len(form.split()), int(is_nominative(form)), forms[form], -first_seen[form])

    best = max(forms, key=score).split()
    if group.type in ("LOC", "MISC"):  # a listed place, else the nominative of a one-word name (Tarnowie: Tarnów)
        return _place(best, lang) or place_base_form(" ".join(best), language=lang)
    if group.type != "PER":
        return " ".join(best)
    if lang in ("en", "de") or is_nominative(" ".join(best)):
        return " ".join(best)
    given = first_name(best[0], lang) if len(best) > 1 else None
    if len(best) > 1:
        # the one base-form algorithm of the name keys (case tables, pymorphy3); the first-name table
        # wins for the given name, and a surname it leaves is guessed only when the gender is known
        # (an unknown first name gives none: Кшыштаф Ламбіцкі is no feminine Ламбіцка)
        base_given, base_surname = person_base_form(best[0], best[-1], language=lang)
        best[0] = given[0] if given else base_given
        if base_surname != best[-1] or not given:
            best[-1] = base_surname
            return " ".join(best)
    best[-1] = nominative(best[-1], lang, given[1] if given else "-")
    return " ".join(best)


@lru_cache(maxsize=16)
def _legal_form_re(lang: str) -> re.Pattern[str] | None:
    forms = sorted(words(lang, "org_legal_forms", lower=False), key=len, reverse=True)
    if not forms:
        return None
    # the form, then a «quoted name» up to its first closing quote: «Компанія «Назва» closes once
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")\s+«[^»\n]{1,120}»")


def _legal_form_spans(text: str, lang: str) -> list[_Span]:
    """``ТОВ «Назва»``, ``ООО «Название»``: a legal form and the quoted name are one organisation."""
    pattern = _legal_form_re(lang)
    return [_Span(m.start(), m.end(), "ORG", _STRONG + 1) for m in pattern.finditer(text)] if pattern else []


_NEXT_WORD = re.compile(r" ([^\W\d_]+)")


def _with_region_word(span: _Span, text: str, lang: str) -> _Span:
    """A place adjective takes the administrative word after it: "Луганській області", "Кремінському районі"."""
    if span.type != "LOC" or lang not in ("ru", "uk", "be"):
        return span
    m = _NEXT_WORD.match(text, span.end)
    if m and m.group(1).islower() and any(m.group(1).startswith(w) for w in words(lang, "region_words")):
        return _Span(span.start, m.end(), span.type, span.priority, span.implied)
    return span


_PLACE_WORD = re.compile(r" ([a-z]+)\b")


def _before_place_word(span: _Span, text: str) -> _Span:
    """In English a name right before a lowercase word for a kind of place is a place: "the Mureva river",
    "the Brodiv district" (the model may call them organisations, the rules a person). Slavic languages
    put a genitive there ("Партії рівних можливостей"), German and Polish the kind word first ("Bezirk Horliw")."""
    m = _PLACE_WORD.match(text, span.end)
    kind = place_kind(m.group(1)) if m else None
    one_word = span.type != "PER" or " " not in text[span.start : span.end]
    if span.type != "LOC" and one_word and kind in _PLACE_KINDS:
        return _Span(span.start, span.end, "LOC", span.priority, span.implied)
    return span


def _places_in_lists(spans: list[_Span], text: str, lang: str) -> list[_Span]:
    """An unknown one-word name (MISC) listed next to a place is a place: "Тлумач, Добрянка, Соснівка",
    "Рахів і Ясіня" (both sides, until the list ends)."""
    joins = words(lang, "conjunctions") | {","}
    changed = True
    while changed:
        changed = False
        for n, span in enumerate(spans):
            if span.type != "MISC" or " " in text[span.start : span.end]:
                continue
            neighbours = [spans[k] for k in (n - 1, n + 1) if 0 <= k < len(spans)]
            if any(o.type == "LOC" and _joined(o, span, text, joins) for o in neighbours):
                spans[n] = _Span(span.start, span.end, "LOC", span.priority, span.implied)
                changed = True
    return spans


def _joined(a: _Span, b: _Span, text: str, joins: frozenset[str]) -> bool:
    """Whether only a comma or a conjunction stands between two spans."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return text[first.end : second.start].strip().lower() in joins


def _closing_kind(span: _Span, text: str, lang: str) -> str:
    """A span's type for :func:`genitive_tail`: ``TOWN`` for a one-word place that is no country."""
    toks = [w for *_, w in _tokens(text, span.start, span.end)]
    if span.type != "LOC" or len(toks) != 1:
        return span.type
    return "LOC" if _place(toks, lang) in countries(lang) else "TOWN"


def _with_dependents(spans: list[_Span], text: str, lang: str) -> list[_Span]:
    """An organisation word takes the genitive words after it and the place or body they end on
    ("Міністерства" + "охорони довкілля України"): one span, the spans it covers dropped."""
    out: list[_Span] = []
    kinds = [(s.start, s.end, _closing_kind(s, text, lang)) for s in spans]
    for n, span in enumerate(spans):
        if out and span.start < out[-1].end:
            continue  # inside the previous organisation's name
        toks = [w for *_, w in _tokens(text, span.start, span.end)]
        headed = any(_is_org_word(w, lang) for w in toks)  # "Министерства природных ресурсов" + "России"
        closed = text[span.end - 1 : span.end] in "»”“"  # a quoted name ends at its closing quote
        if span.type == "ORG" and toks and not closed and (headed or is_acronym(toks[-1])):
            following = kinds[n + 1 : n + 2]  # the tail closes on the next span only
            lowercase = not is_acronym(toks[-1])
            end = genitive_tail(text, span.end, lang, following, lowercase=lowercase)
            span = _Span(span.start, end, span.type, span.priority, span.implied) if end > span.end else span
        out.append(span)
    return out


def find_entities(text: str, sentences: list[Sentence], language: str | None) -> list[Entity]:
    """Find the named entities of one article with all their mentions.

    Args:
        text: the article's clean text.
        sentences: its sentences from :func:`split_sentences`.
        language: ISO 639-1 code; English uses spaCy, Russian natasha, all languages the rules.

    Returns:
        Entities ordered by first mention, keyed ``e1``, ``e2``, ...
    """
    lang = language_key(language)
    candidates = _model_spans(text, lang) + _rule_spans(text, sentences, lang)
    # a legal form alone, or a common noun's abbreviation ("СМИ", which the model takes for a body), is no name
    bare = words(lang, "org_legal_forms", lower=False) | words(lang, "common_acronyms", lower=False)
    cleaned = [c for c in (_clean(s, text, lang) for s in candidates)
               if c is not None and text[c.start : c.end] not in bare]  # fmt: skip
    cleaned += _legal_form_spans(text, lang)  # after _clean: the quotes belong to the name
    cleaned += [_Span(a, b, "ORG", _STRONG + 1) for a, b in quoted_names(text, lang)]
    cleaned += [_Span(a, b, "LOC", _STRONG + 1) for a, b in street_names(text, lang)]
    cleaned = [_before_place_word(s, text) for s in cleaned] if lang == "en" else cleaned
    spans = _coordinate(_with_dependents([_with_region_word(s, text, lang) for s in _select(cleaned)], text, lang),
                        text, lang)  # fmt: skip
    spans = _places_in_lists(spans, text, lang)
    people = _group_people(spans, text, lang)
    groups = people + _group_others(spans, people, text, lang)
    _propagate(groups, text, lang)
    entities: list[tuple[int, Entity]] = []
    for g in groups:
        unique = {(s.start, s.end): s for s in g.spans}
        mentions = [Mention(a, b, text[a:b]) for a, b in sorted(unique)]
        types = Counter(s.type for s in g.spans)
        etype: EntityType = g.type if g.type == "PER" else types.most_common(1)[0][0]
        entities.append((mentions[0].start, Entity("", etype, _best_name(g, text, lang), mentions)))
    entities.sort(key=lambda pair: pair[0])
    for n, (_, entity) in enumerate(entities, 1):
        entity.key = f"e{n}"
    return [entity for _, entity in entities]
