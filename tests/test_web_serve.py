"""`rashomon serve` under load: worker processes that share one signing key, stores shared by requests,
and the story list kept rendered only while the database is unchanged."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from rashomon.models import Article, Story
from rashomon.store import open_store
from rashomon.web import create_app
from rashomon.web.server import app_from_env, serve_environment

from .test_web_api import _test_client
from .web_data import fake_compare, make_db, served

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def _client(app: Any) -> Any:
    return _test_client()(app, base_url="http://127.0.0.1", follow_redirects=False)


def _login_form(client: Any) -> tuple[str, str]:
    """The CSRF cookie and form field a browser gets with the login page."""
    page = client.get("/login")
    match = CSRF_FIELD.search(page.text)
    assert match, "login form has no CSRF field"
    return page.cookies["rashomon_csrf"], match.group(1)


def _add_story(db: str, story_id: str, title: str) -> None:
    """Store a one-article story the way `rashomon add` does: another connection, committed."""
    with open_store(db) as store, store.transaction():
        store.insert_article(Article(id=f"{story_id}-a", title=title, text=f"{title}.", source="LRT", language="lt",
                                     published="2024-06-01T10:00:00", format="txt"),
                             fingerprint=f"fp-{story_id}", bands=[])
        store.save_story(Story(id=story_id, title=title, event_date="2024-06-01"))
        store.assign_article(f"{story_id}-a", story_id, score=1.0)


def test_workers_of_one_server_accept_each_others_forms_and_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_db(str(tmp_path / "web.db"))
    for name, value in serve_environment(db=db, token="s3cret-token").items():
        monkeypatch.setenv(name, value)
    first, second = _client(app_from_env()), _client(app_from_env())
    cookie, field = _login_form(first)
    # The form made by the first worker, posted to the second, logs in; the session works on the first.
    second.cookies.set("rashomon_csrf", cookie)
    login = second.post("/login", data={"token": "s3cret-token", "next": "/", "csrf_token": field})
    assert login.status_code == 303, login.text
    first.cookies.set("rashomon_session", login.cookies["rashomon_session"])
    assert first.get("/stories/story-trial").status_code == 200
    # Another server (a restart) has another key: the old form and session are refused.
    monkeypatch.setenv("RASHOMON_SERVE_SIGNING_KEY", serve_environment(db=db, token=None)["RASHOMON_SERVE_SIGNING_KEY"])
    other = _client(app_from_env())
    other.cookies.set("rashomon_csrf", cookie)
    assert other.post("/login", data={"token": "s3cret-token", "csrf_token": field}).status_code == 403
    other.cookies.set("rashomon_session", login.cookies["rashomon_session"])
    assert other.get("/stories/story-trial").status_code == 303


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`rashomon serve --workers 2 --token ...` on a free loopback port."""
    db = make_db(str(tmp_path / "web.db"))
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("RASHOMON_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "rashomon", "serve", "--db", db, "--port", str(port),
                             "--workers", "2", "--token", "s3cret-token"], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/static/app.css", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"rashomon serve did not start: {proc.communicate()[1].decode()}") from None
            time.sleep(0.2)
    try:
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(20)


def test_serve_with_two_workers_keeps_forms_and_logins_valid_across_them(
    two_workers: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, proc = two_workers
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if children.exists():
        assert len(children.read_text().split()) >= 2, "serve --workers 2 started fewer worker processes"
    with httpx.Client(base_url=base) as client:
        cookie, field = _login_form(client)

    def post_form(_: int) -> int:
        # A new connection each time: the kernel hands it to either worker.
        with httpx.Client(base_url=base, cookies={"rashomon_csrf": cookie}) as fresh:
            response = fresh.post("/login", data={"token": "s3cret-token", "next": "/", "csrf_token": field})
            session = response.cookies.get("rashomon_session")
            assert session, response.text
            fresh.cookies.set("rashomon_session", session)
            return response.status_code * 1000 + fresh.get("/entities").status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post_form, range(40)))
    assert statuses == [303_200] * 40


def test_story_list_shows_a_story_committed_by_another_process_at_once(db_url: str) -> None:
    client = _client(create_app(db=make_db(db_url)))
    assert "Journalist Andrei Kavaliou sentenced" in client.get("/").text
    for n in range(3):  # each write shows on the very next request (no page kept from before it)
        _add_story(db_url, f"story-new-{n}", f"Bridge reopened in Vilnius, day {n}")
        html = client.get("/").text
        assert f"Bridge reopened in Vilnius, day {n}" in html
        assert f"{4 + n} stories" in html
    filtered = client.get("/?lang=lt").text
    assert "day 2" in filtered and "Kavaliou" not in filtered


def test_concurrent_requests_each_get_a_store_of_their_own(tmp_path: Path) -> None:
    app = create_app(db=make_db(str(tmp_path / "web.db")))
    app.state.compare_story = fake_compare
    paths = ["/", "/?lang=de", "/stories/story-trial", "/api/stories", "/api/stories/story-fire", "/entities",
             "/articles/a1trial00001", "/api/search?q=Hrodna", "/stories/no-such-story"]
    with served(app) as base, httpx.Client(base_url=base, limits=httpx.Limits(max_connections=16)) as client:
        # One at a time first (this also sets the CSRF cookie, so every later page carries the same token).
        expected = {p: (r.status_code, r.text) for p in paths for r in [client.get(p)]}
        with ThreadPoolExecutor(16) as pool:
            got = list(pool.map(lambda i: (paths[i % len(paths)], client.get(paths[i % len(paths)])), range(360)))
    assert expected["/stories/no-such-story"][0] == 404 and expected["/"][0] == 200
    assert [p for p, r in got if (r.status_code, r.text) != expected[p]] == []
