"""User decisions: the CLI and the web call one library API and give the same result, at once."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rashomon import decisions
from rashomon.cli import app
from rashomon.errors import NotFound, UsageError
from rashomon.settings import Settings
from rashomon.store import open_store
from rashomon.web import create_app

from .web_data import fake_compare, make_db

runner = CliRunner()


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def _web(db: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    application = create_app(db=db, settings=Settings(analyse=False, cluster=False))
    application.state.compare_story = fake_compare
    return TestClient(application, base_url="http://127.0.0.1", follow_redirects=False)


def _csrf(client: Any, page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match
    return match.group(1)


def _entities(db: str) -> list[dict[str, Any]]:
    return list(json.loads(_cli("entities", "--json", "--db", db).stdout))


def _decisions(db: str) -> list[tuple[str, dict[str, Any]]]:
    with open_store(db) as store:
        return [(kind, {k: v for k, v in data.items() if k != "by"}) for kind, data in store.decisions()]


@pytest.fixture
def twins(tmp_path: Path) -> tuple[str, str]:
    """Two copies of one database: one for the CLI, one for the web."""
    return make_db(str(tmp_path / "cli.db")), make_db(str(tmp_path / "web.db"))


def test_cli_and_web_merge_give_the_same_registry_at_once(twins: tuple[str, str]) -> None:
    by_cli, by_web = twins
    before = _entities(by_cli)
    _cli("entities", "--db", by_cli, "merge", "ent-hrodna", "ent-mahilyou")
    client = _web(by_web)
    response = client.post("/entities/ent-hrodna/merge",
                           data={"other": "ent-mahilyou", "csrf_token": _csrf(client, "/entities/ent-hrodna")})
    assert response.status_code == 303
    after = _entities(by_cli)
    assert after != before
    assert after == _entities(by_web)
    assert _decisions(by_cli) == _decisions(by_web)
    merged = [e for e in after if {"Hrodna", "Mahilyou"} <= {a["text"] for a in e["aliases"]}]
    assert len(merged) == 1
    assert response.headers["location"] == f"/entities/{merged[0]['id']}?done=merge"


def test_cli_and_web_split_give_the_same_registry_at_once(twins: tuple[str, str]) -> None:
    by_cli, by_web = twins
    _cli("entities", "--db", by_cli, "split", "ent-kavaliou", "Андрей Ковалев")
    client = _web(by_web)
    response = client.post("/entities/ent-kavaliou/split",
                           data={"alias": ["Андрей Ковалев"], "csrf_token": _csrf(client, "/entities/ent-kavaliou")})
    assert response.status_code == 303
    after = _entities(by_cli)
    assert after == _entities(by_web)
    assert _decisions(by_cli) == _decisions(by_web)
    kept = next(e for e in after if "Andrei Kavaliou" in {a["text"] for a in e["aliases"]})
    assert "Андрей Ковалев" not in {a["text"] for a in kept["aliases"]}


def _stories(db: str) -> list[dict[str, Any]]:
    return list(json.loads(_cli("stories", "--json", "--db", db).stdout))


def _members(db: str) -> dict[str, set[str]]:
    """Each story's articles by its id: what a reader checks after a decision."""
    return {s["id"]: {a["id"] for a in s["articles"]} for s in _stories(db)}


# The same decision as CLI arguments and as the web form that makes it (page, route, fields).
STORY_DECISIONS = {
    "split": (["split", "story-trial", "a2trial00002", "a3trial00003"],
              "/stories/story-trial", "/stories/story-trial/split", {"article": ["a2trial00002", "a3trial00003"]}),
    "move": (["move", "b2fire000002", "story-trial"],
             "/stories/story-fire", "/stories/story-fire/move", {"article": "b2fire000002", "story": "story-trial"}),
    "merge": (["merge", "story-fire", "story-xss"],
              "/stories/story-fire", "/stories/story-fire/merge", {"story_id": "story-xss"}),
}


@pytest.mark.parametrize("decision", sorted(STORY_DECISIONS))
def test_cli_and_web_story_decisions_give_the_same_stories_at_once(twins: tuple[str, str], decision: str) -> None:
    by_cli, by_web = twins
    args, page, route, fields = STORY_DECISIONS[decision]
    before = _stories(by_cli)
    printed = _cli("stories", "--db", by_cli, *args).stdout
    client = _web(by_web)
    response = client.post(route, data={**fields, "csrf_token": _csrf(client, page)})
    assert response.status_code == 303
    after = _stories(by_cli)
    assert after != before
    assert after == _stories(by_web)
    assert _decisions(by_cli) == _decisions(by_web)
    # the web lands on the story the CLI names, and says what was done
    landed = response.headers["location"]
    assert landed.endswith(f"?done={decision}")
    assert landed.split("/")[-1].split("?")[0] in printed
    assert "the decision is applied and recorded" in client.get(landed).text


