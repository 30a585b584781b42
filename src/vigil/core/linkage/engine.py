"""Running the linkage model with Splink: training without labels, predicting, clustering.

vigil prepares the features (:mod:`features`), writes the comparisons (:mod:`comparisons`) and trains
(:mod:`training`); Splink generates candidate pairs from the blocking rules, estimates u by random sampling
and m by EM, and scores the pairs; vigil clusters them (:mod:`clustering`). Results come back as plain rows
(pyarrow and DuckDB, no pandas).
"""

from __future__ import annotations

import functools
import gc
import logging
import math
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, ParamSpec, TypeVar

import duckdb
import numpy as np
import pyarrow as pa

from vigil.core.linkage.alike import NameIds, create_alike_tables, name_id_column
from vigil.core.linkage.blocking import LIST_KEYS, refine_block_key, refine_blocking_keys, refine_list_keys
from vigil.core.linkage.clustering import ScoredPairs, average_linkage_nodes, component_nodes
from vigil.core.linkage.comparisons import (
    BLOCKING_RULES,
    NAME_ID,
    SIMILARITY_UDF,
    Comparison,
    all_comparisons,
    cached_similarity,
)
from vigil.core.linkage.features import FEATURE_COLUMNS, NAME_COLUMNS, PreparedRecord
from vigil.core.linkage.gcpause import paused_gc
from vigil.core.linkage.model import LinkageModel, score_pair
from vigil.core.linkage.training import Progress, settled, train

#: Scored pairs below this probability are not read back for clustering (see dedupe).
CLUSTER_FLOOR = 0.001
#: DuckDB's memory limit for a linkage run (it spills to a temporary folder beyond it).
DUCKDB_MEMORY_LIMIT = "2GB"
#: The most DuckDB may spill to its temporary folder.
DUCKDB_MAX_SPILL = "20GB"
#: Records per prediction chunk: bigger inputs are scored chunk by chunk, to bound memory. At a million
#: records, 200,000 peaked at 4.00 GB while scoring and 125,000 at 3.57 GB, for about 8 s more.
PREDICT_CHUNK = 125_000
_LIST_COLUMNS = {"nm_keys", "nm_forms", "nm_skels", "nm_pskels", "nm_pairs", "nm_bkeys", "nm_years", "nm_places", "nm_custody",
                 "nm_gforms", "nm_fforms", "facility"}
_INT_COLUMNS = {"birth_year", "detained_year", "detained_month", "detained_day"}
#: Name columns that depend on the name text alone (``nm_pairs`` is narrowed per record by the blocking).
_SHARED_NAME_COLUMNS = frozenset(NAME_COLUMNS) - {"nm_pairs", "nm_block"}
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(slots=True)
class RunSummary:
    """What a run did: for the end-of-run summary and for citing the model."""

    records: int
    candidate_pairs: int
    links: int
    model_id: str
    seconds: float
    clusters: int | None = None
    trained: bool = False


@dataclass(slots=True)
class DedupeResult:
    rows: list[tuple[str, str, float | None]]  # (id, cluster_id, best link probability or None)
    summary: RunSummary
    model: LinkageModel


@dataclass(slots=True)
class PairsResult:
    fields: list[str]  # per-field weight names, in column order
    rows: list[tuple[Any, ...]]  # (left_id, right_id, probability, weight, *field weights)
    summary: RunSummary
    model: LinkageModel = field(repr=False)


def _arrow_type(column: str) -> pa.DataType:
    if column == "nm_parts":
        return pa.list_(pa.list_(pa.string()))
    if column in _LIST_COLUMNS:
        return pa.list_(pa.string())
    return pa.int32() if column in _INT_COLUMNS else pa.string()


def _column(records: Sequence[PreparedRecord], column: str) -> pa.Array:
    """One feature column as an Arrow array; empty lists as nulls, so that a missing name is a null."""
    values = map(attrgetter(column), records)
    if column in _LIST_COLUMNS or column == "nm_parts":
        return pa.array([v or None for v in values], type=_arrow_type(column))
    return pa.array(list(values), type=_arrow_type(column))


