"""End-to-end ``add`` throughput: articles/s with 1 and 2 workers, peak memory, and where the time goes.

A corpus of N synthetic news articles of ~500 words (default 500) in en/de/pl/ru/uk/be is written as
one JSON Lines file per article: events from ``make_synthetic.events`` (each reported by 2-8 articles
on its day, one event by 20, so the first comparison of a 20-article story is timed too); each article
tells its event (lead, duration, arrests, damage, a quote, context) and then background paragraphs
whose sentences carry their own places, people and figures, so no two articles share more than the
event's sentences (no near-duplicates, no embedding-cache hits beyond real repeats).

Each measurement is one fresh process running ``add_paths`` on the whole folder into a new SQLite
database, so model loading is counted as a user pays it. Reported per run: wall seconds, CPU seconds
of the whole process tree (user+sys of the process and its reaped workers), articles/s by wall and
per CPU-second, peak RSS of the tree (sampled every 0.2 s), the time of the first ``compare`` of the
largest story (``--compare-unstored``: also with every statement embedded at compare time), the
articles in stories of two or more (the only ones whose statements are embedded), a digest of the
stories made (two versions must make the same stories), the machine's 1-minute load average when the
run started and ended (other jobs sharing the cores), and the split of wall and CPU time by stage
when the code under test reports it (``AddReport.stages``).

``--against DIR`` runs the same measurements on another checkout (e.g. the previous commit in a
temporary ``git worktree``) in the same run, interleaved with this one (1 worker: this, other; 2
workers: this, other), so load on a shared machine hits both alike.

    python benchmarks/bench_pipeline.py                       # 500 articles; "## Pipeline" in results.md
    python benchmarks/bench_pipeline.py -n 60 --against ../base --no-write
    python benchmarks/bench_pipeline.py -n 48 --compare-unstored    # also compare without stored vectors
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
BIG_STORY = 20
WORDS = 500
WAITING = "waiting for workers"

# Background sentences: {L} place, {P} person, {a}-{d} figures, {y} year.
BACKGROUND = {
    "en": ("Earlier this year {P} visited {L}, where {a} residents signed a petition about plan {b}.",
           "In {y} the authorities in {L} spent {d} thousand euros on road repairs, {P} recalled.",
           "According to local media, {a} people took part in a protest in {L} in {y}.",
           "{P} told a regional newspaper that the budget of district {b} had fallen by {c} per cent.",
           "The court in {L} has heard {a} similar cases since {y}, a lawyer representing {P} said.",
           "A survey of {d} voters in {L} found that {c} per cent trusted the local council."),
    "de": ("Anfang des Jahres besuchte {P} {L}, wo {a} Einwohner eine Petition zum Plan {b} unterschrieben.",
           "{y} gab die Verwaltung in {L} {d} Tausend Euro für Straßenreparaturen aus, erinnerte {P}.",
           "Nach Angaben lokaler Medien nahmen {y} in {L} {a} Menschen an einem Protest teil.",
           "{P} sagte einer Regionalzeitung, das Budget des Bezirks {b} sei um {c} Prozent gesunken.",
           "Das Gericht in {L} hat seit {y} {a} ähnliche Fälle verhandelt, sagte ein Anwalt von {P}.",
           "Bei einer Umfrage unter {d} Wählern in {L} vertrauten {c} Prozent dem Gemeinderat."),
    "pl": ("Na początku roku {P} odwiedził {L}, gdzie {a} mieszkańców podpisało petycję w sprawie planu {b}.",
           "W {y} roku władze {L} wydały {d} tysięcy euro na remonty dróg, przypomniał {P}.",
           "Według lokalnych mediów w {y} roku w proteście w {L} wzięło udział {a} osób.",
           "{P} powiedział gazecie regionalnej, że budżet dzielnicy {b} spadł o {c} procent.",
           "Sąd w {L} rozpatrzył od {y} roku {a} podobnych spraw, powiedział adwokat {P}.",
           "W sondażu wśród {d} wyborców w {L} {c} procent zadeklarowało zaufanie do rady."),
    "ru": ("В начале года {P} посетил {L}, где {a} жителей подписали петицию о плане {b}.",
           "В {y} году власти {L} потратили {d} тысяч евро на ремонт дорог, напомнил {P}.",
           "По данным местных СМИ, в {y} году в протесте в {L} участвовали {a} человек.",
           "{P} сообщил региональной газете, что бюджет района {b} сократился на {c} процентов.",
           "Суд в {L} с {y} года рассмотрел {a} похожих дел, сообщил адвокат {P}.",
           "В опросе {d} избирателей в {L} {c} процентов заявили о доверии совету."),
    "uk": ("На початку року {P} відвідав {L}, де {a} мешканців підписали петицію щодо плану {b}.",
           "У {y} році влада {L} витратила {d} тисяч євро на ремонт доріг, нагадав {P}.",
           "За даними місцевих ЗМІ, у {y} році в протесті в {L} взяли участь {a} людей.",
           "{P} повідомив регіональній газеті, що бюджет району {b} скоротився на {c} відсотків.",
           "Суд у {L} з {y} року розглянув {a} схожих справ, повідомив адвокат {P}.",
           "В опитуванні {d} виборців у {L} {c} відсотків заявили про довіру до ради."),
    "be": ("На пачатку года {P} наведаў {L}, дзе {a} жыхароў падпісалі петыцыю пра план {b}.",
           "У {y} годзе ўлады {L} выдаткавалі {d} тысяч еўра на рамонт дарог, нагадаў {P}.",
           "Паводле мясцовых СМІ, у {y} годзе ў пратэсце ў {L} удзельнічалі {a} чалавек.",
           "{P} паведаміў рэгіянальнай газеце, што бюджэт раёна {b} скараціўся на {c} працэнтаў.",
           "Суд у {L} з {y} года разгледзеў {a} падобных спраў, паведаміў адвакат {P}.",
           "У апытанні {d} выбаршчыкаў у {L} {c} працэнтаў заявілі пра давер да рады."),
}


def write_corpus(folder: Path, n: int, *, seed: int = 11) -> None:
    """``n`` articles of ~500 words as ``NNNN.jsonl`` files (deterministic for a seed)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_synthetic as syn

    rng = random.Random(seed)
    people, _orgs, places = syn.vocabulary(random.Random(seed))
    plan = syn.events(n, per_day=100, seed=seed)
    if n > 2 * BIG_STORY:  # one widely covered event: the first compare of a 20-article story is timed
        big = plan[0][0]
        plan[n - BIG_STORY:] = [(big, syn.LANGUAGES[k % 6], k) for k in range(BIG_STORY)]
    folder.mkdir(parents=True, exist_ok=True)
    for i, (event, language, k) in enumerate(plan):
        t = syn.TEMPLATES[language]
        months = syn.MONTHS["ru" if language in syn.CYRILLIC else language]
        p1, p2 = event.people
        d = event.day
        date_text = {"en": f"{months[d.month - 1]} {d.day}", "de": f"{d.day}. {months[d.month - 1]}"}.get(
            language, f"{d.day} {months[d.month - 1]}")
        slots = {
            "P1": p1.name(language), "P2": p2.name(language), "S1": p1.short(language), "S2": p2.short(language),
            "O": event.org.name(language), "L": event.place.name(language), "D": date_text,
            "H": str(event.hours + (1 if rng.random() < 0.15 else 0)), "N": str(event.detained),
            "M": f"{event.million:g}", "Q": rng.choice(t["quotes"]), "X": rng.choice(t["descr"]),
        }
        paragraphs = [" ".join(t[key].format(**slots) for key in ("lead", "hours", "count")),
                      " ".join(t[key].format(**slots) for key in ("money", "quote", "context"))]
        while sum(len(p.split()) for p in paragraphs) < WORDS:
            sentences = []
            for _ in range(3):
                person = rng.choice(people).name(language)
                values = {"P": person, "L": rng.choice(places).name(language), "a": rng.randint(12, 9000),
                          "b": rng.randint(2, 99), "c": rng.randint(3, 60), "d": rng.randint(100, 90000),
                          "y": rng.randint(2005, 2020)}
                sentences.append(rng.choice(BACKGROUND[language]).format(**values))
            paragraphs.append(" ".join(sentences))
        hour = 6 + (k * 2 + event.id) % 16
        record = {
            "title": f"{p1.short(language)} – {p2.short(language)}: {event.place.name(language)}",
            "text": "\n\n".join(paragraphs), "language": language,
            "source": rng.choice(syn.SOURCES[language]), "published": f"{d.isoformat()}T{hour:02d}:{i % 60:02d}:00",
            "url": f"https://example.org/{seed}/{i}",
        }
        (folder / f"{i:05d}.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")


