"""The names-alike table the one-part blocking rules look up (DuckDB) holds exactly the alike pairs of names that
share a key, and Splink's rules with it make the candidate pairs the computed condition makes."""

from __future__ import annotations

import logging
from itertools import combinations

import duckdb
import pytest

from vigil.core.linkage import alike, prepare_record
from vigil.core.linkage.alike import create_alike_tables
from vigil.core.linkage.comparisons import (
    BLOCKING_RULES,
    NAME_ID,
    NAMES_ALIKE,
    alike_macro,
    names_alike,
    names_alike_sql,
)
from vigil.core.linkage.engine import _connection, _linker, records_table

WORDS = ["abdulla", "abtula", "tursun", "tursan", "mamat", "mahmut", "ablat", "kasim", "nurmamat", "turdi"]


def _records() -> list:
    """Names of one to five parts from a few close and unlike words (and a few in other scripts),
    each thrice over two counties and birth years (and once with a facility and a year of detention): many pairs share a key, some are alike, most are not."""
    names = [" ".join(WORDS[(i * 7 + j * 3) % len(WORDS)] for j in range(n)) for i in range(10) for n in range(1, 6)]
    names += ["Абдулла Турсун", "Турсун Абдулла Мамат", "Abdullah Tursunov", "Чжан Сэцзюнь", "Чжан Сюэцзюнь"]
    return [prepare_record({"id": f"{k}-{i}", "full_name": name, "birth_year": 1980 + k % 2,
                            "place": "653227" if k else "650102", "facility": "Kashgar Prison" if k == 2 else None,
                            "detained_date": "2018" if k == 2 else None})
            for i, name in enumerate(names) for k in range(3)]


@pytest.fixture(params=["numpy", "duckdb"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The table made in numpy (the keys' closeness as a bitmap) or, past MAX_KEYS keys, in DuckDB."""
    if request.param == "duckdb":
        monkeypatch.setattr(alike, "MAX_KEYS", 0)
    return str(request.param)


def test_the_table_holds_exactly_the_alike_pairs_that_share_a_key(path: str) -> None:
    recs = _records()
    table = records_table(recs)
    con = duckdb.connect()
    con.register("vigil_records", table)
    create_alike_tables(con, ["vigil_records"], [r.splink("duckdb") for r in BLOCKING_RULES])
    got = set(con.sql(f"SELECT name_lo, name_hi FROM {alike_macro(NAMES_ALIKE)}_pairs").fetchall())
    number = dict(zip(table.column("unique_id").to_pylist(), table.column(NAME_ID).to_pylist(), strict=True))
    want = set()
    for a, b in combinations(recs, 2):
        lo, hi = sorted((number[a.unique_id], number[b.unique_id]))
        shared = (set(a.nm_years) | set(a.nm_places)) & (set(b.nm_years) | set(b.nm_places))
        if lo != hi and shared and min(len(a.nm_keys), len(b.nm_keys)) >= 2 and names_alike(a, b, NAMES_ALIKE):
            want.add((lo, hi))
    assert got == want
    assert len(got) >= 10
    # Some pairs that share a key are unlike, and some alike pairs have names of different lengths.
    assert any(a.nm_keys and b.nm_keys and set(a.nm_years) & set(b.nm_years) and min(len(a.nm_keys), len(b.nm_keys)) >= 2
               and not names_alike(a, b, NAMES_ALIKE) for a, b in combinations(recs, 2))
    lengths = {len(a.nm_keys): a for a in recs}
    assert any((number[a.unique_id], number[b.unique_id]) in got and len(a.nm_keys) != len(b.nm_keys)
               for a in lengths.values() for b in recs)


def test_the_rules_that_look_up_make_the_pairs_the_computed_condition_makes(path: str) -> None:
    """Splink's candidate pairs with the lookup (DuckDB) are those of the rules that compute the test."""
    from splink.blocking_rule_library import CustomRule

    recs = _records()
    table = records_table(recs)
    number = dict(zip(table.column("unique_id").to_pylist(), table.column(NAME_ID).to_pylist(), strict=True))
    computed = [CustomRule(" AND ".join(f"l.{c} = r.{c}" for c in r.columns) + " AND "
                           + names_alike_sql("duckdb", r.names_alike), arrays_to_explode=[r.explode])
                if r.names_alike is not None else r.splink("duckdb") for r in BLOCKING_RULES]
    looked_up = [r.splink("duckdb") for r in BLOCKING_RULES]
    assert computed != looked_up

    def pairs(rules: list) -> set[tuple[str, str]]:
        con = _connection("native")
        settings = {"link_type": "dedupe_only", "unique_id_column_name": "unique_id", "comparisons": [],
                    "blocking_rules_to_generate_predictions": rules}
        linker = _linker(con, {"records": table}, settings)
        create_alike_tables(con, ["vigil_records"], rules)
        blocked = linker.inference.compute_blocked_pairs_for_predict_chunk(left_chunk=(1, 1), right_chunk=(1, 1))
        return set(con.sql(f"SELECT join_key_l, join_key_r FROM {blocked.physical_name}").fetchall())

    logging.getLogger("splink").setLevel(logging.ERROR)
    got, want = pairs(looked_up), pairs(computed)
    assert got == want
    # Each rule alone too (with the others, a pair of equal names is found by an earlier rule first).
    for i, rule in enumerate(BLOCKING_RULES):
        if rule.names_alike is not None:
            alone = pairs([looked_up[i]])
            assert alone == pairs([computed[i]])
            assert any(number[a] == number[b] for a, b in alone)
    described = {tuple(sorted((a.unique_id, b.unique_id))) for a, b in combinations(recs, 2)
                 if any(rule.holds(a, b) for rule in BLOCKING_RULES)}
    assert {tuple(sorted(p)) for p in got} == described


def test_a_rule_that_computes_the_test_needs_no_table() -> None:
    """A model trained before the lookup computes the test in its rules: no table is made for it."""
    con = duckdb.connect()
    con.register("vigil_records", records_table(_records()))
    rule = {"blocking_rule": "l.nm_years = r.nm_years AND " + names_alike_sql("duckdb", NAMES_ALIKE)}
    create_alike_tables(con, ["vigil_records"], [rule])
    assert not con.sql("SELECT * FROM duckdb_tables() WHERE table_name LIKE 'vigil_names_alike%'").fetchall()
