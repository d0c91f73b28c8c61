"""Turn the bytes of a file into text, including the single-byte Cyrillic code pages of older news sites.

Order: byte-order mark; strict UTF-8; a declared charset (``<meta charset>``, ``<?xml encoding?>``)
that decodes cleanly and reads no worse than the alternatives; charset-normalizer; then a sanity check
for Cyrillic and Latin single-byte text. charset-normalizer alone mixes up cp1251, KOI8-R,
ISO-8859-5 and mac-cyrillic on short news texts (they share the byte range, only the letter mapping
differs), so every candidate of the family is decoded and scored on how Russian/Belarusian/Ukrainian
(or Polish/German) its letters read: common letters score high, box-drawing and control characters
and an upper-case letter right after a lower-case one score low.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from collections.abc import Sequence

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CYRILLIC_CANDIDATES = ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "mac-cyrillic")
_LATIN_CANDIDATES = ("iso8859-1", "cp1252", "iso8859-15", "iso8859-2", "cp1250")
_FAMILIES = {name: "cyrillic" for name in (*_CYRILLIC_CANDIDATES, "cp866", "mac-cyrillic")} | {
    name: "latin" for name in (*_LATIN_CANDIDATES, "ascii", "mac-roman", "iso8859-4", "iso8859-13", "cp1257")
}
# 256 KB is enough for charset-normalizer and the scoring; the whole file is then decoded once.
_SAMPLE_BYTES = 256 * 1024
# A declared charset is kept unless another candidate reads better by this much per non-ASCII
# character (log scale): KOI8-R bytes declared as cp1251 score ~4 lower, cp1251 vs mac-cyrillic on
# real cp1251 text ~1.5 lower, two equivalent readings (latin-1 vs latin-2 German) 0.
_DECLARED_MARGIN = 0.5
# A Cyrillic reading this readable (mean log-likelihood per non-ASCII character) beats a CJK or Greek
# guess of charset-normalizer, which it makes on short Cyrillic texts: Russian/Belarusian news read
# correctly score -2.9 to -3.4, Greek cp1253 read as any Cyrillic code page -4.3 or lower.
_PLAUSIBLE_CYRILLIC = -3.8
# Share of the letters that must be non-ASCII (read as cp1251) for text to count as Cyrillic:
# Russian is ~100 %, Polish ~8 %, German ~2 %.
_CYRILLIC_SHARE = 0.3

# Letter frequencies in per cent: Russian (Sharoff's corpus counts), with і/ў (Belarusian) and
# ї/є/ґ (Ukrainian) at their rates in those languages, so all three read as plausible.
_CYRILLIC_FREQ = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73, "в": 4.54,
    "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01, "ы": 1.90, "ь": 1.74,
    "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97, "ж": 0.94, "ш": 0.73, "ю": 0.64,
    "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04, "ё": 0.04, "і": 5.0, "ў": 1.5, "ї": 0.6,
    "є": 0.4, "ґ": 0.02,
}  # fmt: skip
# Accented letters of the Latin-script languages we meet (pl, de, cs, sk, fr, lt, lv, hu).
_LATIN_LETTERS = set("ąćęłńóśźżäöüßéèêëàâçîïôûùœěščřžýáíúůťďňľĺŕőűėįųūčšžāēīņļķģ")
_PUNCTUATION = set("«»–—„“”‘’‚…•·°№€©®™§\u00a0")
_WORD_CASE = re.compile(r"[a-zа-яёіўїєґ][A-ZА-ЯЁІЎЇЄҐ]")
_INNER_CAPITAL = re.compile(r"(?<=[^\W\d_])[A-ZА-ЯЁІЎЇЄҐ]")


def _log(percent: float) -> float:
    return math.log(percent / 100)


_SCORE_PUNCTUATION = _log(0.5)
_SCORE_FOREIGN_LETTER = _log(0.01)
_SCORE_SYMBOL = _log(0.001)
_SCORE_CONTROL = _log(0.00001)
_SCORE_CASE_ODDITY = _log(0.01)
# Capitals inside words (КГБ, МИНСК) are a few per cent of real text's letters and most of the letters
# of KOI8-R read as cp1251 (whose lower and upper case are swapped).
_SCORE_INNER_CAPITAL = _log(10.0)
_SCORE_LATIN_COMMON = _log(1.0)
_SCORE_LATIN_OTHER = _log(0.05)


def _char_score(ch: str, family: str) -> float:
    if ch.isalpha():
        if family == "cyrillic":
            freq = _CYRILLIC_FREQ.get(ch.lower())
            return _log(freq) if freq else _SCORE_FOREIGN_LETTER
        if ch.lower() in _LATIN_LETTERS:
            return _SCORE_LATIN_COMMON
        return _SCORE_LATIN_OTHER if "LATIN" in unicodedata.name(ch, "") else _SCORE_FOREIGN_LETTER
    if ch in _PUNCTUATION:
        return _SCORE_PUNCTUATION
    if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"):
        return _SCORE_CONTROL
    return _SCORE_SYMBOL


def readability(text: str, family: str) -> float:
    """Mean log-likelihood of ``text``'s non-ASCII characters as ``family`` ("cyrillic"/"latin") text."""
    total = 0.0
    count = 0
    for ch in text:
        if ord(ch) >= 0x80:
            total += _char_score(ch, family)
            count += 1
    if not count:
        return 0.0
    total += _SCORE_CASE_ODDITY * len(_WORD_CASE.findall(text))
    total += _SCORE_INNER_CAPITAL * len(_INNER_CAPITAL.findall(text))
    return total / count


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _family_of(data: bytes) -> str:
    text = data.decode("cp1251", errors="replace")
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "latin"
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return "cyrillic" if cyrillic / len(letters) >= _CYRILLIC_SHARE else "latin"


