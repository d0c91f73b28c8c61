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

from ..embeddings import MODELS
from ..errors import UsageError
from .dates import compatible_matrix, gap_matrix, timeline_gap_matrix

if TYPE_CHECKING:
    from .features import ArticleFeatures
    from .scorer import Scorer

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
        self.event = _ordinals([f.event_date for f in features])  # the event days' ordinals (-1: undated)
        self.bound = _ordinals([f.published for f in features])
        times = [f.time for f in features]
        self.first = _ordinals([t.first for t in times])
        self.last = _ordinals([t.last for t in times])
        self.month_day = np.array([-1 if t.month_day is None else t.month_day for t in times], dtype=np.int64)
        self.entities = _unit_sets([f.entity_keys for f in features])
        self.numbers = _unit_sets([f.numbers for f in features])
        self.years = _unit_sets([f.years for f in features])
        self.terms = _weighted([f.terms for f in features])
        # Terms are compared only between articles of one language (features.shares_words): -1 for none.
        codes: dict[str | None, int] = {}
        self.word_language = np.array(
            [codes.setdefault(f.language, len(codes)) if f.terms else -1 for f in features], dtype=np.int64
        )


Sparse = tuple[np.ndarray, np.ndarray]  # (term ids, weights) of one article's unit vector


def _weighted(vectors: Sequence[dict[str, float]]) -> list[Sparse]:
    vocabulary: dict[str, int] = {}
    return [
        (np.array([vocabulary.setdefault(k, len(vocabulary)) for k in v], dtype=np.int64),
         np.array(list(v.values()), dtype=float))
        for v in vectors
    ]


def _unit_sets(sets: Sequence[frozenset[str]]) -> list[Sparse]:
    """Key sets as unit vectors: their dot product is ``|A & B| / sqrt(|A| |B|)``."""
    return _weighted([dict.fromkeys(s, 1.0 / np.sqrt(len(s))) if s else {} for s in sets])


def _dot(a: list[Sparse], b: list[Sparse]) -> np.ndarray:
    """Dot products of every pair of sparse vectors (0 when one is empty), by a sorted join on term ids."""
    size_a = np.array([len(ids) for ids, _ in a], dtype=np.int64)
    size_b = np.array([len(ids) for ids, _ in b], dtype=np.int64)
    empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0)
    keys_a = np.concatenate([empty_i, *(ids for ids, _ in a)])
    weights_a = np.concatenate([empty_f, *(w for _, w in a)])
    rows = np.repeat(np.arange(len(a)), size_a)
    keys_b = np.concatenate([empty_i, *(ids for ids, _ in b)])
    weights_b = np.concatenate([empty_f, *(w for _, w in b)])
    cols = np.repeat(np.arange(len(b)), size_b)
    order = np.argsort(keys_b, kind="stable")
    keys_b, cols, weights_b = keys_b[order], cols[order], weights_b[order]
    lo, hi = np.searchsorted(keys_b, keys_a, "left"), np.searchsorted(keys_b, keys_a, "right")
    counts = hi - lo  # for each term of an A vector, how many B vectors hold it
    starts = np.cumsum(counts) - counts
    at = np.repeat(lo - starts, counts) + np.arange(int(counts.sum()))
    products = np.repeat(weights_a, counts) * weights_b[at]
    cells = np.repeat(rows, counts) * len(b) + cols[at]
    return np.bincount(cells, weights=products, minlength=len(a) * len(b)).reshape(len(a), len(b))


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
    for name in ("entities", "numbers", "years", "terms"):
        vectors = getattr(arrays, name)
        x[name] = _dot([vectors[i] for i in rows], [vectors[i] for i in cols])
        available[name] = everywhere
    language_rows, language_cols = arrays.word_language[rows], arrays.word_language[cols]
    available["terms"] = (language_rows[:, None] == language_cols[None, :]) & (language_rows[:, None] >= 0)
    gap = gap_matrix(arrays.event[rows], arrays.month_day[rows], arrays.event[cols], arrays.month_day[cols])
    near = timeline_gap_matrix(
        gap,
        (arrays.event[rows], arrays.first[rows], arrays.last[rows]),
        (arrays.event[cols], arrays.first[cols], arrays.last[cols]),
    )
    x["dated"], x["same_day"] = (near >= 0).astype(float), (near == 0).astype(float)
    x["event_gap"] = np.log1p(np.maximum(near, 0))
    available["dated"] = available["same_day"] = available["event_gap"] = everywhere

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
    ok = compatible_matrix(
        gap, arrays.event[rows], arrays.bound[rows], arrays.event[cols], arrays.bound[cols], scorer.window_days
    )
    out[~ok] = 0.0
    return out


def linked_pairs(arrays: FeatureArrays, scorer: Scorer, threshold: float) -> Iterator[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, scoring at least ``threshold``, found block by block.

    Dated articles are scored with those dated up to ``window_days`` later; undated ones with all.
    """
    index = np.arange(arrays.size)
    dated = index[arrays.event >= 0]
    dated = dated[np.argsort(arrays.event[dated], kind="stable")]
    days = arrays.event[dated]
    for day in np.unique(days):
        rows = dated[np.searchsorted(days, day, "left") : np.searchsorted(days, day, "right")]
        cols = dated[np.searchsorted(days, day, "left") : np.searchsorted(days, day + scorer.window_days, "right")]
        later = (arrays.event[cols][None, :] > day) | (cols[None, :] > rows[:, None])
        yield from _hits(score_block(arrays, rows, cols, scorer), rows, cols, later, threshold)
    undated = index[arrays.event < 0]
    step = max(1, _CELLS // max(1, arrays.size))
    for start in range(0, len(undated), step):
        rows = undated[start : start + step]
        pairs = (arrays.event[index][None, :] >= 0) | (index[None, :] > rows[:, None])
        yield from _hits(score_block(arrays, rows, index, scorer), rows, index, pairs, threshold)


def _hits(
    scores: np.ndarray, rows: np.ndarray, cols: np.ndarray, keep: np.ndarray, threshold: float
) -> Iterator[tuple[int, int]]:
    for r, c in zip(*np.nonzero((scores >= threshold) & keep), strict=True):
        i, j = int(rows[r]), int(cols[c])
        yield min(i, j), max(i, j)
