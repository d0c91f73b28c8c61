"""Scale benchmark: story assignment, entity resolution, comparison and the story page on synthetic
archives of 1k, 10k and 100k articles (``benchmarks/make_synthetic.py``, generated once into
``benchmarks/out/``, reused).

Each size runs in its own process (peak RSS from ``resource.getrusage``) on a copy of the archive:

* **placement**: the newest 100 articles (left out of stories by the generator) are placed one by one
  with :func:`rashomon.stories.placement.place_in_stories` (cached vectors, no model): ms per article, pair
  comparisons per article, and how often the article joined its gold event's story;
* **entity resolution**: :func:`rashomon.linking.resolve_entities`, the full registry rebuild that
  ``add`` runs, at 1k and 10k (name vectors pre-stored, so e5 never loads);
* **story rebuild**: :func:`rashomon.stories.placement.rebuild_stories`, the story part of ``rashomon recluster``
  (features read from the store, blocked clustering, stories written), and at 1k its agreement with
  the rebuild as it was before blocking (every pair scored in Python, then average linkage);
* **compare and the story page** (largest size only): :func:`rashomon.compare.compare_story` on
  stories of 3-20 articles with the real embedding models (once per story: seconds each), then
  :func:`rashomon.compare_cache.cached_compare` and ``GET /stories/{id}`` (FastAPI TestClient) on the
  same stories with the stored comparison: p50/p95.

    python benchmarks/bench_scale.py                       # 1k, 10k, 100k; rewrites "## Scale" in results.md
    python benchmarks/bench_scale.py --sizes 1000 --no-write
    python benchmarks/bench_scale.py --sizes 1000 10000 --no-compare --no-write   # skip the slow compare part
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_synthetic  # noqa: E402
from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

RESULTS = ROOT / "benchmarks" / "results.md"
SIZES = (1000, 10000, 100000)
PLACED = 100  # the generator leaves this many newest articles out of stories
RESOLVE_MAX = 10000  # the full entity rebuild is timed up to this size
ALL_PAIRS_MAX = 1000  # the all-pairs rebuild (n² Python scores) is run up to this size, to check the blocked one
COMPARE_STORIES = 12  # stories compared with the real models (seconds each), 2 per size, plus 3 merged


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _gold(size: int, seed: int, per_day: int) -> dict[str, int]:
    """Article id -> gold event, replayed from the generator."""
    import hashlib

    plan = make_synthetic.events(size, per_day=per_day, seed=seed)
    return {hashlib.sha1(f"syn-{seed}-{i}".encode()).hexdigest()[:12]: e.id for i, (e, _l, _k) in enumerate(plan)}


def child(size: int, *, compare: bool, seed: int, per_day: int) -> dict[str, Any]:
    """Run the measurements on a copy of the archive of ``size`` articles."""
    from rashomon import linking, stories
    from rashomon.store import open_store
    from rashomon.stories import placement

    source = make_synthetic.path_for(size)
    work = source.with_suffix(".work.db")
    started = time.monotonic()
    shutil.copyfile(source, work)
    out: dict[str, Any] = {"size": size, "copy_s": time.monotonic() - started}
    store = open_store(str(work))  # applies new migrations (indexes) to the copy
    out["open_s"] = time.monotonic() - started - out["copy_s"]
    make_synthetic.write_name_vectors(store, seed)
    gold = _gold(size, seed, per_day)

    # -- placement, one article at a time --------------------------------------------------------
    counts: list[int] = []

    class CountingIndex(stories.StoryIndex):
        def add(self, features: stories.ArticleFeatures, *, story_key: str | None = None, pinned: bool = False) -> str:
            before = self.comparisons
            key = super().add(features, story_key=story_key, pinned=pinned)
            if story_key is None:
                counts.append(self.comparisons - before)
            return key

    original = stories.StoryIndex
    placement.StoryIndex = CountingIndex  # type: ignore[misc]  # counts the pair scores of each add
    todo = [
        r[0]
        for r in store.query(
            "SELECT a.id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE sa.article_id IS NULL ORDER BY a.added_at, a.id"
        )
    ]
    times = []
    for article_id in todo:
        t = time.perf_counter()
        placement.place_in_stories(store, [article_id])
        times.append((time.perf_counter() - t) * 1000)
    placement.StoryIndex = original  # type: ignore[misc]
    by_event: dict[int, set[str]] = {}
    for article_id, event in gold.items():
        by_event.setdefault(event, set()).add(article_id)
    right = 0
    for article_id in todo:  # its story holds exactly its event's reports
        members = set(store.story_article_ids(store.story_of(article_id) or ""))
        right += members == by_event[gold[article_id]]
    out["place"] = {
        "articles": len(todo),
        "mean_ms": statistics.mean(times),
        "p50_ms": _pct(times, 0.5),
        "p95_ms": _pct(times, 0.95),
        "comparisons": statistics.mean(counts) if counts else 0.0,
        "gold_story": right / len(todo),
    }

    # -- the entity registry rebuilt -------------------------------------------------------------
    if size <= RESOLVE_MAX:
        t = time.perf_counter()
        entities = linking.resolve_entities(store)
        out["resolve"] = {
            "s": time.perf_counter() - t,
            "entities": entities,
            "records": int(store.scalar("SELECT COUNT(*) FROM entity_mentions")),
        }

    out["rebuild"] = _rebuild(store, gold, all_pairs=size <= ALL_PAIRS_MAX)
    if compare:
        out["compare"] = _compare(store, work)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    return out


def _rebuild(store: Any, gold: dict[str, int], *, all_pairs: bool) -> dict[str, Any]:
    """Time the story rebuild; check it against gold and, when ``all_pairs``, against scoring every pair."""
    from rashomon import stories
    from rashomon.stories import placement
    from rashomon.stories.fit import cluster_all_pairs, pairwise_prf

    t = time.perf_counter()
    count = placement.rebuild_stories(store)
    out: dict[str, Any] = {"s": time.perf_counter() - t, "stories": count}
    rows = store.query("SELECT story_id, article_id FROM story_articles")
    by_story: dict[str, list[str]] = {}
    for story_id, article_id in rows:
        by_story.setdefault(story_id, []).append(article_id)
    out["gold_f1"] = pairwise_prf(list(by_story.values()), {a: str(e) for a, e in gold.items()})[2]
    if all_pairs:
        features = placement._features(store, store.list_articles())
        t = time.perf_counter()
        blocked = stories.cluster(features)
        out["cluster_s"] = time.perf_counter() - t
        t = time.perf_counter()
        reference = cluster_all_pairs(features)
        out["all_pairs_s"] = time.perf_counter() - t
        out["agreement"] = pairwise_prf(blocked, {a: str(i) for i, group in enumerate(reference) for a in group})[2]
    return out


def _compare(store: Any, work: Path) -> dict[str, Any]:
    """Comparison and story page latency on stories of 3-20 articles."""
    from fastapi.testclient import TestClient

    from rashomon import decisions
    from rashomon.compare_cache import cached_compare
    from rashomon.web import create_app

    by_size: dict[int, list[str]] = {}
    for story_id, n in store.query(
        "SELECT story_id, COUNT(*) FROM story_articles GROUP BY story_id HAVING COUNT(*) >= 3 ORDER BY story_id"
    ):
        by_size.setdefault(int(n), []).append(story_id)
    chosen = [s for _n, ids in sorted(by_size.items()) for s in ids[:2]][:COMPARE_STORIES]
    # Synthetic events have at most 8 reports: merge stories of a few days into ones of 12, 16 and 20.
    days = [
        d
        for (d,) in store.query(
            "SELECT DISTINCT event_date FROM stories WHERE event_date IS NOT NULL "
            "ORDER BY event_date DESC LIMIT 3 OFFSET 50"
        )
    ]
    marks = ", ".join("?" for _ in days)
    pool = {
        s: len(store.story_article_ids(s))
        for (s,) in store.query(f"SELECT id FROM stories WHERE event_date IN ({marks}) ORDER BY id", days)
        if s not in chosen
    }
    for target in (12, 16, 20):
        group, total = [], 0
        for story_id, n in list(pool.items()):
            if total + n <= target:
                group.append(story_id)
                total += n
                del pool[story_id]
            if total == target:
                break
        if len(group) > 1:
            chosen.append(decisions.merge_stories(store, group))
    sizes = {s: len(store.story_article_ids(s)) for s in chosen}

    cold = []
    for story_id in chosen:  # as is: every sentence embedded by the real models; fills the stored result
        t = time.perf_counter()
        cached_compare(store, story_id)
        cold.append((time.perf_counter() - t) * 1000)
    warm, page = [], []
    client = TestClient(create_app(db=str(work)), base_url="http://127.0.0.1")
    for _ in range(5):
        for story_id in chosen:
            t = time.perf_counter()
            cached_compare(store, story_id)
            warm.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            response = client.get(f"/stories/{story_id}")
            page.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
    return {
        "stories": len(chosen),
        "articles": f"{min(sizes.values())}-{max(sizes.values())}",
        "cold_p50_ms": _pct(cold[1:], 0.5),
        "cold_p95_ms": _pct(cold[1:], 0.95),
        "first_ms": cold[0],
        "warm_p50_ms": _pct(warm, 0.5),
        "warm_p95_ms": _pct(warm, 0.95),
        "page_p50_ms": _pct(page, 0.5),
        "page_p95_ms": _pct(page, 0.95),
    }


def report(results: list[dict[str, Any]], *, per_day: int) -> str:
    """The "## Scale" section."""
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = [
        "## Scale",
        "",
        f"{stamp}, `python benchmarks/bench_scale.py` on synthetic archives (`benchmarks/make_synthetic.py`: "
        f"{per_day} articles a day, events of 2-8 reports in 6 languages, ~140 words; stored vectors, "
        f"analyses, gold stories and entities), {os.cpu_count()} CPUs. Placement: the newest {PLACED} "
        "articles placed one by one with `place_in_stories` into the archive (cached vectors). "
        f"Peak RSS: the whole run for that size, in its own process. Load average at the end "
        f"{os.getloadavg()[0]:.1f} (other jobs were running; times are noisy).",
        "",
        "| articles | place ms/article mean | p50 | p95 | comparisons/article | joined gold story "
        "| resolve_entities s | records | entities | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p = r["place"]
        res = r.get("resolve")
        resolve = f"{res['s']:.1f} | {res['records']:,} | {res['entities']:,}" if res else "– | – | –"
        lines.append(
            f"| {r['size']:,} | {p['mean_ms']:.0f} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['comparisons']:.0f} "
            f"| {p['gold_story']:.0%} | {resolve} | {r['rss_mb']:.0f} |"
        )
    lines += [
        "",
        "`resolve_entities` is the full registry rebuild `add` still runs after placing new articles "
        "(`linking.update_links`): records of one name are resolved as one (`entities.prep.collapse`), so it "
        "grows with the archive, not with the square of a name's mentions; it is not yet incremental, so "
        "an add costs that rebuild on top of the placement.",
    ]
    lines += [
        "",
        "Story rebuild (`stories.placement.rebuild_stories`: the story part of `rashomon recluster`, which then "
        "rebuilds "
        "the entity registry as above): all stored articles' features read from the store, clustered with "
        "date-window blocking (`stories.blocks`), stories written.",
        "",
        "| articles | rebuild s | stories | pairwise F1 vs gold | blocked vs all-pairs rebuild, pairwise F1 "
        "| `cluster` s (features in memory) | all-pairs rebuild s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b = r["rebuild"]
        check = (
            f"{b['agreement']:.4f} | {b['cluster_s']:.2f} | {b['all_pairs_s']:.1f}" if "agreement" in b else "– | – | –"
        )
        lines.append(f"| {r['size']:,} | {b['s']:.1f} | {b['stories']:,} | {b['gold_f1']:.3f} | {check} |")
    first, last = results[0], results[-1]
    if len(results) > 1:
        ratio = last["place"]["mean_ms"] / first["place"]["mean_ms"]
        lines += [
            "",
            f"Per-article placement, {last['size']:,} vs {first['size']:,} articles: {ratio:.2f}x "
            f"the time for {last['size'] / first['size']:.0f}x the articles.",
        ]
    for r in results:
        c = r.get("compare")
        if not c:
            continue
        lines += [
            "",
            f"Compare and story page on the {r['size']:,}-article archive, {c['stories']} stories of "
            f"{c['articles']} articles (3 of them same-day stories merged to reach 12-20):",
            "",
            "| measure | p50 ms | p95 ms |",
            "|---|---|---|",
            f"| `compare_story` as is (real e5 + USE sentence embeddings; first call {c['first_ms']:.0f} ms "
            f"with model loading, left out) | {c['cold_p50_ms']:.0f} | {c['cold_p95_ms']:.0f} |",
            f"| `cached_compare` (stored comparison, key checked) | {c['warm_p50_ms']:.1f} | {c['warm_p95_ms']:.1f} |",
            f"| `GET /stories/{{id}}` (TestClient, stored comparison) | {c['page_p50_ms']:.1f} "
            f"| {c['page_p95_ms']:.1f} |",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-compare", action="store_true", help="skip compare and the story page")
    parser.add_argument("--no-write", action="store_true", help="print only; do not touch results.md")
    args = parser.parse_args()
    if args.child:
        result = child(args.child, compare=args.compare, seed=args.seed, per_day=args.per_day)
        print("RESULT " + json.dumps(result), flush=True)
        return
    results = []
    for size in args.sizes:
        path = make_synthetic.path_for(size)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            make_synthetic.generate(path, size, per_day=args.per_day, seed=args.seed, unplaced=PLACED)
        started = time.monotonic()
        command = [
            sys.executable,
            __file__,
            "--child",
            str(size),
            "--seed",
            str(args.seed),
            "--per-day",
            str(args.per_day),
        ]
        if size == max(args.sizes) and not args.no_compare:
            command.append("--compare")
        run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        if run.returncode:
            print(run.stdout[-2000:], run.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"size {size} failed")
        line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
        result = json.loads(line[len("RESULT ") :])
        print(f"{size}: {time.monotonic() - started:.0f} s {json.dumps(result)}", flush=True)
        results.append(result)
    text = report(results, per_day=args.per_day)
    print(text)
    if not args.no_write:
        replace_section(RESULTS, "## Scale", text)


if __name__ == "__main__":
    main()