def records_table(records: Sequence[PreparedRecord], *, unset: Collection[str] = (),
                  name_ids: NameIds | None = None) -> pa.Table:
    """Prepared records as an Arrow table (empty lists as nulls, so a missing name is a null), with the number of
    each record's name keys last (:data:`NAME_ID`, from ``name_ids``, which tables linked together share).

    The name columns are built once per distinct name text and spread to the records with ``take``: names
    repeat heavily, and Python lists of a million records' name features would cost gigabytes. The columns
    ``unset`` are all nulls (set them later with :func:`with_columns`).
    """
    index: dict[str, int] = {}
    names: list[PreparedRecord] = []
    rows: list[int | None] = []
    for rec in records:
        if rec.name is None:
            rows.append(None)
            continue
        i = index.get(rec.name)
        if i is None:
            i = index[rec.name] = len(names)
            names.append(rec)
        rows.append(i)
    take = pa.array(rows, pa.int32())
    arrays = {c: pa.nulls(len(records), _arrow_type(c)) if c in unset
              else _column(names, c).take(take) if c in _SHARED_NAME_COLUMNS else _column(records, c)
              for c in FEATURE_COLUMNS}
    arrays[NAME_ID] = name_id_column(names, {} if name_ids is None else name_ids).take(take)
    return pa.table(arrays)


def with_columns(table: pa.Table, records: Sequence[PreparedRecord], columns: Collection[str]) -> pa.Table:
    """``table`` with ``columns`` built again from ``records`` (the other columns are shared, not copied)."""
    for c in columns:
        table = table.set_column(table.schema.get_field_index(c), c, _column(records, c))
    return table


def used_comparisons(records: Sequence[PreparedRecord], name_similarity: str = "native") -> list[Comparison]:
    """The comparisons whose features some record has: a field no record carries is left out of the model."""
    present = {c for c in FEATURE_COLUMNS if any(getattr(r, c) not in (None, [], ()) for r in records)}
    return [c for c in all_comparisons(name_similarity) if present & set(c.columns)]


def build_settings(comparisons: Sequence[Comparison], *, link_type: str, dialect: str = "duckdb") -> dict[str, Any]:
    """Splink settings for vigil's model (comparisons and blocking rules) in ``dialect`` (duckdb or spark)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [c.splink_dict(dialect) for c in comparisons],
        "blocking_rules_to_generate_predictions": [r.splink(dialect) for r in BLOCKING_RULES],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "sql_dialect": dialect,
    }


def _similarity_arrow(a: pa.Array, b: pa.Array) -> pa.Array:
    """vigil's name similarity over a batch of name pairs (a vectorised DuckDB function: no numpy needed)."""
    return pa.array([cached_similarity(x, y) for x, y in zip(a.to_pylist(), b.to_pylist())], pa.float64())


