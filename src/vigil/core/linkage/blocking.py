"""Blocking recall: the share of true pairs that the blocking rules make candidates at all.

A pair that no rule brings together is never scored, so recall lost here is lost for good. Computed from
known true pairs (a labelled sample, or synthetic data's ground truth), in Python, with the same rules
Splink runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vigil.core.linkage.comparisons import BLOCKING_RULES, BlockingRule
from vigil.core.linkage.features import PreparedRecord


@dataclass(frozen=True, slots=True)
class BlockingRecall:
    """How many true pairs the rules find, overall and rule by rule."""

    true_pairs: int
    found: int
    by_rule: dict[str, int]

    @property
    def recall(self) -> float:
        return self.found / self.true_pairs if self.true_pairs else 1.0

    def __str__(self) -> str:
        rules = "; ".join(f"{name}: {n}" for name, n in self.by_rule.items())
        return f"blocking recall {self.recall:.4f} ({self.found}/{self.true_pairs} true pairs; {rules})"


def blocking_recall(records: Mapping[str, PreparedRecord], true_pairs: Iterable[tuple[str, str]],
                    rules: tuple[BlockingRule, ...] = BLOCKING_RULES) -> BlockingRecall:
    """Recall of ``rules`` on ``true_pairs`` (ids into ``records``; pairs with an unknown id are skipped)."""
    total = found = 0
    by_rule = {r.name: 0 for r in rules}
    for a_id, b_id in true_pairs:
        a, b = records.get(a_id), records.get(b_id)
        if a is None or b is None:
            continue
        total += 1
        hit = False
        for rule in rules:
            if rule.holds(a, b):
                by_rule[rule.name] += 1
                hit = True
        found += hit
    return BlockingRecall(total, found, by_rule)


#: A blocking key shared by more records than this is made narrower (see :func:`refine_blocking_keys`).
MAX_BLOCK = 100
#: The list keys that blocking explodes, and what narrows each, in turn, while it is still too common.
_NARROWED_BY: dict[str, tuple[str, ...]] = {
    "nm_pairs": ("birth_year", "prefecture"), "nm_years": ("prefecture", "sex"), "nm_places": ("birth_year", "sex"),
}
_BLOCK_NARROWED_BY = ("birth_year", "prefecture")


def refine_blocking_keys(records: Sequence[PreparedRecord], max_block: int = MAX_BLOCK) -> None:
    """Narrow the blocking keys too many records share, in place: a common name key is joined to the birth
    year (then, if still common, to the prefecture or sex) and dropped where that is unknown.

    Candidate pairs grow with the square of a block: a million records with common names would give
    billions of pairs. Dropping a common key loses little: two records that share only a common name (no
    birth year, no place) are as likely namesakes as one person, and no model should link them. Keys shared
    by at most ``max_block`` records are left as they are.
    """
    for column, narrowers in _NARROWED_BY.items():
        for narrower in narrowers:
            counts = Counter(k for r in records for k in getattr(r, column))
            common = {k for k, n in counts.items() if n > max_block}
            if not common:
                break
            for r in records:
                keys = getattr(r, column)
                if keys and not common.isdisjoint(keys):
                    extra = getattr(r, narrower)
                    setattr(r, column, tuple(k if k not in common else f"{k}|{extra}" for k in keys
                                             if k not in common or extra is not None))
    for narrower in _BLOCK_NARROWED_BY:
        counts = Counter(r.nm_block for r in records if r.nm_block)
        if not any(n > max_block for n in counts.values()):
            break
        for r in records:
            if r.nm_block and counts[r.nm_block] > max_block:
                extra = getattr(r, narrower)
                r.nm_block = f"{r.nm_block}|{extra}" if extra is not None else None
