"""Throughput of ingest + analysis + clustering: single process (`rashomon add`) vs Spark local[1], local[2].

Run: ``python benchmarks/bench_spark.py [--input DIR] [--no-write]``. The default corpus is the sample
corpus plus the story benchmark's articles (``benchmarks/data/stories/*.jsonl``), 160+ distinct
articles in six languages. Rewrites its section of ``benchmarks/results.md`` under ``## Spark``.

* ingest + analysis: :func:`rashomon.pipeline.add_paths` (``cluster=False``) into a fresh SQLite
  file, models loaded beforehand, vs :func:`rashomon.spark.run_batch` (``cluster=False``) on
  local[1] and local[2], each in a fresh session (it pays its JVM start and its workers' model
  loading, as a user's run does).
* with stories: ``add`` + a full rebuild (embeddings, :func:`rashomon.stories.cluster`) vs the
  batch job with clustering on local[2].
* per-partition cost: seconds of analysis + features per article inside the Spark tasks (the work
  that spreads over a cluster), from which the cluster projection is made.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from rashomon.analyse import analyse  # noqa: E402
from rashomon.cli import sample_corpus  # noqa: E402
from rashomon.models import Article  # noqa: E402
from rashomon.pipeline import add_paths  # noqa: E402
from rashomon.settings import Settings  # noqa: E402
from rashomon.spark import BatchReport, run_batch  # noqa: E402
from rashomon.store import open_store  # noqa: E402
from rashomon.stories import cluster, features_from, features_from_many  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
# A projection target: 1M articles (a year of several hundred outlets) on 10 and 50 executors of 4 cores.
PROJECT_ARTICLES = 1_000_000
PROJECT_CLUSTERS = ((10, 4), (50, 4))


def default_corpus(folder: Path) -> Path:
    """The sample corpus and the story benchmark's JSONL files, copied into one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sample_corpus().iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    for path in sorted((ROOT / "benchmarks" / "data" / "stories").glob("*.jsonl")):
        shutil.copy(path, folder / f"stories_{path.name}")
    return folder


def run_local(corpus: Path, work: Path, *, cluster_stories: bool) -> dict[str, Any]:
    """`rashomon add` in this process (models loaded beforehand); with a full story rebuild if asked."""
    warm = Article(title="Warm-up", text="Andrei Kavaliou was sentenced in Hrodna on 14 March 2023.", id="w")
    features_from(warm, analyse(warm))
    start = time.perf_counter()
    with open_store(str(work / f"local-{cluster_stories}.db")) as store:
        report = add_paths(store, [corpus], settings=Settings(cluster=False))
        articles = store.list_articles()
        if cluster_stories:
            cluster(features_from_many(articles, [store.get_analysis(a.id) for a in articles]))
    seconds = time.perf_counter() - start
    name = "local: add + full rebuild" if cluster_stories else "local: add"
    return {"engine": name, "articles": len(articles), "seconds": seconds, "failures": len(report.failures)}


def run_spark(corpus: Path, work: Path, master: str, *, cluster_stories: bool) -> dict[str, Any]:
    """One batch run in a fresh Spark session."""
    start = time.perf_counter()
    report = run_batch([corpus], work / f"out-{len(os.listdir(work))}", master=master,
                       settings=Settings(cluster=cluster_stories))
    seconds = time.perf_counter() - start
    name = f"Spark {master}" + (" + stories" if cluster_stories else "")
    return {"engine": name, "articles": report.articles, "seconds": seconds, "failures": len(report.failures),
            "report": report}


