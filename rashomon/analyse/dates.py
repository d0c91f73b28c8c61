"""Placeholder: being written."""
from typing import Any
def find_dates(*a: Any, **k: Any) -> list[Any]: return []
def pick_event_date(*a: Any, **k: Any) -> None: return None
