"""Restoring an archive into an empty data folder (and, for PostgreSQL, an empty database).

Nothing is put in place until the whole archive has been decrypted and authenticated and every
member matches the SHA-256 and size in its manifest. Until then the files wait in a staging folder
inside the target; on any failure everything the restore wrote is removed again.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from vigil.backup import databases
from vigil.backup.archive import DATA_PREFIX, Manifest, extract_archive, verify
from vigil.backup.envelope import decrypt_stream
from vigil.backup.errors import BackupError


@dataclass(frozen=True, slots=True)
class RestoreReport:
    manifest: Manifest
    data_dir: Path
    files: int
    bytes: int
    keys_restored: bool  # the archive held keys/ (or secret_key), and they are now in the data folder


def _target_is_empty(data_dir: Path) -> None:
    if data_dir.exists():
        if not data_dir.is_dir():
            raise BackupError(f"{data_dir} is not a folder")
        entries = sorted(p.name for p in data_dir.iterdir())
        if entries:
            raise BackupError(f"{data_dir} is not empty ({', '.join(entries[:3])}{' …' if len(entries) > 3 else ''}): restore into an empty data folder")


def backup_restore(
    *,
    archive: Path,
    data_dir: Path,
    database: Mapping[str, Any],
    passphrase: str | None = None,
    identities: Sequence[Any] = (),
) -> RestoreReport:
    """Restore ``archive`` into the empty ``data_dir`` and the empty ``database`` (a Django-style settings dict).

    For SQLite the database file is written where ``database["NAME"]`` says; for PostgreSQL the
    dump is loaded with ``pg_restore`` in one transaction. Raises :class:`BackupError` (one line)
    for a wrong passphrase or key, a damaged or truncated archive, a checksum mismatch, or a
    target that is not empty; then nothing is left behind.
    """
    engine = databases.engine_of(database)
    _target_is_empty(data_dir)
    sqlite_path = Path(database["NAME"]) if engine == databases.SQLITE else None
    if sqlite_path is not None and sqlite_path.exists():
        raise BackupError(f"the database {sqlite_path} already exists: restore into an empty data folder")
    if engine == databases.POSTGRESQL and not databases.pg_is_empty(database):
        raise BackupError(f"the PostgreSQL database {database.get('NAME')!r} is not empty: restore into a new, empty database")
    try:
        fh = archive.open("rb")
    except OSError as exc:
        raise BackupError(f"cannot read {archive}: {exc.strerror}") from None

    created_dir = not data_dir.exists()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = data_dir / f".restore-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    installed: list[Path] = []
    try:
        def consume(stream: IO[bytes]) -> tuple[Manifest, dict[str, Any]]:
            return extract_archive(stream, staging)

        with fh:
            manifest, found = decrypt_stream(fh, consume, passphrase=passphrase, identities=identities, name=str(archive))
        verify(manifest, found)
        if manifest.database_engine != engine:
            raise BackupError(
                f"the archive holds a {manifest.database_engine} database and the target is {engine}: "
                f"restore it into {manifest.database_engine} (set or unset DATABASE_URL)"
            )
        # Everything is authenticated and matches the manifest: put it in place.
        dump = staging.joinpath(*manifest.database_member.split("/"))
        if sqlite_path is not None:
            sqlite_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(dump, sqlite_path)
            installed.append(sqlite_path)
        else:
            databases.pg_restore(database, dump)
        data = staging / DATA_PREFIX.rstrip("/")
        if data.exists():
            for entry in sorted(data.iterdir()):
                target = data_dir / entry.name
                os.replace(entry, target)
                installed.append(target)
        (data_dir / "media").mkdir(mode=0o700, exist_ok=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for path in installed:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if created_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    data_members = [m for m in manifest.members if m.name.startswith(DATA_PREFIX)]
    keys_restored = any(m.name[len(DATA_PREFIX):].split("/", 1)[0] in ("keys", "secret_key") for m in data_members)
    return RestoreReport(
        manifest=manifest, data_dir=data_dir, files=len(data_members), bytes=sum(m.size for m in manifest.members), keys_restored=keys_restored,
    )
