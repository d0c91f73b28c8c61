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
