"""`rashomon compare` and :func:`rashomon.compare.compare_story` on real stored stories.

The barge story (tests/resources/compare/) goes through the real pipeline: ingest, analysis, and a
story. A second story is stored with hand-written analyses through the Store API, so quote grouping,
descriptors and entity merging are tested on exactly known inputs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from rashomon.analyse import analyse
from rashomon.cli import app
from rashomon.compare import compare_story
from rashomon.models import Analysis, Article, Descriptor, Entity, Mention, Quote, Sentence, Story
from rashomon.pipeline import add_paths
from rashomon.render import to_html, to_markdown
from rashomon.store import Store, open_store
from rashomon.store.base import EntityRow

from .conftest import RESOURCES, validate

runner = CliRunner()


def _one_story(store: Store, article_ids: list[str], *, story_id: str, title: str) -> str:
    """The story the pipeline put these articles in, or a new one holding them."""
    stories = {store.story_of(a) for a in article_ids}
    if len(stories) == 1 and None not in stories:
        return str(stories.pop())
    with store.transaction():
        store.save_story(Story(id=story_id, title=title, event_date=None))
        for article_id in article_ids:
            store.assign_article(article_id, story_id)
    return story_id


@pytest.fixture(scope="module")
def barge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(database path, story id, language -> article id) for the three-language barge story."""
    db = str(tmp_path_factory.mktemp("compare") / "barge.db")
    with open_store(db) as store:
        report = add_paths(store, [RESOURCES / "compare"])
        assert not report.failures and len(report.added) == 3
        by_language = {a.language or "": a.id for a in store.list_articles()}
        assert set(by_language) == {"en", "ru", "be"}
        story = _one_story(store, report.added, story_id="barge", title="Barge hits railway bridge")
    yield db, story, by_language


@pytest.fixture(scope="module")
def barge_result(barge: tuple[str, str, dict[str, str]]) -> dict[str, Any]:
    db, story, _ = barge
    with open_store(db) as store:
        return compare_story(store, story)


def _statement(result: dict[str, Any], article: str, needle: str) -> dict[str, Any]:
    for statement in result["statements"]:
        for claim in statement["claims"]:
            if claim["article"] == article and needle in claim["text"]:
                return statement
    raise AssertionError(f"no statement of {article} contains {needle!r}")


def test_compare_follows_the_contract(barge_result: dict[str, Any], schemas: dict[str, Any]) -> None:
    validate(barge_result, "compare.schema.json", schemas)
    assert barge_result["story"]["languages"] == ["be", "en", "ru"]
    assert barge_result["story"]["event_date"] == "2024-03-05"


def test_a_paraphrase_in_three_languages_is_one_shared_statement(
    barge: tuple[str, str, dict[str, str]], barge_result: dict[str, Any]
) -> None:
    ids = barge[2]
    statement = _statement(barge_result, ids["en"], "cargo barge struck")
    assert statement["status"] == "shared"
    assert {c["article"] for c in statement["claims"]} == {ids["en"], ids["ru"], ids["be"]}
    assert any("врезалась" in c["text"] for c in statement["claims"])


def test_different_durations_of_the_same_halt_are_a_conflict(
    barge: tuple[str, str, dict[str, str]], barge_result: dict[str, Any]
) -> None:
    ids = barge[2]
    statement = _statement(barge_result, ids["ru"], "три часа")
    assert statement["status"] == "conflict"
    assert {c["article"] for c in statement["claims"]} >= {ids["ru"], ids["en"]}
    assert statement["note"] in ("6 h vs 3 h", "3 h vs 6 h")


def test_a_detail_one_source_alone_gives_is_unique(
    barge: tuple[str, str, dict[str, str]], barge_result: dict[str, Any]
) -> None:
    ids = barge[2]
    gravel = _statement(barge_result, ids["en"], "900 tonnes of gravel")
    assert gravel["status"] == "unique" and gravel["note"] is None
    witnesses = _statement(barge_result, ids["ru"], "очевидцев")
    assert witnesses["status"] == "unique"
    # every claim points at the sentence it quotes: the sentence, or a clause of it ("A … B")
    with open_store(barge[0]) as store:
        for statement in barge_result["statements"]:
            for claim in statement["claims"]:
                analysis = store.get_analysis(claim["article"])
                assert analysis is not None
                sentence = " ".join(analysis.sentences[claim["sentence"]].text.split())
                assert all(part in sentence for part in claim["text"].split(" … ")), claim


