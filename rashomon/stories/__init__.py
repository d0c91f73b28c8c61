"""Same-event clustering: which articles report one real-world event (a meeting on one day; a
factory visit two days later by the same people is another story).

One module a step:

* :mod:`.features`: an article's features (embeddings, entity keys, dates, numbers, rare words) and a
  pair's; :mod:`.dates` reads the event day and its bound, :mod:`.terms` weighs words by rarity;
* :mod:`.scorer`: the same-event probability of a pair (logistic models, ``data/story_scorer.json``);
* :mod:`.index`: :class:`StoryIndex` places each new article in the best recent story;
* :mod:`.cluster`: :func:`cluster` rebuilds from scratch with average linkage, scoring only the pairs
  within the date window (:mod:`.blocks`) and honouring user decisions;
* :mod:`.placement`: both of them over the store (what ``add`` and ``recluster`` call);
* :mod:`.fit`: fitting the scorer and the clustering quality measures (benchmarks).
"""

from __future__ import annotations

from .cluster import cluster
from .features import FEATURE_NAMES, ArticleFeatures, features_from, features_from_many, name_key, pair_features
from .index import MAX_MEMBERS, RECHECK_MAX, UNDATED_CANDIDATES, StoryIndex
from .scorer import DEFAULT_WINDOW_DAYS, Scorer, same_event_score, similarity_of_texts, text_article

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "FEATURE_NAMES",
    "MAX_MEMBERS",
    "RECHECK_MAX",
    "UNDATED_CANDIDATES",
    "ArticleFeatures",
    "Scorer",
    "StoryIndex",
    "cluster",
    "features_from",
    "features_from_many",
    "name_key",
    "pair_features",
    "same_event_score",
    "similarity_of_texts",
    "text_article",
]
