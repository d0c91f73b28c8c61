"""Numbers and quantities with normalised units (``numbers.v2``).

Figures ("3,000", "3 000", "2,5", "80%"), number words in every case form ("four and a half hours",
"чатыры з паловай гадзіны", "dwie godziny"), collective numerals ("семеро", "двоє", "dwoje"), one-word
compounds ("fünfundzwanzig"), scale words ("2 млн", "1,5 mld", "2 Mio."), vague plurals
("thousands", "тысячы" -> approximate) and units normalised to ``h``, ``min``, ``day``, ``%``, ``people``,
``km``, ``t``, ``ha``, ``kg`` or an ISO 4217 currency code. The word tables live in ``data/lexicons/<lang>/``
(``number_words.txt``, ``scales.txt``, ``approximate_numbers.txt``, ``number_phrases.txt``,
``halves.txt``, ``approximators.txt``, ``units.txt``, ``number_format.txt``) and ``common/``.

Not quantities: numbers inside date expressions, times of day ("09:41"), ordinals ("5-й", "3rd"),
codes glued to letters ("COVID-19", "5G"), a year standing alone ("in 2020", "1994") and a phrase
stating a rate ("20,000 euros a year", "twice a week"). "до"/"да"/"do" before a figure means "up to"
(approximate) except after a verb of sentencing or change (``approximator_vetoes.txt``: "засудив до
п'яти років"); a bare "рублёў" takes the currency the article writes out ("расійскіх рублёў").
A lone number word worth one ("one", "ein", "один") counts only with a unit: it is mostly an article
or a pronoun.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..models import NumberMention, Sentence
from ._tables import TOKEN, alternation, first_words, key, token_key
from .dates import date_spans
from .wordlists import base_language, table_rows

_SP = r"[\s\u00a0]+"
# A figure not glued to a word ("COVID-19"): digits grouped by one separator in threes, or plain digits,
# then an optional decimal part.
_DIGITS = (
    r"(?<![\w.,/])(?<![^\W\d_]-)"
    r"(?P<int>\d{1,3}(?:(?P<g>[,.\u00a0\u202f ])\d{3}(?!\d))(?:(?P=g)\d{3}(?!\d))*|\d+)"
    r"(?:(?P<dec>[.,])(?P<frac>\d+))?"
)
# Years standing alone are dates, not quantities.
_YEAR_RANGE = (1900, 2100)
_RANGE_GAP = re.compile(r"[\s\u00a0]*(?:[-–—]|to|до|да|do|bis)[\s\u00a0]*", re.IGNORECASE)
_ID_BEFORE = re.compile(r"(?:№|\bNo\.?|\bNr\.?|\bп\.)[\s\u00a0]*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, float]
    phrases: dict[str, tuple[float, str]]
    units: dict[str, str]
    currencies: dict[str, str]
    decimal: str
    digits: re.Pattern[str]
    phrase: re.Pattern[str]
    sequence: re.Pattern[str]
    triggers: frozenset[str]
    token: re.Pattern[str]
    tail: re.Pattern[str]
    before: re.Pattern[str]
    currency_before: re.Pattern[str]
    rate_before: re.Pattern[str]  # "twice a year", "three times a day": "a year" is a rate, not a duration
    vetoes: dict[str, tuple[str, ...]]  # approximator -> stems of words before it that make it mean "to"
    clock: re.Pattern[str]  # after a figure, a word making it a time of day ("Uhr")
    bare: dict[str, str]  # a currency word with a written-out variant ("рублёў") -> the currency it defaults to
    explicit: dict[str, tuple[str, str]]  # a written-out variant ("расійскіх рублёў") -> (that default, its currency)


@lru_cache(maxsize=16)
def _lexicon(language: str | None) -> _Lexicon:
    def table(name: str) -> list[tuple[str, ...]]:
        return table_rows(language, name)

    fmt_rows = table("number_format.txt")
    number_rows = table("number_words.txt") + _compounds(
        table("number_words.txt"), [r[1] for r in fmt_rows if r[0] == "compound"]
    )
    words = {key(r[0]): float(r[1]) for r in number_rows}
    scales = {key(r[0]): float(r[1]) for r in table("scales.txt")}
    vague = {key(r[0]): float(r[1]) for r in table("approximate_numbers.txt")}
    phrases = {key(r[0]): (float(r[1]), r[2]) for r in table("number_phrases.txt")}
    units = {key(r[0]): r[1] for r in table("units.txt")}
    # Words (not codes) that some longer form names as another currency: "рублёў" (BYN) in "расійскіх рублёў" (RUB).
    single = {key(r[0]): r[1] for r in table("units.txt") if " " not in r[0] and not r[0].isupper() and r[1].isupper()}
    defaults = {single[w] for k, u in units.items() if " " in k for w in k.split() if single.get(w, u) != u}
    bare = {w: u for w, u in single.items() if u in defaults}
    explicit = {k: (bare[w], u) for k, u in units.items() if " " in k for w in k.split() if w in bare}
    currencies = {r[0]: r[1] for r in table("currency_symbols.txt")}
    fmt = dict((r[0], r[1]) for r in fmt_rows if len(r) > 1)
    joiners = [r[1] for r in fmt_rows if r[0] == "joiner"]
    connectors = [r[1] for r in fmt_rows if r[0] == "unit_connector"]
    approx = table("approximators.txt")
    vetoes: dict[str, list[str]] = {}
    for r in table("approximator_vetoes.txt"):
        vetoes.setdefault(key(r[0]), []).append(r[1].lower())
    word = alternation(
        [r[0] for r in number_rows]
        + [r[0] for r in table("scales.txt")]
        + [r[0] for r in table("approximate_numbers.txt")]
    )
    join = (
        rf"(?:{_SP}{alternation(joiners)}{_SP}|[\s\u00a0]*-[\s\u00a0]*|{_SP})"
        if joiners
        else r"(?:[\s\u00a0]*-[\s\u00a0]*|[\s\u00a0]+)"
    )
    sequence = rf"(?<!\w){word}(?!\w)(?:{join}{word}(?!\w))*"
    phrase = rf"(?<!\w){alternation(r[0] for r in table('number_phrases.txt'))}(?!\w)"
    tail = (
        rf"(?P<scale>[\s\u00a0]*-?{alternation(r[0] for r in table('scales.txt'))}(?!\w))?"
        rf"(?P<half>[\s\u00a0\-]+{alternation((r[0] for r in table('halves.txt')), hyphens=True)}(?!\w))?"
        rf"(?:[\s\u00a0]*-?[\s\u00a0]*(?P<conn>{alternation(connectors)}{_SP})?"
        rf"(?P<unit>{alternation((r[0] for r in table('units.txt')), hyphens=True)})(?!\w))?"
        rf"(?P<after>[\s\u00a0]*{alternation(r[0] for r in approx if r[1] == 'after')}(?!\w))?"
    )
    return _Lexicon(
        words=words,
        scales=scales,
        vague=vague,
        phrases=phrases,
        units=units,
        currencies=currencies,
        decimal=fmt.get("decimal", "."),
        digits=re.compile(_DIGITS),
        phrase=re.compile(phrase, re.IGNORECASE),
        sequence=re.compile(sequence, re.IGNORECASE),
        triggers=first_words(
            [r[0] for r in number_rows]
            + [r[0] for name in ("scales.txt", "approximate_numbers.txt", "number_phrases.txt") for r in table(name)]
        ),
        token=re.compile(rf"(?<!\w){word}(?!\w)", re.IGNORECASE),
        tail=re.compile(tail, re.IGNORECASE),
        before=re.compile(
            rf"(?<!\w){alternation(r[0] for r in approx if r[1] == 'before')}"
            r"[\s\u00a0]+$",
            re.IGNORECASE,
        ),
        currency_before=re.compile(rf"(?<![^\W\d_]){alternation(currencies)}[\s\u00a0]?$"),
        rate_before=re.compile(
            rf"(?<!\w){alternation(r[1] for r in fmt_rows if r[0] == 'rate_word')}[\s\u00a0]+$", re.IGNORECASE
        ),
        vetoes={k: tuple(v) for k, v in vetoes.items()},
        clock=re.compile(rf"[\s\u00a0]*{alternation(r[1] for r in fmt_rows if r[0] == 'clock_word')}(?!\w)"),
        bare=bare,
        explicit=explicit,
    )


def _compounds(words: list[tuple[str, ...]], joiners: list[str]) -> list[tuple[str, ...]]:
    """Number words written as one word, units before tens ("fünfundzwanzig" = 5 + 20): ``(form, value)``."""
    values = [(r[0], float(r[1])) for r in words]
    units = [(w, v) for w, v in values if v.is_integer() and 1 <= v <= 9]
    tens = [(w, v) for w, v in values if v.is_integer() and 20 <= v <= 90 and v % 10 == 0]
    return [(f"{u}{j}{t}", f"{uv + tv:g}") for j in joiners for u, uv in units for t, tv in tens]


def _figure(m: re.Match[str], decimal: str) -> float:
    """The value of a written figure, reading ``,``/``.`` by the language's decimal separator."""
    whole, group, dec, frac = m["int"], m["g"], m["dec"], m["frac"]
    if group in (",", ".") and whole.count(group) == 1 and dec is None and group == decimal:
        # One group behind the language's decimal mark: "2,500" in Polish is 2.5, "1.500" in English 1.5.
        return float(whole.replace(group, "."))
    digits = re.sub(r"\D", "", whole)
    return float(f"{digits}.{frac}") if dec else float(digits)


