"""Storage: the only code with SQL. :func:`open_store` picks the backend from the URL."""

from __future__ import annotations

from .base import EntityRow, SearchHit, Store
from .sqlite import SQLiteStore

__all__ = ["EntityRow", "SearchHit", "Store", "SQLiteStore", "open_store"]


def open_store(url: str) -> Store:
    """Open (creating and migrating if needed) the database at a path or URL.

    Args:
        url: a file path or ``sqlite:///path`` for SQLite; ``postgresql://...`` for PostgreSQL.
    """
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url).open()
    return SQLiteStore(url).open()
