"""Generate a synthetic archive of N articles straight into a SQLite database, for the scale benchmarks.

Events happen every day (``--per-day`` articles a day, ~5 per event); each event is reported by 2-8
articles in en/de/pl/ru/uk/be, written from template sentences with the event's people, organisation,
place, figures and date (~150 words). Everything a stored article has is written through the Store
API, so benchmarks pay no model inference per article:

* the article (``insert_article``; near-duplicate bands are 16 text hashes, not MinHash: template
  texts would collide, and MinHash costs ~3 ms an article);
* a structurally real :class:`~rashomon.models.Analysis` (sentences, entities with mentions, a quote,
  a descriptor, dates, numbers, event date) under the current ``ANALYSIS_VERSION``;
* the story vectors as :func:`rashomon.stories.placement._features` reads them (``np.savez`` of ``e5`` 384-d and
  ``use`` 512-d, float32, L2-normalised; one event's articles near each other, cosines like real
  e5/USE: ~0.9 within an event, ~0.6 across);
* name vectors of organisation and place names (translations close), so entity resolution never
  loads e5;
* gold stories and a gold entity registry for every article but the newest ``--unplaced``, which the
  benchmark places itself.

Deterministic: the same ``--seed`` and ``-n`` give the same database.

    python benchmarks/make_synthetic.py -n 10000            # -> benchmarks/out/synthetic_10000.db
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rashomon.analyse import ANALYSIS_VERSION  # noqa: E402
from rashomon.entities import E5_MODEL  # noqa: E402
from rashomon.models import (  # noqa: E402
    Analysis,
    Article,
    DateMention,
    Descriptor,
    Entity,
    Mention,
    NumberMention,
    Quote,
    Sentence,
    Story,
)
from rashomon.store import EntityRow, Store, open_store  # noqa: E402
from rashomon.stories.placement import _VECTOR_MODEL, story_id_for  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
START = date(2021, 1, 1)
LANGUAGES = ("en", "de", "pl", "ru", "uk", "be")
CYRILLIC = {"ru", "uk", "be"}
SOURCES = {
    "en": ("Reuters", "AP", "BBC"),
    "de": ("DW", "Spiegel"),
    "pl": ("Belsat", "TVP"),
    "ru": ("Meduza", "Interfax"),
    "uk": ("Ukrinform", "Suspilne"),
    "be": ("Nasha Niva", "Zerkalo"),
}
# Latin / Cyrillic syllables: surnames and place names written in both scripts, as transliterations.
SYLLABLES = (
    ("ko", "ко"),
    ("va", "ва"),
    ("len", "лен"),
    ("ro", "ро"),
    ("mi", "ми"),
    ("sha", "ша"),
    ("bur", "бур"),
    ("dan", "дан"),
    ("tel", "тел"),
    ("pet", "пет"),
    ("niz", "низ"),
    ("gor", "гор"),
    ("lut", "лут"),
    ("sa", "са"),
    ("bel", "бел"),
    ("tur", "тур"),
    ("ma", "ма"),
    ("do", "до"),
)
SURNAME_ENDINGS = (("enko", "енко"), ("uk", "ук"), ("ich", "ич"), ("yak", "як"))
PLACE_ENDINGS = (("ovka", "овка"), ("ino", "ино"), ("sk", "ск"), ("ichi", "ичи"))
GIVEN = (
    ("Alexander", "Александр"),
    ("Viktor", "Виктор"),
    ("Sergei", "Сергей"),
    ("Andrei", "Андрей"),
    ("Pavel", "Павел"),
    ("Dmitri", "Дмитрий"),
    ("Ivan", "Иван"),
    ("Nikolai", "Николай"),
    ("Mikhail", "Михаил"),
    ("Yuri", "Юрий"),
)
# Organisation = kind x field x country, named in each language.
KINDS = (
    {"en": "Ministry of {f}", "de": "{f}ministerium", "pl": "Ministerstwo {f}", "ru": "Министерство {f}"},
    {"en": "{f} Committee", "de": "{f}ausschuss", "pl": "Komitet {f}", "ru": "Комитет {f}"},
    {"en": "{f} Agency", "de": "{f}agentur", "pl": "Agencja {f}", "ru": "Агентство {f}"},
)
FIELDS = (
    {"en": "Energy", "de": "Energie", "pl": "Energii", "ru": "энергетики"},
    {"en": "Health", "de": "Gesundheits", "pl": "Zdrowia", "ru": "здравоохранения"},
    {"en": "Transport", "de": "Verkehrs", "pl": "Transportu", "ru": "транспорта"},
    {"en": "Finance", "de": "Finanz", "pl": "Finansów", "ru": "финансов"},
    {"en": "Justice", "de": "Justiz", "pl": "Sprawiedliwości", "ru": "юстиции"},
    {"en": "Education", "de": "Bildungs", "pl": "Edukacji", "ru": "образования"},
    {"en": "Defence", "de": "Verteidigungs", "pl": "Obrony", "ru": "обороны"},
    {"en": "Agriculture", "de": "Landwirtschafts", "pl": "Rolnictwa", "ru": "сельского хозяйства"},
)
COUNTRIES = (
    {"en": "Belarusian", "de": "belarussische", "pl": "białoruskie", "ru": "Беларуси"},
    {"en": "Polish", "de": "polnische", "pl": "polskie", "ru": "Польши"},
    {"en": "Ukrainian", "de": "ukrainische", "pl": "ukraińskie", "ru": "Украины"},
    {"en": "Lithuanian", "de": "litauische", "pl": "litewskie", "ru": "Литвы"},
)
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "pl": (
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
}
# Template sentences; {P1} {P2} people, {S1} {S2} their surnames, {O} organisation, {L} place,
# {D} date, {N} people counted, {H} hours, {M} million, {Q} a quote, {X} a descriptor of P1.
TEMPLATES = {
    "en": {
        "context": "The {O} did not respond to a request for comment about the events in {L} and the role of {S1}.",
        "lead": "{X} {P1} met {P2} of the {O} in {L} on {D}.",
        "hours": "The talks lasted {H} hours, officials said.",
        "count": "{S1} said that {N} people had been detained in {L}.",
        "money": "According to the {O}, the damage was estimated at {M} million euros.",
        "quote": '"{Q}", {S2} told reporters.',
        "fill": (
            "Observers noted that the meeting followed months of tension in the region.",
            "Local residents described long queues outside the administration building.",
            "The opposition called the decision a step backwards for the country.",
            "Neither side published a joint statement after the meeting ended.",
            "Journalists were not allowed into the hall during the discussion.",
            "Analysts expect further consultations before the end of the month.",
            "Several independent media outlets reported the news within an hour.",
            "The government has not commented on the reports so far.",
        ),
        "quotes": (
            "We will not accept this pressure",
            "The situation is under control",
            "Nobody has asked us about it",
        ),
        "descr": ("The opposition leader", "The former minister", "The regional governor"),
    },
    "de": {
        "context": "Das {O} antwortete nicht auf eine Anfrage zu den Ereignissen in {L} und zur Rolle von {S1}.",
        "lead": "{X} {P1} traf am {D} in {L} {P2} vom {O}.",
        "hours": "Die Gespräche dauerten nach Angaben von Beamten {H} Stunden.",
        "count": "{S1} sagte, in {L} seien {N} Menschen festgenommen worden.",
        "money": "Nach Angaben des {O} wird der Schaden auf {M} Millionen Euro geschätzt.",
        "quote": "„{Q}“, sagte {S2} vor Journalisten.",
        "fill": (
            "Beobachter wiesen darauf hin, dass dem Treffen monatelange Spannungen vorausgingen.",
            "Anwohner berichteten von langen Schlangen vor dem Verwaltungsgebäude.",
            "Die Opposition nannte die Entscheidung einen Rückschritt für das Land.",
            "Nach dem Treffen wurde keine gemeinsame Erklärung veröffentlicht.",
            "Journalisten durften den Saal während der Diskussion nicht betreten.",
            "Analysten erwarten bis Ende des Monats weitere Beratungen.",
            "Mehrere unabhängige Medien berichteten innerhalb einer Stunde darüber.",
            "Die Regierung hat sich bisher nicht zu den Berichten geäußert.",
        ),
        "quotes": (
            "Wir werden diesen Druck nicht hinnehmen",
            "Die Lage ist unter Kontrolle",
            "Niemand hat uns danach gefragt",
        ),
        "descr": ("Der Oppositionsführer", "Der frühere Minister", "Der Gouverneur"),
    },
    "pl": {
        "context": "{O} nie odpowiedziało na prośbę o komentarz w sprawie wydarzeń w {L} i roli, jaką odegrał {S1}.",
        "lead": "{X} {P1} spotkał się {D} w {L} z {P2} z {O}.",
        "hours": "Według urzędników rozmowy trwały {H} godziny.",
        "count": "{S1} powiedział, że w {L} zatrzymano {N} osób.",
        "money": "Według {O} straty oszacowano na {M} milionów euro.",
        "quote": "„{Q}” – powiedział dziennikarzom {S2}.",
        "fill": (
            "Obserwatorzy zauważyli, że spotkanie nastąpiło po miesiącach napięć w regionie.",
            "Mieszkańcy opisywali długie kolejki przed budynkiem administracji.",
            "Opozycja nazwała tę decyzję krokiem wstecz dla kraju.",
            "Po spotkaniu żadna ze stron nie opublikowała wspólnego oświadczenia.",
            "Dziennikarze nie zostali wpuszczeni na salę podczas dyskusji.",
            "Analitycy spodziewają się dalszych konsultacji przed końcem miesiąca.",
            "Kilka niezależnych mediów podało tę informację w ciągu godziny.",
            "Rząd do tej pory nie skomentował doniesień.",
        ),
        "quotes": ("Nie zaakceptujemy tej presji", "Sytuacja jest pod kontrolą", "Nikt nas o to nie pytał"),
        "descr": ("Lider opozycji", "Były minister", "Gubernator"),
    },
    "ru": {
        "context": "В {O} не ответили на запрос о событиях в {L} и о роли, которую сыграл {S1}.",
        "lead": "{X} {P1} встретился {D} в {L} с {P2} из {O}.",
        "hours": "По словам чиновников, переговоры продолжались {H} часа.",
        "count": "{S1} заявил, что в {L} были задержаны {N} человек.",
        "money": "По данным {O}, ущерб оценивается в {M} миллионов евро.",
        "quote": "«{Q}», — сказал журналистам {S2}.",
        "fill": (
            "Наблюдатели отметили, что встреча последовала за месяцами напряжённости в регионе.",
            "Местные жители рассказали о длинных очередях у здания администрации.",
            "Оппозиция назвала это решение шагом назад для страны.",
            "После встречи ни одна из сторон не опубликовала совместного заявления.",
            "Журналистов не пустили в зал во время обсуждения.",
            "Аналитики ожидают новых консультаций до конца месяца.",
            "Несколько независимых изданий сообщили об этом в течение часа.",
            "Правительство пока не прокомментировало эти сообщения.",
        ),
        "quotes": ("Мы не примем это давление", "Ситуация под контролем", "Нас об этом никто не спрашивал"),
        "descr": ("Лидер оппозиции", "Бывший министр", "Губернатор"),
    },
    # uk and be have no fill sentences: write_article writes every Cyrillic report from the ru
    # template; bench_pipeline.py writes them in their own language (with its background sentences).
    "uk": {
        "context": "У {O} не відповіли на запит щодо подій у {L} і ролі, яку відіграв {S1}.",
        "lead": "{X} {P1} зустрівся {D} у {L} з {P2} з {O}.",
        "hours": "За словами посадовців, переговори тривали {H} години.",
        "count": "{S1} заявив, що в {L} затримали {N} людей.",
        "money": "За даними {O}, збитки оцінюються в {M} мільйонів євро.",
        "quote": "«{Q}», — сказав журналістам {S2}.",
        "quotes": ("Ми не приймемо цей тиск", "Ситуація під контролем", "Нас про це ніхто не питав"),
        "descr": ("Лідер опозиції", "Колишній міністр", "Губернатор"),
    },
    "be": {
        "context": "У {O} не адказалі на запыт пра падзеі ў {L} і пра ролю, якую адыграў {S1}.",
        "lead": "{X} {P1} сустрэўся {D} у {L} з {P2} з {O}.",
        "hours": "Паводле чыноўнікаў, перамовы працягваліся {H} гадзіны.",
        "count": "{S1} заявіў, што ў {L} затрымалі {N} чалавек.",
        "money": "Паводле {O}, страты ацэньваюцца ў {M} мільёнаў еўра.",
        "quote": "«{Q}», — сказаў журналістам {S2}.",
        "quotes": ("Мы не прымем гэты ціск", "Сітуацыя пад кантролем", "Нас пра гэта ніхто не пытаўся"),
        "descr": ("Лідар апазіцыі", "Былы міністр", "Губернатар"),
    },
}


@dataclass(frozen=True, slots=True)
class Named:
    """A gold entity: its type and its name per script or language."""

    id: str
    type: str
    names: dict[str, str]  # "Latn"/"Cyrl" for people and places, a language for organisations
    surname: dict[str, str] = field(default_factory=dict)

    def name(self, language: str) -> str:
        if language in self.names:
            return self.names[language]
        if self.type == "ORG":
            return self.names["ru" if language in CYRILLIC else "en"]
        return self.names["Cyrl" if language in CYRILLIC else "Latn"]

    def short(self, language: str) -> str:
        return self.surname.get("Cyrl" if language in CYRILLIC else "Latn", self.name(language))


def _word(rng: random.Random, endings: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    parts = rng.sample(SYLLABLES, rng.randint(1, 2)) + [rng.choice(endings)]
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts).capitalize()


def vocabulary(rng: random.Random) -> tuple[list[Named], list[Named], list[Named]]:
    """People, organisations and places, each named in both scripts (organisations in four languages)."""
    surnames = sorted({_word(rng, SURNAME_ENDINGS) for _ in range(3000)})
    people = []
    for i, (latin, cyrillic) in enumerate(surnames):
        given = GIVEN[i % len(GIVEN)]
        people.append(
            Named(
                f"per{i}",
                "PER",
                {"Latn": f"{given[0]} {latin}", "Cyrl": f"{given[1]} {cyrillic}"},
                {"Latn": latin, "Cyrl": cyrillic},
            )
        )
    orgs = []
    for k, kind in enumerate(KINDS):
        for f, fld in enumerate(FIELDS):
            for c, country in enumerate(COUNTRIES):
                names = {}
                for lang in ("en", "de", "pl", "ru"):
                    base = kind[lang].format(f=fld[lang])
                    names[lang] = f"{country[lang]} {base}" if lang in ("en", "de") else f"{base} {country[lang]}"
                orgs.append(Named(f"org{k}_{f}_{c}", "ORG", names))
    places = [
        Named(f"loc{i}", "LOC", {"Latn": latin, "Cyrl": cyrillic})
        for i, (latin, cyrillic) in enumerate(sorted({_word(rng, PLACE_ENDINGS) for _ in range(800)}))
    ]
    return people, orgs, places


def _unit(v: np.ndarray) -> np.ndarray:
    out: np.ndarray = (v / np.linalg.norm(v)).astype(np.float32)
    return out


class Vectors:
    """Synthetic e5/USE vectors with realistic cosines: a shared direction, a topic, the event, noise."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.base = {m: _unit(self.rng.standard_normal(d)) for m, d in (("e5", 384), ("use", 512))}
        self.topics = {
            m: [_unit(self.rng.standard_normal(d)) for _ in range(len(KINDS) * len(FIELDS))]
            for m, d in (("e5", 384), ("use", 512))
        }

    def event(self, topic: int) -> dict[str, np.ndarray]:
        weights = {"e5": (0.8, 0.35), "use": (0.3, 0.4)}  # e5 cosines sit high (~0.6 unrelated), USE lower
        return {
            m: self.base[m] * weights[m][0]
            + self.topics[m][topic] * weights[m][1]
            + 0.5 * _unit(self.rng.standard_normal(self.base[m].size))
            for m in self.base
        }

    def article(self, event: dict[str, np.ndarray]) -> bytes:
        made = {m: _unit(v + 0.3 * _unit(self.rng.standard_normal(v.size))) for m, v in event.items()}
        buffer = io.BytesIO()
        np.savez(buffer, **made)
        return buffer.getvalue()


