"""A trained linkage model: Splink's settings with their m/u parameters, wrapped with vigil's version.

The JSON file is what every match cites (``model_id``): the same file scores the same pair the same way,
in Splink (DuckDB or Spark) and in :func:`score_pair`, the pure-Python scorer the database layer uses
for intake candidates.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vigil.core.linkage.comparisons import Comparison, all_comparisons
from vigil.core.linkage.features import FEATURES_VERSION, PreparedRecord

#: The format of the model file; bumped when its layout changes.
MODEL_FORMAT = "vigil-linkage-model"
MODEL_VERSION = 1
#: Pairs at or above this probability are links (clusters in ``dedupe``, rows in ``pairs``).
DEFAULT_THRESHOLD = 0.5


class ModelError(ValueError):
    """A model file vigil cannot use (another format or version, or features it does not know)."""


@dataclass(slots=True)
class LinkageModel:
    """A trained model: Splink settings (with m/u) plus what vigil needs to reproduce its features."""

    splink_settings: dict[str, Any]
    name_similarity: str = "native"
    features_version: int = FEATURES_VERSION
    threshold: float = DEFAULT_THRESHOLD
    trained_on: dict[str, Any] = field(default_factory=dict)
    _weights: list[tuple[Comparison, list[float]]] | None = field(default=None, repr=False)
    _model_id: str | None = field(default=None, repr=False)

    @property
    def model_id(self) -> str:
        """A short content hash of the parameters: the model every match records (computed once: every output
        row cites it, and the parameters of a model do not change)."""
        if self._model_id is None:
            settings = {k: v for k, v in self.splink_settings.items() if k != "linker_uid"}
            blob = json.dumps([settings, self.name_similarity, self.features_version], sort_keys=True)
            self._model_id = "lm-" + hashlib.sha256(blob.encode()).hexdigest()[:12]
        return self._model_id

    @property
    def prior(self) -> float:
        """Splink's probability that two random records match."""
        return float(self.splink_settings["probability_two_random_records_match"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT, "version": MODEL_VERSION, "model_id": self.model_id,
            "features_version": self.features_version, "name_similarity": self.name_similarity,
            "threshold": self.threshold, "trained_on": self.trained_on, "splink": self.splink_settings,
        }

    def save(self, path: Path | str) -> None:
        Path(path).write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageModel:
        if data.get("format") != MODEL_FORMAT:
            raise ModelError("not a vigil linkage model (no 'format': 'vigil-linkage-model')")
        if data.get("version") != MODEL_VERSION:
            raise ModelError(f"model version {data.get('version')} is not {MODEL_VERSION}; train it again")
        if data.get("features_version") != FEATURES_VERSION:
            raise ModelError(f"model built on features version {data.get('features_version')}, "
                             f"this vigil computes version {FEATURES_VERSION}; train it again")
        model = cls(data["splink"], data.get("name_similarity", "native"), data["features_version"],
                    float(data.get("threshold", DEFAULT_THRESHOLD)), data.get("trained_on", {}))
        if data.get("model_id") not in (None, model.model_id):
            raise ModelError("the model's parameters do not match its model_id: the file was edited")
        # Its comparisons must be this vigil's, level by level (a model trained before a level was added or
        # dropped is refused here, when it is loaded, not at its first score).
        model.comparison_weights()
        return model

    @classmethod
    def load(cls, path: Path | str) -> LinkageModel:
        try:
            return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError, KeyError) as exc:
            raise ModelError(f"{path}: cannot read the model ({exc})") from None

    def settings_for(self, dialect: str) -> dict[str, Any]:
        """Splink's settings of this model in another SQL dialect ("spark" or "duckdb"): the same comparisons,
        levels and trained m/u, each level's condition written in that dialect (see docs/linkage.md, On Spark)."""
        from vigil.core.linkage.comparisons import BLOCKING_RULES  # noqa: PLC0415 (same package; keeps the order)

        settings = json.loads(json.dumps(self.splink_settings))
        known = {c.name: c for c in all_comparisons(self.name_similarity)}
        for spec in settings["comparisons"]:
            comparison = known[spec["output_column_name"]]
            for level, mine in zip(spec["comparison_levels"], comparison.levels, strict=True):
                level["sql_condition"] = mine.sql(dialect)
        # Splink's block_on rules, which it writes in the linker's own dialect.
        settings["blocking_rules_to_generate_predictions"] = [r.splink(dialect) for r in BLOCKING_RULES]
        settings["sql_dialect"] = dialect
        return settings

    def comparison_weights(self) -> list[tuple[Comparison, list[float]]]:
        """Each comparison of the model with the match weight (log2 m/u) of each of its levels."""
        if self._weights is None:
            known = {c.name: c for c in all_comparisons(self.name_similarity)}
            out = []
            for spec in self.splink_settings["comparisons"]:
                comparison = known.get(spec["output_column_name"])
                labels = [lvl["label_for_charts"] for lvl in spec["comparison_levels"]]
                if comparison is None or labels != [lvl.label for lvl in comparison.levels]:
                    raise ModelError(f"comparison {spec['output_column_name']!r} does not match this vigil's")
                weights = []
                for lvl in spec["comparison_levels"]:
                    if lvl.get("is_null_level"):
                        weights.append(0.0)
                    else:
                        weights.append(math.log2(float(lvl["m_probability"]) / float(lvl["u_probability"])))
                out.append((comparison, weights))
            self._weights = out
        return self._weights


def score_pair(model: LinkageModel, a: PreparedRecord, b: PreparedRecord) -> tuple[float, dict[str, float]]:
    """(match probability, match weight of each field) of one pair, by the model's m/u, without Splink.

    Gives Splink's ``match_probability`` for the same pair (no term-frequency adjustments are used).
    """
    prior = model.prior
    total = math.log2(prior / (1.0 - prior))
    per_field: dict[str, float] = {}
    for comparison, weights in model.comparison_weights():
        w = weights[comparison.level_of(a, b)]
        per_field[comparison.name] = w
        total += w
    odds = 2.0 ** max(min(total, 1000.0), -1000.0)
    return odds / (1.0 + odds), per_field
