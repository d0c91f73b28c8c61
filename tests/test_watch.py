"""`rashomon watch` against a real HTTP server on 127.0.0.1 whose feeds change between polls.

The server (``_FeedServer``) serves whatever each test puts in its routes: feeds that gain entries,
answer 304 to a matching ETag, fail with 500, answer too slowly, are malformed, too large or gzipped,
and article pages for entries that carry only a summary. The articles are invented.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.settings import Settings
from rashomon.store import open_store
from rashomon.watch import Watcher, WatchOptions, parse_interval

runner = CliRunner()
QUICK = Settings(analyse=False, cluster=False)  # storing only: these tests are about fetching


@dataclass
class _Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None  # answer 304 to a request carrying this ETag


class _FeedServer:
    """A threaded HTTP server on 127.0.0.1 serving ``routes``; it records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, _Route] = {}
        self.requests: list[tuple[str, dict[str, str], float]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append((self.path, dict(self.headers), time.monotonic()))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for key, value in {**route.headers, **({"ETag": route.etag} if route.etag else {})}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self.wfile.write(route.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def hits(self, path: str) -> list[tuple[str, dict[str, str], float]]:
        return [r for r in self.requests if r[0] == path]


@pytest.fixture
def server() -> Iterator[_FeedServer]:
    feeds = _FeedServer()
    feeds.thread.start()
    yield feeds
    feeds.httpd.shutdown()
    feeds.httpd.server_close()


def _rss(title: str, items: list[dict[str, str]]) -> bytes:
    parts = [f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(title)}</title>"]
    for item in items:
        date = format_datetime(datetime.fromisoformat(item["published"]).astimezone(UTC))
        parts.append(f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
                     f"<pubDate>{date}</pubDate><description>{escape(item['text'])}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def _item(n: int, *, text: str | None = None) -> dict[str, str]:
    body = text or (
        f"The city council of Tartu voted on Monday to close the old wooden footbridge number {n} over the "
        f"Emajõgi river after engineers found rot in {n + 2} of its supporting beams. Repairs are expected to "
        "take several months, and pedestrians will be directed to the stone bridge upstream. The council said "
        "a temporary ferry would run during the summer festival, when the riverside paths are busiest."
    )
    return {"title": f"Tartu closes footbridge {n}", "link": f"https://news.example/bridge-{n}", "text": body,
            "published": f"2025-05-0{n}T08:00:00+03:00"}


def _watcher(db: str, feeds: list[str], **options: Any) -> Callable[[], Any]:
    def poll() -> Any:
        with open_store(db) as store, Watcher(store, feeds, settings=QUICK,
                                               options=WatchOptions(host_delay=0, **options)) as watcher:
            return watcher.poll()

    return poll


def test_each_failing_feed_is_one_result_and_the_others_go_on(db_url: str, server: _FeedServer) -> None:
    server.routes = {
        "/news.xml": _Route(_rss("Tartu Daily", [_item(1), _item(2)]), etag='"v1"'),
        "/broken.xml": _Route(b"oops", status=500),
        "/slow.xml": _Route(_rss("Slow", [_item(3)]), delay=2.0),
        "/bad.xml": _Route(b"<rss><channel><item><title>Half a feed</titl"),
        "/big.xml": _Route(_rss("Big", [_item(4, text="word " * 10_000)])),
        "/packed.xml": _Route(gzip.compress(_rss("Packed", [_item(5)])), headers={"Content-Encoding": "gzip"}),
    }
    feeds = [server.url(p) for p in server.routes]
    report = _watcher(db_url, feeds, timeout=0.5, max_bytes=20_000)()
    outcome = {r.feed.rsplit("/", 1)[1]: (r.status, r.new, r.error or "") for r in report.feeds}
    assert outcome["news.xml"] == ("new", 2, "") and outcome["packed.xml"] == ("new", 1, "")
    assert outcome["broken.xml"][:2] == ("failed", 0) and "HTTP 500" in outcome["broken.xml"][2]
    assert "timed out" in outcome["slow.xml"][2]
    assert "not a readable feed" in outcome["bad.xml"][2]
    assert "byte limit" in outcome["big.xml"][2]
    with open_store(db_url) as store:
        assert store.count_articles() == 3
    assert server.hits("/packed.xml")[0][1].get("Accept-Encoding", "").startswith("gzip")


def test_validators_and_seen_entries_survive_a_restart(db_url: str, server: _FeedServer) -> None:
    server.routes = {"/news.xml": _Route(_rss("Tartu Daily", [_item(1), _item(2)]), etag='"v1"')}
    poll = _watcher(db_url, [server.url("/news.xml")])
    assert [r.new for r in poll().feeds] == [2]
    second = poll()  # a new process each time: the ETag comes from the database
    assert [(r.status, r.new) for r in second.feeds] == [("unchanged", 0)]
    assert server.hits("/news.xml")[-1][1].get("If-None-Match") == '"v1"'
    server.routes["/news.xml"] = _Route(_rss("Tartu Daily", [_item(3), _item(1), _item(2)]), etag='"v2"')
    assert [r.new for r in poll().feeds] == [1]
    server.routes["/news.xml"] = _Route(_rss("Tartu Daily", [_item(3), _item(1), _item(2)]))  # no validators
    assert [(r.status, r.new) for r in poll().feeds] == [("unchanged", 0)]
    with open_store(db_url) as store:
        assert store.count_articles() == 3
        assert store.watch_feed(server.url("/news.xml"))["new_items"] == 3  # type: ignore[index]


def test_a_local_feed_file_is_read_again_only_when_it_changes(tmp_path: Path) -> None:
    db, feed = str(tmp_path / "w.db"), tmp_path / "feed.xml"
    feed.write_bytes(_rss("Local", [_item(1)]))
    poll = _watcher(db, [str(feed)])
    assert [(r.status, r.new) for r in poll().feeds] == [("new", 1)]
    assert [(r.status, r.new) for r in poll().feeds] == [("unchanged", 0)]
    feed.write_bytes(_rss("Local", [_item(2), _item(1)]))
    assert [(r.status, r.new) for r in poll().feeds] == [("new", 1)]
    missing = _watcher(db, [str(tmp_path / "gone.xml")])().feeds[0]
    assert missing.status == "failed" and "No such file" in (missing.error or "")


_PAGE = """<html><head><title>Tartu closes its oldest footbridge</title></head><body><article>
<h1>Tartu closes its oldest footbridge</h1>
<p>The city council of Tartu voted on Monday to close the old wooden footbridge over the Emajõgi river.</p>
<p>Engineers found rot in seven of its supporting beams during an inspection in April, the council said.</p>
<p>Repairs are expected to take four months. Pedestrians will be directed to the stone bridge upstream,
and a temporary ferry will run during the summer festival, when the riverside paths are busiest.</p>
<p>The footbridge was built in 1927 and was last renovated in 1998, according to the city archive.</p>
</article></body></html>"""


@pytest.mark.parametrize("fetch_pages", [True, False])
def test_an_entry_with_only_a_summary_gets_its_page(tmp_path: Path, server: _FeedServer, fetch_pages: bool) -> None:
    db = str(tmp_path / "w.db")
    item = {**_item(1, text="Tartu closes an old footbridge."), "link": server.url("/bridge.html")}
    server.routes = {"/news.xml": _Route(_rss("Tartu Daily", [item])),
                     "/bridge.html": _Route(_PAGE.encode("utf-8"),
                                            headers={"Content-Type": "text/html; charset=utf-8"})}
    _watcher(db, [server.url("/news.xml")], fetch_pages=fetch_pages)()
    with open_store(db) as store:
        (article,) = store.list_articles()
        text = store.get_article(article.id).text
    assert ("built in 1927" in text) is fetch_pages
    assert bool(server.hits("/bridge.html")) is fetch_pages


def test_requests_to_one_host_are_spaced(tmp_path: Path, server: _FeedServer) -> None:
    server.routes = {"/a.xml": _Route(_rss("A", [_item(1)])), "/b.xml": _Route(_rss("B", [_item(2)]))}
    with open_store(str(tmp_path / "w.db")) as store, Watcher(
        store, [server.url("/a.xml"), server.url("/b.xml")], settings=QUICK, options=WatchOptions(host_delay=0.5)
    ) as watcher:
        watcher.poll()
    (_a, _h, first), (_b, _h2, second) = server.requests
    assert second - first >= 0.45


def test_a_stop_request_ends_the_poll_between_feeds_and_the_next_run_resumes(tmp_path: Path,
                                                                             server: _FeedServer) -> None:
    db = str(tmp_path / "w.db")
    server.routes = {"/a.xml": _Route(_rss("A", [_item(1)])), "/b.xml": _Route(_rss("B", [_item(2)]))}
    feeds = [server.url("/a.xml"), server.url("/b.xml")]
    stop = threading.Event()

    def progress(text: str) -> None:
        if text.endswith("/b.xml"):
            stop.set()  # as Ctrl-C does, between two items

    with open_store(db) as store, Watcher(store, feeds, settings=QUICK, options=WatchOptions(host_delay=0),
                                          stop=stop, on_progress=progress) as watcher:
        report = watcher.poll()
        assert list(watcher.run(every=60)) == []  # already stopped: no further poll
    assert report.stopped and [r.feed for r in report.feeds] == feeds[:1]
    assert not server.hits("/b.xml")
    with open_store(db) as store:
        assert store.count_articles() == 1  # what was read before the stop is stored
    assert [(r.status, r.new) for r in _watcher(db, feeds)().feeds] == [("unchanged", 0), ("new", 1)]


def test_intervals() -> None:
    assert [parse_interval(t) for t in ("90", "90s", "15m", "2h", "1d")] == [90, 90, 900, 7200, 86400]
    for bad in ("0m", "soon", "-5s"):
        with pytest.raises(ValueError):
            parse_interval(bad)


_EN = ("A fire destroyed a grain warehouse at the port of Klaipeda on Friday night, the port authority said. "
       "Firefighters needed four hours to bring the blaze under control. Seven workers were treated for smoke "
       "inhalation, according to the Lithuanian Fire and Rescue Department. The warehouse held about 3,000 "
       "tonnes of wheat bound for export to Spain.")
_DE = ("Im Hafen von Klaipėda hat in der Nacht zum Samstag ein Feuer ein Getreidelager zerstört, teilte die "
       "Hafenverwaltung mit. Die Feuerwehr brauchte vier Stunden, um den Brand unter Kontrolle zu bringen. "
       "Zwölf Arbeiter wurden wegen einer Rauchvergiftung behandelt, berichtete die Nachrichtenagentur BNS. "
       "In dem Lager befanden sich rund 3000 Tonnen Weizen für den Export nach Spanien.")


def test_new_story_source_language_and_conflict_are_reported(db_url: str, server: _FeedServer,
                                                            tmp_path: Path) -> None:
    en = {"title": "Fire destroys grain warehouse at Klaipeda port", "link": "https://a.example/fire",
          "text": _EN, "published": "2025-06-13T23:40:00+00:00"}
    de = {"title": "Brand im Hafen von Klaipėda zerstört Getreidelager", "link": "https://b.example/brand",
          "text": _DE, "published": "2025-06-14T08:10:00+02:00"}
    server.routes = {"/en.xml": _Route(_rss("Baltic Wire", [en])), "/de.xml": _Route(_rss("Ostsee Echo", []))}
    feeds = [server.url("/en.xml"), server.url("/de.xml")]
    events = tmp_path / "events.jsonl"
    first = runner.invoke(app, ["watch", *feeds, "--once", "--delay", "0", "--events", str(events), "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "new story — Fire destroys grain warehouse at Klaipeda port" in first.output
    server.routes["/de.xml"] = _Route(_rss("Ostsee Echo", [de]))
    second = runner.invoke(app, ["watch", *feeds, "--once", "--delay", "0", "--events", str(events), "--db", db_url])
    assert second.exit_code == 0, second.output
    lines = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    kinds = [e["event"] for e in lines]
    assert kinds[0] == "new_story" and "new_source" in kinds and "new_language" in kinds
    conflict = next(e for e in lines if e["event"] == "new_conflict" and e["detail"] == "7 vs 12")
    assert set(conflict["sources"]) == {"Baltic Wire", "Ostsee Echo"}
    assert f"{conflict['story']} : {conflict['detail']} — " in second.output
    assert set(lines[0]) == {"time", "event", "story", "title", "detail", "sources", "articles"}


def test_the_watch_command_reports_a_failing_feed_in_one_line(tmp_path: Path, server: _FeedServer) -> None:
    server.routes = {"/broken.xml": _Route(b"", status=503)}
    result = runner.invoke(app, ["watch", server.url("/broken.xml"), "--once", "--delay", "0",
                                 "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 0
    assert f"failed: {server.url('/broken.xml')}: HTTP 503" in result.output
    assert "Traceback" not in result.output
    bad = runner.invoke(app, ["watch", "x.xml", "--every", "soon", "--db", str(tmp_path / "w.db")])
    assert bad.exit_code == 2


def test_ctrl_c_stops_the_watch_command_between_feeds(tmp_path: Path, server: _FeedServer) -> None:
    server.routes = {"/slow.xml": _Route(b"", status=500, delay=2.0), "/next.xml": _Route(_rss("Next", [_item(1)]))}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-m", "rashomon", "watch", server.url("/slow.xml"), server.url("/next.xml"),
               "--every", "1s", "--delay", "0", "--db", str(tmp_path / "w.db")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not server.hits("/slow.xml") and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)  # while the first feed is still answering
        _out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopping after the current item" in err and "Traceback" not in err
    assert "failed: " in err and "HTTP 500" in err  # the item in progress was finished
    assert not server.hits("/next.xml")
