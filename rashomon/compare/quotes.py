"""Quote groups: one saying quoted in several articles and languages, with the speaker its variants
agree on."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np

from ..analyse.quotes import names_organisation
from ..analyse.sentences import split_sentences
from ..models import Quote
from .facts import _WORD, _Doc, _fold, _StoryEntity

# Quotes of one speaker that are one saying: direct vs reported wording of the same words sits at
# 0.82-0.90, two different sayings of one speaker on one topic at 0.74-0.80.
QUOTE_THRESHOLD = 0.81



# Quotes attributed to two different resolved people are one saying only when closer than that:
# translations of one saying score 0.84-0.95, one speaker's two sayings on a topic 0.74-0.80, and
# a surname shared by two people ("Kowal said" of a man whose sister is quoted too) misattributes.
# Two quotes in one language need it too: a shared language lifts the cosine of different sayings
# to 0.80-0.82 (a mayor on a closed bridge / a doctor on postponed operations, both in Ukrainian),
# while one saying quoted twice in a language is near-verbatim (0.88 and up).
QUOTE_ANY_SPEAKER = 0.84



# A saying a source attributes to an organisation or outlet ("according to the channel «X»") joins
# one attributed to a person only when near-verbatim (one saying relayed): two reports of one meeting
# in one language, a channel's account and a politician's, score 0.85 and are not one saying.
QUOTE_OTHER_KIND = 0.90



# An outlet's vote for the speaker of a saying it relays, against a person's 1.0: the person it
# quotes speaks.
OUTLET_VOTE = 0.5



# Reported speech ("die Fahrer würden das Depot nicht verlassen") against the direct words it
# reports ("Nie opuścimy zajezdni") scores 0.78-0.81: third person, another mood. One official's
# two different reported statements on one affair score as much (0.80 on the dev stories).
# Grouped at this cosine only when both variants can name the same resolved person and the
# sentences carrying them are one shared statement (aligned as whole sentences: speaker, verb of
# saying, context) or both quotes give one figure: evidence the quoted words alone lack.
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
    *,
    statements: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Quotes grouped by what was said, across languages; then the speaker the variants agree on.

    ``vectors`` holds per quote the rows of its whole text and of its sentences; two quotes score the
    best cosine of any of them. ``statements`` (the comparison's) tell which quotes' sentences are
    aligned. Groups are formed by :func:`_said_clusters`; each group's speaker is the resolved person
    its variants vote for (an organisation votes for itself: a channel's report is not a person's saying).
    """
    speakers = [doc.ids.get(quote.speaker) if quote.speaker else None for doc, quote in quotes]
    outlets = [_organisation(doc, quote, entities.get(speakers[i] or "")) for i, (doc, quote) in enumerate(quotes)]

    def person(i: int) -> str | None:
        entity = entities.get(speakers[i] or "")
        return entity.id if entity and entity.resolved and entity.type == "PER" and not outlets[i] else None

    votes_of = [{outlet: OUTLET_VOTE} if (outlet := outlets[i])
                else _speaker_votes(person(i), quotes[i][1].speaker_text, entities) for i in range(len(quotes))]
    shared: dict[tuple[str, int], set[str]] = defaultdict(set)  # (article, sentence) -> shared statements
    for statement in statements:
        if len({c["article"] for c in statement["claims"]}) > 1:
            for claim in statement["claims"]:
                shared[(claim["article"], claim["sentence"])].add(statement["id"])
    context = [shared.get((doc.article.id, quote.sentence), set()) for doc, quote in quotes]
    kinds = ["organisation" if outlets[i] else "person" if (entities.get(speakers[i] or "") or _NONE).type == "PER"
             else None for i in range(len(quotes))]
    clusters = _said_clusters(quotes, vectors, [set(v) for v in votes_of], context, kinds)
    out: list[tuple[tuple[bool, int, str], dict[str, Any]]] = []
    for members in clusters:
        votes: dict[str, float] = defaultdict(float)
        for i in members:
            for candidate, weight in votes_of[i].items():
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
    quotes: Sequence[tuple[_Doc, Quote]],
    vectors: Sequence[np.ndarray],
    voices: list[set[str]],
    context: Sequence[set[str]],
    kinds: Sequence[str | None] = (),
) -> list[list[int]]:
    """Quotes linked by what they say, the closest pairs first, whatever order the articles come in.

    ``voices`` holds per quote the resolved people its speaker may be (a bare surname two people of the
    story bear names either; empty when unresolved or unnamed), ``context`` the shared statements
    its sentence is part of. Two groups join at a pair's cosine of :data:`QUOTE_THRESHOLD` when their
    speakers can be one person (an unresolved or unnamed one counts as agreeing: a spelling the
    resolver missed must not split a saying); at :data:`QUOTE_REPORTED` when one side is reported
    speech, both can name the same person and their sentences share a statement or the quotes a
    figure; at :data:`QUOTE_ANY_SPEAKER` when their speakers cannot be one person, the two quotes share
    a language or both give figures and share none; at :data:`QUOTE_OTHER_KIND` when one side names an
    organisation and the other a person (``kinds``). Two quotes of one article join only as
    pieces of one saying: each closest to another sentence of a variant from another article.
    """
    root = list(range(len(quotes)))
    article = [doc.article.id for doc, _q in quotes]
    language = [doc.article.language for doc, _q in quotes]
    figures = [_figures(doc, quote) for doc, quote in quotes]
    members = {i: [i] for i in range(len(quotes))}
    group_voices = [set(v) for v in voices]
    group_kinds = [{kinds[i]} - {None} if i < len(kinds) else set() for i in range(len(quotes))]

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
    for said, i, j in pairs:
        a, b = find(i), find(j)
        if a == b or said < QUOTE_REPORTED:
            continue
        shared = {article[k] for k in members[a]} & {article[k] for k in members[b]}
        if shared - {article[i], article[j]} or not (pieces(i, j, members[b]) and pieces(j, i, members[a])):
            continue
        both = group_voices[a] & group_voices[b]
        one_language = language[i] is not None and language[i] == language[j]
        agree = _same_figures(figures[i], figures[j])
        if {"person", "organisation"} <= group_kinds[a] | group_kinds[b]:
            need = QUOTE_OTHER_KIND
        elif (group_voices[a] and group_voices[b] and not both) or one_language or agree is False:
            need = QUOTE_ANY_SPEAKER
        elif (voices[i] & voices[j] and (context[i] & context[j] or agree)
              and not (quotes[i][1].direct and quotes[j][1].direct)):
            need = QUOTE_REPORTED
        else:
            need = QUOTE_THRESHOLD
        if said >= need:
            root[b] = a
            members[a] += members.pop(b)
            # the people the joined group's speaker can be: those both sides allow, else all of either
            group_voices[a] = both or group_voices[a] | group_voices[b]
            group_kinds[a] |= group_kinds[b]
    return list(members.values())



