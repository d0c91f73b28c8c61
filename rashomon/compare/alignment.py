"""Embedding and aligning statements across articles; a statement's status, note and details."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from ..embeddings import embed_texts  # cached per text in-process
from ..models import Quote
from ..sentence_vectors import stored_vectors, text_key
from ..store import Store
from .conflicts import (
    _close,
    _comparable,
    _group_conflicts,
    _masked_date_conflicts,
    _masked_number_conflicts,
    _merge_notes,
    _number,
    _related_number_conflicts,
)
from .facts import _WORD, _Claim, _fold, _masked, _mutual_best
from .quotes import _quote_sentences

Embedder = Callable[[list[str]], np.ndarray]



# Weight of e5 in the embedding score (USE gets the rest). On benchmarks/data/statement_pairs.tsv
# (same statement vs same event, other statement; en/ru/be/uk/pl/de) 0.9*e5 + 0.1*USE has a higher
# ROC AUC than e5 alone or the plain mean: figures in docs/models.md ("Score"), from
# benchmarks/calibrate_alignment.py.
E5_WEIGHT = 0.9



# Kept above that score's best-accuracy cut-off on the same pairs (docs/models.md, "Score"): the
# conflicting pairs are found by masked figures, and mutual-best matching needs the precision.
ALIGN_THRESHOLD = 0.825



# Added to the score of two sentences that name the same resolved entity: enough to tip a borderline
# paraphrase (scores 0.80-0.83) over the cut-off, too little to align unrelated sentences (<= 0.79).
ENTITY_SUPPORT = 0.02



# Added instead when a claim is an item of a list of people (rashomon/statements.py) and the other
# claim names that person: the item says little besides the name ("Pictured: … X"), so its
# cosine with "X was also in the picture" sits at 0.76-0.81, under paraphrases of whole sentences.
FOCUS_SUPPORT = 0.06



def default_embedder(texts: list[str]) -> np.ndarray:
    """e5 and USE vectors joined so that a dot product is ``E5_WEIGHT*e5 + (1-E5_WEIGHT)*USE`` cosine."""
    return _joined(embed_texts(texts, model="e5"), embed_texts(texts, model="use"))



def _joined(e5: np.ndarray, use: np.ndarray) -> np.ndarray:
    return np.hstack([e5 * np.float32(np.sqrt(E5_WEIGHT)), use * np.float32(np.sqrt(1 - E5_WEIGHT))])



def _stored_embedder(store: Store, article_ids: Sequence[str]) -> Embedder:
    """:func:`default_embedder` taking each text's vectors from those stored for these articles."""

    def embed(texts: list[str]) -> np.ndarray:
        found = stored_vectors(store, article_ids)
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            e5, use = embed_texts(missing, model="e5"), embed_texts(missing, model="use")
            found.update((text_key(t), {"e5": e5[i], "use": use[i]}) for i, t in enumerate(missing))
        return _joined(np.vstack([found[k]["e5"] for k in keys]), np.vstack([found[k]["use"] for k in keys]))

    return embed



def _texts(claims: Sequence[_Claim], quotes: Sequence[Quote]) -> list[str]:
    """Claims, then quotes, then claims with figures, masked, then the sentences of quotes of several
    sentences: the rows of the vectors compare embeds."""
    return ([c.text for c in claims] + [q.text for q in quotes] + [_masked(c) for c in claims if c.numbers or c.dates]
            + [p for q in quotes for p in _quote_sentences(q)])



