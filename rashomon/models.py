"""Plain data passed between pipeline stages.

Every span (``start``/``end``) is a character offset into ``Article.text``, the clean body text, so
the comparison and the UI can point at the exact words.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC", "MISC"]


@dataclass(slots=True)
class Article:
    """One news article as ingested: clean text plus page metadata (no analysis yet)."""

    title: str
    text: str
    source: str | None = None
    language: str | None = None
    published: str | None = None
    updated: str | None = None
    url: str | None = None
    path: str | None = None
    author: str | None = None
    photo_credits: list[str] = field(default_factory=list)
    format: str = "txt"
    encoding: str | None = None
    id: str = ""
    added_at: str | None = None

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        """The article as in ``contract/article.schema.json``."""
        data = asdict(self)
        if not with_text:
            data.pop("text")
        return data


@dataclass(slots=True)
class Sentence:
    """A sentence of the clean text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """One occurrence of an entity in the text."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    """A named entity within one article, with all its mentions (``key`` is local to the article)."""

    key: str
    type: EntityType
    name: str
    mentions: list[Mention] = field(default_factory=list)
    global_id: str | None = None


@dataclass(slots=True)
class Quote:
    """A direct quotation or a piece of reported speech, with its speaker where resolvable."""

    text: str
    start: int
    end: int
    sentence: int
    direct: bool
    speaker: str | None = None  # Entity.key within the article
    speaker_text: str | None = None  # the words that name the speaker ("he", "the former head of state")


@dataclass(slots=True)
class Descriptor:
    """A label a source attaches to an entity ("strongman", "self-proclaimed President")."""

    entity: str  # Entity.key
    text: str
    start: int
    end: int
    sentence: int


@dataclass(slots=True)
class DateMention:
    """A date expression normalised against the article's reference date.

    ``value`` is ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``--MM-DD`` when no year is known.
    """

    text: str
    start: int
    end: int
    sentence: int
    value: str
    uncertain: bool = False
    relative: bool = False


@dataclass(slots=True)
class NumberMention:
    """A number or quantity with a normalised unit ("four and a half hours" -> 4.5 h)."""

    text: str
    start: int
    end: int
    sentence: int
    value: float
    unit: str | None = None
    approximate: bool = False


@dataclass(slots=True)
class Analysis:
    """Everything per-article analysis finds in one article."""

    article_id: str
    version: str
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    descriptors: list[Descriptor] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    event_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the analysis."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        """Rebuild an analysis stored with :meth:`to_json`."""
        return cls(
            article_id=data["article_id"],
            version=data["version"],
            sentences=[Sentence(**s) for s in data.get("sentences", [])],
            entities=[
                Entity(
                    key=e["key"],
                    type=e["type"],
                    name=e["name"],
                    mentions=[Mention(**m) for m in e.get("mentions", [])],
                    global_id=e.get("global_id"),
                )
                for e in data.get("entities", [])
            ],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            descriptors=[Descriptor(**d) for d in data.get("descriptors", [])],
            dates=[DateMention(**d) for d in data.get("dates", [])],
            numbers=[NumberMention(**n) for n in data.get("numbers", [])],
            event_date=data.get("event_date"),
        )


@dataclass(slots=True)
class Story:
    """A real-world event and the articles that report it."""

    id: str
    title: str
    event_date: str | None
    article_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
