"""Acceptance on the two real reports shared beside the repository (read at run time, never copied)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rashomon.compare import compare_story
from rashomon.pipeline import add_paths
from rashomon.store import open_store

from .conftest import validate

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed reports are not beside the repository")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    with open_store(db) as store:
        report = add_paths(store, [SEEDS])
        assert len(report.added) == 2 and not report.failures
        stories = store.list_stories()
        assert len(stories) == 1, "both reports of the meeting form one story"
        return compare_story(store, stories[0].id)


def _entity(result: dict[str, Any], alias: str) -> dict[str, Any]:
    found = [e for e in result["entities"] if alias in e["aliases"]]
    assert len(found) == 1, f"{alias!r} is in {len(found)} entities"
    return found[0]


def test_comparison_follows_the_contract(result: dict[str, Any], schemas: dict[str, Any]) -> None:
    validate(result, "compare.schema.json", schemas)
    assert len(result["story"]["articles"]) == 2


def test_event_date_has_no_invented_year(result: dict[str, Any]) -> None:
    assert result["story"]["event_date"] == "--10-10"


def test_second_report_page_furniture(result: dict[str, Any]) -> None:
    rferl = next(a for a in result["story"]["articles"] if a["source"] == "RFE/RL")
    assert rferl["updated"] == "2024-04-22T13:52"
    assert rferl["photo_credits"] == ["Пул Первого"]


def test_entities_across_spellings_and_scripts(result: dict[str, Any]) -> None:
    assert _entity(result, "Liliya Ulasava") is _entity(result, "Lilia Vlasova")
    lukashenka = _entity(result, "Alyaksandr Lukashenka")
    assert len(lukashenka["articles"]) == 2
    assert _entity(result, "Pool of the First") is _entity(result, "Пул Первого")
    assert _entity(result, "Viktar Babaryka") is not _entity(result, "Eduard Babaryka")
    assert _entity(result, "Svyatlana Tsikhanouskaya") is not _entity(result, "Syarhey Tsikhanouski")


def test_constitution_quote_is_one_group_with_its_speaker(result: dict[str, Any]) -> None:
    lukashenka = _entity(result, "Alyaksandr Lukashenka")["id"]
    groups = [q for q in result["quotes"] if any("street" in v["text"] for v in q["variants"])]
    assert len(groups) == 1
    assert groups[0]["speaker"] == lukashenka
    assert {v["direct"] for v in groups[0]["variants"]} == {True, False}
    assert len({v["article"] for v in groups[0]["variants"]}) == 2


def test_each_source_labels_lukashenka_its_own_way(result: dict[str, Any]) -> None:
    lukashenka = _entity(result, "Alyaksandr Lukashenka")["id"]
    rferl = next(a["id"] for a in result["story"]["articles"] if a["source"] == "RFE/RL")
    labels: dict[bool, set[str]] = {True: set(), False: set()}
    for d in result["descriptors"]:
        if d["entity"] == lukashenka:
            labels[d["article"] == rferl].add(d["text"].lower())
    assert "strongman" in labels[True]
    assert {"self-proclaimed president", "former head of state"} <= labels[False]


def test_shared_and_unique_statements(result: dict[str, Any]) -> None:
    def status_of(words: str) -> set[str]:
        return {s["status"] for s in result["statements"] if any(words in c["text"] for c in s["claims"])}

    assert status_of("KGB") == {"shared"}
    assert status_of("Vaskresenski") == {"unique"}
    assert status_of("Shkliarov") == {"unique"}
    assert status_of("80 percent") == {"unique"}


def test_who_was_pictured_is_shared(result: dict[str, Any]) -> None:
    babaryka = _entity(result, "Viktar Babaryka")["aliases"]
    pictured = [
        s for s in result["statements"]
        if s["status"] == "shared" and len({c["article"] for c in s["claims"]}) == 2
        and all("photo" in c["text"].lower() and any(a in c["text"] for a in babaryka) for c in s["claims"])
    ]
    assert len(pictured) == 1


def test_a_detail_only_one_source_gives_is_unique(result: dict[str, Any]) -> None:
    detail = [s for s in result["statements"] if any("four and a half hours" in c["text"] for c in s["claims"])]
    assert any(s["status"] == "unique" and "4.5 h" in (s["note"] or "") for s in detail)
    assert all("4.5 h" in (s["note"] or "") for s in detail if s["status"] == "shared")