def _statements(
    claims: list[_Claim], sims: np.ndarray, masked: np.ndarray, order: dict[str, int],
    names: dict[str, str], labels: dict[str, str], *, spellings: dict[str, frozenset[str]] | None = None,
) -> list[dict[str, Any]]:
    """Claims aligned into statements with their status and notes; ``names`` holds the resolved
    entities' names, ``spellings`` every entity's folded names and aliases (for the notes)."""
    by_article: dict[str, list[_Claim]] = defaultdict(list)
    named: dict[str, set[str]] = defaultdict(set)  # article -> entities named anywhere in it
    for claim in claims:
        by_article[claim.article].append(claim)
        named[claim.article].update(claim.entities)
    support = _support(claims, sims)

    group_of = {c.row: i for i, c in enumerate(claims)}
    groups: dict[int, list[_Claim]] = {i: [c] for i, c in enumerate(claims)}
    pairs = _mutual_best(by_article, support, ALIGN_THRESHOLD)
    for _score, a, b in sorted(pairs, key=lambda p: (-p[0], p[1].row, p[2].row)):
        ga, gb = group_of[a.row], group_of[b.row]
        if ga == gb or {c.article for c in groups[ga]} & {c.article for c in groups[gb]}:
            continue  # one sentence per article in a statement
        groups[ga].extend(groups.pop(gb))
        for c in groups[ga]:
            group_of[c.row] = ga

    notes = {g: _group_conflicts(members, sims, named, names) for g, members in groups.items()}
    extra: list[tuple[list[_Claim], list[str]]] = []
    related = _related_number_conflicts(by_article, sims, support, group_of)
    masked_found = [*_masked_number_conflicts(by_article, masked, group_of),
                    *_masked_date_conflicts(by_article, masked, support, group_of)]
    for a, b, note in [*related, *masked_found]:
        ga, gb = group_of[a.row], group_of[b.row]
        if ga == gb:
            continue
        if {c.article for c in groups[ga]} & {c.article for c in groups[gb]}:
            extra.append(([a, b], [note]))
            continue
        groups[ga].extend(groups.pop(gb))
        notes[ga] = _merge_notes([*notes[ga], *notes.pop(gb), note])
        for c in groups[ga]:
            group_of[c.row] = ga

    def place(members: list[_Claim]) -> tuple[int, int]:
        return min((order[c.article], c.sentence) for c in members)

    # (where it goes, claims, notes, status); a detail only one source gives follows its statement
    items: list[tuple[tuple[int, int, int], list[_Claim], list[str], str]] = []
    for g, members in groups.items():
        status = "conflict" if notes[g] else ("shared" if len({c.article for c in members}) > 1 else "unique")
        if status != "shared":
            items.append(((*place(members), 0), members, notes[g], status))
            continue
        details = _details(members, by_article, named, names, labels, spellings=spellings or {})
        items.append(((*place(members), 0), members, [note for _c, note, _f in details], status))
        items.extend(((*place(members), 1), [c], [f"only this source gives {figures}"], "unique")
                     for c, _n, figures in details if figures)
    items.extend(((*place(members), 0), members, found, "conflict") for members, found in extra)
    items.sort(key=lambda item: item[0])
    out = []
    for number, (_place, members, found, status) in enumerate(items, start=1):
        members = sorted(members, key=lambda c: (order[c.article], c.sentence))
        out.append({
            "id": f"s{number}",
            "status": status,
            "claims": [{"article": c.article, "sentence": c.sentence, "text": c.text} for c in members],
            "note": "; ".join(found) if found else None,
        })
    return out



