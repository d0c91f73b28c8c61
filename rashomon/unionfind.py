"""Disjoint sets (union-find), for story clustering and the Spark batch's connected components."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

Item = TypeVar("Item", bound=Hashable)


class UnionFind(Generic[Item]):
    """Disjoint sets of hashable, ordered items; a set's root is its smallest item, so the result
    does not depend on the order of the unions."""

    def __init__(self, items: Iterable[Item] = ()) -> None:
        self.parent: dict[Item, Item] = {x: x for x in items}

    def find(self, x: Item) -> Item:
        """The root of ``x``'s set (``x`` joins as a set of its own when new)."""
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Item, b: Item) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            self.parent[high] = low

    def roots(self) -> dict[Item, Item]:
        """Every item seen and the root of its set."""
        return {x: self.find(x) for x in list(self.parent)}
