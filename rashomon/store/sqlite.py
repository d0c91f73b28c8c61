"""SQLite backend: the embedded default (WAL mode, FTS5 full-text search)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .base import _ARTICLE_COLUMNS, SearchHit, Store, _article_from_row

# Concurrent writers (several `rashomon add` and `serve`) wait this long for the write lock rather
# than failing with "database is locked"; one file's transaction takes well under a second.
_BUSY_TIMEOUT_MS = 60_000
_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


class SQLiteStore(Store):
    """A rashomon database in one SQLite file."""

    driver_errors = (sqlite3.Error,)

    @property
    def dialect(self) -> str:
        return "sqlite"

    def _connect(self) -> Any:
        path = self.url.removeprefix("sqlite:///").removeprefix("sqlite://")
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open database {path}: folder {parent} does not exist")
        try:
            conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # 64 MB of pages per connection (default 2 MB): placing an article reads the vectors and
            # analyses of a few hundred nearby ones, scattered over a 1.4 GB file at 100,000 articles.
            conn.execute("PRAGMA cache_size = -65536")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        return conn

    def _begin(self) -> None:
        # IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
        self.conn.execute("BEGIN IMMEDIATE")

    def _schema_version(self) -> int:
        try:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.url} is not a rashomon database: {exc}") from None

    def _set_schema_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version = {int(version)}")

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        tokens = _FTS_TOKEN.findall(query)
        if not tokens:
            return []
        # Each word is quoted, so user input can never be read as FTS5 query syntax.
        match = " ".join('"' + t.replace('"', "") + '"' for t in tokens)
        columns = ", ".join("a." + c.strip() for c in _ARTICLE_COLUMNS.split(","))
        rows = self.query(
            f"SELECT {columns}, snippet(articles_fts, 1, '[', ']', ' … ', 12) FROM articles_fts "
            "JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? "
            f"ORDER BY rank LIMIT {int(limit)}",
            (match,),
        )
        return [SearchHit(article=_article_from_row(r[:-1]), snippet=r[-1]) for r in rows]

    def data_version(self) -> str | None:
        # SQLite counts commits made by other connections (not this one's own): ask on one that never writes.
        return str(self.scalar("PRAGMA data_version"))

    def integrity_ok(self) -> bool:
        """Whether ``PRAGMA integrity_check`` passes."""
        return bool(self.scalar("PRAGMA integrity_check") == "ok")

