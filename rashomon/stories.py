"""Same-event clustering: which articles report one real-world event (a meeting on one day; a
factory visit two days later by the same people is another story).

An article becomes :class:`ArticleFeatures`: title+lead embeddings from two cross-lingual models,
language-independent entity keys, the event date, mentioned dates and numbers. :func:`same_event_score`
combines them with a logistic model fitted on labelled pairs (``data/story_scorer.json``, written by
``benchmarks/bench_stories.py --fit``). Two ways to group articles, with one threshold:

* :class:`StoryIndex` assigns each new article to the best recent story or opens one, then
  clusters the stories it links again; only stories within a date window (or sharing an entity key
  with undated articles) are scored, so the cost of an ``add`` does not grow with the archive.
* :func:`cluster` rebuilds from scratch with average linkage (order-independent), scoring only the
  pairs within the date window (:mod:`rashomon.story_blocks`), and honours user decisions (pinned
  articles, forced merges and splits).
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .embeddings import MODELS, ModelName, article_embeddings
from .errors import UsageError
from .models import Analysis, Article
from .names import word_key
from .story_blocks import FeatureArrays, linked_pairs, score_block
from .story_dates import EventTime, compatible, day_gap, event_time, month_day
from .story_terms import term_weights

__all__ = [
    "FEATURE_NAMES",
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

FEATURE_NAMES: tuple[str, ...] = (
    "cos_e5",  # cosine of the e5 title+lead embeddings
    "cos_use",  # cosine of the USE title+lead embeddings
    "entities",  # shared entity keys, |A & B| / sqrt(|A| |B|)
    "numbers",  # shared numbers (years left out), same measure
    "years",  # shared years mentioned or resolved ("in 2008", "last year"), same measure
    "terms",  # cosine of the texts' words weighted by rarity in their language (rashomon.story_terms)
    "dated",  # 1 when both event days are known (full, or year-less on either side)
    "same_day",  # 1 when both event days are the same day (a year-less day meets any year); 0 if unknown
    "event_gap",  # log1p(days between event days); 0 if unknown
)
# Articles whose event dates lie further apart than this are never one story: within one event, reports in
# the training and sample sets are at most 1 day apart; a week later, same people, is a new story.
DEFAULT_WINDOW_DAYS = 3
# Members of a story a new article is compared with (the most recent ones): bounds `add` cost.
MAX_MEMBERS = 30
# An undated article is compared with at most this many stories: those sharing most entity keys
# among the latest 200 stories per key.
UNDATED_CANDIDATES = 50
_RECENT_PER_KEY = 200
# After an add, the stories the article links are clustered again, at most this many of their latest
# articles together (two full stories of MAX_MEMBERS): bounds the cost of the re-check.
RECHECK_MAX = 2 * MAX_MEMBERS

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,]\d+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:]\s+|[\"«„“(]\s*)$")


@dataclass(slots=True, kw_only=True)
class ArticleFeatures:
    """What story clustering knows about one article; every field is language-independent."""

    article_id: str
    published: date | None = None  # the bound: the event happened on or before the page's stamps
    event_date: date | None = None  # the event day the text gives
    month_day: int | None = None  # a year-less event day ("3 March"): its day of the year
    language: str | None = None
    embeddings: dict[str, np.ndarray] = field(default_factory=dict)
    entity_keys: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    terms: dict[str, float] = field(default_factory=dict)

    @property
    def time(self) -> EventTime:
        """The article's dates as :mod:`rashomon.story_dates` compares them."""
        md = self.month_day if self.month_day is not None else month_day(self.event_date)
        return EventTime(day=self.event_date, month_day=md, bound=self.published)

    @property
    def day(self) -> int | None:
        """The ordinal of the event day the text gives, for date blocking (``None``: compared with all)."""
        return self.event_date.toordinal() if self.event_date else None


# --- features ------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)  # names repeat across the articles whose features are built on each add
def name_key(word: str) -> str:
    """A lossy cross-script key of a name word; the one algorithm is :func:`rashomon.names.word_key`."""
    return word_key(word)


def _keys_from_analysis(analysis: Analysis) -> set[str]:
    keys: set[str] = set()
    for entity in analysis.entities:
        if entity.global_id:
            keys.add(entity.global_id)
            continue
        words = [w for w in _WORD.findall(entity.name) if len(w) >= 3]
        if entity.type == "PER" and words:
            words = words[-1:]  # the surname; first names are written too many ways
        keys.update(k for k in map(name_key, words) if len(k) >= 2)
    return keys


