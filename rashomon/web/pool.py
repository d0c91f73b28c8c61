"""Open stores lent to requests, and a cache of pages kept while the database is unchanged.

Opening a store connects and checks the schema: ~1.4 ms of a ~12 ms story list at 10,000 articles,
so requests borrow an open one instead. A borrowed store is used by one request at a time (SQLite
connections are opened with ``check_same_thread=False``: FastAPI may run a request's dependency and
its view in different threads of its pool, never at once).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from ..errors import NotFound, RashomonError, StoreError
from ..store import Store, open_store

__all__ = ["PageCache", "StorePool"]

T = TypeVar("T")


class StorePool:
    """Open stores of one database, each lent to one request at a time."""

    def __init__(self, url: str, *, max_idle: int = 8) -> None:
        self.url = url
        # Idle stores kept beyond this are closed; 8 covers the concurrent requests of one worker
        # without holding a PostgreSQL connection per thread of the (40-thread) pool.
        self.max_idle = max_idle
        self._idle: list[Store] = []
        self._lock = threading.Lock()
        self._watcher: Store | None = None
        self._watchers = 0  # watchers opened so far: a new one counts from its own start
        self._watch_lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        """An open store for the length of the block; returned to the pool after it."""
        with self._lock:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = open_store(self.url)
        try:
            yield store
        except RashomonError as exc:
            # An unknown id or bad input leaves the connection as it was; a store error may have broken it.
            self._release(store, keep=isinstance(exc, NotFound) or not isinstance(exc, StoreError))
            raise
        except BaseException:
            self._release(store, keep=False)
            raise
        self._release(store, keep=True)

    def _release(self, store: Store, *, keep: bool) -> None:
        with self._lock:
            if keep and store.conn is not None and len(self._idle) < self.max_idle:
                self._idle.append(store)
                return
        store.close()

    def data_version(self) -> str | None:
        """A value that changes whenever anyone commits to the database (``None``: cannot tell).

        Asked on a store of its own that never writes: SQLite's counter ignores a connection's own commits.
        """
        with self._watch_lock:
            try:
                if self._watcher is None:
                    self._watcher = open_store(self.url)
                    self._watchers += 1
                version = self._watcher.data_version()
                return None if version is None else f"{self._watchers}:{version}"
            except Exception:  # a broken connection: no caching for this request, a new watcher next time
                if self._watcher is not None:
                    self._watcher.close()
                    self._watcher = None
                return None

    def close(self) -> None:
        """Close every idle store and the watcher."""
        with self._lock:
            idle, self._idle = self._idle, []
        with self._watch_lock:
            if self._watcher is not None:
                idle.append(self._watcher)
                self._watcher = None
        for store in idle:
            store.close()


class PageCache(Generic[T]):
    """Values (rendered pages) by key, each valid only at the database version it was built at; least
    recently used entries go first beyond ``max_entries``. Used from the event loop only (no locks)."""

    def __init__(self, *, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._version: str | None = None
        self._building: dict[tuple[Hashable, str], asyncio.Future[T]] = {}

    async def get(self, key: Hashable, version: str | None, build: Callable[[], Awaitable[T]]) -> T:
        """The value kept for ``key`` at this database version, else ``await build()``.

        ``version`` must be read before ``build`` reads the database, so a value is never older than the
        version it is kept under. Requests arriving while a value is being built wait for that build
        instead of starting their own (after each write, every page is built once, not once per request).
        """
        if version is None:
            return await build()
        if version != self._version:
            self._entries.clear()
            self._version = version
        elif key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        pending = self._building.get((key, version))
        if pending is None:
            pending = self._building[(key, version)] = asyncio.ensure_future(build())
            pending.add_done_callback(lambda _done: self._building.pop((key, version), None))
        value = await asyncio.shield(pending)  # a client that goes away does not cancel the others' build
        if version == self._version:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value
