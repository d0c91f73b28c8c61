"""The Spark batch engine on the sample corpus, against the single-process pipeline (one local[2] session)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rashomon.cli import app, sample_corpus
from rashomon.pipeline import add_paths
from rashomon.sentence_vectors import vector_model
from rashomon.settings import Settings
from rashomon.spark import BatchReport, import_batch, run_batch
from rashomon.store import Store, open_store
from rashomon.stories import cluster, features_from_many
from rashomon.stories.fit import pairwise_prf

from .conftest import validate

pytestmark = pytest.mark.spark
pyspark = pytest.importorskip("pyspark")

runner = CliRunner()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local[2] session for the module; run_batch and import_batch reuse the active session."""
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def batch(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[BatchReport, Path]:
    output = tmp_path_factory.mktemp("batch") / "out"
    return run_batch([sample_corpus()], output, master="local[2]"), output


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample corpus through `rashomon add` (one process)."""
    store = open_store(str(tmp_path_factory.mktemp("single") / "single.db"))
    add_paths(store, [sample_corpus()])
    yield store
    store.close()


def _stories(output: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (output / "stories.jsonl").read_text("utf-8").splitlines()]


def test_stories_follow_the_contract_with_every_article_once(
    batch: tuple[BatchReport, Path], schemas: dict[str, Any]
) -> None:
    report, output = batch
    stories = _stories(output)
    validate(stories, "stories.schema.json", schemas)
    ids = [a["id"] for s in stories for a in s["articles"]]
    assert len(ids) == len(set(ids)) == report.articles > 40
    assert len(stories) == report.stories
    assert not report.failures
    for name in ("articles", "entities", "copies", "stories", "story_articles"):
        assert (output / name / "_SUCCESS").exists(), name


def test_agrees_with_the_single_process_pipeline(batch: tuple[BatchReport, Path], single: Store) -> None:
    _, output = batch
    spark_stories = [[a["id"] for a in s["articles"]] for s in _stories(output)]
    assert sorted(i for s in spark_stories for i in s) == sorted(a.id for a in single.list_articles())
    local = {a: s.id for s in single.list_stories() for a in s.article_ids}
    if not local:
        pytest.skip("`rashomon add` does not place articles in stories yet")
    assert len(local) == len(single.list_articles()), "every stored article is in a story"
    precision, recall, f1 = pairwise_prf(spark_stories, local)
    assert f1 >= 0.95, (precision, recall, f1)


def test_blocking_finds_what_a_full_rebuild_finds(batch: tuple[BatchReport, Path], single: Store) -> None:
    """Per-block clustering gives the stories of one `cluster` call over every article."""
    _, output = batch
    spark_stories = [[a["id"] for a in s["articles"]] for s in _stories(output)]
    articles = single.list_articles()
    rebuilt = cluster(features_from_many(articles, [single.get_analysis(a.id) for a in articles]))
    precision, recall, f1 = pairwise_prf(spark_stories, {a: str(i) for i, s in enumerate(rebuilt) for a in s})
    assert f1 >= 0.95, (precision, recall, f1)


def test_import_then_the_cli_lists_the_articles(batch: tuple[BatchReport, Path], tmp_path: Path) -> None:
    report, output = batch
    db = str(tmp_path / "imported.db")
    result = runner.invoke(app, ["import", str(output), "--db", db])
    assert result.exit_code == 0, result.output
    assert f"imported {report.articles} articles" in result.output
    listed = runner.invoke(app, ["articles", "--json", "--db", db])
    assert listed.exit_code == 0, listed.output
    expected = {a["id"] for s in _stories(output) for a in s["articles"]}
    assert {a["id"] for a in json.loads(listed.stdout)} == expected
    with open_store(db) as store:
        assert {s.id for s in store.list_stories()} == {s["id"] for s in _stories(output)}
        assert store.get_analysis(next(iter(expected))) is not None
        again = import_batch(store, output)
    assert again.articles == 0 and again.present == report.articles


def _compared_and_embedded(store: Store) -> tuple[set[str], set[str]]:
    """Articles in stories of two or more articles, and articles with statement vectors."""
    compared = {a for s in store.list_stories() if len(s.article_ids) >= 2 for a in s.article_ids}
    ids = [a.id for a in store.list_articles()]
    return compared, set(store.sentence_vectors(ids, vector_model()))


def test_import_stores_the_statement_vectors_add_stores(
    batch: tuple[BatchReport, Path], single: Store, tmp_path: Path
) -> None:
    _, output = batch
    with open_store(str(tmp_path / "imported.db")) as store:
        import_batch(store, output)
        compared, embedded = _compared_and_embedded(store)
    assert compared and embedded == compared
    assert _compared_and_embedded(single)[1] == _compared_and_embedded(single)[0]


def test_duplicates_are_dropped_as_add_drops_them(spark: Any, tmp_path: Path) -> None:
    source = sample_corpus() / "a_nn_kavaliou_trial.txt"
    text = source.read_text("utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "1.txt").write_text(text, "utf-8")
    (inputs / "2.txt").write_text(text, "utf-8")  # exact copy
    (inputs / "3.txt").write_text(text.replace("\n\n", "\n\nАбзац.\n\n", 1), "utf-8")  # near-duplicate
    (inputs / "4.bin").write_bytes(b"\x00\x01\x02" * 100)  # not an article
    settings = Settings(cluster=False)  # no story features: keeps the embedding models unloaded
    report = run_batch([inputs], tmp_path / "out", master="local[2]", settings=settings)
    with open_store(str(tmp_path / "add.db")) as store:
        added = add_paths(store, [inputs], settings=settings)
    assert (report.articles, report.present, report.copies) == (len(added.added), added.present, added.copies)
    assert (report.articles, report.present, report.copies) == (1, 1, 1)
    assert [f[0] for f in report.failures] == [str(inputs / "4.bin")]


def test_the_same_text_from_another_outlet_is_a_copy_as_add_records_it(spark: Any, tmp_path: Path) -> None:
    text = sample_corpus().joinpath("a_nn_kavaliou_trial.txt").read_text("utf-8")
    title, _, body = text.partition("\n")
    record = {"title": title, "text": body, "published": "2024-03-01"}
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = [
        {**record, "source": "First Outlet", "url": "https://first.example/a"},
        {**record, "source": "Second Outlet", "url": "https://second.example/a"},  # syndicated word for word
        {**record, "source": "First Outlet", "url": "https://first.example/a"},  # the same page read again
    ]
    (inputs / "feed.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    settings = Settings(cluster=False)
    report = run_batch([inputs], tmp_path / "out", master="local[2]", settings=settings)
    with open_store(str(tmp_path / "add.db")) as store:
        added = add_paths(store, [inputs], settings=settings)
    assert (report.articles, report.present, report.copies) == (len(added.added), added.present, added.copies)
    assert (report.articles, report.present, report.copies) == (1, 1, 1)
    with open_store(str(tmp_path / "imported.db")) as store:
        import_batch(store, tmp_path / "out", master="local[2]")
        (original,) = store.list_articles()
        assert [c["source"] for c in store.copies_of(original.id)] == ["Second Outlet"]


def test_batch_command_reports_a_bad_engine() -> None:
    result = runner.invoke(app, ["batch", "--engine", "flink", "in", "out"])
    assert result.exit_code == 2
