from __future__ import annotations

import typer
from rich.console import Console

from vigil.cli import context
from vigil.cli.options import DataOption

app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
console = Console()


@app.command("verify")
def verify(data: DataOption = None) -> None:
    """Check every audit entry's hash and its link to the one before; name the first broken entry."""
    context.setup(data)
    from vigil.audit.selectors import audit_chain_verify  # noqa: PLC0415  (after Django starts)

    report = audit_chain_verify()
    if report.ok:
        console.print(f"[green]audit chain intact[/green]: {report.checked} entries, head {report.head}")
        return
    console.print(f"[red]audit chain broken at entry #{report.broken_at}[/red]: {report.reason} ({report.checked} entries read)")
    raise typer.Exit(1)
