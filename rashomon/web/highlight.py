"""Article text as HTML with sentences, quotes, entity mentions and dates marked, from analysis offsets.

The text is untrusted: every character of it goes through :func:`markupsafe.escape`; only the tags
built here are markup. Spans are laid out in layers (sentence > quote > entity/date); within a layer
overlapping spans are dropped, and a span crossing an outer one is cut at its edge so tags nest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..models import Analysis


@dataclass(frozen=True, slots=True)
class Span:
    """A marked range of the text and the opening tag that marks it."""

    start: int
    end: int
    open: Markup
    close: Markup


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Spans sorted by start, dropping any that overlaps one already kept (longer ones win ties)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.end <= span.start:
            continue
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _render(text: str, start: int, end: int, layers: list[list[Span]]) -> str:
    if not layers:
        return str(escape(text[start:end]))
    layer, rest = layers[0], layers[1:]
    out: list[str] = []
    pos = start
    for span in layer:
        s, e = max(span.start, start), min(span.end, end)
        if e <= s:
            continue
        if s > pos:
            out.append(_render(text, pos, s, rest))
        out.append(str(span.open) + _render(text, s, e, rest) + str(span.close))
        pos = e
    if pos < end:
        out.append(_render(text, pos, end, rest))
    return "".join(out)


def highlight(
    text: str, analysis: Analysis | None, *, entity_url: Callable[[str], str | None] | None = None
) -> Markup:
    """The article text as HTML with its analysis marked.

    Args:
        text: the article's clean text (untrusted).
        analysis: its stored analysis; plain escaped text when ``None``.
        entity_url: maps an article-local entity key to the page of its global entity, if any.

    Returns:
        Safe markup: ``<span class="sentence" id="s3">``, ``<q class="hl-quote">``,
        ``<a|span class="hl-entity">`` and ``<time class="hl-date">`` inside escaped text.
    """
    if analysis is None:
        return Markup(escape(text))
    size = len(text)

    def clip(start: int, end: int) -> tuple[int, int]:
        return max(0, min(start, size)), max(0, min(end, size))

    sentences = [
        Span(*clip(s.start, s.end), Markup('<span class="sentence" id="s{}">').format(s.index),
             Markup("</span>"))
        for s in analysis.sentences
    ]
    quotes = [
        Span(*clip(q.start, q.end),
             Markup('<span class="hl hl-quote{}" title="{}">').format(
                 "" if q.direct else " hl-reported",
                 ("Direct quote" if q.direct else "Reported speech")
                 + (f" — {q.speaker_text}" if q.speaker_text else ""),
             ),
             Markup("</span>"))
        for q in analysis.quotes
    ]
    inline: list[Span] = []
    for entity in analysis.entities:
        url = entity_url(entity.key) if entity_url else None
        label = f"{entity.name} ({entity.type})"
        for mention in entity.mentions:
            if url:
                opening = Markup('<a class="hl hl-entity hl-{}" href="{}" title="{}">').format(
                    entity.type.lower(), url, label)
                closing = Markup("</a>")
            else:
                opening = Markup('<span class="hl hl-entity hl-{}" title="{}">').format(
                    entity.type.lower(), label)
                closing = Markup("</span>")
            inline.append(Span(*clip(mention.start, mention.end), opening, closing))
    for date in analysis.dates:
        note = f"{date.value}" + (" (uncertain)" if date.uncertain else "")
        if date.value.startswith("--"):  # no year: not a valid <time datetime>
            opening, closing = Markup('<span class="hl hl-date" title="{}">').format(note), Markup("</span>")
        else:
            opening = Markup('<time class="hl hl-date" datetime="{}" title="{}">').format(date.value, note)
            closing = Markup("</time>")
        inline.append(Span(*clip(date.start, date.end), opening, closing))
    layers = [_non_overlapping(sentences), _non_overlapping(quotes), _non_overlapping(inline)]
    return Markup(_render(text, 0, size, layers))


def sentence_context(analysis: Analysis, text: str, index: int, *, around: int = 1) -> dict[str, object]:
    """A sentence with up to ``around`` sentences either side, for the "in context" view."""
    by_index = {s.index: s for s in analysis.sentences}
    if index not in by_index:
        return {"before": [], "sentence": None, "after": []}
    ordered = sorted(by_index)
    position = ordered.index(index)
    before = [by_index[i] for i in ordered[max(0, position - around):position]]
    after = [by_index[i] for i in ordered[position + 1:position + 1 + around]]
    return {
        "before": [text[s.start:s.end] for s in before],
        "sentence": text[by_index[index].start:by_index[index].end],
        "after": [text[s.start:s.end] for s in after],
    }
