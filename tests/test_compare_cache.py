"""Stored comparisons (reused while the story's inputs are unchanged, redone when they change) and the
statement vectors stored at add time, which make the first comparison of a story fast."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from rashomon import embeddings
from rashomon.compare import compare_story
from rashomon.compare_cache import cached_compare, comparison_key
from rashomon.models import Analysis, Article, Sentence, Story
from rashomon.pipeline import add_paths, embed_compared_statements, reanalyse
from rashomon.sentence_vectors import vector_model
from rashomon.settings import Settings
from rashomon.store import Store, open_store

from .conftest import RESOURCES


class CountingEmbedder:
    """Deterministic unit vectors from text hashes; counts its calls (a fake at the embedding seam)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(8) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def _add(store, n: int, story: str) -> None:  # type: ignore[no-untyped-def]
    text = f"The harbour strike entered its {n} day on Monday, the union said in a statement."
    article = Article(
        id=f"a{n}", title=f"Strike {n}", text=text, language="en", source=f"Wire {n}", published="2023-01-02"
    )
    with store.transaction():
        store.insert_article(article, fingerprint=f"f{n}", bands=[])
        store.save_analysis(Analysis(article_id=article.id, version="v1", sentences=[Sentence(0, 0, len(text), text)]))
        store.assign_article(article.id, story)


def test_a_stored_comparison_is_reused_until_the_story_changes(tmp_path: Path) -> None:
    embed = CountingEmbedder()
    with open_store(str(tmp_path / "c.db")) as store:
        with store.transaction():
            store.save_story(Story(id="s1", title="Strike", event_date="2023-01-02"))
        _add(store, 1, "s1")
        _add(store, 2, "s1")
        first = cached_compare(store, "s1", embedder=embed)
        assert cached_compare(store, "s1", embedder=embed) == first
        assert embed.calls == 1
        key = comparison_key(store, "s1")
        _add(store, 3, "s1")  # a new report joins: the stored comparison no longer fits
        assert comparison_key(store, "s1") != key
        third = cached_compare(store, "s1", embedder=embed)
        assert embed.calls == 2 and len(third["story"]["articles"]) == 3
        with store.transaction():  # re-analysed under another analyser version
            store.save_analysis(Analysis(article_id="a1", version="v2", sentences=[]))
        cached_compare(store, "s1", embedder=embed)
        assert embed.calls == 3


def _embedded_now(store: Store, story_id: str) -> tuple[dict[str, object], set[tuple[str, str]]]:
    """A comparison made in a fresh state of this process, and the (model, text digest) it had to embed."""
    embeddings._cache.clear()
    result = compare_story(store, story_id)
    return result, set(embeddings._cache)


def test_statement_vectors_made_at_add_give_the_same_comparison_without_embedding(db_url: str) -> None:
    with open_store(db_url) as store:
        report = add_paths(store, [RESOURCES / "compare"], settings=Settings(cluster=False))
        ids = sorted(report.added)
        assert len(ids) == 3 and store.sentence_vectors(ids, vector_model()) == {}  # in no story: nothing to compare
        with store.transaction():
            store.save_story(Story(id="barge", title="Barge hits railway bridge", event_date=None))
            for article_id in ids:
                store.assign_article(article_id, "barge")
        assert sorted(embed_compared_statements(store, ids)) == ids
        assert sorted(store.sentence_vectors(ids, vector_model())) == ids
        stored, embedded = _embedded_now(store, "barge")
        assert stored["statements"] and embedded == set()  # every statement's vectors were read

        with store.transaction():  # vectors of another model version must not be read
            for article_id in ids:
                store.save_sentence_vectors(article_id, "an-older-model", b"")
        recomputed, embedded = _embedded_now(store, "barge")
        assert recomputed == stored and len(embedded) > 2 * len(ids)
        assert store.missing_sentence_vectors(vector_model()) == ids

        assert reanalyse(store) == 3  # analyses are current: only the vectors are redone
        assert sorted(store.sentence_vectors(ids, vector_model())) == ids
        assert _embedded_now(store, "barge") == (stored, set())


def test_a_statement_a_changed_analysis_adds_is_embedded_at_compare_time(db_url: str) -> None:
    with open_store(db_url) as store:
        report = add_paths(store, [RESOURCES / "compare"], settings=Settings(cluster=False))
        with store.transaction():
            store.save_story(Story(id="barge", title="Barge hits railway bridge", event_date=None))
            for article_id in report.added:
                store.assign_article(article_id, "barge")
        embed_compared_statements(store, report.added)
        changed = report.added[0]
        analysis = store.get_analysis(changed)
        assert analysis is not None
        new = "The captain of the barge was detained by the river police."
        end = len(store.get_article(changed).text) + 1  # past the text: no entity, figure or date of its own
        analysis.sentences = [*analysis.sentences, Sentence(len(analysis.sentences), end, end + len(new), new)]
        with store.transaction():
            store.save_analysis(analysis)
        result, embedded = _embedded_now(store, "barge")
        digest = hashlib.blake2b(new.encode("utf-8"), digest_size=16).hexdigest()
        assert embedded == {("e5", digest), ("use", digest)}
        assert any(c["text"] == new for s in result["statements"] for c in s["claims"])
