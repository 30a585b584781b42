"""Reading tabular files (CSV, XLSX) exactly as they are, with errors that name file, row and column.

Leaked lists arrive as spreadsheets or CSV in UTF-8 (with or without BOM) or GB18030. Every
cell is kept as text as it was in the file; nothing is interpreted here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook


@dataclass(frozen=True, slots=True)
class TableProblem:
    file: str
    row: int | None  # as a spreadsheet numbers it: 1 = the header, 2 = the first data row; None = the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":row {self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class TableError(ValueError):
    def __init__(self, problem: TableProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # as a spreadsheet numbers it (the header is row 1)
    cells: dict[str, str]  # by column name, as in the file


@dataclass(frozen=True, slots=True)
class Table:
    header: list[str]
    rows: list[TableRow]


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(TableProblem(name, None, None, "the file is neither UTF-8 nor GB18030 text"))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_header(header: list[str], name: str) -> list[str]:
    header = [h.strip() for h in header]
    if not header or not any(header):
        raise TableError(TableProblem(name, None, None, "the first row must name the columns"))
    seen: set[str] = set()
    for i, h in enumerate(header, start=1):
        if not h:
            raise TableError(TableProblem(name, None, f"column {i}", "a column has no name in the first row"))
        if h in seen:
            raise TableError(TableProblem(name, None, h, "two columns have this name"))
        seen.add(h)
    return header


def _rows(header: list[str], raw: Iterator[list[str]], name: str) -> Iterator[TableRow]:
    for number, cells in enumerate(raw, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise TableError(TableProblem(name, number, None, f"has {len(cells)} cells but the header names {len(header)} columns"))
        cells = cells + [""] * (len(header) - len(cells))
        yield TableRow(number, {h: cells[i].strip() for i, h in enumerate(header)})


def read_table(path: Path | str) -> Table:
    """Read a .csv or .xlsx file; raise TableError naming the file, row and column of the first problem."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise TableError(TableProblem(name, None, None, f"not a readable XLSX file ({exc.__class__.__name__})")) from None
        ws = wb.worksheets[0]
        values = ws.iter_rows(values_only=True)
        first = next(values, None)
        if first is None:
            raise TableError(TableProblem(name, None, None, "the sheet is empty"))
        header = _check_header([_cell(v) for v in first], name)
        rows = list(_rows(header, ([_cell(v) for v in r] for r in values), name))
        wb.close()
        return Table(header, rows)
    if suffix not in (".csv", ".tsv", ".txt"):
        raise TableError(TableProblem(name, None, None, "only .csv, .tsv and .xlsx files can be read"))
    text = _decode(path.read_bytes(), name)
    delimiter = "\t" if suffix == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        first = next(reader, None)
        if first is None:
            raise TableError(TableProblem(name, None, None, "the file is empty"))
        header = _check_header(first, name)
        rows = list(_rows(header, reader, name))
    except csv.Error as exc:
        raise TableError(TableProblem(name, reader.line_num, None, f"not valid CSV: {exc}")) from None
    return Table(header, rows)
