"""Language identification of an article's text (ISO 639-1 codes).

py3langid was chosen over lingua: both tell Belarusian, Russian and Ukrainian apart on short
texts, py3langid at ~0.1 ms per text with no 12 s model load (measured in docs/models.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Scripts whose languages the general model confuses most; a second pass ranks only these.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_LANGUAGES = ("be", "ru", "uk", "bg", "sr", "mk", "kk", "ky", "mn")
_MIN_LETTERS = 3
# Characters classified: py3langid's cost grows with the text (0.8 ms at 5,000, 0.5 ms at 2,000 per
# article), while a few hundred characters of prose already settle it (on the 366 labelled test and
# benchmark articles, 200-character samples give the same language as 5,000).
_SAMPLE_CHARS = 2000


@lru_cache(maxsize=2)
def _identifier(languages: tuple[str, ...] | None) -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    if languages:
        ident.set_languages(list(languages))
    return ident


def detect_language(text: str) -> str | None:
    """The most likely language of ``text``, or ``None`` when there are too few letters to tell."""
    sample = text[:_SAMPLE_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < _MIN_LETTERS:
        return None
    cyrillic = len(_CYRILLIC.findall(sample))
    if cyrillic * 2 > letters:
        code, _score = _identifier(_CYRILLIC_LANGUAGES).classify(sample)
    else:
        code, _score = _identifier(None).classify(sample)
    return str(code)
