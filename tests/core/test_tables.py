import pytest
from openpyxl import Workbook

from vigil.core.tables import TableError, read_table


def test_csv_keeps_cells_as_they_are(tmp_path):
    """Cells are kept as text, rows numbered as a spreadsheet shows them; blank rows are skipped."""
    path = tmp_path / "list.csv"
    path.write_text("姓名,身份证号\n买买提·吐尔逊, 650102198003120012\n\n古丽娜尔,\n", encoding="utf-8-sig")
    table = read_table(path)
    assert table.header == ["姓名", "身份证号"]
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, {"姓名": "买买提·吐尔逊", "身份证号": "650102198003120012"}),
        (4, {"姓名": "古丽娜尔", "身份证号": ""}),
    ]


def test_gb18030_csv_is_read(tmp_path):
    """A list saved in GB18030 (common for Chinese documents) is decoded."""
    path = tmp_path / "list.csv"
    path.write_bytes("姓名\n吐尔逊\n".encode("gb18030"))
    assert read_table(path).rows[0].cells == {"姓名": "吐尔逊"}


def test_xlsx_is_read(tmp_path):
    """The first sheet of an XLSX file is read; numbers lose no digits."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "出生日期"])
    ws.append(["吐尔逊", 19800312])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    assert read_table(path).rows[0].cells == {"姓名": "吐尔逊", "出生日期": "19800312"}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("", "empty"), ("a,,b\n1,2,3\n", "has no name"), ("a,a\n1,2\n", "two columns"), ("a,b\n1,2,3\n", "row 2: has 3 cells")],
)
def test_bad_tables_name_the_place(tmp_path, content, fragment):
    """A malformed file is refused with the file, row or column at fault."""
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(TableError, match=fragment) as exc:
        read_table(path)
    assert str(path) in str(exc.value)
