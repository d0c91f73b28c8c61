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
        members: dict[str, set[str]] = defaultdict(set)
        for i, r in enumerate(recs):
            members[r[2]].add(owner[f"r{i}"])
        for g, ents in members.items():
            size = [r for r in recs if r[2] == g]
            if len(size) < 2:
                continue
            groups += 1
            many = len({script(r[6]) for r in size}) > 1
            cross += many
            merged += len(ents) == 1
            cross_merged += many and len(ents) == 1
            if errors and len(ents) > 1:
                parts = defaultdict(list)
                for i, r in enumerate(recs):
                    if r[2] == g:
                        parts[owner[f"r{i}"]].append(r[6])
                print(f"  split [{split} {case}] {list(parts.values())}")
        holders: dict[str, set[str]] = defaultdict(set)
        for i, r in enumerate(recs):
            holders[owner[f"r{i}"]].add(r[2])
        for e, gs in holders.items():
            if len(gs) > 1:
                wrong += 1
                if errors:
                    names = [r[6] for i, r in enumerate(recs) if owner[f"r{i}"] == e]
                    print(f"  WRONG [{split} {case}] {sorted(gs)}: {names}")
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
