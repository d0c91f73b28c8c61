"""Full rebuild of stories: average linkage over the pairs within the date window, order-independent.

Only pairs dated within the scorer's window (:mod:`.blocks`) are scored, and user decisions (pinned
articles, forced merges and splits) are honoured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..errors import UsageError
from ..unionfind import UnionFind
from .blocks import FeatureArrays, linked_pairs, score_block
from .features import ArticleFeatures
from .scorer import Scorer, _bundled_scorer

__all__ = ["cluster"]


def _average_linkage(
    scores: np.ndarray, groups: list[list[int]], blocked: np.ndarray, threshold: float
) -> list[list[int]]:
    """Merge groups while the best average pair score between two groups reaches the threshold.

    ``scores`` is indexed by the articles in ``groups``; ``blocked[a, b]`` keeps groups a and b apart.
    """
    k = len(groups)
    membership = np.zeros((k, len(scores)))
    for g, group in enumerate(groups):
        membership[g, group] = 1.0
    sums = membership @ scores @ membership.T  # sums[a, b]: total score of the pairs between groups a and b
    sizes = np.array([len(g) for g in groups], dtype=float)
    blocked = blocked | np.eye(k, dtype=bool)
    alive = np.ones(k, dtype=bool)
    members = [list(g) for g in groups]
    while True:
        avg = sums / np.outer(sizes, sizes)
        avg[blocked | ~alive[:, None] | ~alive[None, :]] = -np.inf
        flat = int(np.argmax(avg))
        a, b = divmod(flat, k)
        if avg[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        members[a] += members[b]
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        blocked[a, a] = True
        alive[b] = False
    return [members[i] for i in range(k) if alive[i]]


def cluster(
    features: Sequence[ArticleFeatures],
    *,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    pinned: Mapping[str, str] | None = None,
    merge: Iterable[tuple[str, str]] = (),
    split: Iterable[tuple[str, str]] = (),
) -> list[list[str]]:
    """Group articles into stories from scratch: average linkage, independent of input order.

    Average linkage only joins groups linked by a pair at or above the threshold, so only such pairs
    are looked for (:func:`~rashomon.stories.blocks.linked_pairs`: pairs within the date window, scored
    in numpy) and each connected component of them is clustered on its own. The result is the one
    scoring all pairs gives, in time linear in the number of articles at a steady rate per day.

    Args:
        features: every article's features.
        scorer: the pair scorer; the bundled one by default.
        threshold: the lowest average score at which two groups merge; the scorer's by default.
        pinned: user decisions ``{article_id: story_key}``; articles pinned to one key always share a
            story, articles pinned to different keys never do.
        merge: article pairs a user put in one story.
        split: article pairs a user put in different stories.

    Returns:
        Stories as sorted lists of article ids, ordered by their first id.

    Raises:
        UsageError: the user decisions contradict each other.
    """
    scorer = scorer or _bundled_scorer()
    threshold = scorer.threshold if threshold is None else threshold
    ordered = sorted(features, key=lambda f: f.article_id)
    index = {f.article_id: i for i, f in enumerate(ordered)}
    n = len(ordered)
    pins = {index[a]: s for a, s in (pinned or {}).items() if a in index}
    must = UnionFind(range(n))
    first_pinned: dict[str, int] = {}
    for i, story in sorted(pins.items()):
        must.union(first_pinned.setdefault(story, i), i)
    for a, b in merge:
        if a in index and b in index:
            must.union(index[a], index[b])
    cannot = [(index[a], index[b]) for a, b in split if a in index and b in index]
    pin_of_root: dict[int, int] = {}
    for i in sorted(pins):
        other = pin_of_root.setdefault(must.find(i), i)
        if pins[other] != pins[i]:
            cannot.append((other, i))
    for i, j in cannot:
        if must.find(i) == must.find(j):
            raise UsageError(f"{ordered[i].article_id} and {ordered[j].article_id} are both merged and split")

    arrays = FeatureArrays(ordered)
    components = UnionFind(range(n))
    for i, j in linked_pairs(arrays, scorer, threshold):
        components.union(i, j)
    for i in range(n):
        components.union(i, must.find(i))
    by_component: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i in range(n):
        by_component[components.find(i)][must.find(i)].append(i)
    pin_code = {story: x for x, story in enumerate(sorted(set(pins.values())))}
    root_code = {must.find(i): pin_code[pins[i]] for i in pins}
    cannot_roots = {(must.find(i), must.find(j)) for i, j in cannot}
    out: list[list[str]] = []
    for groups in by_component.values():
        roots = list(groups)
        if len(roots) == 1:
            out.append(sorted(ordered[i].article_id for i in groups[roots[0]]))
            continue
        members = np.array([i for root in roots for i in groups[root]])
        local = {int(i): x for x, i in enumerate(members)}
        scores = score_block(arrays, members, members, scorer)
        pin_codes = np.array([root_code.get(r, -1) for r in roots])
        blocked = (pin_codes[:, None] != pin_codes[None, :]) & (pin_codes[:, None] >= 0) & (pin_codes[None, :] >= 0)
        position = {r: x for x, r in enumerate(roots)}
        for left, right in cannot_roots:
            if left in position and right in position:
                blocked[position[left], position[right]] = blocked[position[right], position[left]] = True
        merged = _average_linkage(scores, [[local[i] for i in groups[r]] for r in roots], blocked, threshold)
        out.extend(sorted(ordered[int(members[x])].article_id for x in group) for group in merged)
    return sorted(out)
