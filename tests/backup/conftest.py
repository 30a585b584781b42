"""A small synthetic vigil (testimonies, an evidence file, a linkage model, keys) in a data folder of its own."""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.conftest import testimony_line, write_jsonl

PASSPHRASE = "synthetic passphrase for tests"
FIELD_KEY = b"SYNTHETIC-FIELD-KEY-" + secrets.token_hex(16).encode()
SECRET_KEY = "synthetic-secret-key-" + secrets.token_hex(16)


@pytest.fixture
def data_dir(tmp_path, settings):
    """An empty data folder that the settings point at (media inside it)."""
    folder = tmp_path / "data"
    (folder / "media").mkdir(parents=True, mode=0o700)
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "media"
    return folder


@pytest.fixture
def demo(data_dir, places, admin_user, tmp_path):
    """Two testimonies about synthetic people, one evidence file, a linkage model, the field key and secret_key."""
    from vigil.evidence.services import evidence_file_store
    from vigil.records.services import testimonies_import

    second = testimony_line(
        ref="T2", date="2020-01-15", language="ug",
        testifier={"ref": "W2", "name": "Synthetic Witness Two", "relation": "mother", "country": "TR"},
        persons=[{"ref": "R2", "names": [{"text": "Synthetic Person Two", "kind": "full"}], "sex": "f", "birth_date": "1990-02"}],
    )
    testimonies_import(actor=admin_user, path=write_jsonl(tmp_path / "t.jsonl", [testimony_line(), second]))
    evidence_file_store(actor=admin_user, stream=io.BytesIO(os.urandom(3 << 20)), original_name="statement.mp4", media_type="video/mp4")
    (data_dir / "media" / "working").mkdir()
    (data_dir / "media" / "working" / "statement-cut.mp4").write_bytes(os.urandom(1000))
    (data_dir / "linkage").mkdir()
    (data_dir / "linkage" / "model.json").write_text('{"synthetic": true}')
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700)
    fd = os.open(keys / "field.key", os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, FIELD_KEY)
    os.close(fd)
    (data_dir / "secret_key").write_text(SECRET_KEY)
    return data_dir


def data_files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` by relative path: its bytes and its mode."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o777)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _pg_params(settings_dict) -> dict:
    params = {"host": settings_dict.get("HOST"), "port": settings_dict.get("PORT"), "user": settings_dict.get("USER"),
              "password": settings_dict.get("PASSWORD"), "dbname": settings_dict.get("NAME")}
    return {k: v for k, v in params.items() if v}


def all_rows(settings_dict) -> dict[str, list[tuple]]:
    """Every row of every table of a database (a Django-style settings dict), each table's rows sorted."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        name = str(settings_dict["NAME"])
        conn = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
            rows["(schema)"] = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)
            return rows
        finally:
            conn.close()
    with psycopg.connect(**_pg_params(settings_dict)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )]
        rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        rows["(sequences)"] = sorted(conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'").fetchall(), key=repr)
        return rows


@pytest.fixture
def target_database(tmp_path):
    """An empty database of the test's engine to restore into: a SQLite path, or a new PostgreSQL database (dropped after)."""
    source = connection.settings_dict
    if source["ENGINE"].endswith("sqlite3"):
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored" / "vigil.sqlite3")}
        return
    name = f"vigil_restore_{secrets.token_hex(4)}"
    admin = {**_pg_params(source), "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
