"""The root ``rashomon`` command, its entry point, and the commands that ingest and read articles.

Every :class:`~rashomon.errors.RashomonError` becomes one line on stderr (exit 1, 2 for a usage error)
in :class:`~rashomon.cli.common.ReportingGroup`; tracebacks are for bugs only.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .. import pipeline
from ..export import article_json
from ..settings import DEFAULT_MAX_FILE_BYTES, Settings, default_db_path
from . import links, origin
from .common import DbOption, JsonOption, ReportingGroup, err, fail, out, print_failures, print_json, store_for

app = typer.Typer(
    help="Cross-check news: ingest articles in any language, link reports of one event, compare them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=ReportingGroup,
)
# `add` shows a progress bar (with articles/s) for more files than this, on a terminal only.
_PROGRESS_MIN_FILES = 20


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: files finished before the interruption are stored; rerun to continue")
        sys.exit(130)


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    source: Annotated[str | None, typer.Option("--source", help="Outlet name for all these articles.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="ISO 639-1 language code; skips detection.")] = None,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Descend into sub-folders.")] = False,
    max_size: Annotated[
        int, typer.Option("--max-size", help="Refuse files larger than this many bytes (WARC is streamed).")
    ] = DEFAULT_MAX_FILE_BYTES,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes that analyse articles (2 pays off for 50+ files).")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Ingest articles (txt, HTML, RSS/Atom, WARC, JSONL), analyse them and place them in stories."""
    settings = Settings(max_file_bytes=max_size, workers=workers)
    files = list(pipeline.iter_input_files(paths, recursive=recursive))
    with store_for(db) as store:
        # Only for a batch worth watching, and only on a terminal: stdout and the failure lines stay plain.
        progress = Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=err, transient=True,
            disable=len(files) <= _PROGRESS_MIN_FILES or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingesting", total=len(files), rate="")
            started = time.monotonic()

            def advance(path: Path, report: pipeline.AddReport) -> None:
                rate = len(report.added) / max(time.monotonic() - started, 1e-9)
                progress.update(task, advance=1, description=f"ingesting {path.name[:40]}",
                                rate=f"{rate:.1f} articles/s")

            report = pipeline.add_paths(
                store, files, settings=settings, source=source, language=lang, on_file=advance
            )
    print_failures(report.failures)
    if not report.added and not report.copies and not report.failures and report.present:
        out.print(f"nothing new: all {report.present} articles already present", markup=False)
    out.print(report.summary(), markup=False, highlight=False)
    if report.failures:
        raise typer.Exit(1)


