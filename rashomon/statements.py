"""Cut a sentence into the statements it makes, for :mod:`rashomon.compare`.

A long sentence often joins several facts ("the ferry ran for six hours on Monday, but no tickets
were sold"); aligned whole, one fact hides the other. A sentence is cut:

* at clause boundaries: a contrast or a semicolon (``split`` markers), a dash before a clause with a
  verb of its own (``aside``), a relative clause or an apposition after a person's name (``relative``/
  ``apposition``: the clause becomes its own statement that keeps the name it is about — "X, who fled
  to Y" — and, when it is parenthetical, the main clause is rejoined around it with " … ");
* at the items of a list of people ("The picture shows A, B and C"): each item becomes a statement that
  keeps the list's head ("The picture shows … C"), with the item as its *focus*, so it aligns only with
  a sentence naming that person.

Every statement must read as one: a second predicate sharing the first one's subject ("..., but
declined to comment"), a dash before a phrase without a verb, a relative clause after anything but
a person's name stay in the main clause.

The markers are data, per language: ``rashomon/data/compare/clauses.tsv``. Every piece keeps its
offsets in the sentence, so a claim still points at its sentence and carries only the entities,
figures and dates inside its own text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .data import data_rows
from .names import morph_analyser

__all__ = ["MIN_CLAUSE_WORDS", "MIN_SPLIT_WORDS", "Clause", "clauses"]

# A shorter sentence is one statement (lists of people aside): "Two workers died and seven were
# injured" (7 words) is one report, and cutting short sentences made fragments that align with anything.
MIN_SPLIT_WORDS = 12
# Each side of a cut keeps at least this many words ("but declined to comment" is 4), else no cut.
MIN_CLAUSE_WORDS = 4
# The head of a list of people ("The photo shows", "Others included") must say something.
MIN_HEAD_WORDS = 2

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_JOIN = " … "
# A list item may start with a conjunction: "and the analyst X", "и Y", "oraz Z".
_LEADING_AND = re.compile(r"^(?:and|or|и|или|і|ці|та|й|i|oraz|lub|und|oder)\s+", re.IGNORECASE)

Span = tuple[int, int]


@dataclass(slots=True, frozen=True)
class Clause:
    """One statement of a sentence: its text and the sentence offsets it is made of."""

    text: str
    spans: tuple[Span, ...]
    focus: tuple[Span, ...] = ()  # a list item: the span naming the item's people
    about: tuple[Span, ...] = ()  # a relative clause or apposition: the name it is about

    def covers(self, start: int) -> bool:
        """True when a sentence offset falls inside this clause."""
        return any(a <= start < b for a, b in self.spans)

    def in_focus(self, start: int) -> bool:
        """True when a sentence offset falls inside the clause's focus."""
        return any(a <= start < b for a, b in self.focus)

    def is_about(self, start: int) -> bool:
        """True when a sentence offset falls inside the name a relative clause is about."""
        return any(a <= start < b for a, b in self.about)


@lru_cache(maxsize=1)
def _markers() -> dict[str, list[tuple[str, str]]]:
    """language -> [(kind, marker)], longest marker first; ``"*"`` holds the markers of every language."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for language, kind, marker in data_rows("compare", "clauses.tsv"):
        found[language].append((kind, marker.replace("⎵", " ")))
    return {k: sorted(v, key=lambda km: -len(km[1])) for k, v in found.items()}


@lru_cache(maxsize=1)
def _verb_words() -> dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]]]:
    """(language, kind) -> (words, endings) of the ``predicate`` and ``particle`` rows."""
    found: dict[tuple[str, str], tuple[set[str], list[str]]] = defaultdict(lambda: (set(), []))
    for language, kind, word in data_rows("compare", "clauses.tsv"):
        if kind in ("predicate", "particle"):
            words, endings = found[(language, kind)]
            if word.startswith("*"):
                endings.append(word[1:])
            else:
                words.add(word)
    return {k: (frozenset(w), tuple(e)) for k, (w, e) in found.items()}


def _listed(word: str, language: str, kind: str) -> bool:
    words, endings = _verb_words().get((language, kind), (frozenset(), ()))
    # an ending needs a stem of two letters before it: "*ed" is not "led", "*ła" not "ła"
    return word in words or any(word.endswith(e) and len(word) >= len(e) + 2 for e in endings)


# pymorphy3 parts of speech of a predicate: a finite verb, a short participle ("задержан"), an infinitive
_MORPH_VERBS = frozenset({"VERB", "PRTS", "INFN"})


@lru_cache(maxsize=65536)
def _is_verb(word: str, language: str) -> bool:
    """A verb form by clauses.tsv, or by pymorphy3's most likely reading (Russian, Ukrainian)."""
    if _listed(word, language, "predicate"):
        return True
    morph = morph_analyser(language) if language in ("ru", "uk") else None
    return morph is not None and str(morph.parse(word)[0].tag.POS) in _MORPH_VERBS


