"""``vigil export``: data out of vigil. ``public`` writes the public dataset (what /public/data.csv and
/public/data.json serve, byte for byte)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vigil.cli import context
from vigil.cli.options import DataOption

app = typer.Typer(help="Export data out of vigil.", no_args_is_help=True)
console = Console()


class DatasetFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("public")
def public(
    out: Annotated[Path, typer.Option("--out", help="File to write (replaced whole, only once complete).", dir_okay=False)],
    format: Annotated[DatasetFormat, typer.Option("--format", help="csv: a row per reported fact; json: see docs/public-dataset.schema.json.")] = DatasetFormat.JSON,
    data: DataOption = None,
) -> None:
    """Write the public dataset: only persons and claims whose sources' consent allows publication (docs/public.md)."""
    context.setup(data)
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415  (after Django starts)

    from vigil.public.dataset import dataset  # noqa: PLC0415

    # The public dataset is the same for everyone: it is read as the anonymous public would read it.
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            for piece in dataset(actor=AnonymousUser(), format=format.value):
                fh.write(piece)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    console.print(f"wrote the public dataset ({format.value}) to {out}")
