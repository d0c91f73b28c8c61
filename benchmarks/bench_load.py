"""Load on the web app: `rashomon serve` over a 10,000-article SQLite database, driven on loopback.

    python benchmarks/bench_load.py                     # ~3 min; appends "## Load" to benchmarks/results.md
    python benchmarks/bench_load.py --articles 2000 --seconds 5 --no-write

The database is built through the Store API from synthetic articles grouped into stories (no models
run). `rashomon serve` runs as a subprocess on a free loopback port; each target is then driven for a
fixed time by `wrk` (C, when installed: ``apt-get install wrk``) or else by a pool of httpx threads:

- ``/`` — the story list (target: ≥ 200 requests/s, p99 < 100 ms);
- ``/api/stories`` — the same list as JSON (100 stories with their articles);
- ``/stories/{id}`` — story pages, rotating over a sample of stories. The page runs the comparison
  (sentence embeddings), so the first visit of a story is measured apart from repeated ones.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rashomon.models import Article, Story  # noqa: E402
from rashomon.store import open_store  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
SOURCES = ["RFE/RL", "Nasha Niva", "Belsat", "DW", "Sputnik", "TASS", "Zerkalo", "LRT", "Meduza", "BBC",
           "Reuters", "AP", "Onet", "Ukrainska Pravda", "Euronews", "Le Monde"]
LANGUAGES = ["en", "ru", "be", "de", "pl", "uk", "lt", "fr"]
WORDS = [
    "court", "journalist", "sentenced", "hearing", "lawyer", "prison", "protest", "minister", "border", "fire",
    "plant", "river", "bridge", "election", "police", "report", "statement", "government", "opposition", "city",
    "region", "army", "drone", "attack", "flood", "school", "hospital", "workers", "strike", "company", "price",
    "energy", "gas", "talks", "summit",
]
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests": %%d, "seconds": %%f, "errors": %%d, "non2xx": %%d, ' ..
    '"p50": %%f, "p95": %%f, "p99": %%f, "max": %%f}\\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def build_db(path: str, articles: int, *, seed: int = 7) -> list[str]:
    """A database of synthetic articles in stories of 1-6 articles; returns the story ids."""
    rng = random.Random(seed)
    story_ids: list[str] = []
    n = 0
    with open_store(path) as store, store.transaction():
        while n < articles:
            story_id = f"s{len(story_ids):06d}"
            day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            topic = rng.sample(WORDS, 4)
            store.save_story(Story(id=story_id, title=f"{topic[0].title()} {' '.join(topic[1:])} {len(story_ids)}",
                                   event_date=day))
            story_ids.append(story_id)
            for _ in range(min(rng.choice((1, 1, 2, 3, 3, 4, 5, 6)), articles - n)):
                sentences = [" ".join(rng.choices(WORDS, k=rng.randint(8, 18))).capitalize() + f" {n}."
                             for _ in range(rng.randint(6, 14))]
                article_id = f"{n:012x}"
                store.insert_article(Article(
                    id=article_id, title=" ".join(topic + rng.sample(WORDS, 3)).capitalize(),
                    text="\n\n".join(sentences), source=rng.choice(SOURCES), language=rng.choice(LANGUAGES),
                    published=f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00", format="txt",
                ), fingerprint=f"fp{n}", bands=[])
                store.assign_article(article_id, story_id, score=0.8)
                n += 1
    return story_ids


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str) -> tuple[subprocess.Popen[bytes], str]:
    """`rashomon serve` on a free loopback port, once it answers."""
    import httpx

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rashomon", "serve", "--db", db, "--port", str(port)],
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/static/app.css", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("rashomon serve did not start")


def drive_wrk(base: str, paths: list[str], *, seconds: float, connections: int) -> dict[str, Any]:
    """wrk over the paths in turn; latencies in ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    try:
        out = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:.0f}s", "--timeout", "30s",
                              "-s", script.name, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    data: dict[str, Any] = json.loads(next(line for line in out.splitlines() if line.startswith("JSON "))[5:])
    data["rate"] = data["requests"] / data["seconds"]
    return data


def drive_threads(base: str, paths: list[str], *, seconds: float, connections: int) -> dict[str, Any]:
    """A thread per connection, each with its own httpx client, until the time is up; latencies in ms."""
    import httpx

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < deadline:
                path = paths[next(counter) % len(paths)]
                started = time.perf_counter()
                status = client.get(path).status_code
                mine.append((time.perf_counter() - started) * 1000)
                failed += status != 200
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(worker) for _ in range(connections)]:
            future.result()
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "seconds": elapsed, "rate": len(latencies) / elapsed, "errors": 0,
            "non2xx": errors, **percentiles(latencies)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_visits(base: str, paths: list[str]) -> dict[str, Any]:
    """One request per path, one at a time: the cost of a story page nobody has opened yet; ms."""
    import httpx

    times = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in paths:
            started = time.perf_counter()
            assert client.get(path).status_code == 200, path
            times.append((time.perf_counter() - started) * 1000)
    return {"requests": len(times), **percentiles(times)}