def _words_value(
    spans: list[tuple[str, int, int]], lex: _Lexicon, text: str
) -> list[tuple[int, int, float, bool, bool]]:
    """Split a run of number words into numbers: ``(start, end, value, approximate, ends_in_scale)``.

    A lone scale word ("hundred", "million") is dropped unless a unit follows ("a thousand people").
    """
    out: list[tuple[int, int, float, bool, bool]] = []
    total = current = 0.0
    start = end = -1
    approximate = scaled = False
    bare = False  # the number so far is a scale word with no number before it

    def close() -> None:
        tail = lex.tail.match(text, end) if bare else None
        if start >= 0 and not (bare and tail is not None and not tail["unit"]):
            out.append((start, end, total + current, approximate, scaled))

    for surface, s, e in spans:
        k = key(surface)
        if start < 0 or (k in lex.vague and k not in lex.scales):
            close()
            total = current = 0.0
            start, approximate, scaled = s, False, False
            bare = k in lex.scales or lex.words.get(k) == 100
            if k in lex.vague:
                current, approximate, end = lex.vague[k], True, e
                continue
        if k in lex.scales:
            total += (current or 1.0) * lex.scales[k]
            current, scaled = 0.0, True
        else:
            value = lex.words.get(k)
            if value is None:
                continue
            if value == 100 and 0 < current < 10:
                current *= 100  # "two hundred"
                bare = False
            elif (
                current == 0
                or (current % 100 == 0 and value < 100)
                or (current % 100 >= 20 and current % 10 == 0 and value < 10)
            ):
                current += value
            else:
                close()
                total, current, start, approximate, scaled = 0.0, value, s, False, False
            bare = bare and value == 100 and current == 100
            scaled = False
        end = e
    close()
    return out


