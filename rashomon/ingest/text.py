"""Plain-text articles: the first meaningful line is the title, the furniture around the body is metadata."""

from __future__ import annotations

from ..analyse.language import detect_language
from ..errors import EmptyInput
from ..models import Article
from .furniture import clean

# A file whose only line has at least this many words is a news brief, not a bare headline.
_BRIEF_MIN_WORDS = 4


def text_to_article(
    text: str,
    *,
    path: str | None = None,
    encoding: str | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Article:
    """Read one plain-text article.

    Args:
        text: the decoded file.
        path: absolute path of the file, stored on the article.
        encoding: the encoding the file was decoded with.
        source: the outlet, overriding an outlet line found under the title.
        language: ISO 639-1 code, overriding detection.

    Returns:
        The article with stamps, photo credits and the outlet line moved out of the body.

    Raises:
        EmptyInput: no title, or only a headline of a few words, is left once the furniture is removed.
    """
    cleaned = clean(text)
    if not cleaned.title:
        raise EmptyInput("no article text, only page furniture")
    body = cleaned.text
    if not body and len(cleaned.title.split()) >= _BRIEF_MIN_WORDS:
        body = cleaned.title  # a one-sentence brief: its only line is both headline and text
    if not body:
        raise EmptyInput("no body text under the title")
    return Article(
        title=cleaned.title,
        text=body,
        source=source or cleaned.source,
        language=language or detect_language(f"{cleaned.title}\n{body}"),
        published=cleaned.published,
        updated=cleaned.updated,
        path=path,
        photo_credits=cleaned.photo_credits,
        format="txt",
        encoding=encoding,
    )
