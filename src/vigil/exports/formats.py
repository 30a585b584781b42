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
import re
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


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Two cell formats: 0 plain, 1 bold (the header row).
_STYLES = (
    f'<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    if _ILLEGAL_XML.search(value):
        value = _ILLEGAL_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _zip_entry(name: str) -> ZipInfo:
    """A zip entry stamped FIXED_TIME with fixed permissions, whatever the clock and umask say."""
    info = ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
    info.compress_type = ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def write_xlsx(handle: IO[bytes], columns: Sequence[Column], rows: Iterable[Row], *, dataset: str, progress: Progress | None = None) -> int:
    """One sheet named after the dataset, with a bold, frozen header row; numbers as numbers, text inline.

    The workbook is written here rather than with openpyxl: openpyxl's write-only mode spends
    about 15 µs a cell (a 100,000-person export took over 40 s of CPU on its own), this about 1 µs,
    and every part of the file, its zip entry dates included, is fixed. Tests read it back with openpyxl.
    """
    letters = [_column_letter(i) for i in range(len(columns))]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>vigil export: {_xml_text(dataset)}</dc:title><dc:creator>vigil</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    workbook = (
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
        f'<sheet name="{_xml_text(dataset[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    count = 0
    with ZipFile(handle, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("docProps/core.xml", core),
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/styles.xml", _STYLES),
        ):
            archive.writestr(_zip_entry(name), _XML_HEAD + text)
        with archive.open(_zip_entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as sheet:
            header = "".join(
                f'<c r="{letter}1" t="inlineStr" s="1"><is><t>{_xml_text(c.name)}</t></is></c>' for letter, c in zip(letters, columns)
            )
            sheet.write((
                f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}"><sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                f'<sheetData><row r="1">{header}</row>'
            ).encode())
            parts: list[str] = []
            for row in rows:
                count += 1
                r = count + 1
                cells = []
                for letter, value in zip(letters, row):
                    if value is None:
                        continue
                    if isinstance(value, int) and not isinstance(value, bool):
                        cells.append(f'<c r="{letter}{r}"><v>{value}</v></c>')
                        continue
                    text = _cell_text(value)
                    if text:
                        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
                        cells.append(f'<c r="{letter}{r}" t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>')
                parts.append(f'<row r="{r}">{"".join(cells)}</row>')
                if count % 1000 == 0:
                    sheet.write("".join(parts).encode())
                    parts = []
                    if progress:
                        progress(count)
            parts.append("</sheetData></worksheet>")
            sheet.write("".join(parts).encode())
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
        # A pipe inside a table cell, even in code, must be escaped in Markdown tables.
        meaning, example = meaning.replace("|", "\\|"), c.example.replace("|", "\\|")
        lines.append(f"| `{c.name}` | {c.kind.value} | {meaning} | `{example}` |")
    return "\n".join(lines)
