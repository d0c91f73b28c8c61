"""Sentences, entities, quotes and descriptors on small hand-written texts in six languages.

The names and events below are made up for the tests; they check what a reader would check:
where sentences end, who is one person, who said what, and which labels a text puts on whom.
"""

from __future__ import annotations

import pytest

from rashomon.analyse.descriptors import find_descriptors
from rashomon.analyse.entities import find_entities
from rashomon.analyse.quotes import find_quotes
from rashomon.analyse.sentences import split_sentences
from rashomon.models import Entity, Quote


def _sentences(text: str, language: str) -> list[str]:
    return [s.text for s in split_sentences(text, language)]


def _analyse(text: str, language: str) -> tuple[list[Entity], list[Quote], dict[str, list[str]]]:
    sentences = split_sentences(text, language)
    entities = find_entities(text, sentences, language)
    quotes = find_quotes(text, sentences, entities, language)
    labels: dict[str, list[str]] = {}
    for d in find_descriptors(text, sentences, entities, language):
        labels.setdefault(d.entity, []).append(d.text)
    return entities, quotes, labels


def _person(entities: list[Entity], name: str) -> Entity:
    found = [e for e in entities if e.type == "PER" and e.name == name]
    assert found, f"no PER {name!r} in {[(e.type, e.name) for e in entities]}"
    assert len(found) == 1
    return found[0]


# sentences -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Mr. Hale met Dr. Ruiz at 3.5 km from the U.S. border. Then J. R. Okafor spoke.",
            ["Mr. Hale met Dr. Ruiz at 3.5 km from the U.S. border.", "Then J. R. Okafor spoke."],
        ),
        (
            "ru",
            "Встреча прошла на ул. Садовой, т.е. в центре. И. Петров не пришёл. Это было в 2019 г. Он уехал.",
            [
                "Встреча прошла на ул. Садовой, т.е. в центре.",
                "И. Петров не пришёл.",
                "Это было в 2019 г.",
                "Он уехал.",
            ],
        ),
        (
            "be",
            "Сход адбыўся ў г. Гродна. А. Мароз выступіў першым. Потым усе пайшлі.",
            ["Сход адбыўся ў г. Гродна.", "А. Мароз выступіў першым.", "Потым усе пайшлі."],
        ),
        (
            "uk",
            "Засідання відбулося на вул. Лісовій. О. Коваль виступив. Потім була перерва.",
            ["Засідання відбулося на вул. Лісовій.", "О. Коваль виступив.", "Потім була перерва."],
        ),
        (
            "pl",
            "Przyszli m.in. studenci, np. z Gdańska. Prof. Nowak mówił długo. Potem wyszedł.",
            ["Przyszli m.in. studenci, np. z Gdańska.", "Prof. Nowak mówił długo.", "Potem wyszedł."],
        ),
        (
            "de",
            "Am 3. Oktober kamen z.B. Gäste aus Bonn. Dr. Weber sprach. Danach gingen alle.",
            ["Am 3. Oktober kamen z.B. Gäste aus Bonn.", "Dr. Weber sprach.", "Danach gingen alle."],
        ),
    ],
)
def test_sentences_survive_abbreviations_initials_and_numbers(
    language: str, text: str, expected: list[str]
) -> None:
    assert _sentences(text, language) == expected


def test_closing_quote_belongs_to_the_sentence_it_closes() -> None:
    text = "She said: “We stay. We fight.” The crowd cheered."
    assert _sentences(text, "en") == ["She said: “We stay.", "We fight.”", "The crowd cheered."]
    assert _sentences("«Мы не уйдём!» — сказала она. Зал молчал.", "ru") == [
        "«Мы не уйдём!» — сказала она.",
        "Зал молчал.",
    ]


