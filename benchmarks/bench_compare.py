"""Comparison benchmark on the sample corpus: conflicts found, statement alignment, latency.

The sample corpus (rashomon/data/sample/articles) is ingested and analysed by the real pipeline; each
gold event (rashomon/data/sample/gold.json) becomes one story, so clustering errors do not blur the
comparison. Measured:

* conflict recall: a gold conflict is found when one ``conflict`` statement holds claims of two
  articles whose gold values differ; pair recall counts every such article pair;
* conflict precision: share of ``conflict`` statements that hold such a pair (conflicts the gold does
  not list are printed for inspection: some are real);
* alignment: share of an article's statements aligned with another article of the same event, and
  the false-alignment rate when an article of a *different* event with the same actors is added to
  the story (every alignment of its sentences is wrong);
* latency of :func:`compare_story` per story, models loaded, and on a 20-article story (four gold
  events joined): first compare with the statement vectors stored as ``add`` stores them (the corpus
  is added unclustered, so they are stored here), :func:`cached_compare` first and repeated, then
  embedding every statement; each with the load average, as the machine may be shared;
* on the labelled pairs (benchmarks/data/statement_pairs.tsv), each pair stored as a two-article story:
  alignment precision/recall/F1 (a pair labelled same or conflicting must share a statement, a pair
  labelled different must not) and conflict precision/recall (label 2 must give a conflict statement).

    python benchmarks/bench_compare.py           # prints, rewrites "## Compare" in benchmarks/results.md
    python benchmarks/bench_compare.py --pairs   # the labelled pairs only, misses listed with their extractions
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from results_file import replace_section  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from rashomon import embeddings  # noqa: E402
from rashomon.analyse import analyse  # noqa: E402
from rashomon.compare import compare_story, default_embedder, statement_texts  # noqa: E402
from rashomon.compare_cache import cached_compare  # noqa: E402
from rashomon.linking import resolve_entities  # noqa: E402
from rashomon.models import Article, Story  # noqa: E402
from rashomon.pipeline import add_paths  # noqa: E402
from rashomon.sentence_vectors import ensure_statement_vectors  # noqa: E402
from rashomon.settings import Settings  # noqa: E402
from rashomon.store import Store, open_store  # noqa: E402

SAMPLE = ROOT / "rashomon" / "data" / "sample"
NEWSDEV = ROOT.parent / "shared" / "eval" / "newsdev"
RESULTS = ROOT / "benchmarks" / "results.md"
PAIRS = ROOT / "benchmarks" / "data" / "statement_pairs.tsv"
# Own held-out split: labelled before the fact-based conflicts were written, never tuned on.
PAIRS_TEST = ROOT / "benchmarks" / "data" / "statement_pairs_test.tsv"
PAIRS_PUBLISHED = "2025-06-12"  # any day: both articles of a pair are stamped with it
# Intruders for the false-alignment test, story -> event the intruding article comes from. Same actors
# a few weeks apart (trial/verdict) share real background statements, so some of their alignments are
# right; an unrelated event's article shares none.
SAME_ACTORS = {"A1": "A2", "A2": "A1", "B2": "B3", "B3": "B2"}
UNRELATED = {"A1": "A4", "A3": "B5", "A5": "B2", "B1": "A2", "B4": "A5"}
_NUMBER = re.compile(r"\d[\d,.]*")


def value_key(value: str) -> str:
    """A gold value reduced to what must match: its first figure ("about 4 hours" -> "4"), else the text."""
    found = _NUMBER.search(value)
    return found.group(0).replace(",", "").rstrip(".") if found else value.lower()


def ingest(store: Store) -> dict[tuple[str, str], str]:
    """Add the sample corpus; returns (file, title) -> article id."""
    files = sorted(p for p in (SAMPLE / "articles").iterdir() if p.is_file())
    report = add_paths(store, files, settings=Settings(cluster=False))
    for where, reason in report.failures:
        print(f"ingest failed: {where}: {reason}", file=sys.stderr)
    ids = {}
    for article in store.list_articles():
        name = Path(article.path or "").name
        ids[(name, article.title.strip())] = article.id
    return ids


def find(ids: dict[tuple[str, str], str], file: str, title: str) -> str | None:
    """The stored id of a gold article (by file and title; by title alone for re-packed files)."""
    found = ids.get((file, title.strip()))
    if found is None:
        matches = [i for (_f, t), i in ids.items() if t == title.strip()]
        found = matches[0] if len(matches) == 1 else None
    return found


def make_story(store: Store, story_id: str, title: str, article_ids: list[str]) -> None:
    """Store a story holding exactly these articles."""
    with store.transaction():
        store.save_story(Story(id=story_id, title=title, event_date=None))
        for article_id in article_ids:
            store.assign_article(article_id, story_id)


def intrusion(store: Store, events: dict[str, list[str]], pairs: dict[str, str]) -> tuple[int, int]:
    """(aligned, total) statements of an article from another event added to a story."""
    aligned = total = 0
    for event_id, other in pairs.items():
        intruder = events[other][0]
        make_story(store, f"mix-{event_id}", "mix", [*events[event_id], intruder])
        for statement in compare_story(store, f"mix-{event_id}")["statements"]:
            mine = [c for c in statement["claims"] if c["article"] == intruder]
            total += len(mine)
            aligned += len(mine) if len(statement["claims"]) > 1 else 0
        make_story(store, other, other, events[other])  # put the intruder back
        make_story(store, event_id, event_id, events[event_id])
    return aligned, total


def describe(store: Store, article_id: str) -> str:
    """One side of a labelled pair with what analysis extracted: numbers, dates, entities."""
    article, analysis = store.get_article(article_id), store.get_analysis(article_id)
    if analysis is None:
        return article_id
    numbers = ", ".join(f"{n.value:g}{' ' + n.unit if n.unit else ''}{' ~' if n.approximate else ''}"
                        for n in analysis.numbers)
    dates = ", ".join(d.value for d in analysis.dates)
    entities = ", ".join(f"{e.name}/{e.type}" for e in analysis.entities)
    return f"{article.language}: {article.text}\n      numbers [{numbers}] dates [{dates}] entities [{entities}]"


def pairs(store: Store, *, verbose: bool, path: Path = PAIRS, prefix: str = "pair") -> dict[str, float]:
    """Alignment and conflict scores on the labelled pairs, each stored as a two-article story.

    As in the pipeline, both articles carry a publication date (one day for every pair: articles of one
    story appear within a day or two, so "on Tuesday" and "w piątek" resolve to dates) and entities
    are resolved across the stored articles before comparing.
    """
    counts = {"tp": 0, "fp": 0, "fn": 0, "ctp": 0, "cfp": 0, "cfn": 0}
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    stories: list[tuple[str, list[str]]] = []
    for number, (_label, lang_a, text_a, lang_b, text_b) in enumerate(rows):
        ids = []
        for side, language, text in (("a", lang_a, text_a), ("b", lang_b, text_b)):
            article = Article(id=f"{prefix}{number}{side}", title="", text=text, language=language,
                              source=f"source {side}", published=PAIRS_PUBLISHED)
            with store.transaction():
                store.insert_article(article, fingerprint=article.id, bands=[])
                store.save_analysis(analyse(article))
            ids.append(article.id)
        make_story(store, f"{prefix}{number}", "pair", ids)
        stories.append((f"{prefix}{number}", ids))
    resolve_entities(store)
    for (label, *_texts), (story_id, ids) in zip(rows, stories, strict=True):
        statements = compare_story(store, story_id)["statements"]
        both = [s for s in statements if {c["article"] for c in s["claims"]} == set(ids)]
        aligned, conflict = bool(both), any(s["status"] == "conflict" for s in both)
        gold_aligned, gold_conflict = label != "0", label == "2"
        counts["tp"] += aligned and gold_aligned
        counts["fp"] += aligned and not gold_aligned
        counts["fn"] += gold_aligned and not aligned
        counts["ctp"] += conflict and gold_conflict
        counts["cfp"] += conflict and not gold_conflict
        counts["cfn"] += gold_conflict and not conflict
        if verbose and (aligned != gold_aligned or conflict != gold_conflict):
            print(f"{story_id} label {label}: aligned={aligned} conflict={conflict}")
            for article_id in ids:
                print(f"    {describe(store, article_id)}")
            for statement in both:
                print(f"    note: {statement['note']}")
    c = counts
    precision = c["tp"] / max(c["tp"] + c["fp"], 1)
    recall = c["tp"] / max(c["tp"] + c["fn"], 1)
    return {
        "pairs": len(rows),
        "align_precision": precision,
        "align_recall": recall,
        "align_f1": 2 * precision * recall / max(precision + recall, 1e-9),
        "conflict_precision": c["ctp"] / max(c["ctp"] + c["cfp"], 1),
        "conflict_recall": c["ctp"] / max(c["ctp"] + c["cfn"], 1),
    }


def conflict_statements(results: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(event, statement) of every ``conflict`` statement of these comparisons."""
    return [(e, s) for e, r in results.items() for s in r["statements"] if s["status"] == "conflict"]


