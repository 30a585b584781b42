"""The file formats of exports, without a database."""

import csv
import io
import json
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from vigil.exports.columns import DATASETS, PERSONS
from vigil.exports.formats import LIST_SEPARATOR, Column, Format, Kind, column_dictionary, write_table
from vigil.exports.schemas import schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = [
    Column("id", Kind.INTEGER, "id", "1"),
    Column("names", Kind.TEXT_LIST, "names", "a | b"),
    Column("born", Kind.PARTIAL_DATE, "birth", "1978"),
    Column("code", Kind.TEXT, "a code", "654021"),
]
ROWS = [
    (1, ["Ерлан Серікұлы", "叶尔兰·赛力克"], "1978", "654021"),
    (2, [], None, " spaced & <odd>\x01 "),
    (3, ["ئىلھام توختى"], "~1969", None),
]


def _write(tmp_path, fmt, name="out"):
    path = tmp_path / f"{name}.{fmt}"
    write_table(path, Format(fmt), COLUMNS, iter(ROWS), dataset="persons")
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_same_rows_give_the_same_bytes(tmp_path, fmt):
    """Two exports of the same rows, a few seconds apart, are byte for byte the same."""
    first = _write(tmp_path, fmt, "first").read_bytes()
    time.sleep(2.1)  # zip entries carry times to two seconds
    assert _write(tmp_path, fmt, "second").read_bytes() == first


def test_xlsx_carries_no_clock_time(tmp_path):
    """Every zip entry of an XLSX export is dated 1980-01-01 and the workbook's created/modified are fixed."""
    path = _write(tmp_path, "xlsx")
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core
    wb = load_workbook(path)
    assert wb.properties.created.year == 1980 and wb.properties.modified.year == 1980


def test_xlsx_reads_back_with_types(tmp_path):
    """A spreadsheet program reads the XLSX back: numbers as numbers, codes as text, lists joined, XML-unsafe text kept."""
    ws = load_workbook(_write(tmp_path, "xlsx")).worksheets[0]
    assert ws.title == "persons"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("id", "names", "born", "code")
    assert rows[1] == (1, f"Ерлан Серікұлы{LIST_SEPARATOR}叶尔兰·赛力克", "1978", "654021")
    assert rows[2] == (2, None, None, " spaced & <odd> ")
    assert rows[3][2] == "~1969"


def test_csv_is_utf8_with_bom_and_joined_lists(tmp_path):
    """CSV starts with a byte order mark (spreadsheet programs then read every script right); lists are joined."""
    data = _write(tmp_path, "csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,names,born,code\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["1", "Ерлан Серікұлы | 叶尔兰·赛力克", "1978", "654021"]
    assert rows[2][1:3] == ["", ""]


def test_json_has_sorted_keys_and_arrays(tmp_path):
    """JSON keeps lists as arrays and missing values as null, with every object's keys sorted."""
    text = _write(tmp_path, "json").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["columns"] == ["id", "names", "born", "code"] and doc["dataset"] == "persons"
    assert doc["rows"][0] == {"born": "1978", "code": "654021", "id": 1, "names": ["Ерлан Серікұлы", "叶尔兰·赛力克"]}
    assert doc["rows"][2]["code"] is None
    for line in text.splitlines()[1:-1]:
        obj = json.loads(line.rstrip(","))
        assert list(obj) == sorted(obj)


def test_an_empty_export_is_still_valid(tmp_path):
    """No rows: a header-only CSV, a one-row sheet, and JSON with an empty list."""
    for fmt in Format:
        write_table(tmp_path / f"e.{fmt}", fmt, COLUMNS, iter([]), dataset="persons")
    assert json.loads((tmp_path / "e.json").read_text())["rows"] == []
    assert list(load_workbook(tmp_path / "e.xlsx").worksheets[0].iter_rows(values_only=True)) == [("id", "names", "born", "code")]


def test_a_failed_export_leaves_no_file(tmp_path):
    """An error while rows are written leaves neither the file nor a temporary one."""

    def rows():
        yield ROWS[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / "x.csv", Format.CSV, COLUMNS, rows(), dataset="persons")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_published_schemas_are_current(dataset):
    """docs/schemas/DATASET.json is what the code generates (regenerate: python -m vigil.exports.schemas)."""
    path = ROOT / "docs" / "schemas" / f"{dataset}.json"
    assert path.read_text(encoding="utf-8") == schema_text(dataset), "run: PYTHONPATH=src python -m vigil.exports.schemas docs/schemas"
    jsonschema.Draft202012Validator.check_schema(schema(dataset))


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_docs_carry_the_column_dictionary(dataset):
    """docs/exports.md lists every column of every export with its type, meaning and example."""
    docs = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    _title, columns = DATASETS[dataset]
    assert column_dictionary(columns) in docs, f"update the {dataset} table in docs/exports.md"
    for c in columns:
        assert c.meaning and c.example


def test_schema_rejects_an_unknown_column():
    """The published schema allows no column it does not describe (so nothing extra slips into an export)."""
    doc = {"columns": ["person_id"], "dataset": "persons", "format": "vigil-export/1", "rows": [{"person_id": 1, "phone": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema("persons"))
    assert any(c.requires for c in PERSONS)
