"""Clustering scored pairs into persons by average linkage, so that namesakes do not chain.

Connected components (Splink's clustering) join two records whenever a chain of links connects them: two
namesakes each linked to one sparse record (a name and nothing else) end in one cluster, though the pair
of them was scored and found unlikely. Here two clusters merge only when the scored pairs between them are,
on average, at or above the threshold. A pair that was never scored (no blocking rule brought it together,
such as two renderings in scripts that share no key) is unknown and left out of the average.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def _root(parent: dict[str, str], x: str) -> str:
    """The root of ``x`` in the union-find forest ``parent`` (ids absent from it are roots), paths compressed."""
    r = x
    while parent.get(r, r) != r:
        r = parent[r]
    while parent.get(x, x) != r:
        parent[x], x = r, parent[x]
    return r


def average_linkage(ids: Iterable[str], pairs: Iterable[tuple[str, str, float]], threshold: float,
                    score: Callable[[str, str], float | None] | None = None) -> dict[str, str]:
    """Each id's cluster id (the smallest id of its cluster), from scored pairs ``(a, b, probability)``.

    Give every scored pair, also those below ``threshold``: they are the evidence against a merge. Pairs at
    or above ``threshold`` are tried from the most to the least probable. Greedy, O(pairs · log pairs).

    ``score``: the probability of any pair, or None where it is unknown. When two clusters about to merge hold
    pairs that were not scored, the average is taken again over every pair between them that ``score`` knows
    (see :func:`vigil.core.linkage.engine.dedupe`); without it, unscored pairs are left out of the average.
    """
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    # For each cluster root: (sum of probabilities, number) of the scored pairs to each neighbouring cluster.
    # Tuples, not lists: one per pair, shared by its two ends, and a new one only where sums are merged.
    near: dict[str, dict[str, tuple[float, int]]] = {}
    above: list[tuple[str, str, float]] = []
    # Millions of pairs at a million records: this loop is written out for speed (no call per pair).
    for a, b, p in pairs:
        if a == b:
            continue
        if p >= threshold:
            above.append((a, b, p))
        entry = (p, 1)
        table = near.get(a)
        if table is None:
            near[a] = {b: entry}
        elif (mine := table.get(b)) is None:
            table[b] = entry
        else:
            table[b] = (mine[0] + p, mine[1] + 1)
        table = near.get(b)
        if table is None:
            near[b] = {a: entry}
        elif (mine := table.get(a)) is None:
            table[a] = entry
        else:
            table[a] = (mine[0] + p, mine[1] + 1)
    # Already in this order when they come from dedupe (sorted by DuckDB): then sorting is one pass.
    above.sort(key=lambda e: (-e[2], e[0], e[1]))
    for a, b, _p in above:
        ra, rb = _root(parent, a), _root(parent, b)
        if ra == rb:
            continue
        s, n = near[ra].get(rb, (0.0, 0))
        if n == 0 or s < threshold * n:
            continue
        left, right = members.get(ra, [ra]), members.get(rb, [rb])
        if score is not None and n < len(left) * len(right):
            known = [q for x in left for y in right if (q := score(x, y)) is not None]
            if known and sum(known) < threshold * len(known):
                continue
        if len(near[ra]) < len(near[rb]):
            ra, rb = rb, ra
            left, right = right, left
        parent[rb] = ra
        members[ra] = left + right
        members.pop(rb, None)
        mine_all = near[ra]
        for other, entry in near.pop(rb).items():
            if other == ra:
                continue
            mine = mine_all.get(other)
            mine_all[other] = entry if mine is None else (mine[0] + entry[0], mine[1] + entry[1])
            theirs = near[other]
            moved = theirs.pop(rb)
            mine = theirs.get(ra)
            theirs[ra] = moved if mine is None else (mine[0] + moved[0], mine[1] + moved[1])
        mine_all.pop(rb, None)
    clusters: dict[str, list[str]] = {}
    for x in ids:
        clusters.setdefault(_root(parent, x), []).append(x)
    out: dict[str, str] = {}
    for group in clusters.values():
        name = min(group)
        for x in group:
            out[x] = name
    return out


def connected_components(pairs: Iterable[tuple[str, str, float]]) -> dict[str, int]:
    """The component number of every id in ``pairs`` (all pairs are links)."""
    parent: dict[str, str] = {}

    nodes: dict[str, None] = {}
    for a, b, _p in pairs:
        nodes[a] = nodes[b] = None
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[ra] = rb
    numbers: dict[str, int] = {}
    return {x: numbers.setdefault(_root(parent, x), len(numbers)) for x in nodes}