def find_numbers(text: str, sentences: list[Sentence], language: str | None) -> list[NumberMention]:
    """Every number or quantity in ``text`` that is not part of a date, a time or a code.

    Args:
        text: the article's clean text.
        sentences: its sentences, to assign each number a sentence index.
        language: ISO 639-1 code choosing the word tables and the decimal mark; ``None`` uses all tables.

    Returns:
        One :class:`NumberMention` per quantity, in text order.
    """
    lang = base_language(language)
    lex = _lexicon(lang)
    blocked = date_spans(text, lang)
    starts = [s.start for s in sentences]
    found: list[tuple[NumberMention, float]] = []  # mention, the scale its figure was multiplied by
    candidates: list[tuple[str, re.Match[str]]] = [("figure", m) for m in lex.digits.finditer(text)]
    word_end = 0
    for token in TOKEN.finditer(text):
        if token.start() < word_end or token_key(token[0]) not in lex.triggers:
            continue
        for kind, rx in (("phrase", lex.phrase), ("words", lex.sequence)):
            if found_words := rx.match(text, token.start()):
                candidates.append((kind, found_words))
                word_end = found_words.end()
                break
    candidates.sort(key=lambda km: km[1].start())
    consumed = 0
    for kind, m in candidates:
        if m.start() < consumed or any(a < m.end() and m.start() < b for a, b in blocked):
            continue
        fixed_unit: str | None = None
        if kind == "phrase":
            if _is_rate(text, m.start(), found, lex):
                continue
            value, fixed_unit = lex.phrases[key(m[0])]
            pieces = [(m.start(), m.end(), value, False, False)]
        elif kind == "figure":
            nxt, prev = text[m.end() : m.end() + 2], text[max(m.start() - 2, 0) : m.start()]
            if (nxt[:1] == ":" and nxt[1:2].isdigit()) or (prev[-1:] == ":" and prev[:1].isdigit()):
                continue  # time of day or a score
            if _ID_BEFORE.search(text, max(m.start() - 4, 0), m.start()) or lex.clock.match(text, m.end()):
                continue  # a number sign, or a time of day ("um 02.15 Uhr")
            pieces = [(m.start(), m.end(), _figure(m, lex.decimal), False, False)]
        else:
            tokens = [(t[0], m.start() + t.start(), m.start() + t.end()) for t in lex.token.finditer(m[0])]
            pieces = _words_value(tokens, lex, text)
        for start, end, value, approximate, scaled in pieces:
            mention = _quantity(
                text, start, end, value, approximate, scaled, lex, is_figure=kind == "figure", unit=fixed_unit
            )
            if mention is not None:
                mention[0].sentence = max(bisect_right(starts, mention[0].start) - 1, 0)
                found.append(mention)
                consumed = max(consumed, mention[0].end)
    _share_range_units(text, found)
    mentions = [n for n, _ in found]
    _currency_context(mentions, lex)
    return mentions


