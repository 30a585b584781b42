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


@app.command("persons")
def persons(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A .csv, .tsv or .xlsx file, the first row naming the columns.")],
    source: Annotated[str, typer.Option("--source", help="Who the file comes from; its column mapping is saved under this name.")],
    map_: Annotated[list[str] | None, typer.Option("--map", help="COLUMN=FIELD, once per mapped column (else the mapping saved for the source). Fields: ref, full_name, given_name, father_name, family_name, birth_date, birth_year, sex, ethnicity, id_number, place, address, facility, detained_date.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what each row would become; write nothing.")] = False,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Import persons from a CSV/XLSX file: one new record per row, probable matches proposed for review; any bad row imports nothing.

    With --dry-run, each row is reported as "would create" or "would match person #N (score)".
    """
    context.setup(data)
    from vigil.records.services.person_imports import PersonImportProblems, persons_import  # noqa: PLC0415

    user = context.acting_user(as_user)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("looking for persons on record", total=None)
        try:
            report = persons_import(
                actor=user, path=file, source=source, mapping=map_ or None, dry_run=dry_run,
                progress=lambda _stage, done, total: bar.update(task, completed=done, total=total),
            )
        except PersonImportProblems as exc:
            bar.stop()
            for p in exc.problems:
                err.print(str(p), markup=False, highlight=False, soft_wrap=True)
            err.print(f"[red]{len(exc.problems)} problem(s); nothing was imported.[/red]")
            raise typer.Exit(1) from None
    for outcome in report.rows:
        console.print(outcome.describe(dry_run=dry_run), markup=False, highlight=False, soft_wrap=True)
    created = len(report.rows) - report.matched
    if dry_run:
        console.print(f"dry run: {len(report.rows)} rows, {created} would be new persons, {report.matched} probably on record; nothing was written", soft_wrap=True)
    else:
        console.print(
            f"imported {len(report.rows)} person records from {file.name} as document #{report.document_id}; "
            f"{report.matched} proposed for review as matches; mapping saved for source {source!r}",
            soft_wrap=True,
        )
