"""The output contract shipped in the package: `rashomon schema` prints it, and it still honours the
project's shared contract (../shared/contract/) when that folder is beside the repository."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rashomon import contract
from rashomon.cli import app
from rashomon.errors import UsageError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "contract"
runner = CliRunner()


def test_the_package_ships_the_three_schemas() -> None:
    assert contract.schema_names() == ["article", "compare", "stories"]
    assert set(contract.schemas()) == {"article.schema.json", "compare.schema.json", "stories.schema.json"}


@pytest.mark.parametrize("name", ["stories", "compare.schema.json"])
def test_schema_command_prints_a_shipped_schema(name: str) -> None:
    result = runner.invoke(app, ["schema", name])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == contract.schema(name)


def test_unknown_schema_is_a_one_line_error() -> None:
    with pytest.raises(UsageError):
        contract.schema("story")
    result = runner.invoke(app, ["schema", "story"])
    assert result.exit_code == 2
    expected = "error: no schema named 'story' (choose from article, compare, stories)"
    assert result.stderr.strip().splitlines() == [expected]


def _check_covers(shared: Any, ours: Any, where: str) -> list[str]:
    """Every property, required field and type of ``shared`` is in ``ours`` (which may add fields)."""
    if not isinstance(shared, dict):
        return [] if shared == ours else [f"{where}: {ours!r} instead of {shared!r}"]
    if not isinstance(ours, dict):
        return [f"{where}: missing"]
    problems = []
    for key in ("type", "enum", "$ref", "minItems", "minimum"):
        if key in shared and shared[key] != ours.get(key):
            problems.append(f"{where}.{key}: {ours.get(key)!r} instead of {shared[key]!r}")
    missing = set(shared.get("required", [])) - set(ours.get("required", []))
    if missing:
        problems.append(f"{where}.required lacks {sorted(missing)}")
    for name, sub in shared.get("properties", {}).items():
        problems += _check_covers(sub, ours.get("properties", {}).get(name), f"{where}.{name}")
    if "items" in shared:
        problems += _check_covers(shared["items"], ours.get("items"), f"{where}[]")
    return problems


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared contract folder is not beside the repository")
def test_packaged_schemas_still_honour_the_shared_contract() -> None:
    shared = {path.name: json.loads(path.read_text("utf-8")) for path in SHARED.glob("*.schema.json")}
    assert shared, f"no schemas in {SHARED}"
    ours = contract.schemas()
    problems = []
    for name, schema in shared.items():
        problems += _check_covers(schema, ours.get(name), name) if name in ours else [f"{name}: not shipped"]
    assert not problems, "\n".join(problems)


def test_the_coverage_check_catches_a_dropped_field() -> None:
    shipped = contract.schema("article")
    narrowed = json.loads(json.dumps(shipped))
    narrowed["required"].remove("url")
    del narrowed["properties"]["url"]
    narrowed["properties"]["language"]["type"] = "string"
    problems = _check_covers(shipped, narrowed, "article")
    assert any("required lacks ['url']" in p for p in problems)
    assert any(p.startswith("article.url") for p in problems)
    assert any(p.startswith("article.language.type") for p in problems)
