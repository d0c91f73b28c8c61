"""Fuzz every reader: mutated and generated inputs through ``read_path``; count crashes.

A crash is any exception other than a one-line :class:`RashomonError` (the file's rejection) or a
broken contract (a multi-line reason, an article without text). Crashing inputs are saved to
``benchmarks/out/crashes/<format>/`` for a regression test.

    python benchmarks/fuzz_ingest.py                          # hypothesis, 10,000 inputs per format
    python benchmarks/fuzz_ingest.py --engine atheris --runs 10000 --format html
    python benchmarks/fuzz_ingest.py --json                   # one JSON line per format (for bench_reliability)

Engines: ``hypothesis`` drives the mutators of tests/fuzzing.py (seeds per format + format tokens);
``atheris`` (``pip install atheris``; optional) runs libFuzzer's coverage-guided mutation of the same
seeds with rashomon's modules instrumented.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzzing import FORMATS, check_bytes, seeds, strategy  # noqa: E402

CRASHES = ROOT / "benchmarks" / "out" / "crashes"
_ATHERIS_NAMES = {"txt": "input.txt", "html": "page.html", "feed": "feed.xml", "warc": "crawl.warc.gz",
                  "jsonl": "lines.jsonl", "encodings": "input.txt"}


class Tally:
    """Inputs tried, their outcomes and the distinct crashes (by exception type and innermost frame)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.inputs = self.articles = self.rejected = self.record_errors = 0
        self.crashes: dict[str, dict[str, Any]] = {}
        self.started = time.perf_counter()

    def run(self, folder: Path, name: str, data: bytes) -> None:
        self.inputs += 1
        try:
            outcome = check_bytes(folder, name, data)
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            if key not in self.crashes:
                saved = CRASHES / self.fmt / (hashlib.sha1(data).hexdigest()[:12] + "_" + name)
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_bytes(data)
                self.crashes[key] = {"example": str(saved.relative_to(ROOT)), "message": str(exc)[:200],
                                     "count": 0}
            self.crashes[key]["count"] += 1
            return
        self.articles += outcome.articles
        self.record_errors += outcome.record_errors
        self.rejected += outcome.rejected is not None

    def summary(self, engine: str) -> dict[str, Any]:
        return {"format": self.fmt, "engine": engine, "inputs": self.inputs, "articles": self.articles,
                "record_errors": self.record_errors, "rejected": self.rejected,
                "crashes": len(self.crashes), "crash_kinds": self.crashes,
                "seconds": round(time.perf_counter() - self.started, 1)}


def fuzz_hypothesis(fmt: str, runs: int, seed: int | None) -> dict[str, Any]:
    """Run ``runs`` hypothesis-generated inputs of ``fmt``."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    tally = Tally(fmt)
    with tempfile.TemporaryDirectory(prefix="rashomon-fuzz-") as tmp:
        folder = Path(tmp)

        @settings(max_examples=runs, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy(fmt))
        def target(case: tuple[str, bytes]) -> None:
            tally.run(folder, *case)

        if seed is not None:
            target = hypothesis_seed(seed)(target)
        target()
    return tally.summary("hypothesis")


def fuzz_atheris(fmt: str, runs: int) -> None:
    """libFuzzer over the seeds of ``fmt``; prints the JSON summary (the last line is the final one)."""
    import atheris

    # rashomon is imported already (tests.fuzzing): instrument the loaded code for coverage feedback.
    atheris.instrument_all()

    tally = Tally(fmt)
    folder = Path(tempfile.mkdtemp(prefix="rashomon-fuzz-"))
    corpus = Path(tempfile.mkdtemp(prefix="rashomon-corpus-"))
    for i, (_name, data) in enumerate(seeds(fmt)):
        (corpus / f"seed{i}").write_bytes(data)
    name = _ATHERIS_NAMES[fmt]

    def target(data: bytes) -> None:
        tally.run(folder, name, data)
        # libFuzzer ends the process from C (no atexit): the summary so far, every 1,000 inputs and last
        if tally.inputs % 1000 == 0 or tally.inputs >= runs:
            print(json.dumps(tally.summary("atheris"), ensure_ascii=False), flush=True)

    artifacts = ROOT / "benchmarks" / "out" / "atheris"  # libFuzzer's slow-unit-* and crash-* files
    artifacts.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-runs={runs}", "-max_len=300000", "-rss_limit_mb=4096",
                   f"-artifact_prefix={artifacts}/", "-print_final_stats=0", str(corpus)], target)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--format", choices=FORMATS, action="append", help="repeatable; default: all")
    parser.add_argument("--runs", type=int, default=10_000, help="inputs per format")
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--seed", type=int, help="hypothesis seed (default: random)")
    parser.add_argument("--json", action="store_true", help="print one JSON line per format")
    args = parser.parse_args()
    for fmt in args.format or FORMATS:
        if args.engine == "atheris":
            fuzz_atheris(fmt, args.runs)  # libFuzzer exits the process when done
            return
        result = fuzz_hypothesis(fmt, args.runs, args.seed)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(f"{fmt:10} {result['inputs']:6} inputs  {result['crashes']} distinct crashes  "
                  f"{result['rejected']} rejected  {result['articles']} articles  {result['seconds']} s")
            for key, crash in result["crash_kinds"].items():
                print(f"    {key} x{crash['count']}: {crash['message'][:100]}  ({crash['example']})")


if __name__ == "__main__":
    main()
