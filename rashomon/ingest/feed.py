"""RSS and Atom feeds: one article per entry.

Limits: feedparser parses the whole document it is given before the first entry is seen, and holds
~1.5 KB per parsed entry even for a one-line item (a million entries took 1.5 GB). A feed with more
than ``_BATCH_ENTRIES`` entries is therefore parsed in batches: the document's head (everything before
the first entry), a batch of entries and its tail, so memory stays near the size of the decoded file
(bounded by ``Settings.max_file_bytes``, 50 MB by default) plus one batch. Articles are built and
yielded one entry at a time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

import feedparser

from ..analyse.language import detect_language
from ..errors import EmptyInput, InputError
from ..models import Article
from .furniture import clean, normalise_line
from .html import fragment_text
from .record import RecordError

# Entries per feedparser call in a large feed: ~1.5 MB of parsed entries, and 1,000 entries cost a
# few ms of re-parsing the head and tail.
_BATCH_ENTRIES = 1000
_ENTRY_START = re.compile(r"<(?:[\w-]+:)?(?:item|entry)[\s>/]", re.IGNORECASE)
_ENTRY_END = re.compile(r"</(?:[\w-]+:)?(?:item|entry)\s*>", re.IGNORECASE)


def _batches(text: str) -> Iterator[str]:
    """``text`` whole, or for a feed of many entries, head + each batch of entries + tail as documents."""
    starts = _ENTRY_START.finditer(text)
    bounds = [match.start() for n, match in enumerate(starts) if n % _BATCH_ENTRIES == 0]
    # the last entry's end tag: what follows it closes the document in every batch
    ends = deque(_ENTRY_END.finditer(text, bounds[-1]), maxlen=1) if len(bounds) > 1 else deque()
    last_end = ends[0] if ends else None
    if last_end is None:
        yield text
        return
    head, tail = text[: bounds[0]], text[last_end.end() :]
    bounds.append(last_end.end())
    for start, end in zip(bounds, bounds[1:], strict=False):
        yield head + text[start:end] + tail


def _parse(document: str) -> Any:
    # Re-encoded as UTF-8 and declared so in the "HTTP header", which wins over the XML declaration.
    try:
        return feedparser.parse(
            io.BytesIO(document.encode("utf-8")),
            response_headers={"content-type": "application/xml; charset=utf-8"},
        )
    except Exception as error:  # noqa: BLE001 - feedparser's loose parser raises on broken markup,
        # e.g. ValueError from chr() for "&#x110000;" (found by fuzzing); the document is unreadable
        raise InputError(f"not a readable feed: {_one_line(error)}") from None


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
    batches = _batches(text)
    parsed = _parse(next(batches))
    if not parsed.entries:
        if parsed.bozo:
            raise InputError(f"not a readable feed: {_one_line(parsed.get('bozo_exception'))}")
        raise EmptyInput("the feed has no entries")
    feed_title = normalise_line(str(parsed.feed.get("title") or "")) or None
    number = 0
    while parsed is not None:
        entries = parsed.entries
        parsed = None  # release each batch once its articles are out
        for index in range(len(entries)):
            entry = entries[index]
            entries[index] = None  # release the parsed entry once its article is built
            number += 1
            yield _entry_article(entry, f"entry {number}", path=path, encoding=encoding,
                                 source=source or feed_title, language=language)
        for document in batches:
            try:
                parsed = _parse(document)
                break
            except InputError as error:
                yield RecordError(f"entries {number + 1}-{number + _BATCH_ENTRIES}", str(error))
                number += _BATCH_ENTRIES


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:200]


def _entry_article(
    entry: Any, location: str, *, path: str | None, encoding: str | None, source: str | None,
    language: str | None,
) -> Article | RecordError:
    title = normalise_line(str(entry.get("title") or ""))
    cleaned = clean(
        fragment_text(_entry_html(entry)), title=title or None, find_source=False, line_paragraphs=True
    )
    body = cleaned.text
    if not body:
        return RecordError(location, "no text")
    if not title:
        return RecordError(location, "no title")
    published = _iso(entry.get("published"), entry.get("published_parsed")) or cleaned.published
    updated = _iso(entry.get("updated"), entry.get("updated_parsed")) or cleaned.updated
    return Article(
        title=title,
        text=body,
        source=source,
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