_DECLARATION = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)


def declared_encoding(head: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or an XML declaration in the first 4 KB names, if Python knows it."""
    match = _DECLARATION.search(head[:4096])
    if not match:
        return None
    name = _canonical((match[1] or match[2]).decode("ascii"))
    # A declaration readable as ASCII cannot be in UTF-16/32; files in those carry a BOM instead.
    if name is None or name.startswith(("utf-16", "utf-32")):
        return None
    return name


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text.

    Args:
        data: the raw bytes of a file or record.
        declared: the charset the document or its HTTP header declares, if any.

    Returns:
        The text (without BOM) and the canonical Python name of the encoding used.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(name.replace("-sig", ""), errors="replace")
            return text, "utf-8" if name == "utf-8-sig" else name.replace("-le", "").replace("-be", "")
    declared = _canonical(declared) if declared else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and data.isascii() and _decode(data, declared) == text:
            return text, declared
        return text, "utf-8"
    sample = data[:_SAMPLE_BYTES]
    family = _family_of(sample)
    ordered = ([declared] if declared else []) + list(
        _CYRILLIC_CANDIDATES if family == "cyrillic" else _LATIN_CANDIDATES
    )
    candidates = _readings(sample, ordered, cut=len(sample) < len(data))
    scores = {name: readability(text, family) for name, text in candidates.items()}
    best = max(scores, key=lambda name: scores[name])
    guess_name: str | None = None
    # charset-normalizer costs ~10 ms a file; a plausible Cyrillic reading needs no second opinion.
    if not (family == "cyrillic" and scores[best] >= _PLAUSIBLE_CYRILLIC):
        guess = from_bytes(sample).best()
        guess_name = _canonical(guess.encoding) if guess else None
    if guess_name and guess_name not in candidates:
        # last: on a tie the usual code page of the family wins
        candidates.update(_readings(sample, [guess_name], cut=len(sample) < len(data)))
        if guess_name in candidates:
            scores[guess_name] = readability(candidates[guess_name], family)
            if scores[guess_name] > scores[best]:
                best = guess_name
    if declared in scores and scores[declared] >= scores[best] - _DECLARED_MARGIN:
        best = declared
    elif (
        guess_name in candidates
        and guess_name not in _FAMILIES
        and not _is_single_byte_alphabetic(candidates[guess_name])
    ):
        best = guess_name  # CJK, Greek, Arabic, ...: charset-normalizer's domain, not ours
    return data.decode(best, errors="replace"), best


def _readings(sample: bytes, names: Sequence[str], *, cut: bool) -> dict[str, str]:
    """``sample`` decoded with each encoding that reads it without error."""
    readings: dict[str, str] = {}
    for name in names:
        if name not in readings:
            reading = _decode(sample, name)
            if reading is None and cut:
                # A multi-byte character cut by the sample boundary must not disqualify a candidate.
                reading = sample.decode(name, errors="ignore")
            if reading is not None:
                readings[name] = reading
    return readings


def _is_single_byte_alphabetic(text: str) -> bool:
    """Whether the letters of ``text`` are mostly Latin or Cyrillic (the families we score)."""
    letters = [ch for ch in text[:20000] if ch.isalpha() and ord(ch) >= 0x80]
    if not letters:
        return True
    ours = sum(1 for ch in letters if ch <= "\u024f" or "\u0400" <= ch <= "\u04ff")
    return ours / len(letters) > 0.5
