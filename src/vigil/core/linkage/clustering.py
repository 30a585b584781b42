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
    # For each cluster root: [sum of probabilities, number] of the scored pairs to each neighbouring cluster.
    near: dict[str, dict[str, list[float]]] = {}
    scored = [(a, b, p) for a, b, p in pairs if a != b]

    def add(table: dict[str, list[float]], key: str, entry: list[float]) -> None:
        mine = table.get(key)
        if mine is None:
            table[key] = entry
        else:
            mine[0] += entry[0]
            mine[1] += entry[1]

    # Millions of pairs at a million records: this loop is written out for speed (no call, no tuple per pair).
    for a, b, p in scored:
        for x, y in ((a, b), (b, a)):
            table = near.get(x)
            if table is None:
                near[x] = {y: [p, 1]}
                continue
            mine = table.get(y)
            if mine is None:
                table[y] = [p, 1]
            else:
                mine[0] += p
                mine[1] += 1
    for a, b, _p in sorted((e for e in scored if e[2] >= threshold), key=lambda e: (-e[2], e[0], e[1])):
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
        for other, entry in near.pop(rb).items():
            if other == ra:
                continue
            add(near[ra], other, entry)
            theirs = near[other]
            add(theirs, ra, theirs.pop(rb))
        near[ra].pop(rb, None)
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
