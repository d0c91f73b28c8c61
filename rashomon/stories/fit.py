"""Fitting the story scorer on labelled articles, and the clustering quality measures.

The scorer is logistic regression (numpy, Newton's method, L2, classes balanced) over the pair
features of :mod:`rashomon.stories`; the clustering threshold is the one with the best B-cubed F1
on the same training events. ``benchmarks/bench_stories.py --fit`` runs this and writes
``rashomon/data/story_scorer.json``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .cluster import _average_linkage, cluster
from .features import FEATURE_NAMES, ArticleFeatures, pair_features
from .scorer import DEFAULT_WINDOW_DAYS, Scorer, _Logistic

__all__ = ["bcubed_prf", "cluster_all_pairs", "fit_logistic", "fit_scorer", "labelled_pairs", "pairwise_prf"]

# One model: every pair has every feature (date features are 0 with ``dated`` 0 when unknown).
DEFAULT_FEATURE_SETS: tuple[tuple[str, ...], ...] = (FEATURE_NAMES,)
_THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.025), 3)


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 1.0,
    iterations: int = 50,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """L2-regularised logistic regression, classes balanced unless ``sample_weight`` is given.

    ``y`` may hold soft labels in [0, 1] (an annotators' mean score).

    Returns:
        ``(mean, scale, weights, bias)`` for standardised inputs ``(x - mean) / scale``.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    pos = y.sum()
    if sample_weight is not None:
        sample = sample_weight * len(y) / sample_weight.sum()
    else:
        sample = np.where(y == 1, len(y) / (2 * max(pos, 1)), len(y) / (2 * max(len(y) - pos, 1)))
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    w = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (sample * (p - y)) + reg * w
        hess = (z * (sample * p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w[:-1], float(w[-1])


def labelled_pairs(
    features: Sequence[ArticleFeatures], labels: Sequence[str]
) -> tuple[list[dict[str, float]], np.ndarray]:
    """Every pair's features and whether its two articles share an event label."""
    xs, ys = [], []
    for i, j in itertools.combinations(range(len(features)), 2):
        xs.append(pair_features(features[i], features[j]))
        ys.append(int(labels[i] == labels[j]))
    return xs, np.array(ys, dtype=float)


def pairwise_prf(predicted: Sequence[Sequence[str]], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over same-story article pairs (articles missing from ``gold`` ignored).

    Pairs are counted from cluster sizes, not enumerated, so 100,000 articles take well under a second.
    """
    pred_of = {a: i for i, c in enumerate(predicted) for a in c if a in gold}

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    same_pred = pairs(Counter(pred_of.values()))
    same_gold = pairs(Counter(gold[a] for a in pred_of))
    tp = pairs(Counter((pred_of[a], gold[a]) for a in pred_of))
    p = tp / same_pred if same_pred else 1.0
    r = tp / same_gold if same_gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cluster_all_pairs(features: Sequence[ArticleFeatures], *, scorer: Scorer | None = None) -> list[list[str]]:
    """:func:`~rashomon.stories.cluster` without blocking or user decisions, the reference it is checked against.

    Every pair is scored with :meth:`~rashomon.stories.Scorer.score_pair` (n² Python calls), then
    average linkage runs over all articles at once.
    """
    scorer = scorer or Scorer.load()
    n = len(features)
    scores = np.zeros((n, n))
    for i, j in itertools.combinations(range(n), 2):
        scores[i, j] = scores[j, i] = scorer.score_pair(features[i], features[j])
    merged = _average_linkage(scores, [[i] for i in range(n)], np.zeros((n, n), dtype=bool), scorer.threshold)
    return sorted(sorted(features[i].article_id for i in group) for group in merged)


def bcubed_prf(predicted: Sequence[Sequence[str]], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin), averaged over articles."""
    pred_of = {a: i for i, c in enumerate(predicted) for a in c if a in gold}
    if not pred_of:
        return 0.0, 0.0, 0.0
    pred_size = Counter(pred_of.values())
    gold_size = Counter(gold[a] for a in pred_of)
    both = Counter((pred_of[a], gold[a]) for a in pred_of)
    p = sum(both[(pred_of[a], gold[a])] / pred_size[pred_of[a]] for a in pred_of) / len(pred_of)
    r = sum(both[(pred_of[a], gold[a])] / gold_size[gold[a]] for a in pred_of) / len(pred_of)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def fit_scorer(
    features: Sequence[ArticleFeatures],
    labels: Sequence[str],
    *,
    feature_sets: Sequence[Sequence[str]] = DEFAULT_FEATURE_SETS,
    l2: float = 1.0,
    window_days: int = DEFAULT_WINDOW_DAYS,
    meta: Mapping[str, Any] | None = None,
) -> Scorer:
    """Fit one logistic model per feature set on labelled articles and tune the threshold.

    Args:
        features: the training articles' features.
        labels: each article's event label.
        feature_sets: the models to fit, most complete first (pairs missing a feature fall through).
        l2: the L2 penalty on standardised weights.
        window_days: the date window stored with the scorer.
        meta: extra fields saved in the JSON (training data description).

    Returns:
        The fitted :class:`Scorer`, threshold chosen by B-cubed F1 of :func:`cluster` on the training set.
    """
    pairs, y = labelled_pairs(features, labels)
    models = []
    for names in feature_sets:
        rows = [i for i, x in enumerate(pairs) if all(n in x for n in names)]
        x = np.array([[pairs[i][n] for n in names] for i in rows])
        mean, scale, weights, bias = fit_logistic(x, y[rows], l2=l2)
        models.append(_Logistic(tuple(names), mean, scale, weights, bias))
    scorer = Scorer(models=tuple(models), threshold=0.5, window_days=window_days)
    gold = {f.article_id: label for f, label in zip(features, labels, strict=True)}
    results: dict[float, float] = {}
    for t in _THRESHOLDS:
        results[float(t)] = bcubed_prf(cluster(features, scorer=scorer, threshold=float(t)), gold)[2]
    best_f1 = max(results.values())
    # The middle of the best plateau: less brittle than its first point.
    plateau = [t for t, f in results.items() if f >= best_f1 - 1e-9]
    threshold = plateau[len(plateau) // 2]
    events = Counter(labels)
    info = {
        **(meta or {}),
        "train_articles": len(features),
        "train_events": len(events),
        "train_pairs": len(y),
        "train_positive_pairs": int(y.sum()),
        "train_bcubed_f1": round(best_f1, 4),
    }
    return Scorer(models=tuple(models), threshold=threshold, window_days=window_days, meta=info)
