"""Hostile content and requests against the web app: XSS payloads in Chromium, CSRF, upload names, size.

Each payload of ``resources/xss_payloads.txt`` (one per line: script tags, event handlers,
``javascript:`` URLs, SVG/MathML, CSS injection, Unicode bidi tricks) is stored through the Store API
as an article title, body, source, author, URL, photo credit, file name, near-duplicate, story title,
entity name, alias, quote, descriptor and decision; every page type is then opened in headless
Chromium. A payload that ran would set ``window.__xss``, open a dialog, trip the CSP, or leave an
element or attribute in the DOM; none may happen, and the payload must read back as text.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from rashomon.models import Article, Story
from rashomon.settings import Settings
from rashomon.store import EntityRow, Store, open_store
from rashomon.web import create_app

from .conftest import RESOURCES
from .web_data import analysis_of, served

PAYLOADS = (RESOURCES / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
# Small, so an oversize upload is cheap to send; the body limit adds the form overhead (64 kB).
MAX_FILE_BYTES = 20_000
SETTINGS = Settings(max_file_bytes=MAX_FILE_BYTES, analyse=False, cluster=False)

# Records what a payload could do if it reached the DOM as markup: CSP violations (inline script,
# style, external loads). Init scripts run before the page's own and are not subject to its CSP.
INIT_SCRIPT = """
document.addEventListener("securitypolicyviolation", function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""
# Everything a payload would leave behind had it been parsed as markup: the sentinel, handlers,
# inline styles, unsafe URLs, and elements the app's templates never use.
CHECK_PAGE = r"""
() => {
  const bad = [];
  if (window.__xss !== undefined) bad.push("window.__xss = " + String(window.__xss));
  if (window.__csp) bad.push("CSP violation: " + window.__csp.join("; "));
  const urlAttrs = ["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcdoc") bad.push(`<${el.localName} ${name}>`);
      const value = attr.value.replace(/[\u0000-\u0020]/g, "");
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data):/i.test(value)) {
        bad.push(`<${el.localName} ${name}=${value}>`);
      }
      if (name === "autofocus" && el.id !== "token") bad.push(`<${el.localName} autofocus>`);
    }
  }
  const foreign = "style, iframe, frame, object, embed, base, meta[http-equiv], svg, math, marquee, video, " +
    "audio, source, template, noscript, img, details, body *[onload]";
  for (const el of document.querySelectorAll(foreign)) bad.push(`<${el.localName}> element`);
  for (const el of document.querySelectorAll("link")) {
    if (!(el.getAttribute("href") || "").startsWith("/static/")) bad.push("<link> element");
  }
  for (const el of document.querySelectorAll("script")) {
    if (el.getAttribute("src") !== "/static/app.js") bad.push("<script> element");
  }
  for (const el of document.querySelectorAll("form")) {
    if (!(el.getAttribute("action") || "").startsWith("/")) bad.push("<form> with an outside action");
  }
  const h1 = document.querySelector("h1");
  return {bad: bad, h1: h1 ? h1.textContent : null, h1Shown: !!h1 && h1.getClientRects().length > 0,
          text: document.body.textContent};
}
"""


def _ids(index: int) -> dict[str, str]:
    return {"story": f"story-{index:02d}", "hostile": f"h{index:02d}hostile0000", "plain": f"p{index:02d}plain00000",
            "entity": f"ent-{index:02d}", "alias": f"Mallory-{index:02d}"}


def fill_hostile(store: Store) -> None:
    """Every payload in every field a page shows, stored through the Store API."""
    entities: list[EntityRow] = []
    mentions: list[tuple[str, str, str]] = []
    with store.transaction():
        for index, payload in enumerate(PAYLOADS):
            ids = _ids(index)
            text = f"{ids['alias']} wrote {payload} on the wall. She said \"{payload}\" on June 1."
            spec = {"id": ids["hostile"], "text": text, "entities": [("x", "PER", payload, [ids["alias"]])],
                    "quotes": [(payload, True, "x", "She")], "descriptors": [("x", payload)],
                    "dates": [("June 1", "2023-06-01")]}
            store.insert_article(Article(
                id=ids["hostile"], title=f"T{index} {payload}", text=text, source=payload, language="en",
                published="2023-06-01T10:00:00", url=payload, path=payload, author=payload,
                photo_credits=[payload], format="txt",
            ), fingerprint="fp-" + ids["hostile"], bands=[])
            store.save_analysis(analysis_of(spec))
            plain_text = f"{ids['alias']} was seen on June 1. Nobody knows why."
            store.insert_article(Article(
                id=ids["plain"], title=f"Second report {index}", text=plain_text, source=f"Outlet {index}",
                language="de", published="2023-06-02T10:00:00", format="txt",
            ), fingerprint="fp-" + ids["plain"], bands=[])
            store.save_analysis(analysis_of({"id": ids["plain"], "text": plain_text, "quotes": [],
                                             "entities": [("m", "PER", "Mallory", [ids["alias"]])],
                                             "descriptors": [], "dates": [("June 1", "2023-06-01")]}))
            store.insert_copy(Article(id="", title=payload, text="", source=payload, url=payload, path=payload),
                              fingerprint="copy-" + ids["hostile"], original_id=ids["hostile"], similarity=0.97)
            store.save_story(Story(id=ids["story"], title=f"S{index} {payload}", event_date="2023-06-01"))
            store.assign_article(ids["hostile"], ids["story"], score=0.9)
            store.assign_article(ids["plain"], ids["story"], score=0.9)
            entities.append(EntityRow(id=ids["entity"], type="PER", name=payload,
                                      aliases=[(payload, "en", "Latn", 1), (ids["alias"], "en", "Latn", 2)]))
            mentions += [(ids["hostile"], "x", ids["entity"]), (ids["plain"], "m", ids["entity"])]
            store.add_decision("entity_split", {"entity": ids["entity"], "name": payload, "aliases": [payload],
                                                "keep": [ids["alias"]], "by": "test"})
        store.replace_entities(entities, mentions, [])


def stand_in_compare(store: Store, story_id: str) -> dict[str, Any]:
    """A contract-shaped comparison that puts the stored (hostile) texts in every part of the page."""
    story = store.get_story(story_id)
    registry = {e.id: e for e in store.list_entities()}
    statements: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    descriptors: list[dict[str, Any]] = []
    entities: dict[str, dict[str, Any]] = {}
    for article_id in story.article_ids:
        analysis = store.get_analysis(article_id)
        assert analysis is not None
        links = store.entity_links(article_id)
        for sentence in analysis.sentences:
            statements.append({"id": f"{article_id}-{sentence.index}", "status": "conflict",
                               "note": story.title, "claims": [{"article": article_id, "sentence": sentence.index,
                                                                "text": sentence.text}]})
        for q in analysis.quotes:
            speaker = links.get(q.speaker or "")
            quotes.append({"speaker": speaker, "speaker_name": registry[speaker].name if speaker else "?",
                           "variants": [{"article": article_id, "text": q.text, "direct": q.direct}]})
        descriptors += [{"entity": links[d.entity], "article": article_id, "text": d.text}
                        for d in analysis.descriptors]
        for entity_id in links.values():
            row = registry[entity_id]
            entities.setdefault(entity_id, {"id": row.id, "name": row.name, "type": row.type,
                                            "aliases": [a[0] for a in row.aliases], "articles": []})
            entities[entity_id]["articles"].append(article_id)
    return {"story": {"id": story.id, "title": story.title, "event_date": story.event_date,
                      "languages": story.languages, "articles": []},
            "entities": list(entities.values()), "statements": statements, "quotes": quotes,
            "descriptors": descriptors}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("hostile") / "hostile.db")
    with open_store(path) as store:
        fill_hostile(store)
    return path


