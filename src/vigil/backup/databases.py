"""Copying a database out (SQLite's online backup API, ``pg_dump``) and in (a file, ``pg_restore``).

Databases are described by the dictionary Django uses (``DATABASES["default"]``, or what
``dj_database_url.parse`` returns), so that this module needs no running Django.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg

from vigil.backup.errors import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
MEMBER = {SQLITE: "database/vigil.sqlite3", POSTGRESQL: "database/vigil.pgdump"}

_PG_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}


def engine_of(settings_dict: Mapping[str, Any]) -> str:
    """``sqlite`` or ``postgresql``; any other database is refused."""
    engine = str(settings_dict.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in engine:
        return POSTGRESQL
    raise BackupError(f"vigil backs up SQLite and PostgreSQL, not {engine or 'an unnamed engine'}")


def _pg_env(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    # Credentials travel in the environment, never on a command line that `ps` shows.
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for option, var in _PG_OPTIONS.items():
        if value := (settings_dict.get("OPTIONS") or {}).get(option):
            env[var] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client tools (Debian: postgresql-client)")
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed: {detail}")


def sqlite_snapshot(source: sqlite3.Connection, target: Path) -> None:
    """Copy the live database behind ``source`` into ``target`` (a consistent snapshot, writers keep writing), and check it."""
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        # One self-contained file: no -wal beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
        problems = [row[0] for row in destination.execute("PRAGMA quick_check")]
    finally:
        destination.close()
    if problems != ["ok"]:
        raise BackupError(f"the database copy fails SQLite's quick_check: {problems[0]}")


def pg_dump(settings_dict: Mapping[str, Any], target: Path) -> None:
    """Dump the PostgreSQL database to ``target`` in pg_dump's custom format (one consistent snapshot)."""
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], _pg_env(settings_dict), "pg_dump")


def pg_is_empty(settings_dict: Mapping[str, Any]) -> bool:
    """Whether the PostgreSQL database has no table, view or sequence of its own."""
    params = {"host": settings_dict.get("HOST") or None, "port": settings_dict.get("PORT") or None, "user": settings_dict.get("USER") or None,
              "password": settings_dict.get("PASSWORD") or None, "dbname": settings_dict.get("NAME")}
    params.update({k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k in _PG_OPTIONS})
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%' "
                "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
            ).fetchone()
    except psycopg.Error as exc:
        raise BackupError(f"cannot reach the PostgreSQL database {settings_dict.get('NAME')!r}: {str(exc).strip().splitlines()[0]}") from None
    return bool(row is not None and row[0] == 0)


def pg_restore(settings_dict: Mapping[str, Any], dump: Path) -> None:
    """Restore a custom-format dump into the (empty) PostgreSQL database, in one transaction: all or nothing."""
    _run(
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", f"--dbname={settings_dict['NAME']}", str(dump)],
        _pg_env(settings_dict), "pg_restore",
    )