@app.command()
def articles(
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only published on/after YYYY-MM-DD.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List stored articles."""
    with store_for(db) as store:
        found = store.list_articles(language=lang, source=source, since=since)
        if as_json:
            print_json([article_json(store, a, full=False) for a in found])
            return
    table = Table("id", "published", "lang", "source", "title", box=None)
    for a in found:
        table.add_row(a.id, (a.published or a.updated or "")[:10], a.language or "", a.source or "", a.title)
    out.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix).")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show one article: metadata, clean text and what analysis found."""
    with store_for(db) as store:
        article = store.get_article(article_id)
        data = article_json(store, article, full=True)
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{article.title}[/bold]")
    for key in ("id", "source", "language", "published", "updated", "url", "path", "author"):
        if data.get(key):
            out.print(f"{key}: {data[key]}", markup=False, highlight=False)
    if article.photo_credits:
        out.print("photo credits: " + "; ".join(article.photo_credits), markup=False)
    if data.get("event_date"):
        out.print(f"event date: {data['event_date']}", markup=False)
    out.print()
    out.print(article.text, markup=False, highlight=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (full-text).")],
    limit: Annotated[int, typer.Option("--limit", help="At most this many results.")] = 20,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Full-text search over titles and bodies."""
    with store_for(db) as store:
        hits = store.search(query, limit=limit)
        if as_json:
            print_json([{**article_json(store, h.article, full=False), "snippet": h.snippet} for h in hits])
            return
    for hit in hits:
        out.print(f"[bold]{hit.article.id}[/bold] {hit.article.title}", highlight=False)
        out.print(f"    {hit.snippet}", markup=False, highlight=False)
    if not hits:
        out.print("no match")


@app.command()
def reanalyse(
    all_articles: Annotated[bool, typer.Option("--all", help="Redo every article, not only stale ones.")] = False,
    db: DbOption = None,
) -> None:
    """Re-run per-article analysis where it is missing or made by an older analyser version."""
    with store_for(db) as store:
        count = pipeline.reanalyse(store, all_articles=all_articles)
    out.print(f"reanalysed {count} articles")


def sample_corpus() -> Path:
    """The folder of the bundled sample corpus."""
    return Path(__file__).parent.parent / "data" / "sample" / "articles"


@app.command()
def demo(
    db: Annotated[
        str | None, typer.Option("--db", help="Database to fill (default: a fresh temporary file).")
    ] = None,
) -> None:
    """Ingest the bundled sample corpus into a fresh database and show what it holds."""
    if db is None:
        db = str(Path(tempfile.mkdtemp(prefix="rashomon-demo-")) / "demo.db")
    out.print(f"database: {db}", markup=False)
    with store_for(db) as store:
        report = pipeline.add_paths(store, [sample_corpus()], recursive=True)
        out.print(f"sample corpus: {report.summary()}", markup=False)
        print_failures(report.failures)
        table = Table("source", "language", "articles", title="Articles per source and language")
        for source, language, count in store.counts_by_source_language():
            table.add_row(source or "(unknown)", language or "?", str(count))
        out.print(table)
        found = store.list_stories()
        out.print(f"\n{len(found)} stories:", markup=False)
        for story in found:
            out.print(f"  {story.id}  {story.event_date or '?':10}  {len(story.article_ids)} articles, "
                      f"{len(story.sources)} sources ({', '.join(story.languages)})  {story.title}",
                      markup=False, highlight=False)
        if found:
            from ..compare_cache import cached_compare
            from ..render import to_markdown

            widest = max(found, key=lambda s: (len(s.sources), len(s.languages), s.id))
            out.print(f"Comparison of story {widest.id} (`rashomon compare {widest.id} --db {db}`):", markup=False)
            out.print(to_markdown(cached_compare(store, widest.id)), markup=False, highlight=False)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="RASHOMON_TOKEN",
                     help="Access token every request must carry; required to listen beyond this machine."),
    ] = None,
    db: DbOption = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Worker processes (default: one per CPU core, at most 4)."),
    ] = None,
) -> None:
    """Run the web interface and JSON API (http://127.0.0.1:8000 by default)."""
    if not _is_loopback(host) and not token:
        raise fail(f"listening on {host} would share the database with the network; "
                   "set an access token with --token or $RASHOMON_TOKEN", 2)
    from ..web import server

    path = db or default_db_path()
    with store_for(path):
        pass  # create/migrate now, so a bad --db fails here with one line, not on the first request
    workers = workers or server.default_workers()
    shown = f"[{host}]" if ":" in host else host
    err.print(f"rashomon: serving {path} at http://{shown}:{port}/ with {workers} worker{'s' * (workers > 1)}"
              + (" (token required)" if token else ""), markup=False, highlight=False)
    server.run(db=path, token=token, host=host, port=port, workers=workers)


_COMPARE_FORMATS = ("json", "markdown", "html")


@app.command()
def compare(
    story_id: Annotated[str, typer.Argument(help="Story id (see `rashomon stories`).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json, markdown, or html (one self-contained page).")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Compare how a story's articles report it: shared, unique and conflicting statements, quotes, labels."""
    if fmt not in _COMPARE_FORMATS:
        choices = ", ".join(_COMPARE_FORMATS)
        raise typer.BadParameter(f"{fmt!r} is not one of {choices}", param_hint="--format")
    from ..annotate import annotate
    from ..compare_cache import cached_compare  # loads the embedding models only when it must compare
    from ..render import to_html, to_markdown

    with store_for(db) as store:
        result = annotate(store, cached_compare(store, story_id))
    if fmt == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_markdown(result) if fmt == "markdown" else to_html(result)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    err.print(f"wrote {output}", markup=False, highlight=False)


@app.command()
def batch(
    paths: Annotated[
        list[str], typer.Argument(help="Files or folders to ingest (or hdfs://, s3a:// URIs), then OUTPUT.")
    ],
    engine: Annotated[str, typer.Option("--engine", help="Batch engine; only `spark` for now.")] = "spark",
    master: Annotated[
        str, typer.Option("--master", help="Spark master: local[*], local[2], spark://HOST:7077, yarn, k8s://...")
    ] = "local[*]",
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="Partitions for reading and analysis.")
    ] = None,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Descend into sub-folders.")] = False,
    max_size: Annotated[
        int, typer.Option("--max-size", help="Refuse files larger than this many bytes (WARC is streamed).")
    ] = DEFAULT_MAX_FILE_BYTES,
) -> None:
    """Ingest, analyse and cluster a corpus as a Spark job; writes Parquet tables and stories.jsonl."""
    if engine != "spark":
        raise typer.BadParameter(f"{engine!r} is not a batch engine (use spark)", param_hint="--engine")
    if len(paths) < 2:
        raise typer.BadParameter("give at least one INPUT and the OUTPUT folder", param_hint="PATHS")
    from ..spark import run_batch

    *inputs, output = paths
    report = run_batch(inputs, output, master=master, partitions=partitions, recursive=recursive,
                       settings=Settings(max_file_bytes=max_size))
    print_failures(report.failures)
    out.print(f"{report.summary()}; wrote {output}", markup=False, highlight=False)
    if report.failures:
        raise typer.Exit(1)


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="article, stories or compare.")],
) -> None:
    """Print the JSON schema that `--json` / `--format json` output follows (article, stories, compare)."""
    from .. import contract

    print_json(contract.schema(name))


@app.command("import")
def import_(
    output: Annotated[str, typer.Argument(help="A folder written by `rashomon batch`.")],
    db: DbOption = None,
) -> None:
    """Load a `rashomon batch` result into the database, so the CLI and web UI work on it."""
    from ..spark import import_batch

    with store_for(db) as store:
        report = import_batch(store, output)
    out.print(report.summary(), markup=False, highlight=False)


app.add_typer(links.stories_app, name="stories")
app.add_typer(links.entities_app, name="entities")
app.command("story")(links.story)
app.command()(links.recluster)
app.command()(links.similarity)
app.command()(origin.brief)
app.command()(origin.watch)
