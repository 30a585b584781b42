import json

import pytest
from typer.testing import CliRunner

from tests.conftest import testimony_line, write_jsonl
from vigil.cli import app

runner = CliRunner()


@pytest.mark.django_db(transaction=True)
def test_export_commands_write_their_files(places, admin_user, tmp_path):
    """`vigil export persons|claims|testimonies --format F --out FILE` writes the file and reports rows and hash."""
    runner.invoke(app, ["import", "testimonies", str(write_jsonl(tmp_path / "t.jsonl", [testimony_line()]))], catch_exceptions=False)
    result = runner.invoke(app, ["export", "persons", "--format", "json", "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 0, result.output
    assert "wrote 1 persons rows" in result.output
    assert json.loads((tmp_path / "p.json").read_text())["rows"][0]["names"] == ["Ерлан Серікұлы", "叶尔兰·赛力克"]
    for dataset in ("claims", "testimonies"):
        result = runner.invoke(app, ["export", dataset, "--format", "xlsx", "--out", str(tmp_path / f"{dataset}.xlsx")])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", "claims", "--format", "pdf", "--out", str(tmp_path / "c.pdf")])
    assert result.exit_code == 1 and "no format 'pdf'" in result.output