def _connection(name_similarity: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    # DuckDB spills to disk past this, instead of growing until the machine kills the process.
    con.execute(f"SET memory_limit='{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory='{tempfile.gettempdir()}/vigil-linkage-duckdb'")
    # A run that would spill more than this fails instead of filling the disk.
    con.execute(f"SET max_temp_directory_size='{DUCKDB_MAX_SPILL}'")
    if name_similarity == "engine":
        con.create_function(SIMILARITY_UDF, _similarity_arrow, ["VARCHAR", "VARCHAR"], "DOUBLE",  # type: ignore[call-overload]
                            type="arrow", null_handling="special")
    return con


def _collected(run: Callable[P, R]) -> Callable[P, R]:
    """``run``, then the collector: Splink's linker and tables, left in reference cycles around the closed
    connection, are destroyed in this process. A process forked later (a web server's workers) whose collector
    destroyed them, without DuckDB's threads, died of SIGSEGV (the demo's first request, after its linkage run)."""
    @functools.wraps(run)
    def collected(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return run(*args, **kwargs)
        finally:
            gc.collect()

    return collected


def _linker(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], settings: dict[str, Any]) -> Any:
    from splink import DuckDBAPI, Linker  # noqa: PLC0415  (Splink is heavy: loaded only when linkage runs)

    db = DuckDBAPI(con)
    dfs = [db.register(t, dataset_display_name=name, table_name=f"vigil_{name}") for name, t in tables.items()]
    return Linker(dfs if len(dfs) > 1 else dfs[0], settings, log_level=logging.ERROR)


def _prepare_linker(tables: dict[str, pa.Table], records: Sequence[PreparedRecord], link_type: str,
                    model: LinkageModel | None, name_similarity: str, progress: Progress, *, weights: bool = False
                    ) -> tuple[duckdb.DuckDBPyConnection, Any, LinkageModel, bool]:
    """A connection and a Splink linker over ``tables`` with ``model``, trained on ``records`` first when None;
    and whether it was trained here."""
    trained = model is None
    if model is None:
        model = _train_apart(tables, records, link_type, used_comparisons(records, name_similarity),
                             name_similarity, progress)
    settings = dict(model.splink_settings, link_type=link_type, retain_intermediate_calculation_columns=weights)
    con = _connection(model.name_similarity)
    linker = _linker(con, tables, settings)
    create_alike_tables(con, [f"vigil_{name}" for name in tables], settings["blocking_rules_to_generate_predictions"])
    return con, linker, model, trained


def _train_apart(tables: dict[str, pa.Table], records: Sequence[PreparedRecord], link_type: str,
                 comparisons: Sequence[Comparison], name_similarity: str, progress: Progress) -> LinkageModel:
    """A model trained on ``tables`` (without labels), on a connection of its own: the model, as saved, is what
    every run scores with, trained here or given (see :func:`dedupe` for training beside other work)."""
    con = _connection(name_similarity)
    try:
        linker = _linker(con, tables, build_settings(comparisons, link_type=link_type))
        train(linker, records, progress)
        return LinkageModel(settled(linker.misc.save_model_to_json()), name_similarity,
                            trained_on={"records": len(records), "link_type": link_type})
    finally:
        con.close()


def _predict(linker: Any, n_records: int) -> Any:
    chunks = max(1, math.ceil(n_records / PREDICT_CHUNK))
    if chunks == 1:
        return linker.inference.predict(warning_mode="never")
    return linker.inference.predict(num_chunks_left=chunks, num_chunks_right=1, warning_mode="never")


#: An unscored pair counts in clustering when its fields other than the name weigh at most this (bits): when
#: nothing but its names speaks for it. On the real-name task -5 and 0 gave F1 0.962, +5 gave 0.943; on 25,000
#: synthetic persons 0.879, 0.880, 0.880.
CONTRADICTION = 0.0


def pair_evidence(model: LinkageModel, a: PreparedRecord, b: PreparedRecord) -> float | None:
    """What clustering may use of a pair: its probability, or None when it is unknown.

    A pair some blocking rule brings together was scored, and its probability is what Splink gave. A pair no
    rule brings together is two renderings whose names share no key: the model's name comparison then says
    "else" whether they are two people or one name read two ways (Ghopur / 吾甫尔 when a reading fails), so
    the pair is unknown when its other fields speak for one person (the same birth year, sex, county), and
    counts otherwise, above all when they contradict it (Нурбек Турсынбекович and Болат Ержан, born years
    apart, each linked to one list row by an identity number).
    """
    # A pair a rule left out only because its names are unlike (Abdulla Tursun, Abdulla Mamat) was read by
    # the rule: it counts as a scored pair would.
    if not any(rule.keys_agree(a, b) for rule in BLOCKING_RULES):
        # The other fields first: when they speak for one person the names, the dear comparison, are not needed.
        others = 0.0
        for comparison, weights in model.comparison_weights():
            if comparison.name != "name":
                others += weights[comparison.level_of(a, b)]
        if others > CONTRADICTION:
            return None
    return score_pair(model, a, b)[0]


def _kept_predictions(con: duckdb.DuckDBPyConnection, linker: Any, n_records: int, floor: float) -> tuple[str, int]:
    """Score every candidate pair, chunk by chunk; keep (unique_id_l, unique_id_r, match_probability) of those at
    or above ``floor`` in a table. Returns its name and the number of candidate pairs.

    Each chunk's scores are filtered as Splink makes them: at a million records nearly all of the 68 million
    candidate pairs are far below any threshold, and a table of a chunk's every score took most of DuckDB's
    memory (and one of them all, Splink's chunked ``predict``, a copy of them all, spilled to disk). The
    candidate pairs are counted on the chunk's blocked pairs, which Splink then scores from its cache.
    """
    chunks = max(1, math.ceil(n_records / PREDICT_CHUNK))
    kept = "vigil_kept_predictions"
    con.execute(f"CREATE OR REPLACE TABLE {kept} (unique_id_l VARCHAR, unique_id_r VARCHAR, match_probability DOUBLE)")
    # Splink filters on the match weight: a bit below the floor's, so that rounding between weight and
    # probability cannot drop a pair; the exact floor is applied on the probability, as before.
    below_floor = math.log2(floor / (1.0 - floor)) - 1.0 if floor > 0 else None
    n_pairs = 0
    for i in range(1, chunks + 1):
        blocked = linker.inference.compute_blocked_pairs_for_predict_chunk(left_chunk=(i, chunks), right_chunk=(1, 1))
        n_pairs += con.sql(f"SELECT count(*) FROM {blocked.physical_name}").fetchall()[0][0]
        chunk = linker.inference.predict_chunk(left_chunk=(i, chunks), right_chunk=(1, 1),
                                               threshold_match_weight=below_floor, warning_mode="never")
        blocked.drop_table_from_database_and_remove_from_cache()
        con.execute(f"INSERT INTO {kept} SELECT unique_id_l, unique_id_r, match_probability "
                    f"FROM {chunk.physical_name} WHERE match_probability >= {floor!r}")
        chunk.drop_table_from_database_and_remove_from_cache()
    return kept, n_pairs


@_collected
def dedupe(records: Sequence[PreparedRecord], *, model: LinkageModel | None = None, threshold: float | None = None,
           name_similarity: str = "engine", progress: Progress | None = None) -> DedupeResult:
    """Cluster records that are probably one person; each record's best link into its cluster.

    Trains a model on the records themselves (no labels) unless ``model`` is given.
    """
    say = progress or (lambda _step: None)
    start = time.perf_counter()
    with paused_gc():
        refine_block_key(records)
        table = records_table(records, unset=LIST_KEYS)
    trained = model is None
    with ThreadPoolExecutor(1) as pool:
        # Training reads no list key (its rules block on other columns): it runs on DuckDB's threads while
        # Python narrows those keys (at a million records, 9 s, hidden in the 16 s training takes).
        comparisons = used_comparisons(records, name_similarity) if model is None else []
        training = None if model is not None else pool.submit(
            _train_apart, {"records": table}, records, "dedupe_only", comparisons, name_similarity, say)
        with paused_gc():
            refine_list_keys(records)
            table = with_columns(table, records, LIST_KEYS)
        if training is not None:
            model = training.result()
    con, linker, model, _ = _prepare_linker({"records": table}, records, "dedupe_only", model, name_similarity, say)
    threshold = model.threshold if threshold is None else threshold
    say("scoring candidate pairs")
    kept, n_pairs = _kept_predictions(con, linker, len(records), min(CLUSTER_FLOOR, threshold))
    with paused_gc():
        links, big, against = _links_and_against(con, kept, threshold)
        con.close()
        say("clustering")
        return _clustered(records, links, big, against, model, threshold, n_pairs, trained, start)


def _links_and_against(con: duckdb.DuckDBPyConnection, kept: str, threshold: float
                       ) -> tuple[ScoredPairs, np.ndarray, ScoredPairs]:
    """The links (pairs at or above ``threshold``), whether each linked record is in a component that average
    linkage must cluster, and the scored pairs below the threshold inside such a component.

    The linked records are the nodes of all three (see :class:`ScoredPairs`): DuckDB numbers them in the order
    of their ids (it compares strings byte by byte, in UTF-8: the order of Python's strings), and the pairs come
    back as columns of node numbers, not as a million tuples of strings.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE vigil_links AS SELECT unique_id_l, unique_id_r, match_probability "
                f"FROM {kept} WHERE match_probability >= {threshold!r}")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE vigil_nodes AS
        SELECT id, CAST(row_number() OVER (ORDER BY id) - 1 AS INTEGER) AS node
        FROM (SELECT unique_id_l AS id FROM vigil_links UNION SELECT unique_id_r FROM vigil_links)""")
    ids = con.sql("SELECT id FROM vigil_nodes ORDER BY node").to_arrow_table().column(0).to_pylist()
    columns = con.sql("""
        SELECT l.node AS a, r.node AS b, k.match_probability AS p FROM vigil_links AS k
        JOIN vigil_nodes AS l ON l.id = k.unique_id_l
        JOIN vigil_nodes AS r ON r.id = k.unique_id_r""").fetchnumpy()
    links = ScoredPairs(ids, columns["a"], columns["b"], columns["p"])
    # The pairs below the threshold are the evidence against merging clusters. Only those inside one connected
    # component of three or more linked records can matter (average linkage never joins two components, and a
    # component of two is its one link), so only they are read back; those below CLUSTER_FLOOR are left out,
    # to bound memory, and scored again in Python (pair_evidence) when a merge needs them. A component whose
    # records are all linked to each other (every pair scored, each clear of the threshold by more than
    # rounding) is one cluster too: every average average linkage could take there is above the threshold.
    n = len(ids)
    component = component_nodes(n, links.left, links.right)
    size = np.bincount(component, minlength=n)
    within = np.bincount(component[links.left], minlength=n)
    weakest = np.ones(n)
    np.minimum.at(weakest, component[links.left], links.probability)
    clique = (within == size * (size - 1) // 2) & (weakest >= threshold + 1e-9)
    big = (size >= 3)[component] & ~clique[component]
    against = ScoredPairs(ids, *(np.zeros(0, dtype=np.int32),) * 2, np.zeros(0))
    if big.any():
        nodes = np.flatnonzero(big)
        con.register("vigil_members_arrow", pa.table({"node": nodes.astype(np.int32),
                                                      "component": component[nodes].astype(np.int32)}))
        con.execute("CREATE OR REPLACE TEMP TABLE vigil_members AS SELECT n.id, m.node, m.component "
                    "FROM vigil_members_arrow AS m JOIN vigil_nodes AS n USING (node)")
        columns = con.sql(f"""
            SELECT l.node AS a, r.node AS b, p.match_probability AS p FROM {kept} AS p
            JOIN vigil_members AS l ON l.id = p.unique_id_l
            JOIN vigil_members AS r ON r.id = p.unique_id_r
            WHERE p.match_probability < {threshold!r}
              AND l.component = r.component""").fetchnumpy()
        against = ScoredPairs(ids, columns["a"], columns["b"], columns["p"])
    return links, big, against


def _clustered(records: Sequence[PreparedRecord], links: ScoredPairs, big: np.ndarray, against: ScoredPairs,
               model: LinkageModel, threshold: float, n_pairs: int, trained: bool, start: float) -> DedupeResult:
    """Cluster the linked records (see :func:`dedupe`) and give each record its cluster and best link."""
    ids = [r.unique_id for r in records]
    # Records in the order of their ids: a record's place in it is its rank, and a linked record's rank is found
    # from its id by bisection (numpy compares strings by code point, as Python does).
    text = np.array(ids, dtype=str)
    order = np.argsort(text, kind="stable")
    in_order = text[order]
    rank_of_node = np.searchsorted(in_order, np.array(links.ids, dtype=str)) if links.ids else np.zeros(0, int)
    # Average linkage runs on the components marked big; any other component (two records and their link, or
    # records all linked to each other) is one cluster, and a record without links is alone. Clusters are named
    # by their smallest node, which is their smallest id.
    outside = ~big[links.left]
    cluster = component_nodes(len(links.ids), links.left[outside], links.right[outside])
    nodes = np.flatnonzero(big)
    if len(nodes):
        local = np.cumsum(big) - 1
        inside = big[links.left]
        left = local[np.concatenate([links.left[inside], against.left])]
        right = local[np.concatenate([links.right[inside], against.right])]
        probability = np.concatenate([links.probability[inside], against.probability])
        record = [records[i] for i in order[rank_of_node[nodes]].tolist()]
        # Average linkage asks again for the pairs of two clusters each time a link between them is tried.
        evidence: dict[tuple[int, int], float | None] = {}

        def score(a: int, b: int) -> float | None:
            try:
                return evidence[(a, b)]
            except KeyError:
                q = evidence[(a, b)] = pair_evidence(model, record[a], record[b])
                return q

        cluster[nodes] = nodes[average_linkage_nodes(len(nodes), left, right, probability, threshold, score)]
    same = cluster[links.left] == cluster[links.right]
    best_of_node = np.full(len(links.ids), -1.0)
    np.maximum.at(best_of_node, links.left[same], links.probability[same])
    np.maximum.at(best_of_node, links.right[same], links.probability[same])
    # By rank: each record's cluster (the rank of its smallest id) and best link (-1: none).
    cluster_rank = np.arange(len(ids))
    cluster_rank[rank_of_node] = rank_of_node[cluster]
    best = np.full(len(ids), -1.0)
    best[rank_of_node] = best_of_node
    # By cluster, then id: a stable sort of the ranks (already by id) by their cluster's rank.
    rows_order = np.argsort(cluster_rank, kind="stable")
    named = [ids[i] for i in order.tolist()]
    rows = [(named[r], named[c], p if p >= 0.0 else None)
            for r, c, p in zip(rows_order.tolist(), cluster_rank[rows_order].tolist(), best[rows_order].tolist())]
    n_clusters = int(np.count_nonzero(cluster_rank == np.arange(len(ids))))
    summary = RunSummary(len(records), n_pairs, len(links), model.model_id, time.perf_counter() - start,
                         n_clusters, trained)
    return DedupeResult(rows, summary, model)


@_collected
def link_pairs(left: Sequence[PreparedRecord], right: Sequence[PreparedRecord], *, model: LinkageModel | None = None,
               threshold: float | None = None, name_similarity: str = "engine",
               progress: Progress | None = None) -> PairsResult:
    """Pairs of a left and a right record that are probably one person, with each field's weight."""
    say = progress or (lambda _step: None)
    start = time.perf_counter()
    refine_blocking_keys([*left, *right])
    name_ids: NameIds = {}
    tables = {"left": records_table(left, name_ids=name_ids), "right": records_table(right, name_ids=name_ids)}
    con, linker, model, trained = _prepare_linker(
        tables, [*left, *right], "link_only", model, name_similarity, say, weights=True)
    threshold = model.threshold if threshold is None else threshold
    say("scoring candidate pairs")
    predictions = _predict(linker, max(len(left), len(right)))
    table = predictions.physical_name
    n_pairs = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    names = [c["output_column_name"] for c in model.splink_settings["comparisons"]]
    weights = ", ".join(f"mw_{n}" for n in names)
    rows = con.sql(f"""
        SELECT CASE WHEN source_dataset_l = 'left' THEN unique_id_l ELSE unique_id_r END AS left_id,
               CASE WHEN source_dataset_l = 'left' THEN unique_id_r ELSE unique_id_l END AS right_id,
               match_probability, match_weight, {weights}
        FROM {table} WHERE match_probability >= {threshold!r}
        ORDER BY left_id, match_probability DESC, right_id""").fetchall()
    con.close()
    summary = RunSummary(len(left) + len(right), n_pairs, len(rows), model.model_id,
                         time.perf_counter() - start, None, trained)
    return PairsResult(names, rows, summary, model)


@_collected
def predict_dedupe(records: Sequence[PreparedRecord], *, model: LinkageModel | None = None,
                   threshold: float | None = None, name_similarity: str = "engine",
                   progress: Progress | None = None) -> PairsResult:
    """Pairs within one list that are probably one person, with each field's weight (no clustering).

    Rows are (id, other id, probability, weight, *field weights), like :func:`link_pairs`.
    """
    say = progress or (lambda _step: None)
    start = time.perf_counter()
    refine_blocking_keys(records)
    con, linker, model, trained = _prepare_linker(
        {"records": records_table(records)}, records, "dedupe_only", model, name_similarity, say, weights=True)
    threshold = model.threshold if threshold is None else threshold
    say("scoring candidate pairs")
    predictions = _predict(linker, len(records))
    table = predictions.physical_name
    n_pairs = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    names = [c["output_column_name"] for c in model.splink_settings["comparisons"]]
    weights = ", ".join(f"mw_{n}" for n in names)
    rows = con.sql(f"""
        SELECT unique_id_l, unique_id_r, match_probability, match_weight, {weights}
        FROM {table} WHERE match_probability >= {threshold!r}
        ORDER BY unique_id_l, match_probability DESC, unique_id_r""").fetchall()
    con.close()
    summary = RunSummary(len(records), n_pairs, len(rows), model.model_id, time.perf_counter() - start, None, trained)
    return PairsResult(names, rows, summary, model)
