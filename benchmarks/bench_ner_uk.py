"""Ukrainian PER/ORG/LOC spans of ``rashomon.analyse.entities`` on real text: the NER-UK 2.0 DEV split.

Reads ``../shared/eval/ner-uk-dev/`` (``ID.txt`` tokenised text, ``ID.ann`` brat standoff with
character offsets into it; PERS -> PER, ORG, LOC; other types ignored) and prints span precision,
recall and F1, exact (same start, end and type) and overlap (a predicted span counts when it overlaps a
gold span of its type, and a gold span when a predicted one of its type overlaps it), per type and
overall.

The 391 dev texts are split by a fixed rule into two halves: ``tune`` (the first hex digit of the
file id is 0-7) and ``check`` (8-f). Error classes are looked for on the tune half only; the check
half shows whether a change holds on texts it was not made for. The corpus's TEST split is held out
and is not read here. NER-UK is CC BY-NC-SA 4.0: it is used to measure only, nothing from it is shipped.

    python benchmarks/bench_ner_uk.py [--errors N] [--half tune|check|all] [--no-write]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rashomon.analyse.entities import find_entities
from rashomon.analyse.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "ner-uk-dev"
RESULTS = Path(__file__).parent / "results.md"
TYPES = {"PERS": "PER", "ORG": "ORG", "LOC": "LOC"}
_ANN = re.compile(r"^T\d+\s+(\S+)\s+(\d+)\s+(\d+)")

Span = tuple[int, int, str]


@dataclass
class Doc:
    """One NER-UK text and its gold spans."""

    id: str
    text: str
    gold: list[Span]


def half(doc_id: str) -> str:
    """``tune`` or ``check``: a fixed rule on the file id (ids are hex hashes)."""
    return "tune" if doc_id[:1] in "01234567" else "check"


def load(folder: Path = CORPUS) -> list[Doc]:
    """Every text of the folder with its PER/ORG/LOC spans."""
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        gold = []
        for line in ann.read_text(encoding="utf-8").splitlines() if ann.exists() else []:
            m = _ANN.match(line)
            if m and m.group(1) in TYPES:
                gold.append((int(m.group(2)), int(m.group(3)), TYPES[m.group(1)]))
        docs.append(Doc(txt.stem, txt.read_text(encoding="utf-8"), gold))
    return docs


def predict(text: str) -> list[Span]:
    """PER/ORG/LOC mention spans rashomon finds in a Ukrainian text."""
    entities = find_entities(text, split_sentences(text, "uk"), "uk")
    return sorted({(m.start, m.end, e.type) for e in entities for m in e.mentions if e.type in ("PER", "ORG", "LOC")})


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p, r = tp_p / max(1, n_p), tp_g / max(1, n_g)
    return p, r, 2 * p * r / max(1e-9, p + r)


def score(pairs: list[tuple[list[Span], list[Span]]]) -> dict[str, dict[str, tuple[float, float, float]]]:
    """{"exact"|"overlap": {type|"all": (P, R, F1)}} over (gold, predicted) span lists."""
    counts: dict[str, Counter[str]] = {"exact": Counter(), "overlap": Counter()}
    for gold, pred in pairs:
        gset = set(gold)
        for kind, ok_p, ok_g in (
            ("exact", [p in gset for p in pred], [g in set(pred) for g in gold]),
            ("overlap", [_hits(p, gold) for p in pred], [_hits(g, pred) for g in gold]),
        ):
            for t in ("all", "PER", "ORG", "LOC"):
                counts[kind][t + ":tp_p"] += sum(o for o, p in zip(ok_p, pred, strict=True) if t in ("all", p[2]))
                counts[kind][t + ":n_p"] += sum(1 for p in pred if t in ("all", p[2]))
                counts[kind][t + ":tp_g"] += sum(o for o, g in zip(ok_g, gold, strict=True) if t in ("all", g[2]))
                counts[kind][t + ":n_g"] += sum(1 for g in gold if t in ("all", g[2]))
    types = ("all", "PER", "ORG", "LOC")
    return {
        kind: {t: _prf(c[t + ":tp_p"], c[t + ":n_p"], c[t + ":tp_g"], c[t + ":n_g"]) for t in types}
        for kind, c in counts.items()
    }


def _hits(span: Span, others: list[Span]) -> bool:
    return any(t == span[2] and s < span[1] and span[0] < e for s, e, t in others)


def _errors(docs: list[Doc], preds: dict[str, list[Span]], limit: int) -> None:
    """Print misses (FN) and false spans (FP) with a little context, then the most frequent forms."""
    forms: Counter[str] = Counter()
    shown = 0
    for doc in docs:
        pred = preds[doc.id]
        for tag, spans, other in (("FN", doc.gold, pred), ("FP", pred, doc.gold)):
            for s, e, t in spans:
                if (s, e, t) in other:
                    continue
                near = [f"{u}:{doc.text[a:b]}" for a, b, u in other if a < e and s < b]
                forms[f"{tag} {t} {doc.text[s:e]}"] += 1
                if shown < limit:
                    shown += 1
                    ctx = doc.text[max(0, s - 30) : e + 30].replace("\n", " ")
                    print(f"  {tag} {t} {doc.text[s:e]!r} near={near} | {ctx}")
    for form, n in forms.most_common(40):
        print(f"  {n:3d} {form}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of the tune half")
    ap.add_argument("--half", choices=("tune", "check", "all"), default="all")
    ap.add_argument("--no-write", action="store_true", help="do not update benchmarks/results.md")
    ap.add_argument("--label", default="", help="a note for the results table")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS.relative_to(ROOT.parent)} is absent (the NER-UK dev split is not shipped)")
        return
    docs = load()
    halves = ("tune", "check") if args.half == "all" else (args.half,)
    start = time.perf_counter()
    preds = {d.id: predict(d.text) for d in docs if half(d.id) in halves}
    elapsed = time.perf_counter() - start
    rows = []
    for h in halves:
        part = [d for d in docs if half(d.id) == h]
        result = score([(d.gold, preds[d.id]) for d in part])
        for kind in ("overlap", "exact"):
            cells = " | ".join(f"{result[kind][t][2]:.2f}" for t in ("PER", "ORG", "LOC"))
            p, r, f = result[kind]["all"]
            rows.append(f"| {h} ({len(part)} texts) | {kind} | {p:.2f} | {r:.2f} | **{f:.2f}** | {cells} |")
            print(f"{h:5s} {kind:7s} P={p:.2f} R={r:.2f} F1={f:.2f}  (PER/ORG/LOC F1 {cells})")
    print(f"{sum(len(d.text) for d in docs if half(d.id) in halves) / 1000 / elapsed:.0f}k chars/s")
    if args.errors:
        _errors([d for d in docs if half(d.id) == "tune"], preds, args.errors)
    if not args.no_write and args.half == "all":
        _write(rows, args.label)


def _write(rows: list[str], label: str) -> None:
    from results_file import append_to_section

    intro = (
        "`bench_ner_uk.py`: PER/ORG/LOC mention spans against NER-UK 2.0's DEV split "
        "(`../shared/eval/ner-uk-dev/`, CC BY-NC-SA: measured, nothing shipped). Fixed split by file id: "
        "`tune` (first hex digit 0-7), where error classes were looked for, and `check` (8-f), not looked at."
    )
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    table = [
        f"\n### {stamp}{' — ' + label if label else ''}\n",
        "| half | match | P | R | F1 | PER F1 | ORG F1 | LOC F1 |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    append_to_section(RESULTS, "## Ukrainian NER on real text (NER-UK dev)", intro, "\n".join(table))


if __name__ == "__main__":
    main()
