"""CLI commands ``brief`` and ``watch``, and the origin lines of ``story`` (registered by :mod:`rashomon.cli.main`)."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import IO, Annotated, Any

import typer

from ..store import Store
from .common import err, fail, out, print_json, store_for

_BRIEF_FORMATS = ("text", "markdown", "json")


def brief(
    story_id: Annotated[str, typer.Argument(help="Story id (see `rashomon stories`).")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="Show statements in this language where a source has them.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, markdown or json.")] = "text",
    db: Annotated[str | None, typer.Option("--db", help="Database path or URL.")] = None,
) -> None:
    """An extractive brief of a story: event date, sources, what most agree on, conflicts, single-source facts."""
    if fmt not in _BRIEF_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(_BRIEF_FORMATS)}", param_hint="--format")
    from ..annotate import brief_for, origin_for
    from ..compare_cache import cached_compare

    with store_for(db) as store:
        comparison = cached_compare(store, story_id)
        result = brief_for(comparison, origin_for(store, comparison), language=lang)
    if fmt == "json":
        print_json(result.to_json())
    else:
        sys.stdout.write(result.to_text(markdown=fmt == "markdown"))


def story_origin_json(store: Store, story_id: str) -> tuple[dict[str, Any], list[str]]:
    """The ``origin`` field of ``rashomon story --json`` and the lines of its text form."""
    from ..origin import spread_lines, story_origin

    origin = story_origin(store, story_id).to_json()
    labels = {t["article"]: str(t["source"] or t["article"]) for t in origin["timeline"]}
    return origin, spread_lines(origin, labels)


def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs or local feed files.")],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 90s, 15m, 2h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once and stop.")] = False,
    events: Annotated[
        Path | None, typer.Option("--events", help="Append each change as a JSON line to this file.")
    ] = None,
    no_fetch_pages: Annotated[
        bool, typer.Option("--no-fetch-pages", help="Keep an entry's summary; do not fetch its page.")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds before a request gives up.")] = 20.0,
    delay: Annotated[
        float, typer.Option("--delay", min=0.0, help="Seconds between two requests to one host.")
    ] = 2.0,
    db: Annotated[str | None, typer.Option("--db", help="Database path or URL.")] = None,
) -> None:
    """Poll feeds, add new entries, and print each new story, source, language and conflict."""
    from ..watch import Watcher, WatchOptions, parse_interval

    try:
        seconds = parse_interval(every)
    except (ValueError, IndexError):
        raise typer.BadParameter(f"{every!r} is not a duration such as 90s, 15m or 2h", param_hint="--every") from None
    stop = threading.Event()

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C: stop now (the open transaction is rolled back)
        stop.set()
        err.print("stopping after the current item (Ctrl-C again to stop now)", markup=False)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    options = WatchOptions(fetch_pages=not no_fetch_pages, timeout=timeout, host_delay=delay)
    sink: IO[str] | None = None
    try:
        if events is not None:
            try:
                sink = events.open("a", encoding="utf-8")
            except OSError as exc:
                raise fail(f"cannot write {events}: {exc.strerror or exc}") from None
        with store_for(db) as store, Watcher(store, feeds, options=options, stop=stop) as watcher:
            _watch_loop(watcher, seconds=seconds, once=once, sink=sink, console=err, out=out)
    finally:
        signal.signal(signal.SIGINT, previous)
        if sink is not None:
            sink.close()


def _watch_loop(watcher: Any, *, seconds: float, once: bool, sink: IO[str] | None, console: Any, out: Any) -> None:
    """Run the polls with a live status line on a terminal; print one line per change and failure."""
    from datetime import datetime

    from rich.live import Live

    status: dict[str, Any] = {"polls": 0, "new": 0, "last": "never", "now": ""}

    def line() -> str:
        return (f"watching {len(watcher.feeds)} feed{'s' * (len(watcher.feeds) != 1)} · last poll {status['last']}"
                f" · new items {status['new']} · {status['now']}")

    live = Live(line(), console=console, transient=True, auto_refresh=False, redirect_stdout=False,
                redirect_stderr=False)
    live_on = console.is_terminal

    def progress(text: str) -> None:
        status["now"] = text[:80]
        if live_on:
            live.update(line(), refresh=True)

    watcher.on_progress = progress
    if live_on:
        live.start()
    try:
        for report in watcher.run(every=seconds, once=once):
            status["polls"] += 1
            status["new"] += sum(f.new for f in report.feeds)
            status["last"] = datetime.now().strftime("%H:%M:%S")
            status["now"] = "waiting" if not once else ""
            for result in report.feeds:
                if result.status == "failed":
                    console.print(f"failed: {result.feed}: {result.error}", markup=False, highlight=False)
            for change in report.changes:
                out.print(change.line(), markup=False, highlight=False)
                if sink is not None:
                    sink.write(json.dumps(change.to_json(), ensure_ascii=False) + "\n")
                    sink.flush()
            if not live_on:
                console.print(f"poll {status['polls']}: {sum(f.new for f in report.feeds)} new items, "
                              f"{len(report.added)} added, {len(report.changes)} changes",
                              markup=False, highlight=False)
            else:
                live.update(line(), refresh=True)
            if report.stopped:
                break
    finally:
        if live_on:
            live.stop()