def _capitalised_keys(text: str) -> set[str]:
    """Keys of capitalised words that do not start a sentence: a stand-in when no entities are known."""
    keys: set[str] = set()
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) < 3 or not word[0].isupper():
            continue
        if _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]) and not word.isupper():
            continue
        key = name_key(word)
        if len(key) >= 2:
            keys.add(key)
    return keys


def _number_value(raw: str) -> float | None:
    s = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        s = s.replace(",", "")
    s = s.replace(",", ".")
    if s.count(".") > 1:
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _number_keys(values: Iterable[float]) -> frozenset[str]:
    # Years and small counts (days, scores) are shared by too many unrelated stories.
    return frozenset(f"{v:g}" for v in values if v >= 3 and not (v.is_integer() and 1900 <= v <= 2100))


def features_from(
    article: Article,
    analysis: Analysis | None = None,
    *,
    entity_ids: set[str] | None = None,
    embeddings: Mapping[str, np.ndarray] | None = None,
    models: tuple[ModelName, ...] = MODELS,
) -> ArticleFeatures:
    """Build one article's features.

    Args:
        article: the article (``id``, ``title``, ``text``, ``published``, ``language`` are used).
        analysis: its analysis; entities, dates, numbers and the event date come from here. Without
            one (or when it found no entities/numbers) capitalised words and digits stand in.
        entity_ids: canonical entity ids from cross-article resolution; used instead of name keys.
        embeddings: precomputed ``{model: vector}``; computed with :mod:`rashomon.embeddings` if absent.
        models: which embedding models to compute.

    Returns:
        The :class:`ArticleFeatures`.
    """
    if embeddings is None:
        embeddings = {m: v[0] for m, v in article_embeddings([article], models=models).items()}
    when = event_time(article, analysis)
    if entity_ids is not None:
        keys = set(entity_ids)
    elif analysis and analysis.entities:
        keys = _keys_from_analysis(analysis)
    else:
        keys = _capitalised_keys(f"{article.title}. {article.text}")
    if analysis and analysis.numbers:
        numbers = _number_keys(n.value for n in analysis.numbers)
    else:
        found = (_number_value(m.group()) for m in _NUMBER.finditer(article.text))
        numbers = _number_keys(v for v in found if v is not None)
    dates = frozenset(d.value for d in analysis.dates) if analysis else frozenset()
    if analysis:
        years = frozenset(d.value[:4] for d in analysis.dates if d.value[:1].isdigit())
    else:
        years = frozenset(_YEAR.findall(f"{article.title} {article.text}"))
    return ArticleFeatures(
        article_id=article.id,
        published=when.bound,
        event_date=when.day,
        month_day=when.month_day if when.day is None else None,
        language=article.language,
        embeddings=dict(embeddings),
        entity_keys=frozenset(keys),
        dates=dates,
        numbers=numbers,
        years=years,
        terms=term_weights(f"{article.title}\n{article.text}", article.language),
    )


def features_from_many(
    articles: Sequence[Article],
    analyses: Sequence[Analysis | None] | None = None,
    *,
    entity_ids: Sequence[set[str] | None] | None = None,
    models: tuple[ModelName, ...] = MODELS,
) -> list[ArticleFeatures]:
    """:func:`features_from` for many articles, embedding them in batches."""
    embedded = article_embeddings(list(articles), models=models)
    out = []
    for i, article in enumerate(articles):
        out.append(
            features_from(
                article,
                analyses[i] if analyses else None,
                entity_ids=entity_ids[i] if entity_ids else None,
                embeddings={m: v[i] for m, v in embedded.items()},
            )
        )
    return out


# --- scoring -------------------------------------------------------------------------------------


def _set_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def pair_features(a: ArticleFeatures, b: ArticleFeatures) -> dict[str, float]:
    """The scorer's inputs for one pair; a feature that cannot be computed is left out."""
    out: dict[str, float] = {}
    for model in MODELS:
        va, vb = a.embeddings.get(model), b.embeddings.get(model)
        if va is not None and vb is not None:
            out[f"cos_{model}"] = float(np.dot(va, vb))
    out["entities"] = _set_overlap(a.entity_keys, b.entity_keys)
    out["numbers"] = _set_overlap(a.numbers, b.numbers)
    out["years"] = _set_overlap(a.years, b.years)
    small, large = sorted((a.terms, b.terms), key=len)
    out["terms"] = sum(w * large.get(k, 0.0) for k, w in small.items())
    gap = day_gap(a.time, b.time)
    out["dated"] = float(gap is not None)
    out["same_day"] = float(gap == 0)
    out["event_gap"] = math.log1p(gap or 0)
    return out


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