def _details(
    members: list[_Claim], by_article: dict[str, list[_Claim]], named: dict[str, set[str]],
    names: dict[str, str], labels: dict[str, str], *, spellings: dict[str, frozenset[str]] | None = None,
) -> list[tuple[_Claim, str, str]]:
    """What one claim of a shared statement adds that the other articles never state.

    A figure with a unit that no other article of the statement gives anywhere ("four and a half
    hours" against "sat down with the prisoners"), and a resolved person or place they never name
    and their aligned sentences do not spell out either; never a word of a longer name (of another
    entity, or set in quotation marks: "Dawn" of «Voice of the Dawn») nor an outlet of the story.

    Returns:
        (claim, note for the shared statement, its figures or "") per claim adding something.
    """
    found = []
    outlets = [f" {_stems(_fold(label))} " for label in labels.values()]
    for claim in members:
        others = {c.article for c in members} - {claim.article}
        given = [n for a in others for c in by_article[a] for n in c.numbers]
        figures = [
            _number(n) for n in claim.numbers
            if n.unit and not any(_close(n, m) for m in given if _comparable(n, m))
        ]
        said_there = " ".join(_fold(c.text) for c in members if c.article != claim.article)
        people = [
            names[e] for e, kind in sorted(claim.entities.items())
            if kind in ("PER", "LOC") and e in names and not any(e in named[a] for a in others)
            and not _inside_names(e, claim, spellings or {}, said_there, outlets)
        ]
        extra = [*dict.fromkeys(figures), *dict.fromkeys(people)]
        if extra:
            note = f"only in {labels.get(claim.article, claim.article)}: {', '.join(extra)}"
            found.append((claim, note, ", ".join(dict.fromkeys(figures))))
    return found



# A name in quotation marks (a channel, a paper, a ship) has at most this many words.
_TITLE_WORDS = 6
# Letters of a word that survive its case ending ("Nasha Niva" / "Nashai Nivy"): 4 of 4-7-letter names.
_STEM_LETTERS = 4
_QUOTED = re.compile(r"[«„“\"»]([^«»„“”\"\n]{2,80})[»“”\"«]")



def _inside_names(
    entity: str, claim: _Claim, spellings: dict[str, frozenset[str]], said_there: str, outlets: Sequence[str]
) -> bool:
    """Whether an entity of a claim is no detail of its own: a word of a longer name in the claim
    (another entity's, or one set in quotation marks), spelled out in the other sources' aligned
    sentences (``said_there``, folded), or the whole name of an outlet of the story in any case
    (``outlets``, :func:`_stems`)."""
    own = spellings.get(entity, frozenset())
    longer = [f" {name} " for other in claim.entities if other != entity for name in spellings.get(other, ())]
    longer += [f" {_fold(m.group(1))} " for m in _QUOTED.finditer(claim.text)
               if len(_WORD.findall(m.group(1))) <= _TITLE_WORDS]
    there = f" {said_there} "
    # a bare surname another person of the story bears too ("Kowal") names neither on its own
    full = [name for name in own if len(name.split()) > 1] or [name for name in own if _WORD.search(name)]
    return any(
        f" {name} " in there
        or any(f" {name} " in text and f" {name} " != text for text in longer)
        or any(f" {_stems(name)} " == outlet for outlet in outlets)
        for name in full
    )



def _stems(folded: str) -> str:
    """The words' first letters, so that an outlet's name matches in another grammatical case."""
    return " ".join(word[:_STEM_LETTERS] for word in folded.split())



def _support(claims: list[_Claim], sims: np.ndarray) -> np.ndarray:
    """Cosine plus :data:`ENTITY_SUPPORT` where two claims name the same entity; -1 for a list item
    or a relative clause (:mod:`rashomon.statements`) against a claim that does not name the item's
    people or the clause's antecedent ("X, who fled to Y" is not "Z, who is in jail")."""
    support = sims.copy()
    for a, b in combinations(claims, 2):
        if a.article == b.article:
            continue
        if (a.about and not a.about & b.entities.keys()) or (b.about and not b.about & a.entities.keys()):
            support[a.row, b.row] = support[b.row, a.row] = -1.0
        elif (a.focus and not a.focus & b.entities.keys()) or (b.focus and not b.focus & a.entities.keys()):
            support[a.row, b.row] = support[b.row, a.row] = -1.0  # one listed person is not another
        elif (a.focus & b.entities.keys()) or (b.focus & a.entities.keys()):
            support[a.row, b.row] += FOCUS_SUPPORT
            support[b.row, a.row] += FOCUS_SUPPORT
        elif set(a.entities) & set(b.entities):
            support[a.row, b.row] += ENTITY_SUPPORT
            support[b.row, a.row] += ENTITY_SUPPORT
    return support
