"""Dedupe, two-list linkage, the model file and the pure-Python scorer."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.link import app
from vigil.core.linkage import LinkageModel, ModelError, blocking_recall, prepare_record, read_records, score_pair
from vigil.core.linkage.engine import dedupe, link_pairs
from vigil.core.linkage.model import MODEL_VERSION

runner = CliRunner()


def _records(path: Path) -> list:
    return [prepare_record(r) for r in read_records(path)]


@pytest.fixture(scope="module")
def deduped():
    data = Path(__file__).resolve().parents[2] / "testdata" / "linkage"
    recs = _records(data / "people.csv")
    return recs, dedupe(recs, threshold=0.5)


def test_dedupe_clusters_cross_script_duplicates(deduped) -> None:
    """The Latin, Arabic-script, Chinese and Cyrillic records of one man end in one cluster, apart from a
    man who shares his given name."""
    _recs, result = deduped
    cluster = {rid: cid for rid, cid, _p in result.rows}
    assert cluster["a1"] == cluster["a2"] == cluster["a3"] == cluster["a4"]
    assert cluster["c1"] != cluster["a1"]
    assert cluster["d1"] == cluster["d2"]
    assert result.summary.records == 11 and result.summary.trained


def test_score_pair_agrees_with_splink(deduped) -> None:
    """The pure-Python scorer gives Splink's probability for the same pairs, fast."""
    import time

    recs, result = deduped
    by_id = {r.unique_id: r for r in recs}
    best = {rid: p for rid, _c, p in result.rows if p is not None}
    cluster = {rid: cid for rid, cid, _p in result.rows}
    for rid, p in best.items():
        mates = [o for o in cluster if o != rid and cluster[o] == cluster[rid]]
        ours = max(score_pair(result.model, by_id[rid], by_id[o])[0] for o in mates)
        assert ours == pytest.approx(p, abs=1e-6)
    start = time.perf_counter()
    for _ in range(200):
        score_pair(result.model, by_id["a1"], by_id["a3"])
    assert (time.perf_counter() - start) / 200 < 0.001


def test_model_json_round_trips_with_version(deduped, tmp_path: Path) -> None:
    """A saved model loads back with the same id and parameters; an edited one is refused."""
    _recs, result = deduped
    path = tmp_path / "model.json"
    result.model.save(path)
    data = json.loads(path.read_text())
    assert data["version"] == MODEL_VERSION and data["model_id"] == result.model.model_id
    again = LinkageModel.load(path)
    assert again.model_id == result.model.model_id and again.splink_settings == result.model.splink_settings
    data["splink"]["probability_two_random_records_match"] = 0.5
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError):
        LinkageModel.load(path)



def test_a_model_with_other_levels_is_refused_when_loaded(deduped) -> None:
    """A model trained when the name comparison had another level (its id recomputed, as by an older vigil)
    is refused at load, with the comparison named, not at its first score."""
    _recs, result = deduped
    data = json.loads(json.dumps(result.model.as_dict()))
    name = next(c for c in data["splink"]["comparisons"] if c["output_column_name"] == "name")
    extra = dict(name["comparison_levels"][-2], label_for_charts="every part jaro-winkler >= 0.7")
    name["comparison_levels"].insert(-1, extra)
    data.pop("model_id")
    with pytest.raises(ModelError, match="'name' does not match"):
        LinkageModel.from_dict(data)

def test_blocking_recall_is_reported(deduped, data: Path) -> None:
    """Blocking recall counts the true pairs that some blocking rule makes candidates."""
    recs, _result = deduped
    pairs = [("a1", "a2"), ("a1", "a3"), ("a2", "a4"), ("b1", "b2"), ("b2", "b3"), ("d1", "d2")]
    report = blocking_recall({r.unique_id: r for r in recs}, pairs)
    assert report.true_pairs == 6 and report.recall == 1.0
    assert "blocking recall" in str(report)


def test_cli_dedupe_writes_clusters_and_reuses_the_model(data: Path, tmp_path: Path) -> None:
    """`vigil link dedupe` writes id, cluster_id, match_probability and saves, then reuses, the model."""
    out, model = tmp_path / "clusters.csv", tmp_path / "model.json"
    args = ["dedupe", str(data / "people.csv"), "--out", str(out), "--model", str(model), "--threshold", "0.5"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0])[:3] == ["id", "cluster_id", "match_probability"] and len(rows) == 11
    assert "(trained)" in result.output and model.exists()
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "(trained)" not in again.output


