"""Entity resolution end to end: ingest the sample corpus, then score the registry against gold.json.

Unlike ``bench_entities.py`` (one name per record, no context), this runs the real pipeline: per-article
NER, records with co-mentions and stories, ``pipeline.resolve_entities``. Every alias of a gold group
(rashomon/data/sample/gold.json ``entity_groups``; groups with the same type and name are one group)
is looked up in the registry by exact surface match. Over pairs of found aliases:

* same gold group and sharing an entity: true positive;
* different gold groups sharing an entity: false positive (an over-merge);
* same gold group, no shared entity: false negative.

Aliases the NER never produced are not in any entity; they are counted as "found" coverage, not as
errors of resolution. Rebuild time is measured in a fresh process (model loading included), as a user
running ``rashomon add`` pays it: once with the ``name_vectors`` cache emptied, once with it filled.

    .venv/bin/python benchmarks/bench_entities_e2e.py [--db PATH] [--no-append] [--label TEXT]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from results_file import replace_section  # benchmarks/ is on sys.path when run as a script

from rashomon import pipeline
from rashomon.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "rashomon" / "data" / "sample"
TYPES = ("PER", "ORG", "LOC", "all")
_REBUILD = """
import sys, time
try:
    from rashomon.linking import resolve_entities
except ImportError:  # before the stories/entities stage moved out of pipeline.py
    from rashomon.pipeline import resolve_entities
from rashomon.store import open_store
with open_store(sys.argv[1]) as store:
    start = time.perf_counter()
    resolve_entities(store)
    first = time.perf_counter() - start
    start = time.perf_counter()
    resolve_entities(store)
    print(first, time.perf_counter() - start)
"""


def gold_groups() -> tuple[dict[tuple[str, str], set[str]], list[tuple[str, str]]]:
    """(type, canonical name) -> aliases; must-not-merge pairs of canonical names."""
    data = json.loads((SAMPLE / "gold.json").read_text(encoding="utf-8"))
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g in data["entity_groups"]:
        groups[(g["type"], g["name"])].update([g["name"], *g.get("aliases", [])])
    return dict(groups), [(m[0], m[1]) for m in data.get("must_not_merge", [])]


def score(entities: list, groups: dict[tuple[str, str], set[str]], nots: list[tuple[str, str]]) -> dict:
    """Pairwise precision/recall/F1 per type, must-not-merge violations and the worst false merges."""
    owners: dict[str, set[str]] = defaultdict(set)
    by_id = {e.id: e for e in entities}
    for e in entities:
        for alias in e.aliases:
            owners[alias[0]].add(e.id)
    items = [
        (key, alias, frozenset(owners[alias])) for key, aliases in groups.items() for alias in sorted(aliases)
    ]
    found = [it for it in items if it[2]]
    counts: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    false_merges: Counter[tuple[str, tuple[str, str], tuple[str, str]]] = Counter()
    for (ka, _, ea), (kb, _, eb) in itertools.combinations(found, 2):
        same_gold, same_entity = ka == kb, bool(ea & eb)
        kind = "tp" if same_gold and same_entity else "fp" if same_entity else "fn" if same_gold else None
        if kind is None:
            continue
        types = {ka[0], "all"} if ka[0] == kb[0] else {"all"}
        for t in types:
            counts[t][kind] += 1
        if kind == "fp":
            for eid in ea & eb:
                false_merges[(eid, *sorted([ka, kb]))] += 1
    table = {}
    for t in TYPES:
        c = counts[t]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        n_items = [it for it in items if t == "all" or it[0][0] == t]
        table[t] = {
            "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "found": sum(1 for it in n_items if it[2]), "aliases": len(n_items),
            "tp": c["tp"], "fp": c["fp"], "fn": c["fn"],
        }  # fmt: skip
    entity_of: dict[str, set[str]] = defaultdict(set)
    for key, _alias, eids in found:
        entity_of[key[1]] |= eids
    violations = [(a, b) for a, b in nots if entity_of.get(a, set()) & entity_of.get(b, set())]
    worst = []
    for (eid, ka, kb), n in false_merges.most_common(12):
        worst.append((n, by_id[eid].type, by_id[eid].name, ka[1], kb[1]))
    return {"types": table, "violations": violations, "worst": worst, "entities": len(entities)}


def rebuild_seconds(db: str, *, cold: bool = False) -> tuple[float, float]:
    """(first, second) ``resolve_entities`` time in one fresh process; ``cold``: name-vector cache emptied."""
    if cold:
        with open_store(db) as store, store.transaction():
            store.execute("DELETE FROM name_vectors")
    out = subprocess.run([sys.executable, "-c", _REBUILD, db], capture_output=True, text=True, check=True)
    first, second = out.stdout.split()
    return float(first), float(second)


def report(result: dict, times: tuple[float, float, float], label: str) -> str:
    """The markdown block for results.md."""
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M')}, `benchmarks/bench_entities_e2e.py` — {label}",
        "",
        "| type | aliases found / gold | TP | FP | FN | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t, r in result["types"].items():
        lines.append(
            f"| {t} | {r['found']}/{r['aliases']} | {r['tp']} | {r['fp']} | {r['fn']} "
            f"| {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |"
        )
    lines += [
        "",
        f"Entities: {result['entities']}. Must-not-merge violated: {len(result['violations'])}"
        + (
            " (" + "; ".join(f"{a} / {b}" for a, b in result["violations"]) + ")"
            if result["violations"]
            else ""
        )
        + f". Rebuild (`resolve_entities`) in a fresh process: {times[0]:.1f} s with an empty name-vector"
        f" cache,"
        f" {times[1]:.1f} s with it filled, {times[2]:.1f} s again in that process.",
    ]
    if result["worst"]:
        lines += ["", "Worst false merges (alias pairs, entity, the two gold groups):", ""]
        lines += [f"- {n} pairs in {t} “{name}”: {a} + {b}" for n, t, name, a, b in result["worst"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an already ingested database: rebuild the registry only (faster)")
    parser.add_argument("--no-append", action="store_true", help="do not write to benchmarks/results.md")
    parser.add_argument("--label", default="sample corpus, full pipeline")
    args = parser.parse_args()
    groups, nots = gold_groups()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        if args.db is None:
            with open_store(db) as store:
                pipeline.add_paths(store, [SAMPLE / "articles"], recursive=True)
        cold = rebuild_seconds(db, cold=True)
        times = rebuild_seconds(db)
        with open_store(db) as store:
            result = score(store.list_entities(), groups, nots)
    text = report(result, (cold[0], times[0], times[1]), args.label)
    print(text)
    if not args.no_append:
        replace_section(ROOT / "benchmarks" / "results.md", "## Entity resolution (end to end)", f"{text}\n")


if __name__ == "__main__":
    main()
