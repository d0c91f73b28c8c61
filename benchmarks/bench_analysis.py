"""Quality and speed of per-article analysis on the labelled set in ``tests/resources/labelled/``.

Run: ``python benchmarks/bench_analysis.py [--articles N]``. Prints one row per language and writes the
table as the ``## Analysis`` section of ``benchmarks/results.md``.

Each labelled line is analysed as one article (``published`` from the line when given, so relative dates
can resolve). Matching is lenient on boundaries: two surfaces *overlap* when their character spans in the
text intersect, and *name the same thing* when they share a word token (lowercased ``\\w+``), so gold
"Piotr Nowak" matches a predicted "Piotr Nowak admitted" or "Nowak".

* entities: a predicted mention is correct when a gold entity of the same type overlaps it; a gold
  entity is found when a predicted mention of the same type overlaps it (P/R/F1 over these two counts).
* speaker accuracy: over gold quotes with a named speaker, the share for which a predicted quote
  overlaps the gold quote and its speaker entity (its name or any mention) shares a token with the gold
  speaker surface. Reported twice: on the labelled set and on the held-out multi-sentence snippets in
  ``tests/resources/labelled_quotes/`` (pronoun and role speakers, quotes over several sentences and
  paragraphs, dialogue dashes), which were written before the speaker rules were tuned and are not tuned on.
* descriptor recall: a gold descriptor is found when a predicted descriptor's text shares a token with
  it and its entity (name or mentions) shares a token with the gold entity.
* dates / numbers: a gold item is correct when a predicted mention overlaps it with the same value
  (and, for numbers, the same value within 1e-6 relative and the same unit).
* speed: articles of ~500 words made by concatenating labelled lines; articles/s and sentences/s of
  :func:`rashomon.analyse.analyse` (wall clock; ``--workers N`` spreads the articles over N spawned
  processes, as ``rashomon add --workers N`` does), and dates+numbers alone in CPU ms per article
  (budget: 5 ms).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import re
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from rashomon.analyse import analyse  # noqa: E402
from rashomon.analyse.dates import find_dates  # noqa: E402
from rashomon.analyse.numbers import find_numbers  # noqa: E402
from rashomon.models import Analysis, Article  # noqa: E402

LABELLED = ROOT / "tests" / "resources" / "labelled"
HELD_OUT = ROOT / "tests" / "resources" / "labelled_quotes"
RESULTS = ROOT / "benchmarks" / "results.md"
LANGUAGES = ("en", "ru", "be", "uk", "pl", "de")
WORDS_PER_ARTICLE = 500
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> set[str]:
    """Lowercased word tokens."""
    return {t.lower() for t in _TOKEN.findall(text)}


def span(text: str, surface: str) -> tuple[int, int]:
    """The first occurrence of ``surface`` in ``text`` (the labelled set guarantees there is one)."""
    start = text.find(surface)
    return (start, start + len(surface)) if start >= 0 else (-1, -1)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def ratio(num: int, den: int) -> float:
    return num / den if den else math.nan


@dataclass
class Tally:
    """Counts for one language."""

    ent_pred: int = 0
    ent_pred_ok: int = 0
    ent_gold: int = 0
    ent_gold_ok: int = 0
    spk: int = 0
    spk_ok: int = 0
    desc: int = 0
    desc_ok: int = 0
    dates: int = 0
    dates_ok: int = 0
    numbers: int = 0
    numbers_ok: int = 0
    errors: list[str] = field(default_factory=list)


def score(row: dict[str, Any], result: Analysis, tally: Tally) -> None:
    """Add one labelled line's comparison to ``tally``."""
    text = row["text"]
    predicted = [((m.start, m.end), e.type) for e in result.entities for m in e.mentions]
    gold = [(span(text, g["text"]), g["type"]) for g in row["entities"]]
    tally.ent_pred += len(predicted)
    tally.ent_pred_ok += sum(any(t == gt and overlaps(s, gs) for gs, gt in gold) for s, t in predicted)
    tally.ent_gold += len(gold)
    tally.ent_gold_ok += sum(any(t == gt and overlaps(s, gs) for s, t in predicted) for gs, gt in gold)
    names = score_speakers(row, result, tally)
    for d in row["descriptors"]:
        tally.desc += 1
        tally.desc_ok += any(
            tokens(p.text) & tokens(d["text"]) and names(p.entity) & tokens(d["entity"])
            for p in result.descriptors
        )
    for d in row["dates"]:
        tally.dates += 1
        ds = span(text, d["text"])
        ok = any(overlaps(ds, (p.start, p.end)) and p.value == d["value"] for p in result.dates)
        tally.dates_ok += ok
        if not ok:
            got = [(p.text, p.value) for p in result.dates if overlaps(ds, (p.start, p.end))]
            tally.errors.append(f"date: {d['text']!r}={d['value']} got {got}")
    for n in row["numbers"]:
        tally.numbers += 1
        ns = span(text, n["text"])
        ok = any(
            overlaps(ns, (p.start, p.end))
            and math.isclose(p.value, n["value"], rel_tol=1e-6)
            and p.unit == n["unit"]
            for p in result.numbers
        )
        tally.numbers_ok += ok
        if not ok:
            got = [(p.text, p.value, p.unit) for p in result.numbers if overlaps(ns, (p.start, p.end))]
            tally.errors.append(f"number: {n['text']!r}={n['value']} {n['unit']} got {got}")


