"""Sentence splitting with per-language abbreviation lists.

Rules, not a model: a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes and
brackets after it) when the next word starts with a capital, a digit or an opening quote, unless
the dot closes an abbreviation (``data/lexicons/<lang>/abbreviations.txt``), an initial
(``A. Lukashenka``), or a German ordinal (``am 3. Oktober``). A line break always ends a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Sentence
from .wordlists import language_key, rows, words

# terminal punctuation, then closing quotes/brackets that belong to the sentence they close
_END = re.compile(r"(?:[.!?…]+|\.\.\.)[»”\"’'“)\]]*(?=\s)")
_TERMINAL = (".", "!", "?", "…")
_CLOSERS = "»”\"’'“)]"
_OPENERS = '«"„“‘‚([—–-‹»'
_TOKEN_BEFORE = re.compile(r"([^\s«\"„“‘‚(\[]+)\.$")
_DOTTED = re.compile(r"^(?:\w{1,3}\.)+\w{1,3}$")
_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"\s*(\w+)")


@lru_cache(maxsize=16)
def _abbreviations(language: str) -> dict[str, str]:
    """Abbreviation (as written and lowercased) -> flag ("" / "end" / "year")."""
    table: dict[str, str] = {}
    for row in rows(language, "abbreviations"):
        flag = row[1] if len(row) > 1 else ""
        table.setdefault(row[0], flag)
        table.setdefault(row[0].lower(), flag)
    return table


def _next_starts_sentence(text: str, pos: int, end: int) -> bool:
    i = pos
    while i < end and (text[i].isspace() or text[i] in _OPENERS):
        i += 1
    return i < end and (text[i].isupper() or text[i].isdigit())


def _is_boundary(text: str, match: re.Match[str], line_start: int, line_end: int, lang: str) -> bool:
    if not _next_starts_sentence(text, match.end(), line_end):
        return False
    punct = match.group(0).rstrip(_CLOSERS)
    if punct != ".":
        return True
    before = _TOKEN_BEFORE.search(text, line_start, match.start() + 1)
    if before is None:
        return True
    token = before.group(1)
    flag = _abbreviations(lang).get(token, _abbreviations(lang).get(token.lower()))
    if flag is not None:
        if flag == "end":
            return True
        if flag == "year":  # "в 2020 г. Он ..." ends; "в 2020 г. Лукашенко ..." is ambiguous: keep
            prev = text[line_start : before.start()].rstrip()
            following = _WORD.match(text, match.end() + 1)
            starter = following is not None and following.group(1).lower() in words(lang, "stopwords")
            return bool(prev) and prev[-1].isdigit() and starter
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "A. Lukashenka", "А. Лукашенко"
    if _DOTTED.match(token):
        return False  # "U.S", "z.B", "т.е" not in the list
    if token.isdigit() and len(token) <= 2 and lang != "en":
        # an ordinal after a preposition: "am 3. Oktober", "z 1. Brygady"; "Zginęło 2. Policja" is cut
        words_before = text[line_start : before.start()].split()
        last = words_before[-1] if words_before else ""
        return not (lang == "de" or (last.isalpha() and last.islower() and len(last) <= 3))
    return True


def is_full_sentence(text: str) -> bool:
    """Whether a split sentence ends with terminal punctuation (a heading or a dateline line does not)."""
    return text.rstrip().rstrip(_CLOSERS).endswith(_TERMINAL)


def split_sentences(text: str, language: str | None) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets.

    Args:
        text: the article's clean text.
        language: ISO 639-1 code steering the abbreviation list; ``None`` uses English rules.

    Returns:
        Sentences in text order; each ``text`` equals ``text[start:end]`` with no outer whitespace.
    """
    lang = language_key(language)
    sentences: list[Sentence] = []

    def add(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            sentences.append(Sentence(index=len(sentences), start=start, end=end, text=text[start:end]))

    for line in _PARAGRAPH.finditer(text):
        start = line.start()
        for match in _END.finditer(text, line.start(), line.end()):
            if _is_boundary(text, match, line.start(), line.end(), lang):
                add(start, match.end())
                start = match.end()
        add(start, line.end())
    return sentences
