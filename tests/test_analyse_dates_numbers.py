"""Dates and numbers: year derivation, relative dates, the event date, number words, units."""

from __future__ import annotations

import pytest

from rashomon.analyse.dates import find_dates, pick_event_date
from rashomon.analyse.numbers import find_numbers
from rashomon.models import Sentence

# A Monday; the Saturday before it is 2021-03-13.
REF = "2021-03-15T09:30:00+01:00"


def _sentences(text: str) -> list[Sentence]:
    """Split on '. ' -- enough for these hand-made texts, independent of the sentence splitter."""
    out, start = [], 0
    for i, part in enumerate(text.split(". ")):
        out.append(Sentence(index=i, start=start, end=start + len(part), text=part))
        start += len(part) + 2
    return out


def _dates(text: str, language: str, reference: str | None = None) -> list[tuple[str, str, bool]]:
    return [
        (d.text, d.value, d.uncertain)
        for d in find_dates(text, _sentences(text), language, reference=reference)
    ]


def _numbers(text: str, language: str) -> list[tuple[float, str | None, bool]]:
    return [(n.value, n.unit, n.approximate) for n in find_numbers(text, _sentences(text), language)]


@pytest.mark.parametrize(
    ("language", "text", "surface"),
    [
        ("en", "The strike began on March 3 in Gdańsk.", "March 3"),
        ("ru", "Забастовка началась 3 марта в Гданьске.", "3 марта"),
        ("be", "Забастоўка пачалася 3 сакавіка ў Гданьску.", "3 сакавіка"),
        ("uk", "Страйк почався 3 березня в Гданську.", "3 березня"),
        ("pl", "Strajk zaczął się 3 marca w Gdańsku.", "3 marca"),
        ("de", "Der Streik begann am 3. März in Danzig.", "3. März"),
    ],
)
def test_no_year_is_invented_without_reference(language: str, text: str, surface: str) -> None:
    assert _dates(text, language) == [(surface, "--03-03", True)]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (REF, "2021-03-03"),
        ("2021-02-20", "2020-03-03"),  # March 3 is 11 days ahead: last year's
        ("2021-02-27", "2021-03-03"),  # four days ahead: an announcement, still this year
    ],
)
def test_year_is_derived_from_reference(reference: str, expected: str) -> None:
    assert _dates("Dockers met on 3 March in Gdynia.", "en", reference) == [("3 March", expected, False)]


def test_stated_year_wins_over_reference() -> None:
    assert _dates("Вынікі 10 кастрычніка 2019 года.", "be", REF)[0][1] == "2019-10-10"
    assert _dates("Sitzung am 2019-10-10 und am 11.10.2019.", "de", REF) == [
        ("2019-10-10", "2019-10-10", False),
        ("11.10.2019", "2019-10-11", False),
    ]


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("en", "Farmers blocked the road on Saturday.", "2021-03-13"),
        ("ru", "Фермеры перекрыли дорогу в субботу.", "2021-03-13"),
        ("be", "Фермеры перакрылі дарогу ў суботу.", "2021-03-13"),
        ("uk", "Фермери перекрили дорогу у суботу.", "2021-03-13"),
        ("pl", "Rolnicy zablokowali drogę w sobotę.", "2021-03-13"),
        ("de", "Bauern blockierten am Samstag die Straße.", "2021-03-13"),
        ("en", "The talks ended yesterday.", "2021-03-14"),
        ("ru", "Переговоры закончились вчера.", "2021-03-14"),
        ("be", "Перамовы скончыліся ўчора.", "2021-03-14"),
        ("de", "Die Gespräche enden morgen.", "2021-03-16"),
        ("en", "The ferry sails next Monday.", "2021-03-22"),
        ("ru", "Выборы прошли в прошлый понедельник.", "2021-03-08"),
        ("pl", "Podwyżki ogłoszono w zeszłym tygodniu.", "2021-03-08"),
    ],
)
def test_relative_dates_resolve_against_reference(language: str, text: str, value: str) -> None:
    (mention,) = find_dates(text, _sentences(text), language, reference=REF)
    assert (mention.value, mention.relative) == (value, True)


def test_relative_dates_without_reference_are_skipped() -> None:
    assert _dates("Farmers blocked the road on Saturday and left yesterday.", "en") == []


def test_german_morning_is_not_tomorrow() -> None:
    assert _dates("Heute Morgen kamen die Bauern.", "de", REF) == [("Heute", "2021-03-15", False)]


def test_english_modal_may_is_not_a_month() -> None:
    assert _dates("Ministers may 5 times reconsider. Elections on May 5.", "en", REF) == [
        ("May 5", "2020-05-05", False)
    ]