def print_unmatched(flagged: list[tuple[str, dict[str, Any]]], matched: set[tuple[str, str]], label: str,
                    where: Any) -> None:
    """List reported conflicts that match no gold conflict, with their claims."""
    for event, statement in flagged:
        if (event, statement["id"]) not in matched:
            print(f"{label} {event}: {statement['note']}")
            for claim in statement["claims"]:
                print(f"    {where(claim)}: {claim['text'][:120]}")


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _keyword_in(keywords: list[str], text: str) -> bool:
    folded = _fold(text)
    return any(_fold(k) and _fold(k) in folded for k in keywords)


# Latin spellings of one sound, so that a Cyrillic name's transliteration reads as its Polish form
# ("Варшава" -> "varshava", "Warszawa" -> "warszawa"; "Кошалін" / "Koszalin").
_ONE_SOUND = (("sz", "sh"), ("cz", "ch"), ("w", "v"))


def _stems(text: str) -> set[str]:
    """First four letters of each word, transliterated: a name in any script or case ("Тересві")."""
    from anyascii import anyascii

    folded = anyascii(text).lower()
    for spelling, sound in _ONE_SOUND:
        folded = folded.replace(spelling, sound)
    return {w[:4] for w in re.findall(r"\w+", folded) if len(w) >= 4 and not w.isdigit()}