def _currency_context(mentions: list[NumberMention], lex: _Lexicon) -> None:
    """A bare "рублёў" takes the one currency of its family the article writes out ("расійскіх рублёў")."""
    # A Belarusian article on a Russian court writes "240 мільёнаў расійскіх рублёў" once, then "38 мільёнаў
    # рублёў"; the Belarusian default (BYN) would make the figure incomparable with "36 million roubles".
    written: dict[str, set[str]] = {}
    bare = []
    for mention in mentions:
        k = key(mention.text)
        variant = next((v for f, v in lex.explicit.items() if k == f or k.endswith(" " + f)), None)
        if variant:
            written.setdefault(variant[0], set()).add(variant[1])
        elif mention.unit is not None and lex.bare.get(k.rsplit(" ", 1)[-1]) == mention.unit:
            bare.append(mention)
    for mention in bare:
        named = written.get(mention.unit or "", set())
        if len(named) == 1:
            mention.unit = next(iter(named))


def _is_rate(text: str, start: int, found: list[tuple[NumberMention, float]], lex: _Lexicon) -> bool:
    """True for a phrase that states a rate: "20,000 euros a year", "twice a week"."""
    if found and not text[found[-1][0].end : start].strip():
        return True
    return lex.rate_before.search(text, max(start - 30, 0), start) is not None


# An approximator is read as a plain preposition when a veto word is among this many words before it in
# its clause: the object sits between ("засудив колишнього заступника губернатора Калузької області
# Андрія Корнєєва до дев'яти з половиною років" is 8 words from the verb to "до").
_VETO_WORDS = 10
_CLAUSE_END = re.compile(r"[.;:!?,]")


