"""vigil report: the WGEID case form of one person, and the statistics report for a period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="Reports: UN WGEID case forms and statistics, as PDF or HTML.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

OutOption = Annotated[Path, typer.Option("--out", help="The file to write: FILE.pdf or FILE.html.", dir_okay=False)]


def _format(out: Path) -> str:
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise typer.BadParameter(f"{out}: the file must end in .pdf or .html", param_hint="--out")
    return fmt


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=option) from None


@app.command("wgeid")
def wgeid(
    person_id: Annotated[int, typer.Argument(help="The person's record number (any record of a merged person).")],
    out: OutOption,
    new: Annotated[bool, typer.Option("--new", help="Start a fresh case form from the record instead of using the latest one.")] = False,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Write the person's WGEID case form: the latest one reviewed in the web interface, else a new one filled from the record."""
    fmt = _format(out)
    context.setup(data)
    from vigil.records.models import Person  # noqa: PLC0415  (after Django starts)
    from vigil.reports.selectors import case_form_document, case_forms  # noqa: PLC0415
    from vigil.reports.services import case_form_create, case_form_export  # noqa: PLC0415

    user = context.acting_user(as_user)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        err.print(f"[red]no person record #{person_id}[/red]")
        raise typer.Exit(1)
    form = None if new else case_forms(actor=user, person=person).first()
    if form is None:
        form = case_form_create(actor=user, person=person)
        console.print(f"started case form #{form.pk} from the record (review it in the web interface under Reports)")
    out.write_bytes(case_form_export(actor=user, case_form=form, fmt=fmt))  # type: ignore[arg-type]
    missing = case_form_document(actor=user, case_form=form).missing_titles
    console.print(f"wrote case form #{form.pk} of person #{form.person_id} to {out}")
    if missing:
        err.print("[yellow]not yet stated:[/yellow] " + "; ".join(missing), highlight=False)


@app.command("stats")
def stats(
    date_from: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")],
    date_to: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")],
    out: OutOption,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Write the statistics report for a period: counts, charts, a map of facilities, per-county and per-facility tables (no names)."""
    fmt = _format(out)
    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if end < start:
        raise typer.BadParameter("the period ends before it starts", param_hint="--to")
    context.setup(data)
    from vigil.reports.services import statistics_export  # noqa: PLC0415  (after Django starts)

    user = context.acting_user(as_user)
    out.write_bytes(statistics_export(actor=user, date_from=start, date_to=end, fmt=fmt))  # type: ignore[arg-type]
    console.print(f"wrote the statistics report {start} – {end} to {out}")
