"""What a reader yields for a record it cannot read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RecordError:
    """One unreadable record inside a multi-record file (a JSONL line, a WARC record, a feed entry)."""

    location: str  # e.g. "line 7", "record 12", "entry 3"
    reason: str
