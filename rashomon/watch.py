"""Watch RSS/Atom feeds: poll them, add new entries through the normal ``add`` path, report changes.

A poll takes each feed in turn:

1. **fetch** it with httpx (a URL: timeouts, a size cap counted on the decompressed body, at most
   ``max_redirects`` redirects, gzip, a conditional GET with the ETag / Last-Modified of the last
   poll, and ``host_delay`` seconds between two requests to one host) or read it (a local file,
   skipped while its size and modification time are unchanged);
2. **read** its entries with the feed reader of :mod:`rashomon.ingest`; entries already taken (kept
   in the database, so a restarted watch resumes) are skipped;
3. for an entry that carries only a summary, **fetch its page** and extract the article with
   trafilatura (the summary stays when the page fails or says less);
4. **add** the new entries with :func:`rashomon.pipeline.add_paths` (dedup, analysis, stories);
5. **report** what a reader cares about, for each story that received a new article: a new story,
   a story that gained a source or a language, and each conflict of its comparison that involves a
   new article (:class:`Change`; ``to_json`` is the ``--events`` line, see ``docs/watch.md``).

A feed that fails (timeout, HTTP error, malformed XML, too large) yields one :class:`FeedResult` with
the reason and the other feeds go on. ``stop`` (a :class:`threading.Event`, set on Ctrl-C by the CLI)
is checked between feeds, entries and pages, and cuts the waits short.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from .errors import FetchError, InputError, RashomonError
from .ingest import RecordError, read_path
from .ingest.html import html_to_article
from .models import Article
from .pipeline import add_paths, prepare_article
from .settings import Settings
from .store import Store
from .store.base import now_iso

__all__ = ["Change", "FeedResult", "PollReport", "WatchOptions", "Watcher", "parse_interval"]

# An entry whose text is shorter than this (characters) is a summary: its page is fetched. RSS
# descriptions run 100-400 characters; the shortest real article bodies in the sample corpus and
# tests are ~700.
SUMMARY_BELOW = 600


@dataclass(frozen=True, kw_only=True)
class WatchOptions:
    """How feeds and pages are fetched."""

    timeout: float = 20.0  # seconds to connect, and between two reads of a response
    max_bytes: int = 10 * 1024 * 1024  # a feed or page over 10 MB (decompressed) is refused
    max_redirects: int = 5
    host_delay: float = 2.0  # seconds between two requests to one host
    fetch_pages: bool = True
    user_agent: str = "rashomon-watch/0.1 (+offline news cross-checking)"


@dataclass(slots=True)
class FeedResult:
    """What one poll of one feed did: ``status`` is ``new``, ``unchanged`` or ``failed``."""

    feed: str
    status: str
    new: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """A change a reader cares about: ``kind`` is ``new_story``, ``new_source``, ``new_language`` or
    ``new_conflict``."""

    kind: str
    story: str
    title: str
    detail: str  # the source, the language, or the conflict's note
    sources: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()

    def line(self) -> str:
        """One printed line, e.g. ``st_1a2b : 14 vs 19 injured — Kurier vs Rundschau``."""
        if self.kind == "new_conflict":
            return f"{self.story} : {self.detail} — {' vs '.join(self.sources)}"
        what = {"new_story": "new story", "new_source": "new source", "new_language": "new language"}[self.kind]
        detail = f" {self.detail}" if self.kind != "new_story" else ""
        return f"{self.story} : {what}{detail} — {self.title}"

    def to_json(self) -> dict[str, Any]:
        """The ``--events`` line of this change."""
        return {"time": now_iso(), "event": self.kind, "story": self.story, "title": self.title,
                "detail": self.detail, "sources": list(self.sources), "articles": list(self.articles)}


@dataclass(slots=True)
class PollReport:
    """One poll of every feed."""

    feeds: list[FeedResult] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    stopped: bool = False


def parse_interval(text: str) -> float:
    """Seconds in ``90``, ``90s``, ``15m``, ``2h`` or ``1d``.

    Raises:
        ValueError: not such a duration, or not positive.
    """
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    value = float(number) * units[unit]
    if value <= 0:
        raise ValueError("must be positive")
    return value


def _entry_key(article: Article) -> str:
    """An entry's identity within its feed: its link, else a digest of its title and date."""
    if article.url:
        return article.url
    return "sha1:" + hashlib.sha1(f"{article.title}\n{article.published}".encode()).hexdigest()


def _is_url(feed: str) -> bool:
    return urlsplit(feed).scheme in ("http", "https")


