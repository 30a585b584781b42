from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()


def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write testimonies.jsonl, leaked-list.csv, truth.csv, records.csv.")],
    persons: Annotated[int, typer.Option("--persons", min=1, help="How many synthetic persons.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")] = 1,
) -> None:
    """Generate a synthetic population (no real person) with its testimonies, a leaked list and the ground truth."""
    from vigil.core.synth import write  # noqa: PLC0415  (keeps `vigil --help` fast)

    out.mkdir(parents=True, exist_ok=True)
    with Progress(TextColumn("generating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("persons", total=persons)
        summary = write(persons=persons, seed=seed, out=out, progress=lambda done: bar.update(task, completed=done))
    console.print(
        f"{summary.persons} persons ({summary.list_only_persons} only on the list), {summary.testimonies} testimonies "
        f"from {summary.testifiers} testifiers, {summary.person_records} testimony person records, "
        f"{summary.list_rows} list rows, {summary.facilities} facilities → {out}"
    )


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)