@dataclass(slots=True)
class Event:
    id: int
    day: date
    topic: int
    people: tuple[Named, Named]
    org: Named
    place: Named
    hours: int
    detained: int
    million: float
    vectors: dict[str, np.ndarray]


class _Writer:
    """Builds an article text and its analysis spans together."""

    def __init__(self) -> None:
        self.text = ""
        self.sentences: list[Sentence] = []
        self.mentions: dict[str, list[Mention]] = {}
        self.numbers: list[NumberMention] = []
        self.dates: list[DateMention] = []
        self.quotes: list[Quote] = []
        self.descriptors: list[Descriptor] = []

    def sentence(self, template: str, slots: dict[str, tuple[str, str | None, object]]) -> None:
        """Append a sentence; each slot is (text, entity key or kind, value)."""
        if self.text:
            self.text += " "
        start = len(self.text)
        index = len(self.sentences)
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            name, _, rest = after.partition("}")
            self.text += before
            text, kind, value = slots[name]
            at = len(self.text)
            self.text += text
            end = len(self.text)
            if kind == "number":
                assert isinstance(value, tuple)
                self.numbers.append(NumberMention(text, at, end, index, float(value[0]), value[1]))
            elif kind == "date":
                self.dates.append(DateMention(text, at, end, index, str(value)))
            elif kind == "quote":
                self.quotes.append(Quote(text, at, end, index, True, str(value), None))
            elif kind == "descriptor":
                self.descriptors.append(Descriptor(str(value), text, at, end, index))
            elif kind:
                self.mentions.setdefault(kind, []).append(Mention(at, end, text))
        self.text += rest
        self.sentences.append(Sentence(index, start, len(self.text), self.text[start:]))


