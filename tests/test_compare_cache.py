"""Stored comparisons: reused while the story's inputs are unchanged, redone when they change."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rashomon.compare_cache import cached_compare, comparison_key
from rashomon.models import Analysis, Article, Sentence, Story
from rashomon.store import open_store


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
