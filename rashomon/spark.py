"""The batch engine: ingest, analyse and cluster a corpus as one Spark job (pyspark imported lazily).

Stages, each distributed:

1. **read**: the input files as an RDD; each record is prepared (fingerprint, id, LSH bands) by the
   same code as ``rashomon add`` (:func:`rashomon.pipeline.prepare`).
2. **dedup**: exact copies by fingerprint, the first in input order kept; near-duplicates by shared
   LSH band and word-shingle Jaccard, resolved in input order on the driver as ``add`` would.
3. **analyse**: per partition, the per-article step of ``add`` (:func:`rashomon.pipeline.article_steps`):
   analysis and story features.
4. **block**: articles sharing a (week, entity key) or (week, embedding-LSH key) block are scored in
   pairs; pairs at the threshold link articles into connected components.
5. **cluster**: each component with :func:`rashomon.stories.cluster`, the function of a full
   rebuild. Average linkage never joins across such components, so the result is the one a
   single-process rebuild gives, up to pairs the blocking misses.

The result is Parquet tables (``articles`` with the analysis as a JSON column, ``copies``,
``entities``, ``stories``, ``story_articles``, ``failures``) and ``stories.jsonl`` in the stories
contract. :func:`import_batch` loads it into a database.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .dedup import jaccard
from .errors import EngineError, RashomonError
from .export import story_record
from .ingest import RecordError, read_path
from .linking import resolve_entities
from .models import Analysis, Article, Story
from .pipeline import PreparedArticle as Prepared  # the per-record step of `add`, reused as is
from .pipeline import article_steps, embed_compared_statements, identical_copy_key, iter_input_files
from .pipeline import prepare_article as prepare
from .settings import Settings
from .store import Store
from .store.base import now_iso
from .stories.placement import story_event_date, story_id_for
from .unionfind import UnionFind

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import SparkSession

__all__ = ["BatchReport", "import_batch", "run_batch", "story_id"]

# Articles analysed and embedded together inside a partition: bounds a worker's memory.
_CHUNK = 256
# Blocks larger than this are too common a key (a country in a week of its news): 2,000 articles
# are 2M pair scores (~40 s); their pairs still meet through rarer keys and the embedding keys.
MAX_BLOCK = 2000
# Embedding keys: sign hashes of the centred e5 vector on random hyperplanes, _BANDS bands of _BITS
# bits. Raw e5 vectors are too alike to block on (unrelated sample pairs: median cosine 0.76, and
# 8x4 raw bands put 97 % of them in one block); centred, 12x8 bands join 39 % of same-story pairs
# and 6 % of others: a second chance for the 2 % of same-story pairs that share no entity key.
_BANDS = 12
_BITS = 8
_HYPERPLANES = np.random.default_rng(20240501).standard_normal((_BANDS * _BITS, 384)).astype(np.float32)
# Articles a near-duplicate band may hold before it is boilerplate, not a copy (an empty template).
_MAX_BAND = 500
_IMPORT_BATCH = 500


@dataclass
class BatchReport:
    """What one batch run did: counts, failures, and where the time went."""

    output: str
    files: int = 0
    articles: int = 0
    present: int = 0
    copies: int = 0
    stories: int = 0
    partitions: int = 0
    oversized_blocks: int = 0
    pairs_scored: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    partition_seconds: list[tuple[str, int, float, int]] = field(default_factory=list)  # stage, index, s, n

    def summary(self) -> str:
        """``articles 120, exact duplicates 3, near-duplicates 1, stories 14, failed 2``."""
        return (
            f"articles {self.articles}, exact duplicates {self.present}, near-duplicates {self.copies}, "
            f"stories {self.stories}, failed {len(self.failures)}"
        )


def story_id(article_ids: Iterable[str]) -> str:
    """The story id `rashomon add` would give the same group, so the two engines agree."""
    return story_id_for(list(article_ids))


# --- session -------------------------------------------------------------------------------------


def _session(master: str | None, *, app_name: str = "rashomon") -> tuple[SparkSession, bool]:
    """The active Spark session, or a new one on ``master``; True when this call created it."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("pyspark is not installed: pip install 'rashomon[spark]'") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise EngineError("Java is not installed (Spark needs Java 17 or 21): install a JDK or set JAVA_HOME")
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            # Workers must run the interpreter that has rashomon (else `python3` on PATH); pyspark
            # reads this variable when the context starts. On a cluster PYSPARK_PYTHON says.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j and pyspark raise plain exceptions for a JVM that cannot start
        raise EngineError(f"Spark could not start: {str(exc).splitlines()[0]}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


class _ListParam:
    """Accumulator of lists: per-partition timings gathered from the workers."""

    def zero(self, value: list[Any]) -> list[Any]:
        return []

    def addInPlace(self, a: list[Any], b: list[Any]) -> list[Any]:  # noqa: N802 (pyspark's name)
        a.extend(b)
        return a


def _is_uri(path: str | Path) -> bool:
    return "://" in str(path)


# --- 1. read -------------------------------------------------------------------------------------


def _prepared_records(
    order: tuple[int, str], path: Path, settings: Settings, shown_path: str | None = None
) -> Iterator[tuple[str, Any]]:
    """``("article", (order, Prepared))`` per record of a file; ``("failure", (where, reason))`` per error."""
    where = shown_path or str(path)
    try:
        for index, record in enumerate(read_path(path, max_bytes=settings.max_file_bytes)):
            if isinstance(record, RecordError):
                yield "failure", (f"{where} ({record.location})", record.reason)
                continue
            try:
                prepared = prepare(record)
            except RashomonError as exc:
                yield "failure", (f"{where} (record {index + 1})", str(exc))
                continue
            if shown_path is not None:
                prepared.article.path = shown_path
            yield "article", ((order[0], order[1], index), prepared)
    except RashomonError as exc:
        yield "failure", (where, str(exc))
    except OSError as exc:
        yield "failure", (where, exc.strerror or str(exc))


def _read_local(
    partition: int, items: Iterable[tuple[int, str]], *, settings: Settings, timings: Any
) -> Iterator[tuple[str, Any]]:
    start, n = time.perf_counter(), 0
    for index, path in items:
        n += 1
        yield from _prepared_records((index, path), Path(path), settings)
    timings.add([("read", partition, time.perf_counter() - start, n)])


def _read_remote(
    partition: int, items: Iterable[tuple[str, bytes]], *, input_index: int, settings: Settings, timings: Any
) -> Iterator[tuple[str, Any]]:
    """Records of files fetched by Spark (hdfs://, s3a://): each is spooled to a local temporary file."""
    start, n = time.perf_counter(), 0
    for uri, data in items:
        n += 1
        suffix = "".join(Path(uri.rsplit("/", 1)[-1]).suffixes[-2:])
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            tmp.write(data)
            tmp.flush()
            yield from _prepared_records((input_index, uri), Path(tmp.name), settings, shown_path=uri)
    timings.add([("read", partition, time.perf_counter() - start, n)])


def _read_inputs(
    sc: SparkContext, inputs: Sequence[Path | str], *, recursive: bool, slices: int, settings: Settings,
    timings: Any,
) -> tuple[RDD[tuple[str, Any]], int]:
    """All records of all inputs, and how many files (local ones; remote folders count as one)."""
    local = [Path(p) for p in inputs if not _is_uri(p)]
    files = [str(p.absolute()) for p in iter_input_files(local, recursive=recursive)]
    parts: list[RDD[tuple[str, Any]]] = []
    if files:
        indexed = sc.parallelize(list(enumerate(files)), max(1, min(len(files), slices)))
        parts.append(indexed.mapPartitionsWithIndex(partial(_read_local, settings=settings, timings=timings)))
    offset = len(files)
    count = len(files)
    for i, uri in enumerate(str(p) for p in inputs if _is_uri(p)):
        remote = sc.binaryFiles(uri, minPartitions=slices)
        parts.append(remote.mapPartitionsWithIndex(
            partial(_read_remote, input_index=offset + i, settings=settings, timings=timings)
        ))
        count += 1
    if not parts:
        return sc.emptyRDD(), 0
    return (parts[0] if len(parts) == 1 else sc.union(parts)), count


# --- 2. dedup ------------------------------------------------------------------------------------


Order = tuple[int, str, int]  # (input file index, file path, record index): input order


def _band_pairs(group: tuple[str, Iterable[tuple[Order, str]]]) -> Iterator[tuple[str, str]]:
    """``(later id, earlier id)`` for the articles that share one LSH band."""
    members = sorted(set(group[1]))
    if len(members) > _MAX_BAND:
        return
    for (_, earlier), (_, later) in combinations(members, 2):
        yield later, earlier


def _jaccard_of(row: tuple[str, tuple[tuple[str, tuple[Order, str]], tuple[Order, str]]]) -> tuple[Any, ...]:
    """``(later order, later id, earlier order, earlier id, similarity)`` from the joined texts."""
    earlier, ((later, (later_order, later_text)), (earlier_order, earlier_text)) = row
    return later_order, later, earlier_order, earlier, jaccard(later_text, earlier_text)


def _identical_copies(prepared: RDD[tuple[Order, Prepared]], partitions: int) -> list[tuple[str, str, Article]]:
    """``(copy key, original id, copy)`` for each text carried again by another outlet or address, as
    ``add`` records it (:func:`rashomon.pipeline.identical_copy_key`); the first in input order is the original."""

    def of_group(group: tuple[str, Iterable[tuple[Order, Prepared]]]) -> Iterator[tuple[str, str, Article]]:
        first, *rest = sorted(group[1], key=lambda r: r[0])
        seen: set[str] = set()
        for _, later in rest:
            key = identical_copy_key(group[0], later.article, first[1].article)
            if key is not None and key not in seen:
                seen.add(key)
                yield key, first[1].article.id, later.article

    return (
        prepared.map(lambda r: (r[1].fingerprint, r))
        .groupByKey(partitions)
        .filter(lambda kv: len(list(kv[1])) > 1)
        .flatMap(of_group)
        .collect()
    )


def _near_duplicates(
    unique: RDD[tuple[Order, Prepared]], threshold: float, partitions: int
) -> dict[str, tuple[str, float]]:
    """``{copy id: (original id, similarity)}``, chosen in input order as ``add`` chooses them."""
    bands = unique.flatMap(lambda r: [(band, (r[0], r[1].article.id)) for band in r[1].bands])
    pairs = bands.groupByKey(partitions).flatMap(_band_pairs).distinct(partitions)
    texts = unique.map(lambda r: (r[1].article.id, (r[0], r[1].article.text)))
    scored = (
        pairs.join(texts, partitions)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(texts, partitions)
        .map(_jaccard_of)
        .filter(lambda t: t[4] >= threshold)
        .collect()
    )
    by_later: dict[tuple[Order, str], list[tuple[float, Order, str]]] = defaultdict(list)
    for later_order, later, earlier_order, earlier, score in scored:
        by_later[(later_order, later)].append((score, earlier_order, earlier))
    # In input order, like `add`: an article is a copy of the most similar earlier article that is
    # not itself a copy (ties: the earliest).
    copies: dict[str, tuple[str, float]] = {}
    for key in sorted(by_later):
        kept = [c for c in by_later[key] if c[2] not in copies]
        if kept:
            score, _, original = min(kept, key=lambda c: (-c[0], c[1]))
            copies[key[1]] = (original, score)
    return copies


# --- 3. analyse ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Analysed:
    order: Order
    prepared: Prepared
    analysis: Analysis | None
    features: Any  # stories.ArticleFeatures, or None when clustering is off


def _analyse_partition(
    index: int, rows: Iterable[tuple[Order, Prepared]], *, settings: Settings, timings: Any
) -> Iterator[_Analysed]:
    """The per-article step of ``add`` (:func:`rashomon.pipeline.article_steps`), ``_CHUNK`` articles at a time."""
    start, n = time.perf_counter(), 0
    chunk: list[tuple[Order, Prepared]] = []
    for row in [*rows, None]:
        if row is not None:
            chunk.append(row)
            if len(chunk) < _CHUNK:
                continue
        if not chunk:
            break
        steps = article_steps([p.article for _, p in chunk], analyse_text=settings.analyse, features=settings.cluster)
        for (order, prepared), step in zip(chunk, steps, strict=True):
            yield _Analysed(order, prepared, step.analysis, step.features)
        n += len(chunk)
        chunk = []
    timings.add([("analyse", index, time.perf_counter() - start, n)])


# --- 4. block, 5. cluster ------------------------------------------------------------------------


def _embedding_keys(vector: np.ndarray | None, centre: np.ndarray | None) -> list[str]:
    if vector is None or centre is None or vector.shape != centre.shape:
        return []
    bits = (_HYPERPLANES @ (vector - centre) > 0).reshape(_BANDS, _BITS)
    return [f"~{b}:" + "".join("1" if x else "0" for x in row) for b, row in enumerate(bits)]


def _block_keys(
    features: Any, window: int, undated_keys: frozenset[str], centre: np.ndarray | None
) -> list[str]:
    """The blocks an article belongs to; two articles that may score at the threshold share one."""
    keys = sorted(features.entity_keys) + _embedding_keys(features.embeddings.get("e5"), centre)
    day = features.day
    if day is None:
        return [f"*|{k}" for k in keys]
    # Buckets one window wide: articles within the window are in the same or adjacent buckets, and
    # each article joins its bucket and the next, so any such pair meets in one block.
    bucket = day // (window + 1)
    out = [f"{b}|{k}" for b in (bucket, bucket + 1) for k in keys]
    out += [f"*|{k}" for k in keys if k in undated_keys]
    return out


def _score_block(
    group: tuple[str, Iterable[tuple[Any, frozenset[str]]]], *, oversized: Any, scored: Any
) -> Iterator[tuple[str, str]]:
    """Linked pairs of one block, each scored only in the smallest block its two articles share."""
    from .stories import Scorer

    block, members_iter = group
    members = sorted(members_iter, key=lambda m: m[0].article_id)
    if len(members) > MAX_BLOCK:
        oversized.add(1)
        return
    scorer = Scorer.load()
    count = 0
    for (a, blocks_a), (b, blocks_b) in combinations(members, 2):
        if min(blocks_a & blocks_b) != block:
            continue
        count += 1
        if scorer.score_pair(a, b) >= scorer.threshold:
            yield a.article_id, b.article_id
    scored.add(count)


def _mean_vector(vectors: RDD[np.ndarray | None]) -> np.ndarray | None:
    """The mean of the vectors (``None`` when there are none)."""
    total = vectors.flatMap(lambda v: [] if v is None else [(v.astype(np.float64), 1)]).fold(
        (np.zeros(_HYPERPLANES.shape[1]), 0), lambda a, b: (a[0] + b[0], a[1] + b[1])
    )
    return (total[0] / total[1]).astype(np.float32) if total[1] else None


def _components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Article id -> the smallest id of its connected component (linked articles only)."""
    sets: UnionFind[str] = UnionFind()
    for a, b in edges:
        sets.union(a, b)
    return sets.roots()


Node = tuple[Any, tuple[dict[str, Any], str | None]]  # (features, (article JSON, event date))


def _cluster_component(group: tuple[str, Iterable[Node]]) -> list[dict[str, Any]]:
    from .stories import cluster

    nodes = list(group[1])
    by_id = {f.article_id: (f, meta) for f, meta in nodes}
    return [_story_json([by_id[i][1] for i in ids]) for ids in cluster([f for f, _ in nodes])]


def _stories(nodes: RDD[Node], *, partitions: int, report: BatchReport) -> RDD[dict[str, Any]]:
    """Stories in the stories contract (one dict each)."""
    from .stories import Scorer

    sc = nodes.context
    window = Scorer.load().window_days
    undated = frozenset(
        nodes.filter(lambda n: n[0].day is None).flatMap(lambda n: n[0].entity_keys).distinct().collect()
    )
    centre = _mean_vector(nodes.map(lambda n: n[0].embeddings.get("e5")))
    oversized, scored = sc.accumulator(0), sc.accumulator(0)
    edges = (
        nodes.map(lambda n: (n[0], frozenset(_block_keys(n[0], window, undated, centre))))
        .flatMap(lambda fb: [(b, fb) for b in fb[1]])
        .groupByKey(partitions)
        .flatMap(partial(_score_block, oversized=oversized, scored=scored))
        .collect()
    )
    report.oversized_blocks, report.pairs_scored = oversized.value, scored.value
    components = sc.broadcast(_components(edges))
    linked = (
        nodes.filter(lambda n: n[0].article_id in components.value)
        .map(lambda n: (components.value[n[0].article_id], n))
        .groupByKey(partitions)
        .flatMap(_cluster_component)
    )
    single = nodes.filter(lambda n: n[0].article_id not in components.value)
    return linked.union(single.map(lambda n: _story_json([n[1]])))


# --- output --------------------------------------------------------------------------------------


def _story_json(members: list[tuple[dict[str, Any], str | None]]) -> dict[str, Any]:
    """One story in the stories contract (:func:`rashomon.export.story_record`), from its articles' JSON
    and event dates."""
    members = sorted(members, key=lambda m: (m[0]["published"] or m[0]["updated"] or m[0]["added_at"] or "",
                                             m[0]["id"]))
    articles = [a for a, _ in members]
    story = Story(
        id=story_id(a["id"] for a in articles),
        title=articles[0]["title"],  # the earliest report's, as `add` titles a story
        event_date=story_event_date(d for _, d in members),
        article_ids=[a["id"] for a in articles],
        languages=sorted({a["language"] for a in articles if a["language"]}),
        sources=sorted({a["source"] for a in articles if a["source"]}),
    )
    return story_record(story, articles)


def _node(r: _Analysed, added_at: str) -> Node:
    data = r.prepared.article.to_json()
    data["added_at"] = data["added_at"] or added_at
    return r.features, (data, r.analysis.event_date if r.analysis else None)


def _article_row(r: _Analysed, added_at: str) -> tuple[Any, ...]:
    a = r.prepared.article
    analysis = json.dumps(r.analysis.to_json(), ensure_ascii=False) if r.analysis else None
    return (
        a.id, a.title, a.text, a.source, a.language, a.published, a.updated, a.url, a.path, a.author,
        list(a.photo_credits), a.format, a.encoding, a.added_at or added_at, r.prepared.fingerprint,
        list(r.prepared.bands), r.analysis.event_date if r.analysis else None, analysis,
    )


def _entity_rows(r: _Analysed) -> list[tuple[Any, ...]]:
    if r.analysis is None:
        return []
    return [(r.analysis.article_id, e.key, e.type, e.name, len(e.mentions), e.global_id)
            for e in r.analysis.entities]


def _schemas() -> dict[str, Any]:
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    def struct(*cols: tuple[str, Any]) -> StructType:
        return StructType([StructField(name, kind, True) for name, kind in cols])

    s, strings = StringType(), ArrayType(StringType())
    return {
        "articles": struct(
            ("id", s), ("title", s), ("text", s), ("source", s), ("language", s), ("published", s),
            ("updated", s), ("url", s), ("path", s), ("author", s), ("photo_credits", strings),
            ("format", s), ("encoding", s), ("added_at", s), ("fingerprint", s), ("bands", strings),
            ("event_date", s), ("analysis", s),
        ),
        "copies": struct(("fingerprint", s), ("original_id", s), ("similarity", s), ("title", s),
                         ("source", s), ("url", s), ("path", s)),
        "entities": struct(("article_id", s), ("key", s), ("type", s), ("name", s),
                           ("mentions", IntegerType()), ("global_id", s)),
        "stories": struct(("id", s), ("title", s), ("event_date", s), ("languages", strings),
                          ("sources", strings), ("size", IntegerType())),
        "story_articles": struct(("story_id", s), ("article_id", s)),
        "failures": struct(("where", s), ("reason", s)),
    }


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name if _is_uri(base) else str(Path(base) / name)


# --- run -----------------------------------------------------------------------------------------


def run_batch(
    inputs: Sequence[Path | str],
    output: Path | str,
    *,
    master: str | None = "local[*]",
    partitions: int | None = None,
    settings: Settings | None = None,
    recursive: bool = False,
) -> BatchReport:
    """Ingest, analyse and cluster files as a Spark job and write the result as Parquet + JSONL.

    Args:
        inputs: files or folders (local), or Hadoop URIs (``hdfs://``, ``s3a://``; folders or globs).
        output: a folder (local or URI) for the Parquet tables and ``stories.jsonl``; replaced if present.
        master: the Spark master (``local[2]``, ``spark://host:7077``, ``yarn``, ``k8s://...``);
            ``None`` keeps the one ``spark-submit`` set.
        partitions: partitions for reading and analysis; Spark's default parallelism x 2 if omitted.
        settings: limits and switches; defaults when omitted.
        recursive: descend into sub-folders of local folders.

    Returns:
        A :class:`BatchReport`.

    Raises:
        EngineError: pyspark or Java is missing, or Spark cannot start.
    """
    settings = settings or Settings()
    spark, created = _session(master, app_name="rashomon batch")  # first: it explains a missing pyspark
    from pyspark import StorageLevel

    sc = spark.sparkContext
    out = str(output)
    report = BatchReport(output=out)
    report.partitions = partitions or 2 * sc.defaultParallelism
    timings: Any = sc.accumulator([], _ListParam())  # type: ignore[arg-type]
    added_at = now_iso()
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[stage] = round(now - clock, 3)
        clock = now

    try:
        records, report.files = _read_inputs(
            sc, inputs, recursive=recursive, slices=report.partitions, settings=settings, timings=timings
        )
        records = records.persist(StorageLevel.MEMORY_AND_DISK)
        report.failures = sorted(records.filter(lambda r: r[0] == "failure").map(lambda r: r[1]).collect())
        prepared = records.filter(lambda r: r[0] == "article").map(lambda r: r[1])
        total = prepared.count()
        lap("read")

        # First occurrence in input order wins, as in a sequential `add`.
        unique = (
            prepared.map(lambda r: (r[1].fingerprint, r))
            .reduceByKey(lambda a, b: a if a[0] <= b[0] else b, report.partitions)
            .values()
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        copies = _near_duplicates(unique, settings.near_duplicate, report.partitions)
        # The same text from another outlet is listed as a copy of its original (of that one's original
        # when it is itself a near-duplicate), as `add` lists it; the same outlet again is only counted.
        identical = [(key, copies.get(original, (original, 1.0))[0], article)
                     for key, original, article in _identical_copies(prepared, report.partitions)]
        report.present = total - unique.count() - len(identical)
        report.copies = len(copies) + len(identical)
        copy_ids = sc.broadcast(copies)
        lap("dedup")

        analysed = (
            unique.filter(lambda r: r[1].article.id not in copy_ids.value)
            .mapPartitionsWithIndex(partial(_analyse_partition, settings=settings, timings=timings))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        report.articles = analysed.count()
        records.unpersist()
        lap("analyse")

        schemas = _schemas()

        def write(name: str, rdd: RDD[tuple[Any, ...]]) -> None:
            spark.createDataFrame(rdd, schemas[name]).write.mode("overwrite").parquet(_join(out, name))

        write("articles", analysed.map(lambda r: _article_row(r, added_at)))
        write("entities", analysed.flatMap(_entity_rows))
        copy_rows = unique.filter(lambda r: r[1].article.id in copy_ids.value).map(
            lambda r: (r[1].fingerprint, copy_ids.value[r[1].article.id][0],
                       f"{copy_ids.value[r[1].article.id][1]:.6f}", r[1].article.title,
                       r[1].article.source, r[1].article.url, r[1].article.path)
        )
        identical_rows = sc.parallelize(
            [(key, original, "1.000000", a.title, a.source, a.url, a.path) for key, original, a in identical], 1
        )
        write("copies", copy_rows.union(identical_rows))
        write("failures", sc.parallelize(report.failures, 1))
        lap("write articles")

        if settings.cluster and report.articles:
            nodes = analysed.map(partial(_node, added_at=added_at))
            stories = _stories(nodes, partitions=report.partitions, report=report).persist()
            report.stories = stories.count()
            lap("cluster")
            write("stories", stories.map(lambda s: (s["id"], s["title"], s["event_date"], s["languages"],
                                                    s["sources"], len(s["articles"]))))
            write("story_articles", stories.flatMap(lambda s: [(s["id"], a["id"]) for a in s["articles"]]))
            lines = stories.sortBy(lambda s: s["id"], numPartitions=sc.defaultParallelism)
            _write_jsonl(lines.map(lambda s: json.dumps(s, ensure_ascii=False)), _join(out, "stories.jsonl"))
            lap("write stories")
        report.partition_seconds = sorted(timings.value, key=lambda t: (t[0], t[1]))
        return report
    finally:
        if created:
            spark.stop()


def _write_jsonl(lines: RDD[str], target: str) -> None:
    """One local file streamed from the driver; a folder of part files on a cluster file system."""
    if _is_uri(target):
        lines.coalesce(1).saveAsTextFile(target)
        return
    path = Path(target)
    with path.open("w", encoding="utf-8") as fh:
        for line in lines.toLocalIterator(prefetchPartitions=True):
            fh.write(line + "\n")


# --- import --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What one import did."""

    articles: int = 0
    present: int = 0
    copies: int = 0
    stories: int = 0

    def summary(self) -> str:
        """``imported 120 articles (3 already present), 1 near-duplicates, 14 stories``."""
        return (
            f"imported {self.articles} articles ({self.present} already present), "
            f"{self.copies} near-duplicates, {self.stories} stories"
        )


def import_batch(store: Store, output: Path | str, *, master: str | None = "local[1]") -> ImportReport:
    """Load a :func:`run_batch` result into a database, so the CLI and web UI work on it.

    Articles already in the database (same fingerprint) are kept and only their story changes;
    entities are then resolved across the whole archive.

    Args:
        store: an open store.
        output: the folder :func:`run_batch` wrote.
        master: Spark master for reading the Parquet tables.

    Returns:
        An :class:`ImportReport`.
    """
    out = str(output)
    if not _is_uri(out) and not (Path(out) / "articles").is_dir():
        raise EngineError(f"{out} is not a batch result (no articles/ table): run `rashomon batch` first")
    spark, created = _session(master, app_name="rashomon import")
    report = ImportReport()
    try:
        def rows(name: str, order: str | None = None) -> Iterator[Any]:
            path = _join(out, name)
            if not _is_uri(out) and not Path(path).exists():
                return iter(())
            frame = spark.read.parquet(path)
            return (frame.orderBy(order) if order else frame).toLocalIterator()

        pending: list[Any] = []
        for row in [*rows("articles", "id"), None]:
            if row is not None:
                pending.append(row)
                if len(pending) < _IMPORT_BATCH:
                    continue
            with store.transaction():
                for r in pending:
                    if store.article_id_by_fingerprint(r["fingerprint"]) is not None:
                        report.present += 1
                        continue
                    article = _article_from_row(r)
                    store.insert_article(article, fingerprint=r["fingerprint"], bands=r["bands"] or [])
                    if r["analysis"]:
                        store.save_analysis(Analysis.from_json(json.loads(r["analysis"])))
                    report.articles += 1
            pending = []
        with store.transaction():
            for r in rows("copies"):
                if store.article_id_by_fingerprint(r["fingerprint"]) is None:
                    article = Article(title=r["title"], text="", source=r["source"], url=r["url"],
                                      path=r["path"])
                    store.insert_copy(article, fingerprint=r["fingerprint"], original_id=r["original_id"],
                                      similarity=float(r["similarity"]))
                    report.copies += 1
        members: dict[str, list[str]] = defaultdict(list)
        for r in rows("story_articles"):
            members[r["story_id"]].append(r["article_id"])
        with store.transaction():
            for r in rows("stories", "id"):
                store.save_story(Story(id=r["id"], title=r["title"], event_date=r["event_date"]))
                for article_id in members.get(r["id"], []):
                    store.assign_article(article_id, r["id"])
                report.stories += 1
            store.delete_empty_stories()
        resolve_entities(store)  # the global entity registry, as `add` builds it
        # Statement vectors of the stories of two or more articles, as `add` stores them.
        embed_compared_statements(store, [a for ids in members.values() for a in ids])
    finally:
        if created:
            spark.stop()
    return report


def _article_from_row(r: Any) -> Article:
    return Article(
        id=r["id"], title=r["title"], text=r["text"], source=r["source"], language=r["language"],
        published=r["published"], updated=r["updated"], url=r["url"], path=r["path"], author=r["author"],
        photo_credits=list(r["photo_credits"] or []), format=r["format"], encoding=r["encoding"],
        added_at=r["added_at"],
    )