def _side_is(side: str, value: str) -> bool:
    """One side of a note ("421,000,000 UAH", "2019-03-13", "Тересві") states this gold value."""
    date = re.search(r"\d{4}-\d{2}-\d{2}", value)
    if date:
        return date.group(0) in side or date.group(0)[5:] in side
    figure = _NUMBER.search(value)
    if figure:
        gold = float(figure.group(0).replace(",", "").rstrip(".")) * (1e6 if "million" in value else 1)
        said = [float(x.replace(",", "").rstrip(".")) for x in _NUMBER.findall(side) if x.rstrip(".,")]
        return any(abs(x - gold) <= 0.01 * max(abs(gold), 1e-9) for x in said)
    return bool(_stems(side) & _stems(value))


def _real_conflict(statement: dict[str, Any], conflict: dict[str, Any], files: dict[str, str]) -> bool:
    """A conflict statement reports this gold conflict: two of its claims come from articles whose gold
    values differ, one of those claims holds a keyword of the conflict as written, and a part of its
    note sets one of those values against the other ("421,000,000 UAH vs 412,000,000 UAH")."""
    values = conflict["values"]
    claims = [(files.get(c["article"]), c["text"]) for c in statement["claims"]]
    parts = [part.split(" vs ", 1) for part in str(statement["note"] or "").split("; ") if " vs " in part]
    for file_a, text_a in claims:
        for file_b, text_b in claims:
            if not (file_a in values and file_b in values and values[file_a] != values[file_b]):
                continue
            if not (_keyword_in(conflict["keywords"], text_a) or _keyword_in(conflict["keywords"], text_b)):
                continue
            va, vb = values[file_a], values[file_b]
            if any((_side_is(x, va) and _side_is(y, vb)) or (_side_is(x, vb) and _side_is(y, va)) for x, y in parts):
                return True
    return False


