"""One saying quoted by several outlets in several languages is one quote group, with its speaker.

Every saying, person and outlet here is invented for these tests. The slow test embeds the quotes
with the real models; the others pin the rules on hand-made vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from rashomon.compare import _Doc, _quote_groups, _quote_sentences, _said_vectors, _StoryEntity
from rashomon.models import Analysis, Article, NumberMention, Quote

PEOPLE = {"ent_mz": "Marek Zieliński", "ent_pz": "Piotr Zieliński", "ent_hl": "Hanna Lysenko"}

# (article, language, speaker key in that article, as written, direct, text, saying)
SAID = [
    ("a0", "en", "ent_mz", "Marek Zieliński", True,
     "The bridge will stay closed until the engineers tell us it is safe. Nobody will take risks with people's "
     "lives.", "bridge"),
    ("a0", "en", "ent_mz", "Zieliński", True, "Buses will replace the trams on the river route from Monday.",
     "trams"),
    # a bare surname the linker gave to the mayor's brother: both Zielińskis may have said it
    ("a1", "pl", "ent_pz", "Zieliński", True,
     "Most pozostanie zamknięty, dopóki inżynierowie nie powiedzą nam, że jest bezpieczny.", "bridge"),
    ("a1", "pl", "ent_mz", "prezydent miasta", False,
     "od poniedziałku tramwaje na trasie przez rzekę zastąpią autobusy", "trams"),
    # a Cyrillic spelling the linker left unresolved
    ("a2", "uk", "a2:mz", "Марек Зелінський", True,
     "Міст залишатиметься закритим, доки інженери не скажуть нам, що він безпечний.", "bridge"),
    ("a2", "uk", "ent_hl", "Ганна Лисенко", False, "ліжок у лікарні вистачає, але бракує медсестер", "beds"),
    ("a3", "ru", "ent_mz", "мэр", False, "мост останется закрытым, пока инженеры не признают его безопасным",
     "bridge"),
    ("a3", "ru", "ent_hl", "Лысенко", True, "Коек у нас достаточно, но не хватает медсестёр.", "beds"),
    ("a3", "ru", "ent_hl", "она", True, "Плановые операции мы пока переносим на следующий месяц.", "surgery"),
    ("a4", "de", "ent_mz", "Zieliński", False,
     "die Brücke bleibe gesperrt, bis die Ingenieure sie für sicher erklärten", "bridge"),
    ("a4", "de", "ent_hl", "Hanna Lysenko", True, "Betten haben wir genug, aber uns fehlen Pflegekräfte.", "beds"),
    ("a5", "be", "ent_mz", "Марэк Зяліньскі", True,
     "Мост застанецца закрытым, пакуль інжынеры не скажуць нам, што ён бяспечны.", "bridge"),
    ("a6", "pl", "ent_hl", "Lysenko", True, "Łóżek mamy dość, brakuje nam pielęgniarek.", "beds"),
    # the same language as the mayor's uk words and 0.80-0.82 from them: another saying all the same
    ("a7", "uk", "ent_hl", "Ганна Лисенко", True, "Планові операції ми поки що переносимо на наступний місяць.",
     "surgery"),
]


def _entities() -> dict[str, _StoryEntity]:
    entities = {key: _StoryEntity(id=key, type="PER") for key in PEOPLE}
    for key, name in PEOPLE.items():
        entities[key].names[name] += 1
    entities["a2:mz"] = _StoryEntity(id="a2:mz", type="PER", resolved=False)
    entities["a2:mz"].names["Марек Зелінський"] += 1
    return entities


def _said() -> list[tuple[_Doc, Quote]]:
    out = []
    for article, language, key, written, direct, text, _saying in SAID:
        doc = _Doc(article=Article(id=article, title="", text="", language=language),
                   analysis=Analysis(article, "t"), ids={key: key})
        out.append((doc, Quote(text=text, start=0, end=1, sentence=0, direct=direct, speaker=key,
                               speaker_text=written)))
    return out


def _sayings(groups: list[dict[str, Any]]) -> list[tuple[str | None, list[str]]]:
    """(speaker, sayings of its variants) per group: a right group holds one saying, each once."""
    by_text = {text: saying for *_head, text, saying in SAID}
    return sorted((g["speaker"], sorted(by_text[v["text"]] for v in g["variants"])) for g in groups)


EXPECTED = [
    ("ent_hl", ["beds"] * 4),
    ("ent_hl", ["surgery"] * 2),
    ("ent_mz", ["bridge"] * 6),
    ("ent_mz", ["trams"] * 2),
]


@pytest.mark.slow
def test_sayings_in_six_languages_are_one_group_each_with_the_speaker_they_agree_on() -> None:
    from rashomon.compare import default_embedder

    said = _said()
    quotes = [q for _d, q in said]
    vectors = default_embedder([q.text for q in quotes] + [p for q in quotes for p in _quote_sentences(q)])
    order = {f"a{i}": i for i in range(8)}
    groups = _quote_groups(said, _said_vectors(quotes, vectors, 0, len(quotes)), _entities(), order)
    assert _sayings(groups) == EXPECTED
    bridge = next(g for g in groups if len(g["variants"]) == 6)
    assert bridge["speaker_name"] == "Marek Zieliński"


def _unit(angle: float) -> np.ndarray:
    return np.array([[np.cos(angle), np.sin(angle)]])


def test_a_bare_surname_two_people_bear_does_not_split_a_saying() -> None:
    # 0.82 apart: under the cosine demanded of two different speakers (0.84), above one speaker's (0.81)
    said = [s for s in _said() if s[1].text.startswith(("The bridge", "Most pozostanie"))]
    vectors = [_unit(0.0), _unit(float(np.arccos(0.82)))]
    groups = _quote_groups(said, vectors, _entities(), {"a0": 0, "a1": 1})
    assert [(g["speaker"], len(g["variants"])) for g in groups] == [("ent_mz", 2)]


def test_reported_words_join_the_saying_only_in_aligned_sentences() -> None:
    # the mayor's words reported in German (a4) sit 0.80 from his own (a0), as close as two different
    # reported statements of one person: joined only when the sentences carrying them are aligned
    said = [s for s in _said() if s[1].text.startswith(("The bridge", "die Brücke"))]
    vectors = [_unit(0.0), _unit(float(np.arccos(0.80)))]
    apart = _quote_groups(said, vectors, _entities(), {"a0": 0, "a4": 1})
    assert len(apart) == 2
    statements = [{"id": "s1", "claims": [{"article": "a0", "sentence": 0}, {"article": "a4", "sentence": 0}]}]
    joined = _quote_groups(said, vectors, _entities(), {"a0": 0, "a4": 1}, statements=statements)
    assert [(g["speaker"], len(g["variants"])) for g in joined] == [("ent_mz", 2)]


def test_two_sayings_in_one_language_need_more_than_a_translation() -> None:
    # unnamed speakers, 0.82 apart: the cosine a shared language alone gives two different sayings
    def said(article: str, language: str, text: str) -> tuple[_Doc, Quote]:
        doc = _Doc(article=Article(id=article, title="", text="", language=language), analysis=Analysis(article, "t"),
                   ids={})
        return doc, Quote(text=text, start=0, end=1, sentence=0, direct=True)

    vectors = [_unit(0.0), _unit(float(np.arccos(0.82)))]
    one_language = [said("a0", "uk", "Міст залишатиметься закритим до весни."),
                    said("a1", "uk", "Планові операції ми переносимо на наступний місяць.")]
    assert len(_quote_groups(one_language, vectors, {}, {"a0": 0, "a1": 1})) == 2
    translated = [said("a0", "uk", "Міст залишатиметься закритим до весни."),
                  said("a1", "pl", "Most pozostanie zamknięty do wiosny.")]
    assert len(_quote_groups(translated, vectors, {}, {"a0": 0, "a1": 1})) == 1


def _reported(article: str, language: str, text: str, figure: str) -> tuple[_Doc, Quote]:
    """A spokeswoman's words reported in one article, with the figure analysis read in them."""
    start = text.index(figure)
    number = NumberMention(text=figure, start=start, end=start + len(figure), sentence=0,
                           value=float(figure.replace(",", "")))
    doc = _Doc(article=Article(id=article, title="", text=text, language=language),
               analysis=Analysis(article, "t", numbers=[number]), ids={"ent_hl": "ent_hl"})
    return doc, Quote(text=text, start=0, end=len(text), sentence=0, direct=False, speaker="ent_hl",
                      speaker_text="Hanna Lysenko")


