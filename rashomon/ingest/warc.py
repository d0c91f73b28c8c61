"""WARC archives (plain or gzip): every HTML ``response`` record is a page read like an HTML file.

The archive is streamed record by record, so its size is not limited; each record's payload is read
up to ``max_bytes`` (a decompression bomb stops there). A truncated or corrupt archive yields a
:class:`RecordError` for the record it breaks in, after the records already read.

Records that are not pages are skipped without a report: request, metadata and warcinfo records,
non-HTML responses (images, scripts) and non-2xx responses (redirects and error pages hold no
article). ``WARC-Date`` is when the crawler fetched the page, not when it was published, so it is
never used as the publication date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import InputError
from ..models import Article
from .encoding import declared_encoding, decode_bytes
from .html import html_to_article
from .record import RecordError

# warcio logs a warning for a WARC-Target-URI with spaces (the record is still read), which Python
# prints to stderr when the application configured no logging: `rashomon add` output stays one line
# per failure. A handler here (not a level) leaves an application's own logging setup in charge.
logging.getLogger("warcio.recordloader").addHandler(logging.NullHandler())
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_DRAIN = 64 * 1024


class _Archive(ArchiveIterator):  # type: ignore[misc]
    """An ArchiveIterator that notices a gzip member cut short (warcio ends quietly there)."""

    truncated = False
    # warcio writes a multi-line warning to stderr when a record is not followed by a blank line (a
    # wrong Content-Length); the records are still read, and a user sees one line per failure only.
    INC_RECORD = ""

    def close(self) -> None:
        reader = self.reader
        decompressor = getattr(reader, "decompressor", None) if reader is not None else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.truncated = True
        super().close()


def _drain(record: Any) -> bool:
    """Read the rest of ``record``'s block; ``False`` when the file ends before the block does."""
    stream = record.raw_stream
    while stream.read(_DRAIN):
        pass
    return getattr(stream, "limit", 0) <= 0


def _read_limited(stream: Any, max_bytes: int) -> bytes | None:
    """All of ``stream`` in pieces, or ``None`` (the pieces dropped) once it is over ``max_bytes``.

    warcio's ``read(n)`` joins everything it decompressed: a gzip bomb cost 3x the limit in memory.
    """
    pieces: list[bytes] = []
    size = 0
    while piece := stream.read(min(_DRAIN, max_bytes + 1 - size)):
        size += len(piece)
        if size > max_bytes:
            return None
        pieces.append(piece)
    return b"".join(pieces)


def _is_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and content_type.startswith(_HTML_TYPES)


def read_warc(
    path: Path, *, max_bytes: int, source: str | None = None, language: str | None = None
) -> Iterator[Article | RecordError]:
    """Yield the article of each HTML response record, or a :class:`RecordError` for one that fails.

    Args:
        path: the archive (absolute).
        max_bytes: the largest payload read from one record.
        source: the outlet, overriding the pages' site names.
        language: ISO 639-1 code, overriding detection.
    """
    with path.open("rb") as stream:
        archive = _Archive(stream)
        records = iter(archive)
        number = 0
        while True:
            location = f"record {number + 1}"
            try:
                record = next(records)
                number += 1
                page = _is_page(record)
                payload = _read_limited(record.content_stream(), max_bytes) if page else b""
                complete = _drain(record)
            except StopIteration:
                break
            except ArchiveLoadFailed as error:
                reason = " ".join(str(error).split())[:200]
                yield RecordError(location, f"corrupt archive: {reason}")
                return
            except Exception:  # noqa: BLE001 - warcio raises AttributeError, zlib.error, EOFError, ...
                # on a cut or damaged record header; all mean the same to the reader
                yield RecordError(location, "the record header cannot be read (truncated or corrupt archive)")
                return
            if not complete:
                yield RecordError(location, "the archive ends inside this record (truncated)")
                return
            if not page:
                continue
            if payload is None:
                yield RecordError(location, f"payload larger than the {max_bytes}-byte limit")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            charset = _CHARSET.search(record.http_headers.get_header("Content-Type") or "")
            declared = charset[1] if charset else declared_encoding(payload)
            try:
                text, encoding = decode_bytes(payload, declared=declared)
                article = html_to_article(
                    text, path=str(path), url=url, encoding=encoding, source=source, language=language
                )
            except InputError as error:
                yield RecordError(location, str(error))
                continue
            yield article
        if archive.truncated:
            yield RecordError(f"record {number + 1}", "the gzip stream is truncated")
