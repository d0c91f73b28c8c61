"""`add_paths` reports where its time went, and workers run the models on their share of the cores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from rashomon import embeddings
from rashomon.pipeline import _Analyser, _init_worker, add_paths, embed_compared_statements
from rashomon.sentence_vectors import embed_statements_of, stored_vectors, vector_model
from rashomon.settings import Settings
from rashomon.store import open_store

RESOURCES = Path(__file__).parent / "resources"

ARTICLES = {
    "harbour.txt": "Storm closes the harbour of Klaipeda\n\nThe port authority of Klaipeda closed the harbour on "
    "Tuesday after a storm damaged two cranes. About 40 ships waited outside, officials said.\n",
    "bridge.txt": "Мост в Гродно закрыли на ремонт\n\nВ Гродно во вторник закрыли старый мост через Неман. "
    "Ремонт продлится три месяца и обойдётся в 2 миллиона рублей, сообщили в горисполкоме.\n",
}


def test_add_reports_wall_and_cpu_time_by_stage(tmp_path: Path) -> None:
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, "utf-8")
    with open_store(str(tmp_path / "db.sqlite")) as store:
        report = add_paths(store, [tmp_path], settings=Settings())
    assert len(report.added) == 2
    expected = {"read", "analysis", "statement vectors", "store", "stories", "entities"}
    assert expected <= set(report.stages)
    for wall, cpu in report.stages.values():
        assert wall >= 0 and cpu >= 0
    assert report.stages["analysis"][1] > 0  # CPU counted, not only wall


def test_a_worker_runs_the_embedding_models_on_the_threads_it_is_given() -> None:
    before = embeddings._threads()
    try:
        _init_worker(1)
        assert embeddings._threads() == 1
        _init_worker(3)
        assert embeddings._threads() == 3
    finally:
        embeddings.set_threads(before)


def test_statements_are_embedded_once_a_story_has_a_second_article(tmp_path: Path) -> None:
    barge = sorted((RESOURCES / "compare").iterdir())
    with open_store(str(tmp_path / "v.db")) as store:
        first = add_paths(store, [barge[0]]).added
        assert len(first) == 1 and store.sentence_vectors(first, vector_model()) == {}  # alone: nothing to compare
        second = add_paths(store, [barge[1]]).added
        ids = first + second
        assert store.story_of(first[0]) == store.story_of(second[0]) is not None
        assert sorted(store.sentence_vectors(ids, vector_model())) == sorted(ids)


def test_two_workers_make_the_statement_vectors_one_process_makes(tmp_path: Path) -> None:
    corpus = sorted((RESOURCES / "compare").iterdir()) + sorted((RESOURCES / "cli").iterdir())
    made = {}
    for workers in (1, 2):
        with open_store(str(tmp_path / f"w{workers}.db")) as store:
            report = add_paths(store, corpus, settings=Settings(workers=workers))
            ids = sorted(report.added)
            compared = [a for a in ids if len(store.story_article_ids(store.story_of(a) or "")) >= 2]
            assert len(ids) == 7 and len(compared) >= 5  # the barge story, the library and the river
            assert sorted(store.sentence_vectors(ids, vector_model())) == compared
            made[workers] = stored_vectors(store, ids)
            assert report.stages["statement vectors"][1] > 0  # the workers' CPU is counted
    assert made[1].keys() == made[2].keys() and made[1]
    for key, vectors in made[1].items():
        for model, vector in vectors.items():
            np.testing.assert_allclose(made[2][key][model], vector, atol=1e-5)


def test_statement_vectors_are_cut_into_calls_to_share_among_workers(tmp_path: Path) -> None:
    corpus = sorted((RESOURCES / "compare").iterdir()) + sorted((RESOURCES / "cli").iterdir())
    with open_store(str(tmp_path / "v.db")) as store:
        ids = add_paths(store, corpus, settings=Settings()).added
        sizes: list[int] = []

        def run(calls: Iterator[list[list[str]]]) -> Iterator[list[bytes]]:
            for call in calls:
                sizes.append(len(call))
                yield embed_statements_of(call)

        compared = embed_compared_statements(store, ids, replace=True, run=run, calls_at_least=4)
        assert len(compared) >= 5 and sum(sizes) == len(compared)
        assert len(sizes) >= 2 and max(sizes) <= max(4, -(-len(compared) // 4))  # at least 4 articles a call
        sizes.clear()
        assert embed_compared_statements(store, ids, run=run) == [] and sizes == []  # all stored: nothing to do


def test_workers_start_with_blas_and_openmp_on_their_share_of_the_cores() -> None:
    before = {name: os.environ.get(name) for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    with _Analyser(2, features=False) as analyser:
        seen = analyser._submit(_environment, ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")).result()
    share = str(max(1, (os.cpu_count() or 1) // 2))
    assert seen == {name: value or share for name, value in before.items()}  # a user's own setting is kept
    assert {name: os.environ.get(name) for name in before} == before  # this process is left as it was


def _environment(names: tuple[str, ...]) -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in names}
