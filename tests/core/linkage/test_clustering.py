"""Average-linkage clustering of scored pairs."""

from __future__ import annotations

from vigil.core.linkage.clustering import average_linkage, connected_components


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


def test_pairs_below_the_threshold_are_never_links() -> None:
    """A pair below the threshold joins nothing, whatever else is linked."""
    out = average_linkage("ab", [("a", "b", 0.49)], 0.5)
    assert out["a"] != out["b"]


def test_connected_components_number_every_linked_id() -> None:
    """Ids joined by a chain of links share a component; unrelated links make another."""
    comp = connected_components([("a", "b", 0.9), ("c", "b", 0.6), ("d", "e", 0.7)])
    assert comp["a"] == comp["b"] == comp["c"] != comp["d"] == comp["e"]


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