def _vetoed(text: str, approximator: re.Match[str], lex: _Lexicon) -> bool:
    """True when a word before an approximator ("зросла до", "засудив ... до") makes it mean "to"."""
    stems = lex.vetoes.get(key(approximator[0]))
    if not stems:
        return False
    window = text[max(approximator.start() - 20 * _VETO_WORDS, 0) : approximator.start()]
    before = _CLAUSE_END.split(window)[-1]
    return any(w.lower().startswith(stems) for w in TOKEN.findall(before)[-_VETO_WORDS:])


def _quantity(
    text: str,
    start: int,
    end: int,
    value: float,
    approximate: bool,
    scaled: bool,
    lex: _Lexicon,
    *,
    is_figure: bool,
    unit: str | None,
) -> tuple[NumberMention, float] | None:
    """Attach scale, half, unit and approximation around one number; ``None`` when it is no quantity."""
    tail = lex.tail.match(text, end)
    assert tail is not None  # every part of the tail is optional
    multiplier = 1.0
    if tail["scale"] and (is_figure or not scaled):
        multiplier = lex.scales[key(tail["scale"])]
        value *= multiplier
        scaled = True
    if tail["half"] and value == int(value):
        value += 0.5
    if unit is None and tail["unit"] and (tail["conn"] is None or approximate or scaled):
        unit = lex.units[key(tail["unit"])]
    stop = tail.end("unit") if unit and tail["unit"] else max(end, tail.end("half"), tail.end("scale"))
    if tail["after"] and (unit or not tail["unit"]):
        approximate, stop = True, tail.end("after")
    currency = lex.currency_before.search(text, max(start - 4, 0), start)
    if currency and unit is None:
        unit = lex.currencies.get(currency[0].strip())
        start = currency.start()
    approximator = lex.before.search(text, max(start - 30, 0), start)
    if approximator and not _vetoed(text, approximator, lex):
        approximate = True
    if is_figure and unit is None and not tail["unit"]:
        compound = _compound_unit(text, end, lex)
        if compound:
            unit, stop = compound
    if is_figure:
        glued = text[end : end + 1]
        if (
            glued.isalpha()
            and not (unit or scaled)
            or (glued == "-" and text[end + 1 : end + 2].isalpha() and not (unit or scaled))
        ):
            return None  # ordinal ("5-й", "3rd") or code ("5G")
        if (
            unit is None
            and not scaled
            and not approximate
            and value == int(value)
            and _YEAR_RANGE[0] <= value <= _YEAR_RANGE[1]
            and text[start:end].isdigit()
        ):
            return None
    elif value <= 1 and unit is None and not approximate:
        return None
    return NumberMention(
        text=text[start:stop],
        start=start,
        end=stop,
        sentence=0,
        value=value,
        unit=unit,
        approximate=approximate,
    ), multiplier


_GLUED_WORD = re.compile(r"-([^\W\d_]+)")


def _compound_unit(text: str, end: int, lex: _Lexicon) -> tuple[str, int] | None:
    """The unit of an adjective glued to a figure ("72-годинний", "72-часовую", "24-godzinny"): the
    longest unit word of the language the glued word starts with, and where the word ends."""
    glued = _GLUED_WORD.match(text, end)
    if glued is None:
        return None
    word = key(glued[1])
    stems = [k for k in lex.units if len(k) >= 3 and " " not in k and word.startswith(k)]
    if not stems:
        return None
    return lex.units[max(stems, key=len)], glued.end()


def _share_range_units(text: str, found: list[tuple[NumberMention, float]]) -> None:
    """In "60-70%" or "2-3 млн" the first figure takes the unit and the scale of the second."""
    for (first, first_scale), (second, second_scale) in zip(found, found[1:], strict=False):
        if first.unit is None and _RANGE_GAP.fullmatch(text, first.end, second.start):
            first.unit = second.unit
            first.approximate = first.approximate or second.approximate
            if first_scale == 1.0 and second_scale != 1.0:
                first.value *= second_scale
