"""Reliability at full size: fuzzing, kill -9 during `rashomon add`, concurrent writers, resource limits.

    python benchmarks/bench_reliability.py                 # everything (~1 h); appends "## Reliability"
    python benchmarks/bench_reliability.py --fuzz-runs 1000 --files 200 --kills 3
    python benchmarks/bench_reliability.py --fuzz-json benchmarks/out/fuzz_a.jsonl   # reuse a fuzz run

1. fuzzing: benchmarks/fuzz_ingest.py, 10,000 inputs per format (hypothesis; ``--atheris-runs`` adds
   libFuzzer runs when atheris is installed);
2. crash safety: 1,000 articles in every format (tests/corpus.py), `rashomon add` killed with SIGKILL at
   20 random points, each followed by PRAGMA integrity_check and the once-only checks, then rerun to
   completion (tests/test_reliability.py: kill_and_resume);
3. concurrency: 4 `rashomon add` processes with overlapping file sets on SQLite (and PostgreSQL when
   $RASHOMON_TEST_PG is set);
4. resource limits, peak RSS measured in a fresh process: a 1 GB single-line text file, a 1 GB single
   JSON line, a WARC whose gzip body inflates to 2 GB, HTML nested 100,000 deep, a feed of 1,000,000 entries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from tests.corpus import write_mixed  # noqa: E402
from tests.fuzzing import (  # noqa: E402
    RESOURCES,
    big_feed,
    bomb_warc,
    deep_html,
    measure_read,
    write_jsonl_single_line,
    write_single_line,
)
from tests.test_reliability import ENV, kill_and_resume  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
MB = 1024 * 1024


def fuzz(runs: int, atheris_runs: int, reuse: list[Path]) -> list[dict[str, Any]]:
    """One summary per format and engine."""
    results: list[dict[str, Any]] = []
    for path in reuse:
        results += [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    if runs and not reuse:
        out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz_ingest.py"), "--json",
                              "--runs", str(runs)], capture_output=True, text=True, check=True, env=ENV)
        results += [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if atheris_runs:
        for fmt in ("txt", "html", "feed", "warc", "jsonl", "encodings"):
            out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz_ingest.py"), "--engine",
                                  "atheris", "--runs", str(atheris_runs), "--format", fmt],
                                 capture_output=True, text=True, env=ENV, check=False)
            lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
            if not lines:
                print(f"atheris {fmt}: no result ({out.stderr[-300:]!r})")
                continue
            results.append(json.loads(lines[-1]))
    for r in results:
        print(f"fuzz {r['engine']:10} {r['format']:10} {r['inputs']:6} inputs, {r['crashes']} crashes, "
              f"{r['rejected']} rejected, {r['articles']} articles, {r['seconds']} s", flush=True)
    return results


def crash(files: int, kills: int, seed: int, max_delay: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rashomon-kill-") as tmp:
        corpus = Path(tmp) / "corpus"
        count = write_mixed(corpus, files)
        started = time.perf_counter()
        result = kill_and_resume(corpus, Path(tmp) / "k.db", expected=files, kills=kills, max_delay=max_delay,
                                 rng=random.Random(seed))
    result.update(articles=files, files=count, max_delay=max_delay, seconds=round(time.perf_counter() - started))
    print(f"crash safety: {result}", flush=True)
    return result


def concurrency(articles: int) -> list[dict[str, Any]]:
    urls = []
    with tempfile.TemporaryDirectory(prefix="rashomon-conc-") as tmp:
        urls.append(("sqlite", str(Path(tmp) / "c.db")))
        base = os.environ.get("RASHOMON_TEST_PG")
        name = f"bench_{os.getpid()}"
        if base:
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            urls.append(("postgres", base.rsplit("/", 1)[0] + "/" + name))
        corpus = Path(tmp) / "corpus"
        write_mixed(corpus, articles)
        paths = sorted(corpus.iterdir())
        results = []
        for backend, url in urls:
            started = time.perf_counter()
            procs = []
            for k in range(4):
                mine = [p for i, p in enumerate(paths) if i % 4 in (k, (k + 1) % 4)]
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "rashomon", "add", *map(str, mine[:: 1 if k % 2 == 0 else -1]),
                     "--db", url], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            outputs = [p.communicate(timeout=3600) for p in procs]
            added = sum(int(out.split("added ")[1].split(",")[0]) for out, _ in outputs if "added " in out)
            locked = sum("locked" in err for _, err in outputs)
            tracebacks = sum("Traceback" in err for _, err in outputs)
            from rashomon.store import open_store

            with open_store(url) as store:
                stored = store.count_articles()
            results.append({"backend": backend, "processes": 4, "articles": articles, "added": added,
                            "stored": stored, "locked_messages": locked, "tracebacks": tracebacks,
                            "exit_codes": [p.returncode for p in procs],
                            "seconds": round(time.perf_counter() - started)})
            print(f"concurrency: {results[-1]}", flush=True)
        if base:
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return results


def limits(scale: float) -> list[dict[str, Any]]:
    ingest = RESOURCES / "ingest"
    cases = []
    with tempfile.TemporaryDirectory(prefix="rashomon-limits-") as tmp:
        folder = Path(tmp)
        size = int(1024 * MB * scale)
        specs = [
            (f"single-line text file, {size // MB} MB", "line.txt", lambda p: write_single_line(p, size),
             ingest / "uk_bom.txt", 50 * MB),
            (f"single JSON line, {size // MB} MB", "line.jsonl", lambda p: write_jsonl_single_line(p, size),
             ingest / "articles.jsonl", 50 * MB),
            (f"WARC, gzip body inflating to {int(2048 * scale)} MB", "bomb.warc.gz",
             lambda p: bomb_warc(p, int(2048 * MB * scale)), ingest / "de_latin1.html", 50 * MB),
            ("HTML nested 100,000 deep", "deep.html", lambda p: deep_html(p, 100_000), ingest / "de_latin1.html",
             50 * MB),
            (f"RSS feed of {int(1_000_000 * scale):,} entries", "feed.xml",
             lambda p: big_feed(p, int(1_000_000 * scale)), ingest / "wire.rss", 100 * MB),
        ]
        for label, name, make, warm, max_bytes in specs:
            path = folder / name
            make(path)
            result = measure_read(path, warm=warm, max_bytes=max_bytes, timeout=3600)
            result.update(case=label, file_mb=round(path.stat().st_size / MB, 1), max_mb=max_bytes // MB)
            path.unlink()
            cases.append(result)
            print(f"limits: {label}: {result}", flush=True)
    return cases


def write_results(fuzzed: list[dict[str, Any]], crashed: dict[str, Any] | None,
                  concurrent: list[dict[str, Any]], limited: list[dict[str, Any]]) -> None:
    lines = [f"\n### {time.strftime('%Y-%m-%d')} — bench_reliability.py\n"]
    if fuzzed:
        lines += ["| fuzzing: format | engine | inputs | distinct crashes | rejected (one line) | articles | s |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['format']} | {r['engine']} | {r['inputs']:,} | {r['crashes']} | {r['rejected']:,} | "
                  f"{r['articles']:,} | {r['seconds']} |" for r in fuzzed]
        lines.append("")
    if crashed:
        lines.append(f"Crash safety: {crashed['articles']:,} articles in {crashed['files']} files (txt, HTML, "
                     f"JSONL, RSS, WARC); SIGKILL at **{crashed['kills']} random points** over "
                     f"{crashed['rounds']} rounds (kill after 0.5-{crashed['max_delay']:.0f} s); after each kill "
                     "integrity_check ok and no article twice; "
                     f"after each rerun all {crashed['articles']:,} stored exactly once ({crashed['seconds']} s).\n")
    for r in concurrent:
        lines.append(f"Concurrency ({r['backend']}): 4 processes, overlapping files, {r['articles']} articles: "
                     f"added {r['added']}, stored {r['stored']}, 'locked' messages {r['locked_messages']}, "
                     f"tracebacks {r['tracebacks']}, exit codes {r['exit_codes']} ({r['seconds']} s).")
    if concurrent:
        lines.append("")
    if limited:
        lines += ["| input | file MB | limit MB | outcome | s | peak RSS MB (baseline) |",
                  "|---|---:|---:|---|---:|---:|"]
        for r in limited:
            outcome = r["rejected"] or (f"{r['articles']:,} articles, {r['record_errors']} record errors"
                                        + (f" ({r['reasons'][0]})" if r["reasons"] else ""))
            lines.append(f"| {r['case']} | {r['file_mb']:,} | {r['max_mb']} | {outcome} | {r['seconds']} | "
                         f"{r['peak_mb']} ({r['baseline_mb']}) |")
    replace_section(RESULTS, "## Reliability", "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fuzz-runs", type=int, default=10_000)
    parser.add_argument("--fuzz-json", type=Path, action="append", default=[], help="reuse fuzz_ingest --json output")
    parser.add_argument("--atheris-runs", type=int, default=0)
    parser.add_argument("--files", type=int, default=1_000, help="articles in the kill -9 corpus")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--max-delay", type=float, default=60, help="kill after 0.5 s to this many seconds")
    parser.add_argument("--concurrent-articles", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0, help="size of the resource-limit inputs")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--skip", action="append", default=[], choices=("fuzz", "crash", "concurrency", "limits"))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    fuzzed = [] if "fuzz" in args.skip else fuzz(args.fuzz_runs, args.atheris_runs, args.fuzz_json)
    limited = [] if "limits" in args.skip else limits(args.scale)
    crashed = None if "crash" in args.skip else crash(args.files, args.kills, args.seed, args.max_delay)
    concurrent = [] if "concurrency" in args.skip else concurrency(args.concurrent_articles)
    if not args.no_write:
        write_results(fuzzed, crashed, concurrent, limited)
        print(f"wrote its section of {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
