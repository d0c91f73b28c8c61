"""Entity-resolution quality: precision/recall/F1 of the merge decision on labelled names.

Name-only test: every spelling becomes one record in its own article with no story, so only the name
keys and the cross-lingual embedding can link it. Sets:

* benchmarks/entities/pairs.tsv: labelled name pairs (positives and hard negatives; README.md there),
  with a dev and a held-out test split. A pair is merged iff its two names end in one entity when the
  two are resolved together; "pool" resolves every name of the set at once (chains can over-merge);
* benchmarks/data/entity_alias_groups.tsv: alias groups, pairwise over all records of the set;
* the sample corpus gold when present (rashomon/data/sample/gold*.json: entity_groups, must_not_merge).

    .venv/bin/python benchmarks/bench_entities.py [--no-append] [--show-errors]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import time
from collections import Counter
from pathlib import Path

from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from rashomon.entities import EntityRecord, e5_embedder, resolve
from rashomon.names import script

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "benchmarks" / "entities" / "pairs.tsv"
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


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _record(i: int, name: str, lang: str, type_: str) -> EntityRecord:
    return EntityRecord(id=f"r{i}", type=type_, name=name, language=lang, article_id=f"a{i}")


def pair_decisions(pairs: list[dict[str, str]], *, pool: bool, embeddings: bool = True) -> list[bool]:
    """Merged or not, per pair: the two names resolved alone together, or (``pool``) all names at once."""
    if not pool:
        if embeddings:  # one batch fills the embedder's cache: 1,259 two-name calls took minutes
            e5_embedder(sorted({p[f"name_{side}"] for p in pairs for side in "ab"}))
        out = []
        for p in pairs:
            recs = [_record(0, p["name_a"], p["lang_a"], p["type"]), _record(1, p["name_b"], p["lang_b"], p["type"])]
            out.append(len(resolve(recs, embeddings=embeddings)) == 1)
        return out
    index: dict[tuple[str, str, str], int] = {}
    for p in pairs:
        for side in "ab":
            index.setdefault((p[f"name_{side}"], p[f"lang_{side}"], p["type"]), len(index))
    entities = resolve([_record(i, *key) for key, i in index.items()], embeddings=embeddings)
    owner = {rid: e.id for e in entities for rid in e.record_ids}
    ids = [
        (index[(p["name_a"], p["lang_a"], p["type"])], index[(p["name_b"], p["lang_b"], p["type"])]) for p in pairs
    ]
    return [owner[f"r{a}"] == owner[f"r{b}"] for a, b in ids]


def _prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairs_report(*, show_errors: bool) -> str:
    """Markdown tables for benchmarks/entities/pairs.tsv: P/R/F1 per split and mode, and per kind."""
    pairs = _pairs()
    gold = [p["same"] == "1" for p in pairs]
    lines = [
        f"Labelled pairs (`benchmarks/entities/pairs.tsv`): {len(pairs)} pairs, {sum(gold)} same /"
        f" {len(pairs) - sum(gold)} different; held-out test split {sum(p['split'] == 'test' for p in pairs)}.",
        "",
        "| mode | embeddings | split | pairs | precision | recall | F1 | false merges | misses | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    main_pred: list[bool] = []
    for pool, emb in ((False, False), (False, True), (True, True)):
        start = time.perf_counter()
        pred = pair_decisions(pairs, pool=pool, embeddings=emb)
        seconds = time.perf_counter() - start
        if not pool and emb:
            main_pred = pred
        for split in ("dev", "test", "all"):
            sel = [i for i, p in enumerate(pairs) if split in ("all", p["split"])]
            g, d = [gold[i] for i in sel], [pred[i] for i in sel]
            p, r, f1 = _prf(g, d)
            fps = sum(x and not y for x, y in zip(d, g, strict=True))
            fns = sum(y and not x for x, y in zip(d, g, strict=True))
            lines.append(
                f"| {'pool' if pool else 'pair'} | {'e5' if emb else 'off'} | {split} | {len(sel)} | {p:.3f} "
                f"| {r:.3f} | {f1:.3f} | {fps} | {fns} | {f'{seconds:.1f}' if split == 'all' else '–'} |"
            )
    lines += ["", "Per kind (pair mode, e5): positives' recall, negatives' share kept apart.", "",
              "| kind | same | pairs | dev | test |", "|---|---|---|---|---|"]  # fmt: skip
    kinds = Counter((p["kind"], p["same"]) for p in pairs)
    for (kind, same), n in sorted(kinds.items(), key=lambda kv: (kv[0][1], -kv[1])):
        cells = []
        for split in ("dev", "test"):
            sel = [i for i, p in enumerate(pairs) if p["kind"] == kind and p["same"] == same and p["split"] == split]
            right = sum(main_pred[i] == gold[i] for i in sel)
            cells.append(f"{right / len(sel):.2f} ({len(sel)})" if sel else "–")
        lines.append(f"| {kind} | {same} | {n} | {cells[0]} | {cells[1]} |")
    errors = [(p, "false merge" if main_pred[i] else "miss") for i, p in enumerate(pairs) if main_pred[i] != gold[i]]
    merges = [f"- {p['name_a']} ({p['lang_a']}) + {p['name_b']} ({p['lang_b']}): {p['kind']}, {p['note']}"
              for p, what in errors if what == "false merge"]  # fmt: skip
    lines += ["", f"False merges (pair mode, e5): {len(merges)}", "", *merges]
    if show_errors:
        for p, what in errors:
            print(f"  {what} [{p['split']}] {p['kind']}: {p['name_a']} ({p['lang_a']}) / {p['name_b']} ({p['lang_b']})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-append", action="store_true", help="do not write to benchmarks/results.md")
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
    pairs = pairs_report(show_errors=args.show_errors)
    print(pairs, table, sep="\n\n")
    if not args.no_append:
        replace_section(ROOT / "benchmarks" / "results.md", "## Entity resolution",
                        f"## Entity resolution\n\n{time.strftime('%Y-%m-%d')}, `benchmarks/bench_entities.py`"
                        " (merge precision/recall; name-only records, no story context)\n\n"
                        f"{pairs}\n\nAlias groups, pairwise over all records of a set:\n\n{table}\n")  # fmt: skip


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