# --- incremental assignment ----------------------------------------------------------------------


@dataclass(slots=True)
class _Story:
    key: str
    members: list[ArticleFeatures]  # in arrival order


class StoryIndex:
    """Incremental story assignment over recent stories (not a dataclass: ``add`` keeps indexes).

    Candidate stories for a new article are those with an article dated within ``window_days`` of
    it; an undated article is compared with recent stories that share an entity key. The article
    joins the candidate with the highest average score over its (latest ``MAX_MEMBERS``) members if
    that is at least the threshold, else it opens a story keyed by its own id.

    Then the stories the article links (any member pair at the threshold) are clustered again
    together with :func:`cluster`, so an early wrong choice is undone once the reports that show it
    arrive: without it, pairwise F1 on the benchmark varied by 0.06-0.09 over 5 arrival orders, with it by 0.
    Articles placed with ``pinned=True`` (user decisions) never move.
    """

    def __init__(
        self,
        *,
        scorer: Scorer | None = None,
        threshold: float | None = None,
        max_members: int = MAX_MEMBERS,
        recheck: bool = True,
    ) -> None:
        self.scorer = scorer or _bundled_scorer()
        self.threshold = self.scorer.threshold if threshold is None else threshold
        self.max_members = max_members
        self.recheck = recheck
        self._stories: dict[str, _Story] = {}
        self._story_of: dict[str, str] = {}
        self._arrival: dict[str, int] = {}
        self._pinned: set[str] = set()
        self._undated: Counter[str] = Counter()  # story -> how many of its articles have no date
        self._by_day: dict[int, set[str]] = defaultdict(set)
        self._recent_by_entity: dict[str, OrderedDict[str, None]] = defaultdict(OrderedDict)
        self.comparisons = 0  # pair scores computed so far: the cost `add` is bounded by

    def __len__(self) -> int:
        return len(self._stories)

    def story_of(self, article_id: str) -> str | None:
        """The key of the story an article is in."""
        return self._story_of.get(article_id)

    def stories(self) -> dict[str, list[str]]:
        """Every story's key and its article ids, in arrival order."""
        return {k: [m.article_id for m in s.members] for k, s in self._stories.items()}

    def _candidates(self, features: ArticleFeatures) -> set[str]:
        """Stories dated near the article, and recent ones sharing its entity keys that have undated articles.

        An undated article is scored with every article, dated or not, in a full rebuild; so a dated
        article also looks for undated reports, or the result would depend on which came first.
        """
        found: set[str] = set()
        day = features.day
        if day is not None:
            w = self.scorer.window_days
            for d in range(day - w, day + w + 1):
                found |= self._by_day.get(d, set())
        shared: Counter[str] = Counter()
        for key in features.entity_keys:
            recent: Mapping[str, None] = self._recent_by_entity.get(key, {})
            shared.update(k for k in recent if k in self._stories and (day is None or self._undated[k]))
        return found | {story for story, _ in shared.most_common(UNDATED_CANDIDATES)}

    def _member_scores(self, features: ArticleFeatures, story_key: str) -> list[float]:
        members = self._stories[story_key].members[-self.max_members :]
        self.comparisons += len(members)
        return [self.scorer.score_pair(features, m) for m in members]

    def add(self, features: ArticleFeatures, *, story_key: str | None = None, pinned: bool = False) -> str:
        """Assign an article to the best existing story or open a new one.

        Args:
            features: the article's features.
            story_key: put the article in this story instead of choosing (and re-checking).
            pinned: a user decision: later re-checks never move the article.

        Returns:
            The key of the story the article is in after the re-check.
        """
        article_id = features.article_id
        if article_id in self._story_of:
            return self._story_of[article_id]
        self._arrival[article_id] = len(self._arrival)
        if pinned:
            self._pinned.add(article_id)
        if story_key is not None:
            self._place(features, story_key)
            return story_key
        best, best_score = None, self.threshold
        linked: dict[str, float] = {}  # story -> its best member score, for the stories at the threshold
        for key in sorted(self._candidates(features)):
            scores = self._member_scores(features, key)
            if max(scores) >= self.threshold:
                linked[key] = max(scores)
            if sum(scores) / len(scores) >= best_score:
                best, best_score = key, sum(scores) / len(scores)
        chosen = best or self._free_key(article_id)
        self._place(features, chosen)
        if self.recheck and (linked.keys() - {chosen} or len(self._stories[chosen].members) > 2):
            self._recluster([chosen, *sorted(linked, key=lambda k: (-linked[k], k))])
        return self._story_of[article_id]

    def _recluster(self, keys: list[str]) -> None:
        """Cluster the latest members of these stories (the first one first) again and regroup them."""
        members: list[ArticleFeatures] = []
        for key in dict.fromkeys(keys):
            latest = self._stories[key].members[-self.max_members :]
            if members and len(members) + len(latest) > RECHECK_MAX:
                continue
            members += latest
        pinned = {m.article_id: self._story_of[m.article_id] for m in members if m.article_id in self._pinned}
        self.comparisons += len(members) * (len(members) - 1) // 2
        groups = cluster(members, scorer=self.scorer, threshold=self.threshold, pinned=pinned)
        # Each group keeps the key of the story most of its articles come from; the rest get new keys.
        overlaps = sorted(
            (-count, key, i)
            for i, group in enumerate(groups)
            for key, count in Counter(self._story_of[a] for a in group).items()
        )
        keyed: dict[int, str] = {}
        for _, key, i in overlaps:
            if i not in keyed and key not in keyed.values():
                keyed[i] = key
        by_id = {m.article_id: m for m in members}
        for i, group in enumerate(groups):
            key = keyed.get(i) or self._free_key(group[0])
            for article_id in group:
                if self._story_of[article_id] != key:
                    self._remove(article_id)
                    self._place(by_id[article_id], key)

    def _free_key(self, article_id: str) -> str:
        """A key for a new story: its first article's id, made unique if a story already has it."""
        key, n = article_id, 1
        while key in self._stories:
            n += 1
            key = f"{article_id}~{n}"
        return key

    def _place(self, features: ArticleFeatures, story_key: str) -> None:
        story = self._stories.get(story_key)
        if story is None:
            story = self._stories[story_key] = _Story(story_key, [])
        bisect.insort(story.members, features, key=lambda m: self._arrival[m.article_id])
        self._story_of[features.article_id] = story_key
        if features.day is None:
            self._undated[story_key] += 1
        else:
            self._by_day[features.day].add(story_key)
        for key in features.entity_keys:
            recent = self._recent_by_entity[key]
            recent.pop(story_key, None)
            recent[story_key] = None
            if len(recent) > _RECENT_PER_KEY:
                recent.popitem(last=False)

    def _remove(self, article_id: str) -> None:
        key = self._story_of.pop(article_id)
        story = self._stories[key]
        gone = story.members.pop(next(i for i, m in enumerate(story.members) if m.article_id == article_id))
        if gone.day is None:
            self._undated[key] -= 1
        elif all(m.day != gone.day for m in story.members):
            self._by_day[gone.day].discard(key)
        if not story.members:  # its key may stay in `_recent_by_entity`: `_candidates` skips it
            del self._stories[key]


