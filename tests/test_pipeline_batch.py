"""`add` steps the new articles of many files in one model call, and stores what it stored one at a time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rashomon import embeddings, pipeline
from rashomon.models import Analysis, Article
from rashomon.pipeline import add_paths
from rashomon.settings import Settings
from rashomon.store import open_store
from rashomon.stories.placement import _VECTOR_MODEL, _load_vectors

RESOURCES = Path(__file__).parent / "resources"
# One article per file, six languages, stories of one and of several articles.
CORPUS = [RESOURCES / "cli" / name for name in ("library_be.txt", "library_en.txt", "river_en.txt", "river_ru.txt")] + [
    RESOURCES / "compare" / name for name in ("barge_be.txt", "barge_en.txt", "barge_ru.txt")
] + [RESOURCES / "ingest" / name for name in ("en_furniture.txt", "be_furniture.txt", "pl_latin2.txt",
                                              "uk_bom.txt", "de_utf16.txt")]

ARTICLE_STEPS = pipeline.article_steps


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, path in enumerate(CORPUS):
        shutil.copy(path, folder / f"{i:02d}_{path.name}")
    return folder


def _add(db: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, step_batch: int) -> dict[str, Any]:
    """Add ``folder`` with calls of ``step_batch`` articles; what was stored, and the call sizes."""
    monkeypatch.setattr(pipeline, "_STEP_BATCH", step_batch)
    embeddings._cache.clear()  # every run embeds its texts itself, not from the last run's cache
    calls: list[int] = []

    def counted(articles: list[Article], **kwargs: Any) -> list[pipeline.ArticleStep]:
        calls.append(len(articles))
        return ARTICLE_STEPS(articles, **kwargs)

    monkeypatch.setattr(pipeline, "article_steps", counted)
    with open_store(str(db)) as store:
        report = add_paths(store, [folder])
        ids = report.added
        analyses = store.get_analyses(ids)
        return {
            "added": ids,
            "failures": report.failures,
            "stories": sorted((sorted(s.article_ids), s.title, s.event_date) for s in store.list_stories()),
            "analyses": {i: analyses[i].to_json() for i in ids},
            "vectors": {i: _load_vectors(blob) for i, blob in store.get_vectors(ids, _VECTOR_MODEL).items()},
            "calls": calls,
        }


def test_articles_stepped_together_are_stored_as_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    alone = _add(tmp_path / "alone.db", folder, monkeypatch, 1)
    together = _add(tmp_path / "together.db", folder, monkeypatch, 32)

    assert alone["calls"] == [1] * len(CORPUS)
    assert together["calls"] == [len(CORPUS)]  # every file's article in one call
    assert together["failures"] == alone["failures"] == []
    assert together["added"] == alone["added"] and len(together["added"]) == len(CORPUS)  # same order
    assert together["stories"] == alone["stories"]
    assert any(len(ids) > 1 for ids, _, _ in together["stories"])
    assert together["analyses"] == alone["analyses"]  # statements, entities, quotes, figures
    for article_id, vectors in alone["vectors"].items():
        assert vectors.keys() == together["vectors"][article_id].keys() == set(embeddings.MODELS)
        for model, vector in vectors.items():
            np.testing.assert_allclose(together["vectors"][article_id][model], vector, atol=1e-5)


def test_calls_cross_files_and_split_large_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _add(tmp_path / "db", _folder(tmp_path), monkeypatch, 5)
    assert found["calls"] == [5, 5, 2]
    assert len(found["added"]) == len(CORPUS)


def test_a_file_that_fails_costs_no_other_file_its_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    (folder / "05b_empty.txt").write_text("   \n", "utf-8")  # fails when read
    poisoned = folder / "03b_poisoned.txt"  # fails in analysis, inside a call with the others
    poisoned.write_text("Poisoned headline\n\nThis text makes the analysis fail for the test.\n", "utf-8")
    analyse = pipeline.analyse

    def failing(article: Article) -> Analysis:
        if "makes the analysis fail" in article.text:
            raise ValueError("broken\nsecond line")
        return analyse(article)

    monkeypatch.setattr(pipeline, "analyse", failing)
    embeddings._cache.clear()
    lines: list[str] = []
    with open_store(str(tmp_path / "db")) as store:
        report = add_paths(store, [folder], settings=Settings(), on_file=lambda path, _: lines.append(path.name))
        stored = {a.path for a in store.list_articles()}
        assert len(store.list_stories()) >= 1

    assert len(report.added) == len(CORPUS)
    assert stored == {str(p) for p in folder.iterdir() if p.name not in ("05b_empty.txt", "03b_poisoned.txt")}
    failures = dict(report.failures)
    assert set(failures) == {str(poisoned), str(folder / "05b_empty.txt")}
    assert failures[str(poisoned)] == "analysis failed: ValueError: broken"
    assert all("\n" not in reason for reason in failures.values())
    assert lines == sorted(p.name for p in folder.iterdir())  # every file reported, in order


def _openmp_waiting(user_value: str | None) -> tuple[str, int]:
    """The wait policy and spin count e5's OpenMP runtime reports when it loads, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    env |= {"OMP_DISPLAY_ENV": "VERBOSE", "PYTHONPATH": str(Path(__file__).parents[1]), "HF_HUB_OFFLINE": "1"}
    if user_value is not None:
        env["OMP_WAIT_POLICY"] = user_value
    code = "from rashomon.embeddings import embed_texts; embed_texts(['Ein Satz.'], model='e5')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    policy = re.findall(r"OMP_WAIT_POLICY = '(\w+)'", done.stderr)
    spins = re.findall(r"GOMP_SPINCOUNT = '(\d+)'", done.stderr)
    assert len(policy) == len(spins) == 1, done.stderr
    return policy[0], int(spins[0])


def test_e5_threads_sleep_when_waiting_unless_the_user_chose_a_policy() -> None:
    # unset, the runtime says PASSIVE but spins 300,000 times before sleeping
    assert _openmp_waiting(None) == ("PASSIVE", 0)
    policy, spins = _openmp_waiting("ACTIVE")
    assert policy == "ACTIVE" and spins > 0
