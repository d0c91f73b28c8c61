"""Same-event scores of many article pairs at once, and the date blocks a full rebuild scores.

:meth:`~rashomon.stories.Scorer.score_pair` scores one pair in Python (~15 µs); scoring every pair of
a 100,000-article archive that way is 5·10⁹ calls. Here the pair features of a block of articles are
matrices and the scorer's logistic models run on them in numpy. A rebuild scores only the blocks of
articles dated within the scorer's window of each other (a pair further apart scores 0 anyway) and
each undated article with every article, so it computes the same scores as all pairs would, in time
that grows linearly with the archive when the number of articles a day is steady.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from .embeddings import MODELS
from .errors import UsageError

if TYPE_CHECKING:
    from .stories import ArticleFeatures, Scorer

__all__ = ["FeatureArrays", "linked_pairs", "score_block"]

# Pair matrices are computed this many cells at a time (7 features of float64: ~110 MB).
_CELLS = 2_000_000


def _ordinals(values: Sequence[date | None]) -> np.ndarray:
    return np.array([-1 if v is None else v.toordinal() for v in values], dtype=np.int64)


class FeatureArrays:
    """The features of many articles as arrays (not a dataclass: ``__init__`` builds them)."""

    def __init__(self, features: Sequence[ArticleFeatures]) -> None:
        self.size = len(features)
        self.vectors: dict[str, np.ndarray] = {}
        self.has_vector: dict[str, np.ndarray] = {}
        for model in MODELS:
            present = [f.embeddings[model] for f in features if model in f.embeddings]
            shape = (self.size, len(present[0]) if present else 0)
            matrix = np.zeros(shape, dtype=present[0].dtype if present else float)
            has = np.zeros(self.size, dtype=bool)
            for i, f in enumerate(features):
                if model in f.embeddings:
                    matrix[i], has[i] = f.embeddings[model], True
            self.vectors[model], self.has_vector[model] = matrix, has
        self.event = _ordinals([f.event_date for f in features])
        self.published = _ordinals([f.published for f in features])
        self.day = np.array([-1 if f.day is None else f.day for f in features], dtype=np.int64)
        self.entities = _key_ids([f.entity_keys for f in features])
        self.numbers = _key_ids([f.numbers for f in features])


def _key_ids(sets: Sequence[frozenset[str]]) -> list[np.ndarray]:
    vocabulary: dict[str, int] = {}
    return [np.array([vocabulary.setdefault(k, len(vocabulary)) for k in s], dtype=np.int64) for s in sets]


def _overlap(a: list[np.ndarray], b: list[np.ndarray]) -> np.ndarray:
    """``|A & B| / sqrt(|A| |B|)`` for every pair of key sets (0 when one is empty), by a sorted join."""
    size_a = np.array([len(s) for s in a], dtype=float)
    size_b = np.array([len(s) for s in b], dtype=float)
    keys_a = np.concatenate([np.zeros(0, dtype=np.int64), *a])
    rows = np.repeat(np.arange(len(a)), size_a.astype(np.int64))
    keys_b = np.concatenate([np.zeros(0, dtype=np.int64), *b])
    cols = np.repeat(np.arange(len(b)), size_b.astype(np.int64))
    order = np.argsort(keys_b, kind="stable")
    keys_b, cols = keys_b[order], cols[order]
    lo, hi = np.searchsorted(keys_b, keys_a, "left"), np.searchsorted(keys_b, keys_a, "right")
    counts = hi - lo  # for each key of an A set, how many B sets hold it
    starts = np.cumsum(counts) - counts
    at = np.repeat(lo - starts, counts) + np.arange(int(counts.sum()))
    shared = np.bincount(np.repeat(rows, counts) * len(b) + cols[at], minlength=len(a) * len(b))
    denominator = np.sqrt(np.outer(size_a, size_b))
    out = np.zeros((len(a), len(b)))
    np.divide(shared.reshape(len(a), len(b)), denominator, out=out, where=denominator > 0)
    return out


def score_block(arrays: FeatureArrays, rows: np.ndarray, cols: np.ndarray, scorer: Scorer) -> np.ndarray:
    """Same-event scores of articles ``rows`` × ``cols`` (indices into ``arrays``), as ``score_pair`` gives."""
    out = np.zeros((len(rows), len(cols)))
    step = max(1, _CELLS // max(1, len(cols)))
    for start in range(0, len(rows), step):
        out[start : start + step] = _score_rows(arrays, rows[start : start + step], cols, scorer)
    return out


def _score_rows(arrays: FeatureArrays, rows: np.ndarray, cols: np.ndarray, scorer: Scorer) -> np.ndarray:
    x: dict[str, np.ndarray] = {}
    available: dict[str, np.ndarray] = {}
    everywhere = np.ones((len(rows), len(cols)), dtype=bool)
    for model in MODELS:
        vectors = arrays.vectors[model]
        x[f"cos_{model}"] = (vectors[rows] @ vectors[cols].T).astype(float)
        available[f"cos_{model}"] = np.outer(arrays.has_vector[model][rows], arrays.has_vector[model][cols])
    x["entities"] = _overlap([arrays.entities[i] for i in rows], [arrays.entities[i] for i in cols])
    x["numbers"] = _overlap([arrays.numbers[i] for i in rows], [arrays.numbers[i] for i in cols])
    available["entities"] = available["numbers"] = everywhere
    event_gap = np.abs(arrays.event[rows][:, None] - arrays.event[cols][None, :])
    x["same_day"], x["event_gap"] = (event_gap == 0).astype(float), np.log1p(event_gap)
    available["same_day"] = available["event_gap"] = np.outer(arrays.event[rows] >= 0, arrays.event[cols] >= 0)
    x["published_gap"] = np.log1p(np.abs(arrays.published[rows][:, None] - arrays.published[cols][None, :]))
    available["published_gap"] = np.outer(arrays.published[rows] >= 0, arrays.published[cols] >= 0)

    out = np.zeros((len(rows), len(cols)))
    todo = everywhere.copy()
    for logistic in scorer.models:  # the first model whose features a pair has scores it
        usable = todo.copy()
        for name in logistic.features:
            if name not in available:
                raise UsageError(f"no vectorised form of the story feature {name!r}")
            usable &= available[name]
        if not usable.any():
            continue
        z = np.full(usable.sum(), logistic.bias)
        terms = zip(logistic.features, logistic.mean, logistic.scale, logistic.weights, strict=True)
        for name, mean, scale, weight in terms:
            z += (x[name][usable] - mean) / scale * weight
        out[usable] = 1.0 / (1.0 + np.exp(-z))
        todo &= ~usable
    if todo.any():
        raise UsageError("no story model accepts the features of some article pairs")
    day_rows, day_cols = arrays.day[rows][:, None], arrays.day[cols][None, :]
    out[(day_rows >= 0) & (day_cols >= 0) & (np.abs(day_rows - day_cols) > scorer.window_days)] = 0.0
    return out


def linked_pairs(arrays: FeatureArrays, scorer: Scorer, threshold: float) -> Iterator[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, scoring at least ``threshold``, found block by block.

    Dated articles are scored with those dated up to ``window_days`` later; undated ones with all.
    """
    index = np.arange(arrays.size)
    dated = index[arrays.day >= 0]
    dated = dated[np.argsort(arrays.day[dated], kind="stable")]
    days = arrays.day[dated]
    for day in np.unique(days):
        rows = dated[np.searchsorted(days, day, "left") : np.searchsorted(days, day, "right")]
        cols = dated[np.searchsorted(days, day, "left") : np.searchsorted(days, day + scorer.window_days, "right")]
        later = (arrays.day[cols][None, :] > day) | (cols[None, :] > rows[:, None])
        yield from _hits(score_block(arrays, rows, cols, scorer), rows, cols, later, threshold)
    undated = index[arrays.day < 0]
    step = max(1, _CELLS // max(1, arrays.size))
    for start in range(0, len(undated), step):
        rows = undated[start : start + step]
        pairs = (arrays.day[index][None, :] >= 0) | (index[None, :] > rows[:, None])
        yield from _hits(score_block(arrays, rows, index, scorer), rows, index, pairs, threshold)


def _hits(
    scores: np.ndarray, rows: np.ndarray, cols: np.ndarray, keep: np.ndarray, threshold: float
) -> Iterator[tuple[int, int]]:
    for r, c in zip(*np.nonzero((scores >= threshold) & keep), strict=True):
        i, j = int(rows[r]), int(cols[c])
        yield min(i, j), max(i, j)
