"""The words of an article weighted by how rare they are in its language, for story clustering.

Two reports of one event share its specific words -- the ship, the village, the defendant's name,
"sandbank", "acquitted" -- while two events of the same kind share only the common ones. Each word is
weighted by ``(1 + log tf) * idf`` where the idf is read from general word frequencies of the language
(``wordfreq``: Zipf frequency 0..8, so ``idf = 8 - zipf``: "the" 0.3, "earthquake" 3.9, an unseen name
8). The frequencies are the language's, not the archive's, so an article's weights never change when
others arrive and ``add`` needs no corpus statistics. Words are cut to their first :data:`STEM`
letters, a crude stemmer that joins inflected forms (землетрясения/землетрясение, arrested/arrests).
Languages wordfreq does not know (Belarusian) weight every word alike; languages written without
spaces (Chinese, Japanese) get no terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

__all__ = ["STEM", "term_weights"]

STEM = 6
# Words shorter than this are function words in every supported language.
_MIN_LETTERS = 3
_MAX_ZIPF = 8.0
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Written without spaces between words: a word split needs a segmenter (not installed), so no terms.
_UNSEGMENTED = frozenset({"zh", "ja", "ko", "th", "lo", "km", "my"})


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


@lru_cache(maxsize=262144)  # words repeat across articles; a look-up costs ~20 µs
def _idf(word: str, language: str | None) -> float:
    if not language or language not in _languages():
        return _MAX_ZIPF
    from wordfreq import zipf_frequency

    return max(0.0, _MAX_ZIPF - zipf_frequency(word, language))


def term_weights(text: str, language: str | None) -> dict[str, float]:
    """``{stem: weight}`` of a text, L2-normalised (empty for a text with no words, or in Chinese/Japanese)."""
    if language in _UNSEGMENTED:
        return {}
    counts = Counter(w.lower() for w in _WORD.findall(text) if len(w) >= _MIN_LETTERS)
    weights: dict[str, float] = {}
    for word, n in counts.items():
        weight = (1.0 + math.log(n)) * _idf(word, language)
        if weight > 0:
            stem = word[:STEM]
            weights[stem] = max(weights.get(stem, 0.0), weight)
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}