def score_speakers(row: dict[str, Any], result: Analysis, tally: Tally) -> Callable[[str | None], set[str]]:
    """Add one line's speaker comparison to ``tally``; returns the key -> name tokens look-up."""
    text = row["text"]
    surfaces = {e.key: [e.name, *(m.text for m in e.mentions)] for e in result.entities}

    def names(key: str | None) -> set[str]:
        return set().union(*(tokens(s) for s in surfaces.get(key or "", [])))

    for q in row["quotes"]:
        if q["speaker"] is None:
            continue
        tally.spk += 1
        qs = span(text, q["text"])
        found = [p for p in result.quotes if overlaps(qs, (p.start, p.end))]
        ok = any(names(p.speaker) & tokens(q["speaker"]) for p in found)
        tally.spk_ok += ok
        if not ok:
            got = [(surfaces[p.speaker][0] if p.speaker in surfaces else None) for p in found] or "no quote"
            tally.errors.append(f"speaker: {q['speaker']!r} got {got} for {q['text'][:40]!r}")
    return names


def load(language: str, folder: Path = LABELLED) -> list[dict[str, Any]]:
    path = folder / f"{language}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def articles_of(rows: list[dict[str, Any]], count: int) -> Iterable[str]:
    """``count`` texts of ~WORDS_PER_ARTICLE words, cycling through the labelled lines."""
    i = 0
    for _ in range(count):
        parts: list[str] = []
        words = 0
        while words < WORDS_PER_ARTICLE:
            text = rows[i % len(rows)]["text"]
            parts.append(text)
            words += len(text.split())
            i += 1
        yield "\n\n".join(parts)


_REFERENCE = date(2021, 3, 15).isoformat()


def sentence_count(text: str, language: str) -> int:
    """Analyse one speed-test article; its sentence count (a worker task of :func:`speed`)."""
    return len(analyse(Article(title="", text=text, language=language, published=_REFERENCE)).sentences)


