"""RSS and Atom feeds: one article per entry.

Limits: feedparser parses the whole document before the first entry is seen, so a feed costs memory
in proportion to its size (roughly 3-5x the file size for entries with HTML content). The file-size
limit (``Settings.max_file_bytes``, 50 MB by default) therefore bounds a feed; within it, articles are
built and yielded one entry at a time and each parsed entry is released once its article is out, so a
feed with a million short entries never holds a second copy of them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import time
from collections.abc import Iterator
from typing import Any

import feedparser

from ..analyse.language import detect_language
from ..errors import EmptyInput, InputError
from ..models import Article
from .furniture import clean, normalise_line
from .html import fragment_text
from .record import RecordError


def _iso(raw: str | None, parsed: time.struct_time | None) -> str | None:
    """The entry's date as ISO 8601 with its own UTC offset; feedparser's UTC reading as a fallback."""
    if raw:
        value: dt.datetime | None
        try:
            value = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            try:
                value = dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                value = None
        if value is not None:
            return value.isoformat(timespec="minutes")
    if parsed is not None:
        return time.strftime("%Y-%m-%dT%H:%M", parsed) + "Z"
    return None


def _entry_html(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value", "").strip():
            return str(content["value"])
    return str(entry.get("summary") or "")


def read_feed(
    text: str,
    *,
    path: str | None = None,
    encoding: str | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Iterator[Article | RecordError]:
    """Yield one article per feed entry, or a :class:`RecordError` for an entry without title or text.

    Args:
        text: the decoded feed document.
        path: absolute path of the file.
        encoding: the encoding the file was decoded with.
        source: the outlet, overriding the feed's title.
        language: ISO 639-1 code, overriding detection.

    Raises:
        InputError: the document is not a readable feed.
        EmptyInput: the feed has no entries.
    """
    # Re-encoded as UTF-8 and declared so in the "HTTP header", which wins over the XML declaration.
    parsed = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    entries = parsed.entries
    if not entries:
        if parsed.bozo:
            raise InputError(f"not a readable feed: {parsed.get('bozo_exception')}")
        raise EmptyInput("the feed has no entries")
    feed_title = normalise_line(str(parsed.feed.get("title") or "")) or None
    for index in range(len(entries)):
        entry = entries[index]
        entries[index] = None  # release the parsed entry once its article is built
        location = f"entry {index + 1}"
        title = normalise_line(str(entry.get("title") or ""))
        cleaned = clean(
            fragment_text(_entry_html(entry)), title=title or None, find_source=False, line_paragraphs=True
        )
        body = cleaned.text
        if not body:
            yield RecordError(location, "no text")
            continue
        if not title:
            yield RecordError(location, "no title")
            continue
        published = _iso(entry.get("published"), entry.get("published_parsed")) or cleaned.published
        updated = _iso(entry.get("updated"), entry.get("updated_parsed")) or cleaned.updated
        yield Article(
            title=title,
            text=body,
            source=source or feed_title,
            language=language or detect_language(f"{title}\n{body}"),
            published=published,
            # feedparser copies an RSS pubDate into "updated"; only a different date is an update
            updated=updated if updated != published else None,
            url=entry.get("link") or None,
            path=path,
            author=entry.get("author") or None,
            photo_credits=cleaned.photo_credits,
            format="feed",
            encoding=encoding,
        )
