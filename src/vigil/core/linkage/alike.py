"""The names-alike condition of the blocking rules on one name part, tested once per pair of distinct names.

The rules "a name part and the birth year agree" and "... the county agree" join the records on an exploded key
(a part's skeleton with the year or county) and keep a joined pair only when the two names are alike
(:func:`vigil.core.linkage.comparisons.names_alike`: nested list lambdas with Jaro-Winkler over the keys of both
names). The test depends on the two key lists alone, and names repeat heavily: on 243,818 synthetic records the
two rules join 12.8 M pairs of records (both prediction chunks), but only 4.0 M pairs of distinct key lists
(48,177 lists) share a key.

So before the rules run, DuckDB tests each such pair of names once, and keeps the alike ones (340,037) in a table;
the rules look a pair of records up there by the numbers of their key lists (:data:`NAME_ID`), through a macro
(:func:`create_alike_tables`). Splink's rule stays one SQL condition over ``l.`` and ``r.`` columns (a macro,
since Splink takes any column a subquery names for a column of the records). On those 243,818 records the two
rules took 6.5 s of CPU per prediction chunk with the lambdas, 1.7 s with the lookup, after 4.7 s to make the
table once; the candidate pairs are the same.

Spark has no such table: its rules compute the test (``BlockingRule.splink("spark")``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from vigil.core.linkage.comparisons import BLOCKING_RULES, NAME_ID, BlockingRule, _names_alike_sql, alike_macro
from vigil.core.linkage.features import PreparedRecord

NameIds = dict[tuple[str, ...], int]


def name_id_column(names: Sequence[PreparedRecord], ids: NameIds) -> pa.Array:
    """The number of each record's key list (:data:`NAME_ID`; null without keys), numbering new lists in ``ids``.

    Tables linked together (``link_only``'s left and right) must share ``ids``: equal numbers are equal lists.
    """
    return pa.array([ids.setdefault(r.nm_keys, len(ids)) if r.nm_keys else None for r in names], pa.int32())


def _rule_sql(rules: Iterable[Any]) -> str:
    """The SQL of Splink blocking rules, as settings hold them (dicts from a model file, or rule objects)."""
    texts = []
    for rule in rules:
        if isinstance(rule, dict):
            texts.append(str(rule.get("blocking_rule", "")))
        elif hasattr(rule, "get_blocking_rule"):
            texts.append(rule.get_blocking_rule("duckdb").blocking_rule_sql)
        else:
            texts.append(str(rule))
    return "\n".join(texts)


def create_alike_tables(con: duckdb.DuckDBPyConnection, tables: Sequence[str], rules: Iterable[Any],
                        blocking: Sequence[BlockingRule] = BLOCKING_RULES) -> None:
    """Make, on ``con``, the table and macro of alike names that Splink's blocking ``rules`` look up (none if the
    rules compute the test, as those of a model trained before the lookup did), over the records ``tables``.

    The table holds every alike pair of distinct key lists (both of two keys or more; by their numbers, the
    smaller first) that share a key some names-alike rule of ``blocking`` joins on. A pair of records such a
    rule joins shares that key, so its names are in the table exactly when they are alike. The keys of all such
    rules are pooled: a key of one that equals a key of another only adds pairs, each tested, so none is wrong.
    """
    text = _rule_sql(rules)
    thresholds = sorted({r.names_alike for r in blocking if r.names_alike is not None
                         and re.search(rf"\b{alike_macro(r.names_alike)}\(", text)})
    for at in thresholds:
        columns = [r.explode or r.columns[0] for r in blocking if r.names_alike == at]
        recs = " UNION ALL ".join(f"SELECT {NAME_ID}, nm_keys, {', '.join(columns)} FROM {t}" for t in tables)
        keyed = " UNION ALL ".join(f"SELECT {NAME_ID}, unnest({c}) AS k FROM recs WHERE len(nm_keys) >= 2"
                                   for c in columns)
        name = alike_macro(at)
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {name}_pairs AS
            WITH recs AS ({recs}),
            names AS (SELECT {NAME_ID}, any_value(nm_keys) AS nm_keys FROM recs WHERE len(nm_keys) >= 2
                      GROUP BY {NAME_ID}),
            keyed AS (SELECT DISTINCT {NAME_ID}, k FROM ({keyed})),
            pairs AS (SELECT DISTINCT a.{NAME_ID} AS lo, b.{NAME_ID} AS hi FROM keyed AS a JOIN keyed AS b
                      ON a.k = b.k AND a.{NAME_ID} < b.{NAME_ID})
            SELECT p.lo AS name_lo, p.hi AS name_hi FROM pairs AS p
            JOIN names AS l ON l.{NAME_ID} = p.lo JOIN names AS r ON r.{NAME_ID} = p.hi
            WHERE {_names_alike_sql("duckdb", at)}""")
        con.execute(f"CREATE OR REPLACE TEMP MACRO {name}(lo, hi) AS (lo, hi) IN (SELECT name_lo, name_hi FROM {name}_pairs)")
