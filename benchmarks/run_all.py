"""Run every benchmark in turn (``make bench``); each appends its tables to benchmarks/results.md.

Usage: ``python benchmarks/run_all.py [NAME ...]`` — names like ``ingest`` or ``stories`` run only those.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Quality first (they are what a user trusts), then speed; Spark and reliability last (slowest).
ORDER = [
    "language", "analysis", "ner", "entities", "entities_e2e", "stories", "compare", "ingest", "scale", "load", "spark",
    "reliability", "origin",
]


def main() -> int:
    """Run the chosen benchmarks; return non-zero if any failed."""
    wanted = sys.argv[1:] or ORDER
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    failed = []
    for name in wanted:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"skip {name}: {script.name} does not exist")
            continue
        started = time.monotonic()
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], env=env, cwd=HERE.parent)
        print(f"== {name}: exit {result.returncode} in {time.monotonic() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
