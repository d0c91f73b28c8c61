"""Story clustering: same event across languages, same actors on other days, user decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from rashomon.embeddings import article_text, lead
from rashomon.errors import UsageError
from rashomon.models import Article
from rashomon.stories import (
    ArticleFeatures,
    Scorer,
    StoryIndex,
    cluster,
    features_from_many,
    name_key,
    pair_features,
    same_event_score,
    similarity_of_texts,
)
from rashomon.stories.blocks import FeatureArrays, score_block
from rashomon.stories.fit import bcubed_prf, cluster_all_pairs, pairwise_prf

# Two events with the same people in the same city, ten days apart, plus an unrelated one.
VILNIUS_MEETING = [
    (
        "en",
        "2024-05-10",
        "Tsikhanouskaya meets Nauseda in Vilnius",
        "Belarusian opposition leader Sviatlana Tsikhanouskaya met Lithuanian President Gitanas Nauseda "
        "in Vilnius on 10 May 2024. They discussed residence permits for Belarusians and the closure of "
        "two border checkpoints. Nauseda promised to review 900 pending applications.",
    ),
    (
        "be",
        "2024-05-10",
        "Ціханоўская сустрэлася з Наўсэдам",
        "Святлана Ціханоўская 10 мая 2024 года сустрэлася ў Вільні з прэзідэнтам Літвы Гітанасам "
        "Наўсэдам. Гаворка ішла пра віды на жыхарства для беларусаў і зачыненне двух пунктаў пропуску. "
        "Наўсэда паабяцаў разгледзець 900 заяў.",
    ),
    (
        "ru",
        "2024-05-11",
        "Тихановская встретилась с Науседой",
        "Светлана Тихановская 10 мая 2024 года встретилась в Вильнюсе с президентом Литвы Гитанасом "
        "Науседой. Обсуждались виды на жительство для белорусов и закрытие двух пунктов пропуска. "
        "Науседа пообещал рассмотреть 900 заявлений.",
    ),
]
VILNIUS_CONFERENCE = [
    (
        "en",
        "2024-05-20",
        "Nauseda and Tsikhanouskaya open Belarus conference in Vilnius",
        "Gitanas Nauseda and Sviatlana Tsikhanouskaya opened an international conference on the future "
        "of Belarus in Vilnius on 20 May 2024. About 300 guests from 20 countries attended. "
        "Tsikhanouskaya called for a tribunal for the regime's crimes.",
    ),
    (
        "pl",
        "2024-05-20",
        "Konferencja o Białorusi w Wilnie",
        "Gitanas Nausėda i Swiatłana Cichanouska otworzyli 20 maja 2024 roku w Wilnie międzynarodową "
        "konferencję o przyszłości Białorusi. Przyjechało około 300 gości z 20 krajów. Cichanouska "
        "wezwała do powołania trybunału dla reżimu.",
    ),
]
HAILSTORM = [
    (
        "de",
        "2024-05-10",
        "Hagelsturm verwüstet Weinberge in der Pfalz",
        "Ein schwerer Hagelsturm hat am 10. Mai 2024 in der Pfalz Weinberge auf rund 400 Hektar zerstört. "
        "Winzer sprechen von Schäden in Millionenhöhe. Der Wetterdienst hatte vor Unwettern gewarnt.",
    ),
]


def _articles() -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    for event, rows in (
        ("meeting", VILNIUS_MEETING),
        ("conference", VILNIUS_CONFERENCE),
        ("hail", HAILSTORM),
    ):
        for i, (lang, published, title, text) in enumerate(rows):
            article_id = f"{event}-{lang}-{i}"
            articles.append(Article(title=title, text=text, language=lang, published=published, id=article_id))
            gold[article_id] = event
    return articles, gold


@pytest.fixture(scope="module")
def features() -> list[ArticleFeatures]:
    from rashomon.analyse import analyse

    articles, _ = _articles()
    return features_from_many(articles, [analyse(a) for a in articles])


@pytest.fixture(scope="module")
def gold() -> dict[str, str]:
    return _articles()[1]


def test_name_key_links_spellings_across_scripts() -> None:
    keys = {name_key(w) for w in ("Лукашэнка", "Лукашенку", "Lukashenko", "Łukaszenka", "Lukaschenko")}
    assert keys == {"lksh"}
    assert name_key("Тихановская") == name_key("Tsikhanouskaya") == name_key("Tichanowskaja")


def test_same_event_across_languages_clusters_together(features: list[ArticleFeatures], gold: dict[str, str]) -> None:
    stories = cluster(features)
    meeting = [a for a, e in gold.items() if e == "meeting"]
    assert sorted(meeting) in stories
    assert bcubed_prf(stories, gold)[2] == pytest.approx(1.0)


def test_same_actors_on_another_day_is_another_story(features: list[ArticleFeatures]) -> None:
    by_id = {f.article_id: f for f in features}
    same = same_event_score(by_id["meeting-en-0"], by_id["meeting-be-1"])
    other_day = same_event_score(by_id["meeting-en-0"], by_id["conference-en-0"])
    assert same > 0.5 > other_day


def test_incremental_matches_full_rebuild_in_any_order(features: list[ArticleFeatures]) -> None:
    rebuild = cluster(features)
    gold = {a: str(i) for i, c in enumerate(rebuild) for a in c}
    for order in (features, features[::-1], features[2:] + features[:2]):
        index = StoryIndex()
        for f in order:
            index.add(f)
        assert pairwise_prf(list(index.stories().values()), gold)[2] == pytest.approx(1.0)


def test_user_decisions_survive_a_rebuild(features: list[ArticleFeatures]) -> None:
    # A user moved the German hailstorm report into the meeting story and split the meeting story.
    stories = cluster(
        features, pinned={"hail-de-0": "s1", "meeting-en-0": "s1"}, split=[("meeting-en-0", "meeting-be-1")]
    )
    story_of = {a: i for i, c in enumerate(stories) for a in c}
    assert story_of["hail-de-0"] == story_of["meeting-en-0"]
    assert story_of["meeting-en-0"] != story_of["meeting-be-1"]
    with pytest.raises(UsageError):
        cluster(features, merge=[("hail-de-0", "meeting-en-0")], split=[("hail-de-0", "meeting-en-0")])


def test_story_index_blocks_by_date(features: list[ArticleFeatures]) -> None:
    index = StoryIndex()
    for f in features:
        index.add(f)
    # The 20 May conference is never compared with the 10-11 May stories (3-day window).
    assert index.story_of("conference-en-0") == index.story_of("conference-pl-1")
    assert index.story_of("conference-en-0") != index.story_of("meeting-en-0")


def test_similarity_of_texts_prefers_the_same_event() -> None:
    meeting_en, meeting_ru = VILNIUS_MEETING[0][3], VILNIUS_MEETING[2][3]
    conference_en = VILNIUS_CONFERENCE[0][3]
    same = similarity_of_texts(meeting_en, meeting_ru, "en", "ru")
    different = similarity_of_texts(meeting_en, conference_en)
    assert 0.0 <= different < same <= 1.0
    assert same > 0.5


def test_undated_article_joins_by_shared_entities(features: list[ArticleFeatures]) -> None:
    index = StoryIndex()
    for f in features:
        index.add(f)
    by_id = {f.article_id: f for f in features}
    undated = replace(by_id["meeting-ru-2"], article_id="undated", published=None, event_date=None)
    assert index.add(undated) == index.story_of("meeting-en-0")


def _same_day(article_id: str, angle: float) -> ArticleFeatures:
    """An article of 10 May 2024 naming the same two people, its text vector at ``angle`` radians."""
    vector = np.array([np.cos(angle), np.sin(angle), 0.0], dtype=np.float32)
    day = date(2024, 5, 10)
    return ArticleFeatures(
        article_id=article_id,
        published=day,
        event_date=day,
        embeddings={"e5": vector, "use": vector},
        entity_keys=frozenset({"nsd", "tsknv"}),
    )


def _linked_trio() -> tuple[ArticleFeatures, ArticleFeatures, ArticleFeatures]:
    """a and b just far enough apart to score below the threshold; c halfway between them."""
    threshold = Scorer.load().threshold
    a = _same_day("a", 0.0)
    angle = next(x / 100 for x in range(1, 158) if same_event_score(a, _same_day("b", x / 100)) < threshold)
    return a, _same_day("b", angle), _same_day("c", angle / 2)


def test_an_article_linking_two_stories_joins_them_whatever_the_order() -> None:
    # a and b alone score below the threshold; c, between them, links both, and the three average above it.
    a, b, c = _linked_trio()
    threshold = Scorer.load().threshold
    assert same_event_score(a, b) < threshold < min(same_event_score(a, c), same_event_score(b, c))
    assert cluster([a, b, c]) == [["a", "b", "c"]]
    for order in ((a, b, c), (a, c, b), (c, b, a)):
        index = StoryIndex()
        for f in order:
            index.add(f)
        assert sorted(map(sorted, index.stories().values())) == [["a", "b", "c"]]
    greedy = StoryIndex(recheck=False)  # choosing once per article leaves a (or b) alone
    for f in (a, b, c):
        greedy.add(f)
    assert len(greedy) == 2


def test_recheck_never_moves_pinned_articles() -> None:
    a, b, c = _linked_trio()
    index = StoryIndex()
    index.add(a, story_key="first", pinned=True)
    index.add(b, story_key="second", pinned=True)
    index.add(c)
    assert (index.story_of("a"), index.story_of("b")) == ("first", "second")
    assert index.story_of("c") in ("first", "second")


def test_blocked_rebuild_equals_scoring_all_pairs(features: list[ArticleFeatures]) -> None:
    # Undated and date-only copies too: they are scored with every article, not within a date window.
    variants = [
        *features,
        *(replace(f, article_id=f"{f.article_id}-undated", published=None, event_date=None) for f in features[::2]),
        *(replace(f, article_id=f"{f.article_id}-no-pub", published=None) for f in features[1::2]),
    ]
    arrays = FeatureArrays(variants)
    every = np.arange(len(variants))
    one_by_one = np.array([[same_event_score(x, y) for y in variants] for x in variants])
    np.testing.assert_allclose(score_block(arrays, every, every, Scorer.load()), one_by_one, atol=1e-5)
    assert cluster(variants) == cluster_all_pairs(variants)


# --- reports as a user's files: page stamps, datelines, a brief, a copy, a same-kind event ---------

KALEV = {
    # Re-stamped years after the event; its only day is "on Tuesday", with no publication date.
    "kalev_en.txt": "Ferry Kalev runs aground off Hiiumaa, 212 passengers taken off\nBaltic Desk\n"
    "Updated at 09:12, 14-03-2024\n\nThe passenger ferry Kalev ran aground off the Estonian island of "
    "Hiiumaa on Tuesday, and rescuers took all 212 passengers off, the Estonian Maritime Administration said.\n\n"
    "Captain Rein Tamm told the coast guard that a sudden squall pushed the ship onto a sandbank near "
    "the port of Heltermaa. Two crew members were treated for minor injuries.",
    "kalev_ru.txt": "Паром «Калев» сел на мель у Хийумаа\nБалтийский курьер\nТаллин, 11 мая 2021 года\n\n"
    "Пассажирский паром «Калев» сел на мель у эстонского острова Хийумаа, спасатели эвакуировали "
    "всех 212 пассажиров, сообщила Морская администрация Эстонии.\n\nКапитан Рейн Тамм сообщил береговой "
    "охране, что внезапный шквал вынес судно на песчаную отмель у порта Хельтермаа. Два члена экипажа "
    "получили лёгкие травмы.",
    # A one-sentence brief.
    "kalev_de.txt": "Fähre Kalev vor Hiiumaa auf Grund gelaufen\nOstsee-Bote\n11.05.2021 · 18:40\n\n"
    "Die Fähre Kalev ist am Dienstag vor der estnischen Insel Hiiumaa auf Grund gelaufen, alle 212 "
    "Passagiere wurden von Bord geholt.",
    "kalev_pl.txt": "Prom Kalev osiadł na mieliźnie u wybrzeży Hiumy\nKurier Bałtycki\nOpublikowano: 2021-05-11\n\n"
    "Prom pasażerski Kalev osiadł we wtorek na mieliźnie u wybrzeży estońskiej wyspy Hiuma. Ratownicy "
    "ewakuowali wszystkich 212 pasażerów, poinformowała Estońska Administracja Morska.\n\nKapitan Rein "
    "Tamm przekazał straży przybrzeżnej, że nagły szkwał zepchnął statek na mieliznę w pobliżu portu "
    "Heltermaa. Dwóch członków załogi odniosło lekkie obrażenia.",
    # A syndicated copy of the Polish report: its own headline and outlet, the last sentence dropped.
    "kalev_pl_copy.txt": "Kalev na mieliźnie\nGazeta Morska\nOpublikowano: 2021-05-11\n\n"
    "Prom pasażerski Kalev osiadł we wtorek na mieliźnie u wybrzeży estońskiej wyspy Hiuma. Ratownicy "
    "ewakuowali wszystkich 212 pasażerów, poinformowała Estońska Administracja Morska.\n\nKapitan Rein "
    "Tamm przekazał straży przybrzeżnej, że nagły szkwał zepchnął statek na mieliznę w pobliżu portu "
    "Heltermaa.",
}
# The same kind of event, other ship, island, people and figures, two years later.
SAAREMAA_STAR = {
    "star_en.txt": "Ferry Saaremaa Star runs aground near Kuivastu, 87 passengers evacuated\nBaltic Desk\n"
    "Published: 2023-08-02\n\nThe ferry Saaremaa Star ran aground near the harbour of Kuivastu on the "
    "island of Muhu on Wednesday, and 87 passengers were evacuated by lifeboats.\n\nCaptain Margus Lepp "
    "said fog had hidden a buoy that had drifted from its position. Nobody was hurt.",
}


def _add_files(tmp_path: Path, files: dict[str, str]) -> str:
    from .test_cli_ingest import run

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "stories.db")
    result = run("add", str(folder), "--db", db)
    assert result.exit_code == 0, result.stdout + result.stderr
    return db


def _story_files(db: str) -> list[list[tuple[str, str | None]]]:
    import json

    from .test_cli_ingest import run

    result = run("stories", "--json", "--db", db)
    assert result.exit_code == 0, result.stderr
    stories = json.loads(result.stdout)
    return sorted(sorted((Path(a["path"]).name, a.get("copy_of")) for a in story["articles"]) for story in stories)


def test_reports_across_stamps_datelines_briefs_and_copies_form_one_story(tmp_path: Path) -> None:
    db = _add_files(tmp_path, {**KALEV, **SAAREMAA_STAR})
    stories = _story_files(db)
    kalev = next(s for s in stories if any(name == "kalev_en.txt" for name, _ in s))
    assert [name for name, _ in kalev] == sorted(KALEV)  # the re-stamped page, the brief and the copy too
    copies = [(name, original) for name, original in kalev if original]
    assert [name for name, _ in copies] == ["kalev_pl_copy.txt"]
    assert [[name for name, _ in s] for s in stories if s is not kalev] == [["star_en.txt"]]


def test_a_copy_is_listed_once_and_not_compared_twice(tmp_path: Path) -> None:
    from rashomon.compare import compare_story
    from rashomon.store import open_store

    db = _add_files(tmp_path, {k: KALEV[k] for k in ("kalev_pl.txt", "kalev_pl_copy.txt", "kalev_ru.txt")})
    with open_store(db) as store:
        (story,) = store.list_stories()
        assert len(story.article_ids) == 2  # the copy is not an article of its own
        compared = compare_story(store, story.id)
    claims = {c["article"] for s in compared["statements"] for c in s.get("claims", [])}
    assert claims <= set(story.article_ids)
    listed = _story_files(db)
    assert [original is not None for _, original in listed[0]] == [False, True, False]


def test_a_one_sentence_brief_is_stored_and_clustered(tmp_path: Path) -> None:
    brief = {"brief.txt": "The ferry Kalev ran aground off the Estonian island of Hiiumaa and rescuers took "
             "all 212 passengers off.\n"}
    db = _add_files(tmp_path, {**brief, "kalev_en.txt": KALEV["kalev_en.txt"]})
    assert _story_files(db) == [[("brief.txt", None), ("kalev_en.txt", None)]]


def test_an_identical_copy_from_another_outlet_is_listed_as_a_copy(tmp_path: Path) -> None:
    # The same headline and body word for word, carried by a second outlet: both outlets must show.
    same = KALEV["kalev_pl.txt"].replace("Kurier Bałtycki", "Gazeta Morska")
    db = _add_files(tmp_path, {"kalev_pl.txt": KALEV["kalev_pl.txt"], "kalev_pl_same.txt": same,
                               "kalev_ru.txt": KALEV["kalev_ru.txt"]})
    (listed,) = _story_files(db)
    assert [name for name, _ in listed] == ["kalev_pl.txt", "kalev_pl_same.txt", "kalev_ru.txt"]
    assert [original is not None for _, original in listed] == [False, True, False]
    from .test_cli_ingest import run

    again = run("add", str(tmp_path / "in"), "--db", db)  # the same files again: nothing new, no second copy
    assert again.exit_code == 0 and "already present 3" in again.stdout, again.stdout
    assert _story_files(db) == [listed]


def test_words_are_compared_only_within_one_language(features: list[ArticleFeatures]) -> None:
    by_language: dict[str | None, ArticleFeatures] = {}
    for f in features:
        if f.terms:
            by_language.setdefault(f.language, f)
    assert len(by_language) >= 2, "the fixture needs articles in two languages"
    first, second = list(by_language.values())[:2]
    assert "terms" not in pair_features(first, second)  # "Hiiumaa" in two languages is a name, counted elsewhere
    assert "terms" in pair_features(first, replace(first, article_id="again"))
    # Each kind of pair has a model that accepts it.
    assert 0.0 <= same_event_score(first, second) <= 1.0


@pytest.mark.parametrize(("language", "text", "expected"), [
    # an abbreviation or a number after one does not end the lead's first sentence
    ("en", "Crews reached hall No. 4 at 3 a.m. on Sunday. The roof had fallen in. Two guards were "
     "unhurt. A fourth sentence is left out.",
     "Crews reached hall No. 4 at 3 a.m. on Sunday. The roof had fallen in. Two guards were unhurt."),
    ("ru", "Суд применил ч. 2 ст. 130 УК к двум фермерам. Они не признали вину. Приговор обжалуют. "
     "Это четвёртое.",
     "Суд применил ч. 2 ст. 130 УК к двум фермерам. Они не признали вину. Приговор обжалуют."),
    # a German ordinal date is no sentence end
    ("de", "Die Brücke bleibt bis zum 3. Mai gesperrt. Pendler fahren Umwege. Der Bürgermeister "
     "entschuldigt sich. Mehr folgt.",
     "Die Brücke bleibt bis zum 3. Mai gesperrt. Pendler fahren Umwege. Der Bürgermeister entschuldigt sich."),
    # a closing quote stays with its sentence; a heading line is kept but not counted as a sentence
    ("pl", "Pilne z Gdańska\nRadny powiedział: „To był błąd.” Port stoi. Kolejka rośnie. Nic więcej.",
     "Pilne z Gdańska Radny powiedział: „To był błąd.” Port stoi. Kolejka rośnie."),
])
def test_the_embedded_lead_is_the_first_three_sentences(language: str, text: str, expected: str) -> None:
    assert lead(text, language=language) == expected
    article = Article(title="Headline", text=text, language=language)
    assert article_text(article) == f"Headline. {expected}"


def test_a_long_lead_is_cut_at_a_space() -> None:
    text = "Word " * 400 + "end."
    cut = lead(text, max_chars=100)
    assert len(cut) <= 100 and cut.endswith("Word") and "  " not in cut