def test_story_forms_make_what_they_say(tmp_path: Path) -> None:
    db = make_db(str(tmp_path / "f.db"))
    client = _web(db)
    token = _csrf(client, "/stories/story-trial")
    split = client.post("/stories/story-trial/split", data={"article": ["a1trial00001"], "csrf_token": token})
    new_id = split.headers["location"].split("/")[-1].split("?")[0]
    assert "<h1>Belarusian journalist Andrei Kavaliou sentenced to four years</h1>" in client.get(
        split.headers["location"]).text
    assert _members(db)[new_id] == {"a1trial00001"}
    assert _members(db)["story-trial"] == {"a2trial00002", "a3trial00003"}
    # the story id can be typed instead of picked, and the typed one wins
    moved = client.post("/stories/story-trial/move", data={
        "article": "a3trial00003", "story": "story-xss", "story_id": " story-fire ", "csrf_token": token})
    assert moved.headers["location"] == "/stories/story-fire?done=move"
    assert _members(db)["story-fire"] == {"b1fire000001", "b2fire000002", "a3trial00003"}
    page = client.get("/stories/story-fire").text
    assert 'value="story-xss"' in page and 'option value="story-fire"' not in page  # not itself


@pytest.mark.parametrize(("route", "fields", "status", "message"), [
    ("/stories/story-trial/split", {"article": ["a1trial00001", "a2trial00002", "a3trial00003"]}, 400,
     "not none or all"),
    ("/stories/story-trial/split", {}, 400, "not none or all"),
    ("/stories/story-trial/split", {"article": ["b1fire000001"]}, 400, "is not in story story-trial"),
    ("/stories/story-trial/split", {"article": ["no-such-article"]}, 404, "no-such-article"),
    ("/stories/story-trial/merge", {"story_id": "story-trial"}, 400, "cannot be merged with itself"),
    ("/stories/story-trial/merge", {"story_id": "no-such-story"}, 404, "no-such-story"),
    ("/stories/story-trial/merge", {}, 400, "choose the story to merge with"),
    ("/stories/no-such-story/merge", {"story": "story-fire"}, 404, "no-such-story"),
    ("/stories/story-trial/move", {"article": "a1trial00001", "story": "no-such-story"}, 404, "no-such-story"),
    ("/stories/story-trial/move", {"article": "b1fire000001", "story": "story-xss"}, 400, "is not in story"),
    ("/stories/story-trial/move", {"article": "a1trial00001", "story_id": "story-trial"}, 400, "already in story"),
    ("/stories/story-trial/move", {"article": "a1trial00001"}, 400, "choose the story to move the article to"),
    ("/stories/story-trial/move", {"story": "story-fire"}, 400, "choose the article to move"),
])
def test_bad_story_decisions_are_explained_on_the_page(
    tmp_path: Path, route: str, fields: dict[str, Any], status: int, message: str
) -> None:
    db = make_db(str(tmp_path / "bad.db"))
    before = _stories(db)
    client = _web(db)
    response = client.post(route, data={**fields, "csrf_token": _csrf(client, "/stories/story-trial")})
    assert response.status_code == status
    assert message in response.text.replace("&#39;", "'")
    assert 'class="error-page"' in response.text
    assert _stories(db) == before
    assert _decisions(db) == []


@pytest.mark.parametrize("route", ["/stories/story-trial/split", "/stories/story-trial/move",
                                   "/stories/story-trial/merge"])
def test_story_decisions_need_the_form_token(tmp_path: Path, route: str) -> None:
    db = make_db(str(tmp_path / "csrf.db"))
    client = _web(db)
    client.get("/stories/story-trial")  # the cookie alone is not enough
    fields = {"article": "a1trial00001", "story": "story-fire"}
    assert client.post(route, data=fields).status_code == 403
    assert client.post(route, data={**fields, "csrf_token": "forged.0000"}).status_code == 403
    assert _decisions(db) == []


def test_story_decisions_apply_at_once_and_are_recorded(tmp_path: Path) -> None:
    db = make_db(str(tmp_path / "s.db"))
    with open_store(db) as store:
        stories = store.list_stories()
        big = max(stories, key=lambda s: len(s.article_ids))
        other = next(s for s in stories if s.id != big.id)
        new_id = decisions.split_story(store, big.id, big.article_ids[:1], by="test")
        assert store.get_story(new_id).article_ids == big.article_ids[:1]
        decisions.move_article(store, big.article_ids[0], other.id, by="test")
        assert store.story_of(big.article_ids[0]) == other.id
        kept = decisions.merge_stories(store, [other.id, big.id], by="test")
        assert set(store.get_story(kept).article_ids) == set(big.article_ids) | set(other.article_ids)
        assert [k for k, _ in store.decisions()] == ["story_split", "story_move", "story_merge"]
        assert all(d["by"] == "test" for _, d in store.decisions())
        with pytest.raises(UsageError):
            decisions.move_article(store, big.article_ids[0], kept, by="test")
        with pytest.raises(UsageError):
            decisions.merge_stories(store, [kept, kept], by="test")


def test_bad_entity_decisions_are_refused(tmp_path: Path) -> None:
    db = make_db(str(tmp_path / "e.db"))
    with open_store(db) as store:
        with pytest.raises(UsageError):
            decisions.merge_entities(store, "ent-hrodna", "ent-hrodna")
        with pytest.raises(NotFound):
            decisions.merge_entities(store, "ent-hrodna", "no-such-entity")
        with pytest.raises(UsageError):
            decisions.split_entity(store, "ent-kavaliou", ["not an alias"])
        with pytest.raises(NotFound):
            store.get_entity("no-such-entity")
        assert store.get_entity("ent-hrodna").name == "Hrodna"
        assert store.decisions() == []
