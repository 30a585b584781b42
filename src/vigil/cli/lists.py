from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="Leaked lists: import them and link their rows to persons on record.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A .csv, .tsv or .xlsx file.")],
    name: Annotated[str, typer.Option("--name", help="Title of the list, e.g. where it came from.")],
    map_: Annotated[list[str], typer.Option("--map", help="COLUMN=FIELD, once per mapped column (fields: full_name, given_name, father_name, family_name, birth_date, birth_year, sex, ethnicity, id_number, place, address, facility, detained_date, ref).")],
    provenance: Annotated[str, typer.Option(help="How and from whom the list was obtained.")] = "",
    link: Annotated[bool, typer.Option("--link/--no-link", help="Propose matches between the rows and persons on record.")] = True,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Import a leaked list: the file is kept as a document with every row as it was; any bad row imports nothing."""
    context.setup(data)
    from vigil.linkage.lists import ListProblems, list_import  # noqa: PLC0415  (after Django starts)
    from vigil.linkage.runs import list_link  # noqa: PLC0415

    user = context.acting_user(as_user)
    try:
        result = list_import(actor=user, path=file, title=name, mapping=map_, provenance=provenance)
    except ListProblems as exc:
        for p in exc.problems:
            err.print(str(p), markup=False, highlight=False)
        err.print(f"[red]{len(exc.problems)} problem(s); nothing was imported.[/red]")
        raise typer.Exit(1) from None
    console.print(f"stored {result.rows} rows of {file.name} as document #{result.document.pk} (sha256 {result.document.sha256[:16]}…)")
    if link:
        report = list_link(actor=user, document=result.document, progress=lambda step: console.print(f"  {step}"))
        console.print(f"proposed {report.proposed} matches for {report.rows_matched} of {result.rows} rows (model {report.model_id})")