def _said_in(gold: str, text: str) -> bool:
    """A quote variant renders the gold substring (folded): one holds the other, or they share a run
    of words covering most of the shorter (a reported clause's "by"/"that" left out of the quote)."""
    said = _fold(text)
    if gold in said or said in gold:
        return True
    a, b = gold.split(), said.split()
    run = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size
    return run >= 0.8 * min(len(a), len(b))


def _speaker_right(name: str, forms: list[str]) -> bool:
    """The group's speaker name is a form of the gold speaker: a word of it shares its first four
    letters, transliterated, with a word of a gold form (declined forms: "Гарэліка" / "Гарэлік")."""
    from anyascii import anyascii

    def stems(text: str) -> set[str]:
        return {w[:4] for w in re.findall(r"\w+", anyascii(text).lower()) if len(w) >= 4}

    return bool(stems(name) & set().union(*(stems(f) for f in forms)))


def newsdev(store: Store, *, verbose: bool) -> dict[str, Any] | None:
    """Conflicts and quote groups on ../shared/eval/newsdev, each gold event (not d*) one story.

    * recall: a planted conflict is found when one ``conflict`` statement holds claims of two articles
      whose gold values differ, one of them with the conflict's keyword;
    * precision: share of reported ``conflict`` statements that report a planted conflict that way;
    * quotes: a gold saying is grouped when one quote group holds a variant of every article quoting
      it (a variant rendering the gold substring: :func:`_said_in`), with a right speaker form.
    """
    if not (NEWSDEV / "gold.json").exists():
        print(f"skipped newsdev: {NEWSDEV.name}/gold.json not found (../shared/eval/newsdev)", file=sys.stderr)
        return None
    gold = json.loads((NEWSDEV / "gold.json").read_text("utf-8"))
    report = add_paths(store, sorted(NEWSDEV.glob("*.txt")), settings=Settings(cluster=False))
    for where, reason in report.failures:
        print(f"ingest failed: {where}: {reason}", file=sys.stderr)
    by_file = {Path(a.path or "").name: a.id for a in store.list_articles()}
    missing = sorted({f for m in gold["events"].values() for f in m} - set(by_file))
    if missing:
        print(f"newsdev: not stored as articles (near-duplicates?): {', '.join(missing)}", file=sys.stderr)
    resolve_entities(store)
    files = {v: k for k, v in by_file.items()}
    with store.transaction():
        store.clear_stories()
    results = {}
    for event, members in gold["events"].items():
        if len(members) < 2:
            continue
        make_story(store, f"nd-{event}", event, [by_file[f] for f in members if f in by_file])
        results[event] = compare_story(store, f"nd-{event}")
    found = 0
    real: set[tuple[str, str]] = set()
    for conflict in gold["conflicts"]:
        hits = [s for s in results[conflict["event"]]["statements"]
                if s["status"] == "conflict" and _real_conflict(s, conflict, files)]
        real.update((conflict["event"], s["id"]) for s in hits)
        found += bool(hits)
        if verbose:
            print(f"newsdev {'found' if hits else 'MISSED'} {conflict['event']}: {conflict['fact']}"
                  f"{': ' + '; '.join(str(s['note']) for s in hits) if hits else ''}")
    flagged = conflict_statements(results)
    if verbose:
        print_unmatched(flagged, real, "newsdev false", lambda c: f"{files.get(c['article'])}#{c['sentence']}")
    grouped = right = 0
    for quote in gold["quotes"]:
        # a syndicated copy stored as a near-duplicate of its original is not an article of the story
        wanted = {f: _fold(sub) for f, sub in quote["substrings"].items() if f in by_file}
        best: tuple[int, dict[str, Any] | None] = (0, None)
        for group in results[quote["event"]]["quotes"]:
            hit = {files.get(v["article"]) for v in group["variants"]
                   if files.get(v["article"]) in wanted and _said_in(wanted[files.get(v["article"]) or ""], v["text"])}
            if len(hit) > best[0]:
                best = (len(hit), group)
        whole = best[0] == len(wanted)
        grouped += whole
        speaker_ok = whole and best[1] is not None and _speaker_right(best[1]["speaker_name"], quote["speaker_forms"])
        right += speaker_ok
        if verbose and not speaker_ok:
            print(f"newsdev quote {quote['event']}: {best[0]}/{len(wanted)} in one group, "
                  f"speaker {best[1]['speaker_name'] if best[1] else None!r}")
    return {
        "conflicts": len(gold["conflicts"]),
        "found": found,
        "flagged": len(flagged),
        "real": len(real),
        "quotes": len(gold["quotes"]),
        "grouped": grouped,
        "speaker_right": right,
    }


