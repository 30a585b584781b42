"""The names-alike condition of the blocking rules on one name part, tested once per pair of distinct names.

The rules "a name part and the birth year agree", "... the county agree" and "... a facility agree" join the
records on an exploded key (a part's skeleton with the year, the county, or a facility and the year of
detention) and keep a joined pair only when the two names are alike
(:func:`vigil.core.linkage.comparisons.names_alike`: nested list lambdas with Jaro-Winkler over the keys of both
names). The test depends on the two key lists alone, and names repeat heavily: on 243,818 synthetic records the
two rules join 12.8 M pairs of records (both prediction chunks), but only 4.0 M pairs of distinct key lists
(48,177 lists) share a key.

So before the rules run, the pairs of names that share a key are tested once each, and the alike ones (340,037)
kept in a table; the rules look a pair of records up there by the numbers of their key lists (:data:`NAME_ID`),
through a macro (:func:`create_alike_tables`). Splink's rule stays one SQL condition over ``l.`` and ``r.``
columns (a macro, since Splink takes any column a subquery names for a column of the records). The test itself
runs in numpy over a bitmap of which keys are close (:class:`KeyCloseness`), or in DuckDB with the rules' own
lambdas when the keys are too many for the bitmap.

On those 243,818 records (100k synthetic persons) the kept predictions are identical, and scoring took 33.6 s
of CPU instead of 40.5 s: the two rules took 6.5 s per prediction chunk with the lambdas and 1.7 s with the
lookup, after 2.1 s to make the table once (5.8 s with the lambdas in DuckDB instead of numpy).

Spark has no such table: its rules compute the test (``BlockingRule.splink("spark")``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from vigil.core.linkage.comparisons import BLOCKING_RULES, NAME_ID, BlockingRule, names_alike_sql, alike_macro
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
            CREATE OR REPLACE TEMP TABLE {name}_names AS
            WITH recs AS ({recs})
            SELECT {NAME_ID}, any_value(nm_keys) AS nm_keys FROM recs WHERE len(nm_keys) >= 2 GROUP BY {NAME_ID}""")
        # Pairs of names sharing a key, once per key they share: removing the repeats here cost more (0.7 s of
        # CPU on 6.1 M rows at 243,818 records) than testing them (0.25 s); the few alike pairs are made distinct.
        candidates = f"""
            WITH recs AS ({recs}), keyed AS (SELECT DISTINCT {NAME_ID}, k FROM ({keyed}))
            SELECT a.{NAME_ID} AS name_lo, b.{NAME_ID} AS name_hi FROM keyed AS a JOIN keyed AS b
            ON a.k = b.k AND a.{NAME_ID} < b.{NAME_ID}"""
        names = con.sql(f"SELECT {NAME_ID}, nm_keys FROM {name}_names").fetchall()
        closeness = KeyCloseness.of(names, at)
        if closeness is None:
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE {name}_pairs AS SELECT DISTINCT p.name_lo, p.name_hi FROM ({candidates}) AS p
                JOIN {name}_names AS l ON l.{NAME_ID} = p.name_lo JOIN {name}_names AS r ON r.{NAME_ID} = p.name_hi
                WHERE {names_alike_sql("duckdb", at)}""")
        else:
            reader = con.sql(candidates).to_arrow_reader(_BATCH)
            alike = pa.Table.from_batches((closeness.alike(batch) for batch in reader), schema=_SCHEMA)
            con.register(f"{name}_arrow", alike)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_pairs AS SELECT DISTINCT * FROM {name}_arrow")
            con.unregister(f"{name}_arrow")
        con.execute(f"DROP TABLE {name}_names")
        con.execute(f"CREATE OR REPLACE TEMP MACRO {name}(lo, hi) AS (lo, hi) IN (SELECT name_lo, name_hi FROM {name}_pairs)")


#: Pairs of names tested per batch in numpy (bounds the arrays of a batch to some tens of megabytes).
_BATCH = 1 << 20
#: Above this many distinct keys the Jaro-Winkler of every pair of keys (K² of them, a bitmap of K² bits) would
#: cost more than testing the pairs of names in DuckDB; 243,818 synthetic records have 4,164 keys (0.3 s).
MAX_KEYS = 16_000
_SCHEMA = pa.schema([("name_lo", pa.int32()), ("name_hi", pa.int32())])


@dataclass(frozen=True, slots=True)
class KeyCloseness:
    """Which keys are close (Jaro-Winkler at ``at`` or above, as :func:`names_alike` computes it), for every pair
    of the distinct keys of the names, and each name's keys by number: the test of a pair of names is then a few
    bitmap lookups in numpy.

    The lambdas in DuckDB compute Jaro-Winkler again for each pair of names, most keys many times: 4.0 M pairs of
    names on 243,818 records took 3.5 s of CPU, against 0.3 s for all 17 M pairs of their 4,164 keys (rapidfuzz,
    which :func:`names_alike` uses) and 1.2 s for the lookups. Both give the same 340,037 alike pairs.
    """

    close: np.ndarray  # (K, ceil(K / 8)) uint8: bit y % 8 of byte [x, y // 8] is set when key x is close to key y
    keys: np.ndarray  # (names, longest) int32: each name's key numbers, -1 past its last
    length: np.ndarray  # (names,) int32: each name's number of keys

    @classmethod
    def of(cls, names: Sequence[tuple[int, Sequence[str]]], at: float) -> KeyCloseness | None:
        """The closeness of the keys of ``names`` (name number, keys); None when they have over MAX_KEYS keys."""
        distinct = sorted({k for _, keys in names for k in keys})
        if len(distinct) > MAX_KEYS:
            return None
        number = {k: i for i, k in enumerate(distinct)}
        size = max((i for i, _ in names), default=-1) + 1
        longest = max((len(keys) for _, keys in names), default=0)
        keys = np.full((size, longest), -1, np.int32)
        length = np.zeros(size, np.int32)
        for i, ks in names:
            keys[i, :len(ks)] = [number[k] for k in ks]
            length[i] = len(ks)
        close = np.zeros((len(distinct), (len(distinct) + 7) // 8), np.uint8)
        for start in range(0, len(distinct), 1024):
            scores = cdist(distinct[start:start + 1024], distinct, scorer=JaroWinkler.similarity, dtype=np.float64,
                           workers=-1)
            close[start:start + 1024] = np.packbits(scores >= at, axis=1, bitorder="little")
        return cls(close, keys, length)

    def _close(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return ((self.close[x, y >> 3] >> (y & 7)) & 1).astype(bool)

    def alike(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The pairs of ``batch`` (name_lo, name_hi: names of two keys or more) whose names are alike."""
        lo = batch.column(0).to_numpy()
        hi = batch.column(1).to_numpy()
        la, lb = self.length[lo], self.length[hi]
        ok = np.zeros(len(lo), bool)
        for a in np.flatnonzero(np.bincount(la)):
            for b in np.flatnonzero(np.bincount(lb[la == a])):
                rows = np.flatnonzero((la == a) & (lb == b))
                ka, kb = self.keys[lo[rows], :a], self.keys[hi[rows], :b]
                if a <= b:  # every key of lo has a close key in hi (Jaro-Winkler of lo's key against hi's)
                    ab = np.ones(len(rows), bool)
                    for i in range(a):
                        ab &= np.logical_or.reduce([self._close(ka[:, i], kb[:, j]) for j in range(b)])
                    ok[rows] |= ab
                if b <= a:  # and the other way round, each Jaro-Winkler with hi's key first, as the SQL does
                    ba = np.ones(len(rows), bool)
                    for j in range(b):
                        ba &= np.logical_or.reduce([self._close(kb[:, j], ka[:, i]) for i in range(a)])
                    ok[rows] |= ba
        return pa.RecordBatch.from_arrays([pa.array(lo[ok], pa.int32()), pa.array(hi[ok], pa.int32())],
                                          schema=_SCHEMA)
