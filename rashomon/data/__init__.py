"""The one reader of the files shipped in this folder (word tables, rules, schemas, templates).

Modules name a file by its parts below ``rashomon/data/`` (``read_data_text("origin", "zones.json")``)
and never build the path themselves, so an installed wheel reads the same files as a checkout.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["data_file", "data_rows", "read_data_json", "read_data_text"]


def data_file(*parts: str) -> Traversable:
    """``rashomon/data/<parts>``, a file or a folder (it may not exist)."""
    return resources.files(__name__).joinpath(*parts)


def read_data_text(*parts: str) -> str:
    """The UTF-8 text of ``rashomon/data/<parts>``.

    Raises:
        FileNotFoundError: there is no such file.
    """
    return data_file(*parts).read_text(encoding="utf-8")


def read_data_json(*parts: str) -> Any:
    """The parsed JSON file ``rashomon/data/<parts>``."""
    return json.loads(read_data_text(*parts))


def data_rows(*parts: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a table ``rashomon/data/<parts>``: tab-separated cells, stripped; blank lines and
    ``#`` comment lines skipped.

    Raises:
        FileNotFoundError: there is no such file.
    """
    return tuple(
        tuple(cell.strip() for cell in line.split("\t"))
        for line in read_data_text(*parts).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
