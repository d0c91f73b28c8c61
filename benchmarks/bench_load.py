"""Load on the web app: `rashomon serve` over a 10,000-article SQLite database, driven on loopback.

    python benchmarks/bench_load.py                     # ~4 min; rewrites "## Load" in benchmarks/results.md
    python benchmarks/bench_load.py --articles 2000 --seconds 5 --no-write

The database is built through the Store API from synthetic articles grouped into stories (no models
run). `rashomon serve` (its default worker count unless ``--workers``) runs as a subprocess on a free
loopback port; each target is then driven for a fixed time by `wrk` (C, when installed: ``apt-get
install wrk``) or else by lean keep-alive ``http.client`` threads. The client shares the CPUs with the
server, so a heavy client (httpx: ~1 ms of Python per request) would cap the figures itself.

- ``/`` — the story list (target: ≥ 200 requests/s, p99 < 100 ms). The server keeps it rendered until
  the database changes, so it is also driven while a writer commits a new story every 50 ms (like a
  running ``rashomon add``), which makes the server rebuild it ~20 times a second;
- ``/api/stories`` — the same list as JSON (100 stories with their articles);
- ``/stories/{id}`` — story pages, rotating over a sample of stories. The page runs the comparison
  (sentence embeddings), so the first visit of a story is measured apart from repeated ones.
"""

from __future__ import annotations

import argparse
import http.client
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

from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from rashomon.models import Article, Story  # noqa: E402
from rashomon.store import Store, open_store  # noqa: E402

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
            story_ids.append(f"s{len(story_ids):06d}")
            n += add_story(store, rng, story_ids[-1], first_article=n, max_size=articles - n)
    return story_ids


def add_story(store: Store, rng: random.Random, story_id: str, *, first_article: int, max_size: int,
              year: int = 2023) -> int:
    """A synthetic story of 1-6 articles (at most ``max_size``) numbered from ``first_article``; their number."""
    day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    topic = rng.sample(WORDS, 4)
    store.save_story(Story(id=story_id, title=f"{topic[0].title()} {' '.join(topic[1:])} {story_id}", event_date=day))
    size = min(rng.choice((1, 1, 2, 3, 3, 4, 5, 6)), max_size)
    for n in range(first_article, first_article + size):
        sentences = [" ".join(rng.choices(WORDS, k=rng.randint(8, 18))).capitalize() + f" {n}."
                     for _ in range(rng.randint(6, 14))]
        article_id = f"{n:012x}"
        store.insert_article(Article(
            id=article_id, title=" ".join(topic + rng.sample(WORDS, 3)).capitalize(),
            text="\n\n".join(sentences), source=rng.choice(SOURCES), language=rng.choice(LANGUAGES),
            published=f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00", format="txt",
        ), fingerprint=f"fp{n}", bands=[])
        store.assign_article(article_id, story_id, score=0.8)
    return size