def test_the_governor_is_one_entity_across_scripts(barge_result: dict[str, Any]) -> None:
    governor = [e for e in barge_result["entities"] if "Ivan Marchuk" in e["aliases"]]
    assert len(governor) == 1
    assert "Иван Марчук" in governor[0]["aliases"]
    assert governor[0]["type"] == "PER" and len(governor[0]["articles"]) == 2


def test_the_governors_words_are_one_quote_group(
    barge: tuple[str, str, dict[str, str]], barge_result: dict[str, Any]
) -> None:
    ids = barge[2]
    [group] = [g for g in barge_result["quotes"] if any("supports were not damaged" in v["text"]
                                                        for v in g["variants"])]
    assert "Marchuk" in group["speaker_name"] or "Марчук" in group["speaker_name"]
    assert {(v["article"], v["direct"]) for v in group["variants"]} == {(ids["en"], True), (ids["ru"], False)}
    descriptors = barge_result["descriptors"]
    labels = {(d["article"], d["text"].lower()) for d in descriptors if d["entity"] == group["speaker"]}
    assert (ids["en"], "regional governor") in labels


# -- quotes, descriptors and entities on hand-written analyses --------------------------------------


def _sentences(text: str, parts: list[str]) -> list[Sentence]:
    out = []
    for i, part in enumerate(parts):
        start = text.index(part)
        out.append(Sentence(index=i, start=start, end=start + len(part), text=part))
    return out


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _store_story(store: Store) -> tuple[str, str]:
    """Two articles about a dam repair, one English and one Russian, with analyses and entity links."""
    en_parts = [
        "Engineers began repairing the dam at Kaniv on Monday.",
        "\"The dam is safe and the water level is falling,\" said Olha Dovzhenko, head of the water agency.",
        "Dovzhenko added: \"We will inspect every dam on the Dnipro before winter.\"",
        "The veteran hydrologist has led the agency since 2019.",
    ]
    ru_parts = [
        "В понедельник инженеры начали ремонт дамбы у Канева.",
        "Глава водного агентства Ольга Довженко заявила, что дамба безопасна и уровень воды снижается.",
    ]
    en_text, ru_text = " ".join(en_parts), " ".join(ru_parts)
    en = Article(id="dam-en", title="Kaniv dam repairs begin", text=en_text, language="en",
                 source="Dnipro Daily")
    ru = Article(id="dam-ru", title="Ремонт дамбы у Канева", text=ru_text, language="ru",
                 source="Днепр Сегодня")

    def person(text: str, *names: str) -> Entity:
        return Entity(key="p1", type="PER", name=names[0],
                      mentions=[Mention(*_span(text, n), text=n) for n in names])

    en_said_1 = "The dam is safe and the water level is falling,"
    en_said_2 = "We will inspect every dam on the Dnipro before winter."
    ru_said = "дамба безопасна и уровень воды снижается"
    analyses = [
        Analysis(
            article_id=en.id, version="test", sentences=_sentences(en_text, en_parts),
            entities=[person(en_text, "Olha Dovzhenko", "Dovzhenko")],
            quotes=[
                Quote(text=en_said_1, start=_span(en_text, en_said_1)[0], end=_span(en_text, en_said_1)[1],
                      sentence=1, direct=True, speaker="p1", speaker_text="Olha Dovzhenko"),
                Quote(text=en_said_2, start=_span(en_text, en_said_2)[0], end=_span(en_text, en_said_2)[1],
                      sentence=2, direct=True, speaker="p1", speaker_text="Dovzhenko"),
            ],
            descriptors=[Descriptor("p1", "veteran hydrologist", *_span(en_text, "veteran hydrologist"), 3)],
            event_date="--05-13",
        ),
        Analysis(
            article_id=ru.id, version="test", sentences=_sentences(ru_text, ru_parts),
            entities=[person(ru_text, "Ольга Довженко")],
            quotes=[Quote(text=ru_said, start=_span(ru_text, ru_said)[0], end=_span(ru_text, ru_said)[1],
                          sentence=1, direct=False, speaker="p1", speaker_text="Ольга Довженко")],
            descriptors=[
                Descriptor("p1", "глава водного агентства", *_span(ru_text, "Глава водного агентства"), 1)
            ],
            event_date="--05-13",
        ),
    ]
    with store.transaction():
        for article in (en, ru):
            store.insert_article(article, fingerprint=article.id, bands=[])
        for analysis in analyses:
            store.save_analysis(analysis)
        store.replace_entities(
            [EntityRow(id="e-dovzhenko", type="PER", name="Olha Dovzhenko",
                       aliases=[("Olha Dovzhenko", "en", "Latn", 2), ("Ольга Довженко", "ru", "Cyrl", 1)])],
            [(en.id, "p1", "e-dovzhenko"), (ru.id, "p1", "e-dovzhenko")],
            [],
        )
        store.save_story(Story(id="dam", title="Kaniv dam repairs", event_date=None))
        store.assign_article(en.id, "dam")
        store.assign_article(ru.id, "dam")
    return en.id, ru.id


