"""How a story spread: who reported first, which articles are syndicated copies, whom each article cites.

* **Publication times** are read from each article's ``published`` stamp and normalised to UTC. A
  stamp with a UTC offset is exact; one without is read in the zone of the article's language when that
  language is spoken in one zone only (``data/origin/zones.json``), else it stays "zone unknown"; a
  date alone is a whole day. An article with no ``published`` stamp (only an "updated" one, a dateline
  without a year, or nothing) is *unknown* and never placed by guess.
* **First report**: the earliest article whose time of day is known; articles known only by their day
  (or by a time in an unknown zone) that may still be earlier are listed beside it.
* **Copies**: near-duplicates recorded when they were added (``article_copies``), and articles of the
  story whose word 5-shingles are mostly contained in another's (a republication that added furniture
  or dropped a sentence). The original is the earlier one, or, when either time is unknown, the one
  that contains the other.
* **Citations**: attributions in the text ("according to Reuters", "сообщает агентство LETA",
  "podała PAP") found with per-language patterns (``data/origin/attribution/<lang>.json``) as "cites"
  links from the article to the named outlet, agency or organisation; people and the article's own
  outlet are not citations.
* **Statement firsts**: for each statement of a comparison made by several articles, the article that
  stated it first.

Reads the Store and a comparison (:func:`rashomon.compare.compare_story`'s output); writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from anyascii import anyascii

from .analyse.phrase_spans import is_acronym
from .data import read_data_json
from .dedup import shingles
from .models import Analysis, Article
from .names import given_groups, to_ascii
from .store import Store

__all__ = [
    "Citation",
    "Copy",
    "Origin",
    "PublicationTime",
    "find_citations",
    "publication_time",
    "spread_lines",
    "story_origin",
]

# Share of the smaller article's word 5-shingles found in the other for it to be a copy: a syndicated
# copy with a new headline, furniture and a dropped sentence keeps > 0.8 of its shingles (the newsdev
# copy 0.95); two outlets' own reports of one event in one language share < 0.1 (newsdev, own fixtures).
COPY_CONTAINMENT = 0.6
# UTC offsets in use run from -12 h to +14 h: a time read in an unknown zone is somewhere in that span.
_WEST, _EAST = timedelta(hours=12), timedelta(hours=14)

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_OF_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class PublicationTime:
    """When an article was published, as a span of UTC instants (one instant when exact).

    ``basis`` is ``offset`` (the stamp gives its UTC offset), ``zone`` (read in the zone of the
    article's language), ``no zone`` (a time of day, zone unknown), ``date`` (a day, no time) or
    ``unknown`` (no publication stamp).
    """

    earliest: datetime | None
    latest: datetime | None
    basis: str

    @property
    def known(self) -> bool:
        """Whether anything is known about the time."""
        return self.earliest is not None

    @property
    def has_time(self) -> bool:
        """A time of day in a known zone: the article can be placed to the minute."""
        return self.basis in ("offset", "zone")

    def utc(self) -> str | None:
        """The exact UTC instant as ISO 8601, when there is one."""
        if self.has_time and self.earliest is not None:
            return self.earliest.isoformat(timespec="minutes").replace("+00:00", "Z")
        return None


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    data: dict[str, str] = read_data_json("origin", "zones.json")
    return data


def publication_time(article: Article) -> PublicationTime:
    """Read an article's ``published`` stamp as a span of UTC instants (see :class:`PublicationTime`)."""
    raw = (article.published or "").strip()
    if not raw or raw.startswith("--") or not raw[:4].isdigit():
        return PublicationTime(None, None, "unknown")
    zone_name = _zones().get((article.language or "").split("-")[0])
    zone = ZoneInfo(zone_name) if zone_name else None
    if _DATE_ONLY.match(raw):
        day = date.fromisoformat(raw)
        start, end = datetime.combine(day, time.min), datetime.combine(day + timedelta(days=1), time.min)
        if zone is not None:
            return PublicationTime(_to_utc(start, zone), _to_utc(end, zone), "date")
        return PublicationTime((start - _EAST).replace(tzinfo=UTC), (end + _WEST).replace(tzinfo=UTC), "date")
    if not _TIME_OF_DAY.match(raw):
        return PublicationTime(None, None, "unknown")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return PublicationTime(None, None, "unknown")
    if value.tzinfo is not None:
        instant = value.astimezone(UTC)
        return PublicationTime(instant, instant, "offset")
    if zone is not None:
        instant = _to_utc(value, zone)
        return PublicationTime(instant, instant, "zone")
    return PublicationTime((value - _EAST).replace(tzinfo=UTC), (value + _WEST).replace(tzinfo=UTC), "no zone")


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


# -- citations -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Citation:
    """An article attributing information to a named outlet, agency or organisation."""

    article: str
    cites: str  # the name as written, or the agency's usual name
    text: str  # the attribution as written ("according to the LETA news agency")
    start: int
    end: int
    sentence: int | None


@dataclass(frozen=True, slots=True)
class _Rules:
    patterns: tuple[re.Pattern[str], ...]
    not_names: frozenset[str]  # common nouns that open a name group ("Nachrichtenagentur dpa")
    possessives: frozenset[str]  # "his", "seiner": what follows is a relation, not an organisation


@lru_cache(maxsize=1)
def _agencies() -> dict[str, str]:
    """Alias -> usual name of each news agency."""
    return {alias: a["name"] for a in read_data_json("origin", "agencies.json") for alias in a["aliases"]}


# Capital letters of the Latin and Cyrillic alphabets (ASCII, Latin-1, Latin Extended-A/B, Greek, Cyrillic)
_UPPER = "A-Z" + "".join(re.escape(c) for c in map(chr, range(0xC0, 0x530)) if c.isupper())
_LOWER_WORD = "[^\\W\\d_" + _UPPER + "][\\w'’-]*"
_QUOTED = r"«[^»\n]{2,60}»|„[^“”\n]{2,60}[“”]|“[^”\n]{2,60}”|\"[^\"\n]{2,60}\""


def _cap_word() -> str:
    return rf"(?:[{_UPPER}][\w'’&-]*(?:\.\w+)*)"  # "U.S." but not a sentence's final stop


@lru_cache(maxsize=16)
def _rules(language: str) -> _Rules | None:
    try:
        data = read_data_json("origin", "attribution", f"{language}.json")
    except FileNotFoundError:
        return None
    agencies = "|".join(re.escape(a) for a in sorted(_agencies(), key=len, reverse=True))
    connectors = "|".join(re.escape(c) for c in data.get("connectors", []))
    cap = _cap_word()
    link = rf"(?:(?:{connectors})[ \u00a0]+)*" if connectors else ""
    if data.get("lower_inside"):  # "Морской администрации Латвии": only the first word is capitalised
        name = rf"{cap}(?:[ \u00a0]+{link}(?:{cap}|\w+(?=[ \u00a0]+{link}{cap}))){{0,5}}"
    else:
        name = rf"{cap}(?:[ \u00a0]+{link}{cap}){{0,5}}"
    src = rf"(?P<src>{_QUOTED}|\b(?:{agencies})\b|{name})"
    # cue words in any case; the name and the lower-case words {W} case-sensitive
    compiled = [
        re.compile(p.replace("{SRC}", f"(?-i:{src})").replace("{W}", f"(?-i:{_LOWER_WORD})"), re.IGNORECASE)
        for p in data["patterns"]
    ]
    return _Rules(tuple(compiled), frozenset(data.get("not_names", [])),
                  frozenset(w.casefold() for w in data.get("possessives", [])))


def _fold(text: str) -> list[str]:
    return [w[:5] for w in re.findall(r"\w+", anyascii(text).casefold())]


def _same_name(a: str, b: str) -> bool:
    """Whether two names are one (declined forms, scripts): their words' first five letters agree."""
    fa, fb = _fold(a), _fold(b)
    return bool(fa) and bool(fb) and (fa == fb or set(fa) <= set(fb) or set(fb) <= set(fa))


def find_citations(article: Article, analysis: Analysis | None = None) -> list[Citation]:
    """The outlets, agencies and organisations an article attributes information to.

    Args:
        article: the article; its ``language`` picks the patterns (none for other languages).
        analysis: its analysis, when stored: names that are people are not citations, and each
            citation gets its sentence index.

    Returns:
        One :class:`Citation` per cited name, first occurrence, in text order.
    """
    rules = _rules((article.language or "").split("-")[0])
    if rules is None:
        return []
    entities = analysis.entities if analysis else []
    people = [_person_span(article.text, m.start, m.end) for e in entities if e.type == "PER" for m in e.mentions]
    places = {(m.start, m.end) for e in entities if e.type == "LOC" for m in e.mentions}
    found: dict[str, Citation] = {}
    spans: list[tuple[int, int]] = []
    for pattern in rules.patterns:
        for match in pattern.finditer(article.text):
            start, end = match.span("src")
            before = article.text[:start].split()
            if before and before[-1].casefold() in rules.possessives:
                continue  # "nach Angaben seiner Familie"
            name = _trim(article.text, start, end, [p for p in people if p is not None], rules.not_names)
            if name is None or _looks_personal(article.text[name[0]:name[1]]):
                continue
            start, end = name
            if any(s <= start and end <= e for s, e in places):
                continue  # a place alone ("told reporters in Kyiv")
            cited = article.text[start:end].strip("«»„“”\"")
            cited = _agencies().get(cited, cited)
            if article.source and _same_name(cited, article.source):
                continue  # the article's own outlet ("she told «Вольны Горад»")
            if any(s < end and start < e for s, e in spans):
                continue
            key = next((k for k in found if _same_name(k, cited)), cited)
            spans.append((start, end))
            if key in found:
                continue
            found[key] = Citation(article=article.id, cites=cited, text=match.group(0).strip(), start=start,
                                  end=end, sentence=_sentence_of(analysis, start))
    return sorted(found.values(), key=lambda c: c.start)


def _person_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A person's mention without leading acronyms, which never name a person ("PKP PLK Joanna Wirska")."""
    for word in re.finditer(r"\S+", text[start:end]):
        if not is_acronym(word.group(0)):
            return start + word.start(), end
    return None


def _looks_personal(name: str) -> bool:
    """A name that opens with a known given name ("Oksana Hrytsiuk") is a person's, not an outlet's."""
    words = name.strip("«»„“”\"").split()
    return len(words) >= 2 and not is_acronym(words[0]) and bool(given_groups(to_ascii(words[0])))


def _trim(
    text: str, start: int, end: int, people: list[tuple[int, int]], not_names: frozenset[str]
) -> tuple[int, int] | None:
    """The cited name's span without a person's name, leading common nouns or trailing lower-case words."""
    for s, e in people:
        if s < end and start < e:
            if s <= start:
                return None  # the name is a person's
            end = s
    if text[start] in "«„“\"" or text[start:end] in _agencies():
        return start, end  # a quoted name or a known agency ("dpa") is whole as written
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group(0).strip(",.;:") in not_names:
        words.pop(0)
    while words and not (words[-1].group(0)[:1].isupper() or words[-1].group(0)[:1] in "«„“\""):
        words.pop()
    if not words:
        return None
    first, last = words[0], words[-1]
    new_start, new_end = start + first.start(), start + last.end()
    while new_end > new_start and text[new_end - 1] in ",.;:":
        new_end -= 1
    return (new_start, new_end) if new_end - new_start >= 2 else None


def _sentence_of(analysis: Analysis | None, offset: int) -> int | None:
    for sentence in analysis.sentences if analysis else []:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return None


# -- copies ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Copy:
    """A syndicated copy and its original.

    ``article`` is the copy's id when it is an article of the story; a near-duplicate recorded at
    add time has none, only its ``source``, ``title`` and ``url``. ``basis``: ``stored`` (recorded as a
    near-duplicate when added), ``time`` (the earlier of two near-duplicates is the original) or
    ``containment`` (times unknown: the article that contains the other is the original).
    """

    original: str
    article: str | None
    source: str | None
    title: str
    url: str | None
    similarity: float
    basis: str


def _containment(a: set[int], b: set[int]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _story_copies(articles: Sequence[Article], times: dict[str, PublicationTime]) -> list[Copy]:
    """Copies among the story's own articles, each linked to the first original of its chain."""
    sets = {a.id: shingles(a.text) for a in articles}
    by_id = {a.id: a for a in articles}
    parent: dict[str, tuple[str, float, str]] = {}  # copy -> (original, containment, basis)
    for i, a in enumerate(articles):
        for b in articles[i + 1:]:
            if a.language and b.language and a.language != b.language:
                continue
            score = _containment(sets[a.id], sets[b.id])
            if score < COPY_CONTAINMENT:
                continue
            ta, tb = times[a.id].earliest, times[b.id].earliest
            if times[a.id].has_time and times[b.id].has_time and ta is not None and tb is not None and ta != tb:
                first, second, basis = (a.id, b.id, "time") if ta < tb else (b.id, a.id, "time")
            else:  # the copy is the one mostly contained in the other (it dropped or added little)
                bigger = len(sets[a.id]) >= len(sets[b.id])
                first, second, basis = (a.id, b.id, "containment") if bigger else (b.id, a.id, "containment")
            parent.setdefault(second, (first, score, basis))

    def root(x: str) -> str:
        seen = {x}
        while x in parent and parent[x][0] not in seen:
            x = parent[x][0]
            seen.add(x)
        return x

    out = []
    for copy_id, (_first, score, basis) in parent.items():
        a = by_id[copy_id]
        out.append(Copy(original=root(copy_id), article=copy_id, source=a.source, title=a.title, url=a.url,
                        similarity=round(score, 3), basis=basis))
    return out


# -- the story -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Origin:
    """How one story spread: see the module docstring. ``to_json`` is the ``origin`` field of the
    compare JSON and of ``rashomon story --json``."""

    story: str
    timeline: list[dict[str, Any]] = field(default_factory=list)
    first_report: dict[str, Any] | None = None
    copies: list[Copy] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape is documented in ``docs/origin.md``)."""
        return {
            "first_report": self.first_report,
            "timeline": self.timeline,
            "copies": [asdict(c) for c in self.copies],
            "citations": [
                {"article": c.article, "cites": c.cites, "text": c.text, "sentence": c.sentence}
                for c in self.citations
            ],
            "statements": self.statements,
        }


def story_origin(store: Store, story_id: str, *, comparison: dict[str, Any] | None = None) -> Origin:
    """Who reported a story first, which articles copy which, whom each cites, who stated what first.

    Args:
        store: an open store.
        story_id: the story.
        comparison: the story's comparison (:func:`rashomon.compare_cache.cached_compare`); with it,
            each statement made by several articles gets the article that stated it first.

    Returns:
        An :class:`Origin`.

    Raises:
        NotFound: no story with this id.
    """
    story = store.get_story(story_id)
    articles = store.list_articles(ids=story.article_ids)
    order = {a: i for i, a in enumerate(story.article_ids)}
    articles.sort(key=lambda a: order.get(a.id, len(order)))
    analyses = store.get_analyses([a.id for a in articles])
    times = {a.id: publication_time(a) for a in articles}
    origin = Origin(story=story.id)
    origin.copies = _story_copies(articles, times)
    for article in articles:
        for stored in store.copies_of(article.id):
            origin.copies.append(Copy(original=article.id, article=None, source=stored.get("source"),
                                      title=stored.get("title") or "", url=stored.get("url"),
                                      similarity=round(float(stored.get("similarity") or 0), 3), basis="stored"))
    origin.citations = [c for a in articles for c in find_citations(a, analyses.get(a.id))]
    copy_of = {c.article: c.original for c in origin.copies if c.article}
    cites: dict[str, list[str]] = {}
    for c in origin.citations:
        cites.setdefault(c.article, []).append(c.cites)
    ranked = sorted(articles, key=lambda a: _sort_key(times[a.id], order[a.id]))
    origin.timeline = [
        {"article": a.id, "source": a.source, "language": a.language, "published": a.published,
         "published_utc": times[a.id].utc(), "time": times[a.id].basis, "copy_of": copy_of.get(a.id),
         "cites": cites.get(a.id, [])}
        for a in ranked
    ]
    origin.first_report = _first([a.id for a in articles], times)
    if comparison is not None:
        origin.statements = _statement_firsts(comparison, times)
    return origin


def _sort_key(t: PublicationTime, position: int) -> tuple[int, datetime, int]:
    """Timed articles by instant, then day-only ones by their day, then the unknown, each in story order."""
    if t.earliest is None or t.latest is None:
        return (2, datetime.max.replace(tzinfo=UTC), position)
    middle = t.earliest + (t.latest - t.earliest) / 2
    return (0 if t.has_time else 1, middle, position)


def _first(ids: Iterable[str], times: dict[str, PublicationTime]) -> dict[str, Any] | None:
    """The earliest article with a time of day, and those that may still be earlier."""
    ids = list(ids)
    timed = [i for i in ids if times[i].has_time]
    if not timed:
        return None
    first = min(timed, key=lambda i: (times[i].earliest, ids.index(i)))
    instant = times[first].earliest
    assert instant is not None
    maybe = [i for i in ids if i != first and not times[i].has_time
             and (start := times[i].earliest) is not None and start < instant]
    tied = [i for i in timed if i != first and times[i].earliest == instant]
    return {"article": first, "published_utc": times[first].utc(), "tied": tied, "possibly_earlier": maybe,
            "unknown": [i for i in ids if not times[i].known]}


def _statement_firsts(comparison: dict[str, Any], times: dict[str, PublicationTime]) -> list[dict[str, Any]]:
    out = []
    for statement in comparison.get("statements", []):
        ids = list(dict.fromkeys(c["article"] for c in statement["claims"] if c["article"] in times))
        if len(ids) < 2:
            continue
        first = _first(ids, times)
        sentence = None
        if first is not None:
            sentence = next(c["sentence"] for c in statement["claims"] if c["article"] == first["article"])
        out.append({"statement": statement["id"], "article": first["article"] if first else None,
                    "sentence": sentence, "published_utc": first["published_utc"] if first else None,
                    "possibly_earlier": first["possibly_earlier"] if first else [],
                    "unknown": [i for i in ids if not times[i].known]})
    return out


def spread_lines(origin: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """How a story spread (:meth:`Origin.to_json`), as lines of text: first report, unknown times,
    copies, citations. ``labels``: article id -> outlet name."""

    def name(article_id: str | None) -> str:
        return labels.get(article_id or "", article_id or "?")

    first = origin.get("first_report")
    if first is None:
        lines = ["first report: unknown (no article gives a publication time of day)"]
    else:
        text = f"first report: {name(first['article'])} at {first['published_utc']}"
        if first["possibly_earlier"]:
            text += f" (possibly earlier, day only: {', '.join(name(i) for i in first['possibly_earlier'])})"
        lines = [text]
    unknown = [t["article"] for t in origin["timeline"] if t["time"] == "unknown"]
    if unknown:
        lines.append(f"publication time unknown: {', '.join(name(i) for i in unknown)}")
    for copy in origin["copies"]:
        label = name(copy["article"]) if copy["article"] else (copy["source"] or copy["title"])
        lines.append(f"copy: {label} copies {name(copy['original'])} ({copy['basis']}, {copy['similarity']:.2f})")
    lines += [f"cites: {name(c['article'])} → {c['cites']} (“{c['text']}”)" for c in origin["citations"]]
    return lines
