"""Reading the CSV linker's input: researchers' spreadsheets, checked cell by cell.

Every column but ``id`` is optional; unknown columns are ignored. A malformed cell stops the reading with
an :class:`InputError` that names the file, the row (as a spreadsheet numbers it: the header is row 1)
and the column, so that nothing is linked on half-read data.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.core.linkage.features import (
    PreparedRecord,
    complete_record,
    full_name,
    normalize_sex,
    prepare_unnamed,
)
from vigil.core.linkage.custody import detained_fields
from vigil.core.linkage.gcpause import paused_gc
from vigil.core.linkage.workers import InWorkers

#: The columns the linker reads; all optional but ``id``.
COLUMNS: tuple[str, ...] = (
    "id", "full_name", "given_name", "father_name", "family_name", "birth_date", "birth_year",
    "sex", "ethnicity", "id_number", "place", "address", "facility", "detained_date",
)

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class InputError(ValueError):
    """A malformed input file: where (file, row, column) and why."""

    def __init__(self, path: Path | str, row: int, column: str | None, message: str) -> None:
        self.path, self.row, self.column, self.message = str(path), row, column, message
        where = f"{path}, row {row}" + (f", column {column!r}" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One input row with its cells checked: strings stripped, empty cells None."""

    values: dict[str, Any]
    row: int


def parse_birth_date(value: str) -> str:
    """``YYYYMMDD`` for a day, ``YYYY`` for a year (``YYYY-MM`` keeps its year); ValueError otherwise.

    A date of the right shape that is not a real day (19900230, a typo in a list) is kept as written: its
    digits are still evidence.
    """
    v = value.strip()
    m = _ISO.match(v) or _COMPACT.match(v)
    if m:
        return f"{m[1]}{m[2]}{m[3]}"
    m = _YEAR.match(v) or _MONTH.match(v)
    if m:
        return m[1]
    raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, YYYYMMDD or YYYY")


def _empty_id(path: Path, row: int) -> InputError:
    return InputError(path, row, "id", "the id is empty; every record needs one")


