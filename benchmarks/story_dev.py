"""Story clustering and similarity on development sets nobody on the project wrote.

Reads ``../shared/eval/`` (skipped with a message when absent; never copied into the repository):

* ``ecbplus-dev/``: 196 English news documents, 16 events in 8 pairs of same-kind events; each file is
  ingested as a user's ``rashomon add`` would read it, clustered with :func:`rashomon.stories.cluster`
  and scored with the set's own ``score_clusters.py`` (pairwise and B³ F1 at event level);
* ``semeval2022-t8-train/``: 1,151 multilingual article pairs; each text is scored as
  ``rashomon similarity --pairs`` scores it; Pearson against (4 - overall) / 3, overall and per
  language pair, on a fixed 70/30 split (``tune`` is what a refit may use, ``held`` is never fitted);
* ``newsdev/``: 30 original multilingual articles, 10 events (pairwise F1).

A TF-IDF + average-linkage baseline runs on the same sets. Analyses and embeddings are cached under
``benchmarks/out/story-cache/`` (git-ignored), so a second run takes well under a minute.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import pickle
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CACHE = ROOT / "benchmarks" / "out" / "story-cache"

from rashomon.analyse import ANALYSIS_VERSION, analyse  # noqa: E402
from rashomon.embeddings import article_text, embed_texts  # noqa: E402
from rashomon.errors import RashomonError  # noqa: E402
from rashomon.ingest import read_path  # noqa: E402
from rashomon.models import Analysis, Article  # noqa: E402
from rashomon.stories import (  # noqa: E402
    FEATURE_NAMES,
    ArticleFeatures,
    Scorer,
    cluster,
    features_from,
    pair_features,
)
from rashomon.stories.cluster import _average_linkage  # noqa: E402

FEATURES = FEATURE_NAMES

SPLIT_SEED = 14
TUNE_SHARE = 0.7


def available() -> bool:
    """Whether the shared development sets are there."""
    return (EVAL / "ecbplus-dev").is_dir() and (EVAL / "semeval2022-t8-train").is_dir()


def _shared_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, EVAL / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- caches --------------------------------------------------------------------------------------


def _code_version() -> str:
    """A hash of the analysers' and ingest code: a change there invalidates cached analyses."""
    digest = hashlib.sha1(ANALYSIS_VERSION.encode())
    for folder in ("analyse", "ingest"):
        for path in sorted((ROOT / "rashomon" / folder).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class Cache:
    """Analyses and embeddings on disk, keyed by content."""

    def __init__(self) -> None:
        CACHE.mkdir(parents=True, exist_ok=True)
        self.analysis_path = CACHE / f"analyses-{_code_version()}.pkl"
        self.analyses: dict[str, Analysis] = (
            pickle.loads(self.analysis_path.read_bytes()) if self.analysis_path.exists() else {}
        )
        self.vectors: dict[str, dict[str, np.ndarray]] = {}
        for model in ("e5", "use"):
            path = CACHE / f"vectors-{model}.npz"
            self.vectors[model] = dict(np.load(path)) if path.exists() else {}
        self.dirty = False

    @staticmethod
    def key(*parts: str | None) -> str:
        return hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()

    def analyse(self, article: Article) -> Analysis:
        k = self.key(article.language, article.published, article.updated, article.title, article.text)
        if k not in self.analyses:
            self.analyses[k] = analyse(article)
            self.dirty = True
        found = self.analyses[k]
        found.article_id = article.id
        return found

    def embed(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        out = {}
        for model, store in self.vectors.items():
            keys = [self.key(t) for t in texts]
            missing = [i for i, k in enumerate(keys) if k not in store]
            if missing:
                fresh = embed_texts([texts[i] for i in missing], model=model)  # type: ignore[arg-type]
                for i, v in zip(missing, fresh, strict=True):
                    store[keys[i]] = v
                self.dirty = True
            out[model] = np.stack([store[k] for k in keys])
        return out

    def save(self) -> None:
        if not self.dirty:
            return
        self.analysis_path.write_bytes(pickle.dumps(self.analyses))
        for model, store in self.vectors.items():
            np.savez(CACHE / f"vectors-{model}.npz", **store)
        self.dirty = False


def featurise(articles: Sequence[Article], cache: Cache) -> list[ArticleFeatures]:
    """Story features of articles, as ``add`` builds them (analysis + title/lead embeddings)."""
    vectors = cache.embed([article_text(a) for a in articles])
    out = [
        features_from(a, cache.analyse(a), embeddings={m: v[i] for m, v in vectors.items()})
        for i, a in enumerate(articles)
    ]
    cache.save()
    return out


# --- data sets -----------------------------------------------------------------------------------


@dataclass
class ClusterSet:
    """Documents read as ``add`` reads them, gold events, and the files ingest refused."""

    name: str
    articles: list[Article]
    gold: dict[str, str]
    refused: list[str] = field(default_factory=list)
    copies: list[tuple[str, str]] = field(default_factory=list)


def _read_folder(name: str, files: Sequence[Path], gold: dict[str, str]) -> ClusterSet:
    out = ClusterSet(name, [], gold)
    for path in files:
        doc = path.name.removesuffix(".txt")
        try:
            read = [a for a in read_path(path, max_bytes=10**7) if isinstance(a, Article)]
        except RashomonError:
            read = []
        if not read:
            out.refused.append(doc)
            continue
        article = read[0]
        article.id = doc
        out.articles.append(article)
    return out


def load_ecbplus() -> ClusterSet:
    """ECB+ development topics, one document per file; an event is a subtopic."""
    folder = EVAL / "ecbplus-dev"
    gold = {k: v["subtopic"] for k, v in json.loads((folder / "gold.json").read_text("utf-8")).items()}
    files = sorted((folder / "docs").glob("*.txt"))
    return _read_folder("ecbplus-dev", files, gold)


def load_newsdev() -> ClusterSet:
    """The newsdev stories; the syndicated copy is listed for the copy check."""
    folder = EVAL / "newsdev"
    data = json.loads((folder / "gold.json").read_text("utf-8"))
    gold = {f.removesuffix(".txt"): e for e, files in data["events"].items() for f in files}
    files = sorted(folder.glob("*.txt"))
    out = _read_folder("newsdev", files, gold)
    out.copies = [(a.removesuffix(".txt"), b.removesuffix(".txt")) for a, b in data.get("copies", [])]
    return out


def load_semeval() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The SemEval-2022 Task 8 training pairs split 70/30 (fixed seed): ``(tune, held)``."""
    rows = [json.loads(line) for line in (EVAL / "semeval2022-t8-train" / "pairs.jsonl").open(encoding="utf-8")]
    rows.sort(key=lambda r: r["pair_id"])
    random.Random(SPLIT_SEED).shuffle(rows)
    cut = int(len(rows) * TUNE_SHARE)
    return rows[:cut], rows[cut:]


def semeval_gold(row: dict[str, Any]) -> float:
    return (4.0 - float(row["overall"])) / 3.0


def semeval_features(rows: Sequence[dict[str, Any]], cache: Cache) -> list[tuple[ArticleFeatures, ArticleFeatures]]:
    """Both texts of each pair as ``similarity --pairs`` reads them (bare text, given language)."""
    from rashomon.stories import text_article

    articles = []
    for r in rows:
        for side in ("1", "2"):
            articles.append(text_article(r[f"text{side}"], r.get(f"lang{side}"), article_id=f"{r['pair_id']}:{side}"))
    feats = featurise(articles, cache)
    return [(feats[2 * i], feats[2 * i + 1]) for i in range(len(rows))]


# --- scoring -------------------------------------------------------------------------------------


def score_clusters(clusters: Sequence[Sequence[str]], gold: dict[str, str]) -> dict[str, Any]:
    """The shared ``score_clusters.py`` on a clustering (documents missing from it are singletons)."""
    return dict(_shared_module("score_clusters").score(gold, {d: f"l:{i}" for i, c in enumerate(clusters) for d in c}))


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    return float(_shared_module("score_pairs").pearson(list(x), list(y)))


def pair_report(rows: Sequence[dict[str, Any]], predicted: Sequence[float]) -> dict[str, float]:
    """Pearson overall and per language pair (pairs with at least 10 items)."""
    out = {"all": pearson(predicted, [semeval_gold(r) for r in rows])}
    by_pair: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_pair[f"{r['lang1']}-{r['lang2']}"].append(i)
    for name, idx in sorted(by_pair.items()):
        if len(idx) >= 10:
            out[name] = pearson([predicted[i] for i in idx], [semeval_gold(rows[i]) for i in idx])
    return out


# --- baseline: TF-IDF + average linkage ----------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf over ``texts``), dense."""
    docs = [Counter(t.lower() for t in _TOKEN.findall(text)) for text in texts]
    df = Counter(w for d in docs for w in d)
    vocab = {w: i for i, w in enumerate(sorted(df))}
    idf = np.array([math.log((1 + len(docs)) / (1 + df[w])) + 1 for w in sorted(df)])
    m = np.zeros((len(docs), len(vocab)))
    for i, d in enumerate(docs):
        for w, n in d.items():
            m[i, vocab[w]] = 1 + math.log(n)
    m *= idf
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.asarray(m / np.maximum(norms, 1e-12))


def tfidf_clusters(articles: Sequence[Article], threshold: float) -> list[list[str]]:
    m = tfidf_matrix([f"{a.title}\n{a.text}" for a in articles])
    sims = m @ m.T
    n = len(articles)
    groups = _average_linkage(sims, [[i] for i in range(n)], np.zeros((n, n), dtype=bool), threshold)
    return [[articles[i].id for i in g] for g in groups]


def best_tfidf_threshold(data: ClusterSet) -> float:
    """The baseline's threshold with the best pairwise F1 on ``data`` (an optimistic baseline)."""
    grid = [round(t, 3) for t in np.arange(0.02, 0.6, 0.01)]
    return max(grid, key=lambda t: score_clusters(tfidf_clusters(data.articles, t), data.gold)["pairwise"]["F1"])


# --- the whole report ----------------------------------------------------------------------------


def cluster_line(name: str, what: str, result: dict[str, Any], extra: str = "") -> str:
    pw, b3 = result["pairwise"], result["bcubed"]
    return (
        f"| {name} | {what} | {pw['P']:.3f} | {pw['R']:.3f} | **{pw['F1']:.3f}** | {b3['F1']:.3f} | "
        f"{result['pred_clusters']} / {result['gold_clusters']} | {extra} |"
    )


def run(scorer: Scorer, *, log: Callable[[str], None] = print) -> tuple[list[str], dict[str, float]]:
    """Measure ``scorer`` end to end on the dev sets; returns markdown lines and the headline figures."""
    cache = Cache()
    lines = [
        "| set | system | pair P | pair R | pair F1 | B³ F1 | stories / events | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    figures: dict[str, float] = {}
    ecb, news = load_ecbplus(), load_newsdev()
    tfidf_t = best_tfidf_threshold(ecb)
    for data in (ecb, news):
        log(f"{data.name}: {len(data.articles)} articles read, {len(data.refused)} refused")
        feats = featurise(data.articles, cache)
        cache.save()
        clusters = cluster(feats, scorer=scorer)
        result = score_clusters(clusters, data.gold)
        figures[f"{data.name} pairwise F1"] = result["pairwise"]["F1"]
        figures[f"{data.name} B3 F1"] = result["bcubed"]["F1"]
        refused = f"{len(data.refused)} of {len(data.gold)} files refused by ingest" if data.refused else ""
        lines.append(cluster_line(data.name, "rashomon (shipped scorer)", result, refused))
        base = score_clusters(tfidf_clusters(data.articles, tfidf_t), data.gold)
        lines.append(cluster_line(data.name, f"TF-IDF + average linkage (t={tfidf_t}, best on ecbplus-dev)", base))
    tune, held = load_semeval()
    lines += [
        "",
        f"SemEval-2022 Task 8 training pairs, Pearson of the same-story score against (4 − overall) / 3, "
        f"split with seed {SPLIT_SEED}: tune {len(tune)} pairs (a refit may use them), held-back {len(held)} "
        "(never fitted). TF-IDF cosine: idf over the split's own texts.",
        "",
    ]
    reports = {}
    for split, rows in (("tune", tune), ("held", held)):
        log(f"semeval {split}: {len(rows)} pairs")
        pairs = semeval_features(rows, cache)
        cache.save()
        ours = [scorer.score_pair(a, b) for a, b in pairs]
        m = tfidf_matrix([t for r in rows for t in (r["text1"], r["text2"])])
        base = [float(m[2 * i] @ m[2 * i + 1]) for i in range(len(rows))]
        cosines = [(float(a.embeddings["e5"] @ b.embeddings["e5"]) + float(a.embeddings["use"] @ b.embeddings["use"]))
                   / 2 for a, b in pairs]
        reports[split] = {"rashomon": pair_report(rows, ours), "TF-IDF": pair_report(rows, base),
                          "e5+USE mean": pair_report(rows, cosines)}
        figures[f"semeval {split} Pearson"] = reports[split]["rashomon"]["all"]
    names = [k for k in reports["tune"]["rashomon"] if k != "all"]
    lines += ["| split | system | all | " + " | ".join(names) + " |", "|---|---|---|" + "---|" * len(names)]
    for split, by_system in reports.items():
        for system, rep in by_system.items():
            cells = " | ".join(f"{rep.get(n, float('nan')):.2f}" for n in names)
            lines.append(f"| {split} | {system} | **{rep['all']:.3f}** | {cells} |")
    cache.save()
    return lines, figures


if __name__ == "__main__":
    if not available():
        print(f"skip: {EVAL} is absent")
        sys.exit(0)
    out, figs = run(Scorer.load())
    print("\n".join(out))
    print(json.dumps(figs, indent=1))


# --- refitting the shipped scorer (only with an explicit flag) -----------------------------------


# The shipped models, tried in this order: pairs of one language with words (``shares_words``), then the
# rest (two languages, or a language without word terms), fitted on those pairs only.
MODEL_FEATURES: tuple[tuple[str, ...], ...] = (FEATURES, tuple(f for f in FEATURES if f != "terms"))


@dataclass
class PairSet:
    """Labelled pair features of one training set (hard 0/1 or soft labels), and its share of the fit."""

    xs: list[dict[str, float]]
    y: np.ndarray
    share: float = 1.0

    def for_model(self, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The rows of the pairs that have every feature in ``names`` and no other model before it."""
        first = [next(m for m in MODEL_FEATURES if all(f in x for f in m)) for x in self.xs]
        keep = [i for i, m in enumerate(first) if m == tuple(names)]
        return np.array([[self.xs[i][n] for n in names] for i in keep]).reshape(len(keep), len(names)), self.y[keep]


def _pairs(feats: Sequence[ArticleFeatures], labels: Sequence[str]) -> PairSet:
    from rashomon.stories.fit import labelled_pairs

    xs, y = labelled_pairs(feats, labels)
    return PairSet(xs, np.asarray(y, dtype=float))


def _balanced(y: np.ndarray, share: float) -> np.ndarray:
    """Weights giving positives and negatives half of ``share`` each (soft labels: uniform)."""
    if not np.all((y == 0) | (y == 1)):
        return np.full(len(y), share / len(y))
    pos = max(int(y.sum()), 1)
    return np.where(y == 1, share / (2 * pos), share / (2 * max(len(y) - pos, 1)))


def fit_models(sets: Sequence[PairSet], *, l2: float = 1.0) -> tuple[Any, ...]:
    """One logistic model per :data:`MODEL_FEATURES` entry, each over the pairs it will score, every set
    weighted by its share (classes balanced within a set)."""
    from rashomon.stories.fit import fit_logistic
    from rashomon.stories.scorer import _Logistic

    models = []
    for names in MODEL_FEATURES:
        parts = [(x, y, s.share) for s in sets for x, y in [s.for_model(names)] if len(y)]
        x = np.vstack([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        w = np.concatenate([_balanced(p[1], p[2]) for p in parts])
        mean, scale, weights, bias = fit_logistic(x, y, l2=l2, sample_weight=w)
        models.append(_Logistic(tuple(names), mean, scale, weights, bias))
    return tuple(models)


def _topic(doc: str) -> str:
    return doc.split("_")[0]


THRESHOLDS = [round(float(t), 3) for t in np.arange(0.3, 0.91, 0.025)]


def refit(own_train: Sequence[tuple[Article, str]], *, log: Callable[[str], None] = print) -> tuple[Scorer, list[str]]:
    """Fit the scorer on ecbplus-dev + the SemEval tune split + the project's own training events.

    The threshold is chosen by two-fold cross-validation over ECB+ topics (fit on half the topics,
    cluster the other half) together with the own training set, so it is not picked on the articles
    the weights saw. Returns the scorer (fitted on everything) and report lines.
    """
    cache = Cache()
    ecb = load_ecbplus()
    ecb_f = featurise(ecb.articles, cache)
    ecb_labels = [ecb.gold[a.id] for a in ecb.articles]
    own_f = featurise([a for a, _ in own_train], cache)
    own_labels = [e for _, e in own_train]
    tune, _ = load_semeval()
    sem = semeval_features(tune, cache)
    cache.save()
    sem_set = PairSet([pair_features(a, b) for a, b in sem], np.array([semeval_gold(r) for r in tune]))
    own_set = _pairs(own_f, own_labels)
    topics = sorted({_topic(a.id) for a in ecb.articles})
    folds = [set(topics[0::2]), set(topics[1::2])]
    cv: dict[float, list[float]] = defaultdict(list)
    for fold in folds:
        train_idx = [i for i, a in enumerate(ecb.articles) if _topic(a.id) not in fold]
        test_idx = [i for i, a in enumerate(ecb.articles) if _topic(a.id) in fold]
        ecb_set = _pairs([ecb_f[i] for i in train_idx], [ecb_labels[i] for i in train_idx])
        models = fit_models([ecb_set, sem_set, own_set])
        for t in THRESHOLDS:
            scorer = Scorer(models=models, threshold=t)
            clusters = cluster([ecb_f[i] for i in test_idx], scorer=scorer)
            fold_gold = {ecb.articles[i].id: ecb_labels[i] for i in test_idx}
            cv[t].append(score_clusters(clusters, fold_gold)["pairwise"]["F1"])
    ecb_set = _pairs(ecb_f, ecb_labels)
    models = fit_models([ecb_set, sem_set, own_set])
    gold_own = {f.article_id: e for f, e in zip(own_f, own_labels, strict=True)}
    from rashomon.stories.fit import pairwise_prf

    def objective(t: float) -> float:
        own = pairwise_prf(cluster(own_f, scorer=Scorer(models=models, threshold=t)), gold_own)[2]
        return (sum(cv[t]) / len(cv[t]) + own) / 2

    results = {t: objective(t) for t in THRESHOLDS}
    best = max(results.values())
    plateau = [t for t, f in results.items() if f >= best - 0.005]
    threshold = plateau[len(plateau) // 2]
    log(f"threshold {threshold}: CV ECB+ pairwise F1 {sum(cv[threshold]) / 2:.3f}, objective {results[threshold]:.3f}")
    meta = {
        "description": (
            "Two logistic regressions (L2=1): one for pairs of one language (word overlap `terms` "
            "included), one for the other pairs (no `terms`), each fitted on the pairs it scores, from "
            "../shared/eval/ecbplus-dev (all 196 documents, within- and cross-topic pairs), the SemEval-2022 "
            f"Task 8 training pairs' tune split ({len(tune)} pairs, soft labels (4 - overall) / 3) and "
            "benchmarks/data/stories/train.jsonl, each set weighted equally (classes balanced within a set). "
            "Threshold: middle of the best plateau of "
            "two-fold ECB+ topic cross-validation pairwise F1 averaged with own-train pairwise F1. "
            "Refit with: python benchmarks/bench_stories.py --fit"
        ),
        "cv_ecbplus_pairwise_f1": round(sum(cv[threshold]) / len(cv[threshold]), 4),
        "train_pairs": int(len(ecb_set.y) + len(sem_set.y) + len(own_set.y)),
    }
    lines = [
        f"Threshold chosen by two-fold ECB+ topic cross-validation (folds {sorted(folds[0])} / {sorted(folds[1])}) "
        f"with own-train F1: {threshold} (cross-validated ECB+ pairwise F1 {meta['cv_ecbplus_pairwise_f1']:.3f}).",
    ]
    return Scorer(models=models, threshold=threshold, meta=meta), lines
