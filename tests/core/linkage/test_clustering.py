"""Average-linkage clustering of scored pairs."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from vigil.core.linkage.clustering import WEIGHT_BOUND, average_linkage, component_nodes, match_weight


def test_records_linked_to_each_other_form_one_cluster() -> None:
    """Three records whose three pairs are all likely matches are one person."""
    out = average_linkage("abcd", [("a", "b", 0.9), ("b", "c", 0.8), ("a", "c", 0.7)], 0.5)
    assert out["a"] == out["b"] == out["c"] == "a"
    assert out["d"] == "d"


def test_a_chain_through_one_record_does_not_join_namesakes() -> None:
    """a–b and b–c are likely but a–c is unlikely (two namesakes, each like one sparse record b): c does not
    join a and b, since on average the pairs it would add are unlikely."""
    out = average_linkage("abc", [("a", "b", 0.95), ("b", "c", 0.9), ("a", "c", 0.02)], 0.5)
    assert out["a"] == out["b"] != out["c"]


def test_a_pair_never_scored_does_not_count_against() -> None:
    """a–b and b–c are likely and a–c was never a candidate (scripts with no shared key): one person."""
    out = average_linkage("abc", [("a", "b", 0.95), ("b", "c", 0.9)], 0.5)
    assert out["a"] == out["b"] == out["c"]


def test_pairs_are_averaged_as_match_weights() -> None:
    """a, b and d are one person; c is linked to a and b (0.9 each), and d and c are most unlikely (1e-5, say
    born ten years apart). As probabilities the three pairs average 0.6, above 0.5, and c would join; as match
    weights, +3.2 +3.2 -16.6 bits average below 0, and c stays apart. Were d and c merely doubtful (0.3), c
    would join."""
    pairs = [("a", "b", 0.99), ("a", "d", 0.99), ("b", "d", 0.99), ("a", "c", 0.9), ("b", "c", 0.9)]
    out = average_linkage("abcd", [*pairs, ("c", "d", 0.00001)], 0.5)
    assert out["a"] == out["b"] == out["d"] != out["c"]
    out = average_linkage("abcd", [*pairs, ("c", "d", 0.3)], 0.5)
    assert len(set(out.values())) == 1
    assert match_weight(np.array([0.0, 0.5, 1.0])).tolist() == [-WEIGHT_BOUND, 0.0, WEIGHT_BOUND]


def test_pairs_below_the_threshold_are_never_links() -> None:
    """A pair below the threshold joins nothing, whatever else is linked."""
    out = average_linkage("ab", [("a", "b", 0.49)], 0.5)
    assert out["a"] != out["b"]


def test_component_nodes_number_every_linked_node() -> None:
    """Nodes joined by a chain of links share a component; unrelated links make another."""
    a, b, c, d, e = range(5)
    comp = component_nodes(5, np.array([a, c, d]), np.array([b, b, e]))
    assert comp[a] == comp[b] == comp[c] != comp[d] == comp[e]


def test_a_pair_never_scored_is_scored_when_a_score_is_given() -> None:
    """With the model at hand, a pair no blocking rule scored is scored before two clusters merge: two
    different people each linked to one record (by an identity number, say) stay apart."""
    pairs = [("a", "b", 0.95), ("b", "c", 0.9)]
    scores = {("a", "b"): 0.95, ("b", "c"): 0.9, ("a", "c"): 0.01}
    asked: list[tuple[str, str]] = []

    def score(x: str, y: str) -> float:
        asked.append((x, y))
        return scores[(min(x, y), max(x, y))]

    out = average_linkage("abc", pairs, 0.5, score=score)
    assert out["a"] == out["b"] != out["c"]
    assert ("a", "c") in {tuple(sorted(p)) for p in asked}
    # An unscored pair the model finds likely lets the clusters merge.
    scores[("a", "c")] = 0.3
    assert len(set(average_linkage("abc", pairs, 0.5, score=score).values())) == 1


def test_scored_pairs_are_not_scored_again_when_every_pair_is_known() -> None:
    """Clusters whose every pair was scored merge on those scores alone: the score is not asked."""
    def score(x: str, y: str) -> float:
        raise AssertionError("every pair was scored")

    out = average_linkage("abc", [("a", "b", 0.9), ("b", "c", 0.8), ("a", "c", 0.7)], 0.5, score=score)
    assert out["a"] == out["b"] == out["c"]


def _w(p: float) -> float:
    """A probability's match weight, bounded: log2 of its odds, computed here from its definition."""
    if p <= 0.0 or p >= 1.0:
        return WEIGHT_BOUND if p >= 1.0 else -WEIGHT_BOUND
    return max(-WEIGHT_BOUND, min(WEIGHT_BOUND, math.log2(p / (1.0 - p))))


def _reference(ids, pairs, threshold, score=None) -> dict[str, str]:
    """Average linkage as first written (strings, dicts, every pair of a merge scored, weights averaged): what
    the fast version must reproduce, cluster for cluster."""
    parent: dict[str, str] = {}
    t = _w(threshold)

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    members: dict[str, list[str]] = {}
    near: dict[str, dict[str, tuple[float, int]]] = {}
    for a, b, p in pairs:
        for x, y in ((a, b), (b, a)):
            s, n = near.setdefault(x, {}).get(y, (0.0, 0))
            near[x][y] = (s + _w(p), n + 1)
    for a, b, _p in sorted((e for e in pairs if e[2] >= threshold), key=lambda e: (-e[2], e[0], e[1])):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        s, n = near[ra].get(rb, (0.0, 0))
        if n == 0 or s < t * n:
            continue
        left, right = members.get(ra, [ra]), members.get(rb, [rb])
        if score is not None and n < len(left) * len(right):
            known = [_w(q) for x in left for y in right if (q := score(x, y)) is not None]
            if known and sum(known) < t * len(known):
                continue
        if len(near[ra]) < len(near[rb]):
            ra, rb, left, right = rb, ra, right, left
        parent[rb] = ra
        members[ra] = left + right
        members.pop(rb, None)
        for other, (s, n) in near.pop(rb).items():
            if other == ra:
                continue
            s0, n0 = near[ra].get(other, (0.0, 0))
            near[ra][other] = (s0 + s, n0 + n)
            s1, n1 = near[other].pop(rb)
            s0, n0 = near[other].get(ra, (0.0, 0))
            near[other][ra] = (s0 + s1, n0 + n1)
        near[ra].pop(rb, None)
    groups: dict[str, list[str]] = {}
    for x in ids:
        groups.setdefault(root(x), []).append(x)
    return {x: min(g) for g in groups.values() for x in g}