def test_line_breaks_end_sentences_and_offsets_point_into_the_text() -> None:
    text = "A headline without a full stop\n\nFirst line of the body. Second one."
    sentences = split_sentences(text, "en")
    assert [s.text for s in sentences] == [
        "A headline without a full stop",
        "First line of the body.",
        "Second one.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.index for s in sentences] == [0, 1, 2]


# entities --------------------------------------------------------------------------------------


def test_english_full_name_and_later_surname_are_one_person_without_title() -> None:
    text = (
        "President Hryhoriy Marozau visited Hrodna on Monday. Officials said Marozau stayed two hours. "
        "Marozau's aides declined to comment."
    )
    entities, _, _ = _analyse(text, "en")
    person = _person(entities, "Hryhoriy Marozau")
    assert [m.text for m in person.mentions] == ["Hryhoriy Marozau", "Marozau", "Marozau"]
    assert all(text[m.start : m.end] == m.text for m in person.mentions)
    assert not any("President" in e.name for e in entities)


def test_coordinated_given_names_share_the_surname() -> None:
    entities, _, _ = _analyse("The court freed Ihar and Volha Sauchanka on Friday.", "en")
    ihar, volha = _person(entities, "Ihar Sauchanka"), _person(entities, "Volha Sauchanka")
    assert [m.text for m in ihar.mentions] == ["Ihar"]
    assert ihar.key != volha.key


def test_belarusian_inflected_surname_joins_the_full_name() -> None:
    text = (
        "Алесь Бяляцкі сустрэўся з журналістамі ў Мінску. "
        "Пазней Бяляцкага выклікалі ў суд. Бяляцкаму не далі слова."
    )
    entities, _, _ = _analyse(text, "be")
    person = _person(entities, "Алесь Бяляцкі")
    assert len(person.mentions) == 3
    assert any(e.type == "LOC" and e.name == "Мінск" for e in entities)


def test_polish_inflected_surname_and_organisation() -> None:
    text = (
        "Premier Jan Wróbel spotkał się z ambasadorem. "
        "Według Wróbla Unia Europejska powinna pomóc. O Wróblu pisały gazety."
    )
    entities, _, _ = _analyse(text, "pl")
    person = _person(entities, "Jan Wróbel")
    assert {m.text for m in person.mentions} >= {"Jan Wróbel", "Wróblu"}
    assert any(e.type == "ORG" and e.name == "Unia Europejska" for e in entities)


def test_russian_names_are_given_in_the_nominative() -> None:
    text = "Суд отпустил Марию Кузнецову. Кузнецова вернулась домой в Москву."
    entities, _, _ = _analyse(text, "ru")
    person = _person(entities, "Мария Кузнецова")
    assert len(person.mentions) == 2
    assert any(e.type == "LOC" and e.name == "Москва" for e in entities)


def test_husband_and_wife_stay_two_people() -> None:
    text = "Святлана Карпенская і Сяргей Карпенскі прыехалі разам. Карпенскую затрымалі."
    entities, _, _ = _analyse(text, "be")
    wife, husband = _person(entities, "Святлана Карпенская"), _person(entities, "Сяргей Карпенскі")
    assert len(wife.mentions) == 2
    assert len(husband.mentions) == 1


def test_german_entities_without_capitalised_nouns() -> None:
    text = "Die Bundesregierung traf Kanzler Olaf Brenner in Berlin. Laut Brenner ist die Lage ernst."
    entities, _, _ = _analyse(text, "de")
    person = _person(entities, "Olaf Brenner")
    assert len(person.mentions) == 2
    names = {e.name for e in entities}
    assert "Lage" not in names and "Kanzler Olaf Brenner" not in names


# quotes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "quoted"),
    [
        ("en", "“We will not leave the square,” Anna Lutsko said.", "We will not leave the square"),
        ("en", 'Anna Lutsko said: "We will not leave the square."', "We will not leave the square."),
        ("ru", "«Мы не уйдём с площади», — сказала Анна Луцко.", "Мы не уйдём с площади"),
        ("be", "„Мы не пойдзем з плошчы“, — сказала Ганна Луцко.", "Мы не пойдзем з плошчы"),
        ("pl", "‚Nie odejdziemy z placu‘ – powiedziała Anna Łucko.", "Nie odejdziemy z placu"),
        ("de", "»Wir verlassen den Platz nicht«, sagte Anna Luzko.", "Wir verlassen den Platz nicht"),
        ("en", "‘We will not leave the square,’ Anna Lutsko said.", "We will not leave the square"),
    ],
)
def test_direct_quotes_in_every_style_with_speaker(language: str, text: str, quoted: str) -> None:
    entities, quotes, _ = _analyse(text, language)
    direct = [q for q in quotes if q.direct]
    assert [q.text for q in direct] == [quoted]
    speaker = next(e for e in entities if e.key == direct[0].speaker)
    assert speaker.type == "PER" and speaker.name.split()[0] in ("Anna", "Анна", "Ганна")
    assert text[direct[0].start : direct[0].end] == quoted


