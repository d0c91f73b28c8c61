"""The web app over HTTP: pages, JSON API, errors, security; real app, real SQLite file."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rashomon.cli import app as cli_app
from rashomon.settings import Settings
from rashomon.store import open_store
from rashomon.web import create_app

from .conftest import RESOURCES, validate
from .web_data import fake_compare, make_db

WEB = RESOURCES / "web"
BASE = "http://127.0.0.1"


def _test_client() -> Any:
    with warnings.catch_warnings():  # starlette warns at import that it prefers httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_db(str(tmp_path / "web.db"))


def _client(
    db: str, *, token: str | None = None, settings: Settings | None = None, compare: Any = fake_compare,
    base_url: str = BASE,
) -> Any:
    application = create_app(db=db, token=token, settings=settings or Settings(analyse=False, cluster=False))
    application.state.compare_story = compare
    return _test_client()(application, base_url=base_url, follow_redirects=False)


@pytest.fixture
def client(db: str) -> Any:
    return _client(db)


def _csrf(client: Any, page: str = "/add") -> str:
    html = client.get(page).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "form has no CSRF field"
    return match.group(1)


# -- pages -----------------------------------------------------------------------------------------


def test_stories_page_lists_stories_with_coverage(client: Any) -> None:
    html = client.get("/").text
    assert "Journalist Andrei Kavaliou sentenced in Hrodna" in html
    assert "covered by 3 sources in 3 languages" in html
    assert "covered by 2 sources in 2 languages" in html
    assert '<time datetime="2023-03-14">14 Mar 2023</time>' in html


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("lang=de", "Fire at a chemical plant", "Kavaliou sentenced"),
        ("source=sputnik", "Kavaliou sentenced", "Fire at a chemical plant"),
        ("q=Mahiljou", "Fire at a chemical plant", "Kavaliou sentenced"),
        ("since=2023-05-01", "Fire at a chemical plant", "Kavaliou sentenced"),
        ("until=2023-04-01", "Kavaliou sentenced", "Fire at a chemical plant"),
    ],
)
def test_stories_filters(client: Any, query: str, present: str, absent: str) -> None:
    html = client.get(f"/?{query}").text
    assert present in html
    assert absent not in html


def test_bad_filter_is_a_400_page_not_a_500(client: Any) -> None:
    response = client.get("/?since=yesterday")
    assert response.status_code == 400
    assert "since must be a date" in response.text


def test_story_page_aligns_statements_with_labels(client: Any) -> None:
    html = client.get("/stories/story-trial").text
    rows = re.findall(r'<tr class="statement status-(\w+)"', html)
    assert rows == ["shared", "conflict", "unique", "unique"]
    for label in ("Shared", "Conflict", "Unique"):  # a word, not colour alone
        assert f'<span class="badge-icon" aria-hidden="true"></span>{label}</span>' in html
    assert "4.5 hours vs 3 hours" in html
    assert 'href="/articles/a2trial00002#s1"' in html  # the claim opens the sentence in context
    assert html.count('<li class="variant">') == 3
    assert "Reported speech" in html and "Direct quote" in html
    assert "veteran editor" in html and "Блогер" in html
    assert 'class="timeline"' in html and "Updated" in html


def test_story_status_filter(client: Any) -> None:
    html = client.get("/stories/story-trial?status=conflict").text
    assert re.findall(r'<tr class="statement status-(\w+)"', html) == ["conflict"]


def test_article_page_highlights_from_offsets(client: Any) -> None:
    html = client.get("/articles/a1trial00001").text
    assert '<a class="hl hl-entity hl-per" href="/entities/ent-kavaliou"' in html
    assert re.search(r'<span class="hl hl-quote" title="Direct quote[^"]*">I did nothing wrong</span>', html)
    assert '<time class="hl hl-date" datetime="2023-03-14" title="2023-03-14">March 14</time>' in html
    assert 'id="s1"' in html
    assert "https://www.rferl.org/a/kavaliou-sentenced.html" in html


def test_entity_page(client: Any) -> None:
    html = client.get("/entities/ent-kavaliou").text
    assert "Андрэй Кавалёў" in html and "Cyrillic" in html
    assert "Journalist Andrei Kavaliou sentenced in Hrodna" in html
    assert "рэдактара" in html and "veteran editor" in html
    assert 'action="/entities/ent-kavaliou/merge"' in html


def test_unknown_ids_are_404_pages(client: Any) -> None:
    for url in ("/stories/nope", "/articles/nope", "/entities/nope"):
        response = client.get(url)
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
    assert client.get("/api/stories/nope").json() == {"detail": "no story with id 'nope'"}


# -- entity decisions and CSRF ---------------------------------------------------------------------


def _api_entity_with(client: Any, alias: str) -> dict[str, Any]:
    found = [e for e in client.get("/api/entities", params={"q": alias}).json()
             if alias in {a["text"] for a in e["aliases"]}]
    assert len(found) == 1, found
    return dict(client.get(f"/api/entities/{found[0]['id']}").json())


def test_merge_and_split_apply_at_once_and_are_recorded(client: Any, db: str) -> None:
    token = _csrf(client, "/entities/ent-hrodna")
    response = client.post("/entities/ent-hrodna/merge", data={"other": "ent-mahilyou", "csrf_token": token})
    assert response.status_code == 303
    assert client.get(response.headers["location"]).text.count("decision is applied") == 1
    merged = _api_entity_with(client, "Hrodna")
    assert {"Hrodna", "Mahilyou"} <= {a["text"] for a in merged["aliases"]}
    assert response.headers["location"].startswith(f"/entities/{merged['id']}?")
    kavaliou = _api_entity_with(client, "Андрей Ковалев")
    response = client.post(f"/entities/{kavaliou['id']}/split",
                           data={"alias": ["Андрей Ковалев"], "csrf_token": token})
    assert response.status_code == 303
    assert "Андрей Ковалев" not in {a["text"] for a in _api_entity_with(client, "Andrei Kavaliou")["aliases"]}
    with open_store(db) as store:
        decisions = store.decisions("entity_merge", "entity_split")
    assert decisions[0] == ("entity_merge", {
        "entities": ["ent-hrodna", "ent-mahilyou"], "names": ["Hrodna", "Mahilyou"],
        "aliases": ["Hrodna", "Mahiljou", "Mahilyou", "Гродне", "Гродно"], "by": "web"})
    assert decisions[1][0] == "entity_split"
    assert decisions[1][1]["aliases"] == ["Андрей Ковалев"]
    assert "Andrei Kavaliou" in decisions[1][1]["keep"] and "Андрей Ковалев" not in decisions[1][1]["keep"]


def test_bad_decisions_are_400(client: Any) -> None:
    token = _csrf(client, "/entities/ent-hrodna")
    assert client.post("/entities/ent-hrodna/merge",
                       data={"other": "ent-hrodna", "csrf_token": token}).status_code == 400
    assert client.post("/entities/ent-hrodna/merge",
                       data={"other": "missing", "csrf_token": token}).status_code == 404
    assert client.post("/entities/ent-viasna/split",
                       data={"alias": ["Viasna"], "csrf_token": token}).status_code == 400


def test_forms_need_the_csrf_token(client: Any, db: str) -> None:
    _csrf(client)  # the client now holds the cookie
    assert client.post("/entities/ent-hrodna/merge", data={"other": "ent-mahilyou"}).status_code == 403
    assert client.post("/entities/ent-hrodna/merge",
                       data={"other": "ent-mahilyou", "csrf_token": "forged.0000"}).status_code == 403
    token = _csrf(client)
    cross = client.post("/entities/ent-hrodna/merge", data={"other": "ent-mahilyou", "csrf_token": token},
                        headers={"origin": "https://evil.example"})
    assert cross.status_code == 403
    with open_store(db) as store:
        assert store.decisions() == []


# -- upload ----------------------------------------------------------------------------------------


def test_upload_gives_a_result_per_file(client: Any, db: str, tmp_path: Path) -> None:
    token = _csrf(client)
    files = [
        ("files", ("upload_bridge_en.txt", (WEB / "upload_bridge_en.txt").read_bytes(), "text/plain")),
        ("files", ("../../etc/<b>evil</b>.html", (WEB / "upload_bridge_de.html").read_bytes(), "text/html")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    response = client.post("/add", data={"csrf_token": token}, files=files)
    assert response.status_code == 200
    html = response.text
    assert "Added 2, already present 0, failed 1." in html
    assert "River Bridge Closed After Flood Damage" in html
    assert "&lt;b&gt;evil&lt;/b&gt;.html" in html and "<b>evil</b>" not in html
    assert "file is empty" in html
    with open_store(db) as store:
        stored = {a.title: a for a in store.list_articles()}
    article = stored["River Bridge Closed After Flood Damage"]
    assert article.path is None  # the temporary upload file is gone: no path to point at
    again = client.post("/add", data={"csrf_token": token}, files=files[:1])
    assert "already present 1" in again.text


def test_upload_limits(db: str) -> None:
    client = _client(db, settings=Settings(max_file_bytes=1000, analyse=False, cluster=False))
    token = _csrf(client)
    big = client.post("/add", data={"csrf_token": token},
                      files=[("files", ("big.txt", b"x" * 200_000, "text/plain"))])
    assert big.status_code == 413
    ok_size = client.post("/add", data={"csrf_token": token},
                          files=[("files", ("a.txt", b"Title\n\n" + b"word " * 300, "text/plain"))])
    assert "larger than the limit of 1,000 bytes" in ok_size.text
    assert client.post("/add", data={"csrf_token": token, "lang": "english"},
                       files=[("files", ("a.txt", b"Title\n\nText.", "text/plain"))]).status_code == 400


# -- JSON API --------------------------------------------------------------------------------------


def test_api_stories_follow_the_contract(client: Any, schemas: dict[str, Any]) -> None:
    data = client.get("/api/stories").json()
    validate(data, "stories.schema.json", schemas)
    assert [s["id"] for s in data][:2] == ["story-xss", "story-fire"]
    assert [s["id"] for s in client.get("/api/stories?lang=ru").json()] == ["story-trial"]


def test_api_compare_follows_the_contract(client: Any, schemas: dict[str, Any]) -> None:
    data = client.get("/api/stories/story-trial/compare").json()
    validate(data, "compare.schema.json", schemas)
    assert {s["status"] for s in data["statements"]} == {"shared", "unique", "conflict"}


def test_api_entities_and_articles(client: Any) -> None:
    entities = client.get("/api/entities?q=Гродно").json()
    assert [e["id"] for e in entities] == ["ent-hrodna"]
    entity = client.get("/api/entities/ent-kavaliou").json()
    assert entity["stories"] == ["story-trial"]
    assert [d["text"] for d in entity["descriptors"]] == ["veteran editor", "Блогер", "рэдактара"]
    articles = client.get("/api/articles?lang=de").json()
    assert [a["id"] for a in articles] == ["b2fire000002"]
    full = client.get("/api/articles/a2trial00002").json()
    assert full["story"] == "story-trial" and full["text"].startswith("Суд в Гродно")
    context = client.get("/api/articles/a2trial00002/context?sentence=1").json()
    assert context["text"] == "Заседание длилось три часа."
    assert context["before"][0].startswith("Суд в Гродно")
    assert client.get("/api/articles/a2trial00002/context?sentence=99").status_code == 404
    assert [h["id"] for h in client.get("/api/search?q=Viasna").json()] == ["a1trial00001"]


def test_openapi_and_docs(client: Any) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}/compare", "/api/entities/{entity_id}",
                 "/api/articles/{article_id}"):
        assert path in spec["paths"]
    assert "/stories/{story_id}" not in spec["paths"]  # pages are not API
    html = client.get("/api/docs").text
    assert "/api/stories/{story_id}/compare" in html and "<script" not in html.split("</head>")[1]


# -- safety ----------------------------------------------------------------------------------------


def test_untrusted_text_is_escaped_everywhere(client: Any) -> None:
    pages = ["/", "/stories/story-xss", "/articles/x1xss0000001", "/entities/ent-mallory", "/entities"]
    for url in pages:
        html = client.get(url).text
        assert "<script>window" not in html, url
        assert "<img src=x" not in html, url
        assert "<svg onload" not in html, url
        assert "<b onmouseover" not in html, url
    article = client.get("/articles/x1xss0000001").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in article
    assert 'href="javascript:' not in article


def test_security_headers(client: Any) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    html = response.text
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert client.get("/static/app.css").status_code == 200


def test_other_host_names_are_refused_without_a_token(db: str) -> None:
    client = _client(db, base_url="http://evil.example")
    assert client.get("/").status_code == 400
    assert _client(db, base_url="http://localhost:8000").get("/").status_code == 200


def test_token_is_required_when_set(db: str) -> None:
    client = _client(db, token="s3cret-token", base_url="http://192.0.2.10:8000")
    response = client.get("/stories/story-trial")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/stories/story-trial"
    assert client.get("/api/stories").status_code == 401
    assert client.get("/api/stories", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/api/stories", headers={"x-rashomon-token": "wrong"}).status_code == 401
    token = _csrf(client, "/login")
    assert client.post("/login", data={"token": "wrong", "next": "/", "csrf_token": token}).status_code == 401
    login = client.post("/login",
                        data={"token": "s3cret-token", "next": "//evil.example/", "csrf_token": token})
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert "s3cret-token" not in login.headers["set-cookie"]
    assert client.get("/stories/story-trial").status_code == 200


def test_request_body_limit(db: str) -> None:
    client = _client(db, settings=Settings(max_file_bytes=10_000))
    response = client.post("/add", content=b"x" * 200_000,
                           headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 413


def test_serve_refuses_a_public_address_without_a_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASHOMON_TOKEN", raising=False)
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "--token" in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.mark.slow
def test_story_page_with_the_real_comparison(db: str, schemas: dict[str, Any]) -> None:
    client = _client(db, compare=None)
    data = client.get("/api/stories/story-trial/compare").json()
    validate(data, "compare.schema.json", schemas)
    html = client.get("/stories/story-trial").text
    assert len(re.findall(r'<tr class="statement status-', html)) == len(data["statements"])
    json.dumps(data)