def test_cli_pairs_output_columns(data: Path, tmp_path: Path) -> None:
    """`vigil link pairs` writes left_id, right_id, probability, weight and one weight per field."""
    out = tmp_path / "pairs.csv"
    result = runner.invoke(app, ["pairs", str(data / "left.csv"), str(data / "right.csv"), "--out", str(out),
                                 "--threshold", "0.0", "--names", "native"])
    assert result.exit_code == 0, result.output
    header = next(csv.reader(out.open()))
    assert header[:4] == ["left_id", "right_id", "match_probability", "match_weight"]
    assert "w_name" in header and "w_birth" in header and header[-1] == "model_id"


def test_cli_malformed_input_writes_nothing(data: Path, tmp_path: Path) -> None:
    """Malformed input: an error naming file, row and column, exit code 2, no output file."""
    out = tmp_path / "clusters.csv"
    result = runner.invoke(app, ["dedupe", str(data / "bad-date.csv"), "--out", str(out)])
    assert result.exit_code == 2
    assert "bad-date.csv" in result.output and "row 3" in result.output and "birth_date" in result.output
    assert not out.exists()


@pytest.mark.parametrize("command", ["dedupe", "pairs"])
def test_commands_have_help(command: str) -> None:
    """Each command's docstring is its --help."""
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "probably one" in result.output


def test_link_pairs_links_across_scripts(data: Path) -> None:
    """Two lists in different scripts: the same people are linked, left to right."""
    result = link_pairs(_records(data / "left.csv"), _records(data / "right.csv"), threshold=0.5)
    found = {(r[0], r[1]) for r in result.rows}
    assert ("L1", "R1") in found and ("L2", "R2") in found and ("L3", "R3") not in found


def test_predict_dedupe_gives_scored_pairs_with_field_weights(deduped) -> None:
    """predict_dedupe returns the pairs within one list with their probability and one weight per field,
    scored by the given model exactly as score_pair scores them."""
    from vigil.core.linkage.engine import predict_dedupe

    recs, result = deduped
    pairs = predict_dedupe(recs, model=result.model, threshold=0.5)
    assert not pairs.summary.trained and pairs.fields[0] == "name"
    by_id = {r.unique_id: r for r in recs}
    for a, b, p, _w, *weights in pairs.rows:
        assert len(weights) == len(pairs.fields)
        assert score_pair(result.model, by_id[a], by_id[b])[0] == pytest.approx(p, abs=1e-6)


def test_clustering_knows_an_unscored_pair_only_when_other_fields_contradict(deduped) -> None:
    """A pair no blocking rule compares is unknown to clustering (its names may be one name read two ways),
    unless another field contradicts it; a pair a rule compares is known by its probability."""
    from vigil.core.linkage.comparisons import BLOCKING_RULES
    from vigil.core.linkage.engine import pair_evidence

    trained = deduped[1].model
    settings = json.loads(json.dumps(trained.splink_settings))
    for comparison in settings["comparisons"]:
        if comparison["output_column_name"] in ("birth", "sex"):
            # As a model trained on more than eleven records has it: another birth year or sex is strong evidence.
            else_level = comparison["comparison_levels"][-1]
            else_level["m_probability"] = else_level["u_probability"] / 1000
    model = LinkageModel(settings, trained.name_similarity)
    base = {"birth_year": 1980, "sex": "m", "place": "653227"}
    a = prepare_record({"id": "a", "full_name": "Нурбек Турсынбекович", **base})
    b = prepare_record({"id": "b", "full_name": "Болат Ержан", **base})
    c = prepare_record({"id": "c", "full_name": "Болат Ержан", **base, "birth_year": 1961, "sex": "f"})
    d = prepare_record({"id": "d", "full_name": "Нурбек Турсынбеков", **base})
    assert not any(rule.holds(a, b) for rule in BLOCKING_RULES)
    assert pair_evidence(model, a, b) is None
    contradicted = pair_evidence(model, a, c)
    assert contradicted is not None and contradicted < 0.01
    assert any(rule.holds(a, d) for rule in BLOCKING_RULES)
    assert pair_evidence(model, a, d) is not None and pair_evidence(model, a, d) > 0.5


def test_a_model_trained_in_the_run_scores_as_when_given(deduped, data: Path) -> None:
    """dedupe trains on a table of its own while the list keys are narrowed; the model it returns, given
    again, gives the same clusters and best links."""
    _recs, result = deduped
    again = dedupe(_records(data / "people.csv"), model=result.model, threshold=0.5)
    assert again.rows == result.rows and not again.summary.trained
    assert again.summary.candidate_pairs == result.summary.candidate_pairs
