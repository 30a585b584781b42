"""`vigil names`: romanise and compare names across scripts from the command line."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

from vigil.core.names import MATCH_THRESHOLD, detect_script, explain, romanize

app = typer.Typer(help="Cross-script name matching: romanise a name, compare two names.", no_args_is_help=True)
console = Console()


@app.command("romanize")
def romanize_command(text: str = typer.Argument(..., help="A name in any script.")) -> None:
    """Print a readable Latin form of a name in Cyrillic, Latin, Arabic script or Chinese characters."""
    console.print(f"{romanize(text)}\t[dim]({detect_script(text).value})[/dim]")


@app.command("compare")
def compare_command(
    a: str = typer.Argument(..., help="First name, any script."),
    b: str = typer.Argument(..., help="Second name, any script."),
) -> None:
    """Score two names, say whether the score reaches the match threshold, and show how their parts align."""
    e = explain(a, b)
    verdict = "[green]same name[/green]" if e.is_match else "[red]different names[/red]"
    console.print(f"score {e.score:.3f} (threshold {MATCH_THRESHOLD:.2f}): {verdict}")
    table = Table("a", "b", "a (latin)", "b (latin)", "kind", "score")
    for p in e.parts:
        table.add_row(p.a or "—", p.b or "—", p.a_latin or "", p.b_latin or "", p.kind, f"{p.score:.2f}")
    console.print(table)


if __name__ == "__main__":
    app()


@app.command("reindex")
def reindex(
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Recompute the romanised form and match keys of every stored name (after the name rules change)."""
    context.setup(data)
    from vigil.records.services.names import names_reindex  # noqa: PLC0415  (after Django starts)

    with Progress(TextColumn("reindexing names"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("names", total=None)
        changed = names_reindex(actor=context.acting_user(as_user), progress=lambda done, total: bar.update(task, completed=done, total=total))
    console.print(f"{changed} names changed")
