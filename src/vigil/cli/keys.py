"""`vigil keys`: the field-encryption keyring (kept outside the database)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import Progress

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="The field-encryption keys: create, rotate, check.", no_args_is_help=True)
console = Console()


@app.command("init")
def init(data: DataOption = None) -> None:
    """Create the keyring (AES-256 field key and blind-index key, mode 0600) unless one exists."""
    context.setup(data, create=True)
    from vigil.keys.keyring import keyring_path  # noqa: PLC0415
    from vigil.keys.services import keys_init  # noqa: PLC0415

    if keys_init():
        console.print(f"[green]keyring created[/green]: {keyring_path()} — keep a copy somewhere safe, apart from backups")
    else:
        console.print(f"a keyring exists already: {keyring_path()}")


@app.command("rotate")
def rotate(data: DataOption = None, as_user: AsOption = None, batch_size: int = typer.Option(500, help="Rows re-encrypted per transaction.")) -> None:
    """Re-encrypt every encrypted field under a new key; run it again to continue an interrupted rotation."""
    context.setup(data)
    from vigil.keys.services import keys_rotate  # noqa: PLC0415

    user = context.acting_user(as_user)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("re-encrypting", total=None)
        report = keys_rotate(actor=user, batch_size=batch_size, progress=lambda label, n: bar.update(task, advance=n, description=f"re-encrypting {label}"))
    verb = "resumed and finished" if report.resumed else "finished"
    console.print(f"[green]rotation {verb}[/green]: {report.reencrypted} values now under key {report.key_id}; dropped {', '.join(report.dropped) or 'no key'}")


@app.command("check")
def check(data: DataOption = None, as_user: AsOption = None) -> None:
    """Check the keyring's permissions and that every encrypted value decrypts; exit 1 on any problem."""
    context.setup(data)
    from vigil.keys.services import keys_check  # noqa: PLC0415

    report = keys_check(actor=context.acting_user(as_user))
    counts = ", ".join(f"{n} under {k}" for k, n in sorted(report.values_by_key.items())) or "no encrypted values yet"
    console.print(f"keyring {report.path}: active key {report.active}{' (rotation in progress: run `vigil keys rotate`)' if report.rotating else ''}; {counts}")
    for problem in report.problems[:50]:
        console.print(f"[red]{problem}[/red]")
    if len(report.problems) > 50:
        console.print(f"[red]… and {len(report.problems) - 50} more[/red]")
    if not report.ok:
        raise typer.Exit(1)
    console.print("[green]all encrypted values decrypt[/green]")
