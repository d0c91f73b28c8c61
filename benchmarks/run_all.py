"""Run every benchmark in turn (``make bench``) and rewrite benchmarks/results.md end to end.

Usage: ``python benchmarks/run_all.py [NAME ...]`` — names like ``ingest`` or ``stories`` run only those
and replace only their sections. A full run lays the file out afresh in the order of
``results_file.SECTIONS``; each benchmark replaces its own section, and a benchmark that fails or writes
nothing leaves a line saying so instead of an older run's figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from results_file import RESULTS, SECTIONS, ensure_section, is_placeholder, lay_out, replace_section

HERE = Path(__file__).resolve().parent
HEADINGS = dict(SECTIONS)
# Quality first (they are what a user trusts), then speed; Spark and reliability last (slowest).
ORDER = [name for name, _ in SECTIONS[:4]] + ["ner"] + [name for name, _ in SECTIONS[4:]]


def main() -> int:
    """Run the chosen benchmarks; return non-zero if any failed."""
    wanted = sys.argv[1:] or ORDER
    if not sys.argv[1:]:
        lay_out(RESULTS, [heading for _, heading in SECTIONS])
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    failed = []
    for name in wanted:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"skip {name}: {script.name} does not exist")
            continue
        heading = HEADINGS.get(name)
        if heading:
            ensure_section(RESULTS, heading, reason="not run yet")
        started = time.monotonic()
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], env=env, cwd=HERE.parent)
        print(f"== {name}: exit {result.returncode} in {time.monotonic() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
        if heading and (result.returncode or is_placeholder(RESULTS, heading)):
            why = f"`{script.name}` exited with {result.returncode}" if result.returncode else \
                f"`{script.name}` wrote no figures (see its output)"
            replace_section(RESULTS, heading, f"_Not measured in the last `make bench`: {why}._\n")
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