def test_quotes_are_grouped_by_speaker_and_saying(db_url: str, schemas: dict[str, Any]) -> None:
    with open_store(db_url) as store:
        en, ru = _store_story(store)
        result = compare_story(store, "dam")
    validate(result, "compare.schema.json", schemas)
    groups = [g for g in result["quotes"] if g["speaker"] == "e-dovzhenko"]
    assert all(g["speaker_name"] == "Olha Dovzhenko" for g in groups)
    assert len(groups) == 2, groups
    safe = next(g for g in groups if len(g["variants"]) == 2)
    assert [(v["article"], v["direct"]) for v in safe["variants"]] == [(en, True), (ru, False)]
    inspect = next(g for g in groups if len(g["variants"]) == 1)
    assert "inspect every dam" in inspect["variants"][0]["text"]

    assert {(d["entity"], d["article"], d["text"]) for d in result["descriptors"]} == {
        ("e-dovzhenko", en, "veteran hydrologist"),
        ("e-dovzhenko", ru, "глава водного агентства"),
    }
    [person] = [e for e in result["entities"] if e["id"] == "e-dovzhenko"]
    assert person["name"] == "Olha Dovzhenko"
    assert {"Olha Dovzhenko", "Dovzhenko", "Ольга Довженко"} <= set(person["aliases"])
    assert person["articles"] == [en, ru] or person["articles"] == [ru, en]
    # no source states the year of the event: the date stays yearless
    assert result["story"]["event_date"] == "--05-13"
    assert _statement(result, en, "began repairing")["status"] == "shared"


# -- renderings and the command -------------------------------------------------------------------


def _hostile(result: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(result))
    data["story"]["title"] = "Barge <script>alert(1)</script> & bridge"
    data["story"]["articles"][0]["url"] = "javascript:alert(1)"
    return data


def test_markdown_has_the_sections_and_escapes(barge_result: dict[str, Any]) -> None:
    text = to_markdown(_hostile(barge_result))
    for heading in ("## All sources agree", "## Only in Neman Courier", "## Sources disagree"):
        assert heading in text
    assert "6 h vs 3 h" in text or "3 h vs 6 h" in text
    assert "<script>" not in text and r"\<script\>" in text


def test_html_is_self_contained_and_escaped(barge_result: dict[str, Any]) -> None:
    page = to_html(_hostile(barge_result))
    assert page.startswith("<!doctype html>") and "<style>" in page
    for heading in ("All sources agree", "Only in Neman Courier", "Sources disagree"):
        assert f"<h2>{heading}</h2>" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "javascript:" not in page
    assert "<link" not in page and "src=" not in page


def test_renderings_show_quotes_and_descriptors(db_url: str) -> None:
    with open_store(db_url) as store:
        _store_story(store)
        result = compare_story(store, "dam")
    for text in (to_markdown(result), to_html(result)):
        assert "How each source quotes Olha Dovzhenko" in text
        assert "How each source describes Olha Dovzhenko" in text
        assert "veteran hydrologist" in text