def test_figures_in_two_quotes_tell_one_saying_from_two() -> None:
    entities = _entities()
    order = {"a0": 0, "a1": 1}
    # 0.80 apart, as close as two different reported statements of one person
    vectors = [_unit(0.0), _unit(float(np.arccos(0.80)))]
    same = [_reported("a0", "en", "the hospital had postponed 140 planned operations", "140"),
            _reported("a1", "de", "das Krankenhaus habe 140 geplante Eingriffe verschoben", "140")]
    assert [len(g["variants"]) for g in _quote_groups(same, vectors, entities, order)] == [2]
    # 0.83 apart and their sentences aligned, but a running total is not one day's figure
    vectors = [_unit(0.0), _unit(float(np.arccos(0.83)))]
    other = [_reported("a0", "en", "1,120 patients had been moved to other hospitals since Friday", "1,120"),
             _reported("a1", "pl", "tylko w niedzielę przewieziono 260 pacjentów", "260")]
    statements = [{"id": "s1", "claims": [{"article": "a0", "sentence": 0}, {"article": "a1", "sentence": 0}]}]
    assert len(_quote_groups(other, vectors, entities, order, statements=statements)) == 2


# -- an outlet as the source ("according to the channel «X»") -------------------------------------------


@pytest.mark.parametrize(("language", "text", "outlet", "said"), [
    ("en", "According to the news channel “Harbour Wire”, Oleg Brandt talked with the dock workers to hear all "
           "their complaints.", "Harbour Wire", "Oleg Brandt talked"),
    ("ru", "Согласно данным телеграм-канала «Портовый вестник», Олег Брандт говорил с докерами, чтобы выслушать "
           "все жалобы.", "Портовый вестник", "Олег Брандт говорил"),
    ("be", "Паводле тэлеграм-канала «Партовы веснік», Алег Брандт размаўляў з докерамі, каб выслухаць усе "
           "скаргі.", "Партовы веснік", "Алег Брандт размаўляў"),
    ("uk", "За даними телеграм-каналу «Портовий вісник», Олег Брандт говорив з докерами, щоб вислухати всі "
           "скарги.", "Портовий вісник", "Олег Брандт говорив"),
    ("pl", "Według portalu „Wiadomości Portowe”, Oleg Brandt rozmawiał z dokerami, aby wysłuchać wszystkich "
           "skarg.", "Wiadomości Portowe", "Oleg Brandt rozmawiał"),
    ("de", "Laut dem Sender „Hafenfunk“ sprach Oleg Brandt mit den Hafenarbeitern, um alle Beschwerden "
           "anzuhören.", "Hafenfunk", "sprach Oleg Brandt"),
    ("de", "Nach Angaben der Zeitung „Nordkurier“ hat Oleg Brandt mit den Hafenarbeitern gesprochen, um alle "
           "Beschwerden zu hören.", "Nordkurier", "hat Oleg Brandt"),
])
def test_according_to_an_outlet_the_outlet_is_the_source(language: str, text: str, outlet: str, said: str) -> None:
    from rashomon.analyse import analyse
    from rashomon.analyse.quotes import names_organisation

    analysis = analyse(Article(id="o", title="", text=text, language=language, source="s"))
    reported = [q for q in analysis.quotes if q.text.startswith(said)]
    assert reported, [q.text for q in analysis.quotes]
    assert outlet in (reported[0].speaker_text or "")  # named as the outlet, not as the person in the clause
    assert names_organisation(reported[0].speaker_text or "", language)
    assert not [q for q in analysis.quotes if q.direct and outlet in q.text]  # its name is no quotation


