"""The comparison levels: the SQL Splink runs is the Python test score_pair runs."""

import duckdb
import pytest

from vigil.core.linkage.comparisons import Level, all_comparisons
from vigil.core.linkage.engine import _connection, records_table
from vigil.core.linkage.features import prepare_record

#: Names with repeated skeletons (Чжан Сэцзюнь: sn, sn), a part without one (Асан Аай), one part, the same
#: parts in other orders and scripts, and longer names.
NAMES = [
    "Чжан Сэцзюнь", "Чжан Сюэцзюнь", "Асан Аай", "Асан Асан", "Asan Aai", "Zhongyi Ye", "冶忠义", "Е Чжунъи",
    "Abdulla Tursun", "Tursun Abdulla", "Abdulla Tursun Mamat", "Abdulla Abdulla", "Abdulla", "Tursun",
    "Ilham Tohti", "伊力哈木·土赫提", "Илham Тохти", "Mamat Abdulla Tursun Ablat", "Asan uulu Bolot",
]


NAME_LEVELS = [lvl.label for lvl in next(c for c in all_comparisons() if c.name == "name").levels
               if not lvl.is_null and lvl.label != "else"]


def _sql_and_python(level: Level, names: list[str], con: duckdb.DuckDBPyConnection
                    ) -> tuple[dict[tuple[str, str], bool], dict[tuple[str, str], bool]]:
    """The level on every pair of ``names`` (ids are their positions): by its DuckDB SQL, and by its Python test."""
    recs = [prepare_record({"id": str(i), "full_name": n}) for i, n in enumerate(names)]
    table = records_table(recs)
    con.register("t", table)
    cols = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in table.column_names if c != "unique_id")
    con.execute(f"CREATE TABLE pairs AS SELECT l.unique_id AS id_l, r.unique_id AS id_r, {cols} FROM t AS l, t AS r")
    got = {(a, b): bool(ok) for a, b, ok in con.sql(
        f"SELECT id_l, id_r, coalesce({level.sql('duckdb')}, false) FROM pairs").fetchall()}
    return got, {(a.unique_id, b.unique_id): level.test(a, b) for a in recs for b in recs}


@pytest.mark.parametrize("label", NAME_LEVELS)
def test_the_sql_of_a_name_level_is_its_python_test(label: str) -> None:
    name = next(c for c in all_comparisons() if c.name == "name")
    level = next(lvl for lvl in name.levels if lvl.label == label)
    got, want = _sql_and_python(level, NAMES, duckdb.connect())
    assert got == want
    assert any(want.values()) and not all(want.values())


def _name_level(name_similarity: str, a: str, b: str) -> str:
    name = next(c for c in all_comparisons(name_similarity) if c.name == "name")
    ra, rb = prepare_record({"id": "a", "full_name": a}), prepare_record({"id": "b", "full_name": b})
    return name.levels[name.level_of(ra, rb)].label


@pytest.mark.parametrize(("a", "b"), [("Алмазбек Назарбаев", "Almazbek Atambayev"),
                                      ("Abdurahim Shahidi", "Abdurahim Hayit")])
def test_names_the_engine_reads_as_two_people_get_no_credit_from_looser_keys(a: str, b: str) -> None:
    """One given name, two fathers' names whose keys happen to be 0.8 alike (nasarbab / atanbab): without the
    name engine that level is the only lenient one; with it, the engine has read them as unlike, and they are
    "else"."""
    assert _name_level("native", a, b) == "every part jaro-winkler >= 0.8"
    assert _name_level("engine", a, b) == "else"
    # A name the engine reads as one person's is still found at its level.
    assert _name_level("engine", "艾力更·依明巴海", "Arken Imirbaki") == "name similarity >= 0.8"


def test_every_part_agreeing_by_skeleton_is_weighed_apart_when_the_engine_reads_two_people() -> None:
    """With the engine, the skeleton level is asked before the engine's level only where the engine agrees too;
    a pair it reads as two people (a father's name sharing a skeleton with the other's given name, or a name
    written in part) falls to the later level, which EM weighs apart."""
    labels = [lvl.label for lvl in next(c for c in all_comparisons("engine") if c.name == "name").levels]
    late = labels.index("every part agrees by skeleton")
    assert labels.index("every part agrees by skeleton, and the engine agrees") < labels.index(
        "name similarity >= 0.8") < late
    assert _name_level("engine", "Tursunbaev Soyuzbekovna", "Tursunbaev Azizbek Atakozuevich") == labels[late]
    assert _name_level("engine", "穆罕默德·伊敏", "Muhammad Amin Bughra") == labels[late]
    assert _name_level("engine", "Ilham Tohti", "Tohti Ilham Abdulla") == labels[late - 4]
    # Without the engine there is one skeleton level, where it always was.
    assert _name_level("native", "Tursunbaev Soyuzbekovna", "Tursunbaev Azizbek Atakozuevich") == labels[late]


def test_the_sql_of_the_engine_checked_level_is_its_python_test() -> None:
    name = next(c for c in all_comparisons("engine") if c.name == "name")
    level = next(lvl for lvl in name.levels if lvl.label == "every part agrees by skeleton, and the engine agrees")
    names = [*NAMES, "Tursunbaev Soyuzbekovna", "Tursunbaev Azizbek Atakozuevich", "Tohti Ilham Abdulla"]
    got, want = _sql_and_python(level, names, _connection("engine"))  # the engine's DuckDB function
    assert got == want
    ids = {n: str(i) for i, n in enumerate(names)}
    assert want[(ids["Ilham Tohti"], ids["Tohti Ilham Abdulla"])]
    # Every part agrees by skeleton, but the engine reads the two Tursunbaevs as two people.
    assert not want[(ids["Tursunbaev Soyuzbekovna"], ids["Tursunbaev Azizbek Atakozuevich"])]
