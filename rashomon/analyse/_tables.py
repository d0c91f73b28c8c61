"""The date and number tables of ``rashomon/data/lexicons`` as regex alternations.

The tables are looked up by :func:`rashomon.analyse.wordlists.table_rows` (the one loader); this module
turns their forms into lookup keys and patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACES = re.compile(r"[\s\u00a0\-]+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})


def key(surface: str) -> str:
    """Lookup key of a matched surface or a table form: lowercase, one space, plain apostrophe, no end dot."""
    return _SPACES.sub(" ", surface.translate(_APOSTROPHES).lower()).strip(" .")


def _pattern(form: str, *, exact: bool, hyphens: bool) -> str:
    body = form.rstrip(".") if form.endswith(".") and len(form) > 1 else form
    gap = r"[\s\u00a0\-]+" if hyphens else r"[\s\u00a0]+"
    out = []
    for ch in body:
        if ch.isspace():
            out.append(gap)
        elif ch in "'’ʼ":
            out.append("['’ʼ]")
        else:
            out.append(re.escape(ch))
    text = "".join(out) + (r"\.?" if body != form else "")
    # A capitalised form ("May", "Oktober", "USD") matches only as written: the verb "may" is no month.
    return f"(?-i:{text})" if exact or form != form.lower() else text


def alternation(forms: Iterable[str], *, exact: Iterable[str] = (), hyphens: bool = False) -> str:
    """A regex alternation of ``forms``, longest first; compile it with ``re.IGNORECASE``.

    Args:
        forms: table forms; a trailing ``.`` makes the dot optional (abbreviations).
        exact: forms to match case-sensitively even when lowercase (German ``morgen``).
        hyphens: whether a hyphen may stand for a space ("four-and-a-half").

    Returns:
        ``(?:a|b|...)``, or a pattern that never matches when ``forms`` is empty.
    """
    exact_set = set(exact)
    unique = sorted(set(forms), key=lambda f: (-len(f), f))
    if not unique:
        return r"(?!x)x"
    parts = [_pattern(f, exact=f in exact_set, hyphens=hyphens) for f in unique]
    return "(?:" + "|".join(parts) + ")"


TOKEN = re.compile(r"\w+(?:['’ʼ]\w+)*")


def token_key(token: str) -> str:
    """The key a word token is looked up by in :func:`first_words` sets."""
    return token.translate(_APOSTROPHES).lower()


def first_words(forms: Iterable[str]) -> frozenset[str]:
    """The first words of ``forms``: a word-led pattern is only tried where a token is one of them.

    Python's ``re`` tries a large alternation at every position (3 ms per article with all languages'
    tables); trying it only after a dictionary hit on the token keeps matching linear in the tokens.
    """
    out = set()
    for form in forms:
        m = TOKEN.search(form)
        if m:
            out.add(token_key(m[0]))
    return frozenset(out)
