"""The storage layer on both backends: migrations, transactions, search, concurrent writers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rashomon.errors import NotFound, StoreError
from rashomon.models import Analysis, Article, Story
from rashomon.store import open_store
from rashomon.store.base import _migrations


def _article(n: int, text: str = "") -> Article:
    return Article(
        id=f"id{n:010d}", title=f"Title {n}", text=text or f"Body number {n} about the harbour strike.",
        language="en", source="Wire", published=f"2023-01-{n % 28 + 1:02d}",
    )


def test_migrations_are_applied_once_and_reopen_is_a_no_op(db_url: str) -> None:
    latest = max(version for version, _ in _migrations("sqlite"))
    with open_store(db_url) as store:
        assert store._schema_version() == latest
        with store.transaction():
            store.insert_article(_article(1), fingerprint="f1", bands=["0:aa"])
    with open_store(db_url) as store:
        assert store._schema_version() == latest
        assert store.count_articles() == 1


def test_a_failed_transaction_leaves_nothing(db_url: str) -> None:
    with open_store(db_url) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.insert_article(_article(1), fingerprint="f1", bands=[])
            raise RuntimeError("interrupted")
        assert store.count_articles() == 0


def test_search_ranks_matches_and_ignores_query_syntax(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            store.insert_article(_article(1, "Dockers in Gdańsk strike over pay."), fingerprint="a", bands=[])
            store.insert_article(_article(2, "Докеры в Гданьске бастуют."), fingerprint="b", bands=[])
        assert [h.article.id for h in store.search("strike")] == [_article(1).id]
        assert [h.article.id for h in store.search("бастуют")] == [_article(2).id]
        assert [h.article.id for h in store.search("strike\" (*")] == [_article(1).id]
        assert store.search("***") == []


def test_stories_and_decisions_round_trip(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            for n in (1, 2):
                store.insert_article(_article(n), fingerprint=f"f{n}", bands=[])
            store.save_story(Story(id="s1", title="Harbour strike", event_date="2023-01-02"))
            store.assign_article(_article(1).id, "s1")
            store.assign_article(_article(2).id, "s1")
            store.add_decision("move", {"article": _article(2).id, "story": "s1"})
        story = store.get_story("s1")
        assert story.article_ids == sorted([_article(1).id, _article(2).id])
        assert story.languages == ["en"] and story.sources == ["Wire"]
        assert store.decisions("move") == [("move", {"article": _article(2).id, "story": "s1"})]
        with pytest.raises(NotFound):
            store.get_story("nope")


def test_stories_dated_near_and_recent_members(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            store.save_story(Story(id="s1", title="Harbour strike", event_date=None))
            for n in (1, 5, 9):
                store.insert_article(_article(n), fingerprint=f"f{n}", bands=[])
                store.assign_article(_article(n).id, "s1")
        # published 2023-01-02, -06 and -10; the event date of an analysis counts too
        assert [a for a, _ in store.story_members_between("2023-01-05", "2023-01-10")] == [
            _article(5).id, _article(9).id]
        assert len(store.recent_story_members(2)) == 2


def test_comparisons_are_kept_per_story_and_go_with_it(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            store.save_story(Story(id="s1", title="Harbour strike", event_date=None))
            store.save_comparison("s1", "k1", {"statements": [1]})
            store.save_comparison("s1", "k2", {"statements": [2]})
        assert store.cached_comparison("s1", "k1") is None  # replaced by the newer key
        assert store.cached_comparison("s1", "k2") == {"statements": [2]}
        with store.transaction():
            store.clear_stories()
        assert store.cached_comparison("s1", "k2") is None


def test_name_vectors_are_cached_per_model(db_url: str) -> None:
    names = [f"Harbour Board {n}" for n in range(700)]  # more than one IN (...) batch
    with open_store(db_url) as store:
        assert store.name_vectors(names, "m1") == {}
        with store.transaction():
            store.save_name_vectors([(n, n.encode()) for n in names], "m1")
        assert store.name_vectors([*names, "Port Authority"], "m1") == {n: n.encode() for n in names}
        assert store.name_vectors(names, "m2") == {}
        with store.transaction():  # another model's vector replaces the old one
            store.save_name_vectors([(names[0], b"\x00\xff")], "m2")
        assert store.name_vectors(names[:2], "m2") == {names[0]: b"\x00\xff"}
        assert names[0] not in store.name_vectors(names[:2], "m1")


def test_sentence_vectors_are_kept_per_article_and_model(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            for n in (1, 2, 3):
                store.insert_article(_article(n), fingerprint=f"f{n}", bands=[])
            for n in (1, 2):  # article 3 is not analysed: it has no statements yet
                store.save_analysis(Analysis(article_id=_article(n).id, version="v1"))
        one, two = _article(1).id, _article(2).id
        assert store.missing_sentence_vectors("m1") == [one, two]
        with store.transaction():
            store.save_sentence_vectors(one, "m1", b"\x00\x01")
        assert store.sentence_vectors([one, two], "m1") == {one: b"\x00\x01"}
        assert store.missing_sentence_vectors("m1") == [two]
        with store.transaction():  # another model's vectors replace the article's old ones
            store.save_sentence_vectors(one, "m2", b"\x02")
        assert store.sentence_vectors([one, two], "m1") == {}
        assert store.sentence_vectors([one], "m2") == {one: b"\x02"}
        assert store.missing_sentence_vectors("m1") == [one, two]


def test_unusable_database_paths_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "no" / "such" / "folder" / "x.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        open_store(str(junk))


def test_concurrent_add_processes_lose_nothing(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(24):
        (corpus / f"a{i:02d}.jsonl").write_text(
            f'{{"title": "Tram line {i} opens", "text": "Tram line {i} opened in district {i} on Friday '
            f'after {i + 2} years of works, the city transport office said."}}\n',
            encoding="utf-8",
        )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rashomon", "add", str(corpus), "--db", db_url],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr
        assert "locked" not in stderr
    added = sum(int(out.split("added ")[1].split(",")[0]) for out, _ in outputs)
    assert added == 24
    with open_store(db_url) as store:
        assert store.count_articles() == 24


def test_a_failed_write_is_a_store_error_and_the_store_stays_usable(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            store.insert_article(_article(1), fingerprint="f1", bands=[])
        with pytest.raises(StoreError, match="database write failed"), store.transaction():
            store.insert_article(_article(1), fingerprint="f1", bands=[])  # same id: the database refuses
        with store.transaction():
            store.insert_article(_article(2), fingerprint="f2", bands=[])
        assert store.count_articles() == 2
