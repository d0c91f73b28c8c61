"""Shared fixtures: a fresh database per test, the CLI runner, the output contract."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RESOURCES = Path(__file__).parent / "resources"
CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract"


def _postgres_url() -> str | None:
    return os.environ.get("RASHOMON_TEST_PG")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database URL on each backend (PostgreSQL when $RASHOMON_TEST_PG is set)."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    base = _postgres_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("RASHOMON_TEST_PG is not set in CI")
        pytest.skip("no PostgreSQL server ($RASHOMON_TEST_PG)")
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def schemas() -> dict[str, Any]:
    """The JSON schemas of the CLI's output, by file name."""
    return {p.name: json.loads(p.read_text()) for p in CONTRACT.glob("*.schema.json")}


def validate(instance: Any, schema_name: str, schemas: dict[str, Any]) -> None:
    """Validate against a contract schema, resolving its references to the sibling schemas."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items()
    )
    Draft202012Validator(schemas[schema_name], registry=registry).validate(instance)
