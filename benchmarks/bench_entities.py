"""Entity-resolution quality: pairwise precision/recall/F1 of merges on labelled alias groups.

Name-only test: every spelling becomes one record in its own article with no story, so only the name
keys and the cross-lingual embedding can link it. Sets: benchmarks/data/entity_alias_groups.tsv
(written for this benchmark) and, when present, the sample corpus gold
(rashomon/data/sample/gold*.json: entity_groups, must_not_merge).

    .venv/bin/python benchmarks/bench_entities.py [--no-append]
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from rashomon.entities import EntityRecord, resolve
from rashomon.names import script

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ROOT / "benchmarks" / "data" / "entity_alias_groups.tsv"
GOLD = [
    ROOT / "rashomon" / "data" / "sample" / n for n in ("gold.json", "gold.part-a.json", "gold.part-b.json")
]


def _own_set() -> list[tuple[str, str, str | None, str]]:
    rows = []
    for line in GROUPS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group, type_, lang, name = line.split("\t")
            rows.append((group, type_, lang, name))
    return rows


def _gold_set(path: Path) -> tuple[list[tuple[str, str, str | None, str]], list[tuple[str, str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows, seen = [], set()
    for g in data.get("entity_groups", []):
        for alias in dict.fromkeys([g["name"], *g.get("aliases", [])]):
            if (g["name"], alias) not in seen:
                seen.add((g["name"], alias))
                rows.append((g["name"], g["type"], None, alias))
    nots = [(m[0], m[1]) for m in data.get("must_not_merge", [])]
    return rows, nots


def evaluate(rows: list[tuple[str, str, str | None, str]], *, embeddings: bool = True) -> dict[str, float]:
    """Pairwise P/R/F1 of resolving every row as its own record."""
    records = [
        EntityRecord(id=f"r{i}", type=t, name=name, language=lang, article_id=f"a{i}")
        for i, (_, t, lang, name) in enumerate(rows)
    ]
    start = time.perf_counter()
    entities = resolve(records, embeddings=embeddings)
    seconds = time.perf_counter() - start
    cluster = {rid: e.id for e in entities for rid in e.record_ids}
    tp = fp = fn = 0
    for (i, a), (j, b) in itertools.combinations(enumerate(rows), 2):
        same_gold, same_pred = a[0] == b[0], cluster[f"r{i}"] == cluster[f"r{j}"]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    cross = sum(
        1
        for (i, a), (j, b) in itertools.combinations(enumerate(rows), 2)
        if a[0] == b[0] and script(a[3]) != script(b[3])
    )
    cross_tp = sum(
        1
        for (i, a), (j, b) in itertools.combinations(enumerate(rows), 2)
        if a[0] == b[0] and script(a[3]) != script(b[3]) and cluster[f"r{i}"] == cluster[f"r{j}"]
    )
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "groups": len({g for g, *_ in rows}), "records": len(rows), "precision": p, "recall": r, "f1": f1,
        "cross_script_recall": cross_tp / cross if cross else 1.0,
        "seconds": seconds, "_clusters": cluster, "_entities": entities,
    }  # fmt: skip


def must_not_merge(
    result: dict, rows: list[tuple[str, str, str | None, str]], pairs: list[tuple[str, str]]
) -> str:
    """How many must-not-merge pairs (by canonical group name) ended up sharing a record cluster."""
    cluster = result["_clusters"]
    by_group: dict[str, set[str]] = {}
    for i, (g, *_) in enumerate(rows):
        by_group.setdefault(g, set()).add(cluster[f"r{i}"])
    broken = sum(1 for a, b in pairs if by_group.get(a, set()) & by_group.get(b, set()))
    return f"{len(pairs) - broken}/{len(pairs)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-append", action="store_true", help="do not append to benchmarks/results.md")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    sets = [("alias groups (own)", _own_set(), [])]
    for path in GOLD:
        if path.exists():
            rows, nots = _gold_set(path)
            sets.append((f"sample {path.name} (name-only)", rows, nots))
    lines = [
        "| set | groups | records | embeddings | precision | recall | F1 | cross-script recall"
        " | must-not-merge kept apart | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, rows, nots in sets:
        for emb in (False, True):
            res = evaluate(rows, embeddings=emb)
            kept = must_not_merge(res, rows, nots) if nots else "–"
            lines.append(
                f"| {label} | {res['groups']} | {res['records']} | {'e5' if emb else 'off'} "
                f"| {res['precision']:.3f} "
                f"| {res['recall']:.3f} | {res['f1']:.3f} | {res['cross_script_recall']:.3f} | {kept} "
                f"| {res['seconds']:.1f} |"
            )
            if args.show_errors and emb:
                _show_errors(res, rows)
    table = "\n".join(lines)
    print(table)
    if not args.no_append:
        with (ROOT / "benchmarks" / "results.md").open("a", encoding="utf-8") as fh:
            fh.write(f"\n## Entity resolution\n\n{time.strftime('%Y-%m-%d')}, `benchmarks/bench_entities.py`"
                     " (pairwise merge precision/recall; name-only records, no story context)\n\n"
                     f"{table}\n")  # fmt: skip


def _show_errors(res: dict, rows: list[tuple[str, str, str | None, str]]) -> None:
    cluster = res["_clusters"]
    for e in res["_entities"]:
        groups = {rows[int(rid[1:])][0] for rid in e.record_ids}
        if len(groups) > 1:
            print("  FP merge:", [rows[int(rid[1:])][3] for rid in e.record_ids])
    by_group: dict[str, dict[str, list[str]]] = {}
    for i, (g, _, _, name) in enumerate(rows):
        by_group.setdefault(g, {}).setdefault(cluster[f"r{i}"], []).append(name)
    for g, parts in by_group.items():
        if len(parts) > 1:
            print("  split:", g, list(parts.values()))


if __name__ == "__main__":
    main()
