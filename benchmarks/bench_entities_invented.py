"""Entity resolution on invented names in six languages (``benchmarks/entities/invented.tsv``).

Each case of the file is one story: its records (one per entity per article, as per-article NER gives
them: inflected forms, acronyms, full names in three scripts) are resolved together with that context.
Per split (``test`` was labelled before the code it measures was changed; ``dev`` is for tuning):

* groups merged: groups of 2+ records that end as one entity (and cross-script ones among them);
* wrong merges: entities holding records of two groups (look-alikes: relatives, feminine/masculine
  forms, two people with one surname, two border bodies);
* pairwise precision/recall over records of one case.

    python benchmarks/bench_entities_invented.py [--no-embeddings] [--errors] [--no-write] [--label TEXT]
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import defaultdict
from pathlib import Path

from entity_groups import score_groups

from rashomon.entities import EntityRecord, resolve
from rashomon.names import script

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "entities" / "invented.tsv"
RESULTS = Path(__file__).parent / "results.md"

Row = tuple[str, str, str, str, str, str, str]  # split case group type lang article name


def rows() -> list[Row]:
    """The labelled records (comment lines skipped)."""
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            split, case, group, type_, lang, article, name = line.split("\t")
            out.append((split, case, group, type_, lang, article, name))
    return out


def evaluate(split: str, *, embeddings: bool, errors: bool = False) -> dict[str, float | int]:
    """Scores of one split (see the module docstring)."""
    data = [r for r in rows() if r[0] == split]
    by_case: dict[str, list[Row]] = defaultdict(list)
    for r in data:
        by_case[r[1]].append(r)
    groups = merged = cross = cross_merged = wrong = tp = fp = fn = 0
    for case, recs in by_case.items():
        records = [EntityRecord(id=f"r{i}", type=t, name=n, language=lang, article_id=a, story_id=case,
                                co_mentions=[x[6] for x in recs if x[5] == a and x[6] != n])
                   for i, (_s, _c, _g, t, lang, a, n) in enumerate(recs)]  # fmt: skip
        owner = {rid: e.id for e in resolve(records, embeddings=embeddings) for rid in e.record_ids}
        labels = sorted({r[2] for r in recs})
        items = [[f"r{i}" for i, r in enumerate(recs) if r[2] == g] for g in labels]
        result = score_groups(items, {rid: {eid} for rid, eid in owner.items()})
        names = {f"r{i}": r[6] for i, r in enumerate(recs)}
        groups += result.groups
        merged += len(result.merged)
        for g, rids in enumerate(items):
            many = len(rids) > 1 and len({script(names[x]) for x in rids}) > 1
            cross += many
            cross_merged += many and g in result.merged
            if errors and g in result.split:
                parts: dict[str, list[str]] = defaultdict(list)
                for x in rids:
                    parts[owner[x]].append(names[x])
                print(f"  split [{split} {case}] {list(parts.values())}")
        wrong += len(result.wrong)
        for e, gs in result.wrong.items() if errors else ():
            held = [names[x] for x, eid in owner.items() if eid == e]
            print(f"  WRONG [{split} {case}] {sorted(labels[g] for g in gs)}: {held}")
        for (i, a), (j, b) in itertools.combinations(enumerate(recs), 2):
            same_g, same_e = a[2] == b[2], owner[f"r{i}"] == owner[f"r{j}"]
            tp += same_g and same_e
            fp += same_e and not same_g
            fn += same_g and not same_e
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"groups": groups, "merged": merged, "cross": cross, "cross_merged": cross_merged,
            "wrong": wrong, "precision": p, "recall": r}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--errors", action="store_true", help="print the dev split's errors (never the test split's)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    lines = []
    for split in ("dev", "test"):
        r = evaluate(split, embeddings=not args.no_embeddings, errors=args.errors and split == "dev")
        line = (f"| {split} | {r['merged']}/{r['groups']} | {r['cross_merged']}/{r['cross']} | {r['wrong']} "
                f"| {r['precision']:.3f} | {r['recall']:.3f} |")  # fmt: skip
        print(line)
        lines.append(line)
    if not args.no_write:
        from results_file import append_to_section

        intro = (
            "`bench_entities_invented.py` on `benchmarks/entities/invented.tsv`: invented people and bodies in "
            "en/ru/be/uk/pl/de, one story per case; the test split was labelled before the code changes of #16 "
            "and is not tuned on."
        )
        stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
        table = [f"\n### {stamp}{' — ' + args.label if args.label else ''}", "",
                 "| split | groups merged | cross-script merged | wrong merges | pair P | pair R |",
                 "|---|---|---|---|---|---|", *lines]  # fmt: skip
        append_to_section(RESULTS, "## Entity resolution on invented names (own dev/test)", intro, "\n".join(table))


if __name__ == "__main__":
    main()
