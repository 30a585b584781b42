"""The backup of a running vigil: permission check, a consistent copy of the database, the archive, an audit entry."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import vigil
from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.backup import databases
from vigil.backup.archive import Manifest, Source, data_folder_sources, manifest_summary, write_archive
from vigil.backup.envelope import check_passphrase, encrypt_stream, parse_recipient
from vigil.backup.errors import BackupError
from vigil.evidence.storage import sha256_file


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    size: int  # bytes of the encrypted archive
    sha256: str  # of the encrypted archive, as the audit entry records it
    manifest: Manifest
    seconds: float
    skipped: list[str] = field(default_factory=list)  # data-folder entries that are not plain files (links, sockets)


def applied_migrations() -> dict[str, list[str]]:
    """The migrations applied to the database, by app."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return state


def migration_status() -> str:
    """After a restore: whether the database's migrations are this vigil's (empty string), or what to do."""
    loader = MigrationLoader(connection)
    unknown = sorted(set(loader.applied_migrations) - set(loader.disk_migrations))
    if unknown:
        app, name = unknown[0]
        return f"the database has migrations this vigil does not know ({app}.{name} …): it comes from a newer vigil; upgrade vigil before using it"
    pending = sorted(set(loader.disk_migrations) - set(loader.applied_migrations))
    if pending:
        return f"{len(pending)} migration(s) of this vigil are not applied yet: run `vigil init` to apply them"
    return ""


def _sqlite_files(name: str) -> list[Path]:
    if name.startswith("file:") or name == ":memory:":
        return []
    path = Path(name)
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def backup_create(
    *,
    actor: Actor,
    out: Path,
    passphrase: str | None = None,
    recipients: Sequence[str] = (),
    include_keys: bool = False,
) -> BackupReport:
    """Write an encrypted archive of the database and the data folder to ``out``, and audit it.

    The archive holds a consistent copy of the database (SQLite's online backup API, or ``pg_dump``),
    every file of the data folder except the keys (``keys/``, ``secret_key``; only with
    ``include_keys``) and ``manifest.json`` with each member's size and SHA-256. It is encrypted with
    ``passphrase`` or to the age ``recipients``. ``out`` must not exist and lie outside the data folder.
    """
    require(actor, "backup.run")
    started = time.monotonic()
    if passphrase is not None:
        check_passphrase(passphrase)
    for recipient in recipients:
        parse_recipient(recipient)
    if passphrase is None and not recipients:
        raise BackupError("a backup needs a passphrase or at least one age recipient (--recipient age1…)")
    if transaction.get_connection().in_atomic_block:
        raise BackupError("a backup must run outside any transaction (it copies what is committed)")
    data_dir = Path(settings.DATA_DIR).resolve()
    out = Path(os.path.abspath(out))
    if out.exists():
        raise BackupError(f"{out} already exists: a backup never overwrites a file; choose a new name")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a folder")
    if out.resolve().is_relative_to(data_dir):
        raise BackupError(f"{out} is inside the data folder {data_dir}: write the archive elsewhere")

    engine = databases.engine_of(connection.settings_dict)
    migrations = applied_migrations()
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=data_dir))  # plaintext copies stay as private as the data folder
    part = out.with_name(f".{out.name}.part")
    try:
        member = databases.MEMBER[engine]
        dump = work / Path(member).name
        if engine == databases.SQLITE:
            connection.ensure_connection()
            databases.sqlite_snapshot(connection.connection, dump)
            exclude = _sqlite_files(str(connection.settings_dict["NAME"]))
        else:
            databases.pg_dump(connection.settings_dict, dump)
            exclude = []
        # The database is copied first: every original it refers to is already on disk (originals are
        # written before their row is committed, and never removed).
        sources, skipped = data_folder_sources(data_dir, include_keys=include_keys, exclude=exclude)
        manifest = Manifest(
            vigil_version=vigil.__version__, created=timezone.now().isoformat(timespec="seconds"),
            database_engine=engine, database_member=member, migrations=migrations, includes_keys=include_keys,
        )
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            encrypt_stream(
                fh, lambda stream: write_archive(stream, [Source(member, dump), *sources], manifest),
                passphrase=passphrase, recipients=recipients,
            )
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)

    size = out.stat().st_size
    digest = sha256_file(out)
    summary = manifest_summary(manifest)
    with transaction.atomic():
        audit_record(
            actor=actor, action="backup.create", object_type="backup", object_id=digest[:16],
            detail={**summary, "archive": out.name, "archive_bytes": size, "archive_sha256": digest,
                    "encryption": "passphrase" if passphrase is not None else "age recipients", "recipients": len(recipients)},
        )
    return BackupReport(path=out, size=size, sha256=digest, manifest=manifest, seconds=time.monotonic() - started, skipped=skipped)
