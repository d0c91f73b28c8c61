"""Cross-script entity groups end to end on ``../shared/eval/newsdev`` (invented multilingual stories).

Every article of the set is added to a fresh database with the real pipeline (``add``: ingest, NER,
stories, entity registry); the registry is then scored against ``gold.json``:

* ``entities``: one list of forms per person, place or organisation. A form is *found* when it is an
  alias of some entity (exact surface). A group of two or more forms is **merged** when all its forms
  are found and one entity holds them all; **split** when they are found in more than one entity.
* **wrong merges**: entities that hold forms of two or more gold groups.
* ``must_not_merge``: pairs of forms that must be in different entities.

The set is a development set (README there): report it as dev figures.

    python benchmarks/bench_entities_newsdev.py [--no-write] [--label TEXT] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from entity_groups import score_groups

from rashomon import pipeline
from rashomon.linking import resolve_entities
from rashomon.store import open_store

ROOT = Path(__file__).resolve().parent.parent
NEWSDEV = ROOT.parent / "shared" / "eval" / "newsdev"
RESULTS = Path(__file__).parent / "results.md"


def score(entities: list[Any], groups: list[list[str]], nots: list[list[str]]) -> dict[str, Any]:
    """Merged/split/partly found groups, wrong merges and must-not-merge violations."""
    owners: dict[str, set[str]] = defaultdict(set)
    names = {e.id: e.name for e in entities}
    for e in entities:
        for alias in e.aliases:
            owners[alias[0]].add(e.id)
    r = score_groups(groups, owners)
    found = {g: [f for f in groups[g] if owners.get(f)] for g in r.split}
    return {
        "groups": r.groups,
        "merged": [groups[g][0] for g in r.merged],
        "split": [(groups[g][0], [sorted(names[e] for e in owners[f]) for f in found[g]]) for g in r.split],
        "partial": [(groups[g][0], [f for f in groups[g] if not owners.get(f)]) for g in r.partial],
        "wrong": [(names[e], sorted(groups[g][0] for g in gs)) for e, gs in r.wrong.items()],
        "violations": [(a, b) for a, b in nots if owners.get(a, set()) & owners.get(b, set())],
        "pairs": len(nots),
    }


def run(db: str | None = None) -> dict[str, Any]:
    """Add the whole set to a fresh database (or ``db``, kept; when it exists, only rebuild) and score."""
    gold = json.loads((NEWSDEV / "gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "newsdev.db")
        fresh = not Path(path).exists()
        with open_store(path) as store:
            if fresh:
                pipeline.add_paths(store, sorted(NEWSDEV.glob("*.txt")), recursive=False)
            else:
                resolve_entities(store)
            return score(store.list_entities(), gold["entities"], gold["must_not_merge"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--label", default="")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--db", help="keep the database here; if it exists, only rebuild the entity registry")
    args = ap.parse_args()
    if not NEWSDEV.is_dir():
        print("skipped: ../shared/eval/newsdev is absent")
        return
    start = time.perf_counter()
    r = run(args.db)
    line = (
        f"groups merged {len(r['merged'])}/{r['groups']}, split {len(r['split'])}, "
        f"partly found {len(r['partial'])}, wrong merges {len(r['wrong'])}, "
        f"must-not-merge violated {len(r['violations'])}/{r['pairs']}"
    )
    print(line, f"({time.perf_counter() - start:.0f} s)")
    if args.verbose:
        for key in ("split", "partial", "wrong", "violations"):
            for item in r[key]:
                print(f"  {key}: {item}")
    if not args.no_write:
        from results_file import append_to_section

        intro = (
            "`bench_entities_newsdev.py`: the 30 invented articles of `../shared/eval/newsdev/` added with the "
            "real pipeline; gold `entities` groups (2+ forms) merged into one entity, wrong merges (an entity "
            "holding forms of two groups) and `must_not_merge` pairs violated. Dev figures."
        )
        stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
        wrong = "; ".join(f"{n}: {' + '.join(gs)}" for n, gs in r["wrong"])
        entry = f"\n- {stamp}{' — ' + args.label if args.label else ''}: {line}"
        entry += f" (wrong: {wrong})" if wrong else ""
        append_to_section(RESULTS, "## Entity groups end to end (newsdev)", intro, entry)


if __name__ == "__main__":
    main()
