"""`rashomon demo` (what `make run` shows): the bundled corpus goes through every stage."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .test_cli_ingest import run

GOLD = Path(__file__).parents[1] / "rashomon" / "data" / "sample" / "gold.json"


def test_demo_ingests_the_sample_and_shows_stories_and_a_comparison(tmp_path: Path) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    result = run("demo", "--db", str(tmp_path / "demo.db"))
    assert result.exit_code == 0, result.stderr
    summary = re.search(r"sample corpus: added (\d+), already present \d+, failed (\d+)", result.stdout)
    assert summary and summary.group(2) == "0"
    assert int(summary.group(1)) == sum(len(e["articles"]) for e in gold["events"])
    stories = int(re.search(r"(\d+) stories:", result.stdout).group(1))  # type: ignore[union-attr]
    assert len(gold["events"]) <= stories < 2 * len(gold["events"])
    assert "## All sources agree" in result.stdout and "## Sources (" in result.stdout
