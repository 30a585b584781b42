"""vigil backup and vigil restore."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Annotated

import dj_database_url
import typer
from rich.console import Console

from vigil.backup.envelope import needs_passphrase, parse_identity_file
from vigil.backup.errors import BackupError
from vigil.backup.restore import backup_restore
from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

console = Console()
err = Console(stderr=True)
PASSPHRASE_ENV = "VIGIL_BACKUP_PASSPHRASE"


def _passphrase(*, confirm: bool) -> str:
    """VIGIL_BACKUP_PASSPHRASE, else asked for in a terminal; never an option (it would show in `ps` and the shell's history)."""
    if value := os.environ.get(PASSPHRASE_ENV):
        return value
    if not sys.stdin.isatty():
        raise BackupError(f"no passphrase: set {PASSPHRASE_ENV}, or run in a terminal to be asked")
    while True:
        value = getpass.getpass("Backup passphrase: ")
        if not confirm or getpass.getpass("Again: ") == value:
            return value
        err.print("[red]The two passphrases differ.[/red]")


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]{message}[/red]", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def backup(
    out: Annotated[Path, typer.Argument(help="The archive to write (a new file outside the data folder).", dir_okay=False)],
    recipient: Annotated[
        list[str] | None,
        typer.Option("--recipient", "-r", help="Encrypt to this age public key (age1…) instead of a passphrase; repeat for several.", show_default=False),
    ] = None,
    include_keys: Annotated[
        bool, typer.Option("--include-keys", help="Also archive the field-encryption keys (keys/) and secret_key. Whoever opens the archive can then read everything.")
    ] = False,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Write one encrypted archive of the database, the media and the data folder, with a SHA-256 manifest.

    Encrypted with a passphrase (VIGIL_BACKUP_PASSPHRASE, else asked for) or to age public keys
    (--recipient). The field-encryption keys stay out unless --include-keys is given.
    """
    context.setup(data)
    from django.core.exceptions import PermissionDenied  # noqa: PLC0415  (after Django starts)

    from vigil.backup.services import backup_create  # noqa: PLC0415

    try:
        user = context.acting_user(as_user)
        passphrase = None if recipient else _passphrase(confirm=True)
        with err.status("writing the archive …"):
            report = backup_create(actor=user, out=out, passphrase=passphrase, recipients=recipient or (), include_keys=include_keys)
    except (BackupError, PermissionDenied, LookupError) as exc:
        raise _fail(f"backup failed: {exc}") from None
    m = report.manifest
    data_files = len(m.members) - 1
    console.print(
        f"[green]backup written[/green]: {report.path} ({report.size / 1e6:.1f} MB, {m.database_engine} database and "
        f"{data_files} files, in {report.seconds:.1f} s)\nsha256 {report.sha256}"
    )
    for path in report.skipped:
        err.print(f"[yellow]skipped {path}: not a plain file[/yellow]", highlight=False)
    if include_keys:
        err.print(
            "[bold red]THIS ARCHIVE HOLDS THE FIELD-ENCRYPTION KEY.[/bold red] Anyone who has it and its passphrase "
            "(or age identity) can read testifiers' identities and contacts. Keep it apart from ordinary backups.",
        )
    else:
        err.print("The field-encryption key (keys/) is not in the archive: keep a copy of it somewhere else, or the restored data cannot be read.")


def restore(
    archive: Annotated[Path, typer.Argument(help="An archive written by `vigil backup`.", dir_okay=False)],
    identity: Annotated[
        Path | None, typer.Option("--identity", "-i", help="An age identity file (AGE-SECRET-KEY-1…) for an archive encrypted to --recipient.", show_default=False)
    ] = None,
    data: DataOption = None,
) -> None:
    """Restore an archive into an empty data folder (and the empty database of DATABASE_URL, if set).

    Every member's SHA-256 is checked against the manifest before anything is put in place; a wrong
    passphrase, a damaged or truncated archive, or a non-empty target is refused.
    """
    folder = context.data_dir(data)
    # As the settings choose it; read before Django starts, which would write a secret_key into the folder.
    database = dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{folder / 'vigil.sqlite3'}"))
    try:
        identities = parse_identity_file(identity) if identity is not None else []
        passphrase = None
        if not identities:
            try:
                with archive.open("rb") as fh:
                    wants = needs_passphrase(fh, name=str(archive))
            except OSError as exc:
                raise BackupError(f"cannot read {archive}: {exc.strerror}") from None
            passphrase = _passphrase(confirm=False) if wants else None
        with err.status("decrypting and checking the archive …"):
            report = backup_restore(archive=archive, data_dir=folder, database=database, passphrase=passphrase, identities=identities)
    except BackupError as exc:
        raise _fail(f"restore failed: {exc}") from None
    m = report.manifest
    console.print(
        f"[green]restored[/green] into {folder}: {m.database_engine} database and {report.files} files, "
        f"{report.bytes / 1e6:.1f} MB, every SHA-256 checked (backup of {m.created}, vigil {m.vigil_version})"
    )
    if not report.keys_restored:
        err.print(
            f"[yellow]The archive holds no field-encryption key.[/yellow] Copy keys/ from where you keep it into {folder / 'keys'} "
            "(files readable by the owner only), then run `vigil keys check`."
        )
    context.setup(data)
    from vigil.audit.selectors import audit_chain_verify  # noqa: PLC0415  (after Django starts)
    from vigil.backup.services import migration_status  # noqa: PLC0415

    if status := migration_status():
        err.print(f"[yellow]{status}[/yellow]")
    chain = audit_chain_verify()
    if chain.ok:
        console.print(f"audit chain intact: {chain.checked} entries")
    else:
        raise _fail(f"the restored audit chain is broken at entry #{chain.broken_at}: {chain.reason}")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