def test_event_date_comes_from_the_lead_not_the_stamp() -> None:
    text = (
        "Updated 14:05, 15.03.2021. "
        "Dock workers in Gdynia walked out on Friday over unpaid wages, the union said. "
        "The union said a similar strike on 20 February 2021 had ended without a deal."
    )
    sentences = _sentences(text)
    dates = find_dates(text, sentences, "en", reference=REF)
    assert [d.value for d in dates] == ["2021-03-15", "2021-03-12", "2021-02-20"]
    assert pick_event_date(dates, sentences, reference=REF) == "2021-03-12"


def test_event_date_is_never_the_bare_reference() -> None:
    text = "Dock workers in Gdynia are on strike over unpaid wages, the union said."
    sentences = _sentences(text)
    assert pick_event_date(find_dates(text, sentences, "en", reference=REF), sentences, reference=REF) is None
    text = "Dock workers in Gdynia went on strike today over unpaid wages, the union said."
    sentences = _sentences(text)
    assert (
        pick_event_date(find_dates(text, sentences, "en", reference=REF), sentences, reference=REF)
        == "2021-03-15"
    )


def test_event_date_without_reference_keeps_unknown_year() -> None:
    text = "Dock workers in Gdynia walked out on 12 March over unpaid wages, the union said."
    sentences = _sentences(text)
    assert (
        pick_event_date(find_dates(text, sentences, "en", reference=None), sentences, reference=None)
        == "--03-12"
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The board sat for four and a half hours."),
        ("be", "Рада засядала чатыры з паловай гадзіны."),
        ("ru", "Совет заседал четыре с половиной часа."),
        ("uk", "Рада засідала чотири з половиною години."),
        ("pl", "Rada obradowała cztery i pół godziny."),
        ("de", "Der Rat tagte viereinhalb Stunden."),
        ("en", "The board sat for a four-and-a-half-hour session."),
    ],
)
def test_four_and_a_half_hours(language: str, text: str) -> None:
    assert _numbers(text, language) == [(4.5, "h", False)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Turnout was about 62 percent.", [(62.0, "%", True)]),
        ("ru", "Явка составила около 62%.", [(62.0, "%", True)]),
        ("be", "Яўка склала каля 62 працэнтаў.", [(62.0, "%", True)]),
        ("uk", "Явка склала близько 62 відсотків.", [(62.0, "%", True)]),
        ("pl", "Frekwencja wyniosła około 62 proc.", [(62.0, "%", True)]),
        ("de", "Die Beteiligung lag bei etwa 62 Prozent.", [(62.0, "%", True)]),
        ("en", "Turnout was 62 percent.", [(62.0, "%", False)]),
    ],
)
def test_approximate_percentages(language: str, text: str, expected: list[tuple[float, str, bool]]) -> None:
    assert _numbers(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Die Inflation stieg auf 2,5 Prozent.", (2.5, "%")),
        ("pl", "Inflacja wzrosła do 2,5 proc.", (2.5, "%")),
        ("ru", "Инфляция выросла до 2,5%.", (2.5, "%")),
        ("pl", "Kontrakt wart 1,5 mld zł.", (1.5e9, "PLN")),
        ("de", "Ein Kredit über 2 Mio. Euro.", (2e6, "EUR")),
        ("en", "A loan of 3,000 dollars.", (3000.0, "USD")),
        ("ru", "Собрали 3 000 рублей.", (3000.0, "RUB")),
        ("en", "Cargo of 1.5 tonnes.", (1.5, "t")),
    ],
)
def test_decimal_comma_and_thousands(language: str, text: str, expected: tuple[float, str]) -> None:
    assert [(v, u) for v, u, _a in _numbers(text, language)] == [expected]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Переговоры шли три часа.", [(3.0, "h", False)]),
        ("pl", "Rozmowy trwały dwie godziny.", [(2.0, "h", False)]),
        ("de", "Die Gespräche dauerten zwei Stunden.", [(2.0, "h", False)]),
        ("en", "Thousands of protesters marched.", [(1000.0, "people", True)]),
        ("ru", "Тысячи человек вышли на улицы.", [(1000.0, "people", True)]),
        ("uk", "На вулиці вийшли 150 осіб.", [(150.0, "people", False)]),
        ("be", "На вуліцы выйшлі дзясяткі тысяч чалавек.", [(10000.0, "people", True)]),
    ],
)
def test_number_words_and_units(language: str, text: str, expected: list[tuple[float, str, bool]]) -> None:
    assert _numbers(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "On 10 October 2020, at 09:41, 40 ships left port.", [(40.0, None, False)]),
        ("ru", "10 октября 2020 года в 09:41 из порта вышли 40 судов.", [(40.0, None, False)]),
        ("de", "Am 10.10.2020 liefen 40 Schiffe aus.", [(40.0, None, False)]),
        ("de", "Das Feuer brach um 02.15 Uhr aus, gegen 14 Uhr kamen 90 Feuerwehrleute.", [(90.0, None, False)]),
        ("en", "In 2019 the port was sold, the third sale since 1994.", []),
        ("en", "One of the ships was a COVID-19 hospital.", []),
        ("ru", "Это уже 5-й раз.", []),
    ],
)
def test_dates_times_years_and_codes_are_not_quantities(
    language: str, text: str, expected: list[tuple[float, str | None, bool]]
) -> None:
    assert _numbers(text, language) == expected


