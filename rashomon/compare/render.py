"""The story's parts of the compare JSON besides statements and quotes: entities, articles,
descriptors and the event date."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from .conflicts import _date_parts
from .facts import _Doc, _StoryEntity


def _entities_json(entities: dict[str, _StoryEntity], order: dict[str, int]) -> list[dict[str, Any]]:
    items = sorted(entities.values(), key=lambda e: (-len(e.articles), -sum(e.aliases.values()), e.id))
    return [
        {
            "id": e.id,
            "name": e.names.most_common(1)[0][0],
            "type": e.type if e.type in ("PER", "ORG", "LOC", "MISC") else "MISC",
            "aliases": [alias for alias, _n in e.aliases.most_common() if alias],
            "articles": sorted(e.articles, key=order.__getitem__),
        }
        for e in items
    ]


def _descriptors(docs: Sequence[_Doc]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for doc in docs:
        for d in doc.analysis.descriptors:
            entity = doc.ids.get(d.entity, f"{doc.article.id}:{d.entity}")
            text = " ".join(d.text.split())
            if text and (entity, doc.article.id, text.lower()) not in seen:
                seen.add((entity, doc.article.id, text.lower()))
                out.append({"entity": entity, "article": doc.article.id, "text": text})
    return out



def _event_date(values: Sequence[str | None]) -> str | None:
    """The day most articles give; ``--MM-DD`` unless some source states the year of that day."""
    days: Counter[str] = Counter()
    years: dict[str, Counter[str]] = defaultdict(Counter)
    coarse: Counter[str] = Counter()
    for value in values:
        if not value:
            continue
        year, month, day = _date_parts(value)
        if month and day:
            days[f"{month}-{day}"] += 1
            if year:
                years[f"{month}-{day}"][year] += 1
        else:
            coarse[value] += 1
    if days:
        best = max(days, key=lambda d: (days[d], sum(years[d].values())))
        return f"{years[best].most_common(1)[0][0]}-{best}" if years[best] else f"--{best}"
    return coarse.most_common(1)[0][0] if coarse else None