def _namesakes(seed: int) -> tuple[list[str], list[tuple[str, str, float]], dict[tuple[str, str], float | None]]:
    """Persons of two to six records, their names shared by other persons: pairs within a person are likely,
    pairs of namesakes likely or not, ties in probability, and pairs that no rule scored (the model knows some,
    not others)."""
    rng = random.Random(seed)
    ids = [f"{rng.choice('abxyЖ吾')}{i}" for i in range(60)]
    rng.shuffle(ids)
    persons = []
    rest = ids[:]
    while rest:
        k = rng.randint(2, 6)
        persons.append(rest[:k])
        rest = rest[k:]
    truth: dict[tuple[str, str], float | None] = {}
    pairs = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            same = any(a in p and b in p for p in persons)
            namesake = rng.random() < 0.08
            if not same and not namesake:
                continue
            p = rng.choice([0.99, 0.9, 0.7, 0.55, 0.5]) if same or rng.random() < 0.5 else rng.choice([0.3, 0.05])
            truth[(a, b)] = truth[(b, a)] = None if rng.random() < 0.2 else p
            if rng.random() < 0.7:
                pairs.append((a, b, p))
                truth[(a, b)] = truth[(b, a)] = p
    return ids, pairs, truth


def test_average_linkage_gives_the_clusters_of_the_plain_algorithm() -> None:
    """On persons whose names other persons share, with pairs no rule scored and ties in probability, every id
    ends in the cluster the plain algorithm (strings, every pair of a merge scored) puts it in."""
    merged_apart = 0
    for seed in range(200):
        ids, pairs, truth = _namesakes(seed)

        def score(x: str, y: str, truth=truth) -> float | None:
            return truth.get((x, y))

        for threshold in (0.5, 0.8):
            expected = _reference(ids, pairs, threshold, score)
            assert average_linkage(ids, pairs, threshold, score) == expected, (seed, threshold)
            assert average_linkage(ids, pairs, threshold) == _reference(ids, pairs, threshold), (seed, threshold)
            merged_apart += expected != _reference(ids, pairs, threshold)
    # The cases do exercise the unscored pairs: they keep some clusters apart.
    assert merged_apart > 20


def test_a_pair_given_a_probability_is_not_scored_again() -> None:
    """Two clusters with a pair no rule scored: only that pair is scored, the pairs given are taken as given."""
    asked: list[tuple[str, str]] = []

    def score(x: str, y: str) -> float:
        asked.append((x, y))
        return 0.3

    pairs = [("a", "b", 0.99), ("c", "d", 0.98), ("a", "c", 0.9), ("b", "d", 0.9), ("b", "c", 0.2)]
    out = average_linkage("abcd", pairs, 0.5, score=score)
    assert {tuple(sorted(p)) for p in asked} == {("a", "d")}
    # In bits, (3.17 + 3.17 - 2 - 1.22) / 4 is above the threshold's 0.
    assert len(set(out.values())) == 1


def test_unscored_pairs_are_scored_only_until_they_cannot_change_the_answer() -> None:
    """Two clusters of three with one scored pair between them: the first row of unscored pairs, all unlikely,
    already decides that they stay apart, and the rest are never scored."""
    asked: list[tuple[str, str]] = []

    def score(x: str, y: str) -> float:
        asked.append((x, y))
        return 0.0

    pairs = [("a", "b", 0.99), ("a", "c", 0.99), ("b", "c", 0.99), ("d", "e", 0.99), ("d", "f", 0.99),
             ("e", "f", 0.99), ("c", "d", 0.6)]
    out = average_linkage("abcdef", pairs, 0.5, score=score)
    assert out["a"] == out["c"] != out["d"] == out["f"]
    assert 0 < len(asked) < 8


def test_component_nodes_are_the_smallest_node_of_each_component() -> None:
    """A long chain given in scrambled order, a pair and a lone node: each node is labelled with the smallest
    node it is joined to."""
    chain = [(i, i + 1) for i in range(1, 200)] + [(205, 203)]
    order = np.random.default_rng(1).permutation(len(chain))
    left = np.array([chain[i][0] for i in order])
    right = np.array([chain[i][1] for i in order])
    label = component_nodes(206, left, right)
    assert label[0] == 0 and (label[1:201] == 1).all()
    assert label[203] == label[205] == 203 and label[204] == 204 and label[202] == 202


def test_a_pair_given_twice_is_refused_when_unscored_pairs_are_weighed() -> None:
    """Unscored pairs are counted as the pairs between two clusters that were not given: a pair given twice (in
    either order) would throw the count off, so it is refused."""
    def score(x: str, y: str) -> float:
        return 0.5

    with pytest.raises(ValueError, match="given twice"):
        average_linkage("abc", [("a", "b", 0.9), ("b", "a", 0.9), ("b", "c", 0.8)], 0.5, score=score)
