"""Story clustering benchmark: quality, order dependence, incremental vs rebuild, speed.

Training events: benchmarks/data/stories/train.jsonl (weights and threshold are fitted there only).
Evaluation: benchmarks/data/stories/eval.jsonl (other events) + the sample corpus
(rashomon/data/sample/gold.json).

    python benchmarks/bench_stories.py --fit   # refit rashomon/data/story_scorer.json, then evaluate
    python benchmarks/bench_stories.py         # evaluate; rewrites "## Stories" in benchmarks/results.md
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import story_dev  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from results_file import replace_section  # noqa: E402

from rashomon.analyse import analyse  # noqa: E402
from rashomon.embeddings import article_text, embed_texts, lead  # noqa: E402
from rashomon.ingest import read_path  # noqa: E402
from rashomon.models import Analysis, Article  # noqa: E402
from rashomon.stories import (  # noqa: E402
    UNDATED_CANDIDATES,
    ArticleFeatures,
    Scorer,
    StoryIndex,
    cluster,
    features_from,
)
from rashomon.stories.fit import (  # noqa: E402
    DEFAULT_FEATURE_SETS,
    bcubed_prf,
    cluster_all_pairs,
    fit_scorer,
    pairwise_prf,
)

DATA = ROOT / "benchmarks" / "data" / "stories"
SAMPLE = ROOT / "rashomon" / "data" / "sample"
SCORER_PATH = ROOT / "rashomon" / "data" / "story_scorer.json"
RESULTS = ROOT / "benchmarks" / "results.md"
MODELS_DOC = ROOT / "docs" / "models.md"

Labelled = list[tuple[Article, str]]
TextFn = Callable[[Article], str]


def load_jsonl(path: Path, prefix: str) -> Labelled:
    """Articles of one labelled JSONL file with their event labels."""
    out = []
    for i, line in enumerate(path.read_text("utf-8").splitlines()):
        row = json.loads(line)
        article = Article(
            title=row["title"],
            text=row["text"],
            language=row["language"],
            source=row["source"],
            published=row["published"],
            id=f"{prefix}{i:03d}",
        )
        out.append((article, row["event"]))
    return out


def load_sample() -> Labelled:
    """The sample corpus, matched to gold.json events by file and title."""
    gold = json.loads((SAMPLE / "gold.json").read_text("utf-8"))
    by_file: dict[str, list[Article]] = {}
    out = []
    for event in gold["events"]:
        for ref in event["articles"]:
            if ref["file"] not in by_file:
                path = SAMPLE / "articles" / ref["file"]
                by_file[ref["file"]] = [a for a in read_path(path, max_bytes=10**8) if isinstance(a, Article)]
            found = [a for a in by_file[ref["file"]] if a.title.strip() == ref["title"].strip()]
            if not found and len(by_file[ref["file"]]) == 1:
                found = by_file[ref["file"]]
            if not found:
                print(f"sample: no article titled {ref['title']!r} in {ref['file']}", file=sys.stderr)
                continue
            article = replace(found[0], id=f"sample:{ref['file']}:{ref['title'][:40]}")
            out.append((article, event["id"]))
    return out


def featurise(items: Labelled, *, text_fn: TextFn = article_text) -> list[ArticleFeatures]:
    """Analyse and embed articles (embedding text chosen by ``text_fn``)."""
    articles = [a for a, _ in items]
    if text_fn is article_text:  # the default: cached on disk with the development sets' features
        cache = story_dev.Cache()
        out = story_dev.featurise(articles, cache)
        cache.save()
        return out
    texts = [text_fn(a) for a in articles]
    vectors = {m: embed_texts(texts, model=m) for m in ("e5", "use")}
    analyses: list[Analysis] = [analyse(a) for a in articles]
    return [
        features_from(a, an, embeddings={m: v[i] for m, v in vectors.items()})
        for i, (a, an) in enumerate(zip(articles, analyses, strict=True))
    ]


NO_WINDOW = 100_000
VARIANTS: dict[str, Sequence[Sequence[str]]] = {
    "e5 only": [("cos_e5",)],
    "USE only": [("cos_use",)],
    "e5+USE": [("cos_e5", "cos_use")],
    "full (e5+USE+entities+numbers+dates)": DEFAULT_FEATURE_SETS,
}


def evaluate(clusters: list[list[str]], gold: dict[str, str]) -> dict[str, float]:
    p, r, f = pairwise_prf(clusters, gold)
    bp, br, bf = bcubed_prf(clusters, gold)
    return {"P": p, "R": r, "F1": f, "B3-P": bp, "B3-R": br, "B3-F1": bf}


def agreement(a: list[list[str]], b: list[list[str]]) -> float:
    """Pairwise F1 of one clustering against another (1.0 = identical)."""
    as_gold = {x: str(i) for i, c in enumerate(b) for x in c}
    return pairwise_prf(a, as_gold)[2]


def incremental(
    features: Sequence[ArticleFeatures], scorer: Scorer, *, recheck: bool = True
) -> tuple[list[list[str]], list[float]]:
    index = StoryIndex(scorer=scorer, recheck=recheck)
    times = []
    for f in features:
        start = time.perf_counter()
        index.add(f)
        times.append(time.perf_counter() - start)
    return sorted(sorted(c) for c in index.stories().values()), times


def scaling(features: Sequence[ArticleFeatures], scorer: Scorer, *, copies: int) -> dict[str, float]:
    """Add time with a growing archive: copies of the eval set, each two years after the last."""
    index = StoryIndex(scorer=scorer)
    rng = random.Random(0)
    per_block: list[float] = []
    comparisons: list[float] = []
    for c in range(copies):
        shift = timedelta(days=730 * c + rng.randrange(0, 30))
        block = [
            replace(
                f,
                article_id=f"{f.article_id}#{c}",
                published=f.published + shift if f.published else None,
                event_date=f.event_date + shift if f.event_date else None,
            )
            for f in features
        ]
        before = index.comparisons
        start = time.perf_counter()
        for f in block:
            index.add(f)
        per_block.append((time.perf_counter() - start) / len(block))
        comparisons.append((index.comparisons - before) / len(block))
    return {
        "archive": copies * len(features),
        "first_ms": per_block[0] * 1000,
        "last_ms": per_block[-1] * 1000,
        "first_cmp": comparisons[0],
        "last_cmp": comparisons[-1],
    }


def text_variants() -> dict[str, TextFn]:
    return {
        "title": lambda a: a.title,
        "title + 1 sentence": lambda a: f"{a.title}. {lead(a.text, sentences=1)}",
        "title + 3 sentences (default)": article_text,
        "title + 6 sentences": lambda a: f"{a.title}. {lead(a.text, sentences=6, max_chars=1500)}",
        "full text": lambda a: f"{a.title}. {a.text}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", action="store_true", help="refit and write rashomon/data/story_scorer.json")
    parser.add_argument("--ablations", action="store_true",
                        help="also fit the text-only variants and compare what to embed (slow)")
    parser.add_argument("--quick", action="store_true", help="skip the scaling run")
    parser.add_argument("--no-write", action="store_true", help="print only; do not touch results.md")
    args = parser.parse_args()

    train = load_jsonl(DATA / "train.jsonl", "train:")
    own_eval = load_jsonl(DATA / "eval.jsonl", "eval:")
    sample = load_sample()
    evaluation = own_eval + sample
    gold_all = {a.id: e for a, e in evaluation}
    gold_own = {a.id: e for a, e in own_eval}
    gold_sample = {a.id: e for a, e in sample}
    langs = sorted({a.language or "?" for a, _ in evaluation})
    print(
        f"train {len(train)} articles/{len({e for _, e in train})} events; eval {len(own_eval)} own + "
        f"{len(sample)} sample articles, {len(set(gold_all.values()))} events, languages {langs}"
    )
    fit_lines: list[str] = []
    if args.fit:
        if not story_dev.available():
            sys.exit("--fit needs the development sets in ../shared/eval/")
        fitted, fit_lines = story_dev.refit(train)
        fitted.save(SCORER_PATH)
        print(f"wrote {SCORER_PATH.relative_to(ROOT)} (threshold {fitted.threshold})")
    full = Scorer.load(SCORER_PATH)  # the shipped scorer: what `add`, `recluster` and `similarity` use

    start = time.perf_counter()
    train_f = featurise(train)
    eval_f = featurise(evaluation)
    print(f"featurised in {time.perf_counter() - start:.1f} s")

    lines = [
        "## Stories",
        "",
        f"Run {time.strftime('%Y-%m-%d')}, `python benchmarks/bench_stories.py`, with the shipped scorer "
        f"`rashomon/data/story_scorer.json` (threshold {full.threshold}). Own sets: train.jsonl "
        f"({len(train)} articles / {len({e for _, e in train})} events, used in the fit), eval.jsonl "
        f"({len(own_eval)} articles / {len(set(gold_own.values()))} other events) and the sample corpus "
        f"({len(sample)} articles / {len(set(gold_sample.values()))} events), languages {', '.join(langs)}.",
        "",
    ]
    if story_dev.available():
        dev_lines, _ = story_dev.run(full)
        lines += [
            "### Development sets from outside the project (`../shared/eval/`)",
            "",
            "ecbplus-dev is part of the fit (in-sample; its cross-validated figure is under the weights); "
            "newsdev and the SemEval held-back split are never fitted.",
            "",
            *dev_lines,
            "",
        ]
    else:
        lines += ["Development sets: skipped, `../shared/eval/` is absent.", ""]
    weights = "; ".join(
        f"model {i + 1}: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(m.features, m.weights, strict=True))
        + f", bias {m.bias:+.2f}"
        for i, m in enumerate(full.models)
    )
    lines += [
        f"Shipped weights (standardised inputs; a pair is scored by the first model whose features it has): "
        f"{weights}; threshold {full.threshold}; ecbplus-dev pairwise F1 with two-fold topic cross-validation "
        f"{full.meta.get('cv_ecbplus_pairwise_f1', 'n/a')}. {full.meta.get('description', '')}",
        "",
        *fit_lines,
        "",
        "### Own sets",
        "",
        "| scorer | threshold | set | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    scorers = {"shipped": full}
    if args.ablations:
        scorers.update({
            name: fit_scorer(train_f, [e for _, e in train], feature_sets=sets,
                             **({} if name.startswith("full") else {"window_days": NO_WINDOW}))
            for name, sets in VARIANTS.items()
        })
    for name, scorer in scorers.items():
        for set_name, feats, gold in (
            ("train", train_f, {a.id: e for a, e in train}),
            ("own eval", eval_f, gold_own),
            ("sample", eval_f, gold_sample),
        ):
            m = evaluate(cluster(feats, scorer=scorer), gold)
            lines.append(
                f"| {name} | {scorer.threshold:.3f} | {set_name} | {m['P']:.3f} | {m['R']:.3f} | "
                f"{m['F1']:.3f} | {m['B3-P']:.3f} | {m['B3-R']:.3f} | {m['B3-F1']:.3f} |"
            )
    lines.append("")
    # Order dependence and incremental vs rebuild, full scorer.
    rebuild = cluster(eval_f, scorer=full)
    start = time.perf_counter()
    cluster(eval_f, scorer=full)
    rebuild_s = time.perf_counter() - start
    all_pairs = cluster_all_pairs(eval_f, scorer=full)
    chronological = sorted(eval_f, key=lambda f: (f.day or 0, f.article_id))
    chrono_clusters, _ = incremental(chronological, full)
    lines += [
        "Order dependence and incremental assignment (full scorer, all eval articles arriving one by one "
        "through `StoryIndex.add`, 5 random orders; the re-check clusters the stories a new article links "
        "again after each add):",
        "",
        "| measure | without re-check | with re-check (default) |",
        "|---|---|---|",
    ]
    measured: dict[bool, dict[str, str]] = {}
    for recheck in (False, True):
        runs, times = [], []
        for seed in range(5):
            order = list(eval_f)
            random.Random(seed).shuffle(order)
            clusters, t = incremental(order, full, recheck=recheck)
            runs.append(clusters)
            times += t
        pair_f1 = [evaluate(c, gold_all)["F1"] for c in runs]
        pair_agree = [agreement(a, b) for a, b in itertools.combinations(runs, 2)]
        b3 = [evaluate(c, gold_all)["B3-F1"] for c in runs]
        measured[recheck] = {
            "spread": f"{max(pair_f1) - min(pair_f1):.3f} ({min(pair_f1):.3f}–{max(pair_f1):.3f})",
            "agree": f"{statistics.mean(pair_agree):.3f} / {min(pair_agree):.3f}",
            "b3": f"{statistics.mean(b3):.3f} ± {statistics.pstdev(b3):.3f}",
            "rebuild": f"{statistics.mean(agreement(c, rebuild) for c in runs):.3f}",
            "time": f"{statistics.mean(times) * 1000:.2f} ms / {np.percentile(times, 95) * 1000:.2f} ms",
        }
    for key, label in (
        ("spread", "pairwise F1 vs gold over the 5 orders: max − min (range); target ≤ 0.02"),
        ("agree", "pairwise F1 between the orders (mean / min)"),
        ("b3", "B³ F1 vs gold over the orders (mean ± sd)"),
        ("rebuild", "incremental vs full rebuild, pairwise F1 (mean)"),
        ("time", "`StoryIndex.add` per article, mean / p95 (features precomputed)"),
    ):
        lines.append(f"| {label} | {measured[False][key]} | {measured[True][key]} |")
    lines += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| incremental (chronological, re-check) vs full rebuild, pairwise F1 | "
        f"{agreement(chrono_clusters, rebuild):.3f} |",
        f"| B³ F1: full rebuild / incremental chronological | {evaluate(rebuild, gold_all)['B3-F1']:.3f} / "
        f"{evaluate(chrono_clusters, gold_all)['B3-F1']:.3f} |",
        f"| blocked rebuild (`cluster`) vs scoring all pairs (`cluster_all_pairs`), pairwise F1 | "
        f"{agreement(rebuild, all_pairs):.4f} |",
        f"| `cluster` full rebuild of {len(eval_f)} articles | {rebuild_s:.3f} s |",
    ]

    if not args.quick:
        s = scaling(eval_f, full, copies=60)
        lines.append(
            f"| add with archive growing to {s['archive']:,} articles: ms / comparisons per add, "
            f"first vs last block | {s['first_ms']:.2f} → {s['last_ms']:.2f} ms; "
            f"{s['first_cmp']:.1f} → {s['last_cmp']:.1f} |"
        )
        lines += [
            "",
            "Comparisons per add grow with the first copies and then stay flat (~55 from 3,000 to 12,000 "
            "articles): each copy adds undated articles, and a dated article is also compared with at most "
            f"{UNDATED_CANDIDATES} recent stories holding undated articles that share its entity keys.",
        ]
    if args.ablations:
        # What to embed: quality (e5+USE cosines only, so the text choice is what varies) vs cost.
        lines += [
            "",
            "What to embed (scorers refitted on train per choice; cost = e5 + USE embedding time "
            "per sample-corpus article, mean length "
            f"{statistics.mean(len(a.text.split()) for a, _ in sample):.0f} words):",
            "",
            "| text | e5+USE only: B³ F1 own / sample | full scorer: B³ F1 train | full: own / sample "
            "| e5 tokens/article | e5 ms/article | USE ms/article |",
            "|---|---|---|---|---|---|---|",
        ]
        from rashomon.embeddings import _e5

        for name, fn in text_variants().items():
            tr = featurise(train, text_fn=fn)
            ev = featurise(evaluation, text_fn=fn)
            text_only = fit_scorer(tr, [e for _, e in train], feature_sets=VARIANTS["e5+USE"], window_days=NO_WINDOW)
            text_clusters = cluster(ev, scorer=text_only)
            scorer = fit_scorer(tr, [e for _, e in train])
            clusters = cluster(ev, scorer=scorer)
            texts = [fn(a) + " " for a, _ in sample]  # a trailing space defeats the embedding cache
            tokens = statistics.mean(_e5().token_count(t) for t in texts)
            t0 = time.perf_counter()
            embed_texts(texts, model="e5")
            t1 = time.perf_counter()
            embed_texts(texts, model="use")
            t2 = time.perf_counter()
            lines.append(
                f"| {name} | {evaluate(text_clusters, gold_own)['B3-F1']:.3f} / "
                f"{evaluate(text_clusters, gold_sample)['B3-F1']:.3f} | "
                f"{scorer.meta['train_bcubed_f1']:.3f} | {evaluate(clusters, gold_own)['B3-F1']:.3f} / "
                f"{evaluate(clusters, gold_sample)['B3-F1']:.3f} | "
                f"{tokens:.0f} | "
                f"{(t1 - t0) / len(texts) * 1000:.0f} | {(t2 - t1) / len(texts) * 1000:.0f} |"
            )

    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        replace_section(RESULTS, "## Stories", report)


if __name__ == "__main__":
    main()