def demo_story(store: Store, *, verbose: bool) -> tuple[int, int, str]:
    """(real, false, title) conflicts on the story ``rashomon demo`` prints: the sample corpus clustered
    by the pipeline, its widest story; a conflict is real when it matches a sample gold conflict."""
    gold = json.loads((SAMPLE / "gold.json").read_text("utf-8"))
    add_paths(store, [SAMPLE / "articles"], recursive=True)
    found = store.list_stories()
    widest = max(found, key=lambda s: (len(s.sources), len(s.languages), s.id))
    result = compare_story(store, widest.id)
    ids = {(Path(a.path or "").name, a.title.strip()): a.id for a in store.list_articles()}
    real = false = 0
    for statement in result["statements"]:
        if statement["status"] != "conflict":
            continue
        articles = {c["article"] for c in statement["claims"]}
        matched = False
        for conflict in gold["conflicts"]:
            claims = [(find(ids, c["file"], c["title"]), value_key(c["value"])) for c in conflict["claims"]]
            matched = matched or any(a in articles and b in articles and va != vb
                                     for a, va in claims for b, vb in claims)
        real += matched
        false += not matched
        if verbose:
            print(f"demo {'real' if matched else 'FALSE'}: {statement['note']}")
    return real, false, widest.title


def big_story(store: Store, events: dict[str, list[str]]) -> dict[str, float]:
    """Latency of comparing ~20 articles of four events as one story, with the load average then.

    Nothing is in the in-process embedding cache: ``first`` reads the statement vectors stored as
    ``add`` stores them once a story has two articles; ``cached_first`` is :func:`cached_compare` on a
    state never compared (compare and store), ``cached`` the median of five calls after it (the stored
    comparison, key checked); ``embed_all`` embeds every statement (a database made before
    migration 006).
    """
    members = [a for event in list(events)[:4] for a in events[event]][:20]
    make_story(store, "big", "big", members)
    ensure_statement_vectors(store, members, statement_texts)
    out: dict[str, float] = {"articles": len(members), "load": os.getloadavg()[0]}
    embeddings._cache.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    compare_story(store, "big")
    out["first"], out["first_cpu"] = time.perf_counter() - wall, time.process_time() - cpu
    wall = time.perf_counter()
    cached_compare(store, "big")
    out["cached_first"] = time.perf_counter() - wall
    repeats = []
    for _ in range(5):
        wall = time.perf_counter()
        cached_compare(store, "big")
        repeats.append(time.perf_counter() - wall)
    out["cached"] = statistics.median(repeats)
    embeddings._cache.clear()
    wall = time.perf_counter()
    compare_story(store, "big", embedder=default_embedder)
    out["embed_all"] = time.perf_counter() - wall
    return out


