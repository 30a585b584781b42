"""Writing export rows as CSV, XLSX or JSON, byte for byte the same for the same rows.

Nothing here touches the database: a writer takes the columns and an iterable of row tuples.
Exports are compared by hash (did anything change since last month's export?), so every format
is deterministic: no timestamps, fixed zip entry dates and workbook properties, sorted JSON keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

#: Separator of the values of a list column in CSV and XLSX cells (JSON has arrays).
LIST_SEPARATOR = " | "
#: Identifies the layout of a JSON export; raised when the layout changes incompatibly.
JSON_FORMAT = "vigil-export/1"
#: Workbook creation date and zip entry date of every XLSX export (the zip format starts in 1980).
FIXED_TIME = dt.datetime(1980, 1, 1, 0, 0, 0)


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class Kind(StrEnum):
    """What a column holds, in every format."""

    INTEGER = "integer"
    TEXT = "text"
    PARTIAL_DATE = "partial date"  # as vigil writes it: 2018, 2018-03, 2018-03-12, ~1975, 1975/1980
    DATE = "date"  # YYYY-MM-DD
    INTEGER_LIST = "list of integers"
    TEXT_LIST = "list of texts"

    @property
    def is_list(self) -> bool:
        return self in (Kind.INTEGER_LIST, Kind.TEXT_LIST)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    meaning: str
    example: str
    #: The access action a reader needs for this column to be exported at all (vigil.access.RULES).
    requires: str | None = None
    #: Values the column takes (for the JSON Schema's enum), when it is a closed list.
    choices: tuple[str, ...] = ()


Row = Sequence[Any]
Progress = Callable[[int], None]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def write_csv(handle: IO[bytes], columns: Sequence[Column], rows: Iterable[Row], progress: Progress | None = None) -> int:
    """UTF-8 with a byte order mark (so spreadsheet programs read the scripts right), CRLF line ends."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_cell_text(v) for v in row])
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    text.flush()
    text.detach()
    return count


def write_json(handle: IO[bytes], columns: Sequence[Column], rows: Iterable[Row], *, dataset: str, progress: Progress | None = None) -> int:
    """One JSON object: ``columns``, ``dataset``, ``format`` and ``rows`` (one object per line, keys sorted)."""
    names = [c.name for c in columns]
    head = json.dumps({"columns": names, "dataset": dataset, "format": JSON_FORMAT}, ensure_ascii=False, sort_keys=True)
    handle.write((head[:-1] + ', "rows": [').encode())
    count = 0
    for row in rows:
        obj = {n: (list(v) if isinstance(v, tuple) else v) for n, v in zip(names, row)}
        handle.write((",\n" if count else "\n").encode() + json.dumps(obj, ensure_ascii=False, sort_keys=True).encode())
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    handle.write(("\n]}\n" if count else "]}\n").encode())
    return count


class _FixedTimeZip(ZipFile):
    """A zip whose entries all carry FIXED_TIME and the same permissions, whatever the clock says."""

    def _info(self, name: str) -> ZipInfo:
        info = ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname: str | ZipInfo, data: Any, compress_type: int | None = None, compresslevel: int | None = None) -> None:  # type: ignore[override]
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, ZipInfo) else zinfo_or_arcname
        super().writestr(self._info(name), data)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None, compresslevel: int | None = None) -> None:  # type: ignore[override]
        # openpyxl's write-only sheets are temporary files, added with their own modification time.
        with open(filename, "rb") as src, self.open(self._info(str(arcname or filename)), "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def write_xlsx(handle: IO[bytes], columns: Sequence[Column], rows: Iterable[Row], *, dataset: str, progress: Progress | None = None) -> int:
    """One sheet named after the dataset, header in the first row; written in openpyxl's write-only mode."""
    from openpyxl import Workbook  # noqa: PLC0415  (heavy; only XLSX exports need it)
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415

    wb = Workbook(write_only=True)
    wb.properties.creator = "vigil"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    ws = wb.create_sheet(dataset)
    ws.append([c.name for c in columns])
    count = 0
    for row in rows:
        ws.append([_cell_text(v) if isinstance(v, list | tuple) else v for v in row])
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    # Workbook.save() would stamp "modified" with the clock; ExcelWriter writes what is set.
    with _FixedTimeZip(handle, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return count


def write_table(
    path: Path, fmt: Format, columns: Sequence[Column], rows: Iterable[Row], *, dataset: str, progress: Progress | None = None
) -> int:
    """Write ``rows`` to ``path`` in ``fmt`` through a temporary file beside it: never half a file. Returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if fmt is Format.CSV:
                count = write_csv(handle, columns, rows, progress)
            elif fmt is Format.JSON:
                count = write_json(handle, columns, rows, dataset=dataset, progress=progress)
            else:
                count = write_xlsx(handle, columns, rows, dataset=dataset, progress=progress)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def json_schema(*, dataset: str, title: str, columns: Sequence[Column]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a JSON export of ``columns``; gated columns are optional."""

    def value_schema(c: Column) -> dict[str, Any]:
        base: dict[str, Any]
        if c.kind is Kind.INTEGER:
            base = {"type": ["integer", "null"]}
        elif c.kind is Kind.INTEGER_LIST:
            return {"type": "array", "items": {"type": "integer"}, "description": c.meaning}
        elif c.kind is Kind.TEXT_LIST:
            return {"type": "array", "items": {"type": "string"}, "description": c.meaning}
        elif c.kind is Kind.DATE:
            base = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        elif c.kind is Kind.PARTIAL_DATE:
            base = {"type": ["string", "null"], "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?|~\d{4}|\d{4}/\d{4})$"}
        else:
            base = {"type": ["string", "null"]}
        if c.choices:
            base["enum"] = [*c.choices, None]
        base["description"] = c.meaning
        return base

    names = [c.name for c in columns]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://vigil.example/schemas/{dataset}.json",
        "title": title,
        "type": "object",
        "required": ["columns", "dataset", "format", "rows"],
        "additionalProperties": False,
        "properties": {
            "columns": {"type": "array", "items": {"enum": names}, "description": "The columns present, in order (some need a permission)"},
            "dataset": {"const": dataset},
            "format": {"const": JSON_FORMAT},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [c.name for c in columns if c.requires is None],
                    "properties": {c.name: value_schema(c) for c in columns},
                },
            },
        },
    }


def column_dictionary(columns: Sequence[Column]) -> str:
    """The Markdown table of ``columns`` that docs/exports.md carries (tested to match)."""
    lines = ["| column | type | meaning | example |", "| --- | --- | --- | --- |"]
    for c in columns:
        meaning = c.meaning + (f" Only for readers who may `{c.requires}`." if c.requires else "")
        lines.append(f"| `{c.name}` | {c.kind.value} | {meaning} | `{c.example}` |" if c.example else f"| `{c.name}` | {c.kind.value} | {meaning} | |")
    return "\n".join(lines)
