"""Date expressions and the event date of an article (``dates.v1``).

A rule-based matcher over per-language tables in ``data/lexicons/<lang>/`` (``months.txt``,
``weekdays.txt``, ``weekday_modifiers.txt``, ``relative_days.txt``, ``relative_periods.txt``,
``date_words.txt``). dateparser's ``search_dates`` was measured on a 500-word English article:
~20 ms warm (128 ms on first call) with false hits on "we", "a now" and "in four months"; these
regexes take well under 1 ms and only fire next to a day number, a year or a date word.

Normalisation against ``reference`` (the article's published/updated date):

* a day and month without a year take the most recent such date not more than
  :data:`FUTURE_DAYS` after the reference; with no reference the value is ``--MM-DD`` and
  ``uncertain=True`` -- a year is never invented;
* relative expressions ("yesterday", "в субботу", "last week") are resolved from the reference and
  marked ``relative=True``; with no reference they are **skipped**, because no calendar value can be
  given without inventing one (``DateMention.value`` has no form for "some Saturday");
* "last week" resolves to that week's Monday with ``uncertain=True`` (a week, not a day).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..models import DateMention, Sentence
from ._tables import TOKEN, alternation, first_words, key, token_key
from .wordlists import table_rows

# A report may announce a date a few days ahead ("the protest on October 17" in an article of
# October 12); a day-month further ahead than this is taken to be last year's.
FUTURE_DAYS = 7
# The lead: the first sentences of at least this many words (shorter ones are bylines, photo credits).
LEAD_SENTENCES = 3
LEAD_MIN_WORDS = 5

_SP = r"[\s\u00a0]+"
_OPT_SP = r"[\s\u00a0]*"
_YEAR = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_TIME = re.compile(r"\d{1,2}:\d{2}")
_REF = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    modifiers: dict[str, int]
    relative_days: dict[str, int]
    periods: dict[str, tuple[str, int]]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # led by a digit: run over the whole text
    word_patterns: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]  # tried at trigger words only
    triggers: frozenset[str]


@lru_cache(maxsize=16)
def _lexicon(language: str | None) -> _Lexicon:
    months = {key(r[0]): int(r[1]) for r in table_rows(language, "months.txt")}
    month_forms = [r[0] for r in table_rows(language, "months.txt")]
    words = table_rows(language, "date_words.txt")

    def role(name: str) -> str:
        return alternation(r[0] for r in words if r[1] == name)

    def role_words(name: str) -> frozenset[str]:
        return first_words(r[0] for r in words if r[1] == name)

    weekdays = table_rows(language, "weekdays.txt")
    modifiers = table_rows(language, "weekday_modifiers.txt")
    reldays = table_rows(language, "relative_days.txt")
    periods = table_rows(language, "relative_periods.txt")
    month = alternation(month_forms)
    # Month-before-day ("October 10") is English/German usage; only capitalised month forms take it,
    # so a Russian "в мае 10 человек" is not a date.
    month_first = alternation(f for f in month_forms if f[:1].isupper())
    ordinal = role("ordinal")
    year_after = rf"(?:{_OPT_SP}{role('year_after')}(?!\w))?"
    day = r"(?P<d>\d{1,2})"
    digit_led = [
        ("iso", r"(?<![\d\w])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
        (
            "numeric",
            rf"(?<![\d.\w]){day}(?P<sep>[./-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})(?![\d])" + year_after,
        ),
        (
            "day_month",
            rf"(?<![\w.,]){day}(?:{_OPT_SP}[-–—]{_OPT_SP}\d{{1,2}})?(?:{ordinal})?\.?{_SP}"
            rf"(?:of{_SP})?(?P<mon>{month})(?!\w)(?:,?{_SP}{_YEAR}{year_after})?",
        ),
        ("year", rf"(?<![\w.,]){_YEAR}{_OPT_SP}{role('year_after')}(?!\w)"),
    ]
    relday_exact = (r[0] for r in reldays if r[2:] == ("exact",))
    month_words = first_words(month_forms)
    word_led = [
        (
            "month_day",
            rf"(?<!\w)(?P<mon>{month_first}){_SP}{day}(?:{ordinal})?(?![\d\w])"
            rf"(?:,?{_SP}{_YEAR})?",
            month_words,
        ),
        ("month_year", rf"(?<!\w)(?P<mon>{month}){_SP}{_YEAR}{year_after}", month_words),
        (
            "month",
            rf"(?<!\w){role('month_before')}{_SP}(?P<mon>{month})(?!\w)(?!\.?{_SP}\d)",
            role_words("month_before"),
        ),
        ("year", rf"(?<!\w){role('year_before')}{_SP}{_YEAR}(?![\w,.]\d)", role_words("year_before")),
        (
            "relday",
            rf"(?<!\w)(?P<rel>{alternation((r[0] for r in reldays), exact=relday_exact)})(?!\w)",
            first_words(r[0] for r in reldays),
        ),
        (
            "period",
            rf"(?<!\w)(?P<per>{alternation(r[0] for r in periods)})(?!\w)",
            first_words(r[0] for r in periods),
        ),
        (
            "weekday",
            rf"(?<!\w)(?:(?P<mod>{alternation(r[0] for r in modifiers)}){_SP})?"
            rf"(?P<wd>{alternation(r[0] for r in weekdays)})(?!\w)",
            first_words(r[0] for r in [*modifiers, *weekdays]),
        ),
    ]
    return _Lexicon(
        months=months,
        weekdays={key(r[0]): int(r[1]) for r in weekdays},
        modifiers={key(r[0]): int(r[1]) for r in modifiers},
        relative_days={key(r[0]): int(r[1]) for r in reldays},
        periods={key(r[0]): (r[1], int(r[2])) for r in periods},
        patterns=tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in digit_led),
        word_patterns=tuple((kind, re.compile(p, re.IGNORECASE), w) for kind, p, w in word_led),
        triggers=frozenset().union(*(w for _k, _p, w in word_led)),
    )


@lru_cache(maxsize=4)  # find_numbers asks for the same article's date spans right after find_dates
def _matches(text: str, language: str | None) -> tuple[tuple[str, re.Match[str]], ...]:
    """Non-overlapping matches, earliest first, the longest winning at one position."""
    lex = _lexicon(language)
    found = [(kind, m) for kind, rx in lex.patterns for m in rx.finditer(text)]
    for token in TOKEN.finditer(text):
        word = token_key(token[0])
        if word not in lex.triggers:
            word = word.split("'")[0]  # "Sunday's"
        if word in lex.triggers:
            for kind, rx, words in lex.word_patterns:
                if word in words and (m := rx.match(text, token.start())):
                    found.append((kind, m))
    found.sort(key=lambda km: (km[1].start(), -km[1].end()))
    kept: list[tuple[str, re.Match[str]]] = []
    last_end = -1
    for kind, m in found:
        if m.start() >= last_end:
            kept.append((kind, m))
            last_end = m.end()
    return tuple(kept)


def date_spans(text: str, language: str | None) -> list[tuple[int, int]]:
    """Character spans of every date expression (numbers inside them are not quantities)."""
    return [m.span() for _kind, m in _matches(text, language)]


def parse_reference(reference: str | None) -> date | None:
    """The calendar date of an ISO date or timestamp (``2020-10-12T08:00:00+03:00``), else ``None``."""
    m = _REF.search(reference or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _derive_year(month: int, day: int, ref: date) -> int | None:
    """The year of the latest month-day not more than FUTURE_DAYS after ``ref``."""
    for year in range(ref.year + 1, ref.year - 8, -1):
        if _valid(year, month, day) and date(year, month, day) <= ref + timedelta(days=FUTURE_DAYS):
            return year
    return None


def _resolve(
    kind: str, m: re.Match[str], lex: _Lexicon, ref: date | None, language: str | None
) -> tuple[str, bool, bool] | None:
    """``(value, uncertain, relative)`` of one match, or ``None`` to drop it."""
    groups = m.groupdict()
    year = int(groups["y"]) if groups.get("y") else None
    if kind in ("iso", "numeric"):
        assert year is not None
        day, month = int(groups["d"]), int(groups["m"])
        uncertain = False
        if kind == "numeric" and groups.get("sep") == "/" and (language or "").startswith("en"):
            day, month = month, day  # US order in English: 10/31/2020
            uncertain = day <= 12 and month <= 12 and day != month
        return (f"{year:04d}-{month:02d}-{day:02d}", uncertain, False) if _valid(year, month, day) else None
    if kind in ("day_month", "month_day", "month_year", "month"):
        if key(groups["mon"]) not in lex.months:
            return None
        month = lex.months[key(groups["mon"])]
        if kind == "month_year":
            assert year is not None
            return f"{year:04d}-{month:02d}", False, False
        if kind == "month":
            if ref is None:
                return None
            return f"{ref.year if month <= ref.month else ref.year - 1:04d}-{month:02d}", False, False
        day = int(groups["d"])
        if year is not None:
            return (f"{year:04d}-{month:02d}-{day:02d}", False, False) if _valid(year, month, day) else None
        if not _valid(2000, month, day):
            return None
        if ref is None:
            return f"--{month:02d}-{day:02d}", True, False
        derived = _derive_year(month, day, ref)
        return (f"{derived:04d}-{month:02d}-{day:02d}", False, False) if derived else None
    if kind == "year":
        return f"{year:04d}", False, False
    if ref is None:
        return None  # relative expression without a reference: nothing to anchor it to
    if kind == "relday":
        when = ref + timedelta(days=lex.relative_days[key(groups["rel"])])
        return when.isoformat(), False, True
    if kind == "period":
        unit, offset = lex.periods[key(groups["per"])]
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
            return monday.isoformat(), True, True
        if unit == "month":
            index = ref.year * 12 + ref.month - 1 + offset
            return f"{index // 12:04d}-{index % 12 + 1:02d}", False, True
        return f"{ref.year + offset:04d}", False, True
    weekday = lex.weekdays[key(groups["wd"])]
    modifier = lex.modifiers.get(key(groups["mod"]), 0) if groups.get("mod") else 0
    if modifier == 1:
        when = ref + timedelta(days=(weekday - ref.weekday()) % 7 or 7)
    else:
        back = (ref.weekday() - weekday) % 7
        when = ref - timedelta(days=back or (7 if modifier == -1 else 0))
    return when.isoformat(), False, True


def _sentence_of(position: int, starts: list[int]) -> int:
    return max(bisect_right(starts, position) - 1, 0)


def find_dates(
    text: str, sentences: list[Sentence], language: str | None, *, reference: str | None
) -> list[DateMention]:
    """Every date expression in ``text``, normalised against ``reference``.

    Args:
        text: the article's clean text.
        sentences: its sentences, to assign each date a sentence index.
        language: ISO 639-1 code choosing the word tables; ``None`` uses every language's tables.
        reference: the article's published or updated ISO date/timestamp, or ``None``.

    Returns:
        One :class:`DateMention` per expression, in text order (see the module docstring for values).
    """
    lex = _lexicon(language)
    ref = parse_reference(reference)
    starts = [s.start for s in sentences]
    out = []
    for kind, m in _matches(text, language):
        resolved = _resolve(kind, m, lex, ref, language)
        if resolved is None:
            continue
        value, uncertain, relative = resolved
        start = m.start("mon") if kind == "month" else m.start()
        out.append(
            DateMention(
                text=text[start : m.end()],
                start=start,
                end=m.end(),
                sentence=_sentence_of(start, starts),
                value=value,
                uncertain=uncertain,
                relative=relative,
            )
        )
    return out


@lru_cache(maxsize=1)
def _stamp_words() -> re.Pattern[str]:
    return re.compile(
        rf"(?<!\w){alternation(r[0] for r in table_rows(None, 'date_words.txt') if r[1] == 'stamp')}"
        r"(?!\w)",
        re.IGNORECASE,
    )


def _is_stamp(sentence: Sentence | None, mention: DateMention) -> bool:
    """A page stamp line ("Updated at 09:41, 17-03-2024"), not a sentence of the report."""
    if sentence is None:
        return False
    if _stamp_words().search(sentence.text):
        return True
    rest = sentence.text.replace(mention.text, " ")
    return bool(_TIME.search(rest)) and len(rest.split()) <= 4


# A dateline's place: at most this many capitalised words next to the date ("DEBICA, Poland, Aug 14").
_DATELINE_PLACE_WORDS = 5


def _is_dateline(text: str, mentions: list[DateMention]) -> bool:
    """Whether a sentence is only a place and a date: the dateline of a report."""
    for d in mentions:
        text = text.replace(d.text, " ")
    words = TOKEN.findall(text)
    return 0 < len(words) <= _DATELINE_PLACE_WORDS and all(w[:1].isupper() for w in words)


def pick_event_date(
    dates: list[DateMention], sentences: list[Sentence], *, reference: str | None
) -> str | None:
    """The date of what the article reports.

    The first day-precise date of the lead (the first :data:`LEAD_SENTENCES` sentences of at least
    :data:`LEAD_MIN_WORDS` words); else the day-precise date the text repeats most (at least twice);
    else a month from the lead. Page stamps are skipped, and the reference is never returned by itself:
    only a text date that resolves to it ("today", or the date written out) yields it.

    Args:
        dates: the article's date mentions from :func:`find_dates`.
        sentences: the article's sentences.
        reference: the published/updated date (unused beyond the mentions' own resolution).

    Returns:
        ``YYYY-MM-DD``, ``--MM-DD`` (no year derivable), ``YYYY-MM``, or ``None``.
    """
    del reference  # relative dates were resolved against it by find_dates
    by_index = {s.index: s for s in sentences}
    stamp = [_is_stamp(by_index.get(d.sentence), d) for d in dates]
    usable = [d for d, is_stamp in zip(dates, stamp, strict=True) if not is_stamp]
    stamped = {d.sentence for d, is_stamp in zip(dates, stamp, strict=True) if is_stamp}  # a set: O(1) below
    lead = [s.index for s in sentences if len(s.text.split()) >= LEAD_MIN_WORDS and s.index not in stamped]
    lead = lead[:LEAD_SENTENCES]
    if not sentences:
        lead = [0]

    def day_precise(d: DateMention) -> bool:
        return (len(d.value) == 10 or d.value.startswith("--")) and not (d.relative and d.uncertain)

    in_lead = [d for d in usable if d.sentence in lead]
    for d in in_lead:
        if day_precise(d):
            return d.value
    if sentences:  # a dateline above the lead ("ГРОДНО, 23 ноября"): the day the report was filed
        first = sentences[0]
        on_first = [d for d in usable if d.sentence == first.index]
        if on_first and day_precise(on_first[0]) and _is_dateline(first.text, on_first):
            return on_first[0].value
    counts = Counter(d.value for d in usable if day_precise(d))
    if counts:
        value, count = max(
            counts.items(), key=lambda vc: (vc[1], -next(i for i, d in enumerate(usable) if d.value == vc[0]))
        )
        if count >= 2:
            return value
    for d in in_lead:
        if len(d.value) == 7 and not d.value.startswith("--"):
            return d.value
    return None