def evaluate(*, verbose: bool) -> dict[str, Any]:
    """Run the benchmark; returns the numbers."""
    gold = json.loads((SAMPLE / "gold.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "bench.db")) as store:
        start = time.perf_counter()
        ids = ingest(store)
        ingest_s = time.perf_counter() - start
        events = {}
        for event in gold["events"]:
            members = [find(ids, a["file"], a["title"]) for a in event["articles"]]
            events[event["id"]] = [m for m in members if m]
        with store.transaction():
            store.clear_stories()
        for event_id, members in events.items():
            make_story(store, event_id, event_id, members)
        # what `add` does once a story has two articles (stories are made here, not clustered)
        ensure_statement_vectors(store, [a for m in events.values() for a in m], statement_texts)

        compare_story(store, next(iter(events)))  # load the models once
        results, latency = {}, []
        for event_id in events:
            start = time.perf_counter()
            results[event_id] = compare_story(store, event_id)
            latency.append(time.perf_counter() - start)

        found_conflicts, pairs_total, pairs_found = 0, 0, 0
        matched_statements: set[tuple[str, str]] = set()
        for conflict in gold["conflicts"]:
            result = results[conflict["event"]]
            claims = [(find(ids, c["file"], c["title"]), value_key(c["value"])) for c in conflict["claims"]]
            differing = {
                frozenset((a, b))
                for (a, va) in claims for (b, vb) in claims
                if a and b and a != b and va != vb
            }
            hit = False
            for pair in differing:
                covering = [
                    s for s in result["statements"]
                    if s["status"] == "conflict" and pair <= {c["article"] for c in s["claims"]}
                ]
                pairs_found += bool(covering)
                hit = hit or bool(covering)
                matched_statements.update((conflict["event"], s["id"]) for s in covering)
            pairs_total += len(differing)
            found_conflicts += hit
            if verbose and not hit:
                print(f"missed {conflict['event']}: {conflict['what']}")
        flagged = conflict_statements(results)
        if verbose:
            print_unmatched(flagged, matched_statements, "not in gold", lambda c: str(c["article"]))

        aligned = total = 0
        for result in results.values():
            for statement in result["statements"]:
                articles = {c["article"] for c in statement["claims"]}
                total += len(statement["claims"])
                aligned += len(statement["claims"]) if len(articles) > 1 else 0
        intruders = {
            "same_actors": intrusion(store, events, SAME_ACTORS),
            "unrelated": intrusion(store, events, UNRELATED),
        }

        statuses = [s["status"] for r in results.values() for s in r["statements"]]
        big = big_story(store, events)
        labelled = pairs(store, verbose=verbose)
        labelled_test = pairs(store, verbose=False, path=PAIRS_TEST, prefix="test")
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "newsdev.db")) as store:
        dev = newsdev(store, verbose=verbose)
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "demo.db")) as store:
        demo = demo_story(store, verbose=verbose)
    return {
        "labelled_test": labelled_test,
        "newsdev": dev,
        "demo": demo,
        "big": big,
        "labelled": labelled,
        "events": len(events),
        "articles": sum(len(m) for m in events.values()),
        "gold_conflicts": len(gold["conflicts"]),
        "conflicts_found": found_conflicts,
        "pair_recall": pairs_found / max(pairs_total, 1),
        "pairs": (pairs_found, pairs_total),
        "flagged": len(flagged),
        "precision": len({s for s in matched_statements}) / max(len(flagged), 1),
        "aligned_share": aligned / max(total, 1),
        "intruders": intruders,
        "statuses": {k: statuses.count(k) for k in ("shared", "unique", "conflict")},
        "latency_median": statistics.median(latency),
        "latency_max": max(latency),
        "ingest_s": ingest_s,
        "load": os.getloadavg()[0],
        "cores": os.cpu_count() or 1,
    }