# --- full rebuild --------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _average_linkage(
    scores: np.ndarray, groups: list[list[int]], blocked: np.ndarray, threshold: float
) -> list[list[int]]:
    """Merge groups while the best average pair score between two groups reaches the threshold.

    ``scores`` is indexed by the articles in ``groups``; ``blocked[a, b]`` keeps groups a and b apart.
    """
    k = len(groups)
    membership = np.zeros((k, len(scores)))
    for g, group in enumerate(groups):
        membership[g, group] = 1.0
    sums = membership @ scores @ membership.T  # sums[a, b]: total score of the pairs between groups a and b
    sizes = np.array([len(g) for g in groups], dtype=float)
    blocked = blocked | np.eye(k, dtype=bool)
    alive = np.ones(k, dtype=bool)
    members = [list(g) for g in groups]
    while True:
        avg = sums / np.outer(sizes, sizes)
        avg[blocked | ~alive[:, None] | ~alive[None, :]] = -np.inf
        flat = int(np.argmax(avg))
        a, b = divmod(flat, k)
        if avg[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        members[a] += members[b]
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        blocked[a, a] = True
        alive[b] = False
    return [members[i] for i in range(k) if alive[i]]


def cluster(
    features: Sequence[ArticleFeatures],
    *,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    pinned: Mapping[str, str] | None = None,
    merge: Iterable[tuple[str, str]] = (),
    split: Iterable[tuple[str, str]] = (),
) -> list[list[str]]:
    """Group articles into stories from scratch: average linkage, independent of input order.

    Average linkage only joins groups linked by a pair at or above the threshold, so only such pairs
    are looked for (:func:`~rashomon.story_blocks.linked_pairs`: pairs within the date window, scored
    in numpy) and each connected component of them is clustered on its own. The result is the one
    scoring all pairs gives, in time linear in the number of articles at a steady rate per day.

    Args:
        features: every article's features.
        scorer: the pair scorer; the bundled one by default.
        threshold: the lowest average score at which two groups merge; the scorer's by default.
        pinned: user decisions ``{article_id: story_key}``; articles pinned to one key always share a
            story, articles pinned to different keys never do.
        merge: article pairs a user put in one story.
        split: article pairs a user put in different stories.

    Returns:
        Stories as sorted lists of article ids, ordered by their first id.

    Raises:
        UsageError: the user decisions contradict each other.
    """
    scorer = scorer or _bundled_scorer()
    threshold = scorer.threshold if threshold is None else threshold
    ordered = sorted(features, key=lambda f: f.article_id)
    index = {f.article_id: i for i, f in enumerate(ordered)}
    n = len(ordered)
    pins = {index[a]: s for a, s in (pinned or {}).items() if a in index}
    must = _UnionFind(n)
    first_pinned: dict[str, int] = {}
    for i, story in sorted(pins.items()):
        must.union(first_pinned.setdefault(story, i), i)
    for a, b in merge:
        if a in index and b in index:
            must.union(index[a], index[b])
    cannot = [(index[a], index[b]) for a, b in split if a in index and b in index]
    pin_of_root: dict[int, int] = {}
    for i in sorted(pins):
        other = pin_of_root.setdefault(must.find(i), i)
        if pins[other] != pins[i]:
            cannot.append((other, i))
    for i, j in cannot:
        if must.find(i) == must.find(j):
            raise UsageError(f"{ordered[i].article_id} and {ordered[j].article_id} are both merged and split")

    arrays = FeatureArrays(ordered)
    components = _UnionFind(n)
    for i, j in linked_pairs(arrays, scorer, threshold):
        components.union(i, j)
    for i in range(n):
        components.union(i, must.find(i))
    by_component: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i in range(n):
        by_component[components.find(i)][must.find(i)].append(i)
    pin_code = {story: x for x, story in enumerate(sorted(set(pins.values())))}
    root_code = {must.find(i): pin_code[pins[i]] for i in pins}
    cannot_roots = {(must.find(i), must.find(j)) for i, j in cannot}
    out: list[list[str]] = []
    for groups in by_component.values():
        roots = list(groups)
        if len(roots) == 1:
            out.append(sorted(ordered[i].article_id for i in groups[roots[0]]))
            continue
        members = np.array([i for root in roots for i in groups[root]])
        local = {int(i): x for x, i in enumerate(members)}
        scores = score_block(arrays, members, members, scorer)
        pin_codes = np.array([root_code.get(r, -1) for r in roots])
        blocked = (pin_codes[:, None] != pin_codes[None, :]) & (pin_codes[:, None] >= 0) & (pin_codes[None, :] >= 0)
        position = {r: x for x, r in enumerate(roots)}
        for left, right in cannot_roots:
            if left in position and right in position:
                blocked[position[left], position[right]] = blocked[position[right], position[left]] = True
        merged = _average_linkage(scores, [[local[i] for i in groups[r]] for r in roots], blocked, threshold)
        out.extend(sorted(ordered[int(members[x])].article_id for x in group) for group in merged)
    return sorted(out)


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
    from .analyse import analyse

    features = []
    for i, (text, lang) in enumerate(((text1, lang1), (text2, lang2))):
        article = text_article(text, lang, article_id=f"text{i + 1}")
        features.append(features_from(article, analyse(article)))
    return same_event_score(features[0], features[1], scorer=scorer)


def text_article(text: str, language: str | None = None, *, article_id: str = "text") -> Article:
    """A bare text as an article with no title or dates (the language detected unless given)."""
    from .analyse.language import detect_language

    return Article(title="", text=text, language=language or detect_language(text), id=article_id)
