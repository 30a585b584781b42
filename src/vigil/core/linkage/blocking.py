"""Blocking recall: the share of true pairs that the blocking rules make candidates at all.

A pair that no rule brings together is never scored, so recall lost here is lost for good. Computed from
known true pairs (a labelled sample, or synthetic data's ground truth), in Python, with the same rules
Splink runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

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
    "nm_custody": ("birth_year", "sex"),
}
_BLOCK_NARROWED_BY = ("birth_year", "prefecture")


def _narrowed(records: Sequence[PreparedRecord], column: str, narrower: str, common: set[str],
              counts: Counter[str]) -> Counter[str]:
    """Join the ``common`` keys of ``column`` to each record's ``narrower`` (drop them where it is unknown), in
    place; return the counts of the keys after, from ``counts`` (the counts before): only the new keys are
    counted, since the others are where they were.
    """
    keys_of = attrgetter(column)
    added: list[str] = []
    for r in records:
        keys = keys_of(r)
        if keys and not common.isdisjoint(keys):
            extra = getattr(r, narrower)
            if extra is None:
                setattr(r, column, tuple(k for k in keys if k not in common))
            else:
                new = [f"{k}|{extra}" if k in common else k for k in keys]
                setattr(r, column, tuple(new))
                added.extend(n for n, k in zip(new, keys) if n is not k)
    after = Counter({k: n for k, n in counts.items() if k not in common})
    after.update(added)
    return after


#: The list keys that blocking explodes: what :func:`refine_list_keys` narrows.
LIST_KEYS: tuple[str, ...] = tuple(_NARROWED_BY)


def refine_blocking_keys(records: Sequence[PreparedRecord], max_block: int = MAX_BLOCK) -> None:
    """Narrow the blocking keys too many records share, in place: a common name key is joined to the birth
    year (then, if still common, to the prefecture or sex) and dropped where that is unknown.

    Candidate pairs grow with the square of a block: a million records with common names would give
    billions of pairs. Dropping a common key loses little: two records that share only a common name (no
    birth year, no place) are as likely namesakes as one person, and no model should link them. Keys shared
    by at most ``max_block`` records are left as they are.
    """
    refine_list_keys(records, max_block)
    refine_block_key(records, max_block)


def refine_list_keys(records: Sequence[PreparedRecord], max_block: int = MAX_BLOCK) -> None:
    """:func:`refine_blocking_keys` for the list keys (:data:`LIST_KEYS`) alone."""
    for column, narrowers in _NARROWED_BY.items():
        counts = Counter(chain.from_iterable(map(attrgetter(column), records)))
        for narrower in narrowers:
            common = {k for k, n in counts.items() if n > max_block}
            if not common:
                break
            counts = _narrowed(records, column, narrower, common, counts)


def refine_block_key(records: Sequence[PreparedRecord], max_block: int = MAX_BLOCK) -> None:
    """:func:`refine_blocking_keys` for the name written as one (``nm_block``) alone."""
    for narrower in _BLOCK_NARROWED_BY:
        blocks = Counter(filter(None, map(attrgetter("nm_block"), records)))
        common = {k for k, n in blocks.items() if n > max_block}
        if not common:
            break
        for r in records:
            if r.nm_block in common:
                extra = getattr(r, narrower)
                r.nm_block = f"{r.nm_block}|{extra}" if extra is not None else None