# -- in Chromium -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(hostile_db: str) -> Iterator[tuple[str, Any]]:
    app = create_app(db=hostile_db, settings=SETTINGS)
    app.state.compare_story = stand_in_compare
    with served(app) as base:
        yield base, app


@pytest.fixture(scope="module")
def page(server: tuple[str, Any]) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        page.dialogs = []
        page.errors = []

        def on_dialog(dialog: Any) -> None:
            page.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        yield page
        browser.close()


def _visit(page: Any, url: str, *, status: int = 200) -> dict[str, Any]:
    """Open a page and report what ran or was left behind (a handler left behind fails, hovered or not)."""
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"
    result: dict[str, Any] = page.evaluate(CHECK_PAGE)
    assert result["bad"] == [], f"{url}: {result['bad']}"
    assert page.dialogs == [], f"{url}: {page.dialogs}"
    assert page.errors == [], f"{url}: {page.errors}"
    assert result["h1Shown"], f"{url}: no visible heading"
    return result


@pytest.mark.browser
def test_payloads_render_as_text_on_every_page(server: tuple[str, Any], page: Any) -> None:
    base, app = server
    shown = _visit(page, base + "/")["text"] + _visit(page, base + "/?page=2")["text"]
    entities_page = _visit(page, base + "/entities")["text"]
    for index, payload in enumerate(PAYLOADS):
        ids = _ids(index)
        assert f"S{index} {payload}" in shown, f"story list lost payload {index}"
        assert payload in entities_page, f"entity list lost payload {index}"
        article = _visit(page, f"{base}/articles/{ids['hostile']}")
        assert article["h1"] == f"T{index} {payload}"
        assert article["text"].count(payload) >= 6, f"article page lost payload {index}"  # text, meta, copy
        story = _visit(page, f"{base}/stories/{ids['story']}")
        assert story["h1"] == f"S{index} {payload}"
        assert story["text"].count(payload) >= 5, f"story page lost payload {index}"  # columns, rows, quotes
        assert _visit(page, f"{base}/entities/{ids['entity']}")["h1"] == payload
        reflected = urlencode({"q": payload, "lang": payload, "source": payload})
        _visit(page, f"{base}/?{reflected}")
        if '"' in payload or "'" in payload:  # attribute break-outs, for the other search form's value="..."
            _visit(page, f"{base}/entities?{urlencode({'q': payload, 'type': payload})}")
        error = _visit(page, f"{base}/?{urlencode({'since': payload})}", status=400)
        assert f"since must be a date like 2024-03-14, not {payload.strip()!r}" in error["text"]


