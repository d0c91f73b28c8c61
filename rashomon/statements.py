"""Cut a sentence into the statements it makes, for :mod:`rashomon.compare`.

A long sentence often joins several facts ("the ferry ran for six hours on Monday, but no tickets
were sold"); aligned whole, one fact hides the other. A sentence is cut:

* at clause boundaries: a contrast or a semicolon/dash (``split`` markers), a relative clause or an
  apposition after a name (``relative``/``apposition``: the clause becomes its own statement and, when
  it is parenthetical, the main clause is rejoined around it with " … ");
* at the items of a list of people ("The picture shows A, B and C"): each item becomes a statement that
  keeps the list's head ("The picture shows … C"), with the item as its *focus*, so it aligns only with
  a sentence naming that person.

The markers are data, per language: ``rashomon/data/compare/clauses.tsv``. Every piece keeps its
offsets in the sentence, so a claim still points at its sentence and carries only the entities,
figures and dates inside its own text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .data import data_rows

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

    def covers(self, start: int) -> bool:
        """True when a sentence offset falls inside this clause."""
        return any(a <= start < b for a, b in self.spans)

    def in_focus(self, start: int) -> bool:
        """True when a sentence offset falls inside the clause's focus."""
        return any(a <= start < b for a, b in self.focus)


@lru_cache(maxsize=1)
def _markers() -> dict[str, list[tuple[str, str]]]:
    """language -> [(kind, marker)], longest marker first; ``"*"`` holds the markers of every language."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for language, kind, marker in data_rows("compare", "clauses.tsv"):
        found[language].append((kind, marker.replace("⎵", " ")))
    return {k: sorted(v, key=lambda km: -len(km[1])) for k, v in found.items()}


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
        people: spans of person-name mentions in ``text`` (for appositions and lists of people).

    Returns:
        At least one clause; the whole sentence when it is short or has no usable boundary.
    """
    whole = Clause(text=" ".join(text.split()), spans=((0, len(text)),))
    if _words(text) < MIN_SPLIT_WORDS:  # short, but maybe a list: "The photo shows A, B, C."
        return _items(text, (0, len(text)), people) or [whole]
    markers = _markers()
    base = (language or "").split("-")[0]
    kinds = markers.get("*", []) + markers.get(base, [])
    split = [m for k, m in kinds if k == "split"]
    out: list[Clause] = []
    for start, end in _split(text, (0, len(text)), split):
        items = _items(text, (start, end), people)
        if items:
            out.extend(items)
        else:
            out.extend(_relative(text, (start, end), kinds, people))
    return out if len(out) > 1 else [whole]


def _split(text: str, span: Span, markers: Sequence[str]) -> list[Span]:
    """Cut a span at every ``split`` marker that leaves at least MIN_CLAUSE_WORDS on each side."""
    start, end = span
    cuts = sorted((m.start(), m.end()) for marker in markers for m in re.finditer(re.escape(marker), text[start:end]))
    pieces: list[Span] = []
    left = start
    for a, b in cuts:
        a, b = a + start, b + start
        if a < left or _joins_names(text, a, b):
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


def _relative(text: str, span: Span, kinds: Sequence[tuple[str, str]], people: Sequence[Span]) -> list[Clause]:
    """A main clause and the first relative clause or apposition in it that stands on its own."""
    start, end = span
    for kind, marker in kinds:
        if kind not in ("relative", "apposition"):
            continue
        for m in re.finditer(re.escape(marker), text[start:end]):
            at = start + m.start()
            if kind == "apposition" and not any(b == at for _a, b in people):
                continue  # "X, a banker": only after a person's name
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
            return [Clause(_show(text, main), main), Clause(_show(text, [sub]), (sub,))]
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