def test_mentions_point_into_text_with_sentence_index() -> None:
    text = "The port reopened. Some 1,200 dockers returned on 3 March."
    sentences = _sentences(text)
    (number,) = find_numbers(text, sentences, "en")
    (date,) = find_dates(text, sentences, "en", reference=REF)
    assert text[number.start : number.end] == number.text == "1,200"
    assert (number.value, number.unit, number.approximate, number.sentence) == (1200.0, None, True, 1)
    assert text[date.start : date.end] == "3 March" and date.sentence == 1


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("uk", "Двоє робітників загинули, ще троє постраждали.", [(2.0, None, False), (3.0, None, False)]),
        ("be", "Сямёра затрыманых вызвалілі.", [(7.0, "people", False)]),
        ("be", "Міліцыя затрымала чацвярых актывістаў.", [(4.0, None, False)]),
        ("ru", "Полиция задержала пятерых человек.", [(5.0, "people", False)]),
        ("pl", "Do szpitala trafiło troje dzieci.", [(3.0, None, False)]),
        ("uk", "Семеро шахтарів залишаються під землею.", [(7.0, None, False)]),
        ("de", "Fünfundzwanzig Menschen wurden festgenommen.", [(25.0, "people", False)]),
        ("en", "Twenty-five people and a dozen others were detained.", [(25.0, "people", False), (12.0, None, False)]),
    ],
)
def test_collective_and_compound_number_words(
    language: str, text: str, expected: list[tuple[float, str | None, bool]]
) -> None:
    assert _numbers(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The mayor promised a new budget within a month.", [(1.0, "month", False)]),
        ("en", "He was jailed for a year.", [(1.0, "year", False)]),
        ("en", "Ferries run twice a week.", []),
        ("en", "He earns 50,000 euros a year.", [(50000.0, "EUR", False)]),
        ("en", "A wildfire has burned 1,200 hectares of forest.", [(1200.0, "ha", False)]),
        ("uk", "Пожежа охопила 300 гектарів лісу.", [(300.0, "ha", False)]),
        ("ru", "В заключении он похудел на 8 килограммов.", [(8.0, "kg", False)]),
    ],
)
def test_one_unit_of_time_rates_and_area_and_weight(
    language: str, text: str, expected: list[tuple[float, str | None, bool]]
) -> None:
    assert _numbers(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "approximate"),
    [
        ("uk", "Суд засудив журналіста до п'яти років позбавлення волі.", False),
        ("be", "Суд асудзіў журналіста да пяці гадоў калоніі.", False),
        ("ru", "Инфляция выросла до 5 процентов.", False),
        ("pl", "Inflacja wzrosła do 5 procent.", False),
        ("uk", "Йому загрожує до п'яти років ув'язнення.", True),
        ("ru", "На акцию пришли до 300 человек.", True),
    ],
)
def test_to_after_a_verb_of_sentencing_or_change_is_exact(language: str, text: str, approximate: bool) -> None:
    """Before a figure до/да/do means "up to", but "to" after a verb such as "sentenced" or "rose"."""
    assert [a for _v, _u, a in _numbers(text, language)] == [approximate]


@pytest.mark.parametrize(
    ("language", "text", "units"),
    [
        ("be", "Абвінаваўца папрасіў штраф 240 мільёнаў расійскіх рублёў. Хабар склаў 38 мільёнаў рублёў.",
         ["RUB", "RUB"]),
        ("be", "Суд прызначыў штраф 2000 рублёў.", ["BYN"]),
        ("ru", "Штраф составил 5000 белорусских рублей, а залог — 20 000 рублей.", ["BYN", "BYN"]),
        ("ru", "Ущерб — 3 млн российских рублей, штраф — 5000 белорусских рублей, залог — 20 000 рублей.",
         ["RUB", "BYN", "RUB"]),
        ("en", "He is accused of taking a 36-million-rouble bribe.", ["RUB"]),
    ],
)
def test_a_bare_rouble_takes_the_currency_the_article_writes_out(language: str, text: str, units: list[str]) -> None:
    assert [u for _v, u, _a in _numbers(text, language)] == units
