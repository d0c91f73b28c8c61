"""The library entry point: read files -> analyse -> store -> place in stories -> resolve entities
(the registry reads each article's story) -> embed the statements of stories with two or more articles.

Each input file is stored in its own transaction (a WARC every ``_WARC_BATCH`` records), so an
interrupted run leaves only whole files behind and rerunning the same command finishes the job.
The statements a comparison will need are embedded (:mod:`rashomon.sentence_vectors`) only for
articles whose story has two or more articles, once stories are placed, many articles per model call
(by the workers, with ``--workers``): most stories of an archive have one article and nothing to compare.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from .analyse import analyse
from .compare import statement_texts
from .dedup import fingerprint, id_for_fingerprint, jaccard, lsh_bands
from .embeddings import set_threads
from .errors import InputError, RashomonError
from .ingest import RecordError, read_path
from .linking import resolve_entities, update_links
from .models import Analysis, Article
from .sentence_vectors import (
    EmbedCalls,
    embed_statements_of,
    ensure_statement_vectors,
    vector_model,
)
from .settings import Settings
from .store import Store
from .stories import ArticleFeatures, features_from_many
from .stories.placement import place_in_stories, save_story_vectors

_T = TypeVar("_T")
# Records of one WARC stored per transaction: bounds memory and the work lost to an interruption.
_WARC_BATCH = 200
# Articles the per-article step takes in one call, gathered across files, so e5 and USE embed all
# their leads at once. One article per call (files of one article each) let e5's OpenMP threads
# spin at every call: 64 leads cost 63 CPU-s one at a time against 8 in calls of 32 on a loaded
# 2-core machine (5 either way once they sleep instead, embeddings.py; USE still gains ~30 %).
# 32 leads (~2,000 tokens) amortise a call; only the files of one call wait for it.
_STEP_BATCH = 32
# The stage of AddReport.stages in which this process waits for its workers (their stages overlap it).
WAITING = "waiting for workers"
# Variables that set the thread pools of numpy's BLAS and of OpenMP when a library loads; a worker
# process gets them in its environment, since it loads numpy before its initializer runs.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class AddReport:
    """What one ``add`` did: counts, and one line per failure."""

    added: list[str] = field(default_factory=list)
    present: int = 0
    copies: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file or file+record, reason)
    files: int = 0
    # Already stored but in no story: a run killed between storing a file and clustering left them so.
    unlinked: list[str] = field(default_factory=list)
    # Seconds by stage, [wall, CPU]; stages run in workers add up each worker's time.
    stages: dict[str, list[float]] = field(default_factory=dict)

    def add_time(self, stage: str, wall: float, cpu: float) -> None:
        """Count ``wall`` and ``cpu`` seconds towards ``stage``."""
        total = self.stages.setdefault(stage, [0.0, 0.0])
        total[0] += wall
        total[1] += cpu

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Count the wall and CPU time of this process in the block towards ``stage``."""
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add_time(stage, time.perf_counter() - wall, time.process_time() - cpu)

    def summary(self) -> str:
        """``added 120, already present 3, near-duplicates 1, failed 2``."""
        text = f"added {len(self.added)}, already present {self.present}"
        if self.copies:
            text += f", near-duplicates {self.copies}"
        return text + f", failed {len(self.failures)}"


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article with its id, text fingerprint and near-duplicate bands, ready to store."""

    article: Article
    fingerprint: str
    bands: list[str]


def iter_input_files(paths: Sequence[Path], *, recursive: bool) -> Iterator[Path]:
    """The files named, and those in named folders (all levels with ``recursive``), in a stable order."""
    for path in paths:
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            for child in sorted(path.glob(pattern)):
                if child.is_file() and not child.name.startswith("."):
                    yield child
        else:
            yield path


def add_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    settings: Settings | None = None,
    source: str | None = None,
    language: str | None = None,
    recursive: bool = False,
    keep_paths: bool = True,
    on_file: Callable[[Path, AddReport], None] | None = None,
) -> AddReport:
    """Ingest files into the store, analysing new articles and placing them in stories.

    Args:
        store: an open store.
        paths: files or folders.
        settings: limits and switches; defaults when omitted.
        source: outlet name that overrides what the files say.
        language: ISO 639-1 code that overrides detection.
        recursive: descend into sub-folders of folders.
        keep_paths: False for temporary files (uploads) whose path means nothing later.
        on_file: called after each file, e.g. to advance a progress bar.

    Returns:
        An :class:`AddReport`; failures never stop the batch.
    """
    settings = settings or Settings()
    report = AddReport()
    with _Analyser(settings.workers if settings.analyse else 0, features=settings.cluster) as analyser:
        units = _read_units(store, iter_input_files(paths, recursive=recursive), settings=settings,
                            source=source, language=language, keep_path=keep_paths, report=report)
        window: deque[_Unit] = deque()
        # Files are read (and their analysis started) ahead of the one being stored, so the models
        # get many articles per call and the workers stay busy, while each file is still written in
        # a transaction of its own, in order.
        for unit in _timed_iter(units, report, "read"):
            unit.analyses = analyser.submit([p.article for p in unit.batch])
            window.append(unit)
            while window and analyser.due(window):
                _finish(store, window.popleft(), settings=settings, report=report, on_file=on_file)
        while window:
            _finish(store, window.popleft(), settings=settings, report=report, on_file=on_file)
        # The workers stay up for the statement vectors, the largest share of the work.
        if (report.added or report.unlinked) and settings.cluster:
            _cluster(store, list(dict.fromkeys(report.added + report.unlinked)), analyser=analyser, report=report)
    return report


def _cluster(store: Store, placed: list[str], *, analyser: _Analyser, report: AddReport) -> None:
    """Place the new articles in stories, rebuild the entity registry, and embed the statements of
    the stories that now have two or more articles (in the workers, when there are workers)."""
    with report.timed("stories"):
        place_in_stories(store, placed)
    with report.timed("entities"):
        resolve_entities(store)
    # With workers, this process only reads the statements and stores the vectors the workers make.
    with report.timed("statement vectors" if analyser.pool is None else WAITING):
        embed_compared_statements(store, placed, run=analyser.statement_calls(report),
                                  calls_at_least=2 * analyser.workers if analyser.pool else 1)


def embed_compared_statements(
    store: Store, article_ids: Sequence[str], *, replace: bool = False, run: EmbedCalls | None = None,
    calls_at_least: int = 1,
) -> list[str]:
    """Embed the statements of every article in a story of two or more articles that holds one of
    ``article_ids`` and has none stored (:func:`rashomon.sentence_vectors.ensure_statement_vectors`,
    which takes ``run`` and ``calls_at_least``); ``replace`` re-embeds those of ``article_ids``.
    Returns the ids embedded."""
    members: list[str] = []
    replaced: list[str] = []
    for story_id in dict.fromkeys(s for s in map(store.story_of, article_ids) if s is not None):
        ids = store.story_article_ids(story_id)
        if len(ids) >= 2:
            members.extend(ids)
    if replace:
        wanted = set(article_ids)
        replaced = [a for a in members if a in wanted]
        members = [a for a in members if a not in wanted]
    return [a for ids, again in ((replaced, True), (members, False))
            for a in ensure_statement_vectors(store, ids, statement_texts, replace=again, run=run,
                                              calls_at_least=calls_at_least)]


def _timed_iter(items: Iterator[_Unit], report: AddReport, stage: str) -> Iterator[_Unit]:
    """``items``, counting the time spent making each towards ``stage``."""
    while True:
        with report.timed(stage):
            item = next(items, None)
        if item is None:
            return
        yield item


@dataclass
class _Unit:
    """New articles of one file (or of one WARC chunk) on their way to the store."""

    path: Path
    batch: list[PreparedArticle]
    last: bool  # the file's last unit: report the file as done after it
    error: str | None = None
    analyses: Callable[[], list[ArticleStep] | str] | None = None  # the steps, or why they failed


def _read_units(
    store: Store, files: Iterable[Path], *, settings: Settings, source: str | None, language: str | None,
    keep_path: bool, report: AddReport,
) -> Iterator[_Unit]:
    """Read and prepare each file; a file that fails becomes one unit carrying the reason."""
    for path in files:
        report.files += 1
        try:
            yield from _file_units(store, path, settings=settings, source=source, language=language,
                                   keep_path=keep_path, report=report)
        except RashomonError as exc:
            yield _Unit(path, [], True, error=str(exc))
        except OSError as exc:
            yield _Unit(path, [], True, error=exc.strerror or str(exc))


def _file_units(
    store: Store, path: Path, *, settings: Settings, source: str | None, language: str | None,
    keep_path: bool, report: AddReport,
) -> Iterator[_Unit]:
    records = read_path(path, max_bytes=settings.max_file_bytes, source=source, language=language)
    batch: list[PreparedArticle] = []
    for record in records:
        if isinstance(record, RecordError):
            report.failures.append((f"{path} ({record.location})", record.reason))
            continue
        if not keep_path:
            record.path = None
        prepared = prepare_article(record)
        stored = store.article_id_by_fingerprint(prepared.fingerprint)
        if stored is not None:
            copied = _identical_copy(store, prepared, stored)
            report.copies += copied
            report.present += not copied
            if settings.cluster and store.story_of(stored) is None:
                report.unlinked.append(stored)
            continue
        batch.append(prepared)
        if len(batch) >= _WARC_BATCH:
            yield _Unit(path, batch, False)
            batch = []
    yield _Unit(path, batch, True)


def _finish(
    store: Store, unit: _Unit, *, settings: Settings, report: AddReport,
    on_file: Callable[[Path, AddReport], None] | None,
) -> None:
    analyses: list[ArticleStep] | str = []
    if unit.error is None and unit.analyses is not None:
        with report.timed(WAITING):
            analyses = unit.analyses()
    if isinstance(analyses, str):
        report.failures.append((str(unit.path), analyses))
    elif unit.error is not None:
        report.failures.append((str(unit.path), unit.error))
    else:
        for analysed in analyses:
            for stage, (wall, cpu) in analysed.seconds.items():
                report.add_time(stage, wall, cpu)
        with report.timed("store"):
            _store_batch(store, unit.batch, analyses, settings=settings, report=report)
    if unit.last and on_file is not None:
        on_file(unit.path, report)


@dataclass(frozen=True, slots=True)
class ArticleStep:
    """What :func:`article_steps` makes of one article: its analysis and story features."""

    article_id: str
    analysis: Analysis | None
    features: ArticleFeatures | None  # None when clustering is off
    seconds: dict[str, tuple[float, float]] = field(default_factory=dict)  # stage -> (wall, CPU), a share

    def save(self, store: Store) -> None:
        """Store the analysis and the story embeddings (inside the caller's transaction)."""
        if self.analysis is not None:
            store.save_analysis(self.analysis)
        if self.features is not None:
            save_story_vectors(store, self.article_id, dict(self.features.embeddings))


def article_steps(
    articles: Sequence[Article], *, analyse_text: bool = True, features: bool = True
) -> list[ArticleStep]:
    """The per-article step of ``add`` and of the Spark batch (run in their workers): analyse each
    article, then make its story features (article embeddings batched across ``articles``).

    Statement vectors are not made here: only a story of two or more articles needs them
    (:func:`embed_compared_statements`, once stories are placed)."""
    if not articles:
        return []
    wall, cpu = time.perf_counter(), time.process_time()
    analyses: list[Analysis | None] = [analyse(a) for a in articles] if analyse_text else [None] * len(articles)
    middle = time.perf_counter(), time.process_time()
    made: list[ArticleFeatures | None] = (
        list(features_from_many(articles, analyses if analyse_text else None)) if features else [None] * len(articles)
    )
    end = time.perf_counter(), time.process_time()
    share = len(articles)
    seconds = {
        "analysis": ((middle[0] - wall) / share, (middle[1] - cpu) / share),
        "story features": ((end[0] - middle[0]) / share, (end[1] - middle[1]) / share),
    }
    return [ArticleStep(a.id, analysis, feature, dict(seconds))
            for a, analysis, feature in zip(articles, analyses, made, strict=True)]


def grouped_steps(groups: Sequence[Sequence[Article]], *, features: bool) -> list[list[ArticleStep] | str]:
    """:func:`article_steps` over the articles of all ``groups`` (one file's new articles each) in one
    call, returned by group. If the call fails, each group is run alone: a group that fails then gets
    the one-line reason instead of its steps, so one bad file costs no other file its articles."""
    articles = [a for group in groups for a in group]
    try:
        steps = article_steps(articles, features=features)
    except Exception as exc:  # any failure is reported as a line naming the file, never a traceback
        if len(groups) > 1:
            return [grouped_steps([group], features=features)[0] for group in groups]
        return ["analysis failed: " + (f"{type(exc).__name__}: {exc}".splitlines() or [""])[0]]
    out: list[list[ArticleStep] | str] = []
    start = 0
    for group in groups:
        out.append(steps[start:start + len(group)])
        start += len(group)
    return out


def _init_worker(threads: int) -> None:
    """Give a worker's embedding models ``threads`` threads, so that N workers use the N cores."""
    set_threads(threads)


def _embed_call(articles: list[list[str]]) -> tuple[list[bytes], float, float]:
    """:func:`rashomon.sentence_vectors.embed_statements_of` in a worker, with its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    packed = embed_statements_of(articles)
    return packed, time.perf_counter() - wall, time.process_time() - cpu


class _Piece:
    """Up to ``_STEP_BATCH`` articles of one file, and once they are stepped, their steps."""

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles
        self.steps: list[ArticleStep] | str | None = None
        self.future: Future[list[list[ArticleStep] | str]] | None = None
        self.index = 0  # of this piece in the call the future runs

    def result(self) -> list[ArticleStep] | str:
        if self.steps is None and self.future is not None:
            self.steps = self.future.result()[self.index]
            self.future = None
        assert self.steps is not None, "a piece is stepped before its result is asked for"
        return self.steps


class _Analyser:
    """Runs :func:`article_steps` in this process, or in worker processes when ``workers`` > 1, on
    calls of about ``_STEP_BATCH`` articles gathered across files; then the statement vectors, the
    largest share of the work (:meth:`statement_calls`).

    Not a dataclass: it owns a process pool. Workers are spawned (not forked: the language models
    hold threads) and each loads the models once, which pays off from a few dozen articles on. Each
    worker runs e5, and numpy's BLAS (USE), on cores/workers threads: two workers of 2 OpenMP threads
    each on 2 cores spun against each other and made ``--workers 2`` slower than one (bench_pipeline.py).
    """

    def __init__(self, workers: int, *, features: bool) -> None:
        self.workers = workers
        self.features = features
        self.pool: ProcessPoolExecutor | None = None
        self.threads = 0  # of each worker's models, BLAS and OpenMP
        self.queued: list[_Piece] = []
        # With workers: articles read ahead of the file being stored, two calls per worker.
        self.lookahead = workers * 2 * _STEP_BATCH

    def __enter__(self) -> _Analyser:
        if self.workers > 1:
            self.threads = max(1, (os.cpu_count() or 1) // self.workers)
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                            initializer=_init_worker, initargs=(self.threads,))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _submit(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> Future[_T]:
        """Submit to the pool. A submission may start a worker, which inherits this environment: the
        thread counts of BLAS and OpenMP are set in it meanwhile (a user's own choice is kept)."""
        assert self.pool is not None
        saved = {name: os.environ.get(name) for name in _THREAD_VARIABLES}
        for name, value in saved.items():
            if value is None:
                os.environ[name] = str(self.threads)
        try:
            return self.pool.submit(fn, *args, **kwargs)
        finally:
            for name, value in saved.items():
                if value is None:
                    del os.environ[name]

    def statement_calls(self, report: AddReport) -> EmbedCalls | None:
        """How statement vectors are made: ``None`` (in this process), or in the workers, two calls in
        flight per worker, their time counted towards the "statement vectors" stage of ``report``."""
        if self.pool is None:
            return None

        def run(calls: Iterator[list[list[str]]]) -> Iterator[list[bytes]]:
            flying: deque[Future[tuple[list[bytes], float, float]]] = deque()
            for call in calls:
                flying.append(self._submit(_embed_call, call))
                if len(flying) >= 2 * self.workers:
                    yield self._landed(flying.popleft(), report)
            while flying:
                yield self._landed(flying.popleft(), report)

        return run

    @staticmethod
    def _landed(future: Future[tuple[list[bytes], float, float]], report: AddReport) -> list[bytes]:
        packed, wall, cpu = future.result()
        report.add_time("statement vectors", wall, cpu)
        return packed

    def submit(self, articles: list[Article]) -> Callable[[], list[ArticleStep] | str]:
        """Queue the articles of one file; the returned callable waits for their steps (in order) or
        the reason they failed. The queue is stepped once it holds ``_STEP_BATCH`` articles, or when
        a queued file's steps are asked for."""
        if self.workers == 0 or not articles:
            return lambda: []
        pieces = [_Piece(articles[i:i + _STEP_BATCH]) for i in range(0, len(articles), _STEP_BATCH)]
        self.queued.extend(pieces)
        if sum(len(p.articles) for p in self.queued) >= _STEP_BATCH:
            self._step_queued()

        def steps() -> list[ArticleStep] | str:
            if any(p.steps is None and p.future is None for p in pieces):
                self._step_queued()
            results = [p.result() for p in pieces]
            made: list[ArticleStep] = []
            for result in results:
                if isinstance(result, str):
                    return result
                made.extend(result)
            return made

        return steps

    def due(self, window: deque[_Unit]) -> bool:
        """Whether the oldest file of ``window`` (read, not yet stored) should be stored now: in this
        process once its steps are made; with workers once too many articles are read ahead."""
        if self.pool is None:
            return not self.queued
        return sum(len(unit.batch) for unit in window) > self.lookahead

    def _step_queued(self) -> None:
        """Step the queued pieces, in calls of at least ``_STEP_BATCH`` articles (the last may be short)."""
        calls: list[list[_Piece]] = [[]]
        for piece in self.queued:
            if sum(len(p.articles) for p in calls[-1]) >= _STEP_BATCH:
                calls.append([])
            calls[-1].append(piece)
        self.queued = []
        for call in calls:
            groups = [p.articles for p in call]
            if self.pool is None:
                for piece, steps in zip(call, grouped_steps(groups, features=self.features), strict=True):
                    piece.steps = steps
            else:
                future = self._submit(grouped_steps, groups, features=self.features)
                for index, piece in enumerate(call):
                    piece.future, piece.index = future, index


def prepare_article(article: Article) -> PreparedArticle:
    """Give a read article its content-derived id, fingerprint and near-duplicate bands."""
    if not article.text.strip():
        raise InputError("no article text found")
    digest = fingerprint(article.title, article.text)
    article.id = id_for_fingerprint(digest)
    if article.path:
        article.path = os.path.abspath(article.path)
    return PreparedArticle(article=article, fingerprint=digest, bands=lsh_bands(article.text))


def _store_batch(
    store: Store, batch: list[PreparedArticle], analysed: list[ArticleStep], *, settings: Settings,
    report: AddReport,
) -> None:
    """Store a batch and its analyses (made outside the write lock) in one transaction."""
    if not batch:
        return
    analyses = {a.article_id: a for a in analysed}
    added: list[str] = []
    with store.transaction():
        for prepared in batch:
            article = prepared.article
            stored = store.article_id_by_fingerprint(prepared.fingerprint)
            if stored is not None:  # stored meanwhile by another process, or twice in this batch
                copied = _identical_copy(store, prepared, stored)
                report.copies += copied
                report.present += not copied
                continue
            original, similarity = _near_duplicate(store, prepared, settings=settings)
            if original is not None:
                store.insert_copy(article, fingerprint=prepared.fingerprint, original_id=original,
                                  similarity=similarity)
                report.copies += 1
                continue
            store.insert_article(article, fingerprint=prepared.fingerprint, bands=prepared.bands)
            if article.id in analyses:
                analyses[article.id].save(store)
            added.append(article.id)
    report.added.extend(added)


def identical_copy_key(fingerprint: str, copy: Article, original: Article) -> str | None:
    """The key under which the same text carried by another outlet or address is recorded as a copy of
    ``original`` (one per outlet and address); ``None`` when it is the same outlet and address again.
    ``add`` and the Spark batch both decide with it."""
    where = (copy.source or original.source, copy.url or original.url)
    if where == (original.source, original.url):
        return None
    return hashlib.sha1("\x1f".join((fingerprint, *(w or "" for w in where))).encode("utf-8")).hexdigest()


def _identical_copy(store: Store, prepared: PreparedArticle, original_id: str) -> bool:
    """Record the same text carried by another outlet or address as a copy of the stored article, so
    every outlet that carried the report is listed; ``False`` when this outlet and address are known."""
    article = prepared.article
    key = identical_copy_key(prepared.fingerprint, article, store.get_article(original_id))
    if key is None or store.article_id_by_fingerprint(key) is not None:
        return False
    with store.transaction():  # joins the batch's transaction when there is one
        store.insert_copy(article, fingerprint=key, original_id=original_id, similarity=1.0)
    return True


def _near_duplicate(store: Store, prepared: PreparedArticle, *, settings: Settings) -> tuple[str | None, float]:
    best: tuple[str | None, float] = (None, 0.0)
    for candidate_id in store.articles_sharing_bands(prepared.bands):
        candidate = store.get_article(candidate_id)
        score = jaccard(candidate.text, prepared.article.text)
        if score >= settings.near_duplicate and score > best[1]:
            best = (candidate_id, score)
    return best


def reanalyse(store: Store, *, all_articles: bool = False) -> int:
    """Re-run analysis on articles whose stored analysis is missing or stale, and embed the statements
    of those in stories of two or more articles whose statement vectors are missing, stale or made by
    another model; returns how many articles."""
    from .analyse import ANALYSIS_VERSION

    ids = [a.id for a in store.list_articles()] if all_articles else store.stale_analyses(ANALYSIS_VERSION)
    for article_id in ids:
        analysed = article_steps([store.get_article(article_id)], features=False)[0]
        with store.transaction():
            analysed.save(store)
    if ids:
        update_links(store, ids)
    redone = set(ids)
    # Analysis current, vectors from an older database or model version.
    unembedded = [a for a in store.missing_sentence_vectors(vector_model()) if a not in redone]
    embedded = embed_compared_statements(store, ids, replace=True) + embed_compared_statements(store, unembedded)
    return len(redone | set(embedded))
