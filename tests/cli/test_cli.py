import csv
import json

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import testimony_line, write_jsonl
from vigil.cli import app

runner = CliRunner()


def all_commands(group: typer.Typer, prefix=""):
    for info in group.registered_commands:
        yield prefix + (info.name or info.callback.__name__), info.callback
    for sub in group.registered_groups:
        yield from all_commands(sub.typer_instance, prefix + sub.name + " ")


@pytest.mark.parametrize(("name", "callback"), list(all_commands(app)))
def test_commands_have_help(name, callback):
    """Every command's docstring is its --help."""
    assert callback.__doc__, f"vigil {name} is missing its help"
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.django_db(transaction=True)
def test_import_and_verify(places, admin_user, tmp_path, monkeypatch):
    """`vigil import testimonies` imports a good file, refuses a bad one with line numbers, and `vigil audit verify` passes."""
    good = write_jsonl(tmp_path / "good.jsonl", [testimony_line()])
    result = runner.invoke(app, ["import", "testimonies", str(good)])
    assert result.exit_code == 0, result.output
    assert "imported 1 testimonies" in result.output
    bad = write_jsonl(tmp_path / "bad.jsonl", [testimony_line(ref="T9", consent="maybe")])
    result = runner.invoke(app, ["import", "testimonies", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: consent:" in result.output
    assert "nothing was imported" in result.output
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_synth_writes_its_files(tmp_path):
    """`vigil synth` writes the testimonies, the leaked list, the records and the ground truth."""
    result = runner.invoke(app, ["synth", "--persons", "30", "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("testimonies.jsonl", "leaked-list.csv", "truth.csv", "records.csv"):
        assert (tmp_path / name).stat().st_size > 0
    with (tmp_path / "truth.csv").open() as fh:
        truth = list(csv.DictReader(fh))
    refs = {p["ref"] for line in (tmp_path / "testimonies.jsonl").read_text().splitlines() for p in json.loads(line)["persons"]}
    assert refs <= {row["record_id"] for row in truth}
