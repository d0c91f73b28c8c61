"""JSON Lines: one article per line, ``{"title": ..., "text": ..., "url"?, "source"?, "published"?, ...}``.

The file is read line by line, so its size is not limited; a single line is (``max_bytes``).
A bad line is reported as a :class:`RecordError` and reading goes on with the next one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..analyse.language import detect_language
from ..models import Article
from .furniture import clean, normalise_line, parse_stamp
from .record import RecordError

_OPTIONAL = ("url", "source", "published", "updated", "language", "author")
_CHUNK = 1024 * 1024


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _read_line(stream: BinaryIO, max_bytes: int) -> bytes | None:
    """The next line (``b""`` at the end), or ``None`` once it is over ``max_bytes`` (the rest skipped).

    Read in 1 MB pieces that are dropped as soon as the line is too long: ``readline(max_bytes + 1)``
    held twice the limit (a 1 GB line cost 92 MB over a 50 MB limit).
    """
    pieces: list[bytes] = []
    size = 0
    while piece := stream.readline(min(_CHUNK, max_bytes + 1 - size)):
        size += len(piece)
        if size > max_bytes:
            if not piece.endswith(b"\n"):
                _skip_rest_of_line(stream)
            return None
        pieces.append(piece)
        if piece.endswith(b"\n"):
            break
    return b"".join(pieces)


def _date(value: str) -> str:
    """``value`` as ISO 8601 when it is a date we can read ("17.03.2024, 09:41"), else as given."""
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        stamp = parse_stamp(value)
        return stamp[1] if stamp else value
    return value


def record_to_article(
    record: Any, *, path: str | None = None, source: str | None = None, language: str | None = None
) -> Article | str:
    """The article a decoded JSON line describes, or the reason it does not describe one."""
    if not isinstance(record, dict):
        return "not a JSON object"
    fields: dict[str, str] = {}
    for key in ("title", "text", *_OPTIONAL):
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"field {key!r} is not a string"
        fields[key] = value.strip()
    title = normalise_line(fields.get("title", ""))
    if not title:
        return "missing title"
    if not fields.get("text"):
        return "missing text"
    cleaned = clean(fields["text"], title=title, find_source=False)
    body = cleaned.text
    if not body:
        return "missing text"
    published = fields.get("published")
    updated = fields.get("updated")
    return Article(
        title=title,
        text=body,
        source=source or fields.get("source") or None,
        language=language or fields.get("language") or detect_language(f"{title}\n{body}"),
        published=_date(published) if published else cleaned.published,
        updated=_date(updated) if updated else cleaned.updated,
        url=fields.get("url") or None,
        path=path,
        author=fields.get("author") or None,
        photo_credits=cleaned.photo_credits,
        format="jsonl",
        encoding="utf-8",
    )


def read_jsonl(
    path: Path, *, max_bytes: int, source: str | None = None, language: str | None = None
) -> Iterator[Article | RecordError]:
    """Yield the article of each non-empty line, or a :class:`RecordError` for a line that is not one.

    Args:
        path: the file (absolute).
        max_bytes: the longest line read; a longer one is skipped and reported.
        source: the outlet, overriding the records' ``source``.
        language: ISO 639-1 code, overriding the records' ``language`` and detection.
    """
    with path.open("rb") as stream:
        number = 0
        while True:
            line = _read_line(stream, max_bytes)
            if line == b"":
                return
            number += 1
            location = f"line {number}"
            if line is None:
                yield RecordError(location, f"line longer than the {max_bytes}-byte limit")
                continue
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError:
                yield RecordError(location, "not valid UTF-8")
                continue
            except json.JSONDecodeError as error:
                yield RecordError(location, f"invalid JSON: {error.msg} at column {error.colno}")
                continue
            result = record_to_article(record, path=str(path), source=source, language=language)
            yield RecordError(location, result) if isinstance(result, str) else result
