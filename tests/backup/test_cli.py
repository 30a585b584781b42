from __future__ import annotations

import pytest
from django.db import connection
from typer.testing import CliRunner

from tests.backup.conftest import PASSPHRASE
from vigil.cli import app

runner = CliRunner()
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def passphrase(monkeypatch, tmp_path):
    monkeypatch.setenv("VIGIL_BACKUP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path / "data"))  # the commands set it; undone after the test
    # restores below go to a SQLite file in a temporary folder, never to the server's database
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_backup_says_where_the_key_is(demo, tmp_path, passphrase):
    """`vigil backup` writes the archive, says the key is not in it; with --include-keys it says loudly that it is."""
    result = runner.invoke(app, ["backup", str(tmp_path / "a.backup")])
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output
    assert "field-encryption key (keys/) is not in the archive" in result.output
    result = runner.invoke(app, ["backup", str(tmp_path / "b.backup"), "--include-keys"])
    assert result.exit_code == 0, result.output
    assert "THIS ARCHIVE HOLDS THE FIELD-ENCRYPTION KEY" in result.output


def test_restore_of_a_damaged_archive_is_one_line(demo, tmp_path, passphrase):
    """A damaged archive and a wrong passphrase each end `vigil restore` with one line, no traceback, exit status 1."""
    assert runner.invoke(app, ["backup", str(tmp_path / "a.backup")]).exit_code == 0
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes((tmp_path / "a.backup").read_bytes()[:-5000])
    result = runner.invoke(app, ["restore", str(damaged), "--data", str(tmp_path / "restored")])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"restore failed: {damaged} is damaged or truncated")
    assert "\n" not in result.output.strip()
    assert not (tmp_path / "restored").exists()

    result = runner.invoke(app, ["restore", str(tmp_path / "a.backup"), "--data", str(tmp_path / "restored")], env={"VIGIL_BACKUP_PASSPHRASE": "not the passphrase"})
    assert result.exit_code == 1
    assert result.output.strip() == f"restore failed: wrong passphrase for {tmp_path / 'a.backup'}"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the CLI restores into DATABASE_URL; the PostgreSQL path is tested in test_backup.py")
def test_restore_warns_that_the_key_must_be_copied(demo, tmp_path, passphrase):
    """`vigil restore` of an archive without keys succeeds and tells to copy keys/ in and run `vigil keys check`."""
    assert runner.invoke(app, ["backup", str(tmp_path / "a.backup")]).exit_code == 0
    result = runner.invoke(app, ["restore", str(tmp_path / "a.backup"), "--data", str(tmp_path / "restored")])
    assert result.exit_code == 0, result.output
    assert "every SHA-256 checked" in result.output
    assert "vigil keys check" in result.output
    assert (tmp_path / "restored" / "vigil.sqlite3").stat().st_size > 0
