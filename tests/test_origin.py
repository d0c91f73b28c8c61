"""Origin (first report, copies, citations) and the brief, on stories stored through the Store API.

The articles are invented (a harbour fire reported in five languages); the stories are built by hand so
each test knows exactly which articles, times and copies it holds. The comparison the brief reads is
written by hand as well, in the shape of the compare JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from rashomon.annotate import annotate, brief_for
from rashomon.brief import make_brief
from rashomon.cli import app
from rashomon.dedup import fingerprint, lsh_bands
from rashomon.models import Article, Story
from rashomon.origin import find_citations, publication_time, story_origin
from rashomon.pipeline import prepare_article
from rashomon.render import to_html, to_markdown
from rashomon.store import Store, open_store

from .conftest import validate

runner = CliRunner()

_FIRE_EN = (
    "A fire broke out in a grain warehouse at the port of Klaipeda on Friday night, the port authority said. "
    "Firefighters brought the blaze under control after four hours. No one was injured, according to the "
    "Lithuanian Fire and Rescue Department. The warehouse held about 3,000 tonnes of wheat. Harbour master "
    "Tomas Petraitis said an electrical fault was the most likely cause, according to BNS."
)
_FIRE_EN_COPY = _FIRE_EN + " Republished with permission. Photo: port press office."


def _article(title: str, text: str, *, source: str, language: str, published: str | None) -> Article:
    return Article(title=title, text=text, source=source, language=language, published=published)


def _store_story(store: Store, articles: list[Article], *, story_id: str = "st_fire") -> list[str]:
    ids = []
    with store.transaction():
        store.save_story(Story(id=story_id, title="Fire at Klaipeda port", event_date="2025-06-13"))
        for article in articles:
            prepared = prepare_article(article)
            store.insert_article(prepared.article, fingerprint=prepared.fingerprint, bands=prepared.bands)
            store.assign_article(prepared.article.id, story_id)
            ids.append(prepared.article.id)
    return ids


@pytest.fixture
def fire(db_url: str) -> tuple[str, list[str]]:
    articles = [
        _article("Fire at Klaipeda port warehouse", _FIRE_EN, source="Baltic Times Wire", language="en",
                 published="2025-06-13T23:40:00+00:00"),
        # 01:10 in Vilnius is 22:10 UTC (summer, UTC+3): earlier than the English report despite the clock
        _article("Gaisras Klaipėdos uoste", "Penktadienio naktį Klaipėdos uoste kilo gaisras grūdų sandėlyje, "
                 "pranešė uosto direkcija. Ugniagesiai gaisrą suvaldė per keturias valandas.",
                 source="Uosto žinios", language="lt", published="2025-06-14T01:10:00"),
        _article("Пожар в порту Клайпеды", "В пятницу вечером в зернохранилище порта Клайпеды вспыхнул пожар, "
                 "сообщает агентство BNS. По данным Департамента пожарной охраны Литвы, никто не пострадал.",
                 source="Балтийский курьер", language="ru", published="2025-06-14"),
        _article("Pożar w porcie w Kłajpedzie", "W piątek wieczorem w magazynie zboża w porcie w Kłajpedzie "
                 "wybuchł pożar – podała agencja PAP. Według straży pożarnej nikt nie został ranny.",
                 source="Kurier Bałtycki", language="pl", published=None),
        _article("Port fire: warehouse burns in Klaipeda", _FIRE_EN_COPY, source="Coast Daily", language="en",
                 published="2025-06-14T06:00:00+00:00"),
    ]
    with open_store(db_url) as store:
        ids = _store_story(store, articles)
    return db_url, ids


def test_publication_times_are_normalised_and_never_guessed() -> None:
    def basis(published: str | None, language: str = "en") -> tuple[str, str | None]:
        t = publication_time(Article(title="t", text="x", language=language, published=published))
        return t.basis, t.utc()

    assert basis("2025-06-14T01:10:00+03:00") == ("offset", "2025-06-13T22:10Z")
    assert basis("2025-06-14T01:10", "lt") == ("zone", "2025-06-13T22:10Z")  # Europe/Vilnius in June
    assert basis("2025-01-14T01:10", "pl") == ("zone", "2025-01-14T00:10Z")  # Warsaw in winter: UTC+1
    assert basis("2025-06-14T01:10", "en") == ("no zone", None)  # English is spoken in many zones
    assert basis("2025-06-14") == ("date", None)
    for unknown in (None, "", "--06-14", "Friday"):
        assert basis(unknown) == ("unknown", None)


def test_first_report_copies_and_unknown_times(fire: tuple[str, list[str]]) -> None:
    db, (en, lt, ru, pl, copy) = fire
    with open_store(db) as store:
        origin = story_origin(store, "st_fire").to_json()
    first = origin["first_report"]
    assert first["article"] == lt and first["published_utc"] == "2025-06-13T22:10Z"
    assert first["unknown"] == [pl]
    assert ru in first["possibly_earlier"]  # known by its day only: it may have come first
    assert [(c["article"], c["original"]) for c in origin["copies"]] == [(copy, en)]
    assert origin["copies"][0]["basis"] == "time"
    timeline = [t["article"] for t in origin["timeline"]]
    assert timeline[:3] == [lt, en, copy] and timeline[-1] == pl
    assert next(t for t in origin["timeline"] if t["article"] == copy)["copy_of"] == en


def test_a_near_duplicate_stored_at_add_time_is_a_copy(db_url: str) -> None:
    with open_store(db_url) as store:
        (original,) = _store_story(store, [_article("Fire", _FIRE_EN, source="Baltic Times Wire", language="en",
                                                    published="2025-06-13T23:40:00+00:00")])
        with store.transaction():
            store.insert_copy(Article(title="Fire (copy)", text=_FIRE_EN_COPY, source="Coast Daily"),
                              fingerprint=fingerprint("x", _FIRE_EN_COPY), original_id=original, similarity=0.91)
        origin = story_origin(store, "st_fire")
    assert [(c.original, c.source, c.basis) for c in origin.copies] == [(original, "Coast Daily", "stored")]
    assert lsh_bands(_FIRE_EN)  # the text is long enough to be near-duplicate checked at add time


@pytest.mark.parametrize(("language", "text", "cited"), [
    ("en", "No one was hurt, according to Reuters.", "Reuters"),
    ("en", "The ministry's spokeswoman for the Port of Gdynia Authority said so.", "Port of Gdynia Authority"),
    ("ru", "В порту вспыхнул пожар, сообщает агентство BNS.", "BNS"),
    ("ru", "По данным Морской администрации Латвии, пострадавших нет.", "Морской администрации Латвии"),
    ("uk", "Про це повідомляє Укрінформ.", "Ukrinform"),
    ("be", "Пра гэта паведамляе агенцтва БЕЛТА.", "BelTA"),
    ("pl", "W porcie wybuchł pożar – podała agencja PAP.", "PAP"),
    ("pl", "Według Reutersa nikt nie zginął.", "Reuters"),
    ("de", "Das Feuer sei gelöscht, berichtete die Nachrichtenagentur dpa.", "dpa"),
    ("de", "Nach Angaben der Lettischen Seeverwaltung gab es keine Verletzten.", "Lettischen Seeverwaltung"),
])
def test_attributions_are_cites_links(language: str, text: str, cited: str) -> None:
    article = Article(title="t", text=text, language=language, source="Own Outlet", id="a1")
    assert [c.cites for c in find_citations(article)] == [cited]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The verdict was fair, according to his wife, Volha."),  # a person
    ("en", "Dubrouski told reporters in Vilnius that he would appeal."),
    ("de", "Nach Angaben seiner Schwester will er gegen das Urteil vorgehen."),
    ("be", "Брат расказаў «Палескаму Весніку», што суд доўжыўся тры гадзіны."),  # the article's own outlet
    ("pl", "Mariusz Kowalski, podała Anna Nowak, nie przyszedł."),  # a person by a known given name
    ("fr", "Selon l'AFP, personne n'a été blessé."),  # no patterns for the language: nothing is guessed
])
def test_people_own_outlet_and_unknown_languages_are_not_cites(language: str, text: str) -> None:
    article = Article(title="t", text=text, language=language, source="Палескі Веснік", id="a1")
    assert find_citations(article) == []


def _comparison(ids: list[str]) -> dict[str, Any]:
    en, lt, ru, pl, copy = ids
    langs = {en: "en", lt: "lt", ru: "ru", pl: "pl", copy: "en"}
    sources = {en: "Baltic Times Wire", lt: "Uosto žinios", ru: "Балтийский курьер", pl: "Kurier Bałtycki",
               copy: "Coast Daily"}

    def claim(article: str, sentence: int, text: str) -> dict[str, Any]:
        return {"article": article, "sentence": sentence, "text": text}

    articles = [{"id": i, "title": "t", "source": sources[i], "language": langs[i], "published": None,
                 "updated": None, "url": None, "path": None, "author": None, "photo_credits": [], "format": "txt",
                 "encoding": None, "added_at": None} for i in ids]
    return {
        "story": {"id": "st_fire", "title": "Fire at Klaipeda port", "event_date": "2025-06-13",
                  "languages": ["en", "lt", "pl", "ru"], "articles": articles},
        "entities": [], "quotes": [], "descriptors": [],
        "statements": [
            {"id": "s1", "status": "shared", "note": None, "claims": [
                claim(en, 0, "A fire broke out in a grain warehouse at the port of Klaipeda on Friday night."),
                claim(lt, 0, "Penktadienio naktį Klaipėdos uoste kilo gaisras grūdų sandėlyje."),
                claim(ru, 0, "В пятницу вечером в зернохранилище порта Клайпеды вспыхнул пожар."),
                claim(pl, 0, "W piątek wieczorem w magazynie zboża w porcie w Kłajpedzie wybuchł pożar."),
            ]},
            # said by one outlet and its syndicated copy only: one source, never "shared"
            {"id": "s2", "status": "shared", "note": None, "claims": [
                claim(en, 3, "The warehouse held about 3,000 tonnes of wheat."),
                claim(copy, 3, "The warehouse held about 3,000 tonnes of wheat."),
            ]},
            {"id": "s3", "status": "shared", "note": None, "claims": [
                claim(ru, 1, "По данным Департамента пожарной охраны Литвы, никто не пострадал."),
                claim(pl, 1, "Według straży pożarnej nikt nie został ranny."),
            ]},
            {"id": "s4", "status": "conflict", "note": "4 h vs 6 h", "claims": [
                claim(en, 1, "Firefighters brought the blaze under control after four hours."),
                claim(lt, 1, "Ugniagesiai gaisrą suvaldė per šešias valandas."),
            ]},
            {"id": "s5", "status": "unique", "note": None, "claims": [
                claim(en, 4, "Harbour master Tomas Petraitis said an electrical fault was the most likely cause."),
            ]},
        ],
    }


def test_brief_counts_outlets_not_copies_and_keeps_every_line_traceable(fire: tuple[str, list[str]]) -> None:
    db, ids = fire
    en, lt, ru, pl, copy = ids
    comparison = _comparison(ids)
    with open_store(db) as store:
        brief = brief_for(comparison, story_origin(store, "st_fire")).to_json()
    assert [s["statement"] for s in brief["shared"]] == ["s1", "s3"]
    assert (brief["shared"][0]["sources"], brief["shared"][0]["of"]) == (4, 4)  # Coast Daily is the wire's copy
    assert [c["note"] for c in brief["conflicts"]] == ["4 h vs 6 h"]
    assert brief["single_source"][0]["statement"] == "s5"
    claims = {(c["article"], c["sentence"]): c["text"] for s in comparison["statements"] for c in s["claims"]}
    for item in [*brief["shared"], *brief["single_source"]]:
        assert item["text"] in claims.values()
    for item in brief["shared"]:
        assert all((c["article"], c["sentence"]) in claims for c in item["claims"])
    # without the copy links, the wire and its copy would look like two sources
    assert "s2" in [s["statement"] for s in make_brief(comparison).to_json()["shared"]]


def test_brief_shows_the_variant_in_the_asked_language_else_marks_the_original(fire: tuple[str, list[str]]) -> None:
    comparison = _comparison(fire[1])
    polish = make_brief(comparison, language="pl")
    assert polish.shared[0]["text"].startswith("W piątek") and polish.shared[0]["language"] == "pl"
    german = make_brief(comparison, language="de").to_text()
    assert "A fire broke out in a grain warehouse at the port of Klaipeda on Friday night. [en]" in german
    markdown = make_brief(comparison).to_text(markdown=True)
    assert "4 of 5 sources" in markdown and "Baltic Times Wire \\#0" in markdown  # no copy links given
    web = make_brief(comparison).to_text(markdown=True, web_links=True)
    assert f"](/articles/{fire[1][0]}#s0)" in web


def test_annotated_comparison_validates_and_renders(fire: tuple[str, list[str]], schemas: dict[str, Any]) -> None:
    db, ids = fire
    with open_store(db) as store:
        result = annotate(store, _comparison(ids))
    validate(result, "compare.schema.json", schemas)  # the shared contract still holds
    additions = Path(__file__).parents[1] / "rashomon" / "data" / "contract" / "compare-additions.json"
    Draft202012Validator(json.loads(additions.read_text("utf-8"))).validate(result)
    first = {s["statement"]: s["article"] for s in result["origin"]["statements"]}
    assert first["s1"] == ids[1] and first["s3"] is None  # s3: the ru day-only and the undated pl article
    markdown, html = to_markdown(result), to_html(result)
    for text in (markdown, html):
        assert "How it spread" in text and "Brief" in text
        assert "Uosto žinios" in text and "Coast Daily" in text


def test_story_command_shows_origin(fire: tuple[str, list[str]]) -> None:
    db, ids = fire
    shown = runner.invoke(app, ["story", "st_fire", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "first report: Uosto žinios at 2025-06-13T22:10Z" in shown.output
    assert "copy: Coast Daily copies Baltic Times Wire (time" in shown.output
    assert "cites: Балтийский курьер → BNS" in shown.output
    data = json.loads(runner.invoke(app, ["story", "st_fire", "--json", "--db", db]).output)
    assert data["origin"]["first_report"]["article"] == ids[1]


def test_brief_command_reports_a_missing_story(tmp_path: Path) -> None:
    result = runner.invoke(app, ["brief", "st_none", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output
    wrong = runner.invoke(app, ["brief", "st_none", "--format", "pdf", "--db", str(tmp_path / "x.db")])
    assert wrong.exit_code == 2