def report(m: dict[str, Any]) -> str:
    """The results as a Markdown section."""
    return "\n".join([
        "## Compare",
        "",
        f"{date.today().isoformat()} · `python benchmarks/bench_compare.py` · sample corpus, "
        f"{m['events']} gold events, {m['articles']} articles, one story per gold event "
        "(clustering not involved).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| gold conflicts found | {m['conflicts_found']}/{m['gold_conflicts']} "
        f"({m['conflicts_found'] / m['gold_conflicts']:.0%}) |",
        f"| conflicting article pairs covered | {m['pairs'][0]}/{m['pairs'][1]} ({m['pair_recall']:.0%}) |",
        f"| conflict statements matching a gold conflict (precision) | {m['precision']:.0%} "
        f"of {m['flagged']} |",
        f"| statements by status | {m['statuses']['shared']} shared, {m['statuses']['unique']} unique, "
        f"{m['statuses']['conflict']} conflict |",
        f"| claims aligned with another article | {m['aligned_share']:.0%} |",
        *(f"| statements of an intruding article ({label}) aligned | {a}/{t} ({a / max(t, 1):.0%}) |"
          for label, (a, t) in (("unrelated event", m["intruders"]["unrelated"]),
                                ("same actors, other event", m["intruders"]["same_actors"]))),
        f"| compare latency per story, models loaded, statement vectors stored | median {m['latency_median']:.2f} s, "
        f"max {m['latency_max']:.2f} s (load average {m['load']:.1f} on {m['cores']} cores) |",
        f"| {m['big']['articles']}-article story: first compare (stored vectors) | {m['big']['first']:.2f} s wall, "
        f"{m['big']['first_cpu']:.2f} s CPU (load average {m['big']['load']:.1f}) |",
        f"| {m['big']['articles']}-article story: `cached_compare` first / repeated | {m['big']['cached_first']:.2f} s "
        f"/ {m['big']['cached'] * 1000:.1f} ms |",
        f"| {m['big']['articles']}-article story: compare embedding every statement | {m['big']['embed_all']:.2f} s |",
        f"| labelled pairs ({m['labelled']['pairs']}): alignment P / R / F1 | "
        f"{m['labelled']['align_precision']:.2f} / {m['labelled']['align_recall']:.2f} / "
        f"{m['labelled']['align_f1']:.2f} |",
        f"| labelled pairs: conflict P / R | {m['labelled']['conflict_precision']:.2f} / "
        f"{m['labelled']['conflict_recall']:.2f} |",
        f"| own test pairs ({m['labelled_test']['pairs']}, never tuned on): alignment P / R / F1 | "
        f"{m['labelled_test']['align_precision']:.2f} / {m['labelled_test']['align_recall']:.2f} / "
        f"{m['labelled_test']['align_f1']:.2f} |",
        f"| own test pairs: conflict P / R | {m['labelled_test']['conflict_precision']:.2f} / "
        f"{m['labelled_test']['conflict_recall']:.2f} |",
        *_newsdev_rows(m["newsdev"]),
        f"| demo story ({m['demo'][2]}): conflicts shown, real / false | {m['demo'][0]} / {m['demo'][1]} |",
        "",
    ])


def _newsdev_rows(d: dict[str, Any] | None) -> list[str]:
    if d is None:
        return ["| newsdev | skipped: ../shared/eval/newsdev not found |"]
    return [
        f"| newsdev (dev): planted conflicts found | {d['found']}/{d['conflicts']} "
        f"({d['found'] / d['conflicts']:.2f}) |",
        f"| newsdev: reported conflicts real | {d['real']}/{d['flagged']} ({d['real'] / max(d['flagged'], 1):.2f}) |",
        f"| newsdev: sayings in one group / with a right speaker | {d['grouped']}/{d['quotes']} / "
        f"{d['speaker_right']}/{d['quotes']} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; do not touch results.md")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not list misses and extra conflicts")
    parser.add_argument("--pairs", action="store_true",
                        help="only the labelled pairs: print the misses with what each side extracted")
    parser.add_argument("--newsdev", action="store_true",
                        help="only ../shared/eval/newsdev: print missed and false conflicts, quote groups")
    args = parser.parse_args()
    if args.pairs:
        with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "pairs.db")) as store:
            print(pairs(store, verbose=not args.quiet))
        return
    if args.newsdev:
        with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "newsdev.db")) as store:
            print(newsdev(store, verbose=not args.quiet))
        return
    section = report(evaluate(verbose=not args.quiet))
    print(section)
    if not args.no_write:
        replace_section(RESULTS, "## Compare", section)


if __name__ == "__main__":
    main()
