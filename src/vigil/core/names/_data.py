"""Reading the hand-written tables in ``data/`` (TSV with ``#`` comment lines and a header row)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/<name>`` as dicts keyed by the header; ``#`` lines are comments."""
    text = resources.files("vigil.core.names").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return tuple(rows)


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """Non-comment lines of ``data/<name>``."""
    text = resources.files("vigil.core.names").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
