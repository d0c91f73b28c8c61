"""Separate an article body from its page furniture: stamps, photo credits, share buttons, outlet line.

The words and labels come from ``rashomon/data/furniture.json``; this module only holds the rules.

Decisions worth knowing:

* A stamp line ("Updated at 09:41,17-03-2024", "Обновлено 17.03.2024, 09:41") is a label, a date, an
  optional time and nothing but connector words ("at", "um", "в"). A line that only holds a date is a
  publication stamp. "Published on 3 March the report said ..." is prose and stays in the body.
* A photo credit is "Label: credit" on its own line or at the end of a line ("Caption. Photo: X"). An
  empty credit ("Photo:") is dropped. The text before a trailing credit is a caption: it stays in the
  body only when it holds at least two sentences (a paragraph that a copy-paste glued to a credit);
  a single sentence or phrase before a credit is the picture's caption and is dropped.
* The outlet line is the first content line under the title when it is at most four words and does not
  end like a sentence ("RFE/RL", "Nasha Niva").
* Paragraphs: when the body uses blank lines, a blank line ends a paragraph and the lines in between are
  joined with a space (hard-wrapped text). A body without any blank line is split after each line that
  ends a sentence (one paragraph per line, as many copy-pastes have it), and hard-wrapped lines are joined.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..data import read_data_json

_SENTENCE_END = ".!?…"
_CLOSERS = "\"'»”’)]"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width characters and soft hyphens, and control characters (NUL and the like, which PostgreSQL
# refuses in text and no article means): removed from every line.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f]")
# Sentence boundary inside a caption: end punctuation, optional closer, space, capital or digit.
_SENTENCE_SPLIT = re.compile(r"[.!?…][\"'»”’)]*\s+(?=[\"'«„“(]?[^\W\d_])", re.UNICODE)
_MAX_SOURCE_WORDS = 4
_MAX_CREDIT_WORDS = 10  # longer "Photo: ..." text is prose about a photo, not a credit
_MAX_STAMP_CHARS = 120  # a stamp is a short line; a paragraph that starts with "Updated" is not one
_YEARS = (1970, 2100)


@dataclass(slots=True)
class Cleaned:
    """A body split from its furniture."""

    title: str
    paragraphs: list[str]
    source: str | None = None
    published: str | None = None
    updated: str | None = None
    photo_credits: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body as the Article stores it: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class _Rules:
    stamp: re.Pattern[str]
    stamp_kinds: dict[str, str]  # label (casefolded) -> "updated" | "published"
    english_labels: frozenset[str]
    connectors: frozenset[str]
    months: dict[str, int]
    credit_line: re.Pattern[str]
    credit_tail: re.Pattern[str]
    share: frozenset[str]
    share_glue: frozenset[str]


def _words(section: dict[str, Any]) -> dict[str, list[str]]:
    return {key: value for key, value in section.items() if not key.startswith("_")}


def _alternation(labels: list[str]) -> str:
    return "|".join(re.escape(label) for label in sorted(set(labels), key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = read_data_json("furniture.json")
    kinds: dict[str, str] = {}
    english: set[str] = set()
    for kind in ("updated", "published"):
        for language, labels in _words(raw[f"{kind}_labels"]).items():
            for label in labels:
                kinds[label.casefold()] = kind
                if language == "en":
                    english.add(label.casefold())
    stamp = re.compile(
        rf"^(?P<label>{_alternation(list(kinds))})(?![^\W_])\s*(?:[:\-–—|]\s*)?(?P<rest>.*)$",
        re.IGNORECASE,
    )
    months = {
        name.casefold(): int(number) for number, names in _words(raw["months"]).items() for name in names
    }
    photo = [label for labels in _words(raw["photo_labels"]).values() for label in labels]
    photo_labels = _alternation(photo)
    credit_line = re.compile(rf"^[(\[]?(?:{photo_labels})\.?\s*:\s*(?P<credit>.*?)[)\]]?$", re.IGNORECASE)
    credit_tail = re.compile(
        rf"^(?P<before>.*?[{re.escape(_SENTENCE_END + _CLOSERS)}])\s*[(\[]?(?:{photo_labels})\.?\s*:\s*"
        rf"(?P<credit>[^:]*?)[)\]]?$",
        re.IGNORECASE,
    )
    share_sections = _words(raw["share_words"])
    glue = {word.casefold() for word in share_sections.pop("glue")}
    share = {word.casefold() for words in share_sections.values() for word in words}
    connectors = {word.casefold() for word in raw["stamp_connectors"]["words"]}
    return _Rules(
        stamp=stamp,
        stamp_kinds=kinds,
        english_labels=frozenset(english),
        connectors=frozenset(connectors),
        months=months,
        credit_line=credit_line,
        credit_tail=credit_tail,
        share=frozenset(share),
        share_glue=frozenset(glue),
    )


# -- dates ------------------------------------------------------------------------------------------

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?!\d)")
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})(?!\d)")
_MONTH_DAY = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
_TIME = re.compile(
    r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?!\d)(?:\s*([ap])\.?m\b\.?)?", re.IGNORECASE
)


def _valid(year: int, month: int, day: int) -> bool:
    if not _YEARS[0] <= year <= _YEARS[1]:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_stamp_date(text: str, *, english: bool = False) -> tuple[str, str] | None:
    """An ISO 8601 date (``2024-03-17`` or ``2024-03-17T09:41``) found in ``text``, and the leftover text.

    ``english`` reads ``04/05/2024`` as April 5 (US usage) when the day cannot tell, and honours
    "a.m."/"p.m." (in German "am" is a preposition: "um 09:15 am 14.03.2023").
    """
    months = _rules().months
    found: tuple[int, int, int] | None = None
    span = (0, 0)
    time: tuple[int, int] | None = None
    if match := _ISO.search(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        if _valid(year, month, day):
            found, span = (year, month, day), match.span()
            if match[4]:
                time = (int(match[4]), int(match[5]))
    if found is None and (match := _NUMERIC.search(text)):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        order = [(second, first), (first, second)]  # (month, day) readings, day-first preferred
        if english and match[2] == "/":
            order.reverse()
        for month, day in order:
            if _valid(year, month, day):
                found, span = (year, month, day), match.span()
                break
    if found is None:
        for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
            for match in pattern.finditer(text):
                month_number = months.get(match[month_group].casefold())
                if month_number and _valid(int(match[3]), month_number, int(match[day_group])):
                    found, span = (int(match[3]), month_number, int(match[day_group])), match.span()
                    break
            if found:
                break
    if found is None:
        return None
    leftover = text[: span[0]] + " " + text[span[1] :]
    if time is None and (match := _TIME.search(leftover)):
        hour = int(match[1])
        if english and match[3] and 1 <= hour <= 12:
            hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
        time = (hour, int(match[2]))
        leftover = leftover[: match.start()] + " " + leftover[match.end() :]
    iso = f"{found[0]:04d}-{found[1]:02d}-{found[2]:02d}"
    if time:
        iso += f"T{time[0]:02d}:{time[1]:02d}"
    return iso, leftover


def parse_stamp(line: str) -> tuple[str, str] | None:
    """``("updated" | "published", iso)`` when ``line`` is an update/publication stamp, else ``None``."""
    if len(line) > _MAX_STAMP_CHARS or not any(ch.isdigit() for ch in line):
        return None
    rules = _rules()
    kind = "published"  # a line that is only a date is when the article came out
    rest = line
    english = False
    if match := rules.stamp.match(line):
        label = match["label"].casefold()
        kind = rules.stamp_kinds[label]
        english = label in rules.english_labels
        rest = match["rest"]
    elif (match := _DATELINE.match(line)) and _is_place(match["place"]):
        rest = match["rest"]  # a dateline: "Минск, 11 октября 2020 года" is when the report was filed
    parsed = parse_stamp_date(rest, english=english)
    if parsed is None:
        return None
    iso, leftover = parsed
    if any(word.casefold() not in rules.connectors for word in _WORD.findall(leftover)):
        return None
    return kind, iso


# A dateline: a place of up to three comma-separated parts, then a date ("MINSK, Belarus, 11 Oct 2020").
_PLACE_PART = r"[^\W\d_][^\d,:;!?()]{0,40}"
_DATELINE = re.compile(rf"^(?P<place>{_PLACE_PART}(?:,\s*{_PLACE_PART}){{0,2}}),\s*(?P<rest>.+)$")
_MAX_PLACE_WORDS = 5


def _is_place(text: str) -> bool:
    """Whether a dateline's place part is short and capitalised ("ГРОДНО", "Mielec, Poland")."""
    words = _WORD.findall(text)
    return 0 < len(words) <= _MAX_PLACE_WORDS and all(word[0].isupper() for word in words)