def test_a_quoted_name_is_not_a_quotation() -> None:
    _, quotes, _ = _analyse("The channel “Voice of the North” reported the arrests.", "en")
    assert not [q for q in quotes if q.direct]


def test_a_place_inside_the_speakers_phrase_is_not_the_speaker() -> None:
    text = "The fire burned for seven hours, residents of the nearby Dolyna district told reporters."
    entities, quotes, _ = _analyse(text, "en")
    places = {e.key for e in entities if e.type == "LOC"}
    assert quotes and places and all(q.speaker not in places for q in quotes)
    _, quotes, _ = _analyse("Lithuania said the border would stay closed for another week.", "en")
    assert [q.speaker_text for q in quotes] == ["Lithuania"]  # a country that opens the phrase speaks


@pytest.mark.parametrize(("language", "text"), [
    ("ru", "Пожар начался на складе ЗАО «Северный речной порт», сообщил директор Иван Петров."),
    ("uk", "Про затримку зарплати повідомила бухгалтерка ТОВ «Карпатська деревина», заявив Петро Гнатюк."),
    ("be", "Склад таварыства «Палескі лён» згарэў уначы, паведаміў старшыня Янка Мароз."),
])  # fmt: skip
def test_a_company_name_in_marks_beside_a_speech_verb_is_no_quotation(language: str, text: str) -> None:
    _, quotes, _ = _analyse(text, language)
    assert not [q for q in quotes if q.direct]


@pytest.mark.parametrize(
    ("language", "text", "speaker", "clause"),
    [
        (
            "en",
            "Marta Kowalczyk said that the vote had been rigged.",
            "Marta Kowalczyk",
            "the vote had been rigged",
        ),
        (
            "en",
            "According to Marta Kowalczyk, the vote had been rigged.",
            "Marta Kowalczyk",
            "the vote had been rigged",
        ),
        (
            "ru",
            "Игорь Лебедев заявил, что выборы были нечестными.",
            "Игорь Лебедев",
            "выборы были нечестными",
        ),
        (
            "ru",
            "По словам Игоря Лебедева, выборы были нечестными.",
            "Игорь Лебедев",
            "выборы были нечестными",
        ),
        ("be", "Паводле Ігара Лебедзева, выбары былі нячэснымі.", "Ігар Лебедзеў", "выбары былі нячэснымі"),
        ("uk", "Ігор Лебедь заявив, що вибори були нечесними.", "Ігор Лебедь", "вибори були нечесними"),
        ("uk", "За словами Ігоря Лебедя, вибори були нечесними.", "Ігор Лебедь", "вибори були нечесними"),
        (
            "pl",
            "Marta Kowalczyk powiedziała, że wybory były nieuczciwe.",
            "Marta Kowalczyk",
            "wybory były nieuczciwe",
        ),
        (
            "pl",
            "Zdaniem Marty Kowalczyk wybory były nieuczciwe.",
            "Marta Kowalczyk",
            "wybory były nieuczciwe",
        ),
        (
            "de",
            "Marta Köhler sagte, dass die Wahl manipuliert war.",
            "Marta Köhler",
            "die Wahl manipuliert war",
        ),
        ("de", "Laut Marta Köhler war die Wahl manipuliert.", "Marta Köhler", "war die Wahl manipuliert"),
    ],
)
def test_reported_speech_with_named_speaker(language: str, text: str, speaker: str, clause: str) -> None:
    entities, quotes, _ = _analyse(text, language)
    reported = [q for q in quotes if not q.direct]
    assert [q.text for q in reported] == [clause]
    names = {e.key: e.name for e in entities}
    assert names.get(reported[0].speaker or "") == speaker


