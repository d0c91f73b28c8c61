"""The brief and the "How it spread" panel on the story page, over HTTP and in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from rashomon.web import create_app

from .test_web_browser import browser, page  # noqa: F401 - the shared Chromium fixtures
from .web_data import fake_compare, make_db, served


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    db = make_db(str(tmp_path_factory.mktemp("web-origin") / "web.db"))
    app = create_app(db=db)
    app.state.compare_story = fake_compare
    yield app, db


def test_story_page_and_api_carry_brief_and_origin(site: tuple[Any, str]) -> None:
    app, _db = site
    with served(app) as base:
        html = httpx.get(base + "/stories/story-trial").text
        data = httpx.get(base + "/api/stories/story-trial/compare").json()
    assert 'id="brief-h">Brief<' in html and 'id="spread-h">How it spread<' in html
    assert html.index('id="brief-h"') < html.index('id="statements-h"')  # the brief comes first
    assert "first report" in html and "first stated by" in html
    assert {"origin", "brief"} <= set(data)
    shared = data["brief"]["shared"]
    assert shared and all(item["sources"] >= 2 for item in shared)
    for item in shared:
        assert f"{item['sources']} of {item['of']} sources" in html


@pytest.mark.browser
def test_brief_and_spread_panels_in_the_browser(site: tuple[Any, str], page: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    app, _db = site
    with served(app) as base:
        page.goto(base + "/stories/story-trial")
        brief = page.locator("#brief")
        expect(brief.get_by_role("heading", name="Brief")).to_be_visible()
        expect(brief.locator(".brief-shared li").first).to_contain_text(re.compile(r"\d of \d sources"))
        expect(brief.locator(".brief-conflicts li").first).to_contain_text("4.5 hours vs 3 hours")
        spread = page.locator("#spread")
        expect(spread.get_by_role("heading", name="How it spread")).to_be_visible()
        expect(spread.locator(".spread-first")).to_have_count(1)
        brief.locator(".brief-shared li a").first.click()
        expect(page).to_have_url(re.compile(r"/articles/\w+#s\d+$"))
        assert page.errors == []
