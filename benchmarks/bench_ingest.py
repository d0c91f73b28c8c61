"""Ingest speed: articles/s for txt, JSONL, HTML and WARC, and HTML against bare trafilatura, in one run.

A corpus of 10,000 generated articles (tests/corpus.py: 250-400 words in en/ru/de/pl; HTML pages of
~17 KB with navigation, teasers, scripts and footer) is written to a temporary folder in each format:
one file per article for txt and HTML, one JSON Lines file, one gzip WARC. Three measurements:

1. reading: ``read_path`` over every file (format detection, decoding, extraction, furniture, language);
2. ``add_paths`` without analysis (``Settings(analyse=False, cluster=False)``): reading + dedup + SQLite;
3. ``add_paths`` with analysis (``cluster=False``) on a sample (analysis is ~100x slower than reading).

Rates are per CPU-second of this process (``time.process_time``), i.e. articles/s/core, so other load on
the machine does not skew them; wall-clock rates are printed too. HTML is compared with
``trafilatura.extract(page)`` (its defaults: no metadata) and ``extract(page, with_metadata=True)`` on
the same pages, interleaved in chunks so drift affects both alike.

    python benchmarks/bench_ingest.py                  # ~8 min; rewrites "## Ingest" in benchmarks/results.md
    python benchmarks/bench_ingest.py --articles 1000 --no-write
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from rashomon.ingest import RecordError, read_path  # noqa: E402
from rashomon.pipeline import add_paths  # noqa: E402
from rashomon.settings import Settings  # noqa: E402
from rashomon.store import open_store  # noqa: E402
from tests.corpus import article, html_page, jsonl_line, text_file, write_warc  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
MAX = 50 * 1024 * 1024


class Timer:
    """CPU and wall seconds of a block."""

    def __enter__(self) -> Timer:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


def write_corpus(folder: Path, count: int) -> dict[str, list[Path]]:
    """The corpus in each format; returns the files per format."""
    items = [article(n) for n in range(count)]
    files: dict[str, list[Path]] = {}
    for fmt, suffix, render in (("txt", ".txt", text_file), ("html", ".html", html_page)):
        sub = folder / fmt
        sub.mkdir()
        files[fmt] = []
        for n, item in enumerate(items):
            path = sub / f"a{n:05d}{suffix}"
            path.write_text(render(item), encoding="utf-8")
            files[fmt].append(path)
    (folder / "jsonl").mkdir()
    jsonl = folder / "jsonl" / "articles.jsonl"
    jsonl.write_text("\n".join(map(jsonl_line, items)) + "\n", encoding="utf-8")
    (folder / "warc").mkdir()
    warc = folder / "warc" / "crawl.warc.gz"
    write_warc(warc, items)
    files["jsonl"], files["warc"] = [jsonl], [warc]
    return files


def read_rate(paths: list[Path]) -> tuple[int, Timer]:
    """Articles read from ``paths`` and the time it took."""
    count = 0
    with Timer() as timer:
        for path in paths:
            for record in read_path(path, max_bytes=MAX):
                if isinstance(record, RecordError):
                    raise AssertionError(f"{path}: {record}")
                count += 1
    return count, timer


def add_rate(paths: list[Path], folder: Path, *, analyse: bool) -> tuple[int, Timer]:
    """Articles stored by ``add_paths`` into a fresh SQLite database, and the time it took."""
    db = folder / f"bench-{time.monotonic_ns()}.db"
    with open_store(str(db)) as store, Timer() as timer:
        report = add_paths(store, paths, settings=Settings(analyse=analyse, cluster=False))
    if report.failures:
        raise AssertionError(report.failures[:3])
    return len(report.added), timer


def html_versus_trafilatura(paths: list[Path]) -> dict[str, float]:
    """CPU seconds per page: rashomon's reading, bare ``extract`` and ``extract(with_metadata=True)``."""
    pages = [path.read_text(encoding="utf-8") for path in paths]
    variants: dict[str, Callable[[int], object]] = {
        "rashomon": lambda i: list(read_path(paths[i], max_bytes=MAX)),
        "extract": lambda i: trafilatura.extract(pages[i]),
        "extract_meta": lambda i: trafilatura.extract(pages[i], with_metadata=True),
    }
    spent = dict.fromkeys(variants, 0.0)
    for i in range(min(20, len(pages))):  # warm-up: lazy tables, dateparser locales
        for run in variants.values():
            run(i)
    chunk = 100
    for start in range(0, len(pages), chunk):
        for name, run in variants.items():
            began = time.process_time()
            for i in range(start, min(start + chunk, len(pages))):
                run(i)
            spent[name] += time.process_time() - began
    return {name: seconds / len(pages) for name, seconds in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (read, and add for txt/JSONL)")
    parser.add_argument("--add-pages", type=int, default=2_000, help="HTML pages / WARC records for add")
    parser.add_argument("--compare-pages", type=int, default=3_000, help="HTML pages timed against trafilatura")
    parser.add_argument("--analysed", type=int, default=300, help="articles added with analysis")
    parser.add_argument("--no-write", action="store_true", help="do not write to benchmarks/results.md")
    args = parser.parse_args()

    rows: list[str] = []
    lines: list[str] = []

    def report(label: str, count: int, timer: Timer) -> float:
        per_core = count / timer.cpu
        rows.append(f"| {label} | {count:,} | {per_core:,.0f} | {count / timer.wall:,.0f} |")
        print(f"{label:42} {count:6} articles  {per_core:8.0f}/s/core  {count / timer.wall:8.0f}/s wall",
              flush=True)
        return per_core

    with tempfile.TemporaryDirectory(prefix="rashomon-bench-") as tmp:
        folder = Path(tmp)
        with Timer() as generation:
            files = write_corpus(folder, args.articles)
        print(f"corpus of {args.articles} articles written in {generation.wall:.0f} s", flush=True)
        read_path(files["txt"][0], max_bytes=MAX)  # imports before timing
        rates: dict[str, float] = {}
        for fmt in ("txt", "jsonl", "html", "warc"):
            count, timer = read_rate(files[fmt])
            rates[fmt] = report(f"read {fmt}", count, timer)
        add_paths_sets = {"txt": files["txt"], "jsonl": files["jsonl"], "html": files["html"][: args.add_pages]}
        for fmt, paths in add_paths_sets.items():
            count, timer = add_rate(paths, folder, analyse=False)
            report(f"add {fmt}, no analysis", count, timer)
        warc_small = folder / "warc" / "small.warc.gz"
        write_warc(warc_small, [article(n) for n in range(args.add_pages)])
        count, timer = add_rate([warc_small], folder, analyse=False)
        report("add warc, no analysis", count, timer)
        count, timer = add_rate(files["txt"][: args.analysed], folder, analyse=True)
        report("add txt, with analysis", count, timer)
        count, timer = add_rate(files["html"][: args.analysed], folder, analyse=True)
        report("add html, with analysis", count, timer)
        per_page = html_versus_trafilatura(files["html"][: args.compare_pages])

    ratio = per_page["extract"] / per_page["rashomon"]
    ratio_meta = per_page["extract_meta"] / per_page["rashomon"]
    for name, seconds in per_page.items():
        print(f"html {name:14} {seconds * 1000:6.2f} ms/page CPU ({1 / seconds:5.0f} pages/s/core)")
    print(f"HTML speed vs bare trafilatura.extract: {ratio:.2f}x (target >= 0.8); "
          f"vs extract(with_metadata=True): {ratio_meta:.2f}x")
    target_txt = min(rates["txt"], rates["jsonl"]) >= 100
    lines += [
        f"\n### {time.strftime('%Y-%m-%d')} — bench_ingest.py, {args.articles:,} generated articles "
        f"(add: {args.add_pages:,} HTML/WARC, {args.analysed} with analysis)\n",
        "| measurement | articles | articles/s/core (CPU) | articles/s (wall) |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        f"HTML, CPU ms per page on the same {min(args.compare_pages, args.articles):,} pages: rashomon read_path "
        f"{per_page['rashomon'] * 1000:.2f}, bare `trafilatura.extract` {per_page['extract'] * 1000:.2f}, "
        f"`extract(with_metadata=True)` {per_page['extract_meta'] * 1000:.2f}. "
        f"HTML speed = **{ratio:.2f}x** bare extract (target ≥ 0.8x), {ratio_meta:.2f}x extract with metadata.",
        f"txt/JSONL ≥ 100 articles/s/core: **{'met' if target_txt else 'NOT met'}** "
        f"(txt {rates['txt']:,.0f}, JSONL {rates['jsonl']:,.0f}).",
    ]
    if not args.no_write:
        replace_section(RESULTS, "## Ingest", "\n".join(lines) + "\n")
        print(f"wrote its section of {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
