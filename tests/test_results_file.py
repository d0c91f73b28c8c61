"""benchmarks/results.md is rewritten section by section, in a fixed order, with nothing stale left."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from results_file import SECTIONS, ensure_section, is_placeholder, lay_out, replace_section  # noqa: E402


def _headings(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if line.startswith("## ")]


def test_a_full_run_lays_out_every_section_in_order_and_replaces_each_whole(tmp_path: Path) -> None:
    results = tmp_path / "results.md"
    results.write_text("# Benchmark results\n\n## Compare\n\nold 12/13\n\n## Compare\n\nolder\n", "utf-8")
    order = [heading for _, heading in SECTIONS]
    lay_out(results, order)
    assert _headings(results) == order
    replace_section(results, "## Entity resolution", "| a | b |\n")
    replace_section(results, "## Entity resolution (end to end)", "## Entity resolution (end to end)\n\ne2e\n")
    text = results.read_text("utf-8")
    assert _headings(results) == order and "12/13" not in text and "older" not in text
    assert not is_placeholder(results, "## Entity resolution")
    assert is_placeholder(results, "## Compare")
    assert text.count("| a | b |") == 1 and text.count("e2e") == 1


def test_a_partial_run_puts_a_missing_section_at_its_place(tmp_path: Path) -> None:
    results = tmp_path / "results.md"
    results.write_text("# Benchmark results\n\n## Stories\n\ns\n\n## Spark\n\nsp\n", "utf-8")
    ensure_section(results, "## Compare", reason="not run yet")
    replace_section(results, "## Compare", "new figures\n")
    assert _headings(results) == ["## Stories", "## Compare", "## Spark"]
    assert "new figures" in results.read_text("utf-8")