def percentiles(values: list[float]) -> dict[str, float]:
    """Nearest-rank p50/p95/p99 and the maximum."""
    ordered = sorted(values)
    rank = {q: ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] for q in (50, 95, 99)}
    return {"p50": rank[50], "p95": rank[95], "p99": rank[99], "max": ordered[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20, help="duration of each load run")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--story-sample", type=int, default=30, help="story pages rotated over")
    parser.add_argument("--driver", choices=("auto", "wrk", "threads"), default="auto")
    parser.add_argument("--no-write", action="store_true", help="do not append to benchmarks/results.md")
    args = parser.parse_args()
    driver = "wrk" if args.driver == "wrk" or (args.driver == "auto" and shutil.which("wrk")) else "threads"
    drive = drive_wrk if driver == "wrk" else drive_threads

    with tempfile.TemporaryDirectory(prefix="rashomon-load-") as tmp:
        db = str(Path(tmp) / "load.db")
        started = time.monotonic()
        story_ids = build_db(db, args.articles)
        print(f"{args.articles:,} articles in {len(story_ids):,} stories stored in "
              f"{time.monotonic() - started:.1f} s", flush=True)
        sample = random.Random(1).sample(story_ids, min(args.story_sample, len(story_ids)))
        story_paths = [f"/stories/{s}" for s in sample]
        proc, base = start_server(db)
        try:
            results: dict[str, dict[str, Any]] = {}
            results["first story page visits (sequential)"] = first_visits(base, story_paths)
            for label, paths in (("/ (story list)", ["/"]), ("/api/stories", ["/api/stories"]),
                                 (f"/stories/{{id}} ({len(story_paths)} stories, seen before)", story_paths)):
                drive(base, paths, seconds=2, connections=args.connections)  # warm-up
                cpu = cpu_seconds(proc.pid)
                results[label] = r = drive(base, paths, seconds=args.seconds, connections=args.connections)
                # Server CPU per request: what the machine's other load cannot inflate the way it does wall time.
                r["cpu_ms"] = (cpu_seconds(proc.pid) - cpu) * 1000 / max(1, r["requests"])
                print(f"{label:50} {r['rate']:8.1f} req/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  "
                      f"p99 {r['p99']:7.1f} ms  server CPU {r['cpu_ms']:.1f} ms/req  "
                      f"errors {r['errors'] + r['non2xx']}", flush=True)
        finally:
            proc.terminate()
            proc.wait(10)
    first = results.pop("first story page visits (sequential)")
    print(f"first visits: p50 {first['p50']:.0f} ms, p99 {first['p99']:.0f} ms, max {first['max']:.0f} ms")
    listing = results["/ (story list)"]
    met = listing["rate"] >= 200 and listing["p99"] < 100
    lines = [
        f"\n### {time.strftime('%Y-%m-%d %H:%M')} — bench_load.py, {args.articles:,} articles in "
        f"{len(story_ids):,} stories, `rashomon serve` (one uvicorn process) on loopback, {driver}, "
        f"{args.connections} connections, {args.seconds:.0f} s per target, {os.cpu_count()} CPUs\n",
        "| target | requests | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/request | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *[f"| {label} | {r['requests']:,} | {r['rate']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
          f"{r['cpu_ms']:.1f} | {r['errors'] + r['non2xx']} |" for label, r in results.items()],
        "",
        f"Load average at the end: {os.getloadavg()[0]:.1f} (other work on the machine slows wall-clock figures).",
        "",
        f"First visit of a story page (comparison not cached; sequential, {first['requests']} stories): "
        f"p50 {first['p50']:.0f} ms, p95 {first['p95']:.0f} ms, p99 {first['p99']:.0f} ms, max {first['max']:.0f} ms.",
        f"Story list target (≥ 200 req/s, p99 < 100 ms): **{'met' if met else 'NOT met'}**.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
        if "\n## Load\n" not in text:
            text = text.rstrip("\n") + "\n\n## Load\n"
        head, _, tail = text.partition("\n## Load\n")
        rest = tail.split("\n## ", 1)
        section = rest[0].rstrip("\n") + "\n" + "\n".join(lines) + "\n"
        text = head + "\n## Load\n" + section + ("\n## " + rest[1] if len(rest) > 1 else "")
        RESULTS.write_text(text, encoding="utf-8")
        print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
