"""HTML pages: trafilatura finds the article and its metadata, the furniture rules clean its text."""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Document

from ..analyse.language import detect_language
from ..errors import EmptyInput
from ..models import Article
from .furniture import clean

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Elements whose content is a paragraph of its own in a feed entry's HTML.
_BLOCKS = frozenset(
    ("p", "div", "li", "dd", "dt", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption",
     "table", "tr", "section", "article", "header", "footer", "ul", "ol", "dl", "figure", "aside")
)  # fmt: skip
_DROP = ("script", "style", "noscript", "template")
# A fast extraction shorter than this (characters) is redone with trafilatura's fallback extractors:
# a news article's body is rarely under 500 characters, a mis-extracted one (a teaser, a caption) often.
_FALLBACK_BELOW = 500


def html_to_article(
    html: str,
    *,
    path: str | None = None,
    url: str | None = None,
    encoding: str | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Article:
    """Extract the article of one HTML page.

    Args:
        html: the decoded page.
        path: absolute path of the file (or WARC archive) it came from.
        url: the page's address when known (WARC-Target-URI); else the page's canonical URL.
        encoding: the encoding the page was decoded with.
        source: the outlet, overriding the page's site name.
        language: ISO 639-1 code, overriding detection.

    Returns:
        The article: trafilatura's title, author, site name, date and text, with photo credits and
        stamps moved out of the text.

    Raises:
        EmptyInput: trafilatura finds no article text in the page.
    """
    # Favour precision (menus, teasers and comments left out), metadata on. The fast pass skips
    # trafilatura's fallback extractors (readability, jusText), ~40 % of its time on news pages, which
    # on all 13 real pages of the sample corpus and tests gave the same text; a page where the fast
    # pass finds little text is extracted again with them, as they exist for such pages.
    document = _extract(html, url=url, fast=True)
    text = document.text if isinstance(document, Document) else None
    if not text or len(text) < _FALLBACK_BELOW:
        document = _extract(html, url=url, fast=False)
    extracted = document.text if isinstance(document, Document) else None
    if not isinstance(document, Document) or not extracted or not extracted.strip():
        raise EmptyInput("no article text found in the page")
    cleaned = clean(extracted, title=document.title or None, find_source=False, line_paragraphs=True)
    body = cleaned.text
    if not cleaned.title or not body:
        raise EmptyInput("no article text found in the page")
    return Article(
        title=cleaned.title,
        text=body,
        source=source or document.sitename or None,
        language=language or detect_language(f"{cleaned.title}\n{body}"),
        published=document.date or cleaned.published,
        updated=cleaned.updated,
        url=url or document.url or None,
        path=path,
        author=document.author or None,
        photo_credits=cleaned.photo_credits,
        format="html",
        encoding=encoding,
    )


def _extract(html: str, *, url: str | None, fast: bool) -> Document | None:
    document = trafilatura.bare_extraction(
        html,
        url=url,
        fast=fast,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_images=False,
        deduplicate=False,
    )
    return document if isinstance(document, Document) else None


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one paragraph per line."""
    if "<" not in fragment:
        return fragment
    # lxml refuses to set text with control characters (ValueError); they are furniture anyway.
    fragment = _CONTROL.sub("", fragment)
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    for element in root.iter():
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br" or element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    return str(root.text_content())