def speed(language: str, rows: list[dict[str, Any]], count: int, workers: int = 1) -> tuple[float, float, float]:
    """Articles/s and sentences/s of ``analyse`` (over ``workers`` processes), and dates+numbers ms/article."""
    texts = list(articles_of(rows, count))
    reference = _REFERENCE
    if workers > 1:  # spawned like `rashomon add --workers`; every worker loads its models before the clock
        context = multiprocessing.get_context("spawn")
        warm = (texts[0], language)
        with ProcessPoolExecutor(workers, mp_context=context, initializer=sentence_count, initargs=warm) as pool:
            list(pool.map(sentence_count, texts[:workers], [language] * workers))  # starts every worker
            start = time.perf_counter()
            sentences = sum(pool.map(sentence_count, texts, [language] * len(texts)))
            elapsed = time.perf_counter() - start
    else:
        sentence_count(texts[0], language)  # warm caches
        start = time.perf_counter()
        sentences = sum(sentence_count(text, language) for text in texts)
        elapsed = time.perf_counter() - start
    # Distinct texts: a new suffix defeats the per-text cache shared by find_dates and find_numbers.
    variants = [f"{text}\n{i}" for i, text in enumerate(texts)]
    start = time.process_time()  # CPU time: other processes on a shared machine inflate wall time
    for text in variants:
        find_dates(text, [], language, reference=reference)
        find_numbers(text, [], language)
    dn_ms = (time.process_time() - start) / len(variants) * 1000
    return count / elapsed, sentences / elapsed, dn_ms


def fmt(x: float) -> str:
    return "  –  " if math.isnan(x) else f"{x:.2f}"


def quality(language: str) -> tuple[Tally, Tally]:
    """Counts on the labelled lines of ``language``, and speaker counts on its held-out quote lines."""
    tally = Tally()
    for row in load(language):
        article = Article(title="", text=row["text"], language=language, published=row.get("published"))
        score(row, analyse(article), tally)
    held = Tally()
    for row in load(language, HELD_OUT):
        score_speakers(row, analyse(Article(title="", text=row["text"], language=language)), held)
    return tally, held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50, help="500-word articles per language for speed")
    parser.add_argument("--workers", type=int, default=1, help="processes for the speed test (articles/s in all)")
    parser.add_argument("--errors", action="store_true", help="print the misses per language")
    parser.add_argument("--no-write", action="store_true", help="do not write to benchmarks/results.md")
    args = parser.parse_args(argv)

    header = (
        "| lang | lines | ent P | ent R | ent F1 | speaker acc | speaker acc (held-out) | descr R | date acc "
        "| number acc | articles/s | sentences/s | dates+numbers CPU ms/article |"
    )
    lines = [header, "|" + "---|" * 13]
    for language in LANGUAGES:
        rows = load(language)
        tally, held = quality(language)
        p, r = ratio(tally.ent_pred_ok, tally.ent_pred), ratio(tally.ent_gold_ok, tally.ent_gold)
        f1 = 2 * p * r / (p + r) if p + r else math.nan
        aps, sps, dn_ms = speed(language, rows, args.articles, args.workers)
        lines.append(
            f"| {language} | {len(rows)} | {fmt(p)} | {fmt(r)} | {fmt(f1)} "
            f"| {fmt(ratio(tally.spk_ok, tally.spk))} | {fmt(ratio(held.spk_ok, held.spk))} "
            f"| {fmt(ratio(tally.desc_ok, tally.desc))} | {fmt(ratio(tally.dates_ok, tally.dates))} "
            f"| {fmt(ratio(tally.numbers_ok, tally.numbers))} | {aps:.1f} | {sps:.0f} | {dn_ms:.2f} |"
        )
        if args.errors:
            for error in tally.errors:
                print(f"  {language} {error}", file=sys.stderr)
            for error in held.errors:
                print(f"  {language} held-out {error}", file=sys.stderr)
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        append_results(table)
    return 0


def append_results(table: str) -> None:
    """Replace the ``## Analysis`` section of results.md with this run."""
    stamp = time.strftime("%Y-%m-%d %H:%M")
    replace_section(RESULTS, "## Analysis", f"### {stamp}\n\n{table}\n")


if __name__ == "__main__":
    raise SystemExit(main())
