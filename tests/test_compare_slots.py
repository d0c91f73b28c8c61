"""Slots of a fact: what a count counts, measurements, dates of one role, one saying across languages.

Every fixture is invented for these tests (people, places, figures), in en/ru/be/uk/pl/de. Rules are
pinned on hand-built claims and vectors; the slow tests run two-article stories through the real
analysis and embedders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rashomon.analyse import analyse
from rashomon.compare import (
    _Claim,
    _claims,
    _counted_kind,
    _date_conflict,
    _Doc,
    _doc,
    _number_conflicts,
    _quote_groups,
    _StoryEntity,
)
from rashomon.models import Analysis, Article, DateMention, NumberMention, Quote
from rashomon.store import Store, open_store

from .test_compare_facts import _conflicts, _story


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(str(Path(tmp_path_factory.mktemp("slots")) / "slots.db")) as opened:
        yield opened


def _article_claims(language: str, text: str, published: str | None = "2025-03-11") -> list[_Claim]:
    article = Article(id=language, title="", text=text, language=language, published=published)
    return _claims(_doc(article, analyse(article), {}))


# -- what a count counts ---------------------------------------------------------------------------


def test_the_counted_noun_is_read_after_the_figure_in_every_language() -> None:
    def kind(text: str) -> str | None:
        figure = next(i for i, ch in enumerate(text) if ch.isdigit())
        end = figure
        while end < len(text) and (text[end].isdigit() or text[end] in ",. " and text[end + 1:end + 2].isdigit()):
            end += 1
        return _counted_kind(text, end, None)

    assert kind("Na redzie czekało 11 tankowców z olejem.") == "vessel"
    assert kind("На рэйдзе чакалі 11 танкераў.") == "vessel"
    assert kind("Біля в'їзду до порту зібралося понад 40 вантажівок.") == "road vehicle"
    assert kind("Vor dem Hafen stauten sich 40 Lkw.") == "road vehicle"
    assert kind("Вода підтопила 1 260 домогосподарств.") == "dwelling"
    assert kind("Evacuated 230 residents, the mayor said.") == "person"
    assert kind("Z torów wypadły dwa ostatnie wagony, 3 wagony stoją.") == "rail car"
    assert kind("The fire started at 3, officials said.") is None  # a clause mark ends the search
    assert _counted_kind("450 people", 3, "people") == "person"
    assert _counted_kind("4 hours", 1, "h") is None


def _count_claim(article: str, text: str, value: float, kind: str | None, unit: str | None = None) -> _Claim:
    number = NumberMention(text=f"{value:g}", start=0, end=1, sentence=0, value=float(value), unit=unit)
    return _Claim(article=article, sentence=0, text=text, entities={}, numbers=[number], dates=[],
                  negated=False, counted={0: kind} if kind else {})


def test_counts_of_different_things_are_not_one_fact() -> None:
    tankers = _count_claim("a", "Fourteen tankers waited at anchor.", 14, "vessel")
    trucks = _count_claim("b", "Біля в'їзду до порту зібралося понад 60 вантажівок.", 60, "road vehicle")
    assert _number_conflicts(tankers, trucks) == []
    other_count = _count_claim("c", "На рэйдзе чакалі 19 танкераў.", 19, "vessel")
    assert _number_conflicts(tankers, other_count) == ["14 vs 19"]
    unknown = _count_claim("d", "Na redzie czekało 19 jednostek.", 19, None)
    assert _number_conflicts(tankers, unknown) == ["14 vs 19"]  # an unknown noun compares as before
    hours = _count_claim("e", "Der Streik dauert 48 Stunden.", 48, None, unit="h")
    strikers = _count_claim("f", "Strajkuje 310 dokerów.", 310, "person")
    assert _number_conflicts(strikers, hours) == []  # a count of people is no duration


@pytest.mark.slow
def test_ships_and_trucks_in_one_story_are_no_conflict(store: Store) -> None:
    for name, ships, trucks in (
        ("port-pl", ("pl", "Na redzie portu w Kłajpedzie czekało 14 statków na załadunek zboża."),
         ("uk", "Біля в'їзду до порту Клайпеди зібралося понад 60 вантажівок із зерном.")),
        ("port-de", ("de", "Vor Klaipėda warteten 14 Schiffe darauf, Getreide zu laden."),
         ("ru", "У въезда в порт Клайпеды скопилось более 60 грузовиков с зерном.")),
    ):
        notes = _conflicts(_story(store, name, ships, trucks))
        assert not any("14" in n and "60" in n for n in notes), notes


# -- measurements with units -----------------------------------------------------------------------


def test_metres_are_a_unit_in_every_language() -> None:
    for language, text in (("en", "The Bug rose by 2.9 metres."), ("ru", "Уровень Буга поднялся на 2,1 метра."),
                           ("be", "Узровень Буга падняўся на 2,1 метра."), ("uk", "Рівень Бугу піднявся на 2,1 метра."),
                           ("pl", "Bug podniósł się o 2,9 metra."), ("de", "Der Bug stieg um 2,9 Meter.")):
        assert [(n.value, n.unit) for c in _article_claims(language, text) for n in c.numbers][-1:] \
            in ([(2.9, "m")], [(2.1, "m")]), (language, text)


@pytest.mark.slow
def test_a_river_rise_in_metres_is_a_conflict_across_languages(store: Store) -> None:
    result = _story(
        store, "river",
        ("uk", "Рівень води в Бузі біля Устилуга за добу піднявся на 2,1 метра. Рятувальники вивезли 40 людей."),
        ("pl", "Poziom wody w Bugu koło Uściługa podniósł się w ciągu doby o 2,9 metra. "
               "Ratownicy ewakuowali 40 osób."),
    )
    assert any("2.1 m" in n and "2.9 m" in n for n in _conflicts(result)), result["statements"]


# -- dates of one role -----------------------------------------------------------------------------


def _dated(article: str, text: str, value: str, roles: frozenset[str] = frozenset(),
           numbers: list[NumberMention] | None = None) -> _Claim:
    return _Claim(article=article, sentence=0, text=text, entities={}, numbers=numbers or [], negated=False,
                  dates=[DateMention(text=value, start=0, end=1, sentence=0, value=value)], roles=roles)


def test_custody_since_a_day_is_the_day_of_the_arrest() -> None:
    arrested = _dated("a", "Марыю Коваль затрымалі 3 сакавіка 2024 года.", "2024-03-03")
    since = _dated("b", "Kowal sitzt seit dem 13. März in Untersuchungshaft.", "2024-03-13", frozenset({"cumulative"}))
    assert _date_conflict(arrested, since) == "2024-03-03 vs 2024-03-13"
    # a running total's start is still not the day of a figure
    total = _dated("c", "Since 3 March 2,300 people left", "2024-03-03", frozenset({"cumulative"}),
                   [NumberMention(text="2,300", start=0, end=1, sentence=0, value=2300.0)])
    day = _dated("d", "On 13 March 500 people left", "2024-03-13",
                 numbers=[NumberMention(text="500", start=0, end=1, sentence=0, value=500.0)])
    assert _date_conflict(total, day) is None


def test_the_closest_dates_are_set_against_each_other() -> None:
    taught = _dated("a", "Kowal, do 2019 roku nauczycielka, została zatrzymana 3 marca 2024 r.", "2024-03-03")
    taught.dates.insert(0, DateMention(text="2019", start=0, end=1, sentence=0, value="2019"))
    since = _dated("b", "Kowal sitzt seit dem 13. März in Haft.", "2024-03-13")
    assert _date_conflict(taught, since) == "2024-03-03 vs 2024-03-13"


def test_a_day_without_a_year_is_still_compared() -> None:
    claims = _article_claims("en", "The activist Maria Kowal was detained at her flat on March 13.", published=None)
    assert [d.value for c in claims for d in c.dates] == ["--03-13"]


@pytest.mark.slow
def test_an_arrest_date_and_a_custody_start_are_one_slot(store: Store) -> None:
    result = _story(
        store, "custody",
        ("pl", "Aktywistka Maria Kowal została zatrzymana w swoim mieszkaniu w Mohylewie 3 marca 2024 roku."),
        ("de", "Die Aktivistin Maria Kowal sitzt seit dem 13. März 2024 in Mogiljow in Untersuchungshaft."),
    )
    assert any("2024-03-03" in n and "2024-03-13" in n for n in _conflicts(result)), result["statements"]


# -- one saying in several languages ---------------------------------------------------------------


def _doc_of(article_id: str, ids: dict[str, str]) -> _Doc:
    return _Doc(article=Article(id=article_id, title="", text=""), analysis=Analysis(article_id, "t"), ids=ids)


def _said(article: str, text: str, speaker: str | None, direct: bool = True) -> tuple[_Doc, Quote]:
    ids = {speaker: speaker} if speaker else {}
    return _doc_of(article, ids), Quote(text=text, start=0, end=1, sentence=0, direct=direct,
                                        speaker=speaker, speaker_text=speaker)


def test_reported_words_join_the_saying_of_the_same_person() -> None:
    entities = {"ent_k": _StoryEntity(id="ent_k", type="PER"), "ent_p": _StoryEntity(id="ent_p", type="PER")}
    entities["ent_k"].names["Oleh Kravets"] += 1
    entities["ent_p"].names["Pavlo Kravets"] += 1
    said = [
        _said("a0", "Ми не підемо з цеху, поки дирекція не вислухає наші вимоги", "ent_k"),
        _said("a1", "die Arbeiter würden die Halle nicht verlassen, solange die Leitung ihre Forderungen "
              "nicht anhöre", "ent_k", direct=False),
        _said("a2", "другие цеха работают в обычном режиме", "ent_p", direct=False),
    ]
    # a1 and a2 each 0.80 from a0, on either side of it (0.28 from each other); the sentences carrying
    # all three are aligned as one statement
    vectors = [np.array([[1.0, 0.0]]), np.array([[0.80, 0.60]]), np.array([[0.80, -0.60]])]
    statements = [{"id": "s1", "claims": [{"article": f"a{i}", "sentence": 0} for i in range(3)]}]
    groups = _quote_groups(said, vectors, entities, {"a0": 0, "a1": 1, "a2": 2}, statements=statements)
    assert sorted(len(g["variants"]) for g in groups) == [1, 2]  # another person's words stay apart
    joined = next(g for g in groups if len(g["variants"]) == 2)
    assert joined["speaker"] == "ent_k" and {v["article"] for v in joined["variants"]} == {"a0", "a1"}


def test_grouping_does_not_depend_on_the_order_of_the_articles() -> None:
    # a saying quoted whole (a1), and in two pieces by a0: each piece close to a part of a1's saying
    said = [
        _said("a0", "Do not wait for the water to reach your door", None),
        _said("a0", "The buses are waiting at the school. Take your papers and go.", None),
        _said("a1", "Не чекайте, поки вода підійде до дверей. Автобуси чекають біля школи.", None),
    ]
    vectors = [np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])]
    for order in ({"a0": 0, "a1": 1}, {"a0": 1, "a1": 0}):
        groups = _quote_groups(said, vectors, {}, order)
        assert [len(g["variants"]) for g in groups] == [3], order


def test_two_sayings_of_one_article_do_not_merge_through_a_third() -> None:
    said = [
        _said("a0", "Nie zejdziemy z hali", None),
        _said("a0", "na więcej nas nie stać", None),
        _said("a1", "We will not leave the hall", None),
    ]
    # the two sayings of a0 on either side of a1's: 0.83 and 0.90 from the first, 0.50 from each other
    vectors = [np.array([[1.0, 0.0]]), np.array([[0.83, -0.558]]), np.array([[0.90, 0.436]])]
    groups = _quote_groups(said, vectors, {}, {"a0": 0, "a1": 1})
    assert sorted(len(g["variants"]) for g in groups) == [1, 2]


def test_an_appeal_reported_with_by_is_a_quote() -> None:
    article = Article(id="q", title="", language="pl", published="2025-03-11",
                      text="Burmistrz Ołena Bondar zaapelowała do mieszkańców, by nie wracali do domów przed zmrokiem.")
    quotes = analyse(article).quotes
    assert [q.text for q in quotes] == ["nie wracali do domów przed zmrokiem"]