def test_pronoun_speakers_follow_gender() -> None:
    text = (
        "Olga Shumskaya met Pavel Hrynko in the evening. "
        "“It went well,” she said. “We agreed on nothing,” he said."
    )
    entities, quotes, _ = _analyse(text, "en")
    olga, pavel = _person(entities, "Olga Shumskaya"), _person(entities, "Pavel Hrynko")
    assert [(q.speaker, q.speaker_text) for q in quotes] == [(olga.key, "she"), (pavel.key, "he")]


def test_russian_pronoun_and_verb_gender() -> None:
    text = (
        "Ольга Шумская встретилась с Павлом Гринько. "
        "«Всё прошло хорошо», — сказала она. «Ничего не решили», — сказал он."
    )
    entities, quotes, _ = _analyse(text, "ru")
    olga, pavel = _person(entities, "Ольга Шумская"), _person(entities, "Павел Гринько")
    assert [q.speaker for q in quotes] == [olga.key, pavel.key]


def test_role_phrase_speaker_resolves_to_the_labelled_person() -> None:
    text = (
        "The self-proclaimed president Ruslan Dovbysh met the banker Ivan Lapko on Monday. "
        "The former head of state said that the meeting had been useful."
    )
    entities, quotes, labels = _analyse(text, "en")
    ruslan = _person(entities, "Ruslan Dovbysh")
    reported = [q for q in quotes if not q.direct]
    assert reported[0].speaker == ruslan.key
    assert reported[0].speaker_text == "The former head of state"
    assert "former head of state" in labels[ruslan.key]


# descriptors -----------------------------------------------------------------------------------


def test_english_descriptors_before_and_after_names() -> None:
    text = (
        "Reports said strongman Ruslan Dovbysh met video blogger Ihar Sauchanka. "
        "Ivan Lapko, a banker once seen as the main rival of the regime, was absent. "
        "The head of the electoral commission, Tamara Voitik, declined to comment."
    )
    entities, _, labels = _analyse(text, "en")
    assert labels[_person(entities, "Ruslan Dovbysh").key] == ["strongman"]
    assert labels[_person(entities, "Ihar Sauchanka").key] == ["video blogger"]
    assert labels[_person(entities, "Ivan Lapko").key] == [
        "a banker once seen as the main rival of the regime"
    ]
    assert labels[_person(entities, "Tamara Voitik").key] == ["The head of the electoral commission"]


def test_slavic_descriptors_are_title_words_not_verbs() -> None:
    text = (
        "Вчера заявил оппозиционер Олег Гринько, что уезжает. "
        "Тамара Войтик, председатель комиссии, промолчала."
    )
    entities, _, labels = _analyse(text, "ru")
    assert labels[_person(entities, "Олег Гринько").key] == ["оппозиционер"]
    assert labels[_person(entities, "Тамара Войтик").key] == ["председатель комиссии"]


# speaker rules -----------------------------------------------------------------------------------


def _speakers(text: str, language: str) -> list[tuple[str, str | None]]:
    """(quote text, speaker name) for every quote, in text order."""
    entities, quotes, _ = _analyse(text, language)
    names = {e.key: e.name for e in entities}
    return [(q.text, names.get(q.speaker or "")) for q in quotes]


@pytest.mark.parametrize(
    ("language", "text", "quoted", "speaker"),
    [
        # the attribution inside the marks names the speaker: "«A, — признался X. — B»"
        (
            "ru",
            "«Это была ошибка, — признался Олег Гринько. — Но мы её исправим».",
            "Но мы её исправим",
            "Олег Гринько",
        ),
        # a dialogue dash opening a sentence inside a paragraph
        (
            "pl",
            "Wiosną zalało piwnice. – Woda stała tu tydzień – mówi Jan Kowalski.",
            "Woda stała tu tydzień",
            "Jan Kowalski",
        ),
        # a German separable verb with its particle after the speaker
        ("de", "„Wir haben Fehler gemacht“, gibt Jonas Berger zu.", "Wir haben Fehler gemacht", "Jonas Berger"),
        # a dative name after the verb is the addressee, the name before it the speaker
        ("de", "Marta Köhler sagte Radio Nord: „Wir bleiben hier.“", "Wir bleiben hier.", "Marta Köhler"),
    ],
)
def test_speaker_of_a_direct_quote(language: str, text: str, quoted: str, speaker: str) -> None:
    assert (quoted, speaker) in _speakers(text, language)