def write_article(event: Event, language: str, rng: random.Random) -> tuple[str, str, Analysis]:
    """Title, text and analysis of one report of an event."""
    t = TEMPLATES["ru" if language in CYRILLIC else language]
    months = MONTHS["ru" if language in CYRILLIC else language]
    p1, p2 = event.people
    d = event.day
    date_text = f"{d.day} {months[d.month - 1]}" if language != "en" else f"{months[d.month - 1]} {d.day}"
    if language == "de":
        date_text = f"{d.day}. {months[d.month - 1]}"
    hours = event.hours + (1 if rng.random() < 0.15 else 0)  # now and then a source disagrees
    descriptor = rng.choice(t["descr"])
    slots: dict[str, tuple[str, str | None, object]] = {
        "P1": (p1.name(language), "e1", None),
        "P2": (p2.name(language), "e2", None),
        "S1": (p1.short(language), "e1", None),
        "S2": (p2.short(language), "e2", None),
        "O": (event.org.name(language), "e3", None),
        "L": (event.place.name(language), "e4", None),
        "D": (date_text, "date", d.isoformat()),
        "H": (str(hours), "number", (hours, "h")),
        "N": (str(event.detained), "number", (event.detained, None)),
        "M": (f"{event.million:g}", "number", (event.million * 1e6, "EUR")),
        "Q": (rng.choice(t["quotes"]), "quote", "e2"),
        "X": (descriptor, "descriptor", "e1"),
    }
    w = _Writer()
    w.sentence(t["lead"], slots)
    fill = list(t["fill"])
    rng.shuffle(fill)
    body = ["hours", "count", "money", "quote", "context"]
    rng.shuffle(body)
    for key in body:
        w.sentence(t[key], slots)
        w.sentence(fill.pop(), slots)
    while len(w.text.split()) < 150 and fill:
        w.sentence(fill.pop(), slots)
    entities = [
        Entity(key, kind.type, kind.name(language), w.mentions.get(key, []))
        for key, kind in (("e1", p1), ("e2", p2), ("e3", event.org), ("e4", event.place))
    ]
    analysis = Analysis(
        article_id="",
        version=ANALYSIS_VERSION,
        sentences=w.sentences,
        entities=entities,
        quotes=w.quotes,
        descriptors=w.descriptors,
        dates=w.dates,
        numbers=w.numbers,
        event_date=d.isoformat(),
    )
    title = f"{p1.short(language)} – {p2.short(language)}: {event.place.name(language)}"
    return title, w.text, analysis


