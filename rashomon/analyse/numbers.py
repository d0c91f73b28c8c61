"""Placeholder: being written."""
from typing import Any
def find_numbers(*a: Any, **k: Any) -> list[Any]: return []