class Writer(threading.Thread):
    """Commits a new one-article story (dated later than the others, so it tops the list) every ``interval`` s."""

    def __init__(self, db: str, *, first_article: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.db, self.next_article, self.interval = db, first_article, interval
        self.commits = 0
        self.stop = threading.Event()

    def run(self) -> None:
        rng = random.Random(3)
        with open_store(self.db) as store:
            while not self.stop.wait(self.interval):
                with store.transaction():
                    add_story(store, rng, f"w{self.commits:06d}", first_article=self.next_article, max_size=1,
                              year=2024)
                self.next_article += 1
                self.commits += 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str, *, workers: int | None) -> tuple[subprocess.Popen[bytes], str]:
    """`rashomon serve` on a free loopback port, once it answers."""
    import httpx

    port = _free_port()
    command = [sys.executable, "-m", "rashomon", "serve", "--db", db, "--port", str(port)]
    proc = subprocess.Popen(command + (["--workers", str(workers)] if workers else []),
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


def drive_threads(
    base: str, paths: list[str], *, seconds: float, connections: int, rate: float | None = None
) -> dict[str, Any]:
    """A thread per keep-alive ``http.client`` connection (a lean client: httpx cost ~1 ms of CPU a request),
    until the time is up; latencies in ms.

    Without ``rate`` each connection sends its next request as soon as the last is answered (the most
    the server can do). With ``rate`` the requests are sent on a fixed schedule of ``rate`` a second,
    and a latency counts from when the request was due, so a stalled server is not hidden by the client
    waiting for it (coordinated omission).
    """
    host, port = base.removeprefix("http://").rsplit(":", 1)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(10**9))
    begin = time.perf_counter()
    deadline = begin + seconds

    def worker(index: int) -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            for sent in range(10**9):
                due = time.perf_counter() if rate is None else begin + (sent * connections + index) / rate
                if due >= deadline:
                    break
                time.sleep(max(0.0, due - time.perf_counter()))
                conn.request("GET", paths[next(counter) % len(paths)])
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - due) * 1000)
                failed += response.status != 200
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    with ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(worker, i) for i in range(connections)]:
            future.result()
    elapsed = time.perf_counter() - begin
    return {"requests": len(latencies), "seconds": elapsed, "rate": len(latencies) / elapsed, "errors": 0,
            "non2xx": errors, **percentiles(latencies)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its descendants (the workers; Linux /proc, else 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


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
    parser.add_argument("--workers", type=int, help="`rashomon serve --workers` (default: its own default)")
    parser.add_argument("--write-interval", type=float, default=0.05, help="seconds between the writer's commits")
    parser.add_argument("--rate", type=float, default=200, help="requests a second of the paced runs")
    parser.add_argument("--only", default="", help="run only the targets whose label contains this")
    parser.add_argument("--no-write", action="store_true", help="do not write to benchmarks/results.md")
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
        proc, base = start_server(db, workers=args.workers)
        writes = f" + a story committed every {args.write_interval * 1000:.0f} ms"
        paced = f", paced at {args.rate:.0f} req/s"
        story_pages = f"/stories/{{id}} ({len(story_paths)} stories, seen before)"
        # (label, paths, requests a second or None for as many as the server answers, whether a writer runs)
        targets: list[tuple[str, list[str], float | None, bool]] = [
            ("/ (story list)", ["/"], None, False), ("/ (story list)" + paced, ["/"], args.rate, False),
            ("/ (story list)" + writes, ["/"], None, True), ("/ (story list)" + writes + paced, ["/"], args.rate, True),
            ("/api/stories", ["/api/stories"], None, False), (story_pages, story_paths, None, False),
        ]
        try:
            results: dict[str, dict[str, Any]] = {}
            first = first_visits(base, story_paths) if not args.only else None
            for label, paths, rate, write in [t for t in targets if args.only in t[0]]:
                drive(base, paths, seconds=2, connections=args.connections)  # warm-up
                writer = Writer(db, first_article=args.articles + 10**6 + len(results) * 10**5,
                                interval=args.write_interval) if write else None
                if writer is not None:
                    writer.start()
                cpu = cpu_seconds(proc.pid)
                if rate is None:
                    r = drive(base, paths, seconds=args.seconds, connections=args.connections)
                else:
                    r = drive_threads(base, paths, seconds=args.seconds, connections=args.connections, rate=rate)
                # Server CPU per request: what the machine's other load cannot inflate the way it does wall time.
                r["cpu_ms"] = (cpu_seconds(proc.pid) - cpu) * 1000 / max(1, r["requests"])
                if writer is not None:
                    writer.stop.set()
                    writer.join()
                    r["commits"] = writer.commits
                results[label] = r
                print(f"{label:50} {r['rate']:8.1f} req/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  "
                      f"p99 {r['p99']:7.1f} ms  server CPU {r['cpu_ms']:.1f} ms/req  "
                      f"errors {r['errors'] + r['non2xx']}" + (f"  commits {r['commits']}" if writer else ""),
                      flush=True)
        finally:
            proc.terminate()
            proc.wait(10)
    if first is None:
        return  # a partial run (--only): nothing to record
    # The target: at least 200 requests a second answered, 99 % of them within 100 ms (a paced run sends
    # exactly its rate, so it reaches 200 when within 2 % of it).
    verdicts = [f"{label}: **{'met' if r['rate'] >= 196 and r['p99'] < 100 else 'NOT met'}**"
                for label, r in results.items() if label.startswith("/ (story list)")]
    workers = f"--workers {args.workers}" if args.workers else "default workers"
    lines = [
        f"\n### {time.strftime('%Y-%m-%d %H:%M')} — bench_load.py, {args.articles:,} articles in "
        f"{len(story_ids):,} stories, `rashomon serve` ({workers}) on loopback, {driver}, "
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
        f"Story list target (≥ 200 req/s, p99 < 100 ms) — {'; '.join(verdicts)}. Each commit of the writer "
        "(a new story at the top of the list) makes every worker rebuild the list once.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        replace_section(RESULTS, "## Load", "\n".join(lines) + "\n")
        print(f"wrote its section of {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
