"""The same-event score of two articles: logistic models over their pair features.

:func:`same_event_score` combines the pair features (:func:`.features.pair_features`) with a
logistic model fitted on labelled pairs (``data/story_scorer.json``, written by
``benchmarks/bench_stories.py --fit``); articles whose event dates rule one event out score 0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from ..models import Article
from .dates import compatible
from .features import ArticleFeatures, features_from, pair_features

__all__ = ["DEFAULT_WINDOW_DAYS", "Scorer", "same_event_score", "similarity_of_texts", "text_article"]

# Articles whose event dates lie further apart than this are never one story: within one event, reports in
# the training and sample sets are at most 1 day apart; a week later, same people, is a new story.
DEFAULT_WINDOW_DAYS = 3


@dataclass(frozen=True, slots=True)
class _Logistic:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def score(self, x: Mapping[str, float]) -> float:
        z = (np.array([x[f] for f in self.features]) - self.mean) / self.scale
        return float(1.0 / (1.0 + math.exp(-float(z @ self.weights + self.bias))))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _Logistic:
        return cls(
            features=tuple(data["features"]),
            mean=np.array(data["mean"], dtype=float),
            scale=np.array(data["scale"], dtype=float),
            weights=np.array(data["weights"], dtype=float),
            bias=float(data["bias"]),
        )


@dataclass(frozen=True, slots=True)
class Scorer:
    """Logistic models over pair features, most complete first, plus the clustering threshold.

    A pair is scored by the first model whose features it has (articles without dates fall back to
    a model fitted without the date features).
    """

    models: tuple[_Logistic, ...]
    threshold: float
    window_days: int = DEFAULT_WINDOW_DAYS
    meta: Mapping[str, Any] = field(default_factory=dict)

    def score(self, x: Mapping[str, float]) -> float:
        """Same-event probability for one pair's features."""
        for model in self.models:
            if all(f in x for f in model.features):
                return model.score(x)
        raise UsageError(f"no story model accepts the features {sorted(x)}")

    def score_pair(self, a: ArticleFeatures, b: ArticleFeatures) -> float:
        """Same-event probability of two articles (0 when their dates rule one event out)."""
        if not compatible(a.time, b.time, self.window_days):
            return 0.0
        return self.score(pair_features(a, b))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the format of ``data/story_scorer.json``)."""
        return {
            **self.meta,
            "threshold": round(self.threshold, 4),
            "window_days": self.window_days,
            "models": [m.to_json() for m in self.models],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scorer:
        """Rebuild a scorer saved with :meth:`to_json`."""
        meta = {k: v for k, v in data.items() if k not in ("threshold", "window_days", "models")}
        return cls(
            models=tuple(_Logistic.from_json(m) for m in data["models"]),
            threshold=float(data["threshold"]),
            window_days=int(data.get("window_days", DEFAULT_WINDOW_DAYS)),
            meta=meta,
        )

    def save(self, path: str | Path) -> None:
        """Write the scorer as JSON."""
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")

    @classmethod
    def load(cls, path: str | Path | None = None) -> Scorer:
        """Load a scorer; the bundled ``data/story_scorer.json`` by default."""
        if path is None:
            return _bundled_scorer()
        return cls.from_json(json.loads(Path(path).read_text("utf-8")))


@lru_cache(maxsize=1)
def _bundled_scorer() -> Scorer:
    text = resources.files("rashomon").joinpath("data/story_scorer.json").read_text("utf-8")
    return Scorer.from_json(json.loads(text))


def same_event_score(a: ArticleFeatures, b: ArticleFeatures, *, scorer: Scorer | None = None) -> float:
    """Probability (0..1) that two articles report the same real-world event."""
    return (scorer or _bundled_scorer()).score_pair(a, b)


# --- the `similarity` command --------------------------------------------------------------------


def similarity_of_texts(
    text1: str,
    text2: str,
    lang1: str | None = None,
    lang2: str | None = None,
    *,
    scorer: Scorer | None = None,
) -> float:
    """Same-event similarity (0..1) of two bare texts, e.g. for ``rashomon similarity A B``.

    The texts are analysed (entities, dates, numbers) like ingested articles; with no publication
    dates the scorer's date-free model decides unless the texts themselves give event dates.
    """
    from ..analyse import analyse

    features = []
    for i, (text, lang) in enumerate(((text1, lang1), (text2, lang2))):
        article = text_article(text, lang, article_id=f"text{i + 1}")
        features.append(features_from(article, analyse(article)))
    return same_event_score(features[0], features[1], scorer=scorer)


def text_article(text: str, language: str | None = None, *, article_id: str = "text") -> Article:
    """A bare text as an article with no title or dates (the language detected unless given)."""
    from ..analyse.language import detect_language

    return Article(title="", text=text, language=language or detect_language(text), id=article_id)