_NONE = _StoryEntity(id="", type="")



def _organisation(doc: _Doc, quote: Quote, entity: _StoryEntity | None) -> str | None:
    """The story entity (else the folded words) of a speaker that is an organisation or an outlet:
    tagged one, or named as one ("according to the channel «X»"), whatever the tagger typed its name."""
    if quote.speaker is None:
        return None
    said_by = quote.speaker_text or ""
    if (entity and entity.type in ("ORG", "MISC")) or names_organisation(said_by, doc.article.language):
        return entity.id if entity else f"outlet:{_fold(said_by)}"
    return None



def _figures(doc: _Doc, quote: Quote) -> list[float]:
    """The figures said in a quote ("72 години", "420 человек"), as analysis read them."""
    return [n.value for n in doc.analysis.numbers if quote.start <= n.start < quote.end]



def _same_figures(left: list[float], right: list[float]) -> bool | None:
    """Whether two quotes that both give figures share one (within 1%: rounding); None when either
    gives none. A shared figure is evidence of one saying; none shared, of two ("1,120 patients moved
    since Friday" / "260 on Sunday alone", one spokeswoman, both reported)."""
    if not left or not right:
        return None
    return any(abs(x - y) <= 0.01 * max(abs(x), abs(y)) for x in left for y in right)



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
