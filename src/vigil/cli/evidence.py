from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="Evidence files: their custody and integrity.", no_args_is_help=True)
console = Console(soft_wrap=True)  # hashes and paths stay on one line, for grep
err = Console(stderr=True, soft_wrap=True)


@app.command("verify")
def verify(data: DataOption = None, as_user: AsOption = None) -> None:
    """Re-hash every original and working copy; name each that changed or is missing, and files no record knows (exit 1 if any)."""
    context.setup(data)
    from vigil.evidence.custody import evidence_verify, stored_record_count  # noqa: PLC0415  (after Django starts)

    user = context.acting_user(as_user)
    with Progress(TextColumn("re-hashing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task("files", total=stored_record_count())
        check = evidence_verify(actor=user, progress=lambda _record: bar.advance(task))
    for problem in check.changed + check.missing:
        console.print(f"[red]{problem}[/red]", highlight=False)
    for path in check.unknown:
        console.print(f"[yellow]unknown file: {path} (no record knows it)[/yellow]", highlight=False)
    summary = f"{check.checked} files checked: {len(check.changed)} changed, {len(check.missing)} missing, {len(check.unknown)} unknown"
    if check.ok:
        console.print(f"[green]evidence intact[/green]: {summary}")
        return
    console.print(f"[red]evidence not intact[/red]: {summary}")
    raise typer.Exit(1)


@app.command("export")
def export(
    sha256: Annotated[str, typer.Argument(help="The evidence file's SHA-256 (or a unique prefix of at least 12 characters).")],
    out: Annotated[Path, typer.Option("--out", file_okay=False, help="Folder to write the file and its custody record to.")],
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Export an original with its custody record (its SHA-256 and every audit entry about it)."""
    context.setup(data)
    from vigil.evidence.custody import evidence_export  # noqa: PLC0415  (after Django starts)
    from vigil.evidence.models import EvidenceFile  # noqa: PLC0415

    if len(sha256) < 12:
        err.print("[red]give at least 12 characters of the SHA-256[/red]")
        raise typer.Exit(2)
    matches = list(EvidenceFile.objects.filter(sha256__startswith=sha256.lower())[:2])
    if len(matches) != 1:
        err.print(f"[red]{'no' if not matches else 'more than one'} evidence file with sha256 {sha256}…[/red]", highlight=False)
        raise typer.Exit(1)
    result = evidence_export(actor=context.acting_user(as_user), evidence=matches[0], folder=out)
    console.print(f"exported {result.file} with its custody record {result.custody_record}", highlight=False)


@app.command("encrypt")
def encrypt(data: DataOption = None, as_user: AsOption = None) -> None:
    """Encrypt at rest, in place, every stored file that VIGIL_MEDIA_ENCRYPTION now says must be (files of testimonies without full consent, working copies of encrypted originals, documents); exit 1 if a file could not be."""
    context.setup(data)
    from vigil.evidence.services import evidence_encrypt_due  # noqa: PLC0415  (after Django starts)

    report = evidence_encrypt_due(actor=context.acting_user(as_user))
    for problem in report.problems:
        console.print(f"[red]not encrypted: {problem}[/red]", highlight=False)
    console.print(
        f"{report.files} files encrypted ({len(report.evidence)} evidence files with their working copies, {len(report.documents)} documents)",
        highlight=False,
    )
    if report.problems:
        raise typer.Exit(1)
