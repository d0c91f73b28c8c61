"""Dates as story clustering uses them: page stamps only bound the event, year-less days meet full
dates, datelines are publication dates, relative expressions and years tell same-kind events apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from rashomon.analyse import analyse
from rashomon.ingest import read_path
from rashomon.models import Article
from rashomon.stories import ArticleFeatures, Scorer, features_from, pair_features
from rashomon.stories.blocks import FeatureArrays, score_block
from rashomon.stories.dates import EventTime, compatible, day_gap, event_time, month_day, timeline_gap


def _read(tmp_path: Path, name: str, text: str) -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = [a for a in read_path(path, max_bytes=10**6) if isinstance(a, Article)]
    assert len(found) == 1
    found[0].id = name
    return found[0]


def test_a_dateline_with_a_year_is_the_publication_date(tmp_path: Path) -> None:
    ru = _read(tmp_path, "ru.txt", "Паром сел на мель у Хийумаа\nБалтийский курьер\nТаллин, 11 мая 2021 года\n\n"
               "Паром «Калев» сел на мель у острова Хийумаа, 40 пассажиров эвакуированы.\n")
    pl = _read(tmp_path, "pl.txt", "Prom osiadł na mieliźnie\nKurier Bałtycki\nTallin, 11 maja 2021 r.\n\n"
               "Prom Kalev osiadł na mieliźnie u wybrzeży wyspy Hiuma; ewakuowano 40 pasażerów.\n")
    de = _read(tmp_path, "de.txt", "Fähre auf Grund gelaufen\nOstsee-Bote\nTallinn, 11.05.2021, 14:05 Uhr\n\n"
               "Die Fähre Kalev ist vor der Insel Hiiumaa auf Grund gelaufen; 40 Fahrgäste wurden gerettet.\n")
    for article in (ru, pl, de):
        assert (article.published or "")[:10] == "2021-05-11"
        assert not article.text.startswith("Таллин")
    prose = _read(tmp_path, "prose.txt", "Ferry aground\nBaltic Desk\n\nThe ferry ran aground near Hiiumaa, "
                  "Estonia, on 11 May 2021 and 40 passengers were taken off.\n")
    assert prose.published is None


def test_a_yearless_dateline_gives_the_event_day_and_meets_full_dates(tmp_path: Path) -> None:
    undated_year = _read(tmp_path, "ru.txt", "Паром сел на мель у Хийумаа\nБалтийский курьер\nТАЛЛИН, 11 мая\n\n"
                         "Паром «Калев» сел на мель у острова Хийумаа. Сорок пассажиров эвакуированы спасателями.\n")
    full = _read(tmp_path, "en.txt", "Ferry runs aground off Hiiumaa\nBaltic Desk\nPublished: 2021-05-11\n\n"
                 "The ferry Kalev ran aground off the Estonian island of Hiiumaa on Tuesday, and rescuers took "
                 "40 passengers off.\n")
    a, b = event_time(undated_year, analyse(undated_year)), event_time(full, analyse(full))
    assert a.day is None and a.month_day == month_day("--05-11")
    assert b.day == date(2021, 5, 11)
    assert day_gap(a, b) == 0 and compatible(a, b, 3)
    assert not compatible(a, EventTime(day=date(2021, 9, 2)), 3)  # another day of the year
    assert compatible(EventTime(month_day=month_day("--12-31")), EventTime(day=date(2022, 1, 1)), 3)


def test_a_page_stamp_years_later_only_bounds_the_event(tmp_path: Path) -> None:
    restamped = _read(tmp_path, "en.txt", "Kalev ferry aground off Hiiumaa\nBaltic Desk\n"
                      "Updated at 09:12, 14-03-2024\n\nThe ferry Kalev ran aground off Hiiumaa on Tuesday; "
                      "40 passengers were taken off by rescuers.\n")
    when = event_time(restamped, analyse(restamped))
    assert when.day is None and when.bound == date(2024, 3, 14)
    report = EventTime(day=date(2021, 5, 11), bound=date(2021, 5, 11))
    assert compatible(when, report, 3)
    # A page cannot report an event that happened after it came out.
    assert not compatible(EventTime(day=date(2021, 5, 11)), EventTime(bound=date(2020, 1, 1)), 3)


def _features(article_id: str, **kwargs: object) -> ArticleFeatures:
    vector = np.zeros(4, dtype=np.float32)
    vector[0] = 1.0
    return ArticleFeatures(article_id=article_id, embeddings={"e5": vector, "use": vector}, **kwargs)  # type: ignore[arg-type]


def test_a_stamp_never_scores_zero_and_blocks_agree_with_pairs() -> None:
    scorer = Scorer.load()
    dated = _features("a", event_date=date(2021, 5, 11), published=date(2021, 5, 11))
    restamped = _features("b", published=date(2024, 3, 14))
    yearless = _features("c", month_day=month_day("--05-11"))
    other_day = _features("d", month_day=month_day("--09-02"))
    assert scorer.score_pair(dated, restamped) > 0.0
    assert pair_features(dated, yearless)["same_day"] == 1.0
    assert scorer.score_pair(dated, other_day) == 0.0
    items = [dated, restamped, yearless, other_day]
    arrays = FeatureArrays(items)
    block = score_block(arrays, np.arange(4), np.arange(4), scorer)
    for i, a in enumerate(items):
        for j, b in enumerate(items):
            if i != j:
                assert abs(block[i, j] - scorer.score_pair(a, b)) < 1e-9


def test_relative_expressions_and_years_tell_same_kind_events_apart(tmp_path: Path) -> None:
    def article(name: str, stamp: str, body: str) -> Article:
        return _read(tmp_path, name, f"Earthquake shakes the north\nMountain Herald\nPublished: {stamp}\n\n{body}\n")

    first = article("2019.txt", "2019-02-06", "A magnitude 5.1 earthquake shook Orvieto on Monday. "
                    "Dozens of homes were damaged, officials said.")
    second = article("2023.txt", "2023-07-12", "A magnitude 4.7 earthquake shook Bergamo on Monday, "
                     "four years after the quake of 2019. Nobody was hurt.")
    one, two = (analyse(a) for a in (first, second))
    assert one.event_date == "2019-02-04" and two.event_date == "2023-07-10"  # Mondays before the stamps
    vectors = {"e5": np.ones(2, dtype=np.float32), "use": np.ones(2, dtype=np.float32)}
    a, b = (features_from(x, an, embeddings=vectors) for x, an in ((first, one), (second, two)))
    assert pair_features(a, b)["years"] < 1.0
    assert pair_features(a, a)["years"] == 1.0


def test_reports_of_a_lasting_event_dated_on_different_days_meet_on_its_timeline(tmp_path: Path) -> None:
    brief = _read(tmp_path, "de.txt", "Waldbrand bei Kamnik\nAlpenbote\n21.08.2024 · 18:10\n\n"
                  "Seit Sonntag kämpfen Feuerwehren bei Kamnik gegen einen Waldbrand; 300 Menschen mussten ihre "
                  "Häuser verlassen.\n")
    report = _read(tmp_path, "en.txt", "Wildfire near Kamnik forces more evacuations\nAlpine Wire\n"
                   "Published: 2024-08-21\n\nFirefighters near Kamnik evacuated another village on Wednesday. "
                   "About 300 people have left their homes since the fire broke out on Sunday, officials said. "
                   "A smaller fire burned in the same valley on 5 August.\n")
    a, b = (event_time(x, analyse(x)) for x in (brief, report))
    assert a.day == date(2024, 8, 18) and b.day == date(2024, 8, 21)  # each picks its own event day
    assert (b.first, b.last) == (date(2024, 8, 18), date(2024, 8, 21))  # 5 August is another event
    assert day_gap(a, b) == 3 and timeline_gap(a, b) == 0
    # A report whose timeline does not reach the other's event day keeps the gap to its nearest day.
    later = EventTime(day=date(2024, 8, 23), first=date(2024, 8, 22), last=date(2024, 8, 23))
    assert timeline_gap(a, later) == 4

    sunday, wednesday = date(2024, 8, 18), date(2024, 8, 21)
    items = [
        _features("brief", event_date=sunday, published=wednesday),
        _features("report", event_date=wednesday, published=wednesday, timeline=(sunday, wednesday)),
        _features("other", event_date=date(2024, 8, 20), published=date(2024, 8, 20)),
    ]
    assert pair_features(items[0], items[1])["same_day"] == 1.0
    assert pair_features(items[0], items[2])["event_gap"] > 0.0
    scorer = Scorer.load()
    block = score_block(FeatureArrays(items), np.arange(3), np.arange(3), scorer)
    for i, x in enumerate(items):
        for j, y in enumerate(items):
            if i != j:
                assert abs(block[i, j] - scorer.score_pair(x, y)) < 1e-9
