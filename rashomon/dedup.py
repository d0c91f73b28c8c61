"""Exact and near-duplicate detection: a fingerprint of the normalised text, MinHash LSH bands.

Exact duplicates share a fingerprint. Near-duplicates (a syndicated copy with a changed headline or a
fixed typo) share at least one LSH band and are then confirmed by the Jaccard similarity of their
word 5-shingles, so the look-up never scans the whole archive.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
_SHINGLE = 5
# 64 hash functions in 16 bands of 4 rows: pairs with Jaccard ≥ 0.7 become candidates with
# probability > 0.99, pairs below 0.3 with probability < 0.13 (1 - (1 - j^4)^16).
_PERMUTATIONS = 64
_ROWS_PER_BAND = 4
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240422)
_A = _rng.integers(1, _PRIME, size=_PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=_PERMUTATIONS, dtype=np.uint64)


def normalise(text: str) -> list[str]:
    """Lower-cased words of a text with accents folded and punctuation gone."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(folded)


def fingerprint(title: str, text: str) -> str:
    """Hash of the normalised body (title included only when the body is very short)."""
    words = normalise(text)
    if len(words) < 20:
        words = normalise(title) + words
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def id_for_fingerprint(fingerprint_value: str) -> str:
    """The id of the article with this text fingerprint (a copy's too: the id it would have had)."""
    return hashlib.sha1(fingerprint_value.encode("ascii")).hexdigest()[:12]


def shingles(text: str) -> set[int]:
    """CRC32 hashes of the text's overlapping word 5-grams."""
    words = normalise(text)
    if len(words) < _SHINGLE:
        return {zlib.crc32(" ".join(words).encode("utf-8"))} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode("utf-8"))
        for i in range(len(words) - _SHINGLE + 1)
    }


def lsh_bands(text: str) -> list[str]:
    """MinHash LSH band keys of a text; texts sharing a key are near-duplicate candidates."""
    hashed = np.fromiter(shingles(text), dtype=np.uint64)
    if hashed.size == 0:
        return []
    with np.errstate(over="ignore"):
        values = (hashed[None, :] * _A[:, None] + _B[:, None]) % np.uint64(_PRIME)
    signature = values.min(axis=1)
    bands = signature.reshape(-1, _ROWS_PER_BAND)
    return [f"{i}:{hashlib.blake2b(row.tobytes(), digest_size=8).hexdigest()}" for i, row in enumerate(bands)]


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of two texts' word 5-shingles."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
