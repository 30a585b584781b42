"""Reading scored pairs back from DuckDB and clustering them (engine._links_and_against, engine._clustered)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from vigil.core.linkage.engine import _clustered, _links_and_against
from vigil.core.linkage.features import PreparedRecord
from vigil.core.linkage.model import LinkageModel

#: ids whose bytes, code points and letters order differently: DuckDB must number them as Python orders them.
PAIRS = [
    ("吾1", "Ж1", 0.95), ("Ж1", "a10", 0.9), ("a10", "吾1", 0.02),  # namesakes: a chain of three
    ("a9", "B2", 0.8),  # a pair
    ("z", "Ж1", 0.3),  # below the threshold, outside every component of three
    ("a9", "a10", 0.4),  # below the threshold, between two components
]


def _kept() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE kept (unique_id_l VARCHAR, unique_id_r VARCHAR, match_probability DOUBLE)")
    con.executemany("INSERT INTO kept VALUES (?, ?, ?)", PAIRS)
    return con


def test_linked_ids_are_numbered_in_the_order_python_gives_them() -> None:
    """Node numbers follow Python's order of the ids, and each link, and each pair against inside a component of
    three, comes back as the nodes of its two ids."""
    links, big, against = _links_and_against(_kept(), "kept", 0.5)
    assert links.ids == sorted({x for a, b, p in PAIRS if p >= 0.5 for x in (a, b)})
    got = {(links.ids[a], links.ids[b], p) for a, b, p in
           zip(links.left.tolist(), links.right.tolist(), links.probability.tolist())}
    assert got == {e for e in PAIRS if e[2] >= 0.5}
    assert {x for x, inside in zip(links.ids, big.tolist()) if inside} == {"吾1", "Ж1", "a10"}
    assert [(against.ids[a], against.ids[b], p) for a, b, p in
            zip(against.left.tolist(), against.right.tolist(), against.probability.tolist())] == [PAIRS[2]]


def test_rows_are_by_cluster_then_id_with_each_records_best_link() -> None:
    """The namesakes' chain splits (the pair of them was scored unlikely), the pair is one cluster named by its
    smallest id, and a record without links is alone without a best link."""
    con = _kept()
    links, big, against = _links_and_against(con, "kept", 0.5)
    records = [PreparedRecord(x) for x in ("z", "吾1", "a10", "Ж1", "B2", "a9", "q")]
    result = _clustered(records, links, big, against, LinkageModel({}), 0.5, 6, False, 0.0)
    assert result.rows == [
        ("B2", "B2", 0.8), ("a9", "B2", 0.8), ("a10", "a10", None), ("q", "q", None), ("z", "z", None),
        ("Ж1", "Ж1", 0.95), ("吾1", "Ж1", 0.95)]
    assert result.summary.clusters == 5 and result.summary.links == 3


def test_nothing_linked_leaves_every_record_alone() -> None:
    """Without a pair at or above the threshold every record is its own cluster."""
    con = _kept()
    links, big, against = _links_and_against(con, "kept", 0.99)
    assert len(links) == 0 and len(against) == 0 and not np.any(big)
    result = _clustered([PreparedRecord("b"), PreparedRecord("a")], links, big, against, LinkageModel({}), 0.99,
                        6, False, 0.0)
    assert result.rows == [("a", "a", None), ("b", "b", None)]


def test_records_all_linked_to_each_other_are_one_cluster_without_average_linkage() -> None:
    """Three records whose three pairs are links are one cluster, left out of average linkage; a link at the
    threshold itself, which rounding could put on either side of an average, keeps its component in it."""
    con = duckdb.connect()
    con.execute("CREATE TABLE kept (unique_id_l VARCHAR, unique_id_r VARCHAR, match_probability DOUBLE)")
    con.executemany("INSERT INTO kept VALUES (?, ?, ?)", [
        ("c", "a", 0.9), ("a", "b", 0.6), ("b", "c", 0.7),
        ("x", "y", 0.9), ("y", "z", 0.5), ("x", "z", 0.8)])
    links, big, against = _links_and_against(con, "kept", 0.5)
    assert {x for x, inside in zip(links.ids, big.tolist()) if inside} == {"x", "y", "z"}
    records = [PreparedRecord(x) for x in "abcxyz"]
    result = _clustered(records, links, big, against, LinkageModel({}), 0.5, 6, False, 0.0)
    assert [(x, c) for x, c, _p in result.rows] == [
        ("a", "a"), ("b", "a"), ("c", "a"), ("x", "x"), ("y", "x"), ("z", "x")]
    assert [p for _x, _c, p in result.rows] == [0.9, 0.7, 0.9, 0.9, 0.9, 0.8]


def test_a_process_forked_after_a_run_can_collect_its_garbage(tmp_path: Path) -> None:
    """Splink's objects around a run's closed DuckDB connection are destroyed in the run's process: a web
    server forked after the demo's linkage run had its workers die of SIGSEGV in their collector."""
    import subprocess
    import sys

    people = Path(__file__).resolve().parents[2] / "testdata" / "linkage" / "people.csv"
    script = tmp_path / "fork.py"
    script.write_text(f"""
import gc, os
from vigil.core.linkage import prepare_record, read_records
from vigil.core.linkage.engine import predict_dedupe
predict_dedupe([prepare_record(r) for r in read_records({str(people)!r})], threshold=0.5)
pid = os.fork()
if pid == 0:
    gc.collect()
    os._exit(0)
_, status = os.waitpid(pid, 0)
raise SystemExit(f"child killed by signal {{os.WTERMSIG(status)}}" if os.WIFSIGNALED(status) else 0)
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