def events(n: int, *, per_day: int, seed: int) -> list[tuple[Event, str, int]]:
    """(event, language, index of the report) for ``n`` articles, oldest event first."""
    rng = random.Random(seed)
    people, orgs, places = vocabulary(rng)
    vectors = Vectors(seed)
    # Zipf-like popularity: a few people are in the news every day, most now and then.
    weights = [1 / (rank + 1) for rank in range(len(people))]
    out: list[tuple[Event, str, int]] = []
    event_id = 0
    while len(out) < n:
        day = START + timedelta(days=len(out) // per_day)
        topic = rng.randrange(len(KINDS) * len(FIELDS))
        pair = rng.choices(people, weights=weights, k=2)
        if pair[0] is pair[1]:
            continue
        event = Event(
            event_id,
            day,
            topic,
            (pair[0], pair[1]),
            orgs[topic * len(COUNTRIES) + rng.randrange(len(COUNTRIES))],
            rng.choice(places),
            rng.randint(2, 9),
            rng.randint(3, 400),
            round(rng.uniform(1, 90), 1),
            vectors.event(topic),
        )
        event_id += 1
        for k in range(rng.randint(2, 8)):
            out.append((event, rng.choice(LANGUAGES), k))
    return out[:n]


def generate(path: Path, n: int, *, per_day: int = 100, seed: int = 7, unplaced: int = 100) -> None:
    """Write ``n`` synthetic articles (and their gold stories and entities) into a new database."""
    if path.exists():
        path.unlink()
    rng = random.Random(seed + 1)
    vectors = Vectors(seed + 2)
    plan = events(n, per_day=per_day, seed=seed)
    started = time.monotonic()
    members: dict[int, list[str]] = {}
    aliases: dict[str, dict[tuple[str, str | None], int]] = {}
    named: dict[str, Named] = {}
    mentions: list[tuple[str, str, str]] = []
    with open_store(str(path)) as store:
        store.execute("PRAGMA synchronous = OFF")
        batch = 2000
        for start in range(0, n, batch):
            with store.transaction():
                for i in range(start, min(n, start + batch)):
                    event, language, k = plan[i]
                    title, text, analysis = write_article(event, language, rng)
                    article_id = hashlib.sha1(f"syn-{seed}-{i}".encode()).hexdigest()[:12]
                    hour = 6 + (k * 2 + event.id) % 16
                    # ~1% undated (no publication date, no event date): they take the "recent" path
                    dated = rng.random() >= 0.01
                    published = f"{event.day.isoformat()}T{hour:02d}:{(i * 7) % 60:02d}" if dated else None
                    analysis.article_id = article_id
                    if not dated:
                        analysis.event_date = None
                        analysis.dates = []
                    article = Article(
                        title=title,
                        text=text,
                        source=rng.choice(SOURCES[language]),
                        language=language,
                        published=published,
                        url=f"https://example.org/{article_id}",
                        format="txt",
                        id=article_id,
                        added_at=f"{event.day.isoformat()}T{hour:02d}:{(i * 7) % 60:02d}:{i % 60:02d}+00:00",
                    )
                    digest = hashlib.sha1(text.encode()).hexdigest()
                    bands = [f"{b}:{digest[b * 2 : b * 2 + 8]}" for b in range(16)]
                    store.insert_article(article, fingerprint=digest, bands=bands)
                    store.save_analysis(analysis)
                    store.save_vector(article_id, _VECTOR_MODEL, vectors.article(event.vectors))
                    if i >= n - unplaced:
                        continue
                    members.setdefault(event.id, []).append(article_id)
                    gold = (event.people[0], event.people[1], event.org, event.place)
                    for entity, kind in zip(analysis.entities, gold, strict=True):
                        named[kind.id] = kind
                        mentions.append((article_id, entity.key, kind.id))
                        forms = aliases.setdefault(kind.id, {})
                        for text_form in {entity.name, *(m.text for m in entity.mentions)}:
                            forms[(text_form, language)] = forms.get((text_form, language), 0) + 1
            print(f"  {min(n, start + batch)}/{n} articles, {time.monotonic() - started:.0f} s", flush=True)
        _write_stories(store, plan, members)
        _write_entities(store, named, aliases, mentions)
        write_name_vectors(store, seed)
        store.execute("PRAGMA synchronous = NORMAL")
        store.execute("ANALYZE")
    print(f"wrote {path} in {time.monotonic() - started:.0f} s", flush=True)


def _write_stories(store: Store, plan: list[tuple[Event, str, int]], members: dict[int, list[str]]) -> None:
    days = {event.id: event.day.isoformat() for event, _, _ in plan}
    with store.transaction():
        for event_id, ids in members.items():
            story_id = story_id_for(ids)
            store.save_story(Story(id=story_id, title=store.get_article(ids[0]).title, event_date=days[event_id]))
            for article_id in ids:
                store.assign_article(article_id, story_id)


def _write_entities(
    store: Store,
    named: dict[str, Named],
    aliases: dict[str, dict[tuple[str, str | None], int]],
    mentions: list[tuple[str, str, str]],
) -> None:
    from rashomon.names import script

    rows = [
        EntityRow(
            id=f"ent_{k}",
            type=e.type,
            name=e.name("en"),
            aliases=[(text, lang, script(text), count) for (text, lang), count in _merge_aliases(aliases[k]).items()],
        )
        for k, e in sorted(named.items())
    ]
    with store.transaction():
        store.replace_entities(rows, [(a, key, f"ent_{k}") for a, key, k in mentions], [])


def _merge_aliases(forms: dict[tuple[str, str | None], int]) -> dict[tuple[str, str | None], int]:
    """One row per alias text (the table's key), with the language it was seen in most."""
    out: dict[str, tuple[str | None, int, int]] = {}
    for (text, lang), count in sorted(forms.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1] or "")):
        seen = out.get(text)
        out[text] = (seen[0], seen[1] + count, seen[2]) if seen else (lang, count, 0)
    return {(text, lang): count for text, (lang, count, _) in out.items()}


def write_name_vectors(store: Store, seed: int) -> None:
    """e5-like vectors of organisation and place names: one entity's names in other languages close."""
    _people, orgs, places = vocabulary(random.Random(seed))
    rng = np.random.default_rng(seed + 3)
    items = []
    for entity in orgs + places:
        base = rng.standard_normal(384)
        for name in sorted(set(entity.names.values())):
            items.append((name, _unit(base + 0.25 * rng.standard_normal(384)).tobytes()))
    with store.transaction():
        store.save_name_vectors(items, E5_MODEL)


def path_for(n: int) -> Path:
    """Where the benchmark keeps the archive of ``n`` articles."""
    return OUT / f"synthetic_{n}.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="articles")
    parser.add_argument("--per-day", type=int, default=100, help="articles a day (the archive's density)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--unplaced", type=int, default=100, help="newest articles left out of stories")
    parser.add_argument("--out", type=Path, help="database path (default benchmarks/out/synthetic_N.db)")
    args = parser.parse_args()
    out = args.out or path_for(args.n)
    out.parent.mkdir(parents=True, exist_ok=True)
    generate(out, args.n, per_day=args.per_day, seed=args.seed, unplaced=args.unplaced)


if __name__ == "__main__":
    main()
