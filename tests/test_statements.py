"""A statement reads as one: a clause cut out of a sentence keeps who it is about (issue #15).

Every sentence here is invented for these tests (people, places, outlets), in en/ru/be/uk/pl/de.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rashomon.render import to_html, to_markdown
from rashomon.statements import clauses
from rashomon.store import Store, open_store

from .conftest import validate
from .test_compare_facts import _story


def _span(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


def _texts(text: str, language: str, *, people: tuple[str, ...] = ()) -> list[str]:
    return [c.text for c in clauses(text, language, people=[_span(text, p) for p in people])]


@pytest.mark.parametrize(("language", "text", "name", "clause"), [
    ("en", "Marta Olszewska, who has lived in Tallinn since the spring, wrote on her blog on Monday that the "
           "court had ignored every witness.", "Marta Olszewska",
     "Marta Olszewska, who has lived in Tallinn since the spring"),
    ("ru", "Глеб Ковалёв, который уже полгода живёт в Риге, написал в понедельник, что суд не выслушал ни "
           "одного свидетеля.", "Глеб Ковалёв", "Глеб Ковалёв, который уже полгода живёт в Риге"),
    ("be", "Алесь Шымко, які з вясны жыве ў Вільні, напісаў у панядзелак, што суд не выслухаў ніводнага "
           "сведкі.", "Алесь Шымко", "Алесь Шымко, які з вясны жыве ў Вільні"),
    ("uk", "Оксана Гнатюк, яка з весни мешкає у Кракові, написала в понеділок, що суд не вислухав жодного "
           "свідка.", "Оксана Гнатюк", "Оксана Гнатюк, яка з весни мешкає у Кракові"),
    ("pl", "Tomasz Wrona, który od wiosny mieszka w Wilnie, napisał w poniedziałek, że sąd nie wysłuchał "
           "żadnego świadka.", "Tomasz Wrona", "Tomasz Wrona, który od wiosny mieszka w Wilnie"),
    ("de", "Jonas Keller, der seit dem Frühjahr in Riga lebt, schrieb am Montag, das Gericht habe keinen "
           "einzigen Zeugen angehört.", "Jonas Keller", "Jonas Keller, der seit dem Frühjahr in Riga lebt"),
])
def test_a_relative_clause_keeps_the_name_it_is_about(language: str, text: str, name: str, clause: str) -> None:
    found = clauses(text, language, people=[_span(text, name)])
    assert [c.text for c in found][1] == clause
    assert found[1].about == (_span(text, name),)  # aligned only with a sentence naming that person
    assert found[0].text.startswith(name)  # the main clause keeps its subject too


def test_an_apposition_keeps_the_person() -> None:
    text = ("The photo shows the defendants at a long table with Pavel Zorin, a lawyer once seen as the "
            "strongest candidate for the post but who was barred from the vote.")
    assert _texts(text, "en", people=("Pavel Zorin",))[1].startswith("Pavel Zorin, a lawyer once seen")


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The old ferry across the lake, which was repaired over the winter at great cost, sank again in "
           "the storm on Sunday."),
    ("ru", "Старый мост через реку, который ремонтировали всю зиму за большие деньги, снова закрыли после "
           "бури в воскресенье."),
    ("de", "Die alte Fähre über den See, die im Winter für viel Geld repariert wurde, ist am Sonntag im "
           "Sturm wieder gesunken."),
    # a place before the pronoun is not what the clause is about: the drivers are
    ("pl", "Na przejściu granicznym od rana czekało kilkudziesięciu kierowców z Łotwy, którzy wieźli drewno do "
           "tartaku pod Suwałkami."),
])
def test_a_relative_clause_without_a_name_before_it_stays_in_its_sentence(language: str, text: str) -> None:
    assert len(clauses(text, language)) == 1


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The reporter wrote that she did not know what had been agreed in the talks, but claimed that the "
           "results would show within weeks."),
    ("ru", "Журналистка написала, что не знает, о чём договорились на переговорах, но заявила, что результаты "
           "станут видны через несколько недель."),
    ("be", "Журналістка напісала, што не ведае, пра што дамовіліся на перамовах, але заявіла, што вынікі будуць "
           "бачныя праз некалькі тыдняў."),
    ("uk", "Журналістка написала, що не знає, про що домовилися на переговорах, але заявила, що результати "
           "буде видно за кілька тижнів."),
    ("pl", "Dziennikarka napisała, że nie wie, co ustalono podczas rozmów, ale stwierdziła, że wyniki będzie "
           "widać za kilka tygodni."),
    ("de", "Die Reporterin schrieb, sie wisse nicht, was bei den Gesprächen vereinbart wurde, aber betonte, "
           "dass die Ergebnisse in wenigen Wochen sichtbar würden."),
])
def test_a_second_predicate_without_its_own_subject_is_not_cut_off(language: str, text: str) -> None:
    assert _texts(text, language) == [" ".join(text.split())]


@pytest.mark.parametrize(("language", "text", "second"), [
    ("en", "The mayor opened the new bridge over the river on Friday morning, but the road to it is still "
           "closed to trucks.", "The road to it is still closed to trucks."),
    ("ru", "Мэр открыл новый мост через реку в пятницу утром, но дорога к нему всё ещё закрыта для "
           "грузовиков.", "Дорога к нему всё ещё закрыта для грузовиков."),
    ("pl", "Burmistrz otworzył nowy most na rzece w piątek rano, ale droga do niego wciąż jest zamknięta "
           "dla ciężarówek.", "Droga do niego wciąż jest zamknięta dla ciężarówek."),
])
def test_a_second_clause_with_its_own_subject_is_still_its_own_statement(language: str, text: str,
                                                                         second: str) -> None:
    assert _texts(text, language)[1] == second


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Regional television reported that the governor toured the flooded villages along the river on "
           "Sunday -- supposedly to inspect the new dams."),
    ("en", "Saturday also saw another march through the old town of Kaunas -- a weekly event in which "
           "pensioners carry candles and banners."),
    ("ru", "Местное телевидение сообщило, что губернатор в воскресенье объехал затопленные сёла вдоль реки — "
           "якобы для осмотра новых дамб."),
])
def test_a_phrase_after_a_dash_stays_with_its_clause(language: str, text: str) -> None:
    assert len(clauses(text, language)) == 1


# -- what a user reads --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shelter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Any]]]:
    """A two-article story whose sentences hold a relative clause, an apposition, a subject-less
    second predicate and a dash before a phrase."""
    sides = [
        ("en", "Volunteers reopened the animal shelter in Narva on Tuesday after a week of repairs to its "
               "roof. Irena Mets, who has run the shelter since 2015, told reporters that the city had paid "
               "for the repairs. The volunteers said they had found new homes for forty dogs, but declined to "
               "name the families who took them. The city council met on Wednesday -- ostensibly to discuss "
               "the budget for next year."),
        ("en", "The animal shelter in Narva opened its doors again on Tuesday after the roof was repaired. "
               "Its head, Irena Mets, said the city covered the cost of the work. Forty dogs have been given "
               "to new owners since the spring, the volunteers said."),
    ]
    with open_store(str(Path(tmp_path_factory.mktemp("shelter")) / "s.db")) as store:
        yield store, _story(store, "shelter", *sides)


def test_no_statement_shown_is_a_fragment(shelter: tuple[Store, dict[str, Any]], schemas: dict[str, Any]) -> None:
    _store, result = shelter
    validate(result, "compare.schema.json", schemas)
    texts = [c["text"] for s in result["statements"] for c in s["claims"]]
    fragments = ("who ", "declined ", "ostensibly ")
    assert not [t for t in texts if t.startswith(fragments)]
    assert any(t.startswith("Irena Mets, who has run the shelter") for t in texts)
    rendered = to_markdown(result) + to_html(result)
    for fragment in ("\n- who ", "\n- declined ", "\n- ostensibly ", "<li>who ", "<li>declined "):
        assert fragment not in rendered


# -- "only in SOURCE: X" under an aligned statement ------------------------------------------------------


def test_only_in_notes_name_what_the_other_sources_really_lack() -> None:
    from rashomon.compare import _Claim, _details

    def claim(article: str, text: str, entities: dict[str, str]) -> _Claim:
        return _Claim(article=article, sentence=0, text=text, entities=entities, numbers=[], dates=[], negated=False)

    left = claim("a0", "Mayor Olena Dzyuba met the dock workers in the port of Izmail on Monday.",
                 {"ent_od": "PER", "ent_iz": "LOC"})
    right = claim("a1", "Olena Dzyuba, her deputy Borys Kuts and his wife Vira Kuts met the dockers on Monday, the "
                        "channel “Dawn of the Port” and Wieczorny Kurier wrote; Ivan Mel was there too.",
                  {"ent_od": "PER", "ent_bk": "PER", "ent_vk": "PER", "ent_port": "PER", "ent_dawn": "MISC",
                   "ent_wk": "PER", "ent_im": "PER"})
    names = {"ent_od": "Olena Dzyuba", "ent_iz": "Izmail", "ent_bk": "Borys Kuts", "ent_vk": "Vira Kuts",
             "ent_port": "Port",
             "ent_wk": "Wieczornego Kuriera", "ent_im": "Ivan Mel"}
    spellings = {"ent_od": frozenset({"olena dzyuba"}), "ent_iz": frozenset({"izmail"}),
                 "ent_bk": frozenset({"borys kuts", "kuts"}), "ent_vk": frozenset({"vira kuts", "kuts"}),
                 "ent_port": frozenset({"port"}),
                 "ent_dawn": frozenset({"dawn of the port"}), "ent_wk": frozenset({"wieczornego kuriera"}),
                 "ent_im": frozenset({"ivan mel", "mel"})}
    # a1 is itself published by "Wieczorny Kurier"; a0 names Ivan Mel only by his other spelling
    left.text += " Ivan Mel, the port's director, joined them."
    by_article = {"a0": [left], "a1": [right]}
    named = {"a0": {"ent_od", "ent_iz"}, "a1": set(right.entities)}
    labels = {"a0": "Izmail Today", "a1": "Wieczorny Kurier"}
    notes = {c.article: note for c, note, _f in _details([left, right], by_article, named, names, labels,
                                                          spellings=spellings)}
    # not "Port", the outlet, nor Ivan Mel; a surname two people bear hides neither
    assert notes["a1"] == "only in Wieczorny Kurier: Borys Kuts, Vira Kuts"
    assert notes["a0"] == "only in Izmail Today: Izmail"  # a place, though the outlet's name holds it
