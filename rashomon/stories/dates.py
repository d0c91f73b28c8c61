"""When the event an article reports happened, as story clustering uses it.

The one place that decides whether two articles' dates allow them to report one event, used by
``add`` and ``recluster`` (:mod:`rashomon.stories`, :mod:`rashomon.stories.blocks`), ``similarity``
and the Spark batch. Three kinds of date, kept apart:

* the **event day** the text gives (``2020-10-11``, or "on Monday" resolved against the
  publication date by :mod:`rashomon.analyse.dates`);
* a **year-less day** (``--03-03``, "3 March" with no year and no publication date): it meets a full
  date of the same month and day in any year;
* the **bound**: the earliest of the page's publication and update stamps. The event happened on or
  before it, so it never places the event by itself: a page re-stamped "Updated at ... 2024" still
  reports a 2020 meeting. It only rules out an event dated after the page came out.

Two articles are kept apart when their event days (full or year-less) lie more than the window apart,
or when one's event day is after the other's bound by more than the window. Anything else -- an
undated article, a page stamp years later -- is left to the scorer.

An event that lasts (a flood, a blockade, a trial) has a **timeline**: the other days the text names
near its event day ("since Sunday", "on Tuesday"). Two reports of it may pick different days as the
event day, so the scorer measures the gap from each one's event day to the nearest day of the other's
timeline (:func:`timeline_gap`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..models import Analysis, Article

__all__ = [
    "EventTime",
    "compatible",
    "day_gap",
    "event_time",
    "month_day",
    "parse_day",
    "timeline_gap",
    "timeline_gap_matrix",
]

# Days in the leap year 2000: year-less days are compared on its calendar, wrapping at the new year.
_YEAR_DAYS = 366
_MD_BASE = date(2000, 1, 1).toordinal()
# Days a text names within this many days of its event day belong to the event's timeline: the span
# of a lasting event that reports date differently ("since Sunday" / "on Tuesday"), kept as short as
# the clustering window so that an earlier event the text recalls stays out.
TIMELINE_DAYS = 3


@dataclass(frozen=True, slots=True)
class EventTime:
    """What an article's dates say about its event."""

    day: date | None = None  # the event day from the text
    month_day: int | None = None  # day of the (leap) year 0..365 of the event, full or year-less
    bound: date | None = None  # the event happened on or before this day (publication/update stamp)
    first: date | None = None  # the earliest and latest days of the event's timeline (``day`` included)
    last: date | None = None

    @property
    def ordinal(self) -> int | None:
        """The event day's ordinal, for date blocks; ``None`` when the text gives no full date."""
        return self.day.toordinal() if self.day else None


def parse_day(value: str | None) -> date | None:
    """The calendar day of an ISO date or timestamp (``2020-10-11T08:00``), else ``None``."""
    if not value or len(value) < 10 or value.startswith("--"):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def month_day(value: str | date | None) -> int | None:
    """Day of the leap year (0..365) of a full date or a year-less ``--MM-DD``, else ``None``."""
    if isinstance(value, date):
        month, day = value.month, value.day
    elif value and len(value) == 7 and value.startswith("--"):
        try:
            month, day = int(value[2:4]), int(value[5:7])
        except ValueError:
            return None
    else:
        return None
    try:
        return date(2000, month, day).toordinal() - _MD_BASE
    except ValueError:
        return None


def event_time(article: Article, analysis: Analysis | None) -> EventTime:
    """An article's event day (from its text), year-less day and bound (from its page stamps)."""
    stamps = [d for d in (parse_day(article.published), parse_day(article.updated)) if d]
    value = analysis.event_date if analysis else None
    day = parse_day(value)
    first = last = day
    if day and analysis:
        named = [d for d in (parse_day(x.value) for x in analysis.dates) if d]
        near = [d for d in named if abs((d - day).days) <= TIMELINE_DAYS] + [day]
        first, last = min(near), max(near)
    return EventTime(
        day=day,
        month_day=month_day(day or value),
        bound=min(stamps) if stamps else None,
        first=first,
        last=last,
    )


def _circular(a: int, b: int) -> int:
    d = abs(a - b)
    return min(d, _YEAR_DAYS - d)


def day_gap(a: EventTime, b: EventTime) -> int | None:
    """Days between two event days: exact for two full dates, around the calendar when one has no year."""
    if a.day and b.day:
        return abs((a.day - b.day).days)
    md_a = a.month_day if a.month_day is not None else month_day(a.day)
    md_b = b.month_day if b.month_day is not None else month_day(b.day)
    if md_a is not None and md_b is not None:
        return _circular(md_a, md_b)
    return None


def _to_span(day: date, first: date, last: date) -> int:
    return max((first - day).days, (day - last).days, 0)


def timeline_gap(a: EventTime, b: EventTime) -> int | None:
    """:func:`day_gap`, counted for two full event days from each to the nearest day of the other's timeline."""
    gap = day_gap(a, b)
    if not (a.day and b.day and a.first and a.last and b.first and b.last):
        return gap
    return min(_to_span(a.day, b.first, b.last), _to_span(b.day, a.first, a.last))


def compatible(a: EventTime, b: EventTime, window: int) -> bool:
    """Whether the dates allow one event: event days within ``window``, neither after the other's bound."""
    gap = day_gap(a, b)
    if gap is not None and gap > window:
        return False
    if a.day and b.bound and (a.day - b.bound).days > window:
        return False
    return not (b.day and a.bound and (b.day - a.bound).days > window)


def gap_matrix(
    day_a: np.ndarray, md_a: np.ndarray, day_b: np.ndarray, md_b: np.ndarray
) -> np.ndarray:
    """:func:`day_gap` for every pair of two arrays (-1 for unknown), ``-1`` where it is unknown."""
    full = np.abs(day_a[:, None] - day_b[None, :])
    raw = np.abs(md_a[:, None] - md_b[None, :])
    circular = np.minimum(raw, _YEAR_DAYS - raw)
    both_full = (day_a[:, None] >= 0) & (day_b[None, :] >= 0)
    both_md = (md_a[:, None] >= 0) & (md_b[None, :] >= 0)
    return np.where(both_full, full, np.where(both_md, circular, -1))


def timeline_gap_matrix(
    gap: np.ndarray, a: tuple[np.ndarray, np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    """:func:`timeline_gap` for every pair, given :func:`gap_matrix` and each side's ordinals
    ``(day, first, last)`` (-1 for unknown)."""
    day_a, first_a, last_a = (v[:, None] for v in a)
    day_b, first_b, last_b = (v[None, :] for v in b)
    a_to_b = np.maximum(np.maximum(first_b - day_a, day_a - last_b), 0)
    b_to_a = np.maximum(np.maximum(first_a - day_b, day_b - last_a), 0)
    known = (day_a >= 0) & (day_b >= 0) & (first_a >= 0) & (first_b >= 0)
    return np.where(known, np.minimum(a_to_b, b_to_a), gap)


def compatible_matrix(
    gap: np.ndarray, day_a: np.ndarray, bound_a: np.ndarray, day_b: np.ndarray, bound_b: np.ndarray, window: int
) -> np.ndarray:
    """:func:`compatible` for every pair, given :func:`gap_matrix` (``-1`` for unknown ordinals)."""
    ok = ~((gap >= 0) & (gap > window))
    ok &= ~((day_a[:, None] >= 0) & (bound_b[None, :] >= 0) & (day_a[:, None] - bound_b[None, :] > window))
    ok &= ~((day_b[None, :] >= 0) & (bound_a[:, None] >= 0) & (day_b[None, :] - bound_a[:, None] > window))
    return ok
