from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="Bring records into vigil.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("testimonies")
def testimonies(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A JSON Lines file (docs/import-format.md).")],
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Import testimonies from a JSON Lines file: all of them, or, if any line has a problem, none."""
    context.setup(data)
    from vigil.records.services import ImportProblems, testimonies_import  # noqa: PLC0415

    user = context.acting_user(as_user)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task("checking lines" if stage == "validate" else "importing", total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = testimonies_import(actor=user, path=file, progress=progress)
        except ImportProblems as exc:
            bar.stop()
            for p in exc.problems:
                err.print(str(p), markup=False, highlight=False)
            more = " (only the first ones are shown)" if exc.truncated else ""
            err.print(f"[red]{len(exc.problems)} problem(s){more}; nothing was imported.[/red]")
            raise typer.Exit(1) from None
    c = report.counts
    console.print(
        f"imported {c.testimonies} testimonies: {c.persons} person records, {c.names} names, "
        f"{c.identity_numbers} identity numbers, {c.claims} claims, {c.testifiers} new testifiers, "
        f"{c.facilities} new facilities in {report.seconds:.1f} s"
    )
