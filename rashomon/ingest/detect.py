"""Recognise a file's format by its content and hand it to the reader of that format."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyInput, FileTooLarge, InputError, UnsupportedFormat
from ..models import Article
from .encoding import declared_encoding, decode_bytes
from .feed import read_feed
from .html import html_to_article
from .jsonl import read_jsonl
from .record import RecordError
from .text import text_to_article
from .warc import read_warc

FORMATS = ("txt", "html", "feed", "warc", "jsonl")
# 64 KB: enough to see a WARC header, an HTML/feed root element and a few JSON lines.
HEAD_BYTES = 64 * 1024
_SAMPLE_LINES = 20
# Share of JSON-object lines that makes a file JSON Lines; with a .jsonl/.ndjson name, half do.
_JSONL_SHARE = 0.8
_JSONL_SHARE_BY_NAME = 0.5
# Markup without <html>: this many distinct HTML tags in the head makes it an HTML fragment page.
_HTML_TAGS = 5
# Above 2 % control characters (NUL, ESC, ...) after decoding the file is binary, not text: real
# text files, even in a wrong code page, have none; a stray form feed or two is tolerated.
_MAX_CONTROL_SHARE = 0.02

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".warc": "warc", ".arc": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
}  # fmt: skip
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_ROOT = re.compile(r"<!doctype\s+html|<html[\s>]")
_TAG = re.compile(
    r"<(p|div|span|a|br|body|head|meta|title|article|section|h[1-6]|ul|li|img|script|style|link|table)[\s/>]"
)
_PROLOG = re.compile(r"^(?:\s|<\?xml[^>]*>|<!--.*?-->|<!doctype[^>]*>)*", re.DOTALL)
_JSON_OBJECT_START = re.compile(r'^\s*\{\s*"(?:[^"\\]|\\.)*"\s*:')
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_METADATA = ("source", "language", "published", "updated", "url", "author", "encoding")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def _extension(path: Path) -> str | None:
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None


def _is_warc(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith((b"WARC/1.", b"WARC/0."))


def _head_text(head: bytes) -> str:
    # Markers are ASCII, so any ASCII-compatible reading finds them; UTF-16/32 need their BOM.
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def _jsonl_share(text: str, *, complete: bool) -> float:
    lines = [line for line in text.splitlines() if line.strip()]
    cut = None if complete or not lines else lines.pop()  # the head may end inside a line
    if not lines and cut is not None:
        # one line longer than the head: judge it by how it starts
        return 1.0 if _JSON_OBJECT_START.match(cut) else 0.0
    lines = lines[:_SAMPLE_LINES]
    if not lines or not lines[0].lstrip().startswith("{"):
        return 0.0
    objects = 0
    for line in lines:
        with contextlib.suppress(ValueError):
            objects += isinstance(json.loads(line), dict)
    return objects / len(lines)


def detect_format(path: Path, head: bytes) -> str:
    """The format of a file: ``txt``, ``html``, ``feed``, ``warc`` or ``jsonl``.

    Args:
        path: the file; its extension only breaks ties the content leaves open.
        head: the first bytes of the file (64 KB is plenty).

    Returns:
        One of :data:`FORMATS`.

    Raises:
        UnsupportedFormat: compressed data that is not a WARC archive, or XML that is no feed.
    """
    if _is_warc(head):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        raise UnsupportedFormat("gzip-compressed data that is not a WARC archive")
    by_name = _extension(path)
    text = _head_text(head)
    lowered = text[:8192].lower()
    start = _PROLOG.match(lowered)
    body = lowered[start.end() if start else 0 :]
    if _FEED_ROOT.match(body):
        return "feed"
    if _HTML_ROOT.match(body) or _HTML_ROOT.search(lowered[:2048]):
        return "html"
    if lowered.lstrip().startswith("<?xml"):
        if _FEED_ROOT.search(lowered):
            return "feed"
        if by_name in ("html", "feed"):
            return by_name
        raise UnsupportedFormat("XML that is neither an RSS/Atom feed nor an HTML page")
    share = _jsonl_share(text, complete=len(head) < HEAD_BYTES)
    if share >= _JSONL_SHARE or (share >= _JSONL_SHARE_BY_NAME and by_name == "jsonl"):
        return "jsonl"
    tags = set(_TAG.findall(lowered))
    if len(tags) >= _HTML_TAGS or (tags and by_name == "html"):
        return "html"
    return "txt"


def _open_error(error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError("no such file")
    if isinstance(error, IsADirectoryError):
        return InputError("is a directory, not a file")
    if isinstance(error, PermissionError):
        return InputError("permission denied")
    return InputError(f"cannot read the file: {error.strerror or os.strerror(error.errno or errno.EIO)}")


def _check_text(text: str) -> None:
    if not text.strip():
        raise EmptyInput("the file holds only whitespace")
    sample = text[:HEAD_BYTES]
    controls = len(_CONTROL.findall(sample))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise UnsupportedFormat(f"binary data, not text ({100 * controls // len(sample)}% control bytes)")


def read_path(
    path: Path, *, max_bytes: int, source: str | None = None, language: str | None = None
) -> Iterator[Article | RecordError]:
    """Read every article a file holds.

    Args:
        path: the file; any format of :data:`FORMATS`, recognised by content.
        max_bytes: the size limit of a file (WARC and JSON Lines are streamed: then of one record).
        source: the outlet of every article, overriding what the file says.
        language: the ISO 639-1 language of every article, overriding detection.

    Returns:
        An iterator of articles, with a :class:`RecordError` for each record of a multi-record file
        (feed entry, WARC record, JSONL line) that cannot be read.

    Raises:
        InputError: the path cannot be read or is a directory.
        EmptyInput: the file is empty or holds only whitespace or furniture.
        FileTooLarge: a file read whole (text, HTML, feed) is over ``max_bytes``.
        UnsupportedFormat: binary data, or compressed/XML data of no known kind.
    """
    path = Path(path).absolute()
    # Checked here, not lazily, so a bad path fails at the call and not at iteration; stat first, as
    # opening a FIFO would block.
    try:
        status = path.stat()
    except OSError as error:
        raise _open_error(error) from None
    if stat.S_ISDIR(status.st_mode):
        raise InputError("is a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise InputError("not a regular file")
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
            fmt = "txt" if not head.strip() else detect_format(path, head)
            if fmt in ("txt", "html", "feed"):
                # The size first: a 1 GB one-line file is refused without reading 50 MB of it.
                if status.st_size > max_bytes:
                    raise FileTooLarge(f"{status.st_size} bytes, over the {max_bytes}-byte limit")
                data = head + stream.read(max(0, max_bytes + 1 - len(head)))
                size = max(len(data), os.fstat(stream.fileno()).st_size)
                if size > max_bytes:
                    raise FileTooLarge(f"{size} bytes, over the {max_bytes}-byte limit")
    except OSError as error:
        raise _open_error(error) from None
    if not head:
        raise EmptyInput("the file is empty")
    if fmt == "warc":
        records = read_warc(path, max_bytes=max_bytes, source=source, language=language)
    elif fmt == "jsonl":
        records = read_jsonl(path, max_bytes=max_bytes, source=source, language=language)
    else:
        records = _read_whole(path, data, fmt, source=source, language=language)
    return _scrubbed(records)


def _scrubbed(records: Iterator[Article | RecordError]) -> Iterator[Article | RecordError]:
    """Control characters out of the metadata (a JSON "\\u0000" in a source would fail PostgreSQL)."""
    for record in records:
        if isinstance(record, Article):
            for name in _METADATA:
                value = getattr(record, name)
                if value and _CONTROL_CHARS.search(value):
                    setattr(record, name, _CONTROL_CHARS.sub("", value).strip() or None)
        yield record


def _read_whole(
    path: Path, data: bytes, fmt: str, *, source: str | None, language: str | None
) -> Iterator[Article | RecordError]:
    """Decode a file read whole and run its reader (the checks raise before the first article)."""
    if not data.strip():
        raise EmptyInput("the file holds only whitespace")
    if b"\x00" in data[:HEAD_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise UnsupportedFormat("binary data, not text (NUL bytes)")
    declared = declared_encoding(data) if fmt in ("html", "feed") else None
    text, encoding = decode_bytes(data, declared=declared)
    _check_text(text)
    if fmt == "feed":
        return read_feed(text, path=str(path), encoding=encoding, source=source, language=language)
    if fmt == "html":
        article = html_to_article(text, path=str(path), encoding=encoding, source=source, language=language)
    else:
        article = text_to_article(text, path=str(path), encoding=encoding, source=source, language=language)
    return iter([article])