def _shares_subject(piece: str, language: str) -> bool:
    """True when ``piece`` (the text after a cut) opens with a predicate, not a subject of its own:
    "declined to comment", "nie podał szczegółów", "aber lehnte ab"."""
    words = _WORD.findall(piece)
    if not words or not words[0][:1].islower():
        return False  # a name, a figure or a capitalised noun opens it
    for word in words[:3]:
        if not _listed(word, language, "particle"):
            return _is_verb(word, language)
    return True  # particles only


def _has_verb(piece: str, language: str) -> bool:
    """True when ``piece`` holds a verb form: a clause, not a phrase set off by a dash."""
    return any(word[:1].islower() and _is_verb(word, language) for word in _WORD.findall(piece))


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _show(text: str, spans: Sequence[Span]) -> str:
    parts = [" ".join(text[a:b].split()).strip(" ,;:–—-") for a, b in spans]
    return _JOIN.join(p for p in parts if p)


def _trim(text: str, start: int, end: int) -> Span:
    """The span without surrounding spaces and dangling commas."""
    while start < end and text[start] in " ,;":
        start += 1
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return start, end


def clauses(text: str, language: str | None, *, people: Sequence[Span] = ()) -> list[Clause]:
    """The statements of one sentence.

    Args:
        text: the sentence.
        language: ISO 639-1 code choosing the clause markers; ``None`` uses only the shared ones.
        people: spans of person-name mentions in ``text`` (for relative clauses, appositions and lists
            of people).

    Returns:
        At least one clause; the whole sentence when it is short or has no usable boundary.
    """
    whole = Clause(text=" ".join(text.split()), spans=((0, len(text)),))
    if _words(text) < MIN_SPLIT_WORDS:  # short, but maybe a list: "The photo shows A, B, C."
        return _items(text, (0, len(text)), people) or [whole]
    markers = _markers()
    base = (language or "").split("-")[0]
    kinds = markers.get("*", []) + markers.get(base, [])
    split = [(m, k == "aside") for k, m in kinds if k in ("split", "aside")]
    out: list[Clause] = []
    for start, end in _split(text, (0, len(text)), split, base):
        items = _items(text, (start, end), people)
        if items:
            out.extend(items)
        else:
            out.extend(_relative(text, (start, end), kinds, people))
    if len(out) < 2:
        return [whole]
    # the clause after a contrast opens like a sentence: "The details were not given.", not "the details …"
    return [replace(c, text=c.text[:1].upper() + c.text[1:]) if c.spans[0][0] > 0 else c for c in out]


def _split(text: str, span: Span, markers: Sequence[tuple[str, bool]], language: str) -> list[Span]:
    """Cut a span at every ``split``/``aside`` marker (``True``: an aside) that leaves at least
    MIN_CLAUSE_WORDS on each side and a clause with its own subject after it."""
    start, end = span
    cuts = sorted((m.start(), m.end(), aside) for marker, aside in markers
                  for m in re.finditer(re.escape(marker), text[start:end]))
    pieces: list[Span] = []
    left = start
    for a, b, aside in cuts:
        a, b = a + start, b + start
        if a < left or _joins_names(text, a, b):
            continue
        after = text[b:end]
        if _shares_subject(after, language) or (aside and not _has_verb(after, language)):
            continue
        if _words(text[left:a]) >= MIN_CLAUSE_WORDS and _words(text[b:end]) >= MIN_CLAUSE_WORDS:
            pieces.append(_trim(text, left, a))
            left = b
    pieces.append(_trim(text, left, end))
    return pieces


_NAME_BEFORE = re.compile(r"[A-ZА-ЯЁІЎЄЇҐĄĆĘŁŃÓŚŹŻÄÖÜ][\w'’.-]*$")
_NAME_AFTER = re.compile(r"^[A-ZА-ЯЁІЎЄЇҐĄĆĘŁŃÓŚŹŻÄÖÜ0-9]")


