"""Read articles from files: plain text, HTML, RSS/Atom, WARC, JSONL; format detected by content.

:func:`read_path` is the one entry point: it yields each article a file holds, or a
:class:`RecordError` for a record that cannot be read while the rest of the file still is.
A problem with the whole file raises :class:`~rashomon.errors.InputError`.
"""

from __future__ import annotations

from .detect import detect_format, read_path
from .record import RecordError

__all__ = ["RecordError", "detect_format", "read_path"]
