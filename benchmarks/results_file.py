"""Writing benchmark tables into benchmarks/results.md (shared by the bench_*.py scripts)."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, heading: str, body: str) -> None:
    """Replace (or append) the section starting at ``heading`` up to the next ``## `` heading."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find(heading + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + body + (text[end + 1 :] if end >= 0 else "")
    path.write_text(text, "utf-8")


def append_to_section(path: Path, heading: str, intro: str, entry: str) -> None:
    """Append ``entry`` to the section at ``heading`` (created with ``intro`` when absent), keeping earlier runs."""
    text = path.read_text("utf-8") if path.exists() else ""
    at = text.find(heading + "\n")
    if at >= 0:
        end = text.find("\n## ", at + len(heading))
        old = text[at + len(heading) + 1 : end + 1 if end >= 0 else len(text)].rstrip("\n")
    else:
        old = "\n" + intro
    replace_section(path, heading, f"{heading}\n{old}\n{entry}\n\n")