def test_quote_paragraph_after_a_quote_keeps_its_speaker() -> None:
    text = "Ivan Petrov runs the shelter in Lviv. “We are full,” he said.\n\n“Nobody has slept for days.”"
    assert _speakers(text, "en")[-1] == ("Nobody has slept for days.", "Ivan Petrov")


def test_dash_dialogue_lines_after_an_attributed_one_keep_the_speaker() -> None:
    text = "Тренер Олег Гринько был зол.\n— Мы проиграли глупо, — сказал он.\n— Виноваты все без исключения."
    assert _speakers(text, "ru")[-1] == ("Виноваты все без исключения.", "Олег Гринько")


@pytest.mark.parametrize(
    ("language", "text", "speaker"),
    [
        ("ru", "Ольга Шумская приехала в Гомель. По её словам, «город стал другим».", "Ольга Шумская"),
        ("ru", "Олег Гринько выступил в парламенте. Его ответ был коротким: «Налоги не вырастут».", "Олег Гринько"),
        ("de", "Jonas Berger sprach im Landtag. Seine Antwort war kurz: „Die Steuern steigen nicht.“", "Jonas Berger"),
    ],
)
def test_pronoun_in_an_attribution_phrase_or_colon_lead(language: str, text: str, speaker: str) -> None:
    assert [s for _, s in _speakers(text, language)] == [speaker]


@pytest.mark.parametrize(
    ("language", "text", "clause", "speaker"),
    [
        (
            "de",
            "Bürgermeister Jonas Berger teilte mit, die Stadt habe 40 Busse gekauft.",
            "die Stadt habe 40 Busse gekauft",
            "Jonas Berger",
        ),
        (
            "de",
            "Die Chefin der Partei, Marta Köhler, sagte der Menge, das Land wache auf.",
            "das Land wache auf",
            "Marta Köhler",
        ),
        (
            "de",
            "Die Preise stiegen im Mai um 3 Prozent, wie das Statistikamt Destatis mitteilte.",
            "Die Preise stiegen im Mai um 3 Prozent",
            "Destatis",
        ),
        (
            "ru",
            "Как сообщила компания «Аэрофлот», из-за тумана задержаны 30 рейсов.",
            "из-за тумана задержаны 30 рейсов",
            "Аэрофлот",
        ),
        ("ru", "Олег Гринько сказал собравшимся, что страна просыпается.", "страна просыпается", "Олег Гринько"),
        (
            "pl",
            "Anna Nowak odwiedziła szpital. Jej zdaniem oddział jest za mały.",
            "oddział jest za mały",
            "Anna Nowak",
        ),
        (
            "en",
            "The ferry had been stuck for a day, according to its captain, Ivan Petrov.",
            "The ferry had been stuck for a day",
            "Ivan Petrov",
        ),
    ],
)
def test_reported_speech_rules(language: str, text: str, clause: str, speaker: str) -> None:
    # the speaker's entity may carry a title the tagger kept ("Statistikamt Destatis")
    assert any(q == clause and speaker in (s or "") for q, s in _speakers(text, language))


def test_pronoun_prefers_the_last_speaker_then_the_previous_subject() -> None:
    text = (
        "Anna Nowak met her coach, Piotr Wiśniewski, in Warsaw. She said that the final would be hard. "
        "He told reporters that she would win."
    )
    assert [s for _, s in _speakers(text, "en")] == ["Anna Nowak", "Piotr Wiśniewski"]


def test_short_capitalised_german_quotation_is_attributed() -> None:
    text = "Jonas Berger nannte die Entscheidung einen »Skandal« und das Votum „ein Zeichen der Schwäche“."
    assert _speakers(text, "de") == [("Skandal", "Jonas Berger"), ("ein Zeichen der Schwäche", "Jonas Berger")]
