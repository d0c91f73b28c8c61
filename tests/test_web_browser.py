"""The web app in a real browser (Debian's headless Chromium driven by Playwright).

The server is the real app under uvicorn on a free loopback port, over a real SQLite file; the
comparison comes from the contract-shaped stand-in of ``web_data`` so the rows are known.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rashomon.store import open_store
from rashomon.web import create_app

from .conftest import RESOURCES
from .web_data import fake_compare, make_db, served

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = make_db(str(tmp_path_factory.mktemp("web") / "web.db"))
    app = create_app(db=db)
    app.state.compare_story = fake_compare
    with served(app) as base:
        yield base, db


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # console errors include CSP violations
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_stories_filter_story_and_entity(server: tuple[str, str], page: Any) -> None:
    from playwright.sync_api import expect

    base, _db = server
    page.goto(base + "/")
    rows = page.locator(".story-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("covered by 3 sources in 3 languages")).to_be_visible()

    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"lang=de"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Fire at a chemical plant in Mahilyou")

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(1)
    page.get_by_role("link", name="Journalist Andrei Kavaliou sentenced in Hrodna").click()

    title = "Journalist Andrei Kavaliou sentenced in Hrodna"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    for status, label in (("shared", "Shared"), ("conflict", "Conflict"), ("unique", "Unique")):
        row = page.locator(f"tr.status-{status}").first
        expect(row).to_be_visible()
        expect(row.locator(".badge")).to_have_text(label)
    expect(page.locator("tr.status-conflict")).to_contain_text("4.5 hours vs 3 hours")
    variants = page.locator(".quote-group .variant")
    expect(variants).to_have_count(3)
    expect(variants.nth(1)).to_contain_text("Reported speech")

    # a claim opens its sentence in context, in a dialog that Escape closes
    page.locator("tr.status-conflict a.claim", has_text="Заседание длилось три часа.").click()
    dialog = page.locator("#context-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("mark")).to_have_text("Заседание длилось три часа.")
    expect(dialog).to_contain_text("Суд в Гродно приговорил")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.locator(".quote-group").get_by_role("link", name="Andrei Kavaliou").click()
    expect(page).to_have_url(re.compile(r"/entities/ent-kavaliou$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Andrei Kavaliou")
    expect(page.locator(".alias", has_text="Андрэй Кавалёў")).to_be_visible()
    expect(page.locator(".descriptor", has_text="veteran editor")).to_be_visible()
    assert page.errors == []


def test_entity_merge_records_a_decision(server: tuple[str, str], page: Any) -> None:
    from playwright.sync_api import expect

    base, db = server
    page.on("dialog", lambda d: d.accept())
    page.goto(base + "/entities/ent-hrodna")
    page.get_by_label("Same place as").select_option(label="Mahilyou")
    page.get_by_role("button", name="Record merge").click()
    expect(page.get_by_role("status")).to_contain_text("merge decision is applied and recorded")
    with open_store(db) as store:
        assert ("entity_merge", "ent-mahilyou") in [(k, d["entities"][1]) for k, d in store.decisions()]
    assert page.errors == []


def test_upload_files(server: tuple[str, str], page: Any) -> None:
    from playwright.sync_api import expect

    base, _db = server
    page.goto(base + "/add")
    page.get_by_label("Files").set_input_files(
        [str(RESOURCES / "web" / "upload_bridge_en.txt"), str(RESOURCES / "web" / "upload_bridge_de.html")]
    )
    page.get_by_role("button", name="Upload and analyse").click()
    results = page.locator(".upload-result")
    expect(results).to_have_count(2, timeout=120_000)  # the first analysis loads the language models
    expect(page.locator(".upload-result.is-ok")).to_have_count(2)
    expect(page.get_by_role("link", name="River Bridge Closed After Flood Damage")).to_be_visible()
    page.get_by_role("link", name="River Bridge Closed After Flood Damage").click()
    expect(page.locator(".article-text")).to_contain_text("engineers found cracks")
    assert page.errors == []


def test_xss_payloads_show_as_text_and_never_run(server: tuple[str, str], page: Any) -> None:
    from playwright.sync_api import expect

    base, db = server
    with open_store(db) as store:  # an upload in this module may have rebuilt the registry's ids
        mallory = next(e.id for e in store.list_entities() if "Mallory" in e.name)
    for path in ("/", "/stories/story-xss", "/articles/x1xss0000001", f"/entities/{mallory}", "/entities"):
        page.goto(base + path)
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("script:not([src])").count() == 0, path
    page.goto(base + "/articles/x1xss0000001")
    expect(page.get_by_role("heading", level=1)).to_contain_text('<script>window.__xss=1</script>')
    expect(page.locator(".article-text")).to_contain_text('<img src=x onerror="window.__xss=2">')
    expect(page.locator(".meta")).to_contain_text('<b onmouseover="window.__xss=3">Evil</b>')
    page.locator(".hl-entity").first.hover()
    page.goto(base + f"/entities/{mallory}")
    expect(page.get_by_role("heading", level=1)).to_have_text("<svg onload=window.__xss=6>Mallory")
    page.goto(base + "/stories/story-xss")
    page.locator("a.claim").first.click()  # context dialog renders the text with textContent
    expect(page.locator("#context-dialog")).to_be_visible()
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_keyboard_and_narrow_window(server: tuple[str, str], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _db = server
    context = browser.new_context(viewport={"width": 380, "height": 800})
    page = context.new_page()
    page.goto(base + "/stories/story-trial")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page is {width}px wide in a 380px window"
    expect(page.locator("tr.status-conflict td").first).to_be_visible()
    context.close()


def test_screenshot_of_story_page(server: tuple[str, str], page: Any, tmp_path: Path) -> None:
    base, _db = server
    page.goto(base + "/stories/story-trial")
    shot = tmp_path / "story.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_split_a_story_through_its_form(tmp_path: Path, page: Any) -> None:
    from playwright.sync_api import expect

    db = make_db(str(tmp_path / "split.db"))  # its own database: the module's server keeps its stories
    app = create_app(db=db)
    app.state.compare_story = fake_compare
    with served(app) as base:
        page.goto(base + "/stories/story-trial")
        split = page.locator("form[action$='/split']")
        split.get_by_label("Sputnik: Журналиста Андрея Ковалева приговорили к четырем годам").check()
        split.get_by_role("button", name="Split into a new story").click()
        expect(page.get_by_role("status")).to_contain_text("split off into this new story")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Журналиста Андрея Ковалева приговорили к четырем годам")
        expect(page.locator(".source-card")).to_have_count(1)
        new_id = page.url.split("/")[-1].split("?")[0]
        assert new_id != "story-trial"

        page.goto(base + "/")
        expect(page.get_by_role("link", name="Журналиста Андрея Ковалева приговорили к четырем годам")).to_be_visible()
        page.goto(base + "/stories/story-trial")
        expect(page.locator(".source-card")).to_have_count(2)
        assert page.errors == []

        # a bad choice is a message on the page (a 400, which the console logs), not a server error
        page.locator("form[action$='/merge']").get_by_label("or the story with id").fill("story-trial")
        page.on("dialog", lambda d: d.accept())
        page.get_by_role("button", name="Merge stories").click()
        expect(page.locator(".error-page")).to_contain_text("cannot be merged with itself")
    with open_store(db) as store:
        assert store.get_story(new_id).article_ids == ["a2trial00002"]
        assert [kind for kind, _ in store.decisions()] == ["story_split"]
