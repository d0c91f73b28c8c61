"""Writing benchmark tables into benchmarks/results.md (shared by the bench_*.py scripts).

Each benchmark owns one ``## `` section and replaces it whole; ``run_all.py`` (``make bench``) lays the
file out anew in the fixed order of ``SECTIONS``, so no section from an older run survives.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
TITLE = "# Benchmark results\n"
NOT_RUN = "_Not measured in the last `make bench`: {reason}._\n"

# (benchmark name, its section heading), in the order of results.md: quality first, then speed;
# bench_ner prints its figures only.
SECTIONS = [
    ("language", "## Language identification"),
    ("analysis", "## Analysis"),
    ("entities", "## Entity resolution"),
    ("entities_e2e", "## Entity resolution (end to end)"),
    ("stories", "## Stories"),
    ("compare", "## Compare"),
    ("origin", "## Origin and brief"),
    ("ingest", "## Ingest"),
    ("pipeline", "## Pipeline"),
    ("scale", "## Scale"),
    ("load", "## Load"),
    ("spark", "## Spark"),
    ("reliability", "## Reliability"),
]


def _bounds(text: str, heading: str) -> tuple[int, int] | None:
    """Start and end of the section whose heading line is exactly ``heading``."""
    lines = text.splitlines(keepends=True)
    offset, start = 0, None
    for line in lines:
        if start is None and line.rstrip("\n") == heading:
            start = offset
        elif start is not None and line.startswith("## "):
            return start, offset
        offset += len(line)
    return None if start is None else (start, len(text))


def replace_section(path: Path, heading: str, body: str) -> None:
    """Replace (or append) the section starting at ``heading`` up to the next ``## `` heading.

    ``body`` is the whole section; its heading line is added when it does not start with it.
    """
    if not body.startswith(heading + "\n"):
        body = f"{heading}\n\n{body.lstrip(chr(10))}"
    body = body.rstrip("\n") + "\n\n"
    text = path.read_text("utf-8") if path.exists() else TITLE
    bounds = _bounds(text, heading)
    text = text.rstrip("\n") + "\n\n" + body if bounds is None else text[: bounds[0]] + body + text[bounds[1] :]
    path.write_text(text.rstrip("\n") + "\n", "utf-8")


def lay_out(path: Path, headings: list[str], reason: str = "not run yet") -> None:
    """Start ``path`` afresh: the title and one placeholder per heading, in this order."""
    path.write_text(TITLE + "".join(f"\n{h}\n\n{NOT_RUN.format(reason=reason)}" for h in headings), "utf-8")


def ensure_section(path: Path, heading: str, *, reason: str) -> None:
    """Give ``heading`` a placeholder at its place in ``SECTIONS`` order when the file lacks it."""
    text = path.read_text("utf-8") if path.exists() else TITLE
    if _bounds(text, heading) is not None:
        return
    order = [h for _, h in SECTIONS]
    later = [h for h in order[order.index(heading) + 1 :] if _bounds(text, h)] if heading in order else []
    placeholder = f"{heading}\n\n{NOT_RUN.format(reason=reason)}\n"
    if later:
        at = _bounds(text, later[0])[0]  # type: ignore[index]
        text = text[:at] + placeholder + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + placeholder
    path.write_text(text.rstrip("\n") + "\n", "utf-8")


def is_placeholder(path: Path, heading: str) -> bool:
    """True when the section of ``heading`` is still a placeholder (its benchmark wrote nothing)."""
    text = path.read_text("utf-8")
    bounds = _bounds(text, heading)
    return bounds is not None and "_Not measured in the last `make bench`" in text[bounds[0] : bounds[1]]


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
