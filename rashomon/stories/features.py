"""What story clustering knows about one article, and the features of a pair of articles.

An article becomes :class:`ArticleFeatures`: title+lead embeddings from two cross-lingual models,
language-independent entity keys, the event date (:mod:`.dates`), mentioned dates and numbers, and
its rare words (:mod:`.terms`). :func:`pair_features` turns two of them into the scorer's inputs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from ..embeddings import MODELS, ModelName, article_embeddings
from ..models import Analysis, Article
from ..names import word_key
from .dates import EventTime, event_time, month_day, timeline_gap
from .terms import term_weights

__all__ = [
    "FEATURE_NAMES",
    "ArticleFeatures",
    "features_from",
    "features_from_many",
    "name_key",
    "pair_features",
    "shares_words",
]

FEATURE_NAMES: tuple[str, ...] = (
    "cos_e5",  # cosine of the e5 title+lead embeddings
    "cos_use",  # cosine of the USE title+lead embeddings
    "entities",  # shared entity keys, |A & B| / sqrt(|A| |B|)
    "numbers",  # shared numbers (years left out), same measure
    "years",  # shared years mentioned or resolved ("in 2008", "last year"), same measure
    "terms",  # cosine of the words weighted by rarity (rashomon.stories.terms); only for two texts in one language
    "dated",  # 1 when both event days are known (full, or year-less on either side)
    "same_day",  # 1 when both event days are the same day (a year-less day meets any year); 0 if unknown
    "event_gap",  # log1p(days between event days); 0 if unknown
)
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
    timeline: tuple[date, date] | None = None  # the first and last days of the event's timeline
    language: str | None = None
    embeddings: dict[str, np.ndarray] = field(default_factory=dict)
    entity_keys: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    terms: dict[str, float] = field(default_factory=dict)

    @property
    def time(self) -> EventTime:
        """The article's dates as :mod:`rashomon.stories.dates` compares them."""
        md = self.month_day if self.month_day is not None else month_day(self.event_date)
        first, last = self.timeline or (self.event_date, self.event_date)
        return EventTime(day=self.event_date, month_day=md, bound=self.published, first=first, last=last)

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
        timeline=(when.first, when.last) if when.first and when.last else None,
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


# --- pairs ---------------------------------------------------------------------------------------


def _set_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def shares_words(a: ArticleFeatures, b: ArticleFeatures) -> bool:
    """Whether two articles' words can be compared: both have terms, in one language.

    Two reports in different languages share only names and numbers, which other features already
    count; their pairs are scored by a model fitted without the word overlap.
    """
    return bool(a.terms) and bool(b.terms) and a.language == b.language


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
    if shares_words(a, b):
        small, large = sorted((a.terms, b.terms), key=len)
        out["terms"] = sum(w * large.get(k, 0.0) for k, w in small.items())
    gap = timeline_gap(a.time, b.time)
    out["dated"] = float(gap is not None)
    out["same_day"] = float(gap == 0)
    out["event_gap"] = math.log1p(gap or 0)
    return out
