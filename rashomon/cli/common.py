"""What every ``rashomon`` command shares: the consoles, option types, the store opener, the JSON printer,
and the one place a library error becomes a one-line message."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from ..errors import RashomonError, UsageError
from ..settings import default_db_path
from ..store import Store, open_store

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database path or URL (default: $RASHOMON_DB, else the user data folder)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` as one plain line on stderr; returns the exit to raise."""
    err.print(f"error: {message}", markup=False, highlight=False)
    return typer.Exit(code)


class ReportingGroup(TyperGroup):
    """The root command: every :class:`~rashomon.errors.RashomonError` a command (or sub-command) raises
    becomes one line on stderr and exit code 1 (2 for a usage error); tracebacks are for bugs only."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise fail(str(exc), 2) from None
        except RashomonError as exc:
            raise fail(str(exc)) from None


@contextmanager
def store_for(db: str | None) -> Iterator[Store]:
    """The store at ``--db`` (else the default database), closed afterwards."""
    store = open_store(db or default_db_path())
    try:
        yield store
    finally:
        store.close()


def print_failures(failures: Iterable[tuple[str, str]]) -> None:
    """One ``failed: WHERE: REASON`` line on stderr per input that could not be read."""
    for where, reason in failures:
        err.print(f"failed: {where}: {reason}", markup=False, highlight=False)


def print_json(data: Any) -> None:
    """``data`` as indented UTF-8 JSON on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
