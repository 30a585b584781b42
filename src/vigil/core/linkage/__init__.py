"""Probabilistic record linkage: which records are probably one person, across scripts.

vigil prepares the features (cross-script name keys, decoded identity numbers, romanised places) and
writes the comparisons; Splink (DuckDB, or Spark for more than one machine) estimates the parameters
without labels, blocks, scores and clusters. :func:`score_pair` applies a trained model to one pair in
pure Python. See docs/linkage.md.
"""

from vigil.core.linkage.blocking import BlockingRecall, blocking_recall
from vigil.core.linkage.comparisons import BLOCKING_RULES, BlockingRule, Comparison, Level, all_comparisons
from vigil.core.linkage.features import FEATURES_VERSION, PreparedRecord, prepare_record, resolve_place
from vigil.core.linkage.model import (
    DEFAULT_THRESHOLD,
    MODEL_VERSION,
    LinkageModel,
    ModelError,
    score_pair,
)
from vigil.core.linkage.records import COLUMNS, InputError, prepare_file, read_records

__all__ = [
    "BLOCKING_RULES", "COLUMNS", "DEFAULT_THRESHOLD", "FEATURES_VERSION", "MODEL_VERSION", "BlockingRecall",
    "BlockingRule", "Comparison", "InputError", "Level", "LinkageModel", "ModelError", "PreparedRecord",
    "all_comparisons", "blocking_recall", "prepare_file", "prepare_record", "read_records", "resolve_place", "score_pair",
]
