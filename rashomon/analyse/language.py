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


@lru_cache(maxsize=2)
def _identifier(languages: tuple[str, ...] | None) -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    if languages:
        ident.set_languages(list(languages))
    return ident


def detect_language(text: str) -> str | None:
    """The most likely language of ``text``, or ``None`` when there are too few letters to tell."""
    sample = text[:5000]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < _MIN_LETTERS:
        return None
    cyrillic = len(_CYRILLIC.findall(sample))
    if cyrillic * 2 > letters:
        code, _score = _identifier(_CYRILLIC_LANGUAGES).classify(sample)
    else:
        code, _score = _identifier(None).classify(sample)
    return str(code)