def _check(values: dict[str, str], path: Path, row: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in COLUMNS:
        raw = values.get(column)
        value = raw.strip() if raw is not None else ""
        if column == "id":
            if not value:
                raise _empty_id(path, row)
            out["id"] = value
            continue
        if not value:
            out[column] = None
            continue
        try:
            if column == "birth_date":
                out[column] = parse_birth_date(value)
            elif column == "birth_year":
                if not _YEAR.match(value):
                    raise ValueError(f"{value!r} is not a four-digit year")
                out[column] = int(value)
            elif column == "sex":
                out[column] = normalize_sex(value)
            elif column == "detained_date":
                detained_fields(value)  # raises for a cell that is no date; the text is read again, cached
                out[column] = value
            else:
                out[column] = value
        except ValueError as exc:
            raise InputError(path, row, column, str(exc)) from None
    return out


#: The columns whose cells are more than stripped text, checked in :data:`COLUMNS` order after the id.
_TYPED = ("birth_date", "birth_year", "sex", "detained_date")


class _RowChecker:
    """:func:`_check` for the rows of one file, with each column's place in the row found once from the header.

    A row as long as the header (nearly every row) is read by position; a shorter one goes through
    :func:`_check`. Each distinct date, year and sex is parsed once: a million rows share a few thousand.
    """

    def __init__(self, header: list[str], path: Path) -> None:
        self.header, self.path = header, path
        where = {column: i for i, column in enumerate(header)}  # the last of two equal columns, as dict(zip())
        self.width = len(header)
        self.id_at = where["id"]
        self.texts = [(c, where[c]) for c in COLUMNS if c in where and c != "id" and c not in _TYPED]
        self.typed = [(c, where[c]) for c in _TYPED if c in where]
        self.template: dict[str, Any] = dict.fromkeys(COLUMNS)
        self.parsed: dict[str, dict[str, Any]] = {c: {} for c in _TYPED}

    def __call__(self, cells: list[str], row: int) -> dict[str, Any]:
        if len(cells) != self.width:
            return _check(dict(zip(self.header, cells)), self.path, row)
        unique_id = cells[self.id_at].strip()
        if not unique_id:
            raise _empty_id(self.path, row)
        out = self.template.copy()
        out["id"] = unique_id
        for column, at in self.texts:
            value = cells[at].strip()
            if value:
                out[column] = value
        for column, at in self.typed:
            value = cells[at].strip()
            if value:
                parsed = self.parsed[column]
                if value not in parsed:
                    parsed[value] = _check({column: value, "id": unique_id}, self.path, row)[column]
                out[column] = parsed[value]
        return out


def iter_records(path: Path | str) -> Iterator[RawRecord]:
    """The checked rows of a linker CSV, in order. Raises :class:`InputError` at the first bad cell."""
    for values, row in _checked_rows(path):
        yield RawRecord(values, row)


def _checked_rows(path: Path | str) -> Iterator[tuple[dict[str, Any], int]]:
    """:func:`iter_records` as (values, row) pairs, for the callers that read millions of rows."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(path, 0, None, f"cannot be read ({exc.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(path, 1, None, f"the header cannot be read ({exc})") from None
        if header is None:
            raise InputError(path, 1, None, "the file is empty; it needs a header row with an 'id' column")
        header = [h.strip().lower() for h in header]
        if "id" not in header:
            raise InputError(path, 1, "id", f"the header has no 'id' column (it has {', '.join(header)})")
        check = _RowChecker(header, path)
        seen: dict[str, int] = {}
        row = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise InputError(path, row + 1, None, "is not UTF-8 text; save the sheet as CSV UTF-8") from None
            except csv.Error as exc:
                raise InputError(path, reader.line_num, None, f"is not valid CSV ({exc})") from None
            row += 1
            if not "".join(cells).strip():
                continue
            if len(cells) > len(header):
                raise InputError(path, row, None, f"has {len(cells)} cells but the header has {len(header)} columns")
            record = check(cells, row)
            first = seen.setdefault(record["id"], row)
            if first != row:
                raise InputError(path, row, "id", f"the id {record['id']!r} is already used in row {first}")
            yield record, row


def read_records(path: Path | str) -> list[dict[str, Any]]:
    """Every checked row of a linker CSV as a dict of :data:`COLUMNS` (empty cells None)."""
    return [values for values, _row in _checked_rows(path)]


def prepare_file(path: Path | str, *, workers: int | None = None) -> list[PreparedRecord]:
    """Read, check and prepare every record of a linker CSV, for millions of records.

    One pass over the file: each row is checked and prepared but for its name and identity number, while the
    distinct names and numbers are computed in ``workers`` other processes
    (:class:`~vigil.core.linkage.workers.InWorkers`); then every record gets its name's features, shared by
    all the records with that name, and its number's. A bad cell stops the reading as :func:`read_records`
    does, before any record is returned.
    """
    with paused_gc(), InWorkers(workers=workers) as parts:
        pending: list[tuple[PreparedRecord, str | None, str | None]] = []
        failed: Exception | None = None
        for values, _row in _checked_rows(path):
            full = full_name(values)
            if full:
                full = parts.add_name(full)
            number = parts.add_id_number(values.get("id_number"))
            if failed is None:
                try:
                    pending.append((prepare_unnamed(values), full, number))
                except Exception as exc:  # noqa: BLE001 - raised below, once every row is checked, as before
                    failed = exc
        names, numbers = parts.result()
        if failed is not None:
            raise failed
        for rec, full, number in pending:
            complete_record(rec, names[full] if full else None, numbers[number] if number else None)
        out = [p[0] for p in pending]
        # Freed now, not on return: the collector, on again when the pause ends, would first walk them all.
        del pending, names, numbers
        return out
