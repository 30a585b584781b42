"""The same trained model on Splink's Spark backend (skipped where pyspark or Java is missing)."""

from __future__ import annotations

import logging
import shutil
from itertools import combinations
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

import pyarrow.parquet as pq  # noqa: E402

from vigil.core.linkage import BLOCKING_RULES, prepare_record, read_records, score_pair  # noqa: E402
from vigil.core.linkage.engine import dedupe, records_table  # noqa: E402


def test_a_model_trained_on_duckdb_scores_the_same_on_spark(data: Path, tmp_path: Path) -> None:
    """Features written to Parquet and the model's settings in Spark SQL give, on Spark, the candidate pairs
    the blocking rules describe and the probability DuckDB and score_pair give for each of them."""
    from pyspark.sql import SparkSession
    from splink import Linker
    from splink.backends.spark import SparkAPI, similarity_jar_location

    recs = [prepare_record(r) for r in read_records(data / "people.csv")]
    model = dedupe(recs, threshold=0.5, name_similarity="native").model
    pq.write_table(records_table(recs), tmp_path / "features.parquet")
    spark = (SparkSession.builder.master("local[1]").appName("vigil-test")
             .config("spark.jars", similarity_jar_location()).config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.sql.warehouse.dir", str(tmp_path / "warehouse")).getOrCreate())
    try:
        spark.sparkContext.setCheckpointDir(str(tmp_path / "checkpoints"))
        db = SparkAPI(spark_session=spark)
        linker = Linker(db.register(spark.read.parquet(str(tmp_path / "features.parquet"))),
                        model.settings_for("spark"), log_level=logging.ERROR)
        rows = linker.inference.predict(threshold_match_probability=0.0).as_record_list()
    finally:
        spark.stop()
    by_id = {r.unique_id: r for r in recs}
    assert len(rows) >= 5
    described = {tuple(sorted((a.unique_id, b.unique_id))) for a, b in combinations(recs, 2)
                 if any(rule.holds(a, b) for rule in BLOCKING_RULES)}
    assert {tuple(sorted((r["unique_id_l"], r["unique_id_r"]))) for r in rows} == described
    for row in rows:
        ours = score_pair(model, by_id[row["unique_id_l"]], by_id[row["unique_id_r"]])[0]
        assert row["match_probability"] == pytest.approx(ours, abs=1e-9)
