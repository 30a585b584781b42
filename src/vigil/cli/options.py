from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Data folder (else VIGIL_DATA_DIR, else ./vigil-data).", show_default=False),
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user (else VIGIL_USER, else the first administrator).", show_default=False),
]