@pytest.mark.browser
def test_claim_dialog_and_upload_names_stay_text(server: tuple[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    base, _app = server
    _visit(page, f"{base}/stories/{_ids(0)['story']}")
    for target in ("a.claim", ".source-name", ".quote-group blockquote"):
        page.locator(target).first.hover()
    _visit(page, f"{base}/stories/{quote(PAYLOADS[1], safe='')}", status=404)
    _visit(page, f"{base}/login?{urlencode({'next': PAYLOADS[1]})}")
    _visit(page, f"{base}/stories/{_ids(0)['story']}")
    page.locator("a.claim").first.click()  # the context dialog fills itself with textContent
    expect(page.locator("#context-dialog")).to_be_visible()
    assert page.evaluate(CHECK_PAGE)["bad"] == []

    _visit(page, base + "/add")
    chosen = [p for p in PAYLOADS if "<" in p][:8]
    page.get_by_label("Files").set_input_files([
        {"name": name, "mimeType": "text/plain", "buffer": f"Upload {n}\n\nA report number {n}.".encode()}
        for n, name in enumerate(chosen)
    ])
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page.locator(".upload-result")).to_have_count(len(chosen))
    result = page.evaluate(CHECK_PAGE)
    assert result["bad"] == [] and page.dialogs == []
    names = page.locator(".file-name").all_text_contents()
    assert len(names) == len(chosen) and all("<" in n for n in names)  # shown back as text


@pytest.mark.browser
def test_oversize_upload_in_the_browser_is_a_clear_refusal(server: tuple[str, Any], page: Any) -> None:
    base, _app = server
    _visit(page, base + "/add")
    page.get_by_label("Files").set_input_files(
        [{"name": "big.txt", "mimeType": "text/plain", "buffer": b"word " * 40_000}]
    )
    with page.expect_response(lambda r: r.url.endswith("/add") and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Upload and analyse").click()
    assert posted.value.status == 413
    page.wait_for_load_state()
    assert "Request too large" in page.locator("body").text_content()


# -- over HTTP: CSRF, upload names, size limits -------------------------------------------------------


def _test_client() -> Any:
    with warnings.catch_warnings():  # starlette warns at import that it prefers httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient


@pytest.fixture
def client(hostile_db: str) -> Any:
    app = create_app(db=hostile_db, settings=SETTINGS)
    app.state.compare_story = stand_in_compare
    return _test_client()(app, base_url="http://127.0.0.1", follow_redirects=False)


def _csrf(client: Any) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/add").text)
    assert match
    return str(match.group(1))


def _multipart(fields: dict[str, str], files: list[tuple[bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body written byte by byte, so file names reach the server exactly as given."""
    boundary = b"hostile-boundary-7d1f"
    parts = [b'--%b\r\nContent-Disposition: form-data; name="%b"\r\n\r\n%b\r\n' % (boundary, k.encode(), v.encode())
             for k, v in fields.items()]
    parts += [b'--%b\r\nContent-Disposition: form-data; name="files"; filename="%b"\r\n'
              b"Content-Type: text/plain\r\n\r\n%b\r\n" % (boundary, name, content) for name, content in files]
    return b"".join(parts) + b"--%b--\r\n" % boundary, f"multipart/form-data; boundary={boundary.decode()}"


def _unsafe_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route that accepts a state-changing method, ids filled in."""
    values = {"entity_id": "ent-00", "story_id": "story-00", "article_id": "h00hostile0000"}
    found = []
    for path, methods in _walk(app.routes):
        for method in sorted(methods):
            if method in ("POST", "PUT", "PATCH", "DELETE"):
                found.append((method, re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "x"), path)))
    return found


def _walk(routes: Any) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, into included routers (resolved lazily since FastAPI 0.16x)."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from _walk(route.effective_route_contexts())
        elif getattr(route, "methods", None):
            yield route.path, set(route.methods)
        elif getattr(route, "routes", None):
            yield from _walk(route.routes)


def test_every_state_changing_route_needs_the_csrf_token(client: Any, hostile_db: str) -> None:
    routes = _unsafe_routes(client.app)
    assert {path for _m, path in routes} >= {"/add", "/login", "/entities/ent-00/merge", "/entities/ent-00/split"}
    with open_store(hostile_db) as store:
        before = (store.decisions(), store.count_articles())
    body, content_type = _multipart({"other": "ent-01", "alias": PAYLOADS[0], "token": "x", "next": "/"},
                                    [(b"a.txt", b"Title\n\nSome text.")])
    fresh = _test_client()(client.app, base_url="http://127.0.0.1", follow_redirects=False)
    token = _csrf(client)  # `client` now holds a valid cookie too
    attempts: list[tuple[str, Any, dict[str, str], bytes]] = [
        ("no cookie, no token", fresh, {}, body),
        ("cookie, no token", client, {}, body),
        ("cookie, forged token", client, {"x-csrf-token": "forged.00000000"}, body),
        ("token from another app", client, {"x-csrf-token": create_app(db=hostile_db).state.signer.new_csrf()}, body),
        ("cross-origin", client, {"x-csrf-token": token, "origin": "https://evil.example"}, body),
        ("cross-site fetch", client, {"x-csrf-token": token, "sec-fetch-site": "cross-site"}, body),
    ]
    for method, path in routes:
        for label, who, headers, content in attempts:
            response = who.request(method, path, content=content,
                                   headers={"content-type": content_type, **headers})
            assert response.status_code == 403, f"{method} {path} ({label}): {response.status_code}"
            assert "refused" in response.text or "expired" in response.text
    with open_store(hostile_db) as store:
        assert (store.decisions(), store.count_articles()) == before


TRAVERSAL_NAMES = [
    b"../../etc/passwd", b"..\\..\\x.txt", b"/abs/path.txt", b"a\x00b.txt", b"../../x.txt\x00.html",
    b"....//....//y.txt", b"%2e%2e%2fz.txt", b"C:\\Windows\\w.txt", b"\\\\server\\share\\s.txt",
    b"./.hidden", b"..", b"", "../../\u202egpj.txt".encode(),
]


def test_upload_file_names_never_become_paths(client: Any, hostile_db: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    upload_tmp = tmp_path / "tmp"
    cwd = tmp_path / "a" / "b" / "c"
    upload_tmp.mkdir()
    cwd.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(upload_tmp))
    monkeypatch.chdir(cwd)  # a name used as a relative path would land under tmp_path/a
    before = set(tmp_path.rglob("*"))
    files = [(name, f"Traversal {n}\n\nUploaded under a hostile name, number {n}.".encode())
             for n, name in enumerate(TRAVERSAL_NAMES)]
    body, content_type = _multipart({"csrf_token": _csrf(client)}, files)
    response = client.post("/add", content=body, headers={"content-type": content_type})
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert f"Added {len(files)}, already present 0, failed 0." in html, re.findall(r"Added [^<]*", html)
    assert "../../etc/passwd" in html and "\x00" not in html
    assert set(tmp_path.rglob("*")) == before  # nothing written outside the (emptied) upload folder
    assert not any(upload_tmp.iterdir())
    assert not Path("/abs/path.txt").exists()
    with open_store(hostile_db) as store:
        stored = [a for a in store.list_articles(source=None) if a.title.startswith("Traversal ")]
    assert len(stored) == len(files)
    assert all(a.path is None for a in stored)


def test_oversize_uploads_are_refused_with_a_message(client: Any) -> None:
    token = _csrf(client)
    body, content_type = _multipart({"csrf_token": token}, [(b"big.txt", b"x" * 500_000)])
    whole = client.post("/add", content=body, headers={"content-type": content_type})
    assert whole.status_code == 413
    assert "Request too large: the limit is" in whole.text

    body, content_type = _multipart({"csrf_token": token}, [(b"one.txt", b"word " * 10_000)])
    one = client.post("/add", content=body, headers={"content-type": content_type})
    assert one.status_code == 200 and f"larger than the limit of {MAX_FILE_BYTES:,} bytes" in one.text

    chunked = client.post("/add", content=iter([body]), headers={"content-type": content_type})
    assert chunked.status_code == 411 and "Content-Length" in chunked.text

    lying = client.post("/add", content=body, headers={"content-type": content_type, "content-length": "abc"})
    assert lying.status_code in (400, 413)
