from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
console = Console(soft_wrap=True)  # hashes and paths stay on one line, for grep
err = Console(stderr=True, soft_wrap=True)

SealFileOption = Annotated[
    Path | None,
    typer.Option("--seal", exists=True, dir_okay=False, readable=True, help="Also check the chain against this seal (from `vigil audit seal`).", show_default=False),
]


@app.command("verify")
def verify(seal: SealFileOption = None, data: DataOption = None) -> None:
    """Check every audit entry's hash and its link to the one before; name the first broken entry. With --seal, also confirm nothing up to the sealed entry changed."""
    context.setup(data)
    from vigil.audit.selectors import audit_chain_verify, audit_seal_verify  # noqa: PLC0415  (after Django starts)
    from vigil.core.audit import Seal  # noqa: PLC0415

    failed = False
    report = audit_chain_verify()
    if report.ok:
        console.print(f"[green]audit chain intact[/green]: {report.checked} entries, head {report.head}")
    else:
        console.print(f"[red]audit chain broken at entry #{report.broken_at}[/red]: {report.reason} ({report.checked} entries read)")
        failed = True
    if seal is not None:
        try:
            sealed = Seal.from_json(json.loads(seal.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError) as exc:
            err.print(f"[red]{seal}: {exc}[/red]", highlight=False)
            raise typer.Exit(2) from None
        check = audit_seal_verify(sealed)
        if check.ok:
            console.print(f"[green]seal holds[/green]: {check.reason} ({sealed.head_hash})")
        else:
            console.print(f"[red]seal broken[/red]: {check.reason}", highlight=False)
            failed = True
    if failed:
        raise typer.Exit(1)


@app.command("seal")
def seal(
    out: Annotated[Path | None, typer.Option("--out", dir_okay=False, help="Write the seal to this file (else print it).", show_default=False)] = None,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Seal the audit chain: record the seal as an entry and write its head (entry id, count, hash, time) as JSON to keep outside the system."""
    context.setup(data)
    from vigil.audit.services import audit_seal  # noqa: PLC0415  (after Django starts)

    try:
        sealed = audit_seal(actor=context.acting_user(as_user))
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(1) from None
    text = json.dumps(sealed.to_json(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    with out.open("x", encoding="utf-8") as fh:
        fh.write(text)
    err.print(f"sealed entry #{sealed.entry_id} ({sealed.count} entries, head {sealed.head_hash}) into {out}", highlight=False)
