"""Preparing a whole linker CSV at once: the same records as preparing its rows one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.core.linkage import InputError, prepare_file, prepare_record, read_records
from vigil.core.linkage import workers as worker_pool

ROWS = """\
id,full_name,given_name,father_name,family_name,birth_date,birth_year,sex,ethnicity,id_number,place,address,facility
1,Ilham Tohti,,,,1969-10-25,,m,Uyghur,6531 0119 7103 1432 13,Atush,,
2,伊力哈木·土赫提,,,,,1969,男,维吾尔族,,阿图什市,,
3,,Нурбек,Турсынбекович,,19710314,,М,казах,,Кульджа,,
4,Memet Tursun,,,,,,,,653101710314321,653124,,No. 3 camp
5,,,,,,1980,f,,,,Awati County,
6,  Aygul  ,,,,1975,,,,123456,,Urumqi road 5,
7,ئىلھام توختى,,,,,,,uyghur,,قەشقەر,,
8,,Asan,,Uulu,1990-02,,,,,,
9,Ilham Tohti,,,,,1969,m,,,Zepu,,
10,Adil,,,,,1994,,,,653227,,
11,Memet Tursun,,,,19600230,,,,,,阿瓦提县,
12,,,,,,,,,,,,
,,,,,,,,,,,,
13,Болат Асан,,,,,1961,f,,,Ghulja,Yining,facility 2
14,Асанов Абдыракман,,,,,,,,6531011971031432XX,,,
15,Ilham Tohti,,,,,,,,,,
16,Zhang Wei
"""


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_is_prepared_as_its_rows_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Every record of a file gets the features prepare_record gives its row, in the file's order, whether its
    names are computed in worker processes (in several batches) or in this one."""
    monkeypatch.setattr(worker_pool, "PARALLEL_FROM", 2)
    monkeypatch.setattr(worker_pool.InWorkers, "BATCH", 3)
    path = _write(tmp_path, ROWS)
    expected = [prepare_record(row) for row in read_records(path)]
    got = prepare_file(path, workers=workers)
    assert [r.unique_id for r in got] == [str(i) for i in range(1, 17)]
    assert len({r.name for r in got}) >= 10 and any(r.nm_years for r in got) and any(r.nm_places for r in got)
    assert got == expected


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_cell_stops_the_file_where_reading_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """A bad cell after many names stops prepare_file with read_records' error: file, row and column."""
    monkeypatch.setattr(worker_pool, "PARALLEL_FROM", 2)
    monkeypatch.setattr(worker_pool.InWorkers, "BATCH", 3)
    path = _write(tmp_path, ROWS + "17,Ilham,,,,about 1969,,,,,,,\n", "bad.csv")
    with pytest.raises(InputError) as expected:
        read_records(path)
    with pytest.raises(InputError) as got:
        prepare_file(path, workers=workers)
    assert (got.value.row, got.value.column) == (expected.value.row, expected.value.column) == (19, "birth_date")
    assert str(got.value) == str(expected.value)
