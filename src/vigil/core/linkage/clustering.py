"""Clustering scored pairs into persons by average linkage, so that namesakes do not chain.

Connected components (Splink's clustering) join two records whenever a chain of links connects them: one
namesake pair above the threshold merges two people's records, and at a million records chains of
namesakes made clusters of dozens. Here two clusters merge only when the pairs between them are, on
average, at or above the threshold, counting every unscored pair between them as probability 0: a merge
must be more likely right than wrong for the records it joins, not for one pair of them.
"""

from __future__ import annotations

from collections.abc import Iterable


def average_linkage(ids: Iterable[str], pairs: Iterable[tuple[str, str, float]], threshold: float) -> dict[str, str]:
    """Each id's cluster id (the smallest id of its cluster), from scored pairs ``(a, b, probability)``.

    Pairs are taken from the most to the least probable; pairs below ``threshold`` are never links. Greedy,
    O(pairs · log pairs) with the neighbour sums merged smaller into larger.
    """
    parent: dict[str, str] = {}
    size: dict[str, int] = {}
    # For each cluster root, the sum of probabilities of the scored pairs to each neighbouring cluster.
    near: dict[str, dict[str, float]] = {}
    edges = [(a, b, p) for a, b, p in pairs if p >= threshold and a != b]

    def root(x: str) -> str:
        r = x
        while parent.get(r, r) != r:
            r = parent[r]
        while parent.get(x, x) != r:
            parent[x], x = r, parent[x]
        return r

    for a, b, p in edges:
        for x in (a, b):
            if x not in size:
                size[x], near[x] = 1, {}
        near[a][b] = near[a].get(b, 0.0) + p
        near[b][a] = near[b].get(a, 0.0) + p
    for a, b, _p in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        ra, rb = root(a), root(b)
        if ra == rb or near[ra].get(rb, 0.0) < threshold * size[ra] * size[rb]:
            continue
        if len(near[ra]) < len(near[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
        for other, s in near.pop(rb).items():
            if other == ra:
                continue
            near[ra][other] = near[ra].get(other, 0.0) + s
            theirs = near[other]
            theirs[ra] = theirs.get(ra, 0.0) + theirs.pop(rb)
        near[ra].pop(rb, None)
    members: dict[str, list[str]] = {}
    all_ids = list(ids)
    for x in all_ids:
        members.setdefault(root(x), []).append(x)
    out: dict[str, str] = {}
    for group in members.values():
        name = min(group)
        for x in group:
            out[x] = name
    return out
