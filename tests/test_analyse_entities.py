"""English entity spans and types a reader would check, and the spaCy attribute rules the analysers use.

The sentences are made up for these tests (none is in the labelled or held-out sets).
"""

from __future__ import annotations

from rashomon.analyse.entities import find_entities
from rashomon.analyse.nlp import english_doc, spacy_english
from rashomon.analyse.sentences import split_sentences


def _typed(text: str) -> set[tuple[str, str]]:
    entities = find_entities(text, split_sentences(text, "en"), "en")
    return {(m.text, e.type) for e in entities for m in e.mentions}


def test_nationality_adjectives_are_not_entities_but_the_places_are() -> None:
    found = _typed("Armenian Foreign Minister Davit Sargsyan flew from Yerevan to Azerbaijan on Friday.")
    assert ("Davit Sargsyan", "PER") in found
    assert ("Azerbaijan", "LOC") in found
    assert not any(text == "Armenian" for text, _ in found)


def test_titles_split_an_organisation_from_the_person_it_precedes() -> None:
    found = _typed("The ceremony was opened by OSCE Secretary General Marta Lindqvist in Vienna.")
    assert ("OSCE", "ORG") in found
    assert ("Marta Lindqvist", "PER") in found


def test_two_word_titles_are_cut_from_names() -> None:
    found = _typed("On Monday, Deputy Prime Minister Janusz Kowal met union leaders in Lublin.")
    assert ("Janusz Kowal", "PER") in found
    assert not any("Prime" in text for text, _ in found)


def test_organisation_named_with_of_is_one_entity() -> None:
    found = _typed("Lawyers appealed to the Council of Europe and the Bank of Finland last year.")
    assert ("Council of Europe", "ORG") in found
    assert ("Bank of Finland", "ORG") in found


def test_a_generic_organisation_word_opening_a_sentence_is_no_name() -> None:
    assert _typed("Police said the march was peaceful.") == set()


def test_coarse_tags_match_spacys_attribute_ruler() -> None:
    text = (
        "There are gonna be talks, but nobody said when. It was she who did have the documents, "
        "and those were hers.\n\nThe minister did not comment;  he left Minsk."
    )
    ruled = spacy_english().get_pipe("attribute_ruler")(spacy_english()(text))
    fast = english_doc(text)
    assert [(t.pos_, t.tag_, t.dep_) for t in fast] == [(t.pos_, t.tag_, t.dep_) for t in ruled]


# -- Ukrainian and Russian case forms, legal forms with quoted names (issue #16; invented sentences) -----


def _typed_in(text: str, lang: str) -> set[tuple[str, str]]:
    entities = find_entities(text, split_sentences(text, lang), lang)
    return {(m.text, e.type) for e in entities for m in e.mentions}


def test_legal_form_and_quoted_name_are_one_organisation() -> None:
    found = _typed_in("Минулого тижня ТОВ «Будівельна компанія «Зелений Пагорб» уклало угоду з ПАТ «Карпатвода».", "uk")
    assert ("ТОВ «Будівельна компанія «Зелений Пагорб»", "ORG") in found
    assert ("ПАТ «Карпатвода»", "ORG") in found
    assert not any(text in ("ТОВ", "ПАТ") for text, _ in found)
    assert ("ООО «Северный ветер»", "ORG") in _typed_in("Договор подписало ООО «Северный ветер» в пятницу.", "ru")


def test_dictionary_given_names_in_case_forms_are_people() -> None:
    found = _typed_in("Учора ми зустріли Ірму біля школи, а потім говорили з Михайлиною про свято.", "uk")
    assert ("Ірму", "PER") in found
    assert ("Михайлиною", "PER") in found


def test_ukrainian_places_in_case_forms_and_with_their_region_word() -> None:
    found = _typed_in("Делегація з Харкова приїхала до Києва, а потім до села в Волинській області.", "uk")
    assert ("Харкова", "LOC") in found and ("Києва", "LOC") in found
    assert ("Волинській області", "LOC") in found


def _names_in(text: str, lang: str) -> set[str]:
    return {e.name for e in find_entities(text, split_sentences(text, lang), lang) if e.type == "PER"}


def test_person_names_in_case_forms_get_their_base_form() -> None:
    """The canonical name of an inflected or unknown-first-name mention is its nominative (issue #16)."""
    # an unknown first name: a masculine -цкі surname is already nominative, never made feminine
    text = "«Мы не сыдзем з прычала», — сказаў старшыня прафсаюза Кшыштаф Ламбіцкі."
    assert _names_in(text, "be") == {"Кшыштаф Ламбіцкі"}
    # a known first name in the genitive: both words back to the nominative
    assert _names_in("Суд выслухаў Тараса Кривоноса, а потім Тарас Кривоніс пішов додому.", "uk") == {"Тарас Кривоніс"}


def test_an_acronym_before_a_person_is_not_part_of_the_name() -> None:
    """A spokeswoman's employer written as an acronym before her name stays out of the name (issue #16)."""
    assert _names_in("Кіраўнік PKP PLK Эва Сапежынская паведаміла пра аварыю.", "be") == {"Эва Сапежынская"}
