"""Who a pronoun or a role phrase refers to, within one article.

Deliberately simple and explainable: a pronoun goes to the most recent person mentioned before it
whose gender does not clash; a role phrase ("the former head of state") goes to the person the
article labels with an equivalent role, else to the speaker of the sentence just before, else to
the person first named in the closest sentence before that names one (usually its subject).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..models import Entity, Sentence
from .names import person_gender
from .wordlists import role_groups

_RECENT_SPEAKER_SPAN = 300  # characters: a role phrase this close after a quote's speaker means them


class References:
    """Entity mentions of one article, indexed for look-ups by position."""

    def __init__(self, entities: list[Entity], sentences: list[Sentence], language: str | None) -> None:
        self.language = language
        self.sentences = sentences
        self.entities = {e.key: e for e in entities}
        self.mentions = sorted((m.start, m.end, e.key) for e in entities for m in e.mentions)
        self.gender = {e.key: person_gender(e, language) for e in entities if e.type == "PER"}
        self.speakers: list[tuple[int, str]] = []  # (position, key) of resolved speakers, any order

    def at(self, start: int, end: int, *, overlapping: bool = False) -> list[tuple[int, int, str]]:
        """Mentions inside ``[start, end)``, or only touching it when ``overlapping`` (a name the window
        cuts, or one the tagger grew over a preposition: "Angaben der Organisation Wjasna")."""
        if overlapping:
            return [m for m in self.mentions if m[0] < end and m[1] > start]
        return [m for m in self.mentions if m[0] >= start and m[1] <= end]

    def type_of(self, key: str) -> str:
        return self.entities[key].type

    def pronoun(self, position: int, gender: str, *, skip: Iterable[tuple[int, int]] = ()) -> str | None:
        """The most recent person before ``position`` compatible with ``gender`` (M/F/P/-).

        First a person of the closest earlier sentence that names one, the first of them as a reader
        expects ("Moss denied it. “…,” she said."); else the nearest compatible person. Either way a
        person whose gender is known to match wins over one of unknown gender (often a place the
        tagger took for a person).
        """
        if gender == "P":
            return None
        blocked = list(skip)
        here = self._sentence_start(position)
        # "…, паведаміў губернатар X. Ён таксама паабяцаў …": the speaker just before goes on
        previous = self._sentence_start(here - 1) if here > 0 else here
        recent = [(p, k) for p, k in self.speakers if previous <= p < position and k in self.gender]
        if recent:
            last = max(recent)[1]
            if gender == "-" or self.gender[last] in ("-", gender):
                return last
        people = self._people_before(here)
        matching = [k for k in people if gender == "-" or self.gender[k] == gender]
        unknown_gender = [k for k in people if self.gender[k] == "-"]
        if matching or unknown_gender:
            return (matching or unknown_gender)[0]
        unknown = None
        for start, _end, key in reversed(self.mentions):
            if start >= position or key not in self.gender or any(a <= start < b for a, b in blocked):
                continue
            if gender == "-" or self.gender[key] == gender:
                return key
            if self.gender[key] == "-" and unknown is None:
                unknown = key
        return unknown

    def role(self, phrase: str, position: int, labels: dict[str, list[str]]) -> str | None:
        """The person a role phrase ("the former head of state") refers to.

        Args:
            phrase: the role phrase as written.
            position: where it occurs (only persons mentioned before count for the fallbacks).
            labels: descriptor texts attached to each entity key in this article.
        """
        lowered = phrase.lower()
        groups = [g for g in role_groups(self.language) if any(_contains(lowered, r) for r in g)]
        labelled = [
            key
            for key, texts in labels.items()
            if key in self.gender and any(_contains(t.lower(), r) for t in texts for g in groups for r in g)
        ]
        if labelled:
            return max(labelled, key=lambda k: (self._count(k, position), self._count(k, 10**9)))
        recent = [(p, k) for p, k in self.speakers if position - _RECENT_SPEAKER_SPAN <= p < position]
        if recent:
            return max(recent)[1]
        return self.subject_before(position)

    def subject_before(self, position: int) -> str | None:
        """The first person named in the closest sentence before ``position`` that names one."""
        people = self._people_before(position)
        return people[0] if people else None

    def _people_before(self, position: int) -> list[str]:
        """The persons, in text order, of the closest sentence before ``position`` that names one."""
        for sentence in reversed(self.sentences):
            if sentence.start >= position:
                continue
            people = [k for s, _e, k in self.mentions if sentence.start <= s < min(sentence.end, position)]
            people = [k for k in people if k in self.gender]
            if people:
                return people
        return []

    def _sentence_start(self, position: int) -> int:
        return max((s.start for s in self.sentences if s.start <= position), default=position)

    def _count(self, key: str, position: int) -> int:
        return sum(1 for s, _e, k in self.mentions if k == key and s < position)


@lru_cache(maxsize=4096)
def _role_pattern(role: str) -> re.Pattern[str]:
    parts = [re.escape(w[: max(3, len(w) - 1)]) + r"\w{0,3}" for w in role.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def _contains(text: str, role: str) -> bool:
    """Whether ``role`` occurs in ``text`` as words, each allowed a short case ending."""
    return _role_pattern(role).search(text) is not None
