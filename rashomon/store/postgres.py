"""PostgreSQL backend, chosen by a ``postgresql://`` URL: same schema, tsvector full-text search."""

from __future__ import annotations

import re
from typing import Any

from ..errors import StoreError
from .base import _ARTICLE_COLUMNS, SearchHit, Store, _article_from_row

_WORD = re.compile(r"\w+", re.UNICODE)
# Any constant works: it only has to be the same for every rashomon process migrating one database.
_MIGRATION_LOCK = 7_204_2024
_WRITE_LOCK = 7_204_2025


class PostgresStore(Store):
    """A rashomon database on a PostgreSQL server."""

    placeholder = "%s"

    @property
    def driver_errors(self) -> tuple[type[Exception], ...]:  # type: ignore[override]
        import psycopg

        return (psycopg.Error,)

    @property
    def dialect(self) -> str:
        return "postgres"

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to PostgreSQL: {message}") from None

    def _begin(self) -> None:
        # Writers are serialised like SQLite's BEGIN IMMEDIATE: the duplicate check and the insert of
        # one file then see a consistent archive, and concurrent `add` runs never collide.
        self.conn.execute("BEGIN")
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))

    def migrate(self) -> None:
        # Concurrent first runs would race to create the schema: serialise them on an advisory lock.
        self.conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        try:
            super().migrate()
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))

    def _schema_version(self) -> int:
        exists = self.scalar("SELECT to_regclass('schema_version') IS NOT NULL")
        if not exists:
            return 0
        return int(self.scalar("SELECT version FROM schema_version"))

    def _set_schema_version(self, version: int) -> None:
        self.execute("UPDATE schema_version SET version = ?", (version,))

    def data_version(self) -> str | None:
        # Where the server will write its next log record: every commit that changes data writes one before
        # others can see it. Writes to other databases of the server move it too (a needless miss, never a
        # stale read); a standby in recovery cannot tell, so nothing is cached there.
        try:
            return str(self.scalar("SELECT pg_current_wal_insert_lsn()::text"))
        except self.driver_errors:
            return None

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        words = _WORD.findall(query)
        if not words:
            return []
        columns = ", ".join("a." + c.strip() for c in _ARTICLE_COLUMNS.split(","))
        terms = " & ".join(w.replace("'", "") for w in words)
        rows = self.query(
            f"SELECT {columns}, ts_headline('simple', a.text, q, 'StartSel=[,StopSel=],MaxWords=24,MinWords=8') "
            "FROM articles a, to_tsquery('simple', ?) q WHERE a.search @@ q "
            f"ORDER BY ts_rank(a.search, q) DESC LIMIT {int(limit)}",
            (terms,),
        )
        return [SearchHit(article=_article_from_row(r[:-1]), snippet=r[-1]) for r in rows]
