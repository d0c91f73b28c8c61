"""Quote groups: one saying quoted in several articles and languages, with the speaker its variants
agree on."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from ..analyse.sentences import split_sentences
from ..models import Quote
from .facts import _WORD, _Doc, _fold, _StoryEntity

# Quotes of one speaker that are one saying: direct vs reported wording of the same words sits at
# 0.82-0.90, two different sayings of one speaker on one topic at 0.74-0.80.
QUOTE_THRESHOLD = 0.81



# Quotes attributed to two different resolved people are one saying only when closer than that:
# translations of one saying score 0.84-0.95, one speaker's two sayings on a topic 0.74-0.80, and
# a surname shared by two people ("Kowal said" of a man whose sister is quoted too) misattributes.
QUOTE_ANY_SPEAKER = 0.84



# Reported speech ("die Fahrer würden das Depot nicht verlassen") against the direct words it
# reports ("Nie opuścimy zajezdni") scores 0.78-0.81: third person, another mood. Grouped at this
# cosine only when both variants name the same resolved person.
QUOTE_REPORTED = 0.795






# A sentence of a quote shorter than this says too little to join a saying on its own ("Nein.").
MIN_QUOTE_SENTENCE_WORDS = 4



def _quote_sentences(quote: Quote) -> list[str]:
    """The sentences of a quote of several sentences: one source quotes a saying whole, another only
    one of its sentences ("We will not give up." / "не намерены сдаваться")."""
    parts = [s.text for s in split_sentences(quote.text, None)]
    if len(parts) < 2:
        return []
    return [p for p in parts if len(_WORD.findall(p)) >= MIN_QUOTE_SENTENCE_WORDS]



def _said_vectors(quotes: Sequence[Quote], vectors: np.ndarray, first: int, pieces: int) -> list[np.ndarray]:
    """Per quote, the rows of what it says: its whole text, then each of its sentences
    (rows ``first + i`` and, from ``pieces`` on, :func:`_quote_sentences` in quote order)."""
    out = []
    for i, quote in enumerate(quotes):
        count = len(_quote_sentences(quote))
        out.append(np.vstack([vectors[first + i: first + i + 1], vectors[pieces: pieces + count]]))
        pieces += count
    return out



def _quote_groups(
    quotes: Sequence[tuple[_Doc, Quote]],
    vectors: Sequence[np.ndarray],
    entities: dict[str, _StoryEntity],
    order: dict[str, int],
) -> list[dict[str, Any]]:
    """Quotes grouped by what was said, across languages; then the speaker the variants agree on.

    ``vectors`` holds per quote the rows of its whole text and of its sentences; two quotes score the
    best cosine of any of them. Groups are formed by :func:`_said_clusters`; each group's speaker is
    the resolved person its variants vote for.
    """
    speakers = [doc.ids.get(quote.speaker) if quote.speaker else None for doc, quote in quotes]

    def person(i: int) -> str | None:
        entity = entities.get(speakers[i] or "")
        return entity.id if entity and entity.resolved and entity.type == "PER" else None

    clusters = _said_clusters(quotes, vectors, person)
    out: list[tuple[tuple[bool, int, str], dict[str, Any]]] = []
    for members in clusters:
        votes: dict[str, float] = defaultdict(float)
        for i in members:
            for candidate, weight in _speaker_votes(person(i), quotes[i][1].speaker_text, entities).items():
                votes[candidate] += weight
        speaker = min(votes, key=lambda e: (-votes[e], e)) if votes else None
        if speaker is None:  # no resolved person: the local speaker most variants name
            local = Counter(speakers[i] for i in members if speakers[i] in entities
                            and entities[speakers[i] or ""].type == "PER")
            speaker = local.most_common(1)[0][0] if local else None
        entity = entities.get(speaker) if speaker else None
        said_by = Counter(quotes[i][1].speaker_text for i in members
                          if quotes[i][1].speaker_text and speakers[i] == speaker)
        name = (entity.names.most_common(1)[0][0] if entity
                else said_by.most_common(1)[0][0] if said_by else "unnamed speaker")
        members.sort(key=lambda i: order[quotes[i][0].article.id])
        variants = [
            {"article": quotes[i][0].article.id, "text": " ".join(quotes[i][1].text.split()),
             "direct": bool(quotes[i][1].direct)}
            for i in members
        ]
        spread = len({quotes[i][0].article.id for i in members})
        out.append(((speaker is None, -spread, name or ""), {"speaker": speaker, "speaker_name": name,
                                                       "variants": variants}))
    return [group for _key, group in sorted(out, key=lambda item: item[0])]



def _said_clusters(
    quotes: Sequence[tuple[_Doc, Quote]], vectors: Sequence[np.ndarray], person: Callable[[int], str | None]
) -> list[list[int]]:
    """Quotes linked by what they say, the closest pairs first, whatever order the articles come in.

    Two groups join at a pair's cosine of :data:`QUOTE_THRESHOLD` when their resolved speakers do not
    differ (an unresolved or unnamed one counts as agreeing: a spelling the resolver missed must not
    split a saying); at :data:`QUOTE_REPORTED` when one side is reported speech and both name the same
    person; at :data:`QUOTE_ANY_SPEAKER` when their speakers differ. Two quotes of one article join
    only as pieces of one saying: each closest to another sentence of a variant from another article.
    """
    root = list(range(len(quotes)))
    article = [doc.article.id for doc, _q in quotes]
    members = {i: [i] for i in range(len(quotes))}
    voices = [{person(i)} - {None} for i in range(len(quotes))]

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def best_row(i: int, j: int) -> int:
        """The row of quote ``j`` (its whole text or one of its sentences) closest to quote ``i``."""
        return int((vectors[i] @ vectors[j].T).max(axis=0).argmax())

    def pieces(i: int, j: int, group: list[int]) -> bool:
        """``i`` and its article's quotes in ``j``'s group match different sentences of ``j``."""
        mates = [k for k in group if article[k] == article[i]]
        return all(best_row(k, j) != best_row(i, j) for k in mates)

    pairs = sorted(((float((vectors[i] @ vectors[j].T).max()), i, j) for i, j in combinations(range(len(quotes)), 2)
                    if article[i] != article[j]), key=lambda p: (-p[0], p[1], p[2]))
    for score, i, j in pairs:
        a, b = find(i), find(j)
        if a == b or score < QUOTE_REPORTED:
            continue
        shared = {article[k] for k in members[a]} & {article[k] for k in members[b]}
        if shared - {article[i], article[j]} or not (pieces(i, j, members[b]) and pieces(j, i, members[a])):
            continue
        if len(voices[a] | voices[b]) > 1:
            need = QUOTE_ANY_SPEAKER
        elif person(i) is not None and person(i) == person(j) and not (quotes[i][1].direct and quotes[j][1].direct):
            need = QUOTE_REPORTED
        else:
            need = QUOTE_THRESHOLD
        if score >= need:
            root[b] = a
            members[a] += members.pop(b)
            voices[a] |= voices[b]
    return list(members.values())



def _speaker_votes(speaker: str | None, said_by: str | None, entities: dict[str, _StoryEntity]) -> dict[str, float]:
    """One variant's vote for its speaker; a bare surname that several people of the story bear
    ("Kowal said", the driver and his sister) is shared among them."""
    if speaker is None:
        return {}
    words = _fold(said_by or "").split()
    if len(words) != 1:
        return {speaker: 1.0}
    bearers = [e.id for e in entities.values() if e.resolved and e.type == "PER"
               and any(words[0] in _fold(name).split() for name in e.names)]
    if speaker not in bearers:
        return {speaker: 1.0}
    return {e: 1.0 / len(bearers) for e in bearers}