# -- one measured run (a fresh process, rashomon from PYTHONPATH) ----------------------------------


def _tree_rss_kb(root: int) -> int:
    """Resident set of a process and its children (one level: the pool's workers), in KB."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(entry) != root and int(fields[1]) != root:
                continue
            with open(f"/proc/{entry}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_once(corpus: Path, db: Path, workers: int, *, unstored: bool = False) -> dict[str, Any]:
    """Add the corpus with ``workers`` workers; the figures of the run (with ``unstored``, also the
    first compare of the widest story if its statements had no stored vectors)."""
    import rashomon
    from rashomon import embeddings
    from rashomon.compare import compare_story, default_embedder
    from rashomon.pipeline import add_paths
    from rashomon.settings import Settings
    from rashomon.store import open_store

    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss_kb(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with open_store(str(db)) as store:
        report = add_paths(store, [corpus], settings=Settings(workers=workers))
        wall = time.perf_counter() - started
        usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        done.set()
        found = store.list_stories()
        groups = sorted(sorted(s.article_ids) for s in found)
        widest = max(found, key=lambda s: (len(s.article_ids), s.id))
        compare_started = time.perf_counter()
        compare_story(store, widest.id)
        compare_seconds = time.perf_counter() - compare_started
        unstored_seconds = None
        if unstored:  # every statement embedded at compare time, none from the in-process cache
            embeddings._cache.clear()
            compare_started = time.perf_counter()
            compare_story(store, widest.id, embedder=default_embedder)
            unstored_seconds = time.perf_counter() - compare_started
    stages = getattr(report, "stages", {})
    return {
        "code": str(Path(rashomon.__file__).parent.parent),
        "workers": workers, "added": len(report.added), "failed": len(report.failures),
        "wall": wall, "cpu": sum(u.ru_utime + u.ru_stime for u in usage),
        "peak_rss_mb": max(peak[0], max(u.ru_maxrss for u in usage)) / 1024,
        "stories": len(found), "multi": sum(len(g) > 1 for g in groups),
        "in_multi": sum(len(g) for g in groups if len(g) > 1), "compare_unstored_seconds": unstored_seconds,
        "stories_digest": hashlib.sha1(json.dumps(groups).encode()).hexdigest()[:12],
        "compare_articles": len(widest.article_ids), "compare_seconds": compare_seconds,
        "stages": {k: list(v) for k, v in stages.items()},
        "load": [load_before, os.getloadavg()[0]],
    }


def measure(code: Path, corpus: Path, workers: int, scratch: Path, *, unstored: bool = False) -> dict[str, Any]:
    """:func:`run_once` in a fresh interpreter that imports rashomon from ``code``."""
    db = scratch / f"run-{time.monotonic_ns()}.db"
    env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), "--run", str(corpus), str(db), str(workers)]
    done = subprocess.run(command + ["--compare-unstored"] * unstored, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"run failed ({code}, {workers} workers):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return result


# -- report ----------------------------------------------------------------------------------------


def _rate(result: dict[str, Any], key: str) -> float:
    return float(result["added"] / result[key]) if result[key] else 0.0


def _load(result: dict[str, Any]) -> str:
    """The 1-minute load average of the machine when the run started and ended (older runs: "?")."""
    return ", ".join(f"{v:.1f}" for v in result["load"]) if "load" in result else "?"


def table(results: list[dict[str, Any]], labels: dict[str, str]) -> str:
    """One row per run."""
    rows = ["| code | workers | articles | load avg (start, end) | wall s | CPU s | articles/s (wall) | articles/CPU-s "
            "| peak RSS MB | first compare (articles, s; without stored vectors) | stories (multi; their articles) "
            "| digest |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        unstored = r.get("compare_unstored_seconds")
        rows.append(
            f"| {labels[r['code']]} | {r['workers']} | {r['added']} | {_load(r)} | {r['wall']:.1f} | {r['cpu']:.1f} "
            f"| **{_rate(r, 'wall'):.2f}** | {_rate(r, 'cpu'):.2f} | {r['peak_rss_mb']:.0f} "
            f"| {r['compare_articles']}, {r['compare_seconds']:.2f}{f'; {unstored:.2f}' if unstored else ''} "
            f"| {r['stories']} ({r['multi']}; {r.get('in_multi', '?')}) | `{r['stories_digest']}` |")
    return "\n".join(rows)


def stage_table(result: dict[str, Any], label: str) -> str:
    """Wall and CPU seconds by stage of one run (stages in workers are summed over the workers)."""
    stages = result["stages"]
    # the main process waiting for the analyses overlaps the stages the workers report (with one
    # worker it *is* them, run in-process), so it is shown but left out of the shares
    cpu_total = sum(v[1] for k, v in stages.items() if k != WAITING) or 1.0
    rows = [f"Stages, {label}, {result['workers']} worker(s), {result['added']} articles:", "",
            "| stage | wall s | CPU s | CPU share | CPU ms/article |", "|---|---|---|---|---|"]
    for name, (wall, cpu) in stages.items():
        share = "(overlaps)" if name == WAITING else f"{cpu / cpu_total:.0%}"
        rows.append(f"| {name} | {wall:.1f} | {cpu:.1f} | {share} | {1000 * cpu / max(result['added'], 1):.0f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--against", type=Path, help="another checkout to measure in the same run")
    parser.add_argument("--label", default="this", help="name of this checkout in the tables")
    parser.add_argument("--against-label", default="previous", help="name of the other checkout")
    parser.add_argument("--no-write", action="store_true", help="print, do not update results.md")
    parser.add_argument("--compare-unstored", action="store_true",
                        help="also time the first compare of the widest story with no stored statement vectors")
    parser.add_argument("--run", nargs=3, metavar=("CORPUS", "DB", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        corpus, db, workers = args.run
        print(json.dumps(run_once(Path(corpus), Path(db), int(workers), unstored=args.compare_unstored)))
        return
    codes = [ROOT] + ([args.against.resolve()] if args.against else [])
    labels = {str(ROOT): args.label, **({str(codes[1]): args.against_label} if args.against else {})}
    with tempfile.TemporaryDirectory(prefix="rashomon-bench-pipeline-") as scratch:
        corpus = Path(scratch) / "corpus"
        write_corpus(corpus, args.n)
        words = sum(len(json.loads(p.read_text("utf-8"))["text"].split()) for p in corpus.iterdir()) / args.n
        print(f"corpus: {args.n} articles, {words:.0f} words on average", flush=True)
        results = []
        for workers in (int(w) for w in args.workers.split(",")):
            for code in codes:
                result = measure(code, corpus, workers, Path(scratch), unstored=args.compare_unstored)
                print(json.dumps(result), flush=True)
                results.append(result)
    load = os.getloadavg()
    lines = [table(results, labels)]
    for r in results:
        if r["stages"]:
            lines += ["", stage_table(r, labels[r["code"]])]
    body = "\n".join(lines)
    print(body)
    if args.no_write:
        return
    from results_file import replace_section

    intro = (f"## Pipeline\n\n`python benchmarks/bench_pipeline.py -n {args.n}` ({time.strftime('%Y-%m-%d')}): "
             f"`add` of {args.n} synthetic ~{words:.0f}-word articles (en/de/pl/ru/uk/be, JSON Lines, one file "
             f"each) into a new SQLite database, one fresh process per run, on a 2-core machine (load average "
             f"at the end {load[0]:.1f}: shared with other jobs, so wall figures are noisy; CPU seconds are "
             "user+sys of the whole process tree).\n\n")
    replace_section(RESULTS, "## Pipeline", intro + body + "\n")


if __name__ == "__main__":
    main()