def partition_cost(report: BatchReport) -> tuple[float, float]:
    """(seconds per article over all analyse tasks, seconds per article of the fastest task)."""
    tasks = [(s, n) for stage, _, s, n in report.partition_seconds if stage == "analyse" and n]
    total = sum(s for s, _ in tasks) / max(1, sum(n for _, n in tasks))
    best = min((s / n for s, n in tasks), default=0.0)
    return total, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="a folder of articles (default: sample + story set)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not touch results.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    corpus = args.input or default_corpus(work / "corpus")
    load = os.getloadavg()[0]

    rows: list[dict[str, Any]] = []
    for run in (
        lambda: run_local(corpus, work, cluster_stories=False),
        lambda: run_spark(corpus, work, "local[1]", cluster_stories=False),
        lambda: run_spark(corpus, work, "local[2]", cluster_stories=False),
        lambda: run_local(corpus, work, cluster_stories=True),
        lambda: run_spark(corpus, work, "local[2]", cluster_stories=True),
    ):
        rows.append(run())
        print({k: v for k, v in rows[-1].items() if k != "report"},
              rows[-1]["report"].seconds if "report" in rows[-1] else "", flush=True)

    lines = [
        "## Spark",
        "",
        f"Run {time.strftime('%Y-%m-%d')}, `python benchmarks/bench_spark.py` on {rows[0]['articles']} "
        f"articles (sample corpus + story benchmark set), {os.cpu_count()} CPUs, load average {load:.1f} at "
        "the start (other jobs were running; times are noisy). Spark times are end to end: JVM start, "
        "Python workers loading the models, shuffles, Parquet and JSONL writing.",
        "",
        "| engine | articles | s | articles/s | read | dedup | analyse (+ features) | write "
        "| cluster + write |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        stages = ["–"] * 5
        if "report" in row:
            sec = row["report"].seconds
            stages = [f"{sec.get(k, 0):.1f}" for k in ("read", "dedup", "analyse", "write articles")]
            stages.append(f"{sec.get('cluster', 0) + sec.get('write stories', 0):.1f}")
        lines.append(f"| {row['engine']} | {row['articles']} | {row['seconds']:.1f} | "
                     f"{row['articles'] / row['seconds']:.2f} | " + " | ".join(stages) + " |")
    one, two, full = rows[1]["report"], rows[2]["report"], rows[4]["report"]
    cost, best = partition_cost(full)
    lines += [
        "",
        f"Scaling 1 → 2 cores (ingest + analysis): {rows[1]['seconds']:.1f} s → {rows[2]['seconds']:.1f} s, "
        f"speed-up {rows[1]['seconds'] / rows[2]['seconds']:.2f}x; analyse stage "
        f"{one.seconds['analyse']:.1f} s → {two.seconds['analyse']:.1f} s "
        f"({one.seconds['analyse'] / two.seconds['analyse']:.2f}x).",
        "",
        f"Per-partition cost with stories (local[2]; analysis + embeddings + features inside tasks): "
        f"{cost:.3f} s/article over all tasks (each fresh Python worker loads the models once), "
        f"{best:.3f} s/article in the fastest task (warm worker). Blocking scored {full.pairs_scored:,} "
        f"pairs of the {full.articles * (full.articles - 1) // 2:,} a full rebuild scores "
        f"({full.oversized_blocks} oversized blocks skipped).",
        "",
        f"Projection for {PROJECT_ARTICLES:,} articles with stories: the per-article task work divided "
        "over the cores (shuffles and clustering are small next to it: blocks of tens of articles, "
        "one `cluster` call per linked component), at the warm cost and at the all-tasks cost:",
        "",
        "| cluster | cores | hours (warm cost) | hours (all-tasks cost) |",
        "|---|---|---|---|",
    ]
    for executors, cores in PROJECT_CLUSTERS:
        total_cores = executors * cores
        warm_hours = PROJECT_ARTICLES * best / total_cores / 3600
        cold_hours = PROJECT_ARTICLES * cost / total_cores / 3600
        lines.append(f"| {executors} executors x {cores} cores | {total_cores} | {warm_hours:.2f} | "
                     f"{cold_hours:.2f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    if not args.no_write:
        replace_section(RESULTS, "## Spark", table)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
