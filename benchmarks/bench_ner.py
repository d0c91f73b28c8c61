"""Named-entity quality and speed of ``rashomon.analyse.entities`` on a small hand-labelled sample.

Usage: ``python benchmarks/bench_ner.py [--errors]`` — prints mention-level precision/recall/F1 per
language (exact span and type), the same for natasha run directly on be/uk as the alternative we
measured, and sentences per second. The sample (``benchmarks/data/ner_sample.jsonl``) is made-up news
sentences in six languages, written for this benchmark; it is not used to tune the lexicons.

Then the same lenient scores as ``bench_analysis.py`` (a mention is right when a gold entity of its type
overlaps it) on the labelled lines (``tests/resources/labelled/``, which the rules were tuned on) and on
the held-out lines (``tests/resources/labelled_ner/``: invented news sentences labelled before the
system's output was seen); ``--errors`` lists the false positives (FP) and misses (FN).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from rashomon.analyse.entities import find_entities
from rashomon.analyse.nlp import natasha_spans
from rashomon.analyse.sentences import split_sentences

SAMPLE = Path(__file__).parent / "data" / "ner_sample.jsonl"
RESOURCES = Path(__file__).resolve().parent.parent / "tests" / "resources"
LABELLED_SETS = ("labelled", "labelled_ner")


def _gold(text: str, pairs: list[list[str]]) -> set[tuple[int, int, str]]:
    found = set()
    for surface, etype in pairs:
        start = text.find(surface)
        while start != -1:
            found.add((start, start + len(surface), etype))
            start = text.find(surface, start + 1)
    return found


def _ours(text: str, lang: str) -> set[tuple[int, int, str]]:
    entities = find_entities(text, split_sentences(text, lang), lang)
    return {(m.start, m.end, e.type) for e in entities for m in e.mentions if e.type != "MISC"}


def _natasha(text: str, _lang: str) -> set[tuple[int, int, str]]:
    return set(natasha_spans(text))


def _score(rows: list[dict[str, object]], system: object) -> dict[str, tuple[float, float, float]]:
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    for row in rows:
        lang, text = str(row["lang"]), str(row["text"])
        gold = _gold(text, row["gold"])  # type: ignore[arg-type]
        pred = system(text, lang)  # type: ignore[operator]
        tp[lang] += len(gold & pred)
        fp[lang] += len(pred - gold)
        fn[lang] += len(gold - pred)
    out = {}
    for lang in tp.keys() | fn.keys():
        p = tp[lang] / max(1, tp[lang] + fp[lang])
        r = tp[lang] / max(1, tp[lang] + fn[lang])
        out[lang] = (p, r, 2 * p * r / max(1e-9, p + r))
    return out


def _lenient(path: Path, errors: bool) -> tuple[float, float, float]:
    """P/R/F1 of entity mentions on one labelled file: right when a gold entity of the type overlaps."""
    lang = path.stem
    pred_ok = n_pred = gold_ok = n_gold = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["text"]
        entities = find_entities(text, split_sentences(text, lang), lang)
        pred = [(m.start, m.end, e.type, m.text) for e in entities for m in e.mentions]
        starts = [(text.find(g["text"]), g) for g in row["entities"]]
        gold = [(start, start + len(g["text"]), g["type"], g["text"]) for start, g in starts]
        for found, other, tag in ((pred, gold, "FP"), (gold, pred, "FN")):
            for start, end, etype, surface in found:
                ok = any(t == etype and s < end and start < e for s, e, t, _ in other)
                if found is pred:
                    pred_ok, n_pred = pred_ok + ok, n_pred + 1
                else:
                    gold_ok, n_gold = gold_ok + ok, n_gold + 1
                if errors and not ok:
                    print(f"  {tag} {etype} {surface!r} | {text[:80]}")
    p, r = pred_ok / max(1, n_pred), gold_ok / max(1, n_gold)
    return p, r, 2 * p * r / max(1e-9, p + r)


def main() -> None:
    errors = "--errors" in sys.argv[1:]
    for folder in LABELLED_SETS:
        for path in sorted((RESOURCES / folder).glob("*.jsonl")):
            p, r, f = _lenient(path, errors)
            print(f"{folder:12s} {path.stem}  P={p:.2f} R={r:.2f} F1={f:.2f}")
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name, system, langs in (("rashomon", _ours, None), ("natasha", _natasha, {"ru", "be", "uk"})):
        subset = [r for r in rows if langs is None or r["lang"] in langs]
        for lang, (p, r, f) in sorted(_score(subset, system).items()):
            print(f"{name:9s} {lang}  P={p:.2f} R={r:.2f} F1={f:.2f}")
    by_lang: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_lang[str(row["lang"])].append(str(row["text"]))
    for lang, texts in sorted(by_lang.items()):
        docs = [" ".join(texts) + f" ({n})" for n in range(30)]  # distinct texts defeat the parse cache
        _ours(docs[0], lang)
        start = time.perf_counter()
        sentences = 0
        for doc in docs:
            sentences += len(split_sentences(doc, lang))
            _ours(doc, lang)
        rate = sentences / (time.perf_counter() - start)
        print(f"speed {lang}: {rate:,.0f} sentences/s ({1000 / rate:.2f} s per 1,000 sentences)")


if __name__ == "__main__":
    main()