class Watcher:
    """Polls a list of feeds into one store. Not a dataclass: it owns an HTTP client and per-host clocks."""

    def __init__(
        self,
        store: Store,
        feeds: Sequence[str],
        *,
        options: WatchOptions | None = None,
        settings: Settings | None = None,
        stop: threading.Event | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.feeds = list(dict.fromkeys(feeds))
        self.options = options or WatchOptions()
        self.settings = settings or Settings()
        self.stop = stop or threading.Event()
        self.on_progress = on_progress or (lambda _text: None)
        self._last_request: dict[str, float] = {}
        # feed -> (new entries with their keys, ETag, Last-Modified): read, not yet stored
        self._pending: dict[str, tuple[list[tuple[str, Article]], str | None, str | None]] = {}
        self.client = httpx.Client(
            timeout=self.options.timeout, follow_redirects=True, max_redirects=self.options.max_redirects,
            headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one poll ------------------------------------------------------------------------------

    def poll(self) -> PollReport:
        """Poll every feed once; failures are reported per feed, never raised.

        When ``stop`` is set, the feeds read so far are still stored and the rest wait for the next run.
        """
        report = PollReport()
        for feed in self.feeds:
            self.on_progress(f"polling {feed}")
            if self.stop.is_set():
                break
            report.feeds.append(self._poll_feed(feed))
        report.stopped = self.stop.is_set()
        articles = [a for fresh, _e, _m in self._pending.values() for _k, a in fresh]
        if articles:
            report.added = self._add(articles)
            report.changes = self._changes(set(report.added))
        else:
            self._mark_pending({})
        return report

    def _poll_feed(self, feed: str) -> FeedResult:
        """Fetch and read one feed; its new entries are marked taken only once they are stored."""
        state = self.store.watch_feed(feed) or {}
        try:
            fetched = self._fetch_feed(feed, state)
            if fetched is None:
                self._save(feed, None, None, "unchanged", 0)
                return FeedResult(feed, "unchanged")
            data, etag, modified = fetched
            entries = self._entries(data)
        except RashomonError as exc:
            self._save(feed, None, None, f"failed: {exc}", 0)
            return FeedResult(feed, "failed", error=str(exc))
        keys = [_entry_key(a) for a in entries]
        seen = self.store.seen_entries(feed, keys)
        fresh: list[tuple[str, Article]] = []
        for key, article in zip(keys, entries, strict=True):
            if key in seen or key in {k for k, _a in fresh}:
                continue
            if self.stop.is_set():
                break
            fresh.append((key, self._with_page(article)))
        if self.stop.is_set():  # nothing of this feed is stored; the next run takes it again
            return FeedResult(feed, "unchanged")
        self._pending[feed] = (fresh, etag, modified)
        return FeedResult(feed, "new" if fresh else "unchanged", new=len(fresh))

    def _save(self, feed: str, etag: str | None, modified: str | None, status: str, new: int) -> None:
        with self.store.transaction():
            self.store.save_watch_feed(feed, etag=etag, last_modified=modified, status=status, new_items=new)

    def _fetch_feed(self, feed: str, state: dict[str, Any]) -> tuple[bytes, str | None, str | None] | None:
        """The feed's bytes and validators, or None when it has not changed since the last poll."""
        if not _is_url(feed):
            path = Path(feed)
            try:
                status = path.stat()
            except OSError as exc:
                raise FetchError(exc.strerror or str(exc)) from None
            stamp = f"{status.st_size}:{status.st_mtime_ns}"
            if state.get("etag") == stamp:
                return None
            if status.st_size > self.options.max_bytes:
                raise FetchError(f"{status.st_size} bytes, over the {self.options.max_bytes}-byte limit")
            return path.read_bytes(), stamp, None
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        response = self._get(feed, headers)
        if response is None:
            return None
        body, response_headers = response
        return body, response_headers.get("etag"), response_headers.get("last-modified")

    def _get(self, url: str, headers: dict[str, str]) -> tuple[bytes, httpx.Headers] | None:
        """GET with the host's delay, the size cap and error statuses as :class:`FetchError`; None on 304."""
        host = urlsplit(url).netloc
        wait = self._last_request.get(host, -1e9) + self.options.host_delay - time.monotonic()
        if wait > 0 and self.stop.wait(wait):
            raise FetchError("stopped")
        self._last_request[host] = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return None
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.options.max_bytes * 4:
                    raise FetchError(f"{declared} bytes, over the {self.options.max_bytes}-byte limit")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():  # decompressed: a gzip bomb is cut off here
                    size += len(chunk)
                    if size > self.options.max_bytes:
                        raise FetchError(f"over the {self.options.max_bytes}-byte limit")
                    chunks.append(chunk)
                return b"".join(chunks), response.headers
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.options.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.options.max_redirects} redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{' '.join(str(exc).split()) or type(exc).__name__}") from None

    def _entries(self, data: bytes) -> list[Article]:
        """The feed's entries as articles (read with the feed reader of :mod:`rashomon.ingest`)."""
        with _scratch_file(data) as path:
            try:
                records = list(read_path(path, max_bytes=self.options.max_bytes))
            except InputError as exc:
                raise FetchError(f"not a readable feed: {exc}") from None
            articles = [r for r in records if not isinstance(r, RecordError)]
        if not articles and records:
            raise FetchError(f"not a readable feed: {records[0].reason}")  # type: ignore[union-attr]
        for article in articles:
            article.path = None
            if article.format != "feed":
                raise FetchError("not an RSS or Atom feed")
        return articles

    def _with_page(self, article: Article) -> Article:
        """The entry with its page's text when it carries only a summary and the page says more."""
        if not self.options.fetch_pages or len(article.text) >= SUMMARY_BELOW or not article.url \
                or not _is_url(article.url):
            return article
        self.on_progress(f"fetching {article.url}")
        try:
            fetched = self._get(article.url, {})
            if fetched is None:
                return article
            body, headers = fetched
            charset = headers.get("content-type", "").partition("charset=")[2].split(";")[0].strip() or "utf-8"
            page = html_to_article(body.decode(charset, errors="replace"), url=article.url)
        except (RashomonError, LookupError):
            return article  # the summary is still an article
        if len(page.text) <= len(article.text):
            return article
        article.text = page.text
        article.author = article.author or page.author
        article.published = article.published or page.published
        return article

    # -- storing and reporting ----------------------------------------------------------------

    def _add(self, articles: list[Article]) -> list[str]:
        """Add the new entries through :func:`rashomon.pipeline.add_paths` and mark them taken."""
        ids: dict[int, str] = {}
        lines = []
        for article in articles:
            record = {k: v for k, v in article.to_json(with_text=True).items()
                      if k in ("title", "text", "url", "source", "published", "updated", "language", "author") and v}
            ids[id(article)] = prepare_article(Article(title=article.title, text=article.text)).article.id
            lines.append(json.dumps(record, ensure_ascii=False))
        with _scratch_file(("\n".join(lines) + "\n").encode("utf-8"), suffix=".jsonl") as path:
            report = add_paths(self.store, [path], settings=self.settings, keep_paths=False)
        self._mark_pending(ids)
        return report.added

    def _mark_pending(self, ids: dict[int, str]) -> None:
        """Record the feeds read in this poll: their entries taken, their new validators."""
        with self.store.transaction():
            for feed, (fresh, etag, modified) in self._pending.items():
                self.store.mark_entries_seen(feed, [(key, ids.get(id(a))) for key, a in fresh])
                self.store.save_watch_feed(feed, etag=etag, last_modified=modified,
                                           status="new" if fresh else "unchanged", new_items=len(fresh))
        self._pending.clear()

    def _changes(self, added: set[str]) -> list[Change]:
        """New stories, sources, languages and conflicts in the stories the new articles joined."""
        from .compare_cache import cached_compare  # loads the embedding models

        changes: list[Change] = []
        story_ids = list(dict.fromkeys(s for s in (self.store.story_of(a) for a in sorted(added)) if s))
        for story_id in story_ids:
            story = self.store.get_story(story_id)
            members = self.store.list_articles(ids=story.article_ids)
            new = [a for a in members if a.id in added]
            old = [a for a in members if a.id not in added]
            new_ids = tuple(a.id for a in new)
            if not old:
                changes.append(Change("new_story", story.id, story.title, story.title,
                                      tuple(dict.fromkeys(a.source or "?" for a in new)), new_ids))
            else:
                for kind, values, before in (
                    ("new_source", [a.source for a in new], {a.source for a in old}),
                    ("new_language", [a.language for a in new], {a.language for a in old}),
                ):
                    for value in dict.fromkeys(v for v in values if v and v not in before):
                        changes.append(Change(kind, story.id, story.title, value, (), new_ids))
            if len(members) < 2:
                continue
            comparison = cached_compare(self.store, story.id)
            labels = {a.id: a.source or a.title for a in members}
            for statement in comparison["statements"]:
                claim_ids = [c["article"] for c in statement["claims"]]
                if statement["status"] != "conflict" or not set(claim_ids) & added:
                    continue
                changes.append(Change("new_conflict", story.id, story.title, statement.get("note") or "conflict",
                                      tuple(dict.fromkeys(labels.get(i, i) for i in claim_ids)),
                                      tuple(dict.fromkeys(claim_ids))))
        return changes

    def run(self, *, every: float, once: bool = False) -> Iterator[PollReport]:
        """Poll now and then every ``every`` seconds until ``stop`` is set (or once)."""
        while not self.stop.is_set():
            yield self.poll()
            if once or self.stop.wait(every):
                return


class _scratch_file:  # noqa: N801 - used as a context manager like tempfile's
    """A temporary file holding ``data``, removed on exit."""

    def __init__(self, data: bytes, *, suffix: str = ".xml") -> None:
        self.data, self.suffix = data, suffix
        self.path: Path | None = None

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(prefix="rashomon-watch-", suffix=self.suffix)
        with os.fdopen(handle, "wb") as stream:
            stream.write(self.data)
        self.path = Path(name)
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
