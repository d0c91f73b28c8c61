"""Base forms of place names, transcription keys and Polish given names across scripts (issue #16).

Place and person names are made up for these tests (none is in the labelled or held-out sets); the
few real towns are there because the place tables know them.
"""

from __future__ import annotations

import pytest

from rashomon.analyse.entities import find_entities
from rashomon.analyse.sentences import split_sentences
from rashomon.entities import EntityRecord, resolve
from rashomon.names import given_groups, name_keys, to_ascii, word_key
from rashomon.place_forms import place_base_form


@pytest.mark.parametrize(
    ("oblique", "language", "nominative"),
    [
        ("Modrzewicy", "pl", "Modrzewica"),  # invented towns: the ending alone tells the nominative
        ("Modrzewicą", "pl", "Modrzewica"),
        ("Kamionkowie", "pl", "Kamionków"),
        ("Zagórzanciu", "pl", "Zagórzancie"),
        ("Gdańsku", "pl", "Gdańsk"),  # an ambiguous ending, settled by the place tables
        ("Ляснічыцы", "be", "Ляснічыца"),
        ("Ляснічыцай", "be", "Ляснічыца"),
        ("Гродне", "be", "Гродна"),
        ("Гродне", "ru", "Гродно"),
        ("Липовому", "uk", "Липове"),  # Ukrainian and Russian through the pymorphy3 dictionaries
        ("Зарічному", "uk", "Зарічне"),
        ("Тернопільщині", "uk", "Тернопільщина"),
        ("Тернополі", "uk", "Тернопіль"),
    ],
)
def test_place_names_in_an_oblique_case_find_their_nominative(oblique: str, language: str, nominative: str) -> None:
    assert place_base_form(oblique, language=language) == nominative


@pytest.mark.parametrize(
    ("name", "language"),
    [("Modrzewica", "pl"), ("Warszawa", "pl"), ("Липове", "uk"), ("Berlin", "de"), ("Nowa Huta", "pl")],
)
def test_nominatives_and_other_names_stay_as_written(name: str, language: str) -> None:
    assert place_base_form(name, language=language) == name


def test_an_article_names_a_town_it_only_mentions_in_the_locative_by_its_nominative() -> None:
    pl = "Wczoraj w Modrzewicy otwarto nowy most. Mieszkańcy Modrzewicy czekali na niego dwa lata."
    uk = "Вчора у Липовому відкрили новий міст. Жителі чекали на нього два роки."
    for text, lang, town in ((pl, "pl", "Modrzewica"), (uk, "uk", "Липове")):
        places = [e for e in find_entities(text, split_sentences(text, lang), lang) if e.type == "LOC"]
        assert [e.name for e in places] == [town]


def _rec(rid: str, name: str, lang: str, type: str = "LOC") -> EntityRecord:
    return EntityRecord(id=rid, type=type, name=name, language=lang, article_id=rid.split(":")[0])


def _owners(records: list[EntityRecord]) -> dict[str, str]:
    return {rid: e.id for e in resolve(records) for rid in e.record_ids}


def test_an_oblique_polish_town_meets_its_cyrillic_forms_and_stays_apart_from_another() -> None:
    owner = _owners([
        _rec("a1:e1", "Kęprowicy", "pl"),  # "w Kęprowicy": locative, Polish nasal ę
        _rec("a2:e1", "Кемпровица", "ru"),
        _rec("a3:e1", "Кемпровіца", "be"),
        _rec("a4:e1", "Kęprowa", "pl"),  # another place with a like beginning
    ])  # fmt: skip
    assert owner["a1:e1"] == owner["a2:e1"] == owner["a3:e1"]
    assert owner["a4:e1"] != owner["a1:e1"]


@pytest.mark.parametrize(
    "forms",
    [
        ("Tschornobajiwka", "Chornobaivka", "Чорнобаївка"),  # invented-style village names
        ("Sawtschenkiwka", "Savchenkivka", "Савченківка"),
        ("Jewhenija", "Yevheniia", "Євгенія"),
        ("Schtschyrez", "Shchyrets", "Щирець"),
        ("Schostakowytschi", "Szostakowycze", "Shostakovychi", "Шостаковичі"),
    ],
)
def test_german_polish_and_english_transcriptions_share_the_word_key(forms: tuple[str, ...]) -> None:
    assert len({word_key(f) for f in forms}) == 1


def test_german_transcription_meets_the_english_one_in_the_name_skeleton() -> None:
    german = name_keys("Ostap Hrabowezkyj", "PER", language="de")
    english = name_keys("Ostap Hrabovetskyi", "PER", language="en")
    ukrainian = name_keys("Остап Грабовецький", "PER", language="uk")
    assert german.surname_skeleton == english.surname_skeleton == ukrainian.surname_skeleton


def test_polish_given_names_keep_their_group_and_gender_in_every_script() -> None:
    assert given_groups(to_ascii("Баляслаў")) == given_groups(to_ascii("Bolesław")) == {"Bolesław"}
    assert given_groups(to_ascii("Рышард")) == given_groups(to_ascii("Ryszard")) == {"Ryszard"}
    assert name_keys("Sylwia Wierzbicka", "PER", language="pl").given_gender == "f"
    assert name_keys("Сільвія Вербицька", "PER", language="uk").given_gender == "f"


def test_a_polish_name_in_belarusian_and_russian_is_one_person_and_a_relative_is_not() -> None:
    owner = _owners([
        _rec("b1:e1", "Mieczysław Zawierucha", "pl", "PER"),
        _rec("b2:e1", "Мечыслаў Завяруха", "be", "PER"),
        _rec("b3:e1", "Мечислав Заверуха", "ru", "PER"),
        _rec("b4:e1", "Czesław Zawierucha", "pl", "PER"),
    ])  # fmt: skip
    assert owner["b1:e1"] == owner["b2:e1"] == owner["b3:e1"]
    assert owner["b4:e1"] != owner["b1:e1"]


def test_a_german_article_finds_ukrainian_people_by_the_cross_language_given_names() -> None:
    text = (
        "Der Minister für Jugend, Ostap Hrabowezkyj, ist zurückgetreten. An der Baufirma war zeitweise "
        "Solomija Bilyk beteiligt. Der Roman Neue Welt erschien im Frühjahr."
    )
    people = {e.name for e in find_entities(text, split_sentences(text, "de"), "de") if e.type == "PER"}
    assert people == {"Ostap Hrabowezkyj", "Solomija Bilyk"}


@pytest.mark.parametrize(
    ("text", "lang", "place"),
    [
        ("W miejscowości Kępowo zginął mężczyzna.", "pl", "Kępowo"),
        ("Аварыя здарылася каля горада Ляснічыца ў нядзелю.", "be", "Ляснічыца"),
        ("Рівень води в річці Іршава піднявся за ніч.", "uk", "Іршава"),
    ],
)
def test_a_name_after_a_word_for_town_or_river_is_a_place(text: str, lang: str, place: str) -> None:
    found = {(e.name, e.type) for e in find_entities(text, split_sentences(text, lang), lang)}
    assert (place, "LOC") in found