_STAMP_SEPARATORS = re.compile(r"\s*[|·•]\s*")


def parse_stamps(line: str) -> list[tuple[str, str]] | None:
    """Every stamp on a line such as ``Published: 14.03.2023 | Updated: 15.03.2023``, else ``None``."""
    single = parse_stamp(line)
    if single:
        return [single]
    parts = [part for part in _STAMP_SEPARATORS.split(line) if part]
    if len(parts) < 2:
        return None
    stamps = [parse_stamp(part) for part in parts]
    return None if any(stamp is None for stamp in stamps) else [s for s in stamps if s]


# -- lines ------------------------------------------------------------------------------------------


def normalise_line(line: str) -> str:
    """One line with invisible characters removed and runs of spaces collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _clean_credit(credit: str) -> str:
    return credit.strip().strip(" .,;/|").strip()


def split_credit(line: str) -> tuple[str | None, str | None]:
    """``(text kept, credit)`` for a line with a photo credit; ``(line, None)`` when there is none.

    The kept text is ``None`` when the whole line is furniture (a credit, or a caption plus credit).
    """
    rules = _rules()
    if match := rules.credit_line.match(line):
        credit = _clean_credit(match["credit"])
        if len(credit.split()) <= _MAX_CREDIT_WORDS:
            return None, credit or None
        return line, None
    if (match := rules.credit_tail.match(line)) and ":" in line:
        credit = _clean_credit(match["credit"])
        if len(credit.split()) > _MAX_CREDIT_WORDS:
            return line, None
        before = match["before"].strip()
        sentences = [part for part in _SENTENCE_SPLIT.split(before) if part.strip()]
        return (before if len(sentences) >= 2 else None), credit or None
    return line, None


def is_share_line(line: str) -> bool:
    """Whether ``line`` is nothing but share/social buttons ("Share", "Поделиться", "Facebook Twitter")."""
    rules = _rules()
    words = [word.casefold() for word in _WORD.findall(line)]
    if not words or len(words) > 12:
        return False
    if not any(word in rules.share for word in words):
        return False
    return all(word in rules.share or word in rules.share_glue for word in words)


def _key(line: str) -> str:
    return " ".join(_WORD.findall(line.casefold()))


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in _SENTENCE_END if line.rstrip(_CLOSERS) else False


def _looks_like_source(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _MAX_SOURCE_WORDS
        and line[-1] not in _SENTENCE_END + ":,;-–—"
        and any(ch.isalpha() for ch in line)
    )


# -- the body ---------------------------------------------------------------------------------------


def clean(
    text: str, *, title: str | None = None, find_source: bool = True, line_paragraphs: bool = False
) -> Cleaned:
    """Split ``text`` into title, body paragraphs and furniture.

    Args:
        text: the article as plain text, paragraphs separated by blank lines or by line breaks.
        title: the title when the caller knows it (HTML, feeds); else the first content line is taken.
        find_source: look for an outlet line right under the title.
        line_paragraphs: every line is a paragraph (text extracted from HTML blocks).

    Returns:
        The title, the clean paragraphs and the furniture found (stamps, credits, outlet).
    """
    result = Cleaned(title=normalise_line(title) if title else "", paragraphs=[])
    credits: list[str] = []
    blocks: list[list[str]] = [[]]
    # Only the first content line under the title can be the outlet line.
    awaiting_source = find_source
    title_key = _key(result.title) if result.title else None
    for raw_line in text.splitlines():
        line = normalise_line(raw_line)
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        stamps = parse_stamps(line)
        if stamps:
            for kind, iso in stamps:
                if kind == "updated" and result.updated is None:
                    result.updated = iso
                elif kind == "published" and result.published is None:
                    result.published = iso
            continue
        if is_share_line(line):
            continue
        kept, credit = split_credit(line)
        if credit and credit not in credits:
            credits.append(credit)
        if kept is None:
            continue
        if title_key is None:
            result.title = kept
            title_key = _key(kept)
            continue
        if _key(kept) == title_key:
            continue  # the title repeated above the body
        if awaiting_source:
            awaiting_source = False
            if _looks_like_source(kept):
                result.source = kept
                continue
        blocks[-1].append(kept)
    blocks = [block for block in blocks if block]
    blank_separated = len(blocks) > 1
    for block in blocks:
        if line_paragraphs:
            result.paragraphs.extend(block)
            continue
        if blank_separated:
            result.paragraphs.append(" ".join(block))
            continue
        current: list[str] = []
        for line in block:
            current.append(line)
            if _ends_sentence(line):
                result.paragraphs.append(" ".join(current))
                current = []
        if current:
            result.paragraphs.append(" ".join(current))
    result.photo_credits = credits
    return result