def test_a_channels_report_is_not_a_persons_saying() -> None:
    """A person's reported saying and a channel's report of the same meeting, close in wording (0.85),
    stay apart; one saying relayed word for word by an outlet (0.95) is one group."""
    entities = {"ent_ob": _StoryEntity(id="ent_ob", type="PER"),
                "a1:hw": _StoryEntity(id="a1:hw", type="PER", resolved=False)}  # the tagger's mistake
    entities["ent_ob"].names["Oleg Brandt"] += 1
    entities["a1:hw"].names["Harbour Wire"] += 1

    def doc(article_id: str, key: str) -> _Doc:
        return _Doc(article=Article(id=article_id, title="", text="", language="en"),
                    analysis=Analysis(article_id, "t"), ids={key: key})

    said = [
        (doc("a0", "ent_ob"), Quote(text="the mayor was forced to meet the dockers", start=0, end=1, sentence=0,
                                    direct=False, speaker="ent_ob", speaker_text="Brandt")),
        (doc("a1", "a1:hw"), Quote(text="the mayor met the dockers to hear them out", start=0, end=1, sentence=0,
                                   direct=False, speaker="a1:hw", speaker_text="the channel “Harbour Wire”")),
    ]
    one = np.array([1.0, 0.0])
    for cosine, groups in ((0.85, 2), (0.95, 1)):
        vectors = np.vstack([one, [cosine, np.sqrt(1 - cosine**2)]])
        found = _quote_groups(said, list(vectors[:, None, :]), entities, {"a0": 0, "a1": 1})
        assert len(found) == groups
        person = [g for g in found if g["speaker"] == "ent_ob"]
        assert person and person[0]["variants"][0]["article"] == "a0"
    apart = _quote_groups(said, list(np.vstack([one, [0.85, np.sqrt(1 - 0.85**2)]])[:, None, :]), entities,
                          {"a0": 0, "a1": 1})
    assert {g["speaker_name"] for g in apart} == {"Oleg Brandt", "Harbour Wire"}
