"""``vigil export``: persons, claims and testimonies as CSV, XLSX or JSON (docs/exports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="Export the record as CSV, XLSX or JSON (see docs/exports.md).", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

FormatOption = Annotated[str, typer.Option("--format", help="csv, xlsx or json.")]
OutOption = Annotated[Path, typer.Option("--out", dir_okay=False, help="The file to write (replaced whole, never half-written).")]


def _export(dataset: str, fmt: str, out: Path, data: Path | None, as_user: str | None) -> None:
    context.setup(data)
    from django.core.exceptions import PermissionDenied, ValidationError  # noqa: PLC0415  (after Django starts)

    from vigil.exports.services import export_run  # noqa: PLC0415

    user = context.acting_user(as_user)
    with Progress(TextColumn(f"exporting {dataset}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task(dataset, total=None)
        try:
            report = export_run(
                actor=user, dataset=dataset, fmt=fmt, out=out,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except (PermissionDenied, ValidationError) as exc:
            bar.stop()
            err.print(f"[red]error:[/red] {' '.join(getattr(exc, 'messages', [str(exc)]))}", highlight=False)
            raise typer.Exit(1) from None
    console.print(
        f"wrote {report.rows} {dataset} rows ({len(report.columns)} columns) to {out} in {report.seconds:.1f} s; "
        f"sha256 {report.sha256}", highlight=False, soft_wrap=True,
    )


@app.command("persons")
def persons(out: OutOption, fmt: FormatOption = "csv", data: DataOption = None, as_user: AsOption = None) -> None:
    """Export one row per person (cluster of records): names, birth, hometown, status, sources, record ids."""
    _export("persons", fmt, out, data, as_user)


@app.command("claims")
def claims(out: OutOption, fmt: FormatOption = "csv", data: DataOption = None, as_user: AsOption = None) -> None:
    """Export one row per claim: the person, what is claimed, when, where, and the source that asserts it."""
    _export("claims", fmt, out, data, as_user)


@app.command("testimonies")
def testimonies(out: OutOption, fmt: FormatOption = "csv", data: DataOption = None, as_user: AsOption = None) -> None:
    """Export testimonies' metadata (dates, language, consent, persons concerned); never who testified."""
    _export("testimonies", fmt, out, data, as_user)
