"""Multi-word names in Ukrainian, Belarusian and Russian news that the word-run rules used to cut short:
organisation names with their genitive words, names in quotation marks, place adjectives with their
region or landmark noun, streets, towns after prepositions of motion.

The sentences are made up for these tests (none is in the labelled or held-out sets).
"""

from __future__ import annotations

import pytest

from rashomon.analyse.entities import find_entities
from rashomon.analyse.sentences import split_sentences


def _typed(text: str, lang: str) -> set[tuple[str, str]]:
    entities = find_entities(text, split_sentences(text, lang), lang)
    return {(m.text, e.type) for e in entities for m in e.mentions}


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("uk", "Проєкт погодило Міністерство охорони довкілля України, повідомив речник.",
     "Міністерство охорони довкілля України"),
    ("uk", "Депутат від Партії рівних можливостей голосував проти.", "Партії рівних можливостей"),
    ("uk", "Позов подали до Господарського суду Волинської області.", "Господарського суду Волинської області"),
    ("be", "Ліст накіравалі ў Міністэрства аховы здароўя Беларусі на мінулым тыдні.",
     "Міністэрства аховы здароўя Беларусі"),
    ("ru", "Документ подписал глава Министерства природных ресурсов России вчера.",
     "Министерства природных ресурсов России"),
])  # fmt: skip
def test_an_organisation_word_takes_its_genitive_words_and_country(lang: str, text: str, name: str) -> None:
    found = _typed(text, lang)
    assert (name, "ORG") in found
    assert not any(t == "LOC" for _, t in found)  # the country is part of the name, not a place of its own


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("uk", "Рішення ухвалила сесія Вербичанської сільської ради у вівторок.", "Вербичанської сільської ради"),
    ("uk", "Кошти повернула Заболотівська селищна рада.", "Заболотівська селищна рада"),
    ("be", "Пра гэта паведаміў Лідскі раённы савет.", "Лідскі раённы савет"),
])  # fmt: skip
def test_adjectives_before_a_lowercase_organisation_word_are_one_name(lang: str, text: str, name: str) -> None:
    found = _typed(text, lang)
    assert (name, "ORG") in found
    assert not any(t == "PER" for _, t in found)


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("uk", "Підряд на ремонт отримала фірма «Зорепад» із Вінниці.", "Зорепад"),
    ("uk", "Засновником є НВФ «Астролит», яку зареєстрували торік.", "НВФ «Астролит»"),
    ("uk", "Договір уклали з «Будівельна компанія «Лелека» минулого року.", "Будівельна компанія «Лелека»"),
    ("ru", "Заказ выполнила «Строительная компания «Журавль» в срок.", "Строительная компания «Журавль»"),
    ("be", "Заказ атрымала таварыства «Рунасвет» з Гомеля.", "Рунасвет"),
])  # fmt: skip
def test_a_name_in_quotation_marks_is_an_organisation(lang: str, text: str, name: str) -> None:
    assert (name, "ORG") in _typed(text, lang)


def test_quoted_speech_and_titles_are_no_organisation() -> None:
    found = _typed("Він сказав: «Повернуся до Львова за тиждень», а закон «Про місцеві податки» змінили.", "uk")
    assert not any(t == "ORG" for _, t in found)


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("uk", "Нові автобуси передали Хмельницькій області вчора.", "Хмельницькій області"),
    ("uk", "Крамниця стоїть по вул. Соняшниковій біля школи.", "вул. Соняшниковій"),
    ("ru", "Офис находится на ул. Черёмуховой в центре.", "ул. Черёмуховой"),
    ("uk", "Зранку ми гуляли на Кленовому узвозі з друзями.", "Кленовому узвозі"),
    ("uk", "Щоранку автобус їде до Тернополя через поле.", "Тернополя"),
    ("be", "Аўтобус ішоў да Ліды праз лес.", "Ліды"),
])  # fmt: skip
def test_places_with_their_region_street_or_landmark_word(lang: str, text: str, name: str) -> None:
    found = _typed(text, lang)
    assert (name, "LOC") in found
    assert not any(t == "PER" for _, t in found)


def test_a_capitalised_pronoun_or_adverb_is_no_person() -> None:
    found = _typed("Таким чином рада втратила кворум. Відтак засідання перенесли.", "uk")
    assert not any(t == "PER" for _, t in found)


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("en", "Officials said the Mureva river and its tributaries rose by two metres.", "Mureva"),
    ("en", "Water in the Tisova river rose again, said the Brodiv district council.", "Tisova"),
    ("uk", "Нічний потяг Ковель — Щецин затримався на дві години.", "Щецин"),
    ("uk", "Аварія сталася в Люблінському воєводстві вранці.", "Люблінському воєводстві"),
    ("pl", "Wczoraj padało. Miasto Krosnów leży nad rzeką.", "Krosnów"),
    ("de", "Im Bezirk Horliw stehen nach dem Regen noch 40 Häuser unter Wasser.", "Horliw"),
])  # fmt: skip
def test_a_town_or_river_the_model_or_the_rules_mistyped_is_a_place(lang: str, text: str, name: str) -> None:
    assert (name, "LOC") in _typed(text, lang)


def test_a_court_keeps_its_town_apart_unless_an_abbreviation_ties_it() -> None:
    found = _typed("Жалобу рассмотрел Заводской районный суд Лиды в понедельник.", "ru")
    assert {("Заводской районный суд", "ORG"), ("Лиды", "LOC")} <= found
    found = _typed("Справу слухав Печерський районний суд м. Києва у вівторок.", "uk")
    assert ("Печерський районний суд м. Києва", "ORG") in found


@pytest.mark.parametrize(("lang", "text"), [
    ("uk", "Про це писали ЗМІ, а ставка ПДВ не змінилася."),
    ("ru", "Об этом сообщили СМИ в пятницу."),
    ("uk", "Згодом суддя відклав засідання."),
    ("uk", "Компанією керує нова рада директорів."),
    ("be", "Кампаніяй кіруе новы дырэктар."),
])  # fmt: skip
def test_common_abbreviations_and_generic_words_at_a_sentence_start_are_no_organisation(lang: str, text: str) -> None:
    assert not any(t == "ORG" for _, t in _typed(text, lang))


def test_a_given_name_and_a_surname_in_one_oblique_case_are_a_person() -> None:
    # "Марини" reads first as the noun "marina"; its reading as the name agrees in case with the surname
    found = _typed("Лист надійшов від Марини Карафорової, яка очолює спілку садівників.", "uk")
    assert ("Марини Карафорової", "PER") in found


def test_settlement_abbreviations_and_street_lists_name_places() -> None:
    found = _typed("Дорогу до смт Зеленопілля відкрили.", "uk")
    assert ("Зеленопілля", "LOC") in found
    found = _typed("Нові ліхтарі поставили на вул. Липова, вул. Садова і біля школи.", "uk")
    assert {("вул. Липова", "LOC"), ("вул. Садова", "LOC")} <= found
    assert not any(t == "PER" for _, t in found)


@pytest.mark.parametrize(("lang", "text", "names"), [
    ("uk", "Найгірше було у Львові, Добрянці та Соснівці.", ["Добрянці", "Соснівці"]),
    ("pl", "Woda zalała Przemyśl, Lipnicę i Dąbrówkę.", ["Lipnicę", "Dąbrówkę"]),
])  # fmt: skip
def test_unknown_names_listed_with_a_place_are_places(lang: str, text: str, names: list[str]) -> None:
    found = _typed(text, lang)
    assert all((name, "LOC") in found for name in names)