def test_compare_command_writes_each_format(
    barge: tuple[str, str, dict[str, str]], tmp_path: Path, schemas: dict[str, Any]
) -> None:
    db, story, _ = barge
    result = runner.invoke(app, ["compare", story, "--db", db])
    assert result.exit_code == 0, result.output
    validate(json.loads(result.stdout), "compare.schema.json", schemas)

    out = tmp_path / "story.html"
    result = runner.invoke(app, ["compare", story, "--format", "html", "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert "<h2>Sources disagree</h2>" in out.read_text("utf-8")

    result = runner.invoke(app, ["compare", story, "--format", "markdown", "--db", db])
    assert result.exit_code == 0 and "## All sources agree" in result.stdout


def test_compare_command_reports_user_errors(barge: tuple[str, str, dict[str, str]]) -> None:
    db = barge[0]
    missing = runner.invoke(app, ["compare", "no-such-story", "--db", db])
    assert missing.exit_code == 1
    assert "no story with id 'no-such-story'" in missing.stderr
    assert "Traceback" not in missing.output
    wrong = runner.invoke(app, ["compare", "x", "--format", "pdf", "--db", db])
    assert wrong.exit_code == 2


# -- conflicts on two one-sentence articles -----------------------------------------------------------


def _same_vector(texts: list[str]) -> np.ndarray:
    """An embedder under which every two statements say the same: only the conflict checks decide."""
    return np.full((len(texts), 4), 0.5, dtype=np.float32)


def _pair_story(store: Store, story_id: str, sides: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """Compare a story of one-sentence articles ``(language, sentence, place named in it)``.

    Each article is analysed for real; its place, if any, is stored as a resolved entity of its own, as
    when the resolver keeps two spellings apart.
    """
    ids = []
    with store.transaction():
        store.save_story(Story(id=story_id, title=story_id, event_date=None))
        rows, links = [], []
        for n, (language, text, place) in enumerate(sides):
            article = Article(id=f"{story_id}-{n}", title="", text=text, language=language, source=f"source {n}")
            analysis = analyse(article)
            if place is not None:
                start = text.index(place)
                analysis.entities = [Entity(key="l1", type="LOC", name=place,
                                            mentions=[Mention(start, start + len(place), text=place)])]
                rows.append(EntityRow(id=f"e-{article.id}", type="LOC", name=place, aliases=[]))
                links.append((article.id, "l1", f"e-{article.id}"))
            store.insert_article(article, fingerprint=article.id, bands=[])
            store.save_analysis(analysis)
            store.assign_article(article.id, story_id)
            ids.append(article.id)
        if rows:
            store.replace_entities(rows, links, [])
    return compare_story(store, story_id, embedder=_same_vector)


def _only_statement(result: dict[str, Any]) -> dict[str, Any]:
    [statement] = [s for s in result["statements"] if len({c["article"] for c in s["claims"]}) == 2]
    return statement


@pytest.mark.parametrize(
    ("sides", "note"),
    [
        ([("uk", "Під час вибуху на складі загинули троє робітників.", None),
          ("en", "Seven workers were killed in the blast at the warehouse.", None)], {"3 vs 7", "7 vs 3"}),
        ([("be", "Каля будынка суда затрымалі сямёра актывістаў.", None),
          ("de", "Vor dem Gericht wurden fünfundzwanzig Aktivisten festgenommen.", None)], {"7 vs 25", "25 vs 7"}),
        ([("uk", "Суд засудив активіста до чотирьох з половиною років позбавлення волі.", None),
          ("en", "The court sentenced the activist to five years in prison.", None)],
         {"4.5 year vs 5 year", "5 year vs 4.5 year"}),
        ([("en", "The foreign ministers met in Vienna for talks on the gas deal.", "Vienna"),
          ("ru", "Министры иностранных дел встретились в Женеве для переговоров о газе.", "Женеве")],
         {"Vienna vs Женеве", "Женеве vs Vienna"}),
    ],
)
def test_statements_that_differ_in_a_count_a_term_or_a_place_conflict(
    db_url: str, sides: list[tuple[str, str, str | None]], note: set[str]
) -> None:
    with open_store(db_url) as store:
        statement = _only_statement(_pair_story(store, "conflict", sides))
    assert statement["status"] == "conflict"
    assert statement["note"] in note


@pytest.mark.parametrize(
    "sides",
    [
        [("uk", "Двоє рятувальників отримали опіки.", None), ("en", "Two rescuers suffered burns.", None)],
        [("uk", "Ціни на хліб зросли до 40 гривень.", None), ("en", "Bread prices rose to 40 hryvnias.", None)],
        [("en", "The ministers met in Warsaw on Monday.", "Warsaw"),
         ("pl", "Ministrowie spotkali się w poniedziałek w Warszawie.", "Warszawie")],
    ],
)
def test_the_same_count_or_one_place_in_two_spellings_is_shared(
    db_url: str, sides: list[tuple[str, str, str | None]]
) -> None:
    with open_store(db_url) as store:
        statement = _only_statement(_pair_story(store, "agree", sides))
    assert statement["status"] == "shared", statement["note"]
