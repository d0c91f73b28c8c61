"""Gold groups against resolved entities: the one scorer of the entity benchmarks.

A gold group is a list of items (alias texts, record ids) naming one entity; ``owners`` maps each item
to the entities that hold it. Used by ``bench_entities_newsdev.py`` (items are alias forms) and
``bench_entities_invented.py`` (items are record ids).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class GroupScore:
    """Indices of groups (2+ items) merged, split or partly found, and entities holding several groups."""

    groups: int = 0
    merged: list[int] = field(default_factory=list)
    split: list[int] = field(default_factory=list)  # found in two or more entities
    partial: list[int] = field(default_factory=list)  # some item not found at all
    wrong: dict[str, set[int]] = field(default_factory=dict)  # entity -> groups it holds (2+)


def score_groups(groups: Sequence[Sequence[str]], owners: Mapping[str, set[str]]) -> GroupScore:
    """Score gold ``groups`` against ``owners`` (item -> ids of the entities holding it)."""
    out = GroupScore()
    group_of_entity: dict[str, set[int]] = defaultdict(set)
    for g, items in enumerate(groups):
        for item in items:
            for eid in owners.get(item, ()):
                group_of_entity[eid].add(g)
        if len(items) < 2:
            continue
        out.groups += 1
        found = [x for x in items if owners.get(x)]
        common = set.intersection(*(set(owners[x]) for x in found)) if found else set()
        if len(found) == len(items) and common:
            out.merged.append(g)
        elif len(found) >= 2 and not common:
            out.split.append(g)
        else:
            out.partial.append(g)
    out.wrong = {e: gs for e, gs in group_of_entity.items() if len(gs) > 1}
    return out
