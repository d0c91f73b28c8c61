"""The JSON schemas of rashomon's machine-readable output, shipped in ``rashomon/data/contract/``.

``article`` is one article (``rashomon show ID --json``), ``stories`` the list printed by
``rashomon stories --json``, ``compare`` the result of ``rashomon compare STORY``. Schemas refer to
one another by file name (``{"$ref": "article.schema.json"}``).
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Any

from .data import data_file, read_data_json
from .errors import UsageError

SUFFIX = ".schema.json"

__all__ = ["SUFFIX", "schema", "schema_names", "schemas"]


def _folder() -> Traversable:
    return data_file("contract")


def schema_names() -> list[str]:
    """Names of the shipped schemas, sorted (``article``, ``compare``, ``stories``)."""
    return sorted(entry.name.removesuffix(SUFFIX) for entry in _folder().iterdir() if entry.name.endswith(SUFFIX))


def schema(name: str) -> dict[str, Any]:
    """The schema called ``name`` (``stories`` or ``stories.schema.json``).

    Raises:
        UsageError: no schema has that name.
    """
    stem = name.removesuffix(SUFFIX)
    if stem not in schema_names():
        raise UsageError(f"no schema named {name!r} (choose from {', '.join(schema_names())})")
    loaded: dict[str, Any] = read_data_json("contract", stem + SUFFIX)
    return loaded


def schemas() -> dict[str, dict[str, Any]]:
    """Every shipped schema by file name (``article.schema.json``), the key its ``$ref``s use."""
    return {name + SUFFIX: schema(name) for name in schema_names()}