def _joins_names(text: str, a: int, b: int) -> bool:
    """A dash between two capitalised words is a route or a pair ("Przemyśl – Szczecin"), not a clause break."""
    return "," not in text[a:b] and ";" not in text[a:b] and bool(
        _NAME_BEFORE.search(text[:a]) and _NAME_AFTER.match(text[b:]))


def _antecedent(text: str, at: int, names: Sequence[Span]) -> int | None:
    """The start of the person's name ending at ``at`` (closing quotes or brackets aside), if any."""
    bare = len(text[:at].rstrip("\"'»”“)]"))
    return next((a for a, b in names if bare <= b <= at and a < bare), None)


def _relative(text: str, span: Span, kinds: Sequence[tuple[str, str]], people: Sequence[Span]) -> list[Clause]:
    """A main clause and the first relative clause or apposition in it after a person's name, the
    clause keeping that name ("Anna Kowal, who runs the shelter"). After any other word it stays in
    its sentence: "the bridge, which …" has no subject of its own, and a place name before the
    pronoun is often not what it is about ("kierowcy z Łotwy, którzy …")."""
    start, end = span
    for kind, marker in kinds:
        if kind not in ("relative", "apposition"):
            continue
        for m in re.finditer(re.escape(marker), text[start:end]):
            at = start + m.start()
            name = _antecedent(text, at, people)
            if name is None or name < start:
                continue
            inner = at + 2  # after ", "
            close = text.find(", ", inner, end)
            main: tuple[Span, ...]
            if close != -1 and _words(text[close:end]) >= MIN_CLAUSE_WORDS:
                main = (_trim(text, start, at), _trim(text, close + 2, end))
                sub = _trim(text, inner, close)
            else:
                main, sub = (_trim(text, start, at),), _trim(text, inner, end)
            # a parenthetical clause may follow a one-word subject ("Cisa, która …, podniosła się"):
            # the main clause rejoined around it must say something, not the words before it alone
            if _words(text[sub[0] : sub[1]]) < MIN_CLAUSE_WORDS or _words(_show(text, main)) < MIN_CLAUSE_WORDS:
                continue
            whole = (name, sub[1])
            return [Clause(_show(text, main), main), Clause(_show(text, [whole]), (whole,), about=((name, at),))]
    return [Clause(_show(text, [span]), (span,))]


def _items(text: str, span: Span, people: Sequence[Span]) -> list[Clause]:
    """One clause per item of a list of people ending the span, each with the list's head."""
    start, end = span
    body_end = end
    while body_end > start and text[body_end - 1] in ".!?…\"»”' ":
        body_end -= 1
    bounds: list[Span] = []
    left = start
    for m in re.finditer(r", ", text[start:body_end]):
        bounds.append((left, start + m.start()))
        left = start + m.end()
    bounds.append((left, body_end))

    def ends_with_person(piece: Span) -> Span | None:
        inside = [p for p in people if piece[0] <= p[0] and p[1] <= piece[1]]
        if inside and inside[-1][1] == piece[1]:
            return inside[-1]
        return None

    first = next((i for i, b in enumerate(bounds) if ends_with_person(b)), None)
    if first is None:
        return []
    lead = bounds[first]
    names_in_lead = [p for p in people if lead[0] <= p[0] and p[1] <= lead[1]]
    head = (start, names_in_lead[0][0])
    if _words(text[head[0] : head[1]]) < MIN_HEAD_WORDS:
        return []
    items: list[list[Span]] = [[(names_in_lead[0][0], lead[1])]]
    for piece in bounds[first + 1 :]:
        if ends_with_person(piece):
            items.append([piece])
        elif text[piece[0] : piece[0] + 1].islower():
            items[-1].append(piece)  # an apposition: "X, a lawyer who ..."
        else:
            return []
    if len(items) < 2:
        return []
    out = []
    for number, pieces in enumerate(items):
        name_start = pieces[0][0]
        match = _LEADING_AND.match(text[name_start : pieces[0][1]])
        if match:
            name_start += match.end()
        item = (name_start, pieces[-1][1] if len(pieces) > 1 else pieces[0][1])
        focus = (name_start, pieces[0][1])
        spans = (_trim(text, head[0], item[1]),) if number == 0 else (_trim(text, *head), item)
        out.append(Clause(_show(text, spans), spans, focus=(focus,)))
    return out
