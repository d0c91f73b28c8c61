"""A conflict is the same fact with incompatible values: the error classes of issue #15.

Every fixture here is invented for these tests (people, outlets, figures), in en/ru/be/uk/pl/de. The
two-article stories go through the real analysis and the real embedders; the name and quote rules are
also checked on hand-built inputs, so each class is pinned down whatever the models score.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rashomon.analyse import analyse
from rashomon.analyse.sentences import split_sentences
from rashomon.compare import (
    _adjective,
    _Claim,
    _claims,
    _Doc,
    _doc,
    _name_conflicts,
    _one_spelling,
    _quote_groups,
    _StoryEntity,
    compare_story,
)
from rashomon.models import Analysis, Article, Entity, Mention, Quote, Sentence, Story
from rashomon.render import to_html, to_markdown
from rashomon.statements import clauses
from rashomon.store import Store, open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(str(Path(tmp_path_factory.mktemp("facts")) / "facts.db")) as opened:
        yield opened


def _story(store: Store, name: str, *sides: tuple[str, str]) -> dict[str, Any]:
    """Compare a story of one short article per (language, text)."""
    ids = []
    for number, (language, text) in enumerate(sides):
        article = Article(id=f"{name}{number}", title="", text=text, language=language,
                          source=f"outlet {number}", published="2025-03-11")
        with store.transaction():
            store.insert_article(article, fingerprint=article.id, bands=[])
            store.save_analysis(analyse(article))
        ids.append(article.id)
    with store.transaction():
        store.save_story(Story(id=name, title=name, event_date=None))
        for article_id in ids:
            store.assign_article(article_id, name)
    return compare_story(store, name)


def _conflicts(result: dict[str, Any]) -> list[str]:
    return [str(s["note"]) for s in result["statements"] if s["status"] == "conflict"]


# -- different facts that share a unit ------------------------------------------------------------


@pytest.mark.slow
def test_requested_and_imposed_terms_are_different_facts(store: Store) -> None:
    result = _story(
        store, "terms",
        ("ru", "Прокурор просил для фермера Олега Руденко восемь лет колонии. "
               "Суд приговорил Руденко к шести годам колонии."),
        ("pl", "Sąd skazał rolnika Olega Rudenkę na sześć lat kolonii karnej, prokurator żądał ośmiu lat."),
    )
    assert not any("8" in note and "6" in note for note in _conflicts(result)), _conflicts(result)


@pytest.mark.slow
def test_daily_figure_is_not_set_against_a_running_total(store: Store) -> None:
    result = _story(
        store, "evacuated",
        ("uk", "Лише за четвер рятувальники вивезли з підтоплених сіл 280 людей."),
        ("en", "Since Monday, about 1,900 people have been evacuated from the flooded villages."),
    )
    assert _conflicts(result) == []


@pytest.mark.slow
def test_ages_are_compared_only_with_ages(store: Store) -> None:
    result = _story(
        store, "ages",
        ("ru", "Суд приговорил 41-летнего журналиста Петра Ивашко к трём годам колонии."),
        ("en", "The court sentenced journalist Petr Ivashko, 44, to three years in a penal colony."),
    )
    notes = _conflicts(result)
    assert any("41" in n and "44" in n for n in notes), notes
    children = _story(
        store, "children",
        ("de", "Der Angeklagte muss für vier Jahre in Haft. Seine Töchter sind zwei und fünf Jahre alt."),
        ("be", "Суд асудзіў абвінавачанага на чатыры гады зняволення."),
    )
    assert not any("2" in n or "5" in n for n in _conflicts(children)), _conflicts(children)


def _numbers(language: str, text: str) -> list[float]:
    article = Article(id="n", title="", text=text, language=language, published="2025-03-11")
    doc = _doc(article, analyse(article), {})
    return [n.value for c in _claims(doc) for n in c.numbers]


def test_clock_times_and_code_articles_are_not_counts() -> None:
    assert 4.3 not in _numbers("pl", "Pożar magazynu w Kaliszu wybuchł o godz. 4.30, ewakuowano 43 osoby.")
    assert 230.0 not in _numbers("en", "The ferry left Tallinn at 0230 GMT with 180 passengers on board.")
    assert 342.0 not in _numbers("ru", "Его обвинили по ст. 342 ч. 2 Уголовного кодекса, ему грозит до пяти лет.")
    assert 180.0 in _numbers("en", "The ferry left Tallinn at 0230 GMT with 180 passengers on board.")
    assert 43.0 in _numbers("pl", "Pożar magazynu w Kaliszu wybuchł o godz. 4.30, ewakuowano 43 osoby.")


# -- names that are not in conflict ---------------------------------------------------------------


def _claim(article: str, entities: dict[str, str]) -> _Claim:
    return _Claim(article=article, sentence=0, text="x", entities=entities, numbers=[], dates=[], negated=False)


def test_name_conflicts_need_one_unshared_slot_of_one_type() -> None:
    names = {"p1": "Chełm", "p2": "Zamość", "p3": "Lublin", "o1": "Straż Graniczna", "h1": "Marta Wójcik",
             "a1": "Беларускія", "p4": "Хелм"}
    # the crash happened near X vs near Y, the region named in both: a conflict
    near_x = _claim("a", {"p1": "LOC", "p3": "LOC"})
    near_y = _claim("b", {"p2": "LOC", "p3": "LOC"})
    named = {"a": {"p1", "p3"}, "b": {"p2", "p3"}}
    assert _name_conflicts(near_x, near_y, named, names) == ["Chełm vs Zamość"]
    # a person against an organisation: different types, never a conflict
    person, body = _claim("a", {"h1": "PER"}), _claim("b", {"o1": "ORG"})
    assert _name_conflicts(person, body, {"a": {"h1"}, "b": {"o1"}}, names) == []
    # an adjective tagged as a place is not a place
    assert _name_conflicts(_claim("a", {"a1": "LOC"}), _claim("b", {"p2": "LOC"}),
                           {"a": {"a1"}, "b": {"p2"}}, names) == []
    # another spelling of the same name left unresolved by the linker
    assert _name_conflicts(_claim("a", {"p1": "LOC"}), _claim("b", {"p4": "LOC"}),
                           {"a": {"p1"}, "b": {"p4"}}, names) == []
    # a sentence naming two places the other article never names holds two slots (a route, a list)
    two = _claim("a", {"p1": "LOC", "p2": "LOC"})
    assert _name_conflicts(two, _claim("b", {"p3": "LOC"}), {"a": {"p1", "p2"}, "b": {"p3"}}, names) == []


def test_a_route_with_a_side_place_still_conflicts_on_its_destination() -> None:
    names = {"c": "Chełm", "g": "Gdynia", "k": "Kołobrzeg", "l": "Łowicz", "b": "Belarus", "a": "Augustów",
             "s": "Suwałki", "t": "Lithuania", "p": "Poland"}
    # "the Chełm–Gdynia train, from near the border with Belarus, derailed near Łowicz" /
    # "the Chełm–Kołobrzeg train derailed near Łowicz": one side adds a place to a frame of two
    one = _claim("a", {"c": "LOC", "g": "LOC", "l": "LOC", "b": "LOC"})
    other = _claim("b", {"c": "LOC", "k": "LOC", "l": "LOC"})
    named = {"a": {"c", "g", "l", "b"}, "b": {"c", "k", "l", "b"}}
    assert _name_conflicts(one, other, named, names) == ["Gdynia vs Kołobrzeg"]
    # a frame of one shared name is too thin: the added name may fill another slot
    # ("fans from Lithuania came back from Augustów" / "fans from Lithuania crossed from Suwałki into Poland")
    one = _claim("a", {"t": "LOC", "a": "LOC"})
    other = _claim("b", {"t": "LOC", "s": "LOC", "p": "LOC"})
    assert _name_conflicts(one, other, {"a": {"t", "a", "s"}, "b": {"t", "s", "p"}}, names) == []


def test_an_entity_fills_a_slot_with_its_type_across_the_story() -> None:
    text = "Поезд Хелм — Гдыня сошёл с рельсов у Ловича."
    start = text.index("Гдыня")
    analysis = Analysis(article_id="r", version="t", sentences=[Sentence(index=0, start=0, end=len(text), text=text)],
                        entities=[Entity(key="g", type="PER", name="Гдыня",
                                         mentions=[Mention(start, start + len("Гдыня"), "Гдыня")])])
    doc = _Doc(article=Article(id="r", title="", text=text, language="ru"), analysis=analysis,
               ids={"g": "ent_g"}, kinds={"ent_g": "LOC"})  # tagged PER here, a place in the story's registry
    [claim] = _claims(doc)
    assert claim.entities == {"ent_g": "LOC"}


def test_other_spellings_and_adjectives() -> None:
    assert _one_spelling("Grzegorz Wiśniewski", "Гжэгаж Вішнеўскі")
    assert _one_spelling("Tomasz Wrona", "Тамаш Врона")
    assert _one_spelling("Olena Tkachuk", "Олена Ткачук")
    assert not _one_spelling("Chełm", "Zamość")
    assert not _one_spelling("Marta Wójcik", "Ірына Коваль")
    assert _adjective("Беларускія") and _adjective("Польский") and _adjective("ukraińskiej")
    assert not _adjective("Minsk") and not _adjective("Marta Wójcik")


# -- quotes: one saying across languages is one group ---------------------------------------------


def test_one_saying_is_one_group_whatever_spelling_names_its_speaker() -> None:
    entities = {
        "ent_w": _StoryEntity(id="ent_w", type="PER"),
        "ent_m": _StoryEntity(id="ent_m", type="PER"),  # the speaker's wife, same surname
        "a1:Вронa": _StoryEntity(id="a1:Вронa", type="PER", resolved=False),
    }
    entities["ent_w"].names["Tomasz Wrona"] += 1
    entities["ent_m"].names["Maria Wrona"] += 1
    entities["a1:Вронa"].names["Тамаш Врона"] += 1

    def doc(article_id: str, speaker_key: str | None) -> _Doc:
        ids = {speaker_key: speaker_key} if speaker_key else {}
        return _Doc(article=Article(id=article_id, title="", text=""), analysis=Analysis(article_id, "t"), ids=ids)

    said = [
        (doc("a0", "ent_w"), Quote(text="We will not give up", start=0, end=1, sentence=0, direct=True,
                                   speaker="ent_w", speaker_text="Tomasz Wrona")),
        (doc("a1", "a1:Вронa"), Quote(text="Мы не адступім", start=0, end=1, sentence=0, direct=True,
                                      speaker="a1:Вронa", speaker_text="Тамаш Врона")),
        (doc("a2", "ent_m"), Quote(text="Nie poddamy się", start=0, end=1, sentence=0, direct=True,
                                   speaker="ent_m", speaker_text="Wrona")),
        (doc("a3", "ent_w"), Quote(text="Wir geben nicht auf", start=0, end=1, sentence=0, direct=True,
                                   speaker="ent_w", speaker_text="Wrona")),
    ]
    one = np.array([1.0, 0.0])
    vectors = np.vstack([one, one * 0.9 + np.array([0.0, 0.436]), one * 0.86 + np.array([0.0, 0.51]), one])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = _quote_groups(said, vectors, entities, {"a0": 0, "a1": 1, "a2": 2, "a3": 3})
    assert len(groups) == 1
    assert groups[0]["speaker"] == "ent_w" and groups[0]["speaker_name"] == "Tomasz Wrona"


# -- headings and statements ----------------------------------------------------------------------


def _result(statements: list[dict[str, Any]], articles: int) -> dict[str, Any]:
    return {
        "story": {"id": "s", "title": "Ferry", "event_date": None, "languages": ["en"],
                  "articles": [{"id": f"a{i}", "title": f"t{i}", "source": f"Outlet {i}"} for i in range(articles)]},
        "entities": [], "statements": statements, "quotes": [], "descriptors": [],
    }


def test_all_sources_agree_only_when_every_source_says_it() -> None:
    two_of_three = {"id": "s1", "status": "shared", "note": None, "claims": [
        {"article": "a0", "sentence": 0, "text": "The ferry ran aground near Hel."},
        {"article": "a1", "sentence": 0, "text": "Prom osiadł na mieliźnie koło Helu."}]}
    markdown = to_markdown(_result([two_of_three], 3))
    agree = markdown.split("## All sources agree", 1)[1].split("##", 1)[0]
    assert "ran aground" not in agree
    assert "## Shared by 2 of 3 sources" in markdown
    html = to_html(_result([two_of_three], 3))
    assert "Shared by 2 of 3 sources" in html
    assert "ran aground" not in html.split("<h2>All sources agree</h2>", 1)[1].split("<h2>", 1)[0]
    assert "No statement is made by every source." in html
    assert "ran aground" in to_markdown(_result([two_of_three], 2)).split("## All sources agree", 1)[1]
    everyone = to_html(_result([two_of_three], 2)).split("<h2>All sources agree</h2>", 1)[1].split("<h2>", 1)[0]
    assert "ran aground" in everyone


def test_sentences_are_not_cut_at_ordinals_or_code_parts() -> None:
    text = "Żołnierze z 2. Brygady Zmechanizowanej wrócili do Lublina. Dowódca był zadowolony."
    assert len(split_sentences(text, "pl")) == 2
    text = "Яго абвінавацілі па арт. 342 ч. 2 Крымінальнага кодэкса. Суд пачнецца ў панядзелак."
    assert len(split_sentences(text, "be")) == 2
    text = "Его обвинили по ст. 342 ч. 2 Уголовного кодекса. Суд начнётся в понедельник."
    assert len(split_sentences(text, "ru")) == 2


def test_a_route_dash_is_not_a_clause_break() -> None:
    sentence = "Два последних вагона ночного поезда Варшава – Калининград сошли с рельсов у станции Илава."
    assert len(clauses(sentence, "ru")) == 1


def test_a_syndicated_copy_marked_by_story_linking_does_not_count_twice() -> None:
    from rashomon.compare import syndicated_copies

    members = ["orig", "copy", "other"]
    assert syndicated_copies(members, {}) == set()
    assert syndicated_copies(members, {"copy": "orig"}) == {"copy"}
    assert syndicated_copies(members, {"copy": "elsewhere"}) == set()  # its original is not in the story


# -- slots: compound durations, a total's start against a daily figure's day -----------------------


def test_a_duration_glued_to_its_adjective_is_a_duration() -> None:
    assert _numbers("uk", "Профспілка оголосила 96-годинний страйк на елеваторі в Ізмаїлі.") == [96.0]
    assert _numbers("ru", "Водители начали 36-часовую забастовку в Твери.") == [36.0]
    assert _numbers("pl", "Kierowcy ogłosili 36-godzinny strajk w Radomiu.") == [36.0]
    assert _numbers("be", "Кіроўцы пачалі 96-гадзінны страйк у Оршы.") == [96.0]
    article = Article(id="n", title="", text="Кіроўцы пачалі 96-гадзінны страйк у Оршы.", language="be",
                      published="2025-03-11")
    assert [n.unit for n in analyse(article).numbers] == ["h"]


def test_a_running_total_start_is_not_the_day_of_a_daily_figure() -> None:
    from rashomon.compare import _date_conflict
    from rashomon.models import DateMention

    def claim(text: str, day: str, roles: frozenset[str]) -> _Claim:
        return _Claim(article=text[:3], sentence=0, text=text, entities={}, numbers=[], negated=False,
                      dates=[DateMention(text=day, start=0, end=1, sentence=0, value=day)], roles=roles)

    total = claim("Since Friday 2,300 people left", "2025-03-07", frozenset({"cumulative"}))
    daily = claim("Лише в неділю вивезли 500 людей", "2025-03-09", frozenset({"daily"}))
    assert _date_conflict(total, daily) is None
    other_day = claim("Since Saturday 2,300 people left", "2025-03-08", frozenset({"cumulative"}))
    assert _date_conflict(total, other_day) == "2025-03-07 vs 2025-03-08"


@pytest.mark.slow
def test_one_sentence_of_a_longer_saying_joins_the_saying() -> None:
    from rashomon.compare import QUOTE_THRESHOLD, _quote_sentences, _said_vectors, default_embedder

    def doc(article_id: str) -> _Doc:
        return _Doc(article=Article(id=article_id, title="", text=""), analysis=Analysis(article_id, "t"), ids={})

    said = [
        (doc("a0"), Quote(text="We do not regret anything. All we asked for was a roof over the village school "
                               "before the winter.", start=0, end=1, sentence=0, direct=True)),
        (doc("a1"), Quote(text="ни о чём не жалеют", start=0, end=1, sentence=0, direct=False)),
        (doc("a2"), Quote(text="Wir bereuen nichts. Wir wollten nur ein Dach über der Dorfschule vor dem Winter.",
                          start=0, end=1, sentence=0, direct=True)),
    ]
    quotes = [q for _d, q in said]
    texts = [q.text for q in quotes] + [p for q in quotes for p in _quote_sentences(q)]
    vectors = default_embedder(texts)
    assert float(vectors[0] @ vectors[1]) < QUOTE_THRESHOLD  # the whole saying against one sentence of it
    groups = _quote_groups(said, _said_vectors(quotes, vectors, 0, len(quotes)), {}, {"a0": 0, "a1": 1, "a2": 2})
    assert [len(g["variants"]) for g in groups] == [3]


def test_an_acronym_is_another_spelling_of_its_name() -> None:
    assert _one_spelling("Zakładu Energetyki Miejskiej", "ZEM")
    assert _one_spelling("ЗЭМ", "Завод Энергетического Машиностроения")
    assert not _one_spelling("Zakładu Energetyki Miejskiej", "PKS")
